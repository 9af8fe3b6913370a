"""Memos on the open document and on the project (issue 13): Annotate > Document
memo… and File > Project memo… show the memo and edit it (OK keeps it; the store's
document_info / meta hold it; exports carry it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

DOCUMENT_MEMO_KEY = "Ctrl+Alt+E"
PROJECT_MEMO_KEY = "Ctrl+Alt+Shift+E"


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class MemoDialog(QDialog):
    """Edit a memo; :meth:`get_memo` returns ``(text, ok)``."""

    def __init__(self, title: str, about: str, memo: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("memoDialog")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(about, self))
        self.edit = QPlainTextEdit(self)
        self.edit.setObjectName("memoEdit")
        self.edit.setPlainText(memo)
        layout.addWidget(self.edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 320)

    @classmethod
    def get_memo(
        cls, title: str, about: str, memo: str, parent: QWidget | None
    ) -> tuple[str, bool]:
        dialog = cls(title, about, memo, parent)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.edit.toPlainText(), ok


def edit_document_memo(window: MainWindow) -> None:
    project = window.session.project
    doc = window.document_id
    if project is None or doc is None:
        window.show_status(tr("Open a document first"))
        return
    info = project.document_info(doc)
    title = project.document(doc).title
    text, ok = MemoDialog.get_memo(
        tr("Document memo"), tr("Memo on “%s”") % title, info.memo or "", window
    )
    if ok and text != (info.memo or ""):
        error = window.session.guarded(lambda: project.set_document_info(doc, memo=text))
        if error is not None:
            window.session.report(error)
            return
        window.show_status(tr("Kept the memo on “%s”") % title)


def edit_project_memo(window: MainWindow) -> None:
    project = window.session.project
    if project is None:
        window.show_status(tr("Open a project first"))
        return
    old = project.memo
    text, ok = MemoDialog.get_memo(
        tr("Project memo"), tr("Memo on the project: what it studies, how it codes"), old, window
    )
    if ok and text != old:
        error = window.session.guarded(lambda: project.set_memo(text))
        if error is not None:
            window.session.report(error)
            return
        window.show_status(tr("Kept the project memo"))
