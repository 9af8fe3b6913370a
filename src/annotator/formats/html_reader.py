"""Web pages saved as ``.html`` / ``.htm``: the text of the article.

The conversion (what is kept and dropped, lines and paragraphs) lives in
:mod:`annotator.formats._html_text`, shared with the EPUB reader. Nothing referenced
by the page is ever fetched.
"""

from __future__ import annotations

from pathlib import Path

from annotator.core.errors import FormatError
from annotator.core.text import TextBudget
from annotator.formats._html_text import decode_html, html_to_text
from annotator.formats.registry import DocumentText, reader

MAX_BYTES = 200 * 1024 * 1024


@reader("html", (".html", ".htm", ".xhtml"), "Web page: the article's text (no menus or scripts)")
def read_html(path: Path, budget: TextBudget) -> DocumentText:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise FormatError(
            f"{path.name} is {size // 2**20} MB; Annotator imports pages up to 200 MB"
        )
    warnings: list[str] = []
    page = html_to_text(decode_html(path.read_bytes(), path.name, warnings), budget)
    if not page.text.strip():
        raise FormatError(f"{path.name} holds no article text (only markup, scripts or navigation)")
    return DocumentText(
        title=page.title or path.stem,
        text=page.text,
        source_name=path.name,
        warnings=tuple(warnings),
    )
