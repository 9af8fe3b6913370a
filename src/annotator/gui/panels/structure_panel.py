"""The panel beside the view for the selected annotation: its attributes, its
canonical actor (for actor mentions) and its links to other annotations."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt, Signal
from PySide6.QtGui import QDoubleValidator, QFocusEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import AttributeDef, RelationType
from annotator.gui.editing.structure_commands import (
    LinkActor,
    Relate,
    RemoveRelation,
    SetAttributes,
)
from annotator.gui.panels.relations_model import RelationTableModel, excerpt, stretch_link_columns
from annotator.gui.session import Session
from annotator.gui.wording import quoted
from annotator.store import Annotation
from annotator.store.structure import ACTOR_TYPES


def tr(text: str) -> str:
    return QCoreApplication.translate("StructurePanel", text)


def fitting_links(
    types: tuple[RelationType, ...], a: Annotation, b: Annotation
) -> list[tuple[Annotation, Annotation, str]]:
    """The ``(from, to, type)`` links the codebook allows from *a* to *b*; when none goes
    that way, those from *b* to *a* (so linking a claim to its claimant still works)."""
    forward = [(a, b, t.key) for t in types if t.fits(a.label, b.label)]
    return forward or [(b, a, t.key) for t in types if t.fits(b.label, a.label)]


class AttributeEdit(QLineEdit):
    """A text attribute's editor: says when it gets the focus (to offer the values used)."""

    focused = Signal()

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.focused.emit()
        super().focusInEvent(event)


class StructurePanel(QWidget):
    """Edits the structure of one annotation through undo commands."""

    linkingChanged = Signal(bool)
    message = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("structurePanel")
        self.session = session
        self.annotation: Annotation | None = None
        self.linking_from: int | None = None
        self._editors: dict[str, QWidget] = {}
        self._built_for: tuple[AttributeDef, ...] | None = None
        layout = QVBoxLayout(self)
        self.title = QLabel(tr("Select an annotation to see its attributes and links."), self)
        self.title.setWordWrap(True)
        # a fixed height: a new title must not re-lay out the docks and repaint the window
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.title.setFixedHeight(self.title.fontMetrics().lineSpacing() * 3 + 6)
        self.title.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.title)
        self.attributes_box = QGroupBox(tr("Attributes"), self)
        self.form = QFormLayout(self.attributes_box)
        layout.addWidget(self.attributes_box)
        self.actor_box = QGroupBox(tr("Canonical actor (of an actor mention)"), self)
        actor_row = QHBoxLayout(self.actor_box)
        self.actor_name = QLineEdit(self.actor_box)
        self.actor_name.setObjectName("actorName")
        self.actor_name.setPlaceholderText(tr("e.g. National Assembly (France)"))
        self.actor_names = QStringListModel(self)
        self.actor_completer = QCompleter(self.actor_names, self.actor_name)
        self.actor_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.actor_name.setCompleter(self.actor_completer)
        self.actor_type = QComboBox(self.actor_box)
        for kind in ACTOR_TYPES:
            self.actor_type.addItem(tr(kind), kind)
        self.actor_type.setToolTip(tr("The type of a new actor"))
        self.actor_link = QPushButton(tr("Link"), self.actor_box)
        self.actor_state = QLabel("", self.actor_box)
        self.actor_state.setObjectName("actorState")
        actor_row.addWidget(self.actor_name, 1)
        actor_row.addWidget(self.actor_type)
        actor_row.addWidget(self.actor_link)
        actor_row.addWidget(self.actor_state)
        layout.addWidget(self.actor_box)
        links_box = QGroupBox(tr("Links"), self)
        links = QVBoxLayout(links_box)
        self.relations = RelationTableModel()
        self.relation_view = QTableView(links_box)
        self.relation_view.setObjectName("annotationRelations")
        self.relation_view.setModel(self.relations)
        self.relation_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.relation_view.verticalHeader().hide()
        stretch_link_columns(self.relation_view)
        links.addWidget(self.relation_view)
        buttons = QHBoxLayout()
        self.link_button = QPushButton(tr("Link to… (Ctrl+L)"), links_box)
        self.unlink_button = QPushButton(tr("Remove link"), links_box)
        buttons.addWidget(self.link_button)
        buttons.addWidget(self.unlink_button)
        links.addLayout(buttons)
        layout.addWidget(links_box, 1)
        self.actor_link.clicked.connect(self.link_actor)
        self.actor_name.returnPressed.connect(self.link_actor)
        self.actor_name.textChanged.connect(self._actor_name_changed)
        self.link_button.clicked.connect(self.start_linking)
        self.unlink_button.clicked.connect(self.remove_selected_link)
        session.structureChanged.connect(self.reload)
        session.annotationChanged.connect(
            lambda _old, new: (
                self.show_annotation(new.id)
                if self.annotation and new.id == self.annotation.id
                else None
            )
        )
        self.show_annotation(None)

    # -- showing -------------------------------------------------------------------

    def show_annotation(self, annotation_id: int | None) -> None:
        project = self.session.project
        self.annotation = (
            project.annotation(annotation_id) if project and annotation_id is not None else None
        )
        self.reload()

    def reload(self) -> None:
        project = self.session.project
        a = self.annotation
        if a is not None and (project is None or project.closed):
            a = self.annotation = None
        if a is not None:
            try:
                a = self.annotation = project.annotation(a.id)  # type: ignore[union-attr]
            except Exception:
                a = self.annotation = None
        enabled = a is not None
        for w in (self.attributes_box, self.link_button, self.unlink_button):
            w.setEnabled(enabled)
        self._build_attribute_editors()
        self.actor_box.setEnabled(a is not None and a.label == "actor")
        if a is None or project is None:
            self.title.setText(tr("Select an annotation to see its attributes and links."))
            self.relations.reload(None, None)
            return
        name = next((lab.name for lab in project.labels() if lab.key == a.label), a.label)
        self.title.setText(f"<b>{html.escape(name)}</b>: {html.escape(quoted(a.text, 120))}")
        if a.label == "actor":
            actor = project.actor_of(a.id)
            self.actor_names.setStringList([x.name for x in project.actors()])
            self.actor_name.setText(actor.name if actor else "")
            self._actor_name_changed(self.actor_name.text())
        self.relations.reload(project, a.document_id, a.id)

    def _build_attribute_editors(self) -> None:
        """The editors depend on the attribute definitions that apply to the label only:
        while those stay the same (another annotation of the label, nothing selected and
        then one again: adding a span and undoing it) the editors are kept, empty in the
        disabled box while nothing is selected, and only the values shown change (no
        widgets rebuilt, nothing moves, so the docks are not laid out again; focus and
        typing are kept)."""
        project, a = self.session.project, self.annotation
        if project is None or a is None:
            self._update_attribute_values({})  # shown empty in the disabled box
            return
        defs = tuple(d for d in project.codebook().attributes if d.applies_to(a.label))
        values = project.attributes(a.id)
        if defs != self._built_for:
            self._build_editors(defs)
        self._update_attribute_values(values)

    def _build_editors(self, defs: tuple[AttributeDef, ...]) -> None:
        self._built_for = defs
        while self.form.rowCount():
            self.form.removeRow(0)
        self._editors = {}
        if not defs:
            self.form.addRow(QLabel(tr("(no attributes for this label)")))
        for d in defs:
            editor = self._editor(d)
            editor.setObjectName(f"attribute-{d.key}")
            editor.setToolTip(d.description)
            self.form.addRow(d.name, editor)
            self._editors[d.key] = editor

    def _update_attribute_values(self, values: dict[str, str]) -> None:
        """Show the annotation's values in the editors (a line edit being typed in keeps
        its text, and no editor signals a change the user did not make)."""
        for key, editor in self._editors.items():
            value = values.get(key)
            editor.blockSignals(True)
            if isinstance(editor, QComboBox):
                editor.setCurrentIndex(max(0, editor.findData(value)) if value is not None else 0)
            elif isinstance(editor, QLineEdit) and not editor.hasFocus():
                editor.setText(value or "")
            editor.blockSignals(False)

    def _editor(self, d: AttributeDef) -> QWidget:
        if d.type in ("choice", "boolean"):
            box = QComboBox()  # filled before it has a parent: no geometry updated per item
            box.addItem(tr("(not set)"), None)
            options = d.choices if d.type == "choice" else ("true", "false")
            for option in options:
                box.addItem(option, option)
            box.activated.connect(
                lambda _i, key=d.key, b=box: self.set_attribute(key, b.currentData())
            )
            return box
        edit = AttributeEdit()
        edit.setPlaceholderText(d.default or "")
        if d.type == "number":
            edit.setValidator(QDoubleValidator(edit))
        else:
            # the values used so far, read when the editor gets the focus (never stale)
            used = QStringListModel(edit)
            completer = QCompleter(used, edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            edit.setCompleter(completer)
            edit.focused.connect(lambda key=d.key, m=used: self._offer_used_values(key, m))
        edit.editingFinished.connect(
            lambda key=d.key, e=edit: self.set_attribute(key, e.text().strip() or None)
        )
        return edit

    def _offer_used_values(self, key: str, model: QStringListModel) -> None:
        project = self.session.project
        if project is not None and not project.closed:
            model.setStringList(project.attribute_values(key))

    # -- changing ------------------------------------------------------------------

    def set_attribute(self, key: str, value: str | None) -> None:
        project, a = self.session.project, self.annotation
        if project is None or a is None or project.attributes(a.id).get(key) == value:
            return
        self.session.run(SetAttributes(self.session, a.id, {key: value}))

    def _actor_name_changed(self, text: str) -> None:
        """An existing actor's type is shown, not offered for change (linking to an
        actor never changes its type: the Actors panel's Change type… does)."""
        project, a = self.session.project, self.annotation
        if project is None or project.closed or a is None:
            return
        existing = project.find_actor(text) if text.strip() else None
        self.actor_type.blockSignals(True)
        if existing is not None:
            self.actor_type.setCurrentIndex(max(0, self.actor_type.findData(existing.type)))
            self.actor_type.setEnabled(False)
            self.actor_type.setToolTip(
                tr("The type of “%s”: change it in the Actors panel") % existing.name
            )
        else:
            self.actor_type.setEnabled(True)
            self.actor_type.setToolTip(tr("The type of a new actor"))
        self.actor_type.blockSignals(False)
        linked = project.actor_of(a.id)
        same = linked is not None and existing is not None and linked.id == existing.id
        self.actor_state.setText(tr("linked ✓") if same else "")

    def link_actor(self) -> None:
        """Link the mention to the actor named (a new one gets the chosen type; an
        existing one keeps its own). Linking again to the same actor changes nothing,
        so Return in the completer and then the Link button make one undo step."""
        project, a = self.session.project, self.annotation
        name = self.actor_name.text().strip()
        if a is None or project is None or not name:
            return
        existing = project.find_actor(name)
        linked = project.actor_of(a.id)
        if existing is not None and linked is not None and linked.id == existing.id:
            self.message.emit(tr("Already linked to “%s”") % existing.name)
            return
        kind = None if existing is not None else self.actor_type.currentData()
        if self.session.run(LinkActor(self.session, a.id, name, kind)):
            actor = project.actor_of(a.id)
            if actor is not None:
                self.message.emit(tr("Linked to “%s” (%s)") % (actor.name, tr(actor.type)))

    def start_linking(self) -> None:
        if self.annotation is None:
            self.message.emit(tr("Click an annotation first, then Link to…"))
            return
        self.linking_from = self.annotation.id
        self.linkingChanged.emit(True)
        self.message.emit(tr("Click the annotation to link to (Esc cancels)"))

    def cancel_linking(self) -> None:
        if self.linking_from is not None:
            self.linking_from = None
            self.linkingChanged.emit(False)
            self.message.emit(tr("Linking cancelled"))  # the prompt to click is stale now

    def finish_linking(self, target_id: int) -> bool:
        """Link the annotation where linking started to *target_id*; ask the type if several fit."""
        project = self.session.project
        source_id, self.linking_from = self.linking_from, None
        self.linkingChanged.emit(False)
        if project is None or source_id is None or source_id == target_id:
            self.message.emit(tr("Linking cancelled"))
            return False
        a, b = project.annotation(source_id), project.annotation(target_id)
        options = fitting_links(project.codebook().relations, a, b)
        if not options:
            self.message.emit(
                tr("No link type of the codebook joins a %s and a %s") % (a.label, b.label)
            )
            return False
        if len(options) == 1:
            choice = options[0]
        else:
            texts = [
                f"{excerpt(f.text, 30)} —{kind}→ {excerpt(t.text, 30)}" for f, t, kind in options
            ]
            picked, ok = QInputDialog.getItem(self, tr("Link"), tr("Which link?"), texts, 0, False)
            if not ok:
                return False
            choice = options[texts.index(picked)]
        source, target, kind = choice
        if not self.session.run(Relate(self.session, source.id, target.id, kind)):
            return False
        self.message.emit(
            tr("Linked %s —%s→ %s") % (quoted(source.text, 30), kind, quoted(target.text, 30))
        )
        return True

    def remove_selected_link(self) -> None:
        relation = self.relations.relation_at(self.relation_view.currentIndex().row())
        if relation is not None:
            self.session.run(RemoveRelation(self.session, relation))
