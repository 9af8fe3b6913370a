"""The statistics dock's actor x label tab: which role it counts (claimant, addressee,
object, accused or any), the matrix shaded as a heat map, and its export as CSV or XLSX.

The numbers are :func:`annotator.store.queries.actor_role_queries.actor_label_matrix`; the role
chosen is said by the tab's title, the heading above the table, the column headers'
tips and the first cell of an export. Keys: Alt+O chooses the role (then Up / Down),
Alt+C and Alt+X export; the table's Enter drills into a cell (gui/analysis/stats_drill.py).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.cooccurrence import Matrix
from annotator.core.errors import AnnotatorError
from annotator.gui.analysis.matrix_export import write_matrix
from annotator.gui.panels.counts_model import CountsModel
from annotator.gui.start.file_dialogs import save_file
from annotator.store import Project
from annotator.store.queries.actor_role_queries import ANY, actor_label_matrix


def tr(text: str) -> str:
    return QCoreApplication.translate("stats", text)


def role_names() -> list[tuple[str, str]]:
    """(role, how the window names it), in the order of the chooser."""
    return [
        (ANY, tr("any role")),
        ("claimant", tr("claimant")),
        ("addressee", tr("addressee")),
        ("object", tr("object")),
        ("accused", tr("accused")),
    ]


class ActorMatrixTab(QWidget):
    """The role chooser, a heading, the table and two export buttons."""

    roleChanged = Signal(str)

    def __init__(self, table: QTableView, model: CountsModel, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("actorLabelTab")
        self.table, self.model = table, model
        self.matrix = Matrix((), ())
        self.role_choice = QComboBox(self)
        self.role_choice.setObjectName("actorRole")
        for role, name in role_names():
            self.role_choice.addItem(name, role)
        pick = QLabel(tr("R&ole counted:"), self)
        pick.setBuddy(self.role_choice)
        self.heading = QLabel(self)
        self.heading.setObjectName("actorLabelHeading")
        self.heading.setWordWrap(True)
        self.csv_button = QPushButton(tr("Export &CSV…"), self)
        self.csv_button.setObjectName("actorLabelCsv")
        self.xlsx_button = QPushButton(tr("Export &XLSX…"), self)
        self.xlsx_button.setObjectName("actorLabelXlsx")
        top = QHBoxLayout()
        top.addWidget(pick)
        top.addWidget(self.role_choice, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.csv_button)
        bottom.addWidget(self.xlsx_button)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 4, 0, 0)
        rows.addLayout(top)
        rows.addWidget(self.heading)
        rows.addWidget(table, 1)
        rows.addLayout(bottom)
        self.setTabOrder(self.role_choice, table)
        self.role_choice.currentIndexChanged.connect(lambda _i: self.roleChanged.emit(self.role))
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.project: Project | None = None

    @property
    def role(self) -> str:
        return str(self.role_choice.currentData())

    def role_name(self) -> str:
        return self.role_choice.currentText()

    def set_role(self, role: str) -> None:
        self.role_choice.setCurrentIndex(max(0, self.role_choice.findData(role)))

    def title(self) -> str:
        """The tab's title: ``Actor × label (claimant)``."""
        return tr("Actor × label (%s)") % self.role_name()

    def show_counts(
        self,
        project: Project | None,
        document: int | None,
        coder: str | None,
        names: dict[str, str],
    ) -> None:
        """Count again (the scope, the coder or the role changed) and show it."""
        self.project = project
        self.matrix = (
            Matrix((), ())
            if project is None or project.closed
            else actor_label_matrix(project, self.role, document, coder)
        )
        m = self.matrix
        total = tr("Total")
        columns = [names.get(k, k) for k in m.columns] + [total]
        values = [
            [m.count(a, k) for k in m.columns] + [sum(m.count(a, k) for k in m.columns)]
            for a in m.rows
        ]
        tips = [tr("%s, the actor as %s") % (k, self.role_name()) for k in m.columns]
        self.model.set_counts(list(m.rows), columns, values, [*tips, total], total=True)
        if self.role == ANY:
            what = tr("Claims each actor takes part in, in any role")
        else:
            what = tr("Claims in which each actor is the %s") % self.role_name()
        self.heading.setText(what + tr(" (Enter or double-click: the claims)"))
        self.table.setToolTip(self.heading.text())
        enabled = bool(m.rows)
        self.csv_button.setEnabled(enabled)
        self.xlsx_button.setEnabled(enabled)

    def export(self, kind: str, path: Path | None = None) -> Path | None:
        """Write the matrix shown as CSV or XLSX; asks where when *path* is None."""
        project = self.project
        if project is None or project.closed:
            return None
        if path is None:
            stem = f"actor-label-{self.role}"
            pattern = tr("CSV files (*.csv)") if kind == "csv" else tr("Excel workbooks (*.xlsx)")
            path = save_file(self, tr("Export the matrix"), stem, pattern, f".{kind}")
            if path is None:
                return None
        try:
            write_matrix(self.matrix, path, f"actor-label-{self.role}")
        except AnnotatorError as exc:
            QMessageBox.warning(self, tr("Export the matrix"), str(exc))
            return None
        self.heading.setText(tr("Wrote %s") % path.name)
        return path
