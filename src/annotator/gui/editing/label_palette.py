"""The label palette: each label's colour, name and hotkey; its guideline as a tooltip.

A codebook can hold tens of thousands of labels (an import of foreign data adds one per
unknown tag), so the palette never builds a widget per label: a small codebook gets a
button per label; a large one gets buttons for the labels with a hotkey and a search
field whose completer lists every label from one model (:class:`LabelListModel`).
"""

from __future__ import annotations

import html
from functools import lru_cache

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QCompleter,
    QLineEdit,
    QListView,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import Label

SMALL_CODEBOOK = 40  # up to this many labels: a button and a menu entry for each
HOTKEY_LIMIT = 64  # more than the 62 one-character hotkeys a codebook can give
ModelIndex = QModelIndex | QPersistentModelIndex


def tr(text: str) -> str:
    return QCoreApplication.translate("LabelPalette", text)


@lru_cache(maxsize=256)
def swatch(colour: str, size: int = 14) -> QIcon:
    """A square of *colour*; one per colour (20,000 labels share a dozen colours)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def label_tooltip(label: Label) -> str:
    """Name, key, hotkey and the coding guideline, as rich text."""
    shortcut = tr("Hotkey: %s") % label.hotkey if label.hotkey else tr("No hotkey")
    return (
        f"<b>{html.escape(label.name)}</b> <i>({html.escape(label.key)})</i><br>"
        f"{html.escape(shortcut)}<p style='white-space:normal'>"
        f"{html.escape(label.description)}</p>"
    )


class LabelListModel(QAbstractListModel):
    """Every label of the codebook, one row each, in codebook order (after an optional
    first row *everything*, key ""): what the palette's search and the window's label
    combo boxes show. No item object per label; icons are shared by colour."""

    KeyRole = Qt.ItemDataRole.UserRole  # what QComboBox.currentData() and findData() use
    SearchRole = Qt.ItemDataRole.UserRole + 1  # "name key": what the search matches

    def __init__(self, everything: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.everything = everything
        self.labels: list[Label] = []

    def set_labels(self, labels: list[Label]) -> None:
        self.beginResetModel()
        self.labels = list(labels)
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.labels) + (self.everything is not None)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = index.row() - (self.everything is not None)
        if not index.isValid() or not -1 <= row < len(self.labels):
            return None
        if row == -1:  # the "every label" row
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return self.everything
            return "" if role == self.KeyRole else None
        label = self.labels[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return label.name
        if role == Qt.ItemDataRole.DecorationRole:
            return swatch(label.colour)
        if role == Qt.ItemDataRole.ToolTipRole:
            return label_tooltip(label)
        if role == self.KeyRole:
            return label.key
        if role == self.SearchRole:
            return label.name if label.name == label.key else f"{label.name} {label.key}"
        return None

    def find(self, text: str) -> str | None:
        """The key of the label *text* names: its key or name (any case), else the first
        label whose name or key contains it; None when none does."""
        wanted = text.strip().casefold()
        if not wanted:
            return None
        for label in self.labels:
            if wanted in (label.key.casefold(), label.name.casefold()):
                return label.key
        for label in self.labels:
            if wanted in label.key.casefold() or wanted in label.name.casefold():
                return label.key
        return None


def fill_label_combo(combo: QComboBox, labels: list[Label], everything: str | None = None) -> None:
    """Show *labels* in *combo* through its own :class:`LabelListModel` (made on the
    first call): no item per label, and for a large codebook no width measured per label."""
    model = combo.model()
    if not isinstance(model, LabelListModel):
        model = LabelListModel(everything, combo)
        combo.setModel(model)
        view = combo.view()
        if isinstance(view, QListView):
            view.setUniformItemSizes(True)  # no size measured per label
    model.set_labels(labels)
    if len(labels) > SMALL_CODEBOOK:
        combo.setMinimumContentsLength(16)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    if combo.currentIndex() < 0 and model.rowCount():
        combo.setCurrentIndex(0)


class LabelPalette(QWidget):
    """Buttons for labels (clicking one applies that label), and for a large codebook a
    search field that completes over every label."""

    labelChosen = Signal(str)  # label key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelPalette")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(6, 6, 6, 6)
        self._layout.setSpacing(4)
        self.buttons: dict[str, QPushButton] = {}
        self.model = LabelListModel()
        self.search = QLineEdit(self)
        self.search.setObjectName("labelSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(tr("Find a label"))
        self.completer = QCompleter(self.model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setCompletionRole(LabelListModel.SearchRole)
        self.completer.setMaxVisibleItems(12)
        popup = QListView()
        popup.setUniformItemSizes(True)  # no size measured per label
        self.completer.setPopup(popup)
        self.search.setCompleter(self.completer)
        self.completer.activated[QModelIndex].connect(self._completed)  # type: ignore[index]
        self.search.returnPressed.connect(self._entered)
        self.search.hide()
        self._layout.addWidget(self.search)
        self._layout.addStretch(1)
        self._focus_before: QWidget | None = None
        self._completions = 0

    def set_labels(self, labels: list[Label]) -> None:
        for button in self.buttons.values():
            self._layout.removeWidget(button)
            button.deleteLater()
        self.buttons = {}
        self.model.set_labels(labels)
        large = len(labels) > SMALL_CODEBOOK
        shown = with_hotkeys(labels)[:HOTKEY_LIMIT] if large else labels
        for i, label in enumerate(shown):
            hotkey = f"   [{label.hotkey}]" if label.hotkey else ""
            button = QPushButton(swatch(label.colour), f"{label.name}{hotkey}", self)
            button.setObjectName(f"label-{label.key}")
            button.setIconSize(QSize(14, 14))
            button.setStyleSheet("text-align: left; padding: 4px 8px;")
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setToolTip(label_tooltip(label))
            button.setAccessibleName(label.name)
            button.clicked.connect(lambda _checked=False, key=label.key: self.labelChosen.emit(key))
            self._layout.insertWidget(i, button)
            self.buttons[label.key] = button
        more = len(labels) - len(self.buttons)
        self.search.setVisible(large)
        self.search.setPlaceholderText(tr("Find a label (%d more)…") % more)
        self.search.setToolTip(tr("Type part of a label's name, then Enter to apply it"))

    def search_labels(self) -> None:
        """Put the cursor in the label search (the "More labels…" action), listing every
        label; the focus goes back where it was once a label is chosen or on Esc."""
        if self.search.isHidden():  # a small codebook: every label has its button
            return
        focused = QApplication.focusWidget()
        if focused is not self.search:
            self._focus_before = focused
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
        self.completer.setCompletionPrefix(self.search.text())
        self.completer.complete()

    def _completed(self, index: QModelIndex) -> None:
        """A row of the completer chosen (click, or Enter/Tab on the highlighted row)."""
        self._completions += 1
        key = index.data(LabelListModel.KeyRole)
        if key:
            self._choose(str(key))

    def _entered(self) -> None:
        """Enter in the field. With a row highlighted, the completer reports it right
        after this (Qt sends Enter to the field first): so decide once that has run."""
        text, seen = self.search.text(), self._completions
        QTimer.singleShot(0, lambda: self._enter_typed(text, seen))

    def _enter_typed(self, text: str, completions_before: int) -> None:
        if self._completions != completions_before:
            return  # the highlighted row was applied
        key = self.model.find(text)
        if key is not None:
            self._choose(key)

    def _choose(self, key: str) -> None:
        self.labelChosen.emit(key)
        self.search.clear()
        self._give_focus_back()

    def _give_focus_back(self) -> None:
        before, self._focus_before = self._focus_before, None
        if before is not None:
            before.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Esc in the search field
        if event.key() == Qt.Key.Key_Escape:
            self.search.clear()
            self._give_focus_back()
            return
        super().keyPressEvent(event)


def with_hotkeys(labels: list[Label]) -> list[Label]:
    """The labels that have a hotkey, in codebook order."""
    return [label for label in labels if label.hotkey]
