"""A :class:`~annotator.core.cooccurrence.Matrix` as a table model (cells shaded by count)."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from annotator.core.cooccurrence import Matrix

ModelIndex = QModelIndex | QPersistentModelIndex
HEAT = QColor(66, 133, 244)  # blue, shaded by the cell's share of the largest count


def tr(text: str) -> str:
    return QCoreApplication.translate("analysis", text)


class MatrixModel(QAbstractTableModel):
    CountRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self) -> None:
        super().__init__()
        self.matrix = Matrix((), ())
        self.names: dict[str, str] = {}
        self.unit = tr("annotations")
        self._most = 1

    def set_matrix(self, matrix: Matrix, names: dict[str, str], unit: str) -> None:
        self.beginResetModel()
        self.matrix, self.names, self.unit = matrix, names, unit
        self._most = max(matrix.counts.values(), default=0) or 1
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.matrix.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.matrix.columns)

    def cell(self, index: ModelIndex) -> tuple[str, str]:
        return self.matrix.rows[index.row()], self.matrix.columns[index.column()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        keys = self.matrix.columns if orientation == Qt.Orientation.Horizontal else self.matrix.rows
        if not 0 <= section < len(keys):
            return None
        return self.names.get(keys[section], keys[section])

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = self.cell(index)
        n = self.matrix.count(row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return str(n)
        if role == self.CountRole:
            return n
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and n:
            colour = QColor(HEAT)
            colour.setAlphaF(0.12 + 0.6 * n / self._most)
            return QBrush(colour)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tr("%s × %s: %d %s (Enter or double-click: the segments)") % (
                self.names.get(row, row),
                self.names.get(column, column),
                n,
                self.unit,
            )
        return None
