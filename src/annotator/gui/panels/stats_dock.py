"""The statistics panel: counts per label and per document, top actors, actor x label.

The numbers are :func:`annotator.store.queries.analysis_queries.project_stats` (the same as
``annotator stats``); this module only shows them: a bar chart of annotations per label
(each bar in its label's colour), a bar chart of the top actors (claims made and
mentions), the actor x label matrix (for the role chosen in its tab, exported as CSV or
XLSX: gui/panels/actor_matrix.py) and the document x label counts as tables with
heat-map shading. Any chart or table can be saved as PNG or SVG.

API for the main window::

    panel = StatsPanel(parent)           # objectName "statsPanel"
    panel.set_project(project or None)   # on projectOpened / projectClosed
    panel.set_document(document_id)      # the document the window shows (None: none)
    panel.refresh_soon()                 # on annotation and structure changes (coalesced;
                                         # deferred while the panel is hidden)
    dock.visibilityChanged.connect(panel.set_shown)   # deferred behind a tab too
    panel.refresh()                      # recompute now
    panel.save_png(path) / panel.save_svg(path)   # the chart or table of the current tab

The scope selector ("Whole project" / "Current document") is the panel's own; the
window only tells it which document is current.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QMargins,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette, QPen, QShowEvent
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.analysis import Stats
from annotator.core.errors import AnnotatorError, InputError, ProjectError
from annotator.gui.editing.label_palette import SMALL_CODEBOOK
from annotator.gui.panels.actor_matrix import ActorMatrixTab
from annotator.gui.panels.counts_model import CountsModel
from annotator.gui.start.file_dialogs import save_file
from annotator.store import Project
from annotator.store.queries.analysis_queries import project_stats

ModelIndex = QModelIndex | QPersistentModelIndex
EXPORT_SIZE = QSize(900, 560)  # a chart saved while its tab is hidden
NAME_CHARS = 32  # actor names longer than this are cut on the chart's axis
TABS = ("labels", "actors", "actor-label", "documents")


def tr(text: str) -> str:
    return QCoreApplication.translate("stats", text)


def _short(name: str) -> str:
    flat = " ".join(name.split())
    return flat if len(flat) <= NAME_CHARS else flat[: NAME_CHARS - 1] + "…"


class StatsPanel(QWidget):
    """Counts per label and document, top actors and the actor x label matrix."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statsPanel")
        self.project: Project | None = None
        self.document_id: int | None = None
        self.coder: str | None = None  # count only this coder's layer (blind mode)
        self.stats: Stats | None = None
        self._dirty = False
        # False while its dock is behind another tab (set_shown, from the dock's
        # visibilityChanged): such a panel is still isVisible() but nobody sees it
        self.in_front = True
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(150)
        self._soon.timeout.connect(self._refresh_if_shown)

        self.scope = QComboBox(self)
        self.scope.setObjectName("statsScope")
        self.scope.addItem(tr("Whole project"), "project")
        self.scope.addItem(tr("Current document"), "document")
        self.top = QSpinBox(self)
        self.top.setObjectName("statsTop")
        self.top.setRange(3, 50)
        self.top.setValue(10)
        self.top.setPrefix(tr("Top "))
        self.top.setSuffix(tr(" actors"))
        self.summary = QLabel(self)
        self.summary.setObjectName("statsSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.label_chart = self._chart_view("labelChart")
        self.actor_chart = self._chart_view("actorChart")
        self.matrix_model = CountsModel(self)
        self.matrix_view = self._table_view("actorLabelTable", self.matrix_model)
        self.actor_tab = ActorMatrixTab(self.matrix_view, self.matrix_model, self)
        self.document_model = CountsModel(self)
        self.document_view = self._table_view("documentTable", self.document_model)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("statsTabs")
        self.tabs.addTab(self.label_chart, tr("Labels"))
        self.tabs.addTab(self.actor_chart, tr("Actors"))
        self.tabs.addTab(self.actor_tab, self.actor_tab.title())
        self.tabs.addTab(self.document_view, tr("Documents"))
        self.tabs.setTabToolTip(2, tr("Claims per actor and label, the actor in the role chosen"))

        self.png_button = QPushButton(tr("Save chart as &PNG…"), self)
        self.png_button.setObjectName("savePngButton")
        self.svg_button = QPushButton(tr("Save chart as &SVG…"), self)
        self.svg_button.setObjectName("saveSvgButton")

        top_row = QHBoxLayout()
        top_row.addWidget(self.scope)
        top_row.addWidget(self.top)
        top_row.addStretch(1)
        bottom_row = QHBoxLayout()
        bottom_row.addStretch(1)
        bottom_row.addWidget(self.png_button)
        bottom_row.addWidget(self.svg_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom_row)

        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        self.top.valueChanged.connect(lambda _v: self._show_actors())
        self.actor_tab.roleChanged.connect(lambda _role: self._show_matrix())
        self.png_button.clicked.connect(self._ask_png)
        self.svg_button.clicked.connect(self._ask_svg)
        self._apply_palette()
        self.refresh()

    # -- construction --------------------------------------------------------------

    def _chart_view(self, name: str) -> QChartView:
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setMargins(QMargins(6, 6, 6, 6))
        view = QChartView(chart, self)
        view.setObjectName(name)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumSize(240, 200)
        return view

    def _table_view(self, name: str, model: CountsModel) -> QTableView:
        view = QTableView(self)
        view.setObjectName(name)
        view.setModel(model)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        view.setSortingEnabled(False)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setMinimumSectionSize(72)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.setAlternatingRowColors(False)
        return view

    # -- API -----------------------------------------------------------------------

    def set_project(self, project: Project | None) -> None:
        self.project = project
        self.document_id = None
        self._refresh_when_shown()

    def _refresh_when_shown(self) -> None:
        """Count now when the panel is on screen, else when it is shown (a project of a
        million annotations must not wait for statistics nobody looks at)."""
        if self.seen():
            self.refresh()
        else:
            self._dirty = True

    def set_document(self, document_id: int | None) -> None:
        """Tell the panel which document the window shows (the "Current document" scope)."""
        if document_id == self.document_id:
            return
        self.document_id = document_id
        if self.whole_project:
            return
        self._refresh_when_shown()

    def set_whole_project(self, whole: bool) -> None:
        self.scope.setCurrentIndex(0 if whole else 1)

    @property
    def whole_project(self) -> bool:
        return bool(self.scope.currentData() == "project")

    def refresh_soon(self, *_args: object) -> None:
        """Refresh after a short pause (many changes in a row cost one refresh)."""
        self._dirty = True
        self._soon.start()

    def seen(self) -> bool:
        """On screen and, in a dock, not behind another tab."""
        return self.in_front and self.isVisible()

    def set_shown(self, shown: bool) -> None:
        """Its dock came to the front (or went behind a tab or away): numbers that
        changed meanwhile are read now."""
        self.in_front = shown
        if self._dirty and self.seen():
            self.refresh()

    def _refresh_if_shown(self) -> None:
        if self.seen():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty and self.seen():
            self.refresh()

    def refresh(self) -> None:
        """Read the numbers again and show them."""
        self._dirty = False
        project = self.project
        if project is None or project.closed:
            self.stats = None
        elif self.whole_project:
            self.stats = project_stats(project, coder=self.coder)
        elif self.document_id is None:
            self.stats = None
        else:
            try:
                self.stats = project_stats(project, self.document_id, self.coder)
            except AnnotatorError:  # the document was removed
                self.stats = None
        self._show_summary()
        self._show_labels()
        self._show_actors()
        self._show_matrix()
        self._show_documents()

    # -- showing -------------------------------------------------------------------

    def _scope_name(self) -> str:
        if self.whole_project or self.project is None or self.document_id is None:
            return tr("whole project")
        try:
            return self.project.document(self.document_id).title
        except AnnotatorError:
            return ""

    def _show_summary(self) -> None:
        s = self.stats
        if s is None:
            self.summary.setText(
                tr("No project open.") if self.project is None else tr("No document shown.")
            )
            return
        self.summary.setText(
            tr("%d annotations, %d claims, %d relations, %d actors")
            % (s.annotations, s.claims, s.relations, s.actors)
        )

    def _label_names(self) -> dict[str, tuple[str, str]]:
        """label key -> (display name, colour)."""
        if self.project is None or self.project.closed:
            return {}
        return {lab.key: (lab.name, lab.colour) for lab in self.project.labels()}

    def _show_labels(self) -> None:
        chart = self.label_chart.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        s = self.stats
        chart.setTitle(tr("Annotations per label — %s") % self._scope_name())
        if s is None:
            return
        names = self._label_names()
        keys = charted_labels(s.labels, s.per_label)
        if len(keys) < len(s.labels):
            chart.setTitle(
                chart.title() + tr(" (the %d most used of %d labels)") % (len(keys), len(s.labels))
            )
        categories = [f"{names.get(k, (k, ''))[0]} ({s.per_label[k]})" for k in keys]
        series = QStackedBarSeries()
        series.setBarWidth(0.7)
        # one set per label, with its count in its own column only: every bar its colour
        for i, key in enumerate(keys):
            bar = QBarSet(names.get(key, (key, ""))[0])
            bar.append([float(s.per_label[key]) if j == i else 0.0 for j in range(len(keys))])
            bar.setColor(QColor(names.get(key, (key, "#888888"))[1] or "#888888"))
            bar.setBorderColor(bar.color().darker(130))
            series.append(bar)
        series.setLabelsVisible(False)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append(categories)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        most = max(s.per_label.values(), default=0)
        chart.addAxis(self._count_axis(most + 1), Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(chart.axes(Qt.Orientation.Vertical)[0])
        chart.legend().setVisible(False)
        self._colour_chart(chart)

    def _count_axis(self, most: int) -> QValueAxis:
        axis = QValueAxis()
        axis.setLabelFormat("%d")
        top = max(1, most)
        step = max(1, -(-top // 5))
        axis.setRange(0, step * (-(-top // step)))
        axis.setTickType(QValueAxis.TickType.TicksDynamic)
        axis.setTickAnchor(0)
        axis.setTickInterval(step)
        axis.setMinorTickCount(0)
        return axis

    def actor_rows(self) -> list[tuple[str, int, int]]:
        """(actor, claims made, mentions) of the top actors shown in the chart, most first."""
        s = self.stats
        if s is None:
            return []
        top = s.top(self.top.value())
        made = dict(s.claims_by_actor)
        mentioned = dict(s.mentions_by_actor)
        names = list(
            dict.fromkeys(
                [a for a, _ in top.claims_by_actor] + [a for a, _ in top.mentions_by_actor]
            )
        )
        names.sort(key=lambda a: (-made.get(a, 0), -mentioned.get(a, 0), a))
        return [(a, made.get(a, 0), mentioned.get(a, 0)) for a in names[: self.top.value()]]

    def _show_actors(self) -> None:
        chart = self.actor_chart.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        chart.setTitle(tr("Top actors — %s") % self._scope_name())
        rows = self.actor_rows()
        if not rows:
            return
        names = self._label_names()
        claims = QBarSet(tr("Claims made"))
        mentions = QBarSet(tr("Mentions"))
        claims.setColor(QColor(names.get("claim", ("", "#0072b2"))[1]))
        mentions.setColor(QColor(names.get("actor", ("", "#009e73"))[1]))
        categories: list[str] = []
        for name, made, mentioned in reversed(rows):  # the first actor at the top
            label = _short(name)
            while label in categories:  # category names must differ
                label += " "
            categories.append(label)
            claims.append(float(made))
            mentions.append(float(mentioned))
        series = QHorizontalBarSeries()
        series.append(mentions)  # the last set is drawn on top in each group
        series.append(claims)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsPrecision(6)
        chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append(categories)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        most = max(max(m, n) for _, m, n in rows)
        axis_x = self._count_axis(most + max(1, most // 8))  # room for the value labels
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        chart.legend().setVisible(True)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self._colour_chart(chart)

    def _show_matrix(self) -> None:
        """The actor x label tab, counted for the role it shows (its own query)."""
        names = {key: name for key, (name, _colour) in self._label_names().items()}
        document = None if self.whole_project else self.document_id
        shown = self.project if self.stats is not None else None
        self.actor_tab.show_counts(shown, document, self.coder, names)
        self.tabs.setTabText(TABS.index("actor-label"), self.actor_tab.title())

    def _show_documents(self) -> None:
        s = self.stats
        if s is None:
            self.document_model.set_counts([], [], [])
            return
        names = self._label_names()
        # a large codebook: a column for each label in use (not 20,000 columns of zeros)
        big = len(s.labels) > SMALL_CODEBOOK
        keys = [k for k in s.labels if s.per_label.get(k) or not big]
        columns = [names.get(k, (k, ""))[0] for k in keys] + [tr("Total")]
        titles = dict(s.documents)
        rows, values = [], []
        for doc_id, counts in s.per_document.items():
            rows.append(titles.get(doc_id, str(doc_id)))
            values.append([counts.get(k, 0) for k in keys] + [sum(counts.values())])
        self.document_model.set_counts(rows, columns, values, [*keys, tr("Total")], total=True)

    # -- palette -------------------------------------------------------------------

    def _colour_chart(self, chart: QChart) -> None:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        grid = palette.color(QPalette.ColorRole.Mid)
        chart.setBackgroundBrush(QBrush(palette.color(QPalette.ColorRole.Base)))
        chart.setBackgroundPen(QPen(grid))
        chart.setTitleBrush(QBrush(text))
        chart.legend().setLabelColor(text)
        for axis in chart.axes():
            axis.setLabelsColor(text)
            axis.setLinePenColor(grid)
            axis.setGridLineColor(grid)
            axis.setTitleBrush(QBrush(text))
        for series in chart.series():
            for bar in series.barSets():  # type: ignore[attr-defined]
                bar.setLabelColor(text)

    def _apply_palette(self) -> None:
        for view in (self.label_chart, self.actor_chart):
            view.setBackgroundBrush(self.palette().brush(QPalette.ColorRole.Window))
            self._colour_chart(view.chart())
        self.matrix_model.set_palette(self.palette())
        self.document_model.set_palette(self.palette())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._apply_palette()

    # -- saving --------------------------------------------------------------------

    def _target(self, which: str | None) -> QWidget:
        if which is not None and which not in TABS:
            raise InputError(f"there is no chart '{which}' (charts: {', '.join(TABS)})")
        index = self.tabs.currentIndex() if which is None else TABS.index(which)
        widget = self.tabs.widget(max(0, index))
        assert widget is not None
        return widget

    def _sized(self, widget: QWidget) -> QSize:
        if not widget.isVisible() or widget.width() < 200 or widget.height() < 150:
            widget.resize(EXPORT_SIZE)
        return widget.size()

    def save_png(self, path: Path | str, which: str | None = None) -> Path:
        """Save the chart (or table) of the current tab, or of *which* (``labels``,
        ``actors``, ``actor-label``, ``documents``), as a PNG image."""
        path = Path(path)
        widget = self._target(which)
        self._sized(widget)
        if not widget.grab().save(str(path), "PNG"):
            raise ProjectError(f"cannot write {path}")
        return path

    def save_svg(self, path: Path | str, which: str | None = None) -> Path:
        """Save the chart (or table) of the current tab, or of *which*, as SVG."""
        path = Path(path)
        widget = self._target(which)
        size = self._sized(widget)
        try:
            with open(path, "wb"):
                pass  # the system's reason for a folder we cannot write to
        except OSError as exc:
            raise ProjectError(f"cannot write {path}: {exc.strerror}") from None
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(size)
        generator.setViewBox(QRect(0, 0, size.width(), size.height()))
        generator.setTitle(self.tabs.tabText(self.tabs.indexOf(widget)))
        generator.setDescription(tr("Made with Annotator"))
        painter = QPainter(generator)
        try:
            # QWidget's own render (not QGraphicsView's): it lays out a hidden widget first
            QWidget.render(widget, painter, QPoint(0, 0))
        finally:
            painter.end()
        return path

    def _ask(self, caption: str, suffix: str, pattern: str) -> Path | None:
        name = TABS[max(0, self.tabs.currentIndex())]
        return save_file(self, caption, name, pattern, suffix)

    def _ask_png(self) -> None:
        path = self._ask(tr("Save chart as PNG"), ".png", tr("PNG image (*.png)"))
        if path is not None:
            try:
                self.save_png(path)
            except AnnotatorError as exc:
                QMessageBox.warning(self, tr("Save chart"), str(exc))

    def _ask_svg(self) -> None:
        path = self._ask(tr("Save chart as SVG"), ".svg", tr("SVG image (*.svg)"))
        if path is not None:
            try:
                self.save_svg(path)
            except AnnotatorError as exc:
                QMessageBox.warning(self, tr("Save chart"), str(exc))


def charted_labels(labels: tuple[str, ...], counts: dict[str, int]) -> list[str]:
    """The labels that get a bar: every label of a small codebook; of a large one the
    most used (at most SMALL_CODEBOOK), in codebook order. A bar set per label would
    otherwise cost 20,000 x 20,000 values."""
    if len(labels) <= SMALL_CODEBOOK:
        return list(labels)
    used = sorted((k for k in labels if counts.get(k)), key=lambda k: -counts[k])
    chosen = set(used[:SMALL_CODEBOOK])
    return [k for k in labels if k in chosen]
