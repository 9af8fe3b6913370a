"""The documents dock: document groups as a tree, the document list with a filter, and
the current document's variables.

Keys (while the list has the focus): F2 renames, Del deletes (asked, undoable; the Edit
menu's Delete), Alt+Up / Alt+Down move the document, Ctrl+G puts it in a group. In the
variables table F2 or typing edits a value, Del removes it, Ins adds a variable. In the
group tree Ins makes a group. Every change is one step on the window's undo stack.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLineEdit,
    QMenu,
    QSplitter,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.variables import VARIABLE_TYPES
from annotator.gui.documents.commands import (
    CreateGroup,
    DefineVariable,
    GroupMembers,
    RenameDocument,
    ReorderDocuments,
    SetVariable,
)
from annotator.gui.documents.drag_order import DragOrder
from annotator.gui.documents.keys import OwnKeys
from annotator.gui.documents.variables_table import VariablesTable
from annotator.store.documents.document_groups import DocumentGroup

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

ALL = "\0all"  # the tree's first row: every document


def tr(text: str) -> str:
    return QCoreApplication.translate("documents", text)


class NewVariableDialog(QDialog):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("newVariableDialog")
        self.setWindowTitle(tr("Add a document variable"))
        self.key = QLineEdit(self)
        self.key.setObjectName("variableKey")
        self.kind = QComboBox(self)
        self.kind.setObjectName("variableType")
        self.kind.addItems(list(VARIABLE_TYPES))
        form = QFormLayout(self)
        form.addRow(tr("&Name:"), self.key)
        form.addRow(tr("&Type:"), self.kind)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @classmethod
    def ask(cls, parent: QWidget) -> tuple[tuple[str, str], bool]:
        dialog = cls(parent)
        ok = dialog.exec() == QDialog.DialogCode.Accepted and bool(dialog.key.text().strip())
        return (dialog.key.text().strip(), dialog.kind.currentText()), ok


class DocumentsPanel(QWidget):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("documentsPanel")
        self.window_ = window
        self.group_tree = QTreeWidget(self)
        self.group_tree.setObjectName("documentGroups")
        self.group_tree.setHeaderHidden(True)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("documentFilter")
        self.filter.setPlaceholderText(tr("Filter: words of the title, or variable=value"))
        self.filter.setClearButtonEnabled(True)
        self.variables = VariablesTable(self)
        # one button with a menu: the dock is narrow (four buttons would scroll)
        self.menu_button = QToolButton(self)
        self.menu_button.setObjectName("documentsMenu")
        self.menu_button.setText(tr("Groups and variables"))
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        menu = QMenu(self.menu_button)
        for name, text, slot in (
            ("newDocumentGroup", tr("New group… (Ins in the groups)"), self.new_group),
            ("addToGroup", tr("Put the document in a group… (Ctrl+G)"), self.add_to_group),
            ("importIntoGroup", tr("Import files into a group…"), self.import_into_group),
            ("addVariable", tr("Add a variable… (Ins in the variables)"), self.add_variable),
            ("renameDocument", tr("Rename the document… (F2)"), self.rename),
        ):
            action = menu.addAction(text)
            action.setObjectName(name)
            action.triggered.connect(slot)
        self.menu_button.setMenu(menu)
        middle = QWidget(self)
        column = QVBoxLayout(middle)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.filter)
        column.addWidget(window.document_list, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.group_tree)
        split.addWidget(middle)
        split.addWidget(self.variables)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        split.setStretchFactor(2, 2)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(2, 2, 2, 2)
        rows.addWidget(split, 1)
        rows.addWidget(self.menu_button)

        self._groups: list[DocumentGroup] = []
        self._values: dict[int, dict[str, str]] = {}
        self._known: set[int] | None = None  # document ids before a change (new: shown)
        lst = window.document_list
        OwnKeys(lst, {"F2": self.rename, "Alt+Up": lambda: self.move_document(-1),
                      "Alt+Down": lambda: self.move_document(+1), "Ctrl+G": self.add_to_group})  # fmt: skip
        OwnKeys(self.variables, {"F2": self.variables.edit_current, "Del": self.clear_value,
                                 "Ins": self.add_variable})  # fmt: skip
        OwnKeys(self.group_tree, {"Ins": self.new_group})
        DragOrder(lst, self.move_to)
        self.group_tree.currentItemChanged.connect(lambda *_: self.apply_filter())
        self.filter.textChanged.connect(lambda _t: self.apply_filter())
        self.variables.edited.connect(self.set_value)
        s = window.session
        s.projectOpened.connect(self.reload)
        s.projectClosed.connect(self.reload)
        s.documentsChanged.connect(lambda: QTimer.singleShot(0, self.reload))
        window.documents.modelReset.connect(self.apply_filter)
        lst.selectionModel().currentChanged.connect(lambda *_: self.show_variables())

    # -- reading -----------------------------------------------------------------

    def current_id(self) -> int | None:
        return self.window_.document_id

    def reload(self) -> None:
        project = self.window_.session.project
        if project is None:
            self._groups, self._values, self._known = [], {}, None
            self.group_tree.clear()
            self.variables.setRowCount(0)
            return
        self._groups = project.groups.all()
        self._values = project.variables.all()
        self._fill_tree()
        ids = {d.id for d in project.documents()}
        new = sorted(ids - self._known) if self._known is not None else []
        self._known = ids
        if new and self.window_.document_id not in new:
            self.window_.show_document(new[0])  # a new import is selected and shown
        self._reselect()
        self.apply_filter()
        self.show_variables()

    def _fill_tree(self) -> None:
        tree = self.group_tree
        was = self.chosen_group()
        tree.blockSignals(True)
        tree.clear()
        project = self.window_.session.project
        total = len(project.documents()) if project else 0
        top = QTreeWidgetItem([tr("All documents (%d)") % total])
        top.setData(0, Qt.ItemDataRole.UserRole, ALL)
        tree.addTopLevelItem(top)
        items: dict[str, QTreeWidgetItem] = {}
        for group in self._groups:
            item = QTreeWidgetItem([f"{group.name} ({len(group.document_ids)})"])
            item.setData(0, Qt.ItemDataRole.UserRole, group.name)
            items[group.name] = item
        for group in self._groups:
            parent = items.get(group.parent or "", top)
            parent.addChild(items[group.name])
        tree.expandAll()
        chosen = items.get(was or "", top)
        tree.setCurrentItem(chosen)
        tree.blockSignals(False)

    def chosen_group(self) -> str | None:
        item = self.group_tree.currentItem()
        name = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        return None if name in (None, ALL) else str(name)

    def _members(self, name: str) -> set[int]:
        """The documents of group *name* and of the groups under it."""
        under = {name}
        grew = True
        while grew:
            more = {g.name for g in self._groups if g.parent in under} - under
            grew = bool(more)
            under |= more
        return {d for g in self._groups if g.name in under for d in g.document_ids}

    def apply_filter(self) -> None:
        model, lst = self.window_.documents, self.window_.document_list
        group = self.chosen_group()
        members = self._members(group) if group else None
        text = self.filter.text().strip().casefold()
        key, _, wanted = text.partition("=") if "=" in text else ("", "", "")
        for row in range(model.rowCount()):
            doc = model.document_at(row)
            assert doc is not None
            show = members is None or doc.id in members
            if show and text:
                values = {
                    k.casefold(): v.casefold() for k, v in self._values.get(doc.id, {}).items()
                }
                if key:
                    show = values.get(key.strip(), "\0").startswith(wanted.strip())
                else:
                    show = text in doc.title.casefold() or any(text in v for v in values.values())
            lst.setRowHidden(row, not show)

    def _reselect(self) -> None:
        w = self.window_
        row = w.documents.row_of(w.document_id) if w.document_id is not None else -1
        if row >= 0 and w.document_list.currentIndex().row() != row:
            w.document_list.setCurrentIndex(w.documents.index(row, 0))

    def show_variables(self) -> None:
        project = self.window_.session.project
        doc = self.current_id()
        if project is None or doc is None:
            self.variables.setRowCount(0)
            return
        self.variables.show_variables(project.variables.types(), self._values.get(doc, {}))

    # -- changing ----------------------------------------------------------------

    def _ids_in_order(self) -> list[int]:
        model = self.window_.documents
        return [model.document_at(r).id for r in range(model.rowCount())]  # type: ignore[union-attr]

    def rename(self) -> None:
        w = self.window_
        doc = self.current_id()
        if w.session.project is None or doc is None:
            return
        old = w.session.project.document(doc).title
        title, ok = QInputDialog.getText(w, tr("Rename document"), tr("Title:"), text=old)
        if ok and title.strip() and title.strip() != old:
            w.session.run(RenameDocument(w.session, doc, title))

    def move_document(self, step: int) -> None:
        w = self.window_
        doc = self.current_id()
        if w.session.project is None or doc is None:
            return
        order = self._ids_in_order()
        i = order.index(doc)
        j = i + step
        if not 0 <= j < len(order):
            return
        order[i], order[j] = order[j], order[i]
        text = tr("Move document up") if step < 0 else tr("Move document down")
        w.session.run(ReorderDocuments(w.session, order, text))

    def move_to(self, document_id: int, row: int) -> None:
        """Put the document at *row* of the list (a drag)."""
        w = self.window_
        if w.session.project is None:
            return
        order = self._ids_in_order()
        if document_id not in order or order.index(document_id) == row:
            return
        order.remove(document_id)
        order.insert(row, document_id)
        w.session.run(ReorderDocuments(w.session, order, tr("Move document")))

    def set_value(self, key: str, value: str | None) -> None:
        w = self.window_
        doc = self.current_id()
        if doc is not None:
            w.session.run(SetVariable(w.session, doc, key, value))

    def clear_value(self) -> None:
        row = self.variables.currentRow()
        item = self.variables.item(row, 0) if row >= 0 else None
        value = self.variables.item(row, 2) if row >= 0 else None
        if item is not None and value is not None and value.text():
            self.set_value(item.text(), None)

    def add_variable(self) -> None:
        w = self.window_
        if w.session.project is None:
            return
        (key, kind), ok = NewVariableDialog.ask(w)
        if ok and w.session.run(DefineVariable(w.session, key, kind)):
            QTimer.singleShot(0, lambda: self._edit_variable(key))

    def _edit_variable(self, key: str) -> None:
        for row in range(self.variables.rowCount()):
            item = self.variables.item(row, 0)
            if item is not None and item.text() == key:
                self.variables.setFocus()
                self.variables.setCurrentCell(row, 2)

    def new_group(self) -> None:
        w = self.window_
        if w.session.project is None:
            return
        name, ok = QInputDialog.getText(w, tr("New document group"), tr("Name:"))
        if ok and name.strip():
            w.session.run(CreateGroup(w.session, name.strip(), self.chosen_group()))

    def _ask_group(self, title: str) -> str | None:
        names = [g.name for g in self._groups]
        chosen = self.chosen_group()
        name, ok = QInputDialog.getItem(
            self.window_,
            title,
            tr("Group (a new name makes one):"),
            names,
            names.index(chosen) if chosen in names else 0,
            True,
        )
        return name.strip() if ok and name.strip() else None

    def add_to_group(self) -> None:
        w = self.window_
        doc = self.current_id()
        if w.session.project is None or doc is None:
            return
        name = self._ask_group(tr("Put the document in a group"))
        if name:
            w.session.run(GroupMembers(w.session, name, [doc], add=True))

    def import_into_group(self) -> None:
        """Import several files at once and put them all in one group."""
        w = self.window_
        project = w.session.project
        if project is None:
            w.show_error(tr("Open or create a project first"))
            return
        paths, _ = QFileDialog.getOpenFileNames(
            w, tr("Import into a group"), str(project.path.parent), tr("All files (*)")
        )
        if paths:
            self.import_paths([Path(p) for p in paths])

    def import_paths(self, paths: list[Path]) -> None:
        w = self.window_
        project = w.session.require()
        group = self._ask_group(tr("Import into which group?"))
        if group is None:
            return
        before = {d.id for d in project.documents()}
        w.files.import_files(paths)
        new = sorted({d.id for d in project.documents()} - before)
        if new:
            w.session.run(GroupMembers(w.session, group, new, add=True))


def build_documents_panel(window: MainWindow) -> DocumentsPanel:
    """The documents dock's widget (gui/panels/docks.py puts it in the dock)."""
    window.documents_panel = panel = DocumentsPanel(window)  # type: ignore[attr-defined]
    return panel
