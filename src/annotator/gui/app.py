"""Starting the window: the QApplication, its look, and the smoke-test hook."""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from annotator import __version__
from annotator.gui.last_resort import install as install_last_resort
from annotator.gui.main_window import MainWindow
from annotator.gui.platform_check import explain_missing, missing_xcb_libraries
from annotator.gui.settings import Settings


def application() -> QApplication:
    """The one QApplication (made on first use), styled to follow the system's light or dark."""
    QCoreApplication.setOrganizationName("Annotator")
    QCoreApplication.setApplicationName("Annotator")
    QCoreApplication.setApplicationVersion(__version__)
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    missing = missing_xcb_libraries()
    if missing:  # Qt would abort with a cryptic message: say what to install instead
        print(explain_missing(missing), file=sys.stderr)
        raise SystemExit(1)
    app = QApplication(sys.argv[:1])
    app.setApplicationDisplayName("Annotator")
    app.setDesktopFileName("org.annotator.Annotator")
    app.setWindowIcon(
        QIcon(str(resources.files("annotator.resources") / "icons" / "annotator.svg"))
    )
    app.setStyle(QStyleFactory.create("Fusion"))
    apply_colour_scheme(app)
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_colour_scheme(app))
    return app


def apply_colour_scheme(app: QApplication, dark: bool | None = None) -> None:
    """A dark palette when the system asks for dark (or *dark* says so), Fusion's
    light one otherwise."""
    if dark is None:
        dark = QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    if not dark:
        app.setPalette(app.style().standardPalette())
        return
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2b2e",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1f1f22",
        QPalette.ColorRole.AlternateBase: "#29292d",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#35353a",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.Highlight: "#3d6fb4",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#35353a",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.PlaceholderText: "#8a8a8a",
        QPalette.ColorRole.Link: "#7fb2ff",
    }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    app.setPalette(p)


def create_main_window(project_path: str | Path | None = None) -> MainWindow:
    """The main window, opened on *project_path*, without running the event loop."""
    application()
    window = MainWindow(Settings())
    if project_path is not None:
        window.open_project(Path(project_path))
    return window


def run(project_path: Path | None = None) -> int:
    """Show the window and run until it is closed. ``None`` reopens the last project.

    With ``ANNOTATOR_QUIT_AFTER_MS`` set (packaging smoke tests), the window prints what
    it opened and quits cleanly after that many milliseconds.
    """
    app = application()
    settings = Settings()
    if project_path is None:
        last = settings.recent_projects()
        project_path = next((p for p in last if p.exists()), None)
    window = create_main_window(project_path)
    install_last_resort(window.show_error)  # an uncaught exception: one line, logged
    window.show()
    quit_after = os.environ.get("ANNOTATOR_QUIT_AFTER_MS")
    if quit_after:

        def report_and_quit() -> None:
            project = window.session.project
            if project is None:
                print("annotator: smoke test: no project open", flush=True)
            else:
                docs = len(project.documents())
                print(
                    f"annotator: smoke test: opened {project.path} ({docs} documents)", flush=True
                )
            window.close()
            app.quit()

        QTimer.singleShot(int(quit_after), report_and_quit)
    return app.exec()
