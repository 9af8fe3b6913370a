"""The Suggestions panel: which sources suggest, run them, and how good each one is
(precision, recall, F1 per source and label on held-out documents, a learning curve).

Training (the learned source, and the measuring) runs off the GUI thread with a progress
dialog that cancels (gui/suggest/training.py). After :data:`RETRAIN_AFTER` annotation
changes the learned model is trained again in the background, with no dialog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressDialog,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.suggest.evaluation import Score
from annotator.gui.files.background import progress_dialog
from annotator.gui.suggest.controller import RETRAIN_AFTER, SuggestionLayer
from annotator.gui.suggest.training import Outcome, TrainingJob

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Source", "Label", "Precision", "Recall", "F1", "Right", "Suggested", "Annotated")


def tr(text: str) -> str:
    return QCoreApplication.translate("suggest", text)


class ScoresModel(QAbstractTableModel):
    """One row per source and label: P, R, F1 and the counts behind them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, Score]] = []

    def set_scores(self, scores: dict[str, dict[str, Score]]) -> None:
        self.beginResetModel()
        self.rows = [(source, s) for source, by in scores.items() for s in by.values()]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        source, s = self.rows[index.row()]
        values = (
            source,
            s.label,
            f"{s.precision:.2f}",
            f"{s.recall:.2f}",
            f"{s.f1:.2f}",
            s.true_positives,
            s.suggested,
            s.annotated,
        )
        return values[index.column()]


class SuggestionsPanel(QWidget):
    def __init__(self, window: MainWindow, layer: SuggestionLayer) -> None:
        super().__init__(window)
        self.setObjectName("suggestionsPanel")
        self.window_, self.layer = window, layer
        self.model: object = None  # the learned model of the last training
        self.job: TrainingJob | None = None
        self.dialog: QProgressDialog | None = None
        self._then_suggest = False
        column = QVBoxLayout(self)
        self.checks: dict[str, QCheckBox] = {}
        row = QHBoxLayout()
        for source, text in (
            ("like-before", tr("&Like before")),
            ("learned", tr("Lea&rned")),
            ("pretrained", tr("&Pretrained")),
        ):
            box = QCheckBox(text, self)
            box.setObjectName(f"source-{source}")
            box.setChecked(source != "pretrained")
            box.toggled.connect(self._sources_changed)
            self.checks[source] = box
            row.addWidget(box)
        column.addLayout(row)
        buttons = QHBoxLayout()
        self.suggest_button = QPushButton(tr("&Suggest in this document"), self)
        self.suggest_button.clicked.connect(lambda: self.suggest(every=False))
        self.measure_button = QPushButton(tr("&Measure the sources"), self)
        self.measure_button.clicked.connect(self.measure)
        buttons.addWidget(self.suggest_button)
        buttons.addWidget(self.measure_button)
        column.addLayout(buttons)
        self.status = QLabel(tr("No suggestions yet."), self)
        self.status.setWordWrap(True)
        column.addWidget(self.status)
        self.scores = ScoresModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("suggestionScores")
        self.table.setModel(self.scores)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        column.addWidget(self.table, 1)
        self.curve = QLabel("", self)
        self.curve.setWordWrap(True)
        column.addWidget(self.curve)
        self._sources_changed()
        layer.changed.connect(self._count_changed)
        window.session.projectClosed.connect(self._closed)
        window.session.annotationsAdded.connect(self._maybe_retrain)

    # -- sources ---------------------------------------------------------------------

    def _sources_changed(self) -> None:
        self.layer.enabled_sources = {s for s, box in self.checks.items() if box.isChecked()}
        self.layer.reload()

    def _count_changed(self) -> None:
        n = len(self.layer.items)
        self.status.setText(
            tr(
                "%d suggestions in this document: Tab goes to the next, Enter accepts, "
                "Backspace rejects."
            )
            % n
            if n
            else tr("No suggestions in this document.")
        )

    def suggest(self, *, every: bool = False) -> None:
        """Run the enabled sources over this document (or every document)."""
        window = self.window_
        project = window.session.project
        if project is None or (window.document_id is None and not every):
            window.show_status(tr("Open a project and a document first"))
            return
        if project.read_only:
            window.show_error(tr("The project is open read-only: suggestions cannot be saved"))
            return
        if "learned" in self.layer.enabled_sources and self.model is None:
            self._then_suggest = True
            self._train(measure=False, every=every)
            return
        self._run_sources(every)

    def _run_sources(self, every: bool) -> None:
        from annotator.core.errors import AnnotatorError
        from annotator.store.suggestions import Finder, build_source, suggest

        window = self.window_
        project = window.session.require()
        docs = None if every else [window.document_id]
        total, problems = 0, []
        for source in sorted(self.layer.enabled_sources):
            try:
                finder: Finder
                if source == "learned":
                    if self.model is None:
                        continue
                    finder = self.model  # type: ignore[assignment]
                else:
                    finder = build_source(project, source)
                total += sum(
                    suggest(project, source, finder, docs).values()  # type: ignore[arg-type]
                )
            except AnnotatorError as exc:
                problems.append(f"{source}: {exc}")
        self.layer.reload()
        window.show_status(tr("%d suggestions") % total)
        if problems:
            self.status.setText("\n".join(problems))

    # -- training ------------------------------------------------------------------

    def measure(self) -> None:
        self._then_suggest = False
        self._train(measure=True, every=False)

    def _train(self, *, measure: bool, every: bool, quiet: bool = False) -> None:
        from annotator.store.suggestions import actor_names, examples

        project = self.window_.session.project
        if project is None or self.job is not None:
            return
        job = TrainingJob(examples(project), actor_names(project), measure=measure)
        self.job, self._every = job, every
        if not quiet:
            dialog = progress_dialog(tr("Training on your annotations…"), 1, 300)
            dialog.setObjectName("trainingProgress")
            dialog.setWindowTitle(tr("Suggestions"))
            dialog.canceled.connect(job.cancel.set)
            job.progressed.connect(self._progressed)
            self.dialog = dialog
        job.finished.connect(self._trained)
        job.start()

    def _progressed(self, done: int, total: int) -> None:
        if self.dialog is not None:
            self.dialog.setMaximum(max(total, 1))
            self.dialog.setValue(min(done, total))

    def _trained(self, outcome: Outcome | None, error: str) -> None:
        job, self.job = self.job, None
        if job is not None:
            job.wait()
            if job.cancel.is_set():  # cancelled, even if it finished meanwhile: discarded
                outcome, error = None, ""
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.deleteLater()
            self.dialog = None
        if outcome is None:
            then, self._then_suggest = self._then_suggest, False
            if error and then:  # nothing to learn yet: the other sources still suggest
                self._run_sources(self._every)
            self.status.setText(error or tr("Training cancelled."))
            return
        self.model = outcome.model
        self.layer.changes = 0
        if outcome.scores:
            self.scores.set_scores(outcome.scores)
            self.status.setText(
                tr("Measured on %d held-out documents (the other four fifths trained on).")
                % outcome.held_out
            )
        if outcome.curve:
            self.curve.setText(
                tr("Learning curve (documents: F1): ")
                + ", ".join(f"{n}: {s.f1:.2f}" for n, s in outcome.curve)
            )
        if self._then_suggest:
            self._then_suggest = False
            self._run_sources(self._every)

    def _maybe_retrain(self) -> None:
        if self.model is not None and self.layer.changes >= RETRAIN_AFTER and self.job is None:
            self._train(measure=False, every=False, quiet=True)

    def _closed(self) -> None:
        if self.job is not None:
            self.job.cancel.set()
        self.model = None
        self.scores.set_scores({})
        self.curve.setText("")

    def shutdown(self) -> None:
        """Stop a running training and wait for its thread (the window closes)."""
        if self.job is not None:
            self.job.cancel.set()
            self.job.wait()
