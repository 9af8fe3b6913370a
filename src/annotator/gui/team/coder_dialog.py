"""Who is coding: the Team > Coder… dialog and the first-use question.

The first-use question is asked when a project whose coder was never chosen is opened
for writing (a new project, or one made before coders were asked): a bar above the
text, which takes no focus and blocks nothing (reading a project needs no name), and
says under which name annotations are recorded until it is answered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)


def tr(text: str) -> str:
    return QCoreApplication.translate("CoderDialog", text)


def coder_combo(parent: QWidget, names: Sequence[str], current: str) -> QComboBox:
    """An editable list of the project's coders: pick one or type a new name."""
    combo = QComboBox(parent)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItems(list(names))
    combo.setCurrentText(current)
    combo.setMinimumContentsLength(20)
    return combo


class CoderDialog(QDialog):
    """Team > Coder…: pick an existing coder or type a new name."""

    def __init__(self, names: Sequence[str], current: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("coderDialog")
        self.setWindowTitle(tr("Coder"))
        self.combo = coder_combo(self, names, current)
        self.combo.setObjectName("coderName")
        edit = self.combo.lineEdit()
        if edit is not None:
            edit.selectAll()
        form = QFormLayout(self)
        hint = QLabel(tr("Your annotations are recorded under this name, in this project."))
        hint.setWordWrap(True)
        form.addRow(hint)
        form.addRow(tr("&Coder:"), self.combo)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.combo.editTextChanged.connect(lambda t: self.ok.setEnabled(bool(t.strip())))

    @classmethod
    def get_coder(
        cls, names: Sequence[str], current: str, parent: QWidget | None = None
    ) -> tuple[str, bool]:
        dialog = cls(names, current, parent)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        name = dialog.combo.currentText().strip()
        dialog.deleteLater()
        return name, ok and bool(name)


class CoderQuestion(QFrame):
    """The first-use question, a bar above the text (objectName ``coderQuestion``)."""

    def __init__(self, answer: Callable[[str], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coderQuestion")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._answer = answer
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.combo = coder_combo(self, [], "")
        self.combo.setObjectName("coderQuestionName")
        edit = self.combo.lineEdit()
        if edit is not None:
            edit.returnPressed.connect(self.accept)
        self.use = QPushButton(tr("&Use this name"), self)
        self.use.setObjectName("coderQuestionUse")
        self.use.clicked.connect(self.accept)
        later = QPushButton(tr("Not now"), self)
        later.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.text, 1)
        row.addWidget(self.combo)
        row.addWidget(self.use)
        row.addWidget(later)
        for widget in (self, self.combo, self.use, later):
            widget.setFocusPolicy(
                Qt.FocusPolicy.ClickFocus if widget is not self else Qt.FocusPolicy.NoFocus
            )
        self.hide()

    def ask(self, names: Sequence[str], fallback: str) -> None:
        """Show the question; until it is answered, annotations go to *fallback*."""
        self.text.setText(
            tr(
                "Who is coding in this project? Until you say, your annotations are "
                "recorded as “%s” (this computer's user). Team > Coder… changes it later."
            )
            % fallback
        )
        self.combo.clear()
        self.combo.addItems(list(names))
        self.combo.setCurrentText(fallback)
        self.show()

    def accept(self) -> None:
        name = self.combo.currentText().strip()
        if name and self._answer(name):
            self.hide()
