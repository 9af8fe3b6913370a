"""The codebook editor (Edit > Codebook…): labels as a tree, attribute and relation types.

Every edit builds the whole codebook as it should be and runs it as one undo step on
the window's stack (gui/codebook/commands.py); the store checks it by the YAML loader's
rules and a refused edit shows the loader's one-line reason here and changes nothing.

Keys in the label tree: Alt+Up / Alt+Down move a label among its siblings, Alt+Right
nests it under the previous sibling, Alt+Left takes it out of its parent (the window's
Alt+arrows resize spans; this is a window of its own, so they do not collide), Del
deletes, Ctrl+N adds a label, Ctrl+Shift+N a sub-label, Ctrl+M merges into another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QDropEvent, QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import Codebook, Label
from annotator.gui.codebook import ops
from annotator.gui.codebook.commands import CodebookEdit, CodebookHub, DeleteLabel, MergeLabels
from annotator.gui.codebook.editor_parts import AttributesTab, RelationsTab
from annotator.gui.session import FILE_PROBLEMS, FirstDoneCommand
from annotator.store.queries.retrieval_queries import label_annotation_ids

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

KeyRole = Qt.ItemDataRole.UserRole


def tr(text: str) -> str:
    return QCoreApplication.translate("codebook", text)


def swatch(colour: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class LabelTree(QTreeWidget):
    """The label tree; a drop (nest or reorder) is reported as ``rearranged``."""

    rearranged = Signal()

    def dropEvent(self, event: QDropEvent) -> None:
        super().dropEvent(event)
        self.rearranged.emit()


class CodebookEditor(QDialog):
    def __init__(self, window: MainWindow, hub: CodebookHub) -> None:
        super().__init__(window)
        self.setObjectName("codebookEditor")
        self.setWindowTitle(tr("Codebook"))
        self.window_ = window
        self.session = window.session
        self.hub = hub
        self.resize(820, 560)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._labels_tab(), tr("&Labels"))
        self.attributes = AttributesTab(self)
        self.tabs.addTab(self.attributes, tr("A&ttributes"))
        self.relations = RelationsTab(self)
        self.tabs.addTab(self.relations, tr("Relation t&ypes"))
        self.message = QLabel("", self)
        self.message.setObjectName("codebookMessage")
        self.message.setWordWrap(True)
        close = QPushButton(tr("Close"), self)
        close.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(close)
        column = QVBoxLayout(self)
        column.addWidget(self.tabs, 1)
        column.addLayout(bottom)
        hub.changed.connect(self.reload)
        for button in self.findChildren(QPushButton):  # Return applies the field, no button
            button.setAutoDefault(False)
        self.reload()

    # -- the codebook ------------------------------------------------------------------

    def codebook(self) -> Codebook:
        return self.session.require().codebook()

    def run(self, new: Codebook, text: str, **renames: dict[str, str]) -> bool:
        """Apply *new* as one undo step; False (and the reason shown) when refused."""
        return self.run_command(CodebookEdit(self.session, self.hub, new, text, **renames))

    def run_command(self, command: FirstDoneCommand) -> bool:
        """:meth:`Session.run`, with a refusal shown here (one line under the tabs)
        instead of in a box over the window; a file problem still goes to the guard."""
        self.message.setText("")
        error = self.session.guarded(command.do_first)
        if error is None:
            self.session.undo_stack.push(command)  # its redo() does nothing this once
            return True
        if isinstance(error, FILE_PROBLEMS):
            self.session.report(error)
        else:
            self.message.setText(str(error))
        return False

    def reload(self) -> None:
        if self.session.project is None:
            self.tree.clear()
            return
        codebook = self.codebook()
        self._fill_tree(codebook)
        self.attributes.reload(codebook)
        self.relations.reload(codebook)

    # -- labels ------------------------------------------------------------------------

    def _labels_tab(self) -> QWidget:
        page = QWidget(self)
        self.tree = LabelTree(page)
        self.tree.setObjectName("codebookTree")
        self.tree.setHeaderLabels([tr("Label"), tr("Key"), tr("Hotkey")])
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.rearranged.connect(self._dropped)
        self.tree.currentItemChanged.connect(lambda *_: self._show_label())
        self.tree.setColumnWidth(0, 220)
        for keys, how in (("Alt+Up", "up"), ("Alt+Down", "down"), ("Alt+Right", "in"),
                          ("Alt+Left", "out")):  # fmt: skip
            shortcut = QShortcut(QKeySequence(keys), self.tree)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda how=how: self.move_label(how))
        delete = QShortcut(QKeySequence("Del"), self.tree)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_label)

        self.key_edit = QLineEdit(page)
        self.key_edit.setObjectName("labelKey")
        self.name_edit = QLineEdit(page)
        self.name_edit.setObjectName("labelName")
        self.hotkey_edit = QLineEdit(page)
        self.hotkey_edit.setObjectName("labelHotkey")
        self.hotkey_edit.setMaxLength(1)
        self.hotkey_edit.setPlaceholderText(tr("a letter or digit"))
        self.description_edit = QPlainTextEdit(page)
        self.description_edit.setObjectName("labelDescription")
        self.description_edit.setPlaceholderText(tr("The coding guideline: when to use it"))
        self.description_edit.setTabChangesFocus(True)
        for edit in (self.key_edit, self.name_edit, self.hotkey_edit):
            edit.returnPressed.connect(self.apply_label)
        colours = QHBoxLayout()
        colours.setSpacing(2)
        self.colour_buttons: list[QToolButton] = []
        for colour, name in ops.OKABE_ITO:
            button = QToolButton(page)
            button.setObjectName(f"colour-{colour[1:]}")
            button.setIcon(swatch(colour, 16))
            button.setToolTip(tr("%s (%s), colour-blind safe") % (name, colour))
            button.setAccessibleName(name)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.clicked.connect(lambda _c=False, colour=colour: self.set_colour(colour))
            colours.addWidget(button)
            self.colour_buttons.append(button)
        other = QPushButton(tr("&Other colour…"), page)
        other.clicked.connect(self._other_colour)
        colours.addWidget(other)
        colours.addStretch(1)
        self.colour_label = QLabel("", page)
        colours.addWidget(self.colour_label)

        form = QFormLayout()
        form.addRow(tr("&Key:"), self.key_edit)
        form.addRow(tr("&Name:"), self.name_edit)
        form.addRow(tr("Colour:"), colours)
        form.addRow(tr("Hot&key:"), self.hotkey_edit)
        form.addRow(tr("&Guideline:"), self.description_edit)
        apply = QPushButton(tr("&Apply changes"), page)
        apply.setObjectName("applyLabel")
        apply.setToolTip(tr("Ctrl+Return"))
        apply.clicked.connect(self.apply_label)
        QShortcut(QKeySequence("Ctrl+Return"), page, self.apply_label)
        form.addRow("", apply)

        buttons = QHBoxLayout()
        actions: list[tuple[str, str | None, Callable[[], None], str]] = [
            (tr("Add label"), "Ctrl+N", lambda: self.add_label(sub=False), "addLabel"),
            (tr("Add sub-label"), "Ctrl+Shift+N", lambda: self.add_label(sub=True), "addSubLabel"),
            (tr("Merge into…"), "Ctrl+M", self.merge_label, "mergeLabel"),
            (tr("Delete…"), None, self.delete_label, "deleteLabel"),
        ]
        for text, sequence, slot, name in actions:
            push = QPushButton(text, page)
            push.setObjectName(name)
            push.clicked.connect(slot)
            if sequence:
                push.setToolTip(sequence)
                QShortcut(QKeySequence(sequence), page, slot)
            buttons.addWidget(push)
        buttons.addStretch(1)
        hint = QLabel(
            tr("Drag to nest or reorder; Alt+↑/↓ move, Alt+→ nest, Alt+← un-nest, Del deletes"),
            page,
        )
        hint.setWordWrap(True)
        left = QVBoxLayout()
        left.addWidget(self.tree, 1)
        left.addWidget(hint)
        left.addLayout(buttons)
        row = QHBoxLayout(page)
        row.addLayout(left, 3)
        row.addLayout(form, 2)
        return page

    def _fill_tree(self, codebook: Codebook) -> None:
        keep = self.current_key()
        self.tree.blockSignals(True)
        self.tree.clear()
        items: dict[str, QTreeWidgetItem] = {}
        current = None
        for label in codebook.labels:
            parent = items.get(label.parent) if label.parent else None
            item = QTreeWidgetItem(parent) if parent is not None else QTreeWidgetItem(self.tree)
            item.setText(0, label.name)
            item.setIcon(0, swatch(label.colour))
            item.setText(1, label.key)
            item.setText(2, label.hotkey or "")
            item.setData(0, KeyRole, label.key)
            item.setToolTip(0, label.description)
            items[label.key] = item
            if label.key == keep:
                current = item
        self.tree.expandAll()
        self.tree.blockSignals(False)
        if current is None and self.tree.topLevelItemCount():
            current = self.tree.topLevelItem(0)
        if current is not None:
            self.tree.setCurrentItem(current)
        self._show_label()

    def current_key(self) -> str | None:
        item = self.tree.currentItem() if hasattr(self, "tree") else None
        return None if item is None else str(item.data(0, KeyRole))

    def select_label(self, key: str) -> None:
        for item in self.tree.findItems(
            key, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive, 1
        ):
            self.tree.setCurrentItem(item)

    def _current_label(self) -> Label | None:
        key = self.current_key()
        return None if key is None or self.session.project is None else self.codebook().label(key)

    def _show_label(self) -> None:
        label = self._current_label()
        self.key_edit.setText(label.key if label else "")
        self.name_edit.setText(label.name if label else "")
        self.hotkey_edit.setText((label.hotkey or "") if label else "")
        self.description_edit.setPlainText(label.description if label else "")
        colour = label.colour if label else ""
        for button, (value, _name) in zip(self.colour_buttons, ops.OKABE_ITO, strict=True):
            button.setChecked(value == colour.lower())
        self.colour_label.setText(colour)
        self.colour_label.setStyleSheet(f"color: {colour}; font-weight: bold" if colour else "")

    def apply_label(self) -> None:
        label = self._current_label()
        if label is None:
            return
        new = replace(
            label,
            key=self.key_edit.text().strip(),
            name=self.name_edit.text().strip() or self.key_edit.text().strip(),
            hotkey=self.hotkey_edit.text().strip() or None,
            description=self.description_edit.toPlainText().strip(),
        )
        if new == label:
            return
        self.message.setText("")
        if self.run(
            ops.replace_label(self.codebook(), label.key, new),
            tr("Edit label %s") % label.key,
            renamed_labels={label.key: new.key},
        ):
            self.select_label(new.key)

    def set_colour(self, colour: str) -> None:
        label = self._current_label()
        if label is None or label.colour == colour:
            self._show_label()
            return
        new = replace(label, colour=colour)
        self.run(ops.replace_label(self.codebook(), label.key, new),
                 tr("Recolour label %s") % label.key)  # fmt: skip

    def _other_colour(self) -> None:
        label = self._current_label()
        if label is None:
            return
        colour = QColorDialog.getColor(QColor(label.colour), self, tr("Label colour"))
        if colour.isValid():
            self.set_colour(colour.name())

    def add_label(self, *, sub: bool) -> None:
        parent = self.current_key() if sub else None
        new, label = ops.add_label(self.codebook(), parent)
        if self.run(new, tr("Add label %s") % label.key):
            self.select_label(label.key)
            self.tree.setFocus()
            self.key_edit.setFocus()
            self.key_edit.selectAll()

    def move_label(self, how: str) -> None:
        key = self.current_key()
        if key is None:
            return
        new = ops.move(self.codebook(), key, how)
        if new is None:
            return
        names = {"up": tr("Move label %s up"), "down": tr("Move label %s down"),
                 "in": tr("Nest label %s"), "out": tr("Un-nest label %s")}  # fmt: skip
        self.run(new, names[how] % key)
        self.select_label(key)

    def _dropped(self) -> None:
        """The tree after a drag: its order and nesting become the codebook's."""
        old = self.codebook()
        labels: list[Label] = []

        def walk(item: QTreeWidgetItem | None, parent: str | None) -> None:
            if item is None:
                return
            key = str(item.data(0, KeyRole))
            label = old.label(key)
            if label is not None:
                labels.append(replace(label, parent=parent))
            for i in range(item.childCount()):
                walk(item.child(i), key)

        for i in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(i), None)
        new = ops.with_labels(old, labels)
        if [(lab.key, lab.parent) for lab in new.labels] == [
            (lab.key, lab.parent) for lab in old.labels
        ]:
            return
        key = self.current_key()
        if not self.run(new, tr("Rearrange labels")):
            self.reload()
        elif key:
            self.select_label(key)

    def merge_label(self) -> None:
        key = self.current_key()
        if key is None:
            return
        others = [k for k in self.codebook().keys() if k != key]  # noqa: SIM118
        if not others:
            return
        into, ok = QInputDialog.getItem(
            self, tr("Merge label"),
            tr("Move every annotation of '%s' to, and drop '%s':") % (key, key),
            others, 0, False,
        )  # fmt: skip
        if ok and into:
            self.run_command(MergeLabels(self.session, self.hub, key, into))
            self.select_label(into)

    def delete_label(self) -> None:
        key = self.current_key()
        if key is None:
            return
        ids = label_annotation_ids(self.session.require(), key)
        if ids:
            answer = QMessageBox.question(
                self,
                tr("Delete label"),
                tr("Label '%s' has %d annotation(s). Delete the label and all %d of them?")
                % (key, len(ids), len(ids)),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.run_command(DeleteLabel(self.session, self.hub, key, ids))
