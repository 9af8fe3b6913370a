"""A web page imported from its address, against a real HTTP server on 127.0.0.1 that
the test starts (and that counts what it is asked for): fetched once, nothing the page
refers to fetched, redirects bounded, only http(s), size and time bounded."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from annotator.core.errors import FormatError
from annotator.formats import web_fetch
from annotator.formats.registry import Options
from annotator.formats.web_fetch import fetch, import_url, is_web_address
from annotator.store import Project
from tests.formats.test_html_reader import ARTICLE_PAGE, ARTICLE_TEXT

# the story, with everything a browser would fetch besides it
PAGE = ARTICLE_PAGE.replace(
    "</head>",
    '<link rel="stylesheet" href="/style.css"><script src="/app.js"></script>'
    '<link rel="preload" href="/font.woff2"></head>',
).replace(
    "<footer>",
    '<img src="/photo.jpg"><iframe src="/frame.html"></iframe>'
    '<video src="/clip.mp4"></video><object data="/x.swf"></object><footer>',
)
PAGE_BYTES = PAGE.encode("utf-8")


class Server:
    def __init__(self) -> None:
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: object) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append(self.path)
                route = ROUTES.get(self.path)
                if route is None:
                    self.send_error(404, "Not Found")
                    return
                route(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _send(handler: BaseHTTPRequestHandler, body: bytes, kind: str = "text/html") -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", kind)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _redirect(to: str) -> object:
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", to)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return route


def _slow(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    handler.wfile.write(b"<html><body><p>the start")
    handler.wfile.flush()
    time.sleep(3)


def _endless(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")  # no Content-Length
    handler.end_headers()
    try:
        for _ in range(200):
            handler.wfile.write(b"<p>" + b"x" * 10_000 + b"</p>")
    except (BrokenPipeError, ConnectionResetError):
        pass


# A page whose server says windows-1252 while its own <meta> (copied from a template)
# says UTF-8: the header is what the author's server meant (HTML standard: the transport
# layer's charset outranks the page's declaration).
LATIN_TEXT = (
    "The Senate met on Monday to discuss the budget of the city and its plans for the "
    "coming years; the members asked the government to publish the figures before the "
    "vote, and said that the debate would go on until every question had an answer. "
    "Only one word is not ASCII: Zürich (a stray byte if read as UTF-8)."
)
LATIN_PAGE = (
    '<html><head><meta charset="utf-8"><title>Zürich</title></head><body><article>'
    + "<p>"
    + LATIN_TEXT
    + "</p>" * 1
    + "</article></body></html>"
).encode("windows-1252")

ROUTES = {
    "/latin": lambda h: _send(h, LATIN_PAGE, "text/html; charset=windows-1252"),
    "/story": lambda h: _send(h, PAGE_BYTES, "text/html; charset=utf-8"),
    "/moved": _redirect("/story"),
    "/loop": _redirect("/loop"),
    "/to-file": _redirect("file:///etc/passwd"),
    "/report.pdf": lambda h: _send(h, b"%PDF-1.4 ...", "application/pdf"),
    "/empty": lambda h: _send(h, b"  \n"),
    "/slow": _slow,
    "/endless": _endless,
}


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    running = Server()
    yield running
    running.close()


def test_a_page_is_fetched_once_and_nothing_it_refers_to(
    tmp_project: Project, server: Server
) -> None:
    report = import_url(tmp_project, f"{server.base}/story")
    assert server.requests == ["/story"]
    (doc_id,) = report.document_ids
    assert tmp_project.text(doc_id) == ARTICLE_TEXT
    info = tmp_project.document_info(doc_id)
    assert info.url == f"{server.base}/story"
    assert info.fetched_sha256 == hashlib.sha256(PAGE_BYTES).hexdigest()
    variables = tmp_project.variables.of(doc_id)
    assert variables["url"] == "https://daily.example/council-votes"  # the page's own
    assert variables["date"] == "2024-03-05"
    assert tmp_project.document(doc_id).title == "Council votes for the new bridge | The Daily"


def test_page_mode_and_redirects(tmp_project: Project, server: Server) -> None:
    report = import_url(tmp_project, f"{server.base}/moved", Options(html="page"))
    assert server.requests == ["/moved", "/story"]
    (doc_id,) = report.document_ids
    assert tmp_project.text(doc_id).startswith("Home News\n")
    assert tmp_project.document_info(doc_id).url == f"{server.base}/story"  # where it ended


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/loop", "{base}/loop redirects more than 5 times (or in a loop)"),
        (
            "/to-file",
            "{base}/to-file redirects to file:///etc/passwd; Annotator follows http and "
            "https addresses only",
        ),
        ("/missing", "{base}/missing: the server answered 404 Not Found"),
        (
            "/report.pdf",
            "{base}/report.pdf is not a web page (the server sends application/pdf); "
            "download it and import the file",
        ),
        ("/empty", "{base}/empty: the server sent an empty page"),
    ],
)
def test_what_cannot_be_fetched_says_why_and_changes_nothing(
    tmp_project: Project, server: Server, path: str, message: str
) -> None:
    with pytest.raises(FormatError) as caught:
        import_url(tmp_project, server.base + path)
    assert str(caught.value) == message.format(base=server.base)
    assert tmp_project.documents() == []


def test_time_and_size_are_bounded(server: Server) -> None:
    with pytest.raises(FormatError) as caught:
        fetch(f"{server.base}/slow", timeout=0.5)
    assert str(caught.value) == f"{server.base}/slow did not answer within 0.5 s"
    with pytest.raises(FormatError) as caught:
        fetch(f"{server.base}/endless", max_bytes=2**20)
    assert str(caught.value) == (
        f"{server.base}/endless is larger than 1 MB; Annotator fetches pages up to that"
    )


def test_a_closed_port_says_so() -> None:
    with pytest.raises(FormatError) as caught:
        fetch("http://127.0.0.1:9/")  # the discard port: nothing listens there
    assert str(caught.value) == (
        "cannot fetch http://127.0.0.1:9/: the server refused the connection"
    )


@pytest.mark.parametrize(
    ("address", "message"),
    [
        (
            "ftp://example.org/a.html",
            "ftp://example.org/a.html: Annotator fetches http and https addresses only",
        ),
        ("http:///nohost", "http:///nohost is not a web address (it names no host)"),
        ("https://exa mple.org/", "https://exa mple.org/ is not a web address (it holds spaces)"),
    ],
)
def test_only_http_and_https_addresses(address: str, message: str) -> None:
    with pytest.raises(FormatError) as caught:
        web_fetch.check_address(address)
    assert str(caught.value) == message


def test_what_counts_as_a_web_address() -> None:
    assert is_web_address("https://example.org/story")
    assert is_web_address("HTTP://example.org")
    assert is_web_address("ftp://example.org/a.html")  # an address, refused as one
    assert not is_web_address("story.html")
    assert not is_web_address("C://pages/story.html")
    assert not is_web_address("https:/example.org")  # what a Path makes of an address


def test_the_servers_charset_outranks_the_pages_meta(tmp_project: Project, server: Server) -> None:
    report = import_url(tmp_project, f"{server.base}/latin", Options(html="page"))
    text = tmp_project.text(tmp_project.documents()[-1])
    assert LATIN_TEXT in text and "\ufffd" not in text
    assert not any("replaced" in w for w in report.warnings)
