"""The relations of a document (or of one annotation), as a table model."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QHeaderView, QTableView

from annotator.store import Project, Relation

ModelIndex = QModelIndex | QPersistentModelIndex


def tr(text: str) -> str:
    return QCoreApplication.translate("RelationsModel", text)


def excerpt(text: str, limit: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class RelationTableModel(QAbstractTableModel):
    """Columns: from (label: text), relation type, to (label: text)."""

    RelationRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[tuple[Relation, str, str]] = []
        self._headers = (tr("From"), tr("Link"), tr("To"))

    def reload(
        self,
        project: Project | None,
        document_id: int | None,
        annotation_id: int | None = None,
        relations: list[Relation] | None = None,
    ) -> None:
        """Rows for a document's relations (or one annotation's); *relations* when the
        caller has them already."""
        if (
            relations is None
            and annotation_id is not None
            and project is not None
            and not project.closed
        ):
            relations = project.relations_of(annotation_id)
        if not relations and not self._rows:
            return  # empty before and after: no reset, no repaint
        self.beginResetModel()
        self._rows = []
        if project is not None and not project.closed and document_id is not None:
            names = {label.key: label.name for label in project.labels()}
            if relations is None:
                relations = (
                    project.relations(document_id)
                    if annotation_id is None
                    else project.relations_of(annotation_id)
                )
            for relation in relations:
                a, b = project.annotation(relation.from_id), project.annotation(relation.to_id)
                self._rows.append(
                    (
                        relation,
                        f"{names.get(a.label, a.label)}: {excerpt(a.text)}",
                        f"{names.get(b.label, b.label)}: {excerpt(b.text)}",
                    )
                )
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

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
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        relation, source, target = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (source, f"—{relation.type}→", target)[index.column()]
        if role == self.RelationRole:
            return relation
        return None

    def relation_at(self, row: int) -> Relation | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None


def stretch_link_columns(view: QTableView) -> None:
    """From and To share the width; the link type takes what it needs."""
    header = view.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
