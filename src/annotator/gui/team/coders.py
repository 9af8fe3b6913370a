"""Coders in the window: who is coding (status bar, Team > Coder…), whose layers the
view and the table show (Team > Show other coders' layers, the Coders panel) and
blind mode (Team > Blind mode).

Each coder's annotations form a layer. The view holds the current coder's layer as
before and the other shown coders' layers apart (drawn as underlines in the coder's
colour); both are read filtered by coder in SQL (store/queries/layer_queries.py), so the paint
path never looks at a coder, and a project of one coder reads what it always read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (
    QDockWidget,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from annotator.core.errors import AnnotatorError
from annotator.core.spans import Span, SpanIndex
from annotator.gui.layout import front_when_behind
from annotator.gui.team.coder_dialog import CoderDialog, CoderQuestion
from annotator.gui.team.menu import team_action
from annotator.store import Annotation
from annotator.store.queries.layer_queries import coder_names, layer_columns

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

# Coders' colours: none of the default labels' (Okabe-Ito blue, orange, green, pink), each
# with a line style of its own too (document_view.UNDERLINES), for colour-blind readers
CODER_COLOURS = ("#D55E00", "#000000", "#56B4E9", "#6A3D9A", "#8C510A", "#B2182B")


def tr(text: str) -> str:
    return QCoreApplication.translate("Coders", text)


class CoderLayers(QObject):
    """The window's coders part (``window.coders``); wired by one line in the window."""

    changed = Signal()  # the layers to show changed: read the view, table and counts again
    merged = Signal()  # a merge (or its undo) changed documents, coders and perhaps labels

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.names: list[str] = []  # every coder with annotations, and the current one
        self.hidden: set[str] = set()  # other coders unticked in the Coders panel
        menu = window.team_menu
        self.coder_action = team_action(window, menu, tr("&Coder…"), self.choose, "Ctrl+Shift+K")
        self.others_action = team_action(
            window,
            menu,
            tr("Show &other coders' layers"),
            self._others_toggled,
            "Ctrl+Shift+O",
            checkable=True,
        )
        self.others_action.setChecked(True)
        self.blind_action = team_action(
            window, menu, tr("&Blind mode"), self._blind_toggled, "Ctrl+Shift+B", checkable=True
        )
        self.control = QListWidget(window)
        self.control.setObjectName("codersControl")
        self.control.setAccessibleName(tr("Coders' layers shown"))
        self.control.itemChanged.connect(self._item_changed)
        self.dock = QDockWidget(tr("Coders"), window)
        self.dock.setObjectName("codersDock")
        self.dock.setWidget(self.control)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        self.dock.hide()
        front_when_behind(self.dock)  # if the user tabs it behind another dock
        panel = self.dock.toggleViewAction()
        panel.setText(tr("Coders &panel"))
        panel.setShortcut("Ctrl+Shift+J")
        menu.addAction(panel)
        window.addAction(panel)
        menu.addSeparator()
        self.label = QPushButton(window)
        self.label.setObjectName("coderLabel")
        self.label.setFlat(True)
        self.label.setToolTip(tr("Who is coding (Team > Coder…, Ctrl+Shift+K)"))
        self.label.clicked.connect(self.choose)
        window.statusBar().addPermanentWidget(self.label)
        self.question = CoderQuestion(self._answer, window)
        central = window.centralWidget()
        column = central.layout() if central is not None else None  # find bar and view
        assert isinstance(column, QVBoxLayout)
        column.insertWidget(0, self.question)
        window.session.projectOpened.connect(self._opened)
        window.session.projectClosed.connect(self._closed)
        self.changed.connect(self.reload)
        self.merged.connect(self._merged)
        self._show_state()

    # -- what is shown ---------------------------------------------------------------

    @property
    def current(self) -> str:
        project = self.window.session.project
        return project.coders.current() if project is not None else ""

    @property
    def blind(self) -> bool:
        project = self.window.session.project
        return project is not None and project.coders.blind

    def shown_others(self) -> list[str]:
        """Other coders whose layers are shown (none in blind mode)."""
        if self.blind or not self.others_action.isChecked():
            return []
        current = self.current
        return [n for n in self.names if n != current and n not in self.hidden]

    def shows(self, coder: str) -> bool:
        return coder == self.current or coder in self.shown_others()

    def table_coders(self) -> tuple[str, ...] | None:
        """The coders the table and counts show; None when that is everybody (no filter)."""
        shown = (self.current, *self.shown_others())
        return None if set(self.names) <= set(shown) else shown

    def layers_of(
        self, document_id: int, *, before: int | None = None
    ) -> tuple[SpanIndex, dict[str, SpanIndex]]:
        """The current coder's spans and the other shown layers of a document."""
        project = self.window.session.require()
        current = self.current
        if set(self.names) <= {current}:  # one coder: exactly what the view read before
            own = project.span_columns(document_id, before=before)
        else:
            own = layer_columns(project, document_id, [current], before=before)
        layers = {
            coder: SpanIndex.from_columns(
                *layer_columns(project, document_id, [coder], before=before)
            )
            for coder in self.shown_others()
        }
        return SpanIndex.from_columns(*own), layers

    def looks(self) -> list[tuple[str, str, int]]:
        """(coder, colour, line style number) of every coder, by name."""
        return [
            (name, CODER_COLOURS[i % len(CODER_COLOURS)], i) for i, name in enumerate(self.names)
        ]

    # -- changes of annotations ------------------------------------------------------

    def show_added(self, made: Sequence[Annotation]) -> list[Span]:
        """Put new annotations of this document into their shown layers; return the
        current coder's (those the window selects)."""
        for a in made:
            if a.annotator not in self.names:
                self._learn(a.annotator)
        w, current, own = self.window, self.current, []
        shown = {current, *self.shown_others()}  # read once: each reads the project's settings
        for a in made:
            if a.document_id != w.document_id or a.annotator not in shown:
                continue
            span = Span(a.id, a.start, a.end, w.label_ids[a.label])
            if a.annotator == current:
                own.append(span)
            else:
                w.view.add_spans([span], a.annotator)
        w.view.add_spans(own)
        return own

    def show_changed(self, new: Annotation) -> None:
        w = self.window
        if new.document_id == w.document_id and self.shows(new.annotator):
            w.view.replace_span(
                Span(new.id, new.start, new.end, w.label_ids[new.label]), new.annotator
            )

    def _learn(self, name: str) -> None:
        self.names = sorted({*self.names, name}, key=lambda n: (n.casefold(), n))
        if self.shows(name) and name != self.current:
            self.window.view.layers.setdefault(name, SpanIndex())
        self.window.view.set_layer_looks(self.looks())
        self._show_state()

    # -- actions ---------------------------------------------------------------------

    def choose(self) -> None:
        """Team > Coder…: switch to an existing coder or a new one."""
        project = self.window.session.project
        if project is None:
            self.window.show_status(tr("Open a project first"))
            return
        name, ok = CoderDialog.get_coder(self.names, self.current, self.window)
        if ok:
            self._answer(name)

    def _answer(self, name: str) -> bool:
        """Make *name* the current coder of the project (remembered in the file)."""
        project = self.window.session.project
        if project is None:
            return False
        try:
            project.coders.set_current(name)
        except AnnotatorError as exc:
            self.window.show_error(str(exc))
            return False
        self.question.hide()
        self.names = coder_names(project)
        self.window.show_status(tr("Coding as %s") % project.coders.current())
        self.changed.emit()
        return True

    def _others_toggled(self) -> None:
        self.changed.emit()

    def _blind_toggled(self) -> None:
        project = self.window.session.project
        on = self.blind_action.isChecked()
        if project is None:
            self.blind_action.setChecked(False)
            return
        try:
            project.coders.set_blind(on)
        except AnnotatorError as exc:
            self.blind_action.setChecked(project.coders.blind)
            self.window.show_error(str(exc))
            return
        self.window.show_status(
            tr("Blind mode: only your layer is shown and counted")
            if on
            else tr("Blind mode is off")
        )
        self.changed.emit()

    def _item_changed(self, item: QListWidgetItem) -> None:
        name = item.data(Qt.ItemDataRole.UserRole)
        if name is None or name == self.current:
            return
        ticked = item.checkState() == Qt.CheckState.Checked
        if ticked == (name not in self.hidden):
            return
        (self.hidden.discard if ticked else self.hidden.add)(name)
        self.changed.emit()

    # -- the project -----------------------------------------------------------------

    def _opened(self) -> None:
        """Before the window shows the first document: the coders and what to show."""
        project = self.window.session.require()
        self.names = coder_names(project)
        self.hidden = set()
        self._apply_filters()
        if project.coders.chosen() is None and not project.read_only:
            self.question.ask(self.names, project.coders.current())
        else:
            self.question.hide()
        self._show_state()

    def _closed(self) -> None:
        self.names, self.hidden = [], set()
        self.question.hide()
        self.window.view.layers = {}
        self._show_state()

    def _apply_filters(self) -> None:
        w = self.window
        w.view.coder = self.current
        w.view.set_layer_looks(self.looks())
        coders = self.table_coders()
        w.table_panel.coders = coders
        w.documents.coders = None if coders is None else list(coders)
        w.stats_panel.coder = self.current if self.blind else None

    def _merged(self) -> None:
        w = self.window
        project = w.session.project
        if project is None:
            return
        project.forget_cached()
        self.names = coder_names(project)
        w.codebook_changed()
        if w.document_id is not None and w.document_id not in {d.id for d in project.documents()}:
            w.document_id = None  # a document the merge had added, now taken back
            w.view.clear_document()
        self.reload()
        if w.document_id is None and w.documents.rowCount():
            w.show_document(w.documents.document_at(0).id)  # type: ignore[union-attr]

    def reload(self) -> None:
        """Read what is shown again (after a switch of coder, layers or blind mode)."""
        w = self.window
        project = w.session.project
        self._show_state()
        if project is None:
            return
        self._apply_filters()
        w.documents.reload(project)
        if w.document_id is not None:
            bar = w.view.verticalScrollBar()
            scrolled = bar.value()
            w.show_document(w.document_id)  # its spans, its table rows
            bar.setValue(scrolled)  # the same place of the text
        else:
            w.table_panel.apply_filter()
        w.stats_panel.refresh_soon()

    def _show_state(self) -> None:
        project = self.window.session.project
        blind = self.blind
        if project is None:
            self.label.setText(tr("No coder"))
        else:
            chosen = project.coders.chosen() is not None
            self.label.setText(
                (tr("Coder: %s") if chosen else tr("Coder: %s (not chosen)")) % self.current
                + (tr(" · blind") if blind else "")
            )
        for action in (self.coder_action, self.blind_action):
            action.setEnabled(project is not None)
        self.blind_action.setChecked(blind)
        self.others_action.setEnabled(project is not None and not blind)
        self.control.setEnabled(project is not None and not blind)
        self.control.blockSignals(True)
        self.control.clear()
        current = self.current
        for name, colour, _ in self.looks():
            item = QListWidgetItem(tr("%s (you)") % name if name == current else name)
            item.setData(Qt.ItemDataRole.UserRole, name)
            swatch = QPixmap(12, 12)
            swatch.fill(QColor(colour))
            item.setIcon(swatch)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if name != current:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            item.setFlags(flags)
            shown = name == current or (name not in self.hidden and not blind)
            item.setCheckState(Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)
            self.control.addItem(item)
        self.control.blockSignals(False)
