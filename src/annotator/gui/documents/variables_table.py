"""The current document's variables: one row per variable, typed editing of the value."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

ModelIndex = QModelIndex | QPersistentModelIndex
KindRole = Qt.ItemDataRole.UserRole + 1
NO_VALUE = "(none)"


def tr(text: str) -> str:
    return QCoreApplication.translate("documents", text)


class ValueDelegate(QStyledItemDelegate):
    """A date picker for a date, true / false / (none) for a boolean, a line otherwise;
    the edited value goes to :attr:`VariablesTable.edited`, never into the cell itself
    (the cell shows what the file holds once the undo step has run)."""

    def __init__(self, table: VariablesTable) -> None:
        super().__init__(table)
        self.table = table

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex
    ) -> QWidget:
        kind = index.data(KindRole)
        value = index.data(Qt.ItemDataRole.EditRole) or ""
        if kind == "boolean":
            box = QComboBox(parent)
            box.addItems(["true", "false", NO_VALUE])
            return box
        if kind == "date" and "T" not in value:
            edit = QDateEdit(parent)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            return edit
        return QLineEdit(parent)

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        value = str(index.data(Qt.ItemDataRole.EditRole) or "")
        if isinstance(editor, QComboBox):
            editor.setCurrentText(value or NO_VALUE)
        elif isinstance(editor, QDateEdit):
            date = QDate.fromString(value[:10], "yyyy-MM-dd")
            editor.setDate(date if date.isValid() else QDate.currentDate())
        elif isinstance(editor, QLineEdit):
            editor.setText(value)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: ModelIndex) -> None:
        if isinstance(editor, QComboBox):
            text = editor.currentText()
        elif isinstance(editor, QDateEdit):
            text = editor.date().toString("yyyy-MM-dd")
        elif isinstance(editor, QLineEdit):
            text = editor.text().strip()
        else:
            return
        value = None if text in ("", NO_VALUE) else text
        key = str(model.index(index.row(), 0).data())
        old = index.data(Qt.ItemDataRole.EditRole) or None
        if value != old:
            self.table.edited.emit(key, value)


class VariablesTable(QTableWidget):
    edited = Signal(str, object)  # key, new value (None: remove)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setObjectName("documentVariables")
        self.setHorizontalHeaderLabels([tr("Variable"), tr("Type"), tr("Value")])
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setItemDelegateForColumn(2, ValueDelegate(self))
        self.setWordWrap(False)
        self.setColumnHidden(1, True)  # the type is in each row's tooltip: the dock is narrow

    def show_variables(self, types: dict[str, str], values: dict[str, str]) -> None:
        row_was = self.currentRow()
        self.setRowCount(len(types))
        for row, (key, kind) in enumerate(types.items()):
            for column, text in enumerate((key, kind, values.get(key, ""))):
                item = QTableWidgetItem(text)
                item.setData(KindRole, kind)
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                if column == 2:
                    flags |= Qt.ItemFlag.ItemIsEditable
                item.setFlags(flags)
                item.setToolTip(tr("%s (%s)") % (key, kind))
                self.setItem(row, column, item)
        if 0 <= row_was < len(types):
            self.setCurrentCell(row_was, 2)

    def edit_current(self) -> None:
        row = max(self.currentRow(), 0)
        if self.rowCount():
            self.setCurrentCell(row, 2)
            item = self.item(row, 2)
            if item is not None:
                self.editItem(item)
