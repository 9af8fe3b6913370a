"""Web pages in the window, by the keyboard: File > Import from web address (Ctrl+Shift+I)
against a real server on 127.0.0.1, and the article-or-page choice of File > Import."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from annotator.gui.files.web_import import HtmlModeDialog, WebAddressDialog
from annotator.store import Project
from tests.formats.test_html_reader import ARTICLE_PAGE, ARTICLE_TEXT
from tests.formats.test_web_fetch import Server
from tests.gui.helpers import key, open_window, settle, when_modal


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    running = Server()
    yield running
    running.close()


def _project(tmp_path: Path) -> Path:
    path = tmp_path / "p.annot"
    with Project.create(path) as project:
        project.add_document("The Senate asked the government to act.", "first")
    return path


def _texts(path: Path) -> list[str]:
    with Project.open(path, read_only=True) as project:
        return [project.text(d) for d in project.documents()]


def _type(qtbot: QtBot, widget: QWidget, text: str) -> None:
    qtbot.keyClicks(widget, text)


def test_import_from_a_web_address_by_the_keyboard(
    qtbot: QtBot, tmp_path: Path, server: Server
) -> None:
    path = _project(tmp_path)
    window = open_window(qtbot, path)
    url = f"{server.base}/story"

    def answer(dialog: QWidget) -> None:
        address = dialog.findChild(QLineEdit, "webAddress")
        assert QApplication.focusWidget() is address
        _type(qtbot, address, url)
        qtbot.keyClick(address, Qt.Key.Key_Return)

    seen = when_modal(answer, WebAddressDialog)
    key(qtbot, window, "Ctrl+Shift+I")
    qtbot.waitUntil(lambda: len(_texts(path)) == 2, timeout=30_000)
    settle()
    assert seen
    assert _texts(path)[1] == ARTICLE_TEXT
    assert server.requests == ["/story"]
    assert window.documents.rowCount() == 2
    assert "Imported the page" in window.statusBar().currentMessage()


def test_the_whole_page_chosen_by_the_keyboard(
    qtbot: QtBot, tmp_path: Path, server: Server
) -> None:
    path = _project(tmp_path)
    window = open_window(qtbot, path)

    def answer(dialog: QWidget) -> None:
        address = dialog.findChild(QLineEdit, "webAddress")
        _type(qtbot, address, f"{server.base}/story")
        qtbot.keyClick(address, Qt.Key.Key_Tab)  # to the choice: the article
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)  # the whole page
        assert dialog.choice.page.isChecked()  # type: ignore[attr-defined]
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    when_modal(answer, WebAddressDialog)
    key(qtbot, window, "Ctrl+Shift+I")
    qtbot.waitUntil(lambda: len(_texts(path)) == 2, timeout=30_000)
    assert _texts(path)[1].startswith("Home News\nWe use cookies.")


def test_an_address_that_fails_is_shown_and_imports_nothing(
    qtbot: QtBot, tmp_path: Path, server: Server
) -> None:
    path = _project(tmp_path)
    window = open_window(qtbot, path)
    shown: list[str] = []
    window.show_error = shown.append  # type: ignore[method-assign]

    def answer(dialog: QWidget) -> None:
        address = dialog.findChild(QLineEdit, "webAddress")
        _type(qtbot, address, f"{server.base}/missing")
        qtbot.keyClick(address, Qt.Key.Key_Return)

    when_modal(answer, WebAddressDialog)
    key(qtbot, window, "Ctrl+Shift+I")
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert shown == [f"{server.base}/missing: the server answered 404 Not Found"]
    assert len(_texts(path)) == 1


def test_import_documents_asks_article_or_page_for_web_pages(qtbot: QtBot, tmp_path: Path) -> None:
    path = _project(tmp_path)
    page = tmp_path / "bridge.html"
    page.write_text(ARTICLE_PAGE, "utf-8")
    window = open_window(qtbot, path)

    def pick(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        dialog.setDirectory(str(tmp_path))
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        name.setText(page.name)
        dialog.accept()
        when_modal(choose, HtmlModeDialog)

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, HtmlModeDialog)
        dialog.choice.article.setFocus()  # where the dialog opens (offscreen focus may lag)
        qtbot.keyClick(dialog.choice.article, Qt.Key.Key_Down)  # all the page's text
        qtbot.keyClick(dialog.choice.page, Qt.Key.Key_Return)

    when_modal(pick, QFileDialog, seconds=90)
    key(qtbot, window, "Ctrl+I")
    qtbot.waitUntil(lambda: len(_texts(path)) == 2, timeout=30_000)
    assert _texts(path)[1].startswith("Home News\nWe use cookies.")
