"""Item models of the Agreement window: the figures, the disagreements, and a checkable
list (the coders and labels to compare)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from annotator.core.agreement.report import SECTIONS, AgreementReport, Disagreement, Figure
from annotator.formats.agreement_report import coders_text, codings_text

Index = QModelIndex | QPersistentModelIndex
UNDEFINED_COLOUR = "#fbe3d6"


def tr(text: str) -> str:
    return QCoreApplication.translate("agreement", text)


class CheckList(QAbstractListModel):
    """Names with a check box each (all checked at first)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []
        self.checked: list[bool] = []

    def set_names(self, names: Sequence[str]) -> None:
        self.beginResetModel()
        self.names = list(names)
        self.checked = [True] * len(self.names)
        self.endResetModel()

    def chosen(self) -> list[str]:
        return [n for n, on in zip(self.names, self.checked, strict=True) if on]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.names)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.names[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole:
            return (
                Qt.CheckState.Checked if self.checked[index.row()] else Qt.CheckState.Unchecked
            ).value
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        state = value.value if isinstance(value, Qt.CheckState) else value
        self.checked[index.row()] = state == Qt.CheckState.Checked.value
        self.dataChanged.emit(index, index, [role])
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )


FIGURE_COLUMNS = (
    "Section",
    "Coders",
    "Label",
    "Document",
    "Measure",
    "Value",
    "n",
    "Why undefined",
    "Computed on",
)


def value_text(figure: Figure) -> str:
    a = figure.agreement
    return tr("undefined") if a.value is None else f"{a.value:.3f}"


class FigureModel(QAbstractTableModel):
    """One row per figure of the report that the chosen scope shows."""

    def __init__(self) -> None:
        super().__init__()
        self.report: AgreementReport | None = None
        self.figures: list[Figure] = []

    def show(self, report: AgreementReport | None, scope: str, section: str | None) -> None:
        """*scope*: ``"summary"`` (pooled and per label), ``"document"`` or ``"all"``."""
        self.beginResetModel()
        self.report = report
        figures = report.figures if report is not None else []
        self.figures = [
            f
            for f in figures
            if (section is None or f.section == section)
            and (scope == "all" or (scope == "document") == (f.document is not None))
        ]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.figures)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FIGURE_COLUMNS)

    def cell(self, figure: Figure, column: int) -> str:
        a = figure.agreement
        if column == 0:
            return tr(SECTIONS[figure.section])
        if column == 1:
            return coders_text(figure.coders)
        if column == 2:
            return figure.label or tr("all")
        if column == 3:
            if figure.document is None:
                return tr("pooled")
            title = self.report.document_titles.get(figure.document, "") if self.report else ""
            return f"{figure.document}: {title}"
        if column == 4:
            return a.measure
        if column == 5:
            return value_text(figure)
        if column == 6:
            return f"{a.n} {a.counted}"
        if column == 7:
            return a.why or ""
        return figure.on

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        figure = self.figures[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cell(figure, index.column())
        if role == Qt.ItemDataRole.BackgroundRole and figure.agreement.value is None:
            return QBrush(QColor(UNDEFINED_COLOUR))
        right = index.column() == 6 or (index.column() == 5 and figure.agreement.defined)
        if role == Qt.ItemDataRole.TextAlignmentRole and right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return tr(FIGURE_COLUMNS[section]) if 0 <= section < len(FIGURE_COLUMNS) else None


DISAGREEMENT_COLUMNS = ("Document", "Kind", "Characters", "Codings", "Not marked by")


class DisagreementModel(QAbstractTableModel):
    """One row per disagreement of the report."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: Sequence[Disagreement] = []

    def show(self, report: AgreementReport | None) -> None:
        self.beginResetModel()
        # a sequence that builds each row's disagreement when it is read
        self.rows = report.disagreements if report is not None else []
        self.endResetModel()

    def at(self, row: int) -> Disagreement | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(DISAGREEMENT_COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        d = self.rows[index.row()]
        return (
            f"{d.document_id}: {d.document}",
            d.kind,
            f"{d.start}–{d.end}",
            codings_text(d),
            ", ".join(d.missing),
        )[index.column()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if 0 <= section < len(DISAGREEMENT_COLUMNS):
            return tr(DISAGREEMENT_COLUMNS[section])
        return None
