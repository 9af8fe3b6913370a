"""OpenDocument text (``.odt``, LibreOffice): paragraphs and headings as lines.

Read from ``content.xml`` (zip and XML checked by :mod:`._zipsafe`). Kept: paragraphs
and headings (also in lists, sections and tables), spaces written as ``<text:s>``, tabs,
line breaks. A table row is one line, its cells separated by a tab. As the ODF standard
says, runs of spaces, tabs and newlines in the XML are one space, and a paragraph's
leading ones are dropped. Dropped: footnotes and endnotes, comments, tracked deletions,
frames (pictures, text boxes), list numbers and bullets. The title is ``dc:title`` of
``meta.xml``, else the file's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from xml.etree.ElementTree import Element

from annotator.core.errors import FormatError
from annotator.core.text import TextBudget, normalise
from annotator.formats._zipsafe import SafeZip, local
from annotator.formats.registry import DocumentText, reader

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
DC = "http://purl.org/dc/elements/1.1/"

# Elements whose content is not body text.
_SKIP = frozenset(
    {
        (TEXT, "note"),
        (TEXT, "number"),
        (TEXT, "tracked-changes"),
        (TEXT, "sequence-decls"),
        (TEXT, "variable-decls"),
        (TEXT, "user-field-decls"),
        (TEXT, "table-of-content"),
        (TEXT, "alphabetical-index"),
        (TEXT, "bibliography"),
        (TEXT, "illustration-index"),
        (TEXT, "table-index"),
        (TEXT, "object-index"),
        (TEXT, "user-index"),
        (OFFICE, "annotation"),
        (OFFICE, "forms"),
        (TABLE, "covered-table-cell"),
        (TABLE, "table-columns"),
        (TABLE, "table-column"),
        (TABLE, "table-header-columns"),
        (DRAW, "frame"),
        (DRAW, "a"),
        (DRAW, "custom-shape"),
        (DRAW, "rect"),
        (DRAW, "g"),
    }
)
_PARAGRAPHS = frozenset({(TEXT, "p"), (TEXT, "h")})
_ROW_GROUPS = frozenset(
    {(TABLE, "table-header-rows"), (TABLE, "table-rows"), (TABLE, "table-row-group")}
)
_XML_SPACE = re.compile("[ \t\n\r]+")


@reader("odt", (".odt",), "OpenDocument text (.odt): paragraphs, lists, tables row by row")
def read_odt(path: Path, budget: TextBudget) -> DocumentText:
    with SafeZip(path, "OpenDocument .odt") as archive:
        root = archive.xml("content.xml", "it is not an OpenDocument file")
        title = ""
        if archive.has("meta.xml"):
            title = _title(archive.xml("meta.xml"))
    body = next(root.iter(f"{{{OFFICE}}}text"), None)
    if body is None:
        raise FormatError(
            f"{path.name} is not an OpenDocument text (a spreadsheet or a presentation?)"
        )
    try:
        lines = list(_blocks(body, budget))
    except RecursionError:
        raise FormatError(f"{path.name}: the document is nested too deeply to read") from None
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    text = normalise("\n".join(lines))
    if not text.strip():
        raise FormatError(f"{path.name} holds no text (only pictures, or nothing?)")
    return DocumentText(title=title or path.stem, text=text, source_name=path.name)


def _title(meta: Element) -> str:
    for el in meta.iter(f"{{{DC}}}title"):
        return " ".join("".join(el.itertext()).split())
    return ""


def _blocks(container: Element, budget: TextBudget) -> Iterator[str]:
    """The lines of *container*; their text is counted in *budget* as it is made."""
    for el in container:
        key = local(el.tag)
        if key in _PARAGRAPHS:
            yield _paragraph(el, budget)
            budget.add(1)  # the line's end
        elif key == (TABLE, "table"):
            yield from _table(el, budget)
        elif key in _SKIP:
            continue
        else:  # list, list-item, list-header, section, soft-page-break...
            yield from _blocks(el, budget)


def _table(table: Element, budget: TextBudget) -> Iterator[str]:
    for row in _rows(table):
        cells = [
            " ".join(line for line in _blocks(cell, budget) if line)
            for cell in row
            if local(cell.tag) == (TABLE, "table-cell")
        ]
        if any(cells):
            yield "\t".join(cells)


def _rows(el: Element) -> Iterator[Element]:
    for child in el:
        key = local(child.tag)
        if key == (TABLE, "table-row"):
            yield child
        elif key in _ROW_GROUPS:
            yield from _rows(child)


def _paragraph(p: Element, budget: TextBudget) -> str:
    out: list[str] = []
    # at_space: the text so far ends with collapsible space (or the paragraph starts)
    _inline(p, out, True, budget)
    return "".join(out)


def _inline(el: Element, out: list[str], at_space: bool, budget: TextBudget) -> bool:
    """Append the text of *el* to *out*; return whether it ends with collapsible space.
    Each piece is counted in *budget* before it is made (``<text:s text:c="10000"/>``
    a million times must stop early, not fill the memory)."""
    at_space = _data(el.text, out, at_space, budget)
    for child in el:
        key = local(child.tag)
        if key == (TEXT, "s"):
            count = _count(child.get(f"{{{TEXT}}}c"))
            budget.add(count)
            out.append(_spaces(count))
            at_space = False
        elif key == (TEXT, "tab"):
            budget.add(1)
            out.append("\t")
            at_space = False
        elif key == (TEXT, "line-break"):
            budget.add(1)
            out.append("\n")
            at_space = True
        elif key in _SKIP:
            pass
        else:  # span, a, bookmark, date, sequence, ruby...
            at_space = _inline(child, out, at_space, budget)
        at_space = _data(child.tail, out, at_space, budget)
    return at_space


def _data(text: str | None, out: list[str], at_space: bool, budget: TextBudget) -> bool:
    if not text:
        return at_space
    text = _XML_SPACE.sub(" ", text)
    if at_space:
        text = text.lstrip(" ")
    if not text:
        return at_space
    out.append(budget.take(text))
    return text.endswith(" ")


@lru_cache(maxsize=256)
def _spaces(count: int) -> str:
    """A run of *count* spaces; repeated runs share one string until the text is joined."""
    return " " * count


def _count(value: str | None) -> int:
    try:
        return max(1, min(int(value or "1"), 10_000))
    except ValueError:
        return 1
