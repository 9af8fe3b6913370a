"""Find in the current document (Ctrl+F), with highlighted hits and "annotate all"."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from annotator.core.codebook import Label
from annotator.gui.editing.label_palette import fill_label_combo


def tr(text: str) -> str:
    return QCoreApplication.translate("FindBar", text)


def find_all(text: str, needle: str, *, case_sensitive: bool = False) -> list[tuple[int, int]]:
    """Non-overlapping occurrences of *needle* in *text* as code-point ranges."""
    if not needle:
        return []
    haystack, wanted = (text, needle) if case_sensitive else (text.casefold(), needle.casefold())
    if len(haystack) != len(text) or len(wanted) != len(needle):
        # casefold changed lengths (e.g. ß -> ss): fall back to a case-sensitive search
        haystack, wanted = text, needle
    hits = []
    at = haystack.find(wanted)
    while at != -1:
        hits.append((at, at + len(wanted)))
        at = haystack.find(wanted, at + len(wanted))
    return hits


class FindBar(QWidget):
    searchChanged = Signal(str, bool)  # text, case sensitive
    stepRequested = Signal(int)  # +1 next, -1 previous
    annotateAllRequested = Signal(str)  # label key
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(QLabel(tr("Find:")))
        self.edit = QLineEdit(self)
        self.edit.setObjectName("findEdit")
        self.edit.setPlaceholderText(tr("Text in this document"))
        self.edit.setClearButtonEnabled(True)
        layout.addWidget(self.edit, 1)
        self.case = QCheckBox(tr("Match case"), self)
        layout.addWidget(self.case)
        self.count = QLabel("", self)
        self.count.setMinimumWidth(90)
        layout.addWidget(self.count)
        prev = QToolButton(self)
        prev.setText("▲")
        prev.setToolTip(tr("Previous hit (Shift+Enter)"))
        nxt = QToolButton(self)
        nxt.setText("▼")
        nxt.setToolTip(tr("Next hit (Enter)"))
        layout.addWidget(prev)
        layout.addWidget(nxt)
        self.label = QComboBox(self)
        self.label.setObjectName("findLabel")
        self.label.setToolTip(tr("Label for 'Annotate all'"))
        layout.addWidget(self.label)
        self.annotate = QPushButton(tr("Annotate all"), self)
        self.annotate.setObjectName("annotateAll")
        layout.addWidget(self.annotate)
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip(tr("Close (Esc)"))
        layout.addWidget(close)
        self.edit.textChanged.connect(self._changed)
        self.case.toggled.connect(self._changed)
        self.edit.installEventFilter(self)  # Enter / Shift+Enter: see eventFilter
        prev.clicked.connect(lambda: self.stepRequested.emit(-1))
        nxt.clicked.connect(lambda: self.stepRequested.emit(1))
        self.annotate.clicked.connect(self._annotate_all)
        close.clicked.connect(self.close_bar)

    def set_labels(self, labels: list[Label]) -> None:
        fill_label_combo(self.label, labels)

    def open_bar(self, text: str = "") -> None:
        self.show()
        if text:
            self.edit.setText(text)
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()
        self._changed()

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def show_count(self, current: int, total: int) -> None:
        if not self.edit.text():
            self.count.setText("")
        elif total == 0:
            self.count.setText(tr("no hits"))
        else:
            self.count.setText(tr("%d of %d") % (current + 1, total))
        self.annotate.setEnabled(total > 0)

    def _changed(self) -> None:
        self.searchChanged.emit(self.edit.text(), self.case.isChecked())

    def _annotate_all(self) -> None:
        key = self.label.currentData()
        if key:
            self.annotateAllRequested.emit(str(key))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the field: next hit; Shift+Enter: previous hit. Taken here, before
        the field sees it: the field would report Shift+Enter as returnPressed too."""
        if (
            watched is self.edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            self.stepRequested.emit(-1 if shift else 1)
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(event)
