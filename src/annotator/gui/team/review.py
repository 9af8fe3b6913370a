"""Team > Agreement… and Team > Curate this document…: opening the two windows.

:func:`add_review_actions` is the main window's one call; each window is made once and
found again as the main window's child. Their modules (and numpy, which the agreement
figures need) are imported at the first opening, not with the window. Both refuse in blind mode (they show every
coder's layer), with one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMenu

from annotator.gui.team.menu import team_action

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow
    from annotator.gui.team.agreement_window import AgreementWindow
    from annotator.gui.team.curation_view import CurationView

AGREEMENT_KEY = "Ctrl+Shift+G"
CURATION_KEY = "Ctrl+Shift+U"


def tr(text: str) -> str:
    return QCoreApplication.translate("TeamMenu", text)


def add_review_actions(window: MainWindow, menu: QMenu) -> None:
    """Add Agreement… and Curate this document… to the Team menu."""
    menu.addSeparator()
    team_action(window, menu, tr("&Agreement…"), lambda: open_agreement(window), AGREEMENT_KEY)
    team_action(
        window, menu, tr("C&urate this document…"), lambda: open_curation(window), CURATION_KEY
    )


def _blind(window: MainWindow) -> bool:
    project = window.session.project
    if project is not None and project.coders.blind:
        window.show_error(
            tr("Blind mode is on: switch it off (Team menu) to compare the coders' layers")
        )
        return True
    return False


def open_agreement(window: MainWindow) -> AgreementWindow | None:
    """Show the Agreement window and compute the figures of every coder."""
    if window.session.project is None:
        window.show_status(tr("Open a project first"))
        return None
    if _blind(window):
        return None
    from annotator.gui.team.agreement_window import AgreementWindow  # numpy: when used

    view = window.findChild(AgreementWindow)
    if view is None:
        view = AgreementWindow(window)
    view.load()
    view.show()
    view.raise_()
    view.activateWindow()
    view.compute()
    view.figures.setFocus()
    return view


def open_curation(window: MainWindow) -> CurationView | None:
    """Show the curation view of the document shown in the main window."""
    project = window.session.project
    if project is None or window.document_id is None:
        window.show_status(tr("Open a project and a document first"))
        return None
    if _blind(window):
        return None
    from annotator.gui.team.curation_view import CurationView

    view = window.findChild(CurationView)
    if view is None:
        view = CurationView(window)
    view.document_id = window.document_id
    coders = view.coders()
    if len(coders) < 2:
        have = f"only {coders[0]}'s" if coders else "none"
        window.show_error(
            tr("Curation compares two or more coders' spans; this document has %s") % have
        )
        return None
    view.set_document(window.document_id)
    view.show()
    view.raise_()
    view.activateWindow()
    view.table.setFocus()
    return view
