"""doccano JSONL (sequence labelling), both ways.

One document a line: ``{"id": 1, "text": "...", "label": [[start, end, "label"], ...]}``.
Import also takes the ``"labels"`` key and the ``"entities"`` form
``[{"start_offset", "end_offset", "label"}]`` of doccano's relation projects.

Offsets: doccano's sequence labelling counts UTF-16 code units (JavaScript string
positions; doccano issues #2290 and #2484), not code points, so a span after an emoji
is one unit further per astral character than a Python index. This module converts
both ways with :class:`~annotator.core.offsets.OffsetMap`, the project's one
code-point/UTF-16 conversion; for texts without astral characters both units agree.
A text with ``\\r\\n`` is normalised on import and its offsets moved with it.

doccano carries text, spans, labels and the document's metadata: document variables are
written beside the text, as doccano 1.6 and later write an example's metadata, and read
from there or from the ``meta`` object of earlier versions. Export counts the notes,
attributes, relations, actor links and the rest it leaves out (``Report.dropped``).
``--text-field`` and ``--label-field`` name other keys (doccano's ``column_data`` and
``column_label``). Labels that the project lacks are
added under their own names (warned); a name that matches a label's display name
(ignoring case) uses that label.

The helpers :func:`normalised_offsets` and :func:`plan_labels` are shared with the
Label Studio format.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from annotator.core.codebook import KEY_RE
from annotator.core.errors import FormatError, InputError
from annotator.core.offsets import OffsetMap
from annotator.core.text import normalise
from annotator.core.variables import VARIABLE_KEY_RE
from annotator.formats._codebook_growth import grow_codebook
from annotator.formats._json import loads
from annotator.formats._variables import typed_variables
from annotator.formats.registry import Options, Report, exporter, importer, replacing
from annotator.store.project import Project
from annotator.store.queries.export_queries import (
    count_annotations,
    document_texts,
    span_positions,
    uncarried,
)

_CONTROL = re.compile("[\x00-\x1f\x7f]")


# -- shared with labelstudio ---------------------------------------------------------


def normalised_offsets(raw: str) -> tuple[str, Callable[[int], int]]:
    """The normalised text of *raw* and a function moving offsets of *raw* into it.

    Normalising drops a leading BOM and makes ``\\r\\n`` one ``\\n`` (one code point
    goes for each); every other change keeps the length. An offset between the ``\\r``
    and the ``\\n`` of a pair moves to after the line break.
    """
    text = normalise(raw)
    if len(text) == len(raw):
        return text, lambda offset: offset
    gone = [0] if raw.startswith("\ufeff") else []  # positions of the code points dropped
    gone.extend(m.start() + 1 for m in re.finditer("\r\n", raw))
    return text, lambda offset: offset - bisect_left(gone, offset)


def label_key(name: str) -> str:
    """A codebook key for a foreign label name: the name itself ("PER", "B-ORG", "Named
    entity") when it can be one, else the name on one line, cut to 64 characters, else
    a key made from its hash."""
    if KEY_RE.match(name):
        return name
    key = _CONTROL.sub("", " ".join(name.split()))[:64].strip()
    if KEY_RE.match(key):
        return key
    return "l_" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]


def plan_labels(project: Project, names: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """Map foreign label names to codebook keys: ``(name -> key, warnings)``.

    A name that is a key of the codebook is that label; else a label whose display name
    is the same (ignoring case) is used; else the name becomes a new key (see
    :func:`label_key`). Keys the codebook lacks are for
    :func:`~annotator.formats._codebook_growth.grow_codebook`.
    """
    labels = project.labels()
    keys = {label.key for label in labels}
    by_name = {label.name.casefold(): label.key for label in labels}
    mapping: dict[str, str] = {}
    warnings: list[str] = []
    for name in dict.fromkeys(names):
        if name in keys:
            mapping[name] = name
        elif name.casefold() in by_name:
            mapping[name] = by_name[name.casefold()]
            warnings.append(f"label '{name}' was taken as the codebook's '{mapping[name]}'")
        else:
            mapping[name] = label_key(name)
            if mapping[name] != name:
                warnings.append(f"label '{name}' is stored under the key '{mapping[name]}'")
    return mapping, warnings


def read_head(path: Path, size: int = 65536) -> bytes:
    """The first *size* bytes of *path* without a UTF-8 BOM (b"" when unreadable)."""
    try:
        with path.open("rb") as fh:
            return fh.read(size).removeprefix(b"\xef\xbb\xbf").lstrip()
    except OSError:
        return b""


# -- export -------------------------------------------------------------------------


UNITS = "positions in UTF-16 units (as doccano counts them)"
LINE_ENDS = "positions count a \\r\\n line end as two, as written in the text"


def write_doccano(project: Project, out: TextIO, options: Options) -> Report:
    report = Report(dropped=uncarried(project, ["document variable"]), assumed=[UNITS])
    total = count_annotations(project)
    variables = typed_variables(project)
    for doc_id, title, text in document_texts(project):
        to_utf16 = OffsetMap(text).to_utf16
        record: dict[str, Any] = {"id": doc_id, "text": text, "title": title}
        for key, value in variables.get(doc_id, {}).items():  # beside the text, as doccano
            if key in RESERVED:
                report.dropped["document variable named as a doccano field"] += 1
            else:
                record[key] = value
        head = json.dumps(record, ensure_ascii=False)
        out.write(head[:-1] + ', "label": [')
        sep = ""
        for rows in span_positions(project, doc_id):
            out.write(
                sep
                + ", ".join(
                    json.dumps([to_utf16(s), to_utf16(e), key], ensure_ascii=False)
                    for s, e, key in rows
                )
            )
            sep = ", "
            report.annotations += len(rows)
            options.tick(report.annotations, total)
        out.write("]}\n")
        report.documents += 1
    return report


@exporter("doccano", ".jsonl", "doccano JSONL: text, spans and labels", streams=True)
def export_doccano(project: Project, target: Path | TextIO, options: Options) -> Report:
    if not isinstance(target, Path):
        return write_doccano(project, target, options)
    with replacing(target) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as fh:
        return write_doccano(project, fh, options)


# -- import -------------------------------------------------------------------------


@dataclass
class _Doc:
    title: str
    source_name: str
    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    meta: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Fields:
    """The keys of a doccano line: ``text`` and ``label`` (or ``labels``) by default,
    or what doccano's ``column_data`` and ``column_label`` named at its export."""

    text: str = "text"
    label: str | None = None

    @classmethod
    def of(cls, options: Options) -> Fields:
        return cls(options.text_field or "text", options.label_field)

    def labels(self, obj: dict[str, Any]) -> Any:
        if self.label is not None:
            return obj.get(self.label)
        return obj.get("label", obj.get("labels"))


def _spans_of(
    obj: dict[str, Any], raw: OffsetMap, where: str, fields: Fields
) -> tuple[list[tuple[int, int, str]], int]:
    """Spans of one line as ``(start, end, label name)`` in *raw*, and how many of its
    labels were document labels (text classification), which carry no span."""
    spans: list[tuple[int, int, str]] = []
    document_labels = 0
    items = fields.labels(obj)
    entities = obj.get("entities") if fields.label != "entities" else None
    name = fields.label or "label"
    if not isinstance(items or [], list) or not isinstance(entities or [], list):
        raise FormatError(f"{where}: '{name}' and 'entities' must be lists")
    for item in [*(items or []), *(entities or [])]:
        if isinstance(item, str):
            document_labels += 1
        elif isinstance(item, list) and len(item) == 3:  # [start, end, "label"]
            spans.append(_span(item[0], item[1], item[2], raw, where))
        elif isinstance(item, dict):  # doccano's relation projects
            spans.append(
                _span(
                    item.get("start_offset"), item.get("end_offset"), item.get("label"), raw, where
                )
            )
        else:
            raise FormatError(
                f'{where}: each label must be [start, end, "label"] or an object with '
                f"start_offset, end_offset and label, not {item!r:.60}"
            )
    return spans, document_labels


def _span(start: Any, end: Any, label: Any, raw: OffsetMap, where: str) -> tuple[int, int, str]:
    """One span, its UTF-16 offsets checked and turned into code points of the raw text."""
    if type(start) is not int or type(end) is not int:
        raise FormatError(f"{where}: offsets must be whole numbers, not {start!r:.20}, {end!r:.20}")
    if not isinstance(label, str) or not label.strip():
        raise FormatError(f"{where}: a label must be a non-empty text, not {label!r:.40}")
    if not 0 <= start < end <= raw.length_utf16:
        raise FormatError(
            f"{where}: the span [{start}, {end}) is outside the text "
            f"(0 <= start < end <= {raw.length_utf16} UTF-16 units)"
        )
    return raw.to_codepoint(start), raw.to_codepoint(end, round_up=True), label.strip()


RESERVED = frozenset(
    {"id", "text", "title", "label", "labels", "entities", "relations", "meta", "cats"}
    | {"Comments", "comments", "annotation_approver", "user"}
)
"""Keys of a doccano line that are not its metadata."""


def _meta(obj: dict[str, Any], where: str, report: Report, fields: Fields) -> dict[str, object]:
    """The line's metadata as document variables: the keys beside the text and the
    spans (doccano 1.6 and later write the uploaded line's other columns there), and the
    ``meta`` object (earlier versions). Text, numbers and true/false are kept; a list or
    an object is counted as dropped."""
    meta = obj.get("meta")
    if meta is not None and not isinstance(meta, dict):
        raise FormatError(f"{where}: 'meta' must be an object, not {meta!r:.40}")
    taken = RESERVED | {fields.text, fields.label or "label"}
    beside = {k: v for k, v in obj.items() if k not in taken}
    out: dict[str, object] = {}
    for key, value in [*beside.items(), *(meta or {}).items()]:
        if value is None or value == "":
            continue
        if not isinstance(value, (str, int, float, bool)):
            report.dropped["nested meta value (a list or an object)"] += 1
        elif not VARIABLE_KEY_RE.match(key.strip()):
            report.dropped["meta value named as no variable can be"] += 1
        else:
            out[key.strip()] = value
    return out


def parse_doccano(path: Path, fields: Fields | None = None) -> tuple[list[_Doc], Report]:
    """Read and check every line; nothing is stored yet. Errors name the line."""
    fields = fields or Fields()
    docs: list[_Doc] = []
    report = Report(assumed=[UNITS, LINE_ENDS])
    moved = 0
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise FormatError(f"cannot read {path}: {exc.strerror}") from None
    with fh:
        for number, line in enumerate(fh, 1):
            where = f"{path.name}, line {number}"
            if number == 1:
                line = line.removeprefix(b"\xef\xbb\xbf")
            if not line.strip():
                continue
            obj = loads(line, path.name, number)
            if not isinstance(obj, dict):
                raise FormatError(f'{where}: each line must be an object with "{fields.text}"')
            raw = obj.get(fields.text)
            if not isinstance(raw, str):
                keys = ", ".join(sorted(map(str, obj))[:8])
                raise FormatError(
                    f'{where}: there is no "{fields.text}" that is text (the line has: {keys}; '
                    "name the text's key with --text-field)"
                )
            if not raw.strip():
                raise FormatError(f"{where}: the text is empty")
            spans, n_classes = _spans_of(obj, OffsetMap(raw), where, fields)
            if n_classes:
                report.dropped["document label (text classification)"] += n_classes
            rels = obj.get("relations")
            if isinstance(rels, list) and rels:
                report.dropped["doccano relation"] += len(rels)
            text, move = normalised_offsets(raw)
            kept = []
            for start, end, label in spans:
                s, e = move(start), move(end)
                if s < e:
                    kept.append((s, e, label))
                else:
                    moved += 1
            ident = obj.get("id")
            title = obj.get("title")
            if not isinstance(title, str) or not title.strip():
                title = f"{path.stem} {ident if ident is not None else len(docs) + 1}"
            source = f"{path.name}#{ident}" if ident is not None else f"{path.name}:{number}"
            meta = _meta(obj, where, report, fields)
            docs.append(_Doc(title.strip(), source, text, kept, meta))
    if not docs:
        raise FormatError(f"{path.name} is empty: it holds no doccano documents")
    if moved:
        report.warnings.append(
            f"{moved} spans covered only a \\r of a line break and were left out"
        )
    return docs, report


_JSONL_HEADER = re.compile(rb'"annotator"\s*:\s*"jsonl"')


def sniff_doccano(path: Path) -> bool:
    """A .jsonl/.json file whose first line is an object with "text" (not Annotator JSONL)."""
    if path.suffix.lower() not in (".jsonl", ".json", ".ndjson") or not path.is_file():
        return False
    head = read_head(path)
    first, complete = head.split(b"\n", 1)[0], b"\n" in head
    if not first.startswith(b"{") or _JSONL_HEADER.search(first):
        return False
    if complete:
        try:
            obj = json.loads(first)
        except (ValueError, UnicodeDecodeError):
            return False
        return isinstance(obj, dict) and isinstance(obj.get("text"), str)
    return b'"text"' in first and b'"data"' not in first


@importer("doccano", (".jsonl",), "doccano JSONL (sequence labelling)", sniff=sniff_doccano)
def import_doccano(project: Project, path: Path, options: Options) -> Report:
    docs, report = parse_doccano(path, Fields.of(options))
    mapping, label_warnings = plan_labels(project, (s[2] for d in docs for s in d.spans))
    report.warnings += label_warnings
    with project.transaction():
        report.warnings += grow_codebook(project, options, path.name, keys=mapping.values())
        variables: list[tuple[int, str, object]] = []
        for n, doc in enumerate(docs, 1):
            stored = project.add_document(doc.text, doc.title, source_name=doc.source_name)
            project.annotate_many(
                stored, [(s, e, mapping[label], None) for s, e, label in doc.spans]
            )
            variables += [(stored.id, key, value) for key, value in doc.meta.items()]
            report.documents += 1
            report.annotations += len(doc.spans)
            report.document_ids.append(stored.id)
            options.tick(n, len(docs))
        if variables:
            try:
                project.variables.set_many(variables)
            except InputError as exc:
                raise FormatError(f"{path.name}: meta: {exc}") from None
    return report
