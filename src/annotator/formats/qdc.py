"""REFI-QDA codebook (``.qdc``): the labels as codes, for MAXQDA, NVivo, ATLAS.ti, QualCoder.

Export writes ``<CodeBook>`` (namespace ``urn:QDA-XML:codebook:1.0``) with one codable
``<Code>`` per label: GUID (the one it came with, else ours), name, colour ``#RRGGBB``
and the description, a label's children nested in its code. Import adds the codes the
project lacks as labels under their parents, keeping their GUIDs (keys made from
names; a category holding codes becomes their parent label). Attribute and relation
types, hotkeys and label keys are not part of a ``.qdc``: the report counts them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from annotator import __version__
from annotator.core.errors import FormatError, InputError
from annotator.formats._refi import (
    NS_CODEBOOK,
    XmlOut,
    child,
    local,
    plan_labels,
    read_codes,
    write_codes,
)
from annotator.formats._zipsafe import parse_xml
from annotator.formats.registry import Options, Report, exporter, importer, replacing
from annotator.store.project import Project

MAX_BYTES = 50 * 1024 * 1024


def codebook_xml(project: Project) -> tuple[bytes, int]:
    """The ``.qdc`` document of the project's labels, and how many characters XML refused."""
    out = XmlOut()
    root = out.element(None, "CodeBook", origin=f"Annotator {__version__}")
    write_codes(out, root, project.labels())
    return out.serialise(root, NS_CODEBOOK), out.replaced


def write_atomically(target: Path, data: bytes) -> None:
    with replacing(target) as tmp:
        tmp.write_bytes(data)


@exporter("qdc", ".qdc", "REFI-QDA codebook (the labels as codes)")
def export_qdc(project: Project, target: Path | TextIO, options: Options) -> Report:
    if not isinstance(target, Path):
        raise InputError("the qdc format writes a file: give -o PATH")
    data, replaced = codebook_xml(project)
    write_atomically(target, data)
    report = Report()
    book = project.codebook()
    report.dropped["hotkey"] = sum(1 for label in book.labels if label.hotkey)
    report.dropped["attribute type"] = len(book.attributes)
    report.dropped["relation type"] = len(book.relations)
    report.assumed.append("label keys are not written; import makes keys from the names")
    if replaced:
        report.warnings.append(f"{replaced} characters that XML cannot hold were written as U+FFFD")
    return report


def _sniff(path: Path) -> bool:
    return path.suffix.lower() == ".qdc" and path.is_file()


@importer("qdc", (".qdc",), "REFI-QDA codebook: adds its codes as labels", sniff=_sniff)
def import_qdc(project: Project, path: Path, options: Options) -> Report:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise FormatError(f"{path.name} is {size // 2**20} MB; a codebook is at most 50 MB")
        data = path.read_bytes()
    except OSError as exc:
        raise FormatError(f"cannot read {path.name}: {exc.strerror or exc}") from None
    root = parse_xml(data, path.name)
    if local(root.tag) not in ("CodeBook", "Project"):
        raise FormatError(
            f"{path.name} is not a REFI-QDA codebook (its root is <{local(root.tag)}>)"
        )
    codes_parent = child(root, "Codes")
    if codes_parent is None and local(root.tag) == "Project":
        book = child(root, "CodeBook")
        codes_parent = None if book is None else child(book, "Codes")
    codes = read_codes(codes_parent, path.name)
    if not codes:
        raise FormatError(f"{path.name} holds no codes")
    report = Report()
    with project.transaction():
        added = plan_labels(project, codes).apply(project, options, path.name)
    report.warnings.extend(added)
    if any(c.parent is not None for c in codes):
        report.assumed.append("codes nested in codes kept as a label tree")
    if not added:
        report.warnings.append(f"{path.name}: every code is already a label of the project")
    return report
