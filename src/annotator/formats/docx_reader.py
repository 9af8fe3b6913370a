"""Word documents (``.docx``): the body's paragraphs as lines, tables row by row.

Read from ``word/document.xml`` (zip and XML checked by :mod:`._zipsafe`). Kept: the
text of every paragraph (also inside tables, content controls, hyperlinks, inserted
tracked changes), tabs, line and page breaks. A table row is one line, its cells
separated by a tab (paragraphs inside a cell joined by a space). Dropped: deleted
tracked changes, field codes (their displayed result is kept), drawings and text
boxes, footnotes, comments, headers and footers, list numbers and bullets.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

from annotator.core.errors import FormatError
from annotator.core.text import TextBudget, normalise
from annotator.formats._zipsafe import SafeZip, local
from annotator.formats.registry import DocumentText, reader

W = frozenset(
    {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",  # Strict OOXML
    }
)
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
DC = "http://purl.org/dc/elements/1.1/"

# Word elements whose content is not body text.
_SKIP = frozenset(
    {
        "pPr",
        "rPr",
        "sectPr",
        "tblPr",
        "tblGrid",
        "trPr",
        "tcPr",
        "del",
        "delText",
        "moveFrom",
        "instrText",
        "delInstrText",
        "drawing",
        "pict",
        "object",
        "footnoteReference",
        "endnoteReference",
        "commentReference",
    }
)
_INLINE = {"tab": "\t", "ptab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "\u2011"}


@reader("docx", (".docx",), "Word document (.docx): paragraphs, tables row by row")
def read_docx(path: Path, budget: TextBudget) -> DocumentText:
    with SafeZip(path, "Word .docx") as archive:
        root = archive.xml("word/document.xml", "it is not a Word document")
        title = ""
        if archive.has("docProps/core.xml"):
            title = core_title(archive.xml("docProps/core.xml"))
    body = next((el for el in root.iter() if _w(el) == "body"), None)
    if body is None:
        raise FormatError(f"{path.name}: word/document.xml has no document body")
    try:
        lines = [budget.take(line) for line in _blocks(body)]
    except RecursionError:
        raise FormatError(f"{path.name}: the document is nested too deeply to read") from None
    text = normalise(_trim("\n".join(lines)))
    if not text.strip():
        raise FormatError(f"{path.name} holds no text (only pictures, or nothing?)")
    return DocumentText(title=title or path.stem, text=text, source_name=path.name)


def core_title(core: Element) -> str:
    """``dc:title`` of an Office ``docProps/core.xml``, or ``""``."""
    for el in core.iter(f"{{{DC}}}title"):
        return " ".join((el.text or "").split())
    return ""


def _trim(text: str) -> str:
    """Drop the empty (or blank) lines at the start and the end."""
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _w(el: Element) -> str:
    ns, name = local(el.tag)
    return name if ns in W else ""


def _blocks(container: Element) -> Iterator[str]:
    """The lines of the paragraphs and tables in *container*, in order."""
    for el in container:
        name = _w(el)
        if name == "p":
            yield _paragraph(el)
        elif name == "tbl":
            yield from _table(el)
        elif name in _SKIP:
            continue
        elif local(el.tag) == (MC, "AlternateContent"):
            yield from _blocks(_choice(el))
        else:  # sdt, sdtContent, customXml, ins...: containers of blocks
            yield from _blocks(el)


def _table(table: Element) -> Iterator[str]:
    for row in _children(table, "tr"):
        cells = [" ".join(line for line in _blocks(tc) if line) for tc in _children(row, "tc")]
        if any(cells):
            yield "\t".join(cells)


def _children(el: Element, wanted: str) -> Iterator[Element]:
    """The *wanted* children of *el*, also those wrapped in content controls."""
    for child in el:
        name = _w(child)
        if name == wanted:
            yield child
        elif name in ("sdt", "sdtContent", "customXml"):
            yield from _children(child, wanted)


def _choice(alternate: Element) -> Element:
    """The first ``mc:Choice`` of an ``mc:AlternateContent`` (the fallback repeats it)."""
    for el in alternate:
        if local(el.tag) == (MC, "Choice"):
            return el
    return Element("empty")


def _paragraph(p: Element) -> str:
    out: list[str] = []
    _inline(p, out)
    return "".join(out)


def _inline(el: Element, out: list[str]) -> None:
    for child in el:
        name = _w(child)
        if name == "t":
            out.append(child.text or "")
        elif name in _INLINE:
            out.append(_INLINE[name])
        elif name in _SKIP:
            continue
        elif local(child.tag) == (MC, "AlternateContent"):
            _inline(_choice(child), out)
        elif name == "p":  # a paragraph nested in a run (rare): its own line
            out.append("\n")
            _inline(child, out)
        else:  # r, hyperlink, ins, smartTag, fldSimple, sdt, sdtContent...
            _inline(child, out)
