"""The table model behind the statistics dock's matrices (actor x label, document x
label), shaded like a heat map in the widget's palette."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import QWidget

ModelIndex = QModelIndex | QPersistentModelIndex


def _ink_on(colour: QColor) -> QColor:
    """Black or white, whichever reads better on *colour*."""
    r, g, b = colour.redF(), colour.greenF(), colour.blueF()
    return QColor("#000000") if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else QColor("#ffffff")


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


class CountsModel(QAbstractTableModel):
    """A read-only table of counts with named rows and columns, shaded as a heat map
    from the palette's base colour (0) to its highlight colour (the largest count).
    A last "total" column, when there is one, is bold and left out of the shading."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[str] = []
        self._columns: list[str] = []
        self._tips: list[str] = []
        self._values: list[list[int]] = []
        self._max = 0
        self._total = False
        self._base = QColor("#ffffff")
        self._hot = QColor("#308cc6")

    def set_counts(
        self,
        rows: list[str],
        columns: list[str],
        values: list[list[int]],
        column_tips: list[str] | None = None,
        *,
        total: bool = False,
    ) -> None:
        self.beginResetModel()
        self._rows, self._columns, self._values = list(rows), list(columns), values
        self._tips = list(column_tips or columns)
        self._total = total
        shaded = [row[:-1] if total else row for row in values]
        self._max = max((v for row in shaded for v in row), default=0)
        self.endResetModel()

    def set_palette(self, palette: QPalette) -> None:
        self._base = palette.color(QPalette.ColorRole.Base)
        self._hot = palette.color(QPalette.ColorRole.Highlight)
        if self._rows and self._columns:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, len(self._columns) - 1),
                [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole],
            )

    def value(self, row: int, column: int) -> int:
        return self._values[row][column]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def _shade(self, value: int, column: int) -> QColor:
        if self._total and column == len(self._columns) - 1:
            return self._base
        t = 0.85 * value / self._max if self._max else 0.0
        return _mix(self._base, self._hot, t)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= column < len(self._columns)):
            return None
        value = self._values[row][column]
        if role == Qt.ItemDataRole.DisplayRole:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(self._shade(value, column))
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(_ink_on(self._shade(value, column)))
        if role == Qt.ItemDataRole.FontRole and self._total and column == len(self._columns) - 1:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{self._rows[row]} × {self._tips[column]}: {value}"
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        names = self._columns if orientation == Qt.Orientation.Horizontal else self._rows
        if not 0 <= section < len(names):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return names[section]
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return self._tips[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
