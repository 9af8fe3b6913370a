"""A web page imported from its address: fetched once, then read as a saved page.

The only place Annotator touches the network, and only when the user gives a web
address (``annotator import PROJECT https://...``, File > Import from web address). One
GET, http or https only, at most :data:`MAX_REDIRECTS` redirects (each http or https
too), :data:`TIMEOUT` seconds per network wait and :data:`MAX_BYTES` of page. Nothing
the page refers to (pictures, scripts, frames) is fetched. The document keeps the
final address and the SHA-256 of the bytes fetched (``document_info.url`` and
``fetched_sha256``), so anyone can tell later whether the page has changed.
"""

from __future__ import annotations

import hashlib
import http.client
import re
import socket
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

from annotator.core.errors import FormatError
from annotator.core.text import TextBudget
from annotator.formats.html_reader import page_document
from annotator.formats.registry import Options, Report, store_document_facts

if TYPE_CHECKING:
    from annotator.store.project import Project

TIMEOUT = 20.0
"""Seconds to wait for the server to connect or send more (each wait, not the total)."""
MAX_BYTES = 20 * 2**20
"""The largest page fetched."""
MAX_REDIRECTS = 5
SCHEMES = ("http", "https")
_PAGE_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    data: bytes
    sha256: str  # of data
    charset: str | None = None  # the Content-Type header's charset, when it names one


_ADDRESS = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://")


def is_web_address(text: str) -> bool:
    """True for what the user means as an address (``https://...``, also ``ftp://...``,
    which :func:`check_address` then refuses), not a file's path."""
    return _ADDRESS.match(text.strip()) is not None


def check_address(url: str) -> str:
    """*url* stripped, or :class:`FormatError` for one that is not http(s) with a host."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise FormatError(f"{_shown(url)} is not a web address ({exc})") from None
    if parts.scheme.lower() not in SCHEMES:
        raise FormatError(f"{_shown(url)}: Annotator fetches http and https addresses only")
    if not parts.hostname:
        raise FormatError(f"{_shown(url)} is not a web address (it names no host)")
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise FormatError(f"{_shown(url)} is not a web address (it holds spaces)")
    return url


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS
    max_repeats = 2

    def http_error_302(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
    ) -> IO[bytes] | None:
        target = headers.get("location") or headers.get("uri")
        if target:
            newurl = urljoin(req.full_url, target)
            if urlsplit(newurl).scheme.lower() not in SCHEMES:
                raise FormatError(
                    f"{_shown(req.full_url)} redirects to {_shown(newurl)}; Annotator "
                    "follows http and https addresses only"
                )
        return super().http_error_302(req, fp, code, msg, headers)  # type: ignore[arg-type]

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def fetch(url: str, *, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> Fetched:
    """GET *url* once (see the module docstring); :class:`FormatError` with one line
    saying why for every failure."""
    from annotator import __version__

    url = check_address(url)
    opener = urllib.request.build_opener(_Redirects())
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": f"Annotator/{__version__} (one page, on the user's request)",
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
            "Accept-Encoding": "identity",
        },
    )
    shown = _shown(url)
    try:
        with opener.open(request, timeout=timeout) as response:
            final = response.geturl()
            kind = response.headers.get_content_type()
            charset = response.headers.get_content_charset()
            if kind not in _PAGE_TYPES:
                raise FormatError(
                    f"{shown} is not a web page (the server sends {kind}); download it and "
                    "import the file"
                )
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FormatError(_too_big(shown, max_bytes))
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        if exc.code in (301, 302, 303, 307, 308):
            raise FormatError(
                f"{shown} redirects more than {MAX_REDIRECTS} times (or in a loop)"
            ) from None
        raise FormatError(f"{shown}: the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise FormatError(f"cannot fetch {shown}: {_reason(exc.reason)}") from None
    except TimeoutError:
        raise FormatError(f"{shown} did not answer within {timeout:g} s") from None
    except (http.client.HTTPException, ssl.SSLError, OSError, ValueError) as exc:
        raise FormatError(f"cannot fetch {shown}: {_reason(exc)}") from None
    if len(data) > max_bytes:
        raise FormatError(_too_big(shown, max_bytes))
    if not data.strip():
        raise FormatError(f"{shown}: the server sent an empty page")
    return Fetched(final, data, hashlib.sha256(data).hexdigest(), charset)


def import_url(project: Project, url: str, options: Options | None = None) -> Report:
    """Fetch the page at *url* and import it as a saved page is (``options.html``: its
    article or its whole text), keeping its address and the hash of what was fetched.
    One transaction: a page that fails changes nothing."""
    options = options or Options()
    fetched = fetch(url)
    name = _source_name(fetched.url)
    doc = page_document(
        fetched.data,
        name,
        TextBudget(name),
        options.html,
        fallback_title=name,
        url=fetched.url,
        charset=fetched.charset,
    )
    options.tick(0, 1)  # a cancel while fetching stops here, before anything is stored
    with project.transaction():
        stored = project.add_document(
            doc.text, doc.title, source_path=fetched.url, source_name=name
        )
        store_document_facts(project, stored.id, doc)
        project.set_document_info(stored.id, url=fetched.url, fetched_sha256=fetched.sha256)
    report = Report(documents=1, document_ids=[stored.id], warnings=list(doc.warnings))
    options.tick(1, 1)
    return report


def _source_name(url: str) -> str:
    """What a fetched page is called in messages: its host and last path segment."""
    parts = urlsplit(url)
    last = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) if parts.path.strip("/") else ""
    host = parts.hostname or "page"
    return f"{host}/{last}" if last else host


def _shown(url: str, limit: int = 120) -> str:
    """*url* fit for a one-line message."""
    url = "".join(c if c.isprintable() else "?" for c in url)
    return url if len(url) <= limit else url[: limit - 1] + "…"


def _too_big(shown: str, max_bytes: int) -> str:
    return f"{shown} is larger than {max_bytes // 2**20} MB; Annotator fetches pages up to that"


def _reason(reason: object) -> str:
    if isinstance(reason, TimeoutError):
        return "the server did not answer in time"
    if isinstance(reason, socket.gaierror):
        return "no such host (or no network)"
    if isinstance(reason, ConnectionRefusedError):
        return "the server refused the connection"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"its certificate is not valid ({reason.verify_message})"
    text = str(getattr(reason, "strerror", None) or reason)
    return " ".join(text.split()) or type(reason).__name__
