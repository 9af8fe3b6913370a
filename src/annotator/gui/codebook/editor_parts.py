"""The codebook editor's attribute types and relation types tabs.

Choices with words ("-1 against / 0 neutral / +1 for") are typed one a line; the
first word of a line is the choice's value (what is stored on an annotation and
exported), the rest describes it and is kept in the attribute's description, on its
last line, "Choices: -1 against / 0 neutral / +1 for" (so YAML and every export carry
it, and the loader's rules still see plain values).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import ATTRIBUTE_TYPES, AttributeDef, Codebook, RelationType
from annotator.gui.codebook import ops
from annotator.gui.codebook.commands import DeleteAttribute
from annotator.store.codebook.codebook_edits import attribute_usage
from annotator.store.queries.retrieval_queries import relation_type_usage

if TYPE_CHECKING:
    from annotator.gui.codebook.editor import CodebookEditor

KeyRole = Qt.ItemDataRole.UserRole


def tr(text: str) -> str:
    return QCoreApplication.translate("codebook", text)


def label_checklist(parent: QWidget, name: str) -> QListWidget:
    box = QListWidget(parent)
    box.setObjectName(name)
    box.setMaximumHeight(110)
    return box


def fill_checklist(box: QListWidget, codebook: Codebook, checked: tuple[str, ...]) -> None:
    box.clear()
    for label in codebook.labels:
        item = QListWidgetItem("  " * codebook.depth(label.key) + label.name, box)
        item.setData(KeyRole, label.key)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(
            Qt.CheckState.Checked if label.key in checked else Qt.CheckState.Unchecked
        )


def checked_keys(box: QListWidget) -> tuple[str, ...]:
    return tuple(
        str(box.item(i).data(KeyRole))
        for i in range(box.count())
        if box.item(i).checkState() == Qt.CheckState.Checked
    )


class _ListTab(QWidget):
    """A list of keys on the left, a form on the right, Add / Apply / Delete below."""

    what = "item"

    def __init__(self, editor: CodebookEditor, name: str) -> None:
        super().__init__(editor)
        self.editor = editor
        self.list = QListWidget(self)
        self.list.setObjectName(name)
        self.list.currentItemChanged.connect(lambda *_: self.show_current())
        self.form = QFormLayout()
        buttons = QHBoxLayout()
        for text, slot, obj in (
            (tr("Add"), self.add, f"add-{self.what}"),
            (tr("Apply changes"), self.apply, f"apply-{self.what}"),
            (tr("Delete…"), self.delete, f"delete-{self.what}"),
        ):
            button = QPushButton(text, self)
            button.setObjectName(obj)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        delete = QShortcut(QKeySequence("Del"), self.list)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.apply)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addLayout(buttons)
        row = QHBoxLayout(self)
        row.addLayout(left, 2)
        row.addLayout(self.form, 3)

    def current_key(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(KeyRole))

    def fill(self, keys: list[tuple[str, str]]) -> None:
        keep = self.current_key()
        self.list.blockSignals(True)
        self.list.clear()
        for key, text in keys:
            item = QListWidgetItem(text, self.list)
            item.setData(KeyRole, key)
            if key == keep:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self.show_current()

    def select(self, key: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(KeyRole) == key:
                self.list.setCurrentRow(i)

    def show_current(self) -> None:
        raise NotImplementedError

    def add(self) -> None:
        raise NotImplementedError

    def apply(self) -> None:
        raise NotImplementedError

    def delete(self) -> None:
        raise NotImplementedError


class AttributesTab(_ListTab):
    what = "attribute"

    def __init__(self, editor: CodebookEditor) -> None:
        super().__init__(editor, "attributeList")
        self.key = QLineEdit(self)
        self.key.setObjectName("attributeKey")
        self.name = QLineEdit(self)
        self.name.setObjectName("attributeName")
        self.type = QComboBox(self)
        self.type.setObjectName("attributeType")
        self.type.addItems(list(ATTRIBUTE_TYPES))
        self.choices = QPlainTextEdit(self)
        self.choices.setObjectName("attributeChoices")
        self.choices.setTabChangesFocus(True)
        self.choices.setPlaceholderText(tr("One a line: a value, then its words\n-1 against"))
        self.choices.setMaximumHeight(90)
        self.default = QLineEdit(self)
        self.default.setObjectName("attributeDefault")
        self.labels = label_checklist(self, "attributeLabels")
        self.description = QPlainTextEdit(self)
        self.description.setObjectName("attributeDescription")
        self.description.setTabChangesFocus(True)
        self.description.setMaximumHeight(80)
        for text, widget in (
            (tr("&Key:"), self.key), (tr("&Name:"), self.name), (tr("T&ype:"), self.type),
            (tr("&Choices:"), self.choices), (tr("De&fault:"), self.default),
            (tr("For &labels (none: all):"), self.labels), (tr("&Description:"), self.description),
        ):  # fmt: skip
            self.form.addRow(text, widget)

    def reload(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self.fill([(a.key, f"{a.name} ({a.type})") for a in codebook.attributes])

    def current(self) -> AttributeDef | None:
        key = self.current_key()
        return next((a for a in self.codebook.attributes if a.key == key), None)

    def show_current(self) -> None:
        a = self.current()
        self.key.setText(a.key if a else "")
        self.name.setText(a.name if a else "")
        self.type.setCurrentText(a.type if a else "text")
        self.choices.setPlainText(ops.choices_text(a) if a else "")
        self.default.setText((a.default or "") if a else "")
        fill_checklist(self.labels, self.codebook, a.labels if a else ())
        self.description.setPlainText(ops.plain_description(a.description) if a else "")

    def add(self) -> None:
        keys = {a.key for a in self.codebook.attributes}
        key = next(k for k in ("attribute", *(f"attribute-{n}" for n in range(2, 10_000)))
                   if k not in keys)  # fmt: skip
        new = ops.with_attribute(self.codebook, None, AttributeDef(key, key.capitalize(), "text"))
        if self.editor.run(new, tr("Add attribute %s") % key):
            self.select(key)
            self.key.setFocus()
            self.key.selectAll()

    def apply(self) -> None:
        a = self.current()
        if a is None:
            return
        values, words = ops.parse_choices(self.choices.toPlainText())
        kind = self.type.currentText()
        key = self.key.text().strip()
        new = AttributeDef(
            key=key,
            name=self.name.text().strip() or key,
            type=kind,
            labels=checked_keys(self.labels),
            choices=values if kind == "choice" else (),
            default=self.default.text().strip() or None,
            description=ops.described(self.description.toPlainText().strip(), values, words)
            if kind == "choice"
            else self.description.toPlainText().strip(),
        )
        if new == a:
            return
        if self.editor.run(
            ops.with_attribute(self.codebook, a.key, new),
            tr("Edit attribute %s") % a.key,
            renamed_attributes={a.key: key},
        ):
            self.select(key)

    def delete(self) -> None:
        a = self.current()
        if a is None:
            return
        editor = self.editor
        new = ops.replace_parts(
            self.codebook, attributes=tuple(x for x in self.codebook.attributes if x != a)
        )
        used = attribute_usage(editor.session.require()).get(a.key, 0)
        if not used:
            editor.run(new, tr("Delete attribute %s") % a.key)
            return
        answer = QMessageBox.question(
            self,
            tr("Delete attribute"),
            tr("Attribute '%s' has %d value(s) on annotations. Delete it and all %d of them?")
            % (a.key, used, used),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            editor.run_command(DeleteAttribute(editor.session, editor.hub, new, a.key))


class RelationsTab(_ListTab):
    what = "relation"

    def __init__(self, editor: CodebookEditor) -> None:
        super().__init__(editor, "relationList")
        self.key = QLineEdit(self)
        self.key.setObjectName("relationKey")
        self.name = QLineEdit(self)
        self.name.setObjectName("relationName")
        self.from_labels = label_checklist(self, "relationFrom")
        self.to_labels = label_checklist(self, "relationTo")
        self.description = QPlainTextEdit(self)
        self.description.setObjectName("relationDescription")
        self.description.setTabChangesFocus(True)
        self.description.setMaximumHeight(80)
        for text, widget in (
            (tr("&Key:"), self.key), (tr("&Name:"), self.name),
            (tr("&From labels (none: any):"), self.from_labels),
            (tr("&To labels (none: any):"), self.to_labels),
            (tr("&Description:"), self.description),
        ):  # fmt: skip
            self.form.addRow(text, widget)

    def reload(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self.fill([(r.key, r.name) for r in codebook.relations])

    def current(self) -> RelationType | None:
        key = self.current_key()
        return next((r for r in self.codebook.relations if r.key == key), None)

    def show_current(self) -> None:
        r = self.current()
        self.key.setText(r.key if r else "")
        self.name.setText(r.name if r else "")
        fill_checklist(self.from_labels, self.codebook, r.from_labels if r else ())
        fill_checklist(self.to_labels, self.codebook, r.to_labels if r else ())
        self.description.setPlainText(r.description if r else "")

    def add(self) -> None:
        keys = {r.key for r in self.codebook.relations}
        key = next(k for k in ("relation", *(f"relation-{n}" for n in range(2, 10_000)))
                   if k not in keys)  # fmt: skip
        new = ops.with_relation(self.codebook, None, RelationType(key, key.capitalize()))
        if self.editor.run(new, tr("Add relation type %s") % key):
            self.select(key)
            self.key.setFocus()
            self.key.selectAll()

    def apply(self) -> None:
        r = self.current()
        if r is None:
            return
        key = self.key.text().strip()
        new = replace(
            r,
            key=key,
            name=self.name.text().strip() or key,
            from_labels=checked_keys(self.from_labels),
            to_labels=checked_keys(self.to_labels),
            description=self.description.toPlainText().strip(),
        )
        if new == r:
            return
        if key != r.key and relation_type_usage(self.editor.session.require()).get(r.key):
            self.editor.message.setText(
                tr("relation type '%s' is used by links; its key stays") % r.key
            )
            return
        if self.editor.run(
            ops.with_relation(self.codebook, r.key, new), tr("Edit relation type %s") % r.key
        ):
            self.select(key)

    def delete(self) -> None:
        r = self.current()
        if r is None:
            return
        used = relation_type_usage(self.editor.session.require()).get(r.key, 0)
        if used:
            self.editor.message.setText(
                tr("relation type '%s' has %d link(s); delete them first") % (r.key, used)
            )
            return
        new = ops.replace_parts(
            self.codebook, relations=tuple(x for x in self.codebook.relations if x != r)
        )
        self.editor.run(new, tr("Delete relation type %s") % r.key)
