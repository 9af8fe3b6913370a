"""Before a merge: the labels a coder's file defines differently, each mapped to a
label of this project (or the merge is not made). The CLI's ``merge --map`` in a dialog."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import Label


def tr(text: str) -> str:
    return QCoreApplication.translate("LabelMapDialog", text)


class LabelMapDialog(QDialog):
    """One row per conflicting label: the label of this project its spans go to."""

    def __init__(
        self,
        conflicts: Mapping[str, Sequence[str]],
        labels: Sequence[Label],
        parent: QWidget | None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("labelMapDialog")
        self.setWindowTitle(tr("Labels defined differently"))
        intro = QLabel(
            tr(
                "These labels are defined differently in the files to merge than here. "
                "Choose the label of this project their annotations go to, or cancel the "
                "merge (Esc) and make the definitions equal first."
            ),
            self,
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        self.choices: dict[str, QComboBox] = {}
        for key, files in conflicts.items():
            combo = QComboBox(self)
            combo.setObjectName(f"mapLabel-{key}")
            for label in labels:
                combo.addItem(f"{label.name} ({label.key})", label.key)
            combo.setCurrentIndex(max(0, combo.findData(key)))
            caption = QLabel(tr("'%s' in %s →") % (key, ", ".join(files)), self)
            caption.setBuddy(combo)
            form.addRow(caption, combo)
            self.choices[key] = combo
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr("&Map and merge"))
        ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(intro)
        column.addLayout(form)
        column.addWidget(buttons)

    def mapping(self) -> dict[str, str]:
        return {key: str(combo.currentData()) for key, combo in self.choices.items()}

    @classmethod
    def get_map(
        cls,
        conflicts: Mapping[str, Sequence[str]],
        labels: Sequence[Label],
        parent: QWidget | None = None,
    ) -> tuple[dict[str, str], bool]:
        dialog = cls(conflicts, labels, parent)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        mapping = dialog.mapping()
        dialog.deleteLater()
        return mapping, ok
