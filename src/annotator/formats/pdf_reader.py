"""PDF documents: the text layer, page by page (with ``pypdf``).

Pages are separated by a blank line; pages without text are left out, and so are
blank lines at the start and end of a page and spaces at the end of a line. Tabs
become spaces (a text layer has none; some writers map the space glyph to a tab). A PDF without
a text layer (a scan) or protected by a password is refused with a message that says
what to do. PDFs that are merely restricted (an owner password, an empty user
password) open as they do in any viewer.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.errors import FormatError
from annotator.core.text import TextBudget, normalise
from annotator.formats.registry import DocumentText, reader

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader

MAX_BYTES = 500 * 1024 * 1024
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")  # the controls check_text counts


@reader("pdf", (".pdf",), "PDF with a text layer, page by page (scans need OCR first)")
def read_pdf(path: Path, budget: TextBudget) -> DocumentText:
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    name = path.name
    size = path.stat().st_size
    if size == 0:
        raise FormatError(f"{name} is empty: there is no text to import")
    if size > MAX_BYTES:
        raise FormatError(f"{name} is {size // 2**20} MB; Annotator imports PDFs up to 500 MB")
    with path.open("rb") as fh:
        if b"%PDF-" not in fh.read(1024):
            raise FormatError(f"{name} is not a PDF file (it does not start with %PDF-)")
    encrypted = f"{name} is protected by a password; remove the protection and import it again"
    try:
        with _quiet_pypdf():
            pdf = PdfReader(path)
            if pdf.is_encrypted:
                try:
                    if pdf.decrypt("") == PasswordType.NOT_DECRYPTED:
                        raise FormatError(encrypted)
                except DependencyError:  # AES without the 'cryptography' package
                    raise FormatError(encrypted) from None
            pages = _pages_text(pdf, budget)
            title = _title(pdf)
    except FileNotDecryptedError:
        raise FormatError(encrypted) from None
    except FormatError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise FormatError(
            f"{name} is damaged or not a PDF pypdf can read ({_reason(exc)})"
        ) from None
    if not pages:
        raise FormatError(f"{name} has no pages")
    texts = [text for text in pages if text.strip()]
    if not texts:
        raise FormatError(f"{name} has no text layer (a scanned PDF?); run OCR first")
    return DocumentText(title=title or path.stem, text="\n\n".join(texts), source_name=name)


def _pages_text(pdf: PdfReader, budget: TextBudget) -> list[str]:
    """The text of each page, counted in *budget* page by page (the clock checked before
    each page). Pages that share their content stream and resources (one stream drawn
    on thousands of pages: a PDF built to explode) are read once, so such a file
    reaches the budget's limit in moments instead of running for minutes."""
    texts: list[str] = []
    seen: dict[tuple[object, ...], str] = {}
    for page in pdf.pages:
        budget.tick()
        key = _drawing(page)
        text = seen.get(key) if key is not None else None
        if text is None:
            text = _page_text(page)
            if key is not None:
                seen[key] = text
        budget.add(len(text) + 2)  # and the blank line after it
        texts.append(text)
    return texts


def _drawing(page: PageObject) -> tuple[object, ...] | None:
    """What the page's text is made from: the object numbers of its content stream(s)
    and of its resources (or the resources' identity when they are written in the page
    tree); None when the contents are not all indirect objects."""
    from pypdf.generic import IndirectObject

    contents = page.raw_get("/Contents") if "/Contents" in page else None
    refs: list[Any] = list(contents) if isinstance(contents, list) else [contents]
    if not all(isinstance(ref, IndirectObject) for ref in refs):
        return None
    parts: list[object] = [(ref.idnum, ref.generation) for ref in refs]
    resources = page.raw_get("/Resources") if "/Resources" in page else None
    if isinstance(resources, IndirectObject):
        parts.append(("resources", resources.idnum, resources.generation))
    else:  # written in the page (or inherited): small, so compared by what it says
        written = repr(resources)
        parts.append(("resources", written if len(written) < 10_000 else id(resources)))
    return tuple(parts)


def _page_text(page: PageObject) -> str:
    # A text layer has no tabs; some writers (Qt) map the space glyph to U+0009.
    text = normalise(page.extract_text() or "").replace("\t", " ")
    text = _SURROGATE.sub("\ufffd", text)  # a broken ToUnicode map can yield lone halves
    text = _CONTROL.sub("\ufffd", text)  # so can a broken font: glyph codes, not text
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _title(pdf: PdfReader) -> str:
    try:
        meta = pdf.metadata
        title = meta.title if meta is not None else None
    except Exception:  # a damaged Info dictionary only costs the title
        return ""
    title = " ".join(str(title or "").split()).removeprefix("Microsoft Word - ")
    return title


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs every repair it makes; the CLI's stderr is for our one line."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR + 10)
    try:
        yield
    finally:
        logger.setLevel(level)
