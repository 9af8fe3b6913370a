"""The start page, shown over the text while no project is open: the recent projects
with their counts (a missing file says so), New, Open and Open the sample.

Keys: Up/Down and Enter in the list open a recent project; Ctrl+N, Ctrl+O as always;
the buttons take the focus with Tab.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.gui.start.new_project import new_project
from annotator.gui.start.recent import RecentProject, describe
from annotator.gui.wording import plural

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

PathRole = Qt.ItemDataRole.UserRole + 1
RECENT_SHOWN = 10


def tr(text: str) -> str:
    return QCoreApplication.translate("start", text)


def recent_line(recent: RecentProject) -> str:
    name = recent.path.name
    if recent.problem == "missing":
        return tr("%s — missing (%s)") % (name, recent.path.parent)
    if recent.problem:
        return tr("%s — cannot be read: %s") % (name, recent.problem)
    documents = plural(recent.documents, tr("%d document"), tr("%d documents"))
    annotations = plural(recent.annotations, tr("%d annotation"), tr("%d annotations"))
    return f"{name} — {documents}, {annotations}   ({recent.path.parent})"


class StartPage(QWidget):
    def __init__(self, window: MainWindow, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("startPage")
        self.setAutoFillBackground(True)
        self.window_ = window
        title = QLabel(tr("Annotator"), self)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(
            tr("Open a project, make a new one, or look around in the sample article."), self
        )
        intro.setWordWrap(True)
        self.new_button = QPushButton(tr("&New project…"), self)
        self.new_button.setObjectName("startNew")
        self.open_button = QPushButton(tr("&Open project…"), self)
        self.open_button.setObjectName("startOpen")
        self.sample_button = QPushButton(tr("Open the &sample"), self)
        self.sample_button.setObjectName("startSample")
        self.new_button.clicked.connect(lambda: new_project(window))
        self.open_button.clicked.connect(window.files.open_dialog)
        self.sample_button.clicked.connect(self.open_sample)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.open_button, self.sample_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        recent_title = QLabel(tr("&Recent projects"), self)
        self.recent = QListWidget(self)
        self.recent.setObjectName("recentProjects")
        recent_title.setBuddy(self.recent)
        self.recent.itemActivated.connect(self._open_item)  # Enter, double-click
        column = QVBoxLayout(self)
        column.setContentsMargins(48, 36, 48, 36)
        column.addWidget(title)
        column.addWidget(intro)
        column.addSpacing(12)
        column.addLayout(buttons)
        column.addSpacing(18)
        column.addWidget(recent_title)
        column.addWidget(self.recent, 1)

    def fill(self) -> None:
        self.recent.clear()
        for path in self.window_.settings.recent_projects()[:RECENT_SHOWN]:
            recent = describe(path)
            item = QListWidgetItem(recent_line(recent))
            item.setData(PathRole, str(path))
            item.setToolTip(str(path))
            if recent.problem:
                item.setForeground(self.palette().placeholderText())
            self.recent.addItem(item)
        if self.recent.count():
            self.recent.setCurrentRow(0)

    def _open_item(self, item: QListWidgetItem) -> None:
        path = Path(str(item.data(PathRole)))
        if not path.is_file():
            self.window_.show_error(tr("%s is missing (moved or deleted?)") % path)
            return
        self.window_.open_project(path)

    def open_sample(self) -> None:
        from annotator.demo import demo_project

        try:
            path = demo_project()
        except (AnnotatorError, OSError) as exc:
            self.window_.show_error(tr("Cannot make the sample project: %s") % exc)
            return
        self.window_.open_project(path)


class _Cover(QObject):
    """Keeps the page over the whole of its parent (the central widget)."""

    def __init__(self, page: StartPage) -> None:
        super().__init__(page)
        self.page = page
        parent = page.parentWidget()
        assert parent is not None
        parent.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.page.setGeometry(watched.rect())
        return False


def install_start_page(window: MainWindow) -> StartPage:
    """Show the start page whenever no project is open."""
    central = window.centralWidget()
    assert central is not None
    page = StartPage(window, central)
    _Cover(page)
    page.setGeometry(central.rect())

    def opened() -> None:
        page.hide()

    def closed() -> None:
        page.fill()
        page.show()
        page.raise_()
        page.recent.setFocus()

    window.session.projectOpened.connect(opened)
    window.session.projectClosed.connect(closed)
    window.start_page = page  # type: ignore[attr-defined]
    if window.session.project is None:
        closed()
    return page
