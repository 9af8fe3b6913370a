"""The lanes of the curation view as an item model: one row per coder, one column per
candidate, and a last row for the curated layer.

Each cell shows what that coder marked in that candidate (label, offsets, text), on
the colour of the candidate's status; the status is also written in the column's
header (a sign and a word), so that it does not rest on colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from annotator.core.agreement.units import CodedSpan
from annotator.core.curation import AGREE, CURATED_ONLY, DISAGREE, SOME, Candidate

Index = QModelIndex | QPersistentModelIndex

# light tints of the Okabe-Ito colours (told apart by colour-blind readers)
STATUS_COLOURS = {
    AGREE: "#bfe6d8",  # bluish green
    DISAGREE: "#f5c6a8",  # vermillion
    SOME: "#f8e2a6",  # orange
    CURATED_ONLY: "#c9def2",  # sky blue
}
STATUS_SIGNS = {AGREE: "✓", DISAGREE: "≠", SOME: "◐", CURATED_ONLY: "✎"}
MISSING_COLOUR = "#eeeeee"
CURATED_COLOUR = "#ffffff"
SNIPPET = 28


def tr(text: str) -> str:
    return QCoreApplication.translate("curation", text)


def status_name(status: str) -> str:
    return {
        AGREE: tr("all agree"),
        DISAGREE: tr("disagree"),
        SOME: tr("only some coders"),
        CURATED_ONLY: tr("curated only"),
    }[status]


def snippet(text: str, limit: int = SNIPPET) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class CurationModel(QAbstractTableModel):
    """Rows: the coders, then the curated layer; columns: the candidates in text order."""

    def __init__(self) -> None:
        super().__init__()
        self.coders: list[str] = []
        self.curator = ""
        self.candidates: list[Candidate] = []
        self.rejected: set[tuple[int, int]] = set()  # the rejected candidates' ranges
        self.text = ""

    def reset(
        self,
        coders: Sequence[str],
        curator: str,
        candidates: Sequence[Candidate],
        rejected: set[tuple[int, int]],
        text: str,
    ) -> None:
        self.beginResetModel()
        self.coders, self.curator = list(coders), curator
        self.candidates, self.rejected, self.text = list(candidates), set(rejected), text
        self.endResetModel()

    @property
    def curated_row(self) -> int:
        return len(self.coders)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self.coders else len(self.coders) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self.coders else len(self.candidates)

    def candidate(self, column: int) -> Candidate | None:
        return self.candidates[column] if 0 <= column < len(self.candidates) else None

    def span_at(self, row: int, column: int) -> CodedSpan | None:
        """The span of that lane in that candidate (the first curated one, for the last row)."""
        candidate = self.candidate(column)
        if candidate is None:
            return None
        if row == self.curated_row:
            return candidate.curated[0] if candidate.curated else None
        if 0 <= row < len(self.coders):
            return candidate.spans.get(self.coders[row])
        return None

    def is_rejected(self, candidate: Candidate) -> bool:
        return (candidate.start, candidate.end) in self.rejected

    def is_done(self, candidate: Candidate) -> bool:
        return bool(candidate.curated) or self.is_rejected(candidate)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        candidate = self.candidates[column]
        span = self.span_at(row, column)
        curated = row == self.curated_row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if span is None:
                if curated and self.is_rejected(candidate):
                    return tr("✗ rejected")
                return "·" if curated else "—"
            more = (
                f" (+{len(candidate.curated) - 1})"
                if curated and len(candidate.curated) > 1
                else ""
            )
            body = snippet(self.text[span.start : span.end])
            return f"{span.label} {span.start}–{span.end}{more}\n“{body}”"
        if role == Qt.ItemDataRole.BackgroundRole:
            if curated:
                return QBrush(QColor(CURATED_COLOUR))
            if span is None:
                return QBrush(QColor(MISSING_COLOUR))
            return QBrush(QColor(STATUS_COLOURS[candidate.status]))
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#1a1a1a"))
        if role == Qt.ItemDataRole.ToolTipRole:
            if span is None:
                return None
            return f"{span.label} [{span.start}–{span.end}]: {self.text[span.start : span.end]}"
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Vertical:
            if section == self.curated_row:
                return tr("%s (curated)") % self.curator
            return self.coders[section] if 0 <= section < len(self.coders) else None
        candidate = self.candidate(section)
        if candidate is None:
            return None
        done = " •" if self.is_done(candidate) else ""
        sign = STATUS_SIGNS[candidate.status]
        return f"{section + 1}{done}\n{sign} {status_name(candidate.status)}"

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def summary(self) -> str:
        """One line: how many candidates of each status, and how many are decided."""
        counts = {s: 0 for s in STATUS_COLOURS}
        for c in self.candidates:
            counts[c.status] += 1
        parts = [f"{n} {status_name(s)}" for s, n in counts.items() if n]
        done = sum(1 for c in self.candidates if self.is_done(c))
        rejected = sum(1 for c in self.candidates if self.is_rejected(c) and not c.curated)
        return tr("%d candidates (%s); %d decided: %d curated, %d rejected") % (
            len(self.candidates),
            ", ".join(parts) or tr("none"),
            done,
            done - rejected,
            rejected,
        )
