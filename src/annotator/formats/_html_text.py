"""HTML to article text, shared by the HTML and EPUB readers (stdlib ``html.parser``).

What is kept: the text of ``<article>`` (the longest one) or else ``<main>`` or else the
whole page, without scripts, styles, navigation, headers, footers, asides, forms,
``<noscript>``, ``<template>`` and hidden elements. Block elements start a new line;
paragraphs, headings, quotes, lists and tables are separated by one blank line. Inside
a line, HTML whitespace (space, tab, newline, CR, form feed) collapses to one space;
other spaces (no-break space...) are content and kept. ``<pre>`` keeps its lines.
Table cells are separated by a tab. Entities are decoded. Nothing is ever fetched.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from annotator.core.errors import FormatError
from annotator.core.text import TextBudget, check_text, decode, normalise

# Elements whose whole content is not article text.
SKIPPED = frozenset(
    {
        "script",
        "style",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "noscript",
        "template",
        "head",
        "svg",
        "math",
        "iframe",
        "object",
        "canvas",
        "button",
        "select",
        "textarea",
        "dialog",
    }
)
# Elements that end the line they are on.
LINE_BLOCKS = frozenset(
    {
        "br",
        "div",
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
    text: str  # normalised; "" when the page holds no article text


def decode_html(data: bytes, name: str, warnings: list[str] | None = None) -> str:
    """Decode an HTML/XHTML file: its BOM, else its ``<meta charset>`` or XML
    declaration, else UTF-8, else the detected encoding (as :func:`decode` does: a
    replaced byte or a guess is said in *warnings*)."""
    if not data.strip():
        raise FormatError(f"{name} is empty: there is no text to import")
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data, name, warnings)[0]
    if b"\x00" in data:
        raise FormatError(
            f"{name} looks like a binary file, not a web page (it contains NUL bytes)"
        )
    head = data[:4096]
    found = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if found:
        label = found.group(1).decode("ascii").lower()
        if label.startswith(("utf-16", "utf16")):
            label = "utf-8"  # an ASCII-readable declaration cannot be UTF-16 (WHATWG)
        try:
            codec = codecs.lookup(_CHARSET_ALIASES.get(label, label)).name
            text = data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            pass  # an unknown or wrong declaration: detect, as browsers do
        else:
            check_text(text, name)  # the rule decode() applies too
            return text
    return decode(data, name, warnings)[0]


FEED_CHARS = 1 << 20
"""The parser is fed this much markup at a time (the budget's clock is checked between)."""


def html_to_text(markup: str, budget: TextBudget | None = None) -> HtmlText:
    """The article text and title of an HTML page (see the module docstring); *budget*
    is fed with the text and bounds the time."""
    collector = _Collector()
    for start in range(0, len(markup), FEED_CHARS):
        collector.feed(markup[start : start + FEED_CHARS])
        if budget is not None:
            budget.tick()
    collector.close()
    tokens = collector.tokens
    text = ""
    sizes = [0]  # sizes[i]: characters of text in tokens[:i]
    for kind, value in tokens:
        sizes.append(sizes[-1] + (len(value.strip()) if kind in (_TEXT, _PRE) else 0))
    for tag in ("article", "main"):
        regions = [(start, end) for t, start, end in collector.regions if t == tag]
        if regions:
            start, end = max(regions, key=lambda r: sizes[r[1]] - sizes[r[0]])
            text = _render(tokens[start:end])
            if text:
                break
    if not text:
        text = _render(tokens)
    text = normalise(text)
    if budget is not None:
        budget.take(text)
    return HtmlText(title=collector.title or collector.h1, text=text)


class _Collector(HTMLParser):
    """Turns the page into a flat list of tokens; no tree, so no recursion limit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[Token] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped) of each open element
        self.open_count: dict[str, int] = {}  # open elements by tag
        self.skipping = 0  # skipped elements open
        self.pre = 0  # <pre> elements open
        self.cells = 0  # table cells open: blocks inside a cell become spaces
        self.regions: list[tuple[str, int, int]] = []  # (<article>|<main>, first, end token)
        self._open_regions: list[tuple[str, int]] = []
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
        skipped = tag in SKIPPED or _hidden(attrs)
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
            elif tag in ("article", "main"):
                self._open_regions.append((tag, len(self.tokens)))

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
        elif tag in ("article", "main"):
            for i in range(len(self._open_regions) - 1, -1, -1):
                if self._open_regions[i][0] == tag:
                    _, start = self._open_regions.pop(i)
                    self.regions.append((tag, start, len(self.tokens)))
                    break
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
        for tag, start in self._open_regions:  # an unclosed <article> runs to the end
            self.regions.append((tag, start, len(self.tokens)))
        self._open_regions.clear()
        if self._title is not None:
            self.title = _collapse("".join(self._title))
        if self._h1 is not None:
            self.h1 = _collapse("".join(self._h1))


def _hidden(attrs: list[tuple[str, str | None]]) -> bool:
    for key, value in attrs:
        value = (value or "").strip().lower()
        if key == "hidden" or (key == "aria-hidden" and value == "true"):
            return True
        if key == "role" and value == "navigation":
            return True
    return False


def _collapse(text: str) -> str:
    return _HTML_SPACE.sub(" ", text).strip(" ")


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
