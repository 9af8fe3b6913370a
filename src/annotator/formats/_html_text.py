"""HTML to text (stdlib ``html.parser``): the page's visible text, and how a page's
bytes are decoded. Used by the HTML reader's "page" mode and by the EPUB reader (the
article mode of web pages is :mod:`annotator.formats.html_reader`).

What is kept: the text of the page, without scripts, styles, ``<head>``, ``<noscript>``,
``<template>``, embedded objects and hidden elements; the caller may skip more (the EPUB
reader skips navigation, headers, footers and asides, see :data:`BOOK_SKIPPED`). Block
elements start a new line; paragraphs, headings, quotes, lists and tables are separated
by one blank line. Inside a line, HTML whitespace (space, tab, newline, CR, form feed)
collapses to one space; other spaces (no-break space...) are content and kept; soft
hyphens are left out. ``<pre>`` keeps its lines. Table cells are separated by a tab.
Entities are decoded. Nothing is ever fetched.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from annotator.core.errors import FormatError
from annotator.core.text import STRAY_SHARE, TextBudget, check_text, decode, normalise
from annotator.core.text import _utf8_replaced as utf8_replaced

# Elements whose content is never seen on the page.
PAGE_SKIPPED = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "svg",
        "math",
        "iframe",
        "object",
        "canvas",
        "select",
        "textarea",
        "dialog",
    }
)
# ...and what is not a book's text (navigation, page furniture, forms).
BOOK_SKIPPED = PAGE_SKIPPED | {"nav", "header", "footer", "aside", "form", "button"}
# Elements that end the line they are on.
LINE_BLOCKS = frozenset(
    {
        "br",
        "div",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "li",
        "dt",
        "dd",
        "tr",
        "section",
        "article",
        "main",
        "body",
        "address",
        "caption",
        "details",
        "summary",
        "figcaption",
        "center",
        "fieldset",
        "legend",
        "option",
    }
)
# Elements separated from what is around them by a blank line.
PARAGRAPHS = frozenset(
    {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "dl",
        "table",
        "figure",
        "hr",
    }
)
CELLS = frozenset({"td", "th"})
VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
_HTML_SPACE = re.compile("[ \t\n\r\f]+")

# Tokens of the flat event list: text; a block break of strength 1 (new line) or 2
# (blank line); a <br> (breaks add up, to at most a blank line); the start of a table
# cell; a run of preformatted text.
_TEXT, _BREAK, _BR, _CELL, _PRE = range(5)
Token = tuple[int, str]

_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml\b[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
# Labels that browsers read as another encoding (WHATWG Encoding Standard).
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
}


@dataclass(frozen=True)
class HtmlText:
    title: str  # "" when the page has neither <title> nor <h1>
    text: str  # normalised; "" when the page holds no text


MAX_NUL_SHARE = 0.01
"""A page with NUL bytes is read without them (with a warning) when they are at most
this share of its bytes; more, and it is refused as a binary file."""


def decode_html(
    data: bytes, name: str, warnings: list[str] | None = None, charset: str | None = None
) -> str:
    """Decode an HTML/XHTML file: its BOM, else *charset* (the server's Content-Type
    ``charset``, which outranks the page's own, as in the HTML standard), else its
    ``<meta charset>`` or XML
    declaration, else UTF-8, else the detected encoding (as :func:`decode` does: a
    replaced byte or a guess is said in *warnings*). A page declared UTF-8 with a few
    invalid bytes stays UTF-8 (those bytes replaced, with a warning), as browsers read
    it; a few NUL bytes are dropped, with a warning."""
    if not data.strip():
        raise FormatError(f"{name} is empty: there is no text to import")
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data, name, warnings)[0]
    nuls = data.count(0)
    if nuls:
        if nuls > MAX_NUL_SHARE * len(data):
            raise FormatError(
                f"{name} looks like a binary file, not a web page (it contains {nuls:,} NUL bytes)"
            )
        data = data.replace(b"\x00", b"")
        if warnings is not None:
            warnings.append(f"{name}: {nuls:,} NUL byte{'s' if nuls > 1 else ''} left out")
    head = data[:4096]
    found = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    declared = charset.strip().lower() if charset and charset.isascii() else None
    if declared or found:
        label = declared or found.group(1).decode("ascii").lower()  # type: ignore[union-attr]
        if label.startswith(("utf-16", "utf16")):
            label = "utf-8"  # an ASCII-readable declaration cannot be UTF-16 (WHATWG)
        try:
            codec = codecs.lookup(_CHARSET_ALIASES.get(label, label)).name
            text = data.decode(codec)
        except LookupError:
            pass  # an unknown declaration: detect, as browsers do
        except UnicodeDecodeError:
            replaced = _declared_utf8(data, name, warnings) if codec == "utf-8" else None
            if replaced is not None:
                check_text(replaced, name)
                return replaced
            # a wrong declaration: detect
        else:
            check_text(text, name)  # the rule decode() applies too
            return text
    return decode(data, name, warnings)[0]


def _declared_utf8(data: bytes, name: str, warnings: list[str] | None) -> str | None:
    """A page declared UTF-8 that is not quite: UTF-8 with U+FFFD for the invalid bytes
    when they are few (at most :data:`STRAY_SHARE` of the bytes), else None."""
    escaped = data.decode("utf-8", "surrogateescape")
    stray = len(data) - len(escaped.encode("utf-8", "ignore"))
    if stray > STRAY_SHARE * len(data):
        return None
    text, _, warning = utf8_replaced(data, escaped, stray, name)
    if warnings is not None:
        warnings.append(warning)
    return text


FEED_CHARS = 1 << 20
"""The parser is fed this much markup at a time (the budget's clock is checked between)."""


def html_to_text(
    markup: str, budget: TextBudget | None = None, skipped: frozenset[str] = PAGE_SKIPPED
) -> HtmlText:
    """The text and title of an HTML page without the elements in *skipped* (see the
    module docstring); *budget* is fed with the text and bounds the time."""
    collector = _Collector(skipped)
    for start in range(0, len(markup), FEED_CHARS):
        collector.feed(markup[start : start + FEED_CHARS])
        if budget is not None:
            budget.tick()
    collector.close()
    text = normalise(_render(collector.tokens))
    if budget is not None:
        budget.take(text)
    return HtmlText(title=collector.title or collector.h1, text=text)


class _Collector(HTMLParser):
    """Turns the page into a flat list of tokens; no tree, so no recursion limit."""

    def __init__(self, skipped: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.skipped = skipped
        self.tokens: list[Token] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped) of each open element
        self.open_count: dict[str, int] = {}  # open elements by tag
        self.skipping = 0  # skipped elements open
        self.pre = 0  # <pre> elements open
        self.cells = 0  # table cells open: blocks inside a cell become spaces
        self._title: list[str] | None = None
        self._h1: list[str] | None = None
        self.title = ""
        self.h1 = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and not self.title and self._title is None:
            self._title = []
        elif tag == "h1" and not self.h1 and self._h1 is None:
            self._h1 = []
        if tag in VOID:
            if tag in ("br", "hr"):
                self._break(tag)
            return
        skipped = tag in self.skipped or _hidden(attrs, self.skipped)
        self.stack.append((tag, skipped))
        self.open_count[tag] = self.open_count.get(tag, 0) + 1
        if skipped:
            self.skipping += 1
        elif not self.skipping:
            self._break(tag)
            if tag in CELLS:
                self.cells += 1
            elif tag == "pre":
                self.pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # XHTML's <p/>, <div/>: the element opens and closes at once.
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._title is not None:
            self.title, self._title = _collapse("".join(self._title)), None
        elif tag == "h1" and self._h1 is not None:
            self.h1, self._h1 = _collapse("".join(self._h1)), None
        if tag == "br":  # </br> is a <br> in browsers
            self._break(tag)
            return
        if not self.open_count.get(tag):
            return  # a stray end tag: ignored, as browsers do
        while self.stack:  # close everything left open inside it
            open_tag, skipped = self.stack.pop()
            self.open_count[open_tag] -= 1
            if skipped:
                self.skipping -= 1
            elif not self.skipping:
                self._end(open_tag)
            if open_tag == tag:
                break

    def _end(self, tag: str) -> None:
        if tag in CELLS:
            self.cells -= 1
        elif tag == "pre":
            self.pre -= 1
        if tag not in CELLS:
            self._break(tag)

    def _break(self, tag: str) -> None:
        if self.skipping:
            return
        if tag in CELLS:
            self.tokens.append((_CELL, ""))
        elif tag in PARAGRAPHS or tag in LINE_BLOCKS:
            if self.cells:
                self.tokens.append((_TEXT, " "))
            elif tag == "br":
                self.tokens.append((_BR, ""))
            else:
                self.tokens.append((_BREAK, "2" if tag in PARAGRAPHS else "1"))

    def handle_data(self, data: str) -> None:
        if self._title is not None:
            self._title.append(data)
        if self._h1 is not None:
            self._h1.append(data)
        if not self.skipping:
            self.tokens.append((_PRE if self.pre else _TEXT, data))

    def close(self) -> None:
        super().close()
        if self._title is not None:
            self.title = _collapse("".join(self._title))
        if self._h1 is not None:
            self.h1 = _collapse("".join(self._h1))


def _hidden(attrs: list[tuple[str, str | None]], skipped: frozenset[str]) -> bool:
    """Hidden elements; and, when navigation is skipped, ``role="navigation"``."""
    for key, value in attrs:
        value = (value or "").strip().lower()
        if key == "hidden" or (key == "aria-hidden" and value == "true"):
            return True
        if key == "role" and value == "navigation" and "nav" in skipped:
            return True
    return False


def _collapse(text: str) -> str:
    """HTML whitespace runs as one space; soft hyphens (a hyphenation hint, seen only
    where a line breaks) left out."""
    return _HTML_SPACE.sub(" ", text.replace("\u00ad", "")).strip(" ")


def _render(tokens: list[Token]) -> str:
    out: list[str] = []
    line: list[str] = []  # the text of the current line (or cell)
    raw = False  # the current line is preformatted
    cells: list[str] | None = None  # the finished cells of the current table row
    pending = 0  # line breaks owed before the next text (at most 2: one blank line)

    def emit(text: str) -> None:
        nonlocal pending
        if out:
            out.append("\n" * max(1, pending))
        out.append(text)
        pending = 0

    def take() -> str:
        nonlocal raw
        text = "".join(line)
        line.clear()
        if raw:
            raw = False
            text = text.removeprefix("\n").rstrip()  # as browsers do for <pre>
            return text if text.strip() else ""
        return _collapse(text)

    def flush() -> None:
        nonlocal cells
        text = take()
        if cells is not None:
            row, cells = [*cells, text], None
            if any(row):
                emit("\t".join(row))
        elif text:
            emit(text)

    for kind, value in tokens:
        if kind == _TEXT:
            line.append(value)
        elif kind == _PRE:
            if not raw and line:
                flush()
            raw = True
            line.append(value)
        elif kind == _CELL:
            if cells is None:
                if line and _collapse("".join(line)):
                    flush()  # text before the row's first cell stands on its own line
                line.clear()
                cells = []
            else:
                cells.append(take())
        elif kind == _BR:
            flush()
            pending = min(pending + 1, 2)
        else:
            flush()
            pending = max(pending, int(value))
    flush()
    return "".join(out)
