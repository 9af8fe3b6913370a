"""``annotator import`` of web pages: saved pages as their article or (``--html page``)
their whole text, and pages fetched from an address (a real server on 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store import Project
from tests.formats.test_html_reader import ARTICLE_PAGE, ARTICLE_TEXT
from tests.formats.test_web_fetch import Server


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    running = Server()
    yield running
    running.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "p.annot"
    assert main(["new", str(path), "--annotator", "tester"]) == 0
    return path


def _texts(project: Path) -> list[str]:
    with Project.open(project, read_only=True) as p:
        return [p.text(d) for d in p.documents()]


def test_import_a_web_address(
    project: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    url = f"{server.base}/story"
    assert main(["import", str(project), url]) == 0
    out, err = capsys.readouterr()
    assert out == (
        f"imported {url} as document 1 'Council votes for the new bridge | The Daily' "
        f"({len(ARTICLE_TEXT)} characters)\n"
    )
    assert err == ""
    assert _texts(project) == [ARTICLE_TEXT]
    with Project.open(project, read_only=True) as p:
        assert p.document_info(1).url == url
    assert server.requests == ["/story"]


def test_html_page_keeps_the_whole_page(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "bridge.html"
    page.write_text(ARTICLE_PAGE, "utf-8")
    assert main(["import", str(project), str(page)]) == 0
    assert main(["import", str(project), "--html", "page", str(page)]) == 0
    article, whole = _texts(project)
    assert article == ARTICLE_TEXT
    assert whole.startswith("Home News\nWe use cookies. Accept all\n\n")
    assert whole.endswith("© The Daily 2024 · Imprint")


def test_a_teaser_is_said_on_stderr(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    comments = "".join(
        f"<div class='comment'><p>Reader {n} wrote: I have lived by the river for forty "
        "years and never saw the council agree on anything this quickly.</p></div>"
        for n in range(40)
    )
    page = tmp_path / "teaser.html"
    page.write_text(
        "<html><head><title>Council</title></head><body><article><h1>Council votes</h1>"
        f"<p>The council voted for the bridge. More soon.</p></article>{comments}</body></html>",
        "utf-8",
    )
    capsys.readouterr()
    assert main(["import", str(project), str(page)]) == 0
    _, err = capsys.readouterr()
    assert err.startswith("annotator: warning: teaser.html: the article found is short (")
    assert err.endswith("if it is a teaser, import the page with --html page\n")
    assert err.count("\n") == 1


def test_an_address_that_fails_is_one_line_and_changes_nothing(
    project: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["import", str(project), f"{server.base}/missing"]) == 2
    _, err = capsys.readouterr()
    assert err == f"annotator: error: {server.base}/missing: the server answered 404 Not Found\n"
    assert main(["import", str(project), "ftp://example.org/page.html"]) == 2
    _, err = capsys.readouterr()
    assert err == (
        "annotator: error: ftp://example.org/page.html: Annotator fetches http and https "
        "addresses only\n"
    )
    assert _texts(project) == []


def test_html_choice_is_checked(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(project), "--html", "everything", "x.html"]) == 2
    _, err = capsys.readouterr()
    assert "argument --html: invalid choice: 'everything' (choose from 'article', 'page')" in err
