"""The actors of the project with their mentions; merging two actors is one undo step."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.editing.structure_commands import MergeActors, SetActorType
from annotator.gui.panels.relations_model import excerpt
from annotator.gui.session import Session
from annotator.store import Actor, Project
from annotator.store.structure import ACTOR_TYPES

ModelIndex = QModelIndex | QPersistentModelIndex
NO_PARENT = 0xFFFFFFFF  # internal id of top-level (actor) rows


def tr(text: str) -> str:
    return QCoreApplication.translate("ActorsPanel", text)


class ActorTreeModel(QAbstractItemModel):
    """Actors at the top level, their mentions (document: text) below."""

    AnnotationRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self) -> None:
        super().__init__()
        self.actors: list[Actor] = []
        self.mentions: list[list[tuple[int, str]]] = []  # per actor: (annotation id, shown text)
        self._headers = (tr("Actor / mention"), tr("Type / document"), tr("Mentions"))

    def reload(self, project: Project | None) -> None:
        self.beginResetModel()
        self.actors, self.mentions = [], []
        if project is not None and not project.closed:
            titles = {d.id: d.title for d in project.documents()}
            for actor in project.actors():
                rows = []
                for annotation_id in project.mentions(actor.id):
                    a = project.annotation(annotation_id)
                    rows.append((a.id, f"{excerpt(a.text)}\t{titles.get(a.document_id, '')}"))
                self.actors.append(actor)
                self.mentions.append(rows)
        self.endResetModel()

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, NO_PARENT)
        return self.createIndex(row, column, parent.row())

    def parent(self, child: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == NO_PARENT:
            return QModelIndex()
        return self.createIndex(int(child.internalId()), 0, NO_PARENT)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self.actors)
        if parent.internalId() == NO_PARENT and parent.column() == 0:
            return len(self.mentions[parent.row()])
        return 0

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < 3
        ):
            return self._headers[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if index.internalId() == NO_PARENT:
            actor = self.actors[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return (actor.name, tr(actor.type), len(self.mentions[index.row()]))[index.column()]
            return None
        annotation_id, shown = self.mentions[int(index.internalId())][index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            text, title = shown.split("\t", 1)
            return (text, title, None)[index.column()]
        if role == self.AnnotationRole:
            return annotation_id
        return None

    def actor_at(self, index: QModelIndex) -> Actor | None:
        if not index.isValid():
            return None
        row = index.row() if index.internalId() == NO_PARENT else int(index.internalId())
        return self.actors[row] if 0 <= row < len(self.actors) else None


class ActorsPanel(QWidget):
    mentionActivated = Signal(int)  # annotation id

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actorsPanel")
        self.session = session
        self.model = ActorTreeModel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.tree = QTreeView(self)
        self.tree.setObjectName("actorTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        layout.addWidget(self.tree, 1)
        row = QHBoxLayout()
        self.merge_button = QPushButton(tr("Merge into…"), self)
        self.merge_button.setToolTip(
            tr("Merge the selected actor into another: all its mentions move")
        )
        row.addWidget(self.merge_button)
        self.type_button = QPushButton(tr("Change type…"), self)
        self.type_button.setObjectName("actorTypeButton")
        self.type_button.setToolTip(tr("Change the selected actor's type (for all its mentions)"))
        row.addWidget(self.type_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.merge_button.clicked.connect(self.merge_dialog)
        self.type_button.clicked.connect(self.type_dialog)
        self.tree.activated.connect(self._activated)
        session.structureChanged.connect(self.reload)
        session.projectOpened.connect(self.reload)
        session.projectClosed.connect(self.reload)
        # deleting or restoring annotations with actor links emits structureChanged too

    def reload(self, *_args: object) -> None:
        expanded = {
            self.model.actors[r].id
            for r in range(self.model.rowCount())
            if self.tree.isExpanded(self.model.index(r, 0))
        }
        self.model.reload(self.session.project)
        for r, actor in enumerate(self.model.actors):
            if actor.id in expanded:
                self.tree.expand(self.model.index(r, 0))

    def _activated(self, index: QModelIndex) -> None:
        annotation_id = index.data(ActorTreeModel.AnnotationRole)
        if annotation_id is not None:
            self.mentionActivated.emit(int(annotation_id))

    def merge_dialog(self) -> None:
        gone = self.model.actor_at(self.tree.currentIndex())
        if gone is None:
            return
        others = [a for a in self.model.actors if a.id != gone.id]
        if not others:
            return
        names = [a.name for a in others]
        name, ok = QInputDialog.getItem(
            self, tr("Merge actors"), tr("Merge “%s” into:") % gone.name, names, 0, False
        )
        if ok:
            self.merge(others[names.index(name)], gone)

    def type_dialog(self) -> None:
        actor = self.model.actor_at(self.tree.currentIndex())
        if actor is None:
            return
        names = [tr(kind) for kind in ACTOR_TYPES]
        at = ACTOR_TYPES.index(actor.type) if actor.type in ACTOR_TYPES else 0
        name, ok = QInputDialog.getItem(
            self, tr("Actor type"), tr("Type of “%s”:") % actor.name, names, at, False
        )
        if ok and ACTOR_TYPES[names.index(name)] != actor.type:
            self.session.run(SetActorType(self.session, actor, ACTOR_TYPES[names.index(name)]))

    def merge(self, keep: Actor, gone: Actor) -> bool:
        return self.session.run(MergeActors(self.session, keep, gone))
