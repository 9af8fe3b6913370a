"""Plain text and Markdown documents, in any common encoding."""

from __future__ import annotations

from pathlib import Path

from annotator.core.errors import FormatError
from annotator.core.text import TextBudget, decode, normalise
from annotator.formats.registry import DocumentText, reader

MAX_BYTES = 200 * 1024 * 1024


def read_text_file(path: Path, budget: TextBudget) -> DocumentText:
    if not path.is_file():
        raise FormatError(f"{path.name} is not a regular file (a folder, pipe or device)")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise FormatError(
            f"{path.name} is {size // 2**20} MB; Annotator imports texts up to 200 MB"
        )
    with path.open("rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise FormatError(f"{path.name} is over 200 MB; Annotator imports texts up to 200 MB")
    warnings: list[str] = []
    text, _encoding = decode(data, path.name, warnings)
    return DocumentText(
        title=path.stem,
        text=budget.take(normalise(text)),
        source_name=path.name,
        warnings=tuple(warnings),
    )


@reader("text", (".txt", ".text"), "Plain text in any common encoding (detected)")
def read_txt(path: Path, budget: TextBudget) -> DocumentText:
    return read_text_file(path, budget)


@reader("markdown", (".md", ".markdown"), "Markdown, kept as written (the markup is text)")
def read_md(path: Path, budget: TextBudget) -> DocumentText:
    return read_text_file(path, budget)
