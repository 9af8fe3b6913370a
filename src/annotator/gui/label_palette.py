"""The label palette: each label's colour, name and hotkey; its guideline as a tooltip."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, QSize, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QPushButton, QSizePolicy, QVBoxLayout, QWidget

from annotator.core.codebook import Label


def tr(text: str) -> str:
    return QCoreApplication.translate("LabelPalette", text)


def swatch(colour: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class LabelPalette(QWidget):
    """A column of buttons, one per label; clicking one applies that label."""

    labelChosen = Signal(str)  # label key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelPalette")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(6, 6, 6, 6)
        self._layout.setSpacing(4)
        self.buttons: dict[str, QPushButton] = {}
        self._layout.addStretch(1)

    def set_labels(self, labels: list[Label]) -> None:
        for button in self.buttons.values():
            self._layout.removeWidget(button)
            button.deleteLater()
        self.buttons = {}
        for i, label in enumerate(labels):
            hotkey = f"   [{label.hotkey}]" if label.hotkey else ""
            button = QPushButton(swatch(label.colour), f"{label.name}{hotkey}", self)
            button.setObjectName(f"label-{label.key}")
            button.setIconSize(QSize(14, 14))
            button.setStyleSheet("text-align: left; padding: 4px 8px;")
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            shortcut = tr("Hotkey: %s") % label.hotkey if label.hotkey else tr("No hotkey")
            button.setToolTip(
                f"<b>{html.escape(label.name)}</b> <i>({html.escape(label.key)})</i><br>"
                f"{html.escape(shortcut)}<p style='white-space:normal'>"
                f"{html.escape(label.description)}</p>"
            )
            button.setAccessibleName(label.name)
            button.clicked.connect(lambda _checked=False, key=label.key: self.labelChosen.emit(key))
            self._layout.insertWidget(i, button)
            self.buttons[label.key] = button
