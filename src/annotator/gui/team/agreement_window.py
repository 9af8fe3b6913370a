"""Team > Agreement…: the figures of ``annotator agree`` in a window, with jump-to.

The report is the CLI's: :func:`annotator.store.queries.agreement_queries.agreement_input`
read on a connection of its own, off the GUI thread (:func:`run_in_background`, whose
progress dialog cancels), and :func:`annotator.core.agreement.report.agreement_report`;
the export writes it with the CLI's :mod:`annotator.formats.agreement_report`.

Keys: F5 or Ctrl+Return computes again with the coders and labels checked; Alt+S the
scope (pooled and per label, per document, all), Alt+E the section; Enter or a
double-click on a disagreement selects its first coder's span in the main window;
Ctrl+E exports CSV, Ctrl+Shift+E HTML; Esc closes.

Each source with stored suggestions is listed after the coders as "suggestions: SOURCE"
(unchecked): checked, its suggestions are one more coder, compared with the checked
coders on the documents the suggestions were made for (the CLI's
``agree --with-suggestions SOURCE``), so model against human is one check and F5.
Last in the list is "model: learned (held out)" (unchecked): checked, F5 trains the
learned model once per fold in the worker, with the progress dialog (Cancel stops it),
and its held-out spans are one more coder on every annotated document (the CLI's
``agree --with-model``): fair on coded documents, where stored suggestions are not.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement.report import SECTIONS, AgreementReport, agreement_report
from annotator.core.curation import CURATOR
from annotator.core.errors import AnnotatorError
from annotator.formats.agreement_report import write_agreement_csv, write_agreement_html
from annotator.formats.registry import Options, Report
from annotator.gui.files.background import run_in_background
from annotator.gui.start.file_dialogs import save_file
from annotator.gui.team.agreement_models import CheckList, DisagreementModel, FigureModel
from annotator.store import Project
from annotator.store.queries.agreement_queries import (
    MODEL_CODER,
    agreement_input,
    check_choice,
    held_out_coder,
    suggestion_coder,
)
from annotator.store.suggestions import Suggestions

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

SCOPES = (("summary", "Pooled and per label"), ("document", "Per document"), ("all", "All"))


def tr(text: str) -> str:
    return QCoreApplication.translate("agreement", text)


def _table(parent: QWidget, name: str) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


def _fit_columns(table: QTableView, widest: int = 320) -> None:
    """Columns as wide as their contents, but none wider than *widest* pixels."""
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    for column in range(header.count()):
        if header.sectionSize(column) > widest:
            header.resizeSection(column, widest)


class AgreementWindow(QWidget):
    """The Agreement window of the open project (see the module docstring)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, Qt.WindowType.Window)
        self.setObjectName("agreementWindow")
        self.window_ = window
        self.session = window.session
        self.report: AgreementReport | None = None
        self.sources: dict[str, str] = {}  # "suggestions: learned" -> "learned"
        self.source_used: str | None = None  # the source the report compares
        self.model_folds = 0  # the folds of the held-out model the report compares, or 0
        self.model_listed = False  # the held-out model's entry is in the coder list
        self.setWindowTitle(tr("Agreement"))
        self.resize(1180, 680)

        self.coders = CheckList()
        self.labels = CheckList()
        self.coder_list = self._checklist("agreementCoders", self.coders, tr("Coders"))
        self.label_list = self._checklist("agreementLabels", self.labels, tr("Labels"))
        self.compute_button = QPushButton(tr("&Compute (F5)"), self)
        self.compute_button.setObjectName("agreementCompute")
        self.compute_button.clicked.connect(self.compute)
        left = QVBoxLayout()
        left.addWidget(self._buddy(tr("C&oders:"), self.coder_list))
        left.addWidget(self.coder_list, 1)
        left.addWidget(self._buddy(tr("&Labels:"), self.label_list))
        left.addWidget(self.label_list, 2)
        left.addWidget(self.compute_button)

        self.summary = QLabel(self)
        self.summary.setObjectName("agreementSummary")
        self.summary.setWordWrap(True)
        self.scope = QComboBox(self)
        self.scope.setObjectName("agreementScope")
        for key, name in SCOPES:
            self.scope.addItem(tr(name), key)
        self.section = QComboBox(self)
        self.section.setObjectName("agreementSection")
        self.section.addItem(tr("All sections"), None)
        for key, name in SECTIONS.items():
            self.section.addItem(tr(name), key)
        self.scope.currentIndexChanged.connect(self._show_figures)
        self.section.currentIndexChanged.connect(self._show_figures)
        choose = QHBoxLayout()
        choose.addWidget(self._buddy(tr("&Show:"), self.scope))
        choose.addWidget(self.scope)
        choose.addWidget(self._buddy(tr("S&ection:"), self.section))
        choose.addWidget(self.section)
        choose.addStretch(1)
        self.csv_button = QPushButton(tr("Export CSV… (Ctrl+E)"), self)
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.html_button = QPushButton(tr("Export HTML… (Ctrl+Shift+E)"), self)
        self.html_button.clicked.connect(lambda: self.export("html"))
        choose.addWidget(self.csv_button)
        choose.addWidget(self.html_button)

        self.figure_model = FigureModel()
        self.figures = _table(self, "agreementFigures")
        self.figures.setModel(self.figure_model)
        self.rule = QLabel(self)
        self.rule.setObjectName("agreementRule")
        self.rule.setWordWrap(True)
        self.rule.setStyleSheet("color: #444444")
        self.disagreement_model = DisagreementModel()
        self.disagreements = _table(self, "agreementDisagreements")
        self.disagreements.setModel(self.disagreement_model)
        self.disagreements.activated.connect(self._jump)
        self.disagreement_title = QLabel(self)
        self.message = QLabel(self)
        self.message.setObjectName("agreementMessage")
        self.message.setWordWrap(True)

        upper = QWidget(self)
        upper_column = QVBoxLayout(upper)
        upper_column.setContentsMargins(0, 0, 0, 0)
        upper_column.addWidget(self.figures, 1)
        upper_column.addWidget(self.rule)
        lower = QWidget(self)
        lower_column = QVBoxLayout(lower)
        lower_column.setContentsMargins(0, 0, 0, 0)
        lower_column.addWidget(self.disagreement_title)
        lower_column.addWidget(self.disagreements, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(upper)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        right = QVBoxLayout()
        right.addWidget(self.summary)
        right.addLayout(choose)
        right.addWidget(split, 1)
        right.addWidget(self.message)
        row = QHBoxLayout(self)
        row.addLayout(left)
        row.addLayout(right, 1)
        row.setStretch(0, 0)
        row.setStretch(1, 1)

        for name, keys, slot in (
            ("compute", ["F5", "Ctrl+Return"], self.compute),
            ("exportCsv", ["Ctrl+E"], lambda: self.export("csv")),
            ("exportHtml", ["Ctrl+Shift+E"], lambda: self.export("html")),
            ("close", ["Esc"], self.close),
        ):
            action = QAction(name, self)
            action.setObjectName(f"agreement_{name}")
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        self.session.projectClosed.connect(self.close)

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(widget)
        return label

    def _checklist(self, name: str, model: CheckList, title: str) -> QListView:
        view = QListView(self)
        view.setObjectName(name)
        view.setModel(model)
        view.setAccessibleName(title)
        view.setMaximumWidth(220)
        return view

    # -- choosing and computing --------------------------------------------------------

    def load(self) -> None:
        """Fill the coder and label lists from the project (the curator left unchecked)."""
        project = self.session.require()
        names = [c.name for c in project.coders.all() if c.annotations > 0]
        self.sources = {
            suggestion_coder(source): source
            for source in Suggestions(project).sources()
            if suggestion_coder(source) not in names
        }
        self.model_listed = MODEL_CODER not in names  # (a coder of that name: not listed)
        model = [MODEL_CODER] if self.model_listed else []
        self.coders.set_names([*names, *self.sources, *model])
        for i, name in enumerate(self.coders.names):
            if (name == CURATOR and len(names) > 2) or self._not_a_coder(name):
                self.coders.checked[i] = False
        self.labels.set_names(project.codebook().keys())
        self.setWindowTitle(tr("Agreement — %s") % project.path.name)

    def chosen(self) -> tuple[list[str] | None, list[str] | None]:
        """The coders and labels checked (None: every one, as the CLI's default); the
        suggestion sources are not coders here (:meth:`chosen_sources`)."""
        coders = [c for c in self.coders.chosen() if not self._not_a_coder(c)]
        labels = self.labels.chosen()
        humans = [c for c in self.coders.names if not self._not_a_coder(c)]
        return (
            None if len(coders) == len(humans) else coders,
            None if len(labels) == len(self.labels.names) else labels,
        )

    def _not_a_coder(self, name: str) -> bool:
        """A suggestion source's entry, or the held-out model's (listed as coders)."""
        return name in self.sources or (name == MODEL_CODER and self.model_listed)

    def chosen_sources(self) -> list[str]:
        """The suggestion sources checked as coders."""
        return [self.sources[n] for n in self.coders.chosen() if n in self.sources]

    def compute(self) -> bool:
        """Compute the report off the GUI thread; False when it failed or was cancelled."""
        project = self.session.require()
        coders, labels = self.chosen()
        if labels == []:
            self.say(tr("Check at least one label"))
            return False
        sources = self.chosen_sources()
        if len(sources) > 1:
            self.say(tr("Check one suggestion source at a time"))
            return False
        with_model = MODEL_CODER in self.coders.chosen() and self._not_a_coder(MODEL_CODER)
        if sources and with_model:
            self.say(tr("Check the held-out model or one suggestion source, not both"))
            return False
        source = sources[0] if sources else None
        made: list[AgreementReport] = []
        folds: list[int] = []

        def work(other: Project, options: Options) -> Report:
            tick = options.progress or (lambda _done, _total: None)
            tick(0, 1)  # reading the rows is the first step, then one per document and pass
            model = None
            if with_model:  # the folds trained first (Cancel stops them), then the report
                check_choice(other, coders, labels, None)
                model = held_out_coder(other, progress=tick)
                folds.append(min(5, len(model.spans)))
            data = agreement_input(
                other, coders=coders, labels=labels, suggestions=source, extra_coder=model
            )
            tick(1, 2)
            made.append(agreement_report(data, tick=lambda done, total: tick(1 + done, 1 + total)))
            return Report()

        _report, error, cancelled = run_in_background(
            self, tr("Computing agreement…"), project.path, work, read_only=True
        )
        if cancelled:
            self.say(tr("Cancelled: the figures shown are those computed before"))
            return False
        if error or not made:
            self.say(error or tr("no report was made"))
            return False
        self.source_used = source
        self.model_folds = folds[0] if folds else 0
        self.show_report(made[0])
        self.say("")
        return True

    def show_report(self, report: AgreementReport) -> None:
        self.report = report
        shared = len(report.shared)
        scope = ""
        if self.source_used is not None and suggestion_coder(self.source_used) in report.coders:
            scope = " " + tr(
                "The suggestions of %s are compared on the %d document(s) they were made "
                "for: those stored now (a rejected one is gone, an accepted one is an "
                "annotation, and a span annotated with its label when they were made was "
                "never stored)."
            ) % (self.source_used, report.selected)
        if self.model_folds and MODEL_CODER in report.coders:
            scope = " " + tr(
                "The learned model is held out: each of the %d annotated document(s) is "
                "predicted by a model trained on the other folds (%d folds), never by one "
                "that saw it, and nothing annotated is skipped."
            ) % (report.selected, self.model_folds)
        self.summary.setText(
            tr(
                "<b>%s</b> on %d shared document(s) of %d selected (a document is shared when "
                "every chosen coder annotated it); %d matched units, %d claims matched across "
                "coders, %d overlapping spans of one coder merged for alpha_U."
            )
            % (
                ", ".join(report.coders),
                shared,
                report.selected,
                report.units,
                report.claims,
                report.merged,
            )
            + scope
        )
        self._show_figures()
        self.disagreement_model.show(report)
        self.disagreement_title.setText(
            tr("Disagreements (%d): Enter or double-click selects the span in the main window")
            % len(report.disagreements)
        )
        _fit_columns(self.disagreements)

    def _show_figures(self) -> None:
        section = self.section.currentData()
        self.figure_model.show(self.report, str(self.scope.currentData()), section)
        _fit_columns(self.figures)
        if self.report is None:
            self.rule.clear()
        elif section is not None:
            self.rule.setText(tr("Rule: %s.") % self.report.rules[section])
        else:
            self.rule.setText(tr("Choose a section to read its matching rule."))

    def say(self, message: str) -> None:
        self.message.setText(message)

    # -- jump-to and export -------------------------------------------------------------

    def _jump(self, index: QModelIndex | QPersistentModelIndex) -> None:
        d = self.disagreement_model.at(index.row())
        if d is None or not d.codings:
            return
        # a suggestion's id is negative (-id): it goes to the suggestion in the text
        coding = next((c for c in d.codings if c.annotation_id > 0), d.codings[0])
        try:
            if coding.coder == MODEL_CODER and coding.annotation_id < 0:  # in no table
                self.window_.show_document(d.document_id)
                self.window_.select_annotation(None)
                self.window_.view.select_range(coding.start, coding.end)
            elif coding.annotation_id < 0:
                self.window_.suggestions.layer.go_to(d.document_id, -coding.annotation_id)
            else:
                self.window_.jump_to(coding.annotation_id)
        except AnnotatorError as exc:  # deleted since the report was made
            self.say(str(exc))
            return
        self.window_.raise_()
        self.window_.activateWindow()

    def export(self, kind: str, target: Path | None = None) -> bool:
        """Write the report as CSV or HTML (to *target*, else to a file the user names)."""
        if self.report is None:
            self.say(tr("Compute the figures first (F5)"))
            return False
        project = self.session.require()
        if target is None:
            chosen = save_file(
                self,
                tr("Export the agreement report"),
                f"{project.path.stem}-agreement",
                f"{kind.upper()} (*.{kind})",
                f".{kind}",
            )
            if chosen is None:
                return False
            target = chosen
        try:
            if kind == "csv":
                rows = write_agreement_csv(self.report, target)
                self.say(tr("Wrote %s (%d rows)") % (target, rows))
            else:
                write_agreement_html(self.report, target, tr("Agreement: %s") % project.path.name)
                self.say(tr("Wrote %s") % target)
        except AnnotatorError as exc:
            self.say(str(exc))
            return False
        return True
