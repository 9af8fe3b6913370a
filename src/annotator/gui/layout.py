"""The window's layout on the screen it is on: the first size, the docks' share of it,
View > Reset layout and the focus (reading) mode.

Rules (issue 13): the window never grows past the screen's available area; no dock's
minimum size may push it there (every dock's content scrolls inside its dock, see
:func:`scrollable`); the text pane keeps room for :data:`MIN_CHARS` characters a line, so
floating and re-docking a dock never squeezes the text into a narrow column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QObject, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QFrame, QMainWindow, QScrollArea, QTabBar, QWidget

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

MIN_CHARS = 70  # the text pane keeps room for this many characters a line ...
MAX_TEXT_SHARE = 0.6  # ... but never more than this share of the screen's width
FIRST_SHARE = 0.92  # the first window takes this share of the available area
SMALL_WIDTH = 1300  # below this width the right-hand docks share one column of tabs
SMALL_HEIGHT = 800


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def scrollable(widget: QWidget) -> QScrollArea:
    """*widget* inside a frameless scroll area: the dock around it can be as small as
    the screen needs (its content scrolls) and does not change size with the content,
    so a panel whose rows change (the Annotation panel, per label) never re-lays out
    the window or pushes it past the screen."""
    area = QScrollArea()
    area.setObjectName(f"{widget.objectName() or 'panel'}Scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    area.setMinimumSize(80, 60)
    return area


def available(window: QWidget) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def hide_stale_tab_bars(window: QMainWindow) -> None:
    """Hide the tab bars Qt leaves behind (Qt 6.11: every tabified group after the
    first, and every ``restoreState``, leaves a copy of a group's tab bar shown where
    it was first laid out, painted over the docks). The live bars move with the window;
    the stale ones keep their place: resize once, hide those that did not move."""
    layout = window.layout()
    bars = [
        b for b in window.findChildren(QTabBar) if b.parent() is window and b.isVisibleTo(window)
    ]
    if len(bars) < 2 or layout is None:
        return
    layout.activate()
    before = {b: b.geometry() for b in bars}
    size = window.size()
    window.resize(size.width() + 41, size.height() + 37)
    layout.activate()
    for bar in bars:
        if bar.geometry() == before[bar]:
            bar.hide()
    window.resize(size)
    layout.activate()


class WindowLayout(QObject):
    """Made once the docks exist (before any saved state is restored)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.default_state = window.saveState()
        self.focus_mode = False
        self._before_focus: QByteArray | None = None
        for dock in window.docks.values():
            dock.topLevelChanged.connect(self._floated)
        window.installEventFilter(self)
        self.keep_text_width()

    # -- sizes -------------------------------------------------------------------------

    def text_min_width(self) -> int:
        """Room for MIN_CHARS characters of the view's font and the marks' margins
        beside them (the label tags, gui/marks), capped by the screen."""
        view = self.window.view
        chars = view.fontMetrics().averageCharWidth() * MIN_CHARS
        chrome = view.verticalScrollBar().sizeHint().width() + 2 * view.frameWidth() + 12
        wanted = chars + chrome
        marks = getattr(self.window, "marks", None)
        if marks is not None:
            wanted = max(wanted, marks.view_width_for_tags())
        return min(wanted, int(available(self.window).width() * MAX_TEXT_SHARE))

    def keep_text_width(self) -> None:
        """Set the text pane's minimum width (again after the font changed)."""
        central = self.window.centralWidget()
        if central is not None:
            central.setMinimumWidth(self.text_min_width())

    def restore(self, geometry: QByteArray | None, state: QByteArray | None) -> None:
        """The saved geometry and docks, or the first layout for this screen."""
        self.keep_text_width()  # with the marks' margins (installed after this was made)
        if geometry is None or not self.window.restoreGeometry(geometry):
            self.first_size()
        if state is None or not self.window.restoreState(state):
            self.arrange()
        hide_stale_tab_bars(self.window)
        self.keep_on_screen()

    def first_size(self) -> None:
        """A window of FIRST_SHARE of the screen's available area, centred on it."""
        area = available(self.window)
        width = min(1800, int(area.width() * FIRST_SHARE))
        height = min(1150, int(area.height() * FIRST_SHARE))
        self.window.resize(width, height)
        self.window.move(
            area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2
        )

    def arrange(self) -> None:
        """The docks' share of the window; on a small screen the Annotation panel joins
        the tabs of the right-hand column, so the text keeps its width."""
        w = self.window
        area = available(w)
        docks = w.docks
        if area.width() < SMALL_WIDTH or area.height() < SMALL_HEIGHT:
            w.tabifyDockWidget(docks["relations"], docks["annotation"])
            docks["annotation"].raise_()
        width = min(w.width(), area.width())
        height = min(w.height(), area.height())
        left = [d for d in (docks["documents"], docks["labels"]) if not d.isFloating()]
        right = [docks["annotation"]]
        w.resizeDocks(left, [max(150, int(width * 0.17))] * len(left), Qt.Orientation.Horizontal)
        w.resizeDocks(right, [max(220, int(width * 0.24))], Qt.Orientation.Horizontal)
        w.resizeDocks(
            [docks["annotations"]], [max(120, int(height * 0.24))], Qt.Orientation.Vertical
        )

    def keep_on_screen(self) -> None:
        """Pull the window back inside the screen's available area if it got past it."""
        w = self.window
        if w.isMaximized() or w.isFullScreen():
            return
        area = available(w)
        frame = w.frameGeometry()
        extra_w = frame.width() - w.width()
        extra_h = frame.height() - w.height()
        width = min(w.width(), area.width() - extra_w)
        height = min(w.height(), area.height() - extra_h)
        if (width, height) != (w.width(), w.height()):
            w.resize(width, height)
        frame = w.frameGeometry()
        x = min(max(frame.x(), area.x()), area.right() + 1 - frame.width())
        y = min(max(frame.y(), area.y()), area.bottom() + 1 - frame.height())
        if (x, y) != (frame.x(), frame.y()):
            w.move(x, y)

    def _floated(self, _floating: bool) -> None:
        self.keep_on_screen()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Show:
            self.keep_text_width()  # the view's scroll bar and frame are styled by now
        if watched is self.window and event.type() == QEvent.Type.LayoutRequest:
            self.keep_on_screen()
        return False

    # -- actions -----------------------------------------------------------------------

    def reset(self) -> None:
        """View > Reset layout: every dock back where it starts, sized for this screen."""
        self.focus_mode = False
        self._before_focus = None
        for dock in self.window.docks.values():
            dock.setFloating(False)
        self.window.restoreState(self.default_state)
        self.arrange()
        hide_stale_tab_bars(self.window)
        self.keep_on_screen()
        self._sync_focus_action()
        self.window.show_status(tr("Layout reset"))

    def toggle_focus_mode(self) -> None:
        """F11 / Ctrl+Shift+Enter: hide every dock to read; again: bring them back."""
        w = self.window
        if not self.focus_mode:
            self._before_focus = w.saveState()
            for dock in w.docks.values():
                dock.hide()
            self.focus_mode = True
            w.view.setFocus()
            w.show_status(tr("Focus mode: F11 or Ctrl+Shift+Enter brings the panels back"))
        else:
            self.focus_mode = False
            if self._before_focus is not None:
                w.restoreState(self._before_focus)
                hide_stale_tab_bars(w)
            self._before_focus = None
            self.keep_on_screen()
        self._sync_focus_action()

    def state(self) -> QByteArray:
        """The docks to save on closing (as they were before the focus mode)."""
        return (
            self._before_focus
            if self.focus_mode and self._before_focus
            else self.window.saveState()
        )

    def _sync_focus_action(self) -> None:
        action = getattr(self.window, "focus_mode_action", None)
        if action is not None:
            action.blockSignals(True)
            action.setChecked(self.focus_mode)
            action.blockSignals(False)

    def visible_docks(self) -> list[QDockWidget]:
        return [d for d in self.window.docks.values() if d.isVisible()]


def front_when_behind(dock: QDockWidget) -> None:
    """The dock's View entry (its keys) brings it to the front when it is open but
    behind another tab, and hides it only when it is in front ("show me the code
    system" must not close a panel the user cannot see); shown again, it comes to
    the front of its tabs.

    Whether the dock is in front is kept from ``visibilityChanged`` (a tabbed dock
    behind another is still ``isVisible()``), except the change of its own hiding, so
    that the entry's ``triggered`` (which comes after Qt has hidden it) knows where
    it was."""
    front = {"in": True}

    def seen(visible: bool) -> None:
        if not dock.isHidden():
            front["in"] = visible

    def triggered(checked: bool) -> None:
        if not checked and not front["in"]:  # it was behind a tab: show it instead
            dock.show()
        if not dock.isHidden():
            dock.raise_()  # shown again: in front of its tabs

    dock.visibilityChanged.connect(seen)
    dock.toggleViewAction().triggered.connect(triggered)
