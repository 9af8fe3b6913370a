"""Annotator JSONL: the lossless exchange format between projects.

The first line is a header ``{"annotator": "jsonl", "version": 1, "codebook": {...}}``
(the codebook as :meth:`Codebook.to_dict` writes it). Every further line is one
document::

    {"title": ..., "source_name": ..., "source_path": ..., "imported_at": ...,
     "sha256": ..., "text": ...,
     "spans": [{"id", "start", "end", "text", "label", "note", "annotator",
                "created", "modified", "attributes": {key: value}}],
     "relations": [{"type", "from", "to", "annotator", "created"}],
     "actors": [{"span", "name", "type"}]}

The header also carries the project's ``"memo"`` (kept only by a project without
one). A document line also carries, when it has them, ``"variables": {key: value}`` (its
document variables as JSON values; their types are in the header's
``"variable_types"``), ``"groups": [names]`` (the header's ``"groups"`` lists every group
with its parent) and ``"memo"``. The label hierarchy is the codebook's.

Offsets are code points into the normalised ``text``; span ids (their places in the
line, 1, 2, ... in text order) only link relations and actors within a line, so export,
import and export again give the same bytes. Import writes with ``executemany`` in one
transaction: a file that fails anywhere changes nothing and the error names its line.
"""

from __future__ import annotations

import gc
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import repeat
from operator import itemgetter, lt, methodcaller
from pathlib import Path
from typing import Any, TextIO

import yaml

from annotator.core.codebook import AttributeDef, Codebook, RelationType, load_codebook
from annotator.core.errors import AnnotatorError, CodebookError, FormatError, InputError
from annotator.core.text import normalise, text_hash
from annotator.core.variables import VARIABLE_TYPES
from annotator.formats._json import fast_loader, loads_with
from annotator.formats._jsonl_export import FORMAT, VERSION, write_jsonl
from annotator.formats.registry import Options, Report, exporter, importer, replacing
from annotator.store.bulk import BulkWriter, bulk_writer
from annotator.store.project import Project, now
from annotator.store.structure import ACTOR_TYPES, check_attribute_value

_loads = fast_loader()  # orjson when installed (tests set json.loads)

UNITS = "positions in code points of the normalised text (its line ends are \\n)"
FLUSH = 50_000  # annotation rows buffered before an executemany on import
READ_BUFFER = 1 << 20  # lines are long (a whole document each): read in large pieces


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# -- export (the writer is _jsonl_export.py) ------------------------------------------
@exporter(
    "jsonl", ".jsonl", "Annotator JSONL: lossless, for moving work between projects", streams=True
)
def export_jsonl(project: Project, target: Path | TextIO, options: Options) -> Report:
    if not isinstance(target, Path):
        return write_jsonl(project, target, options)
    with replacing(target) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as fh:
        return write_jsonl(project, fh, options)


# -- import -------------------------------------------------------------------------
_SPAN_KEYS = ("id", "start", "end", "text", "label", "note", "annotator", "created", "modified")
_SPAN_FIELDS = itemgetter(*_SPAN_KEYS)
_SPAN_ROW = itemgetter(*_SPAN_KEYS, "attributes")
_ATTRIBUTES = methodcaller("get", "attributes")
_NOTE_TYPES = frozenset({str, type(None)})
_ID_TYPES = frozenset({int, str})


def _all_of_type(values: Iterable[Any], kind: type) -> bool:
    """True when every value is exactly of type *kind* (so ``True`` is not an int)."""
    return set(map(type, values)) == {kind}


class _Bad(Exception):
    """A problem in the current line; the caller adds the file name and line number."""


def _field(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], what: str) -> Any:
    try:
        value = obj[key]
    except KeyError:
        raise _Bad(f"{what} has no '{key}'") from None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise _Bad(f"{what}: '{key}' must be {_kind_name(kind)}, not {_dumps(value)[:40]}")
    return value


def _optional(obj: dict[str, Any], key: str, what: str) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise _Bad(f"{what}: '{key}' must be text or null, not {_dumps(value)[:40]}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "text", int: "a whole number", list: "a list", dict: "an object"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _hashable(value: Any) -> Any:
    """*value* when it can be a key (text or number), else None (so lookups fail cleanly)."""
    return value if isinstance(value, str | int) else None


def _codebook_of(data: Any) -> Codebook:
    if not isinstance(data, dict):
        raise _Bad("the header's 'codebook' must be an object")
    try:
        return load_codebook(yaml.safe_dump(data, allow_unicode=True), None)
    except CodebookError as exc:
        raise _Bad(f"the header's codebook is not valid: {exc.message}") from None


class _Loader:
    """Turns one parsed line after another into rows, and writes them in batches."""

    def __init__(
        self, project: Project, writer: BulkWriter, max_new_labels: int | None = None
    ) -> None:
        self.max_new_labels = max_new_labels
        self.project = project
        self.report = Report(assumed=[UNITS])
        self.writer = writer
        self.next_id = self.writer.next_annotation_id()
        self.codebook_ready = False
        self.variable_types: dict[str, str] = {}
        self.variables: list[tuple[int, str, object]] = []
        self.members: dict[str, list[int]] = {}

    def header(self, obj: Any) -> None:
        if not isinstance(obj, dict) or obj.get("annotator") != FORMAT:
            raise _Bad(
                "not an Annotator JSONL file: the first line must be the header "
                '{"annotator": "jsonl", "version": 1, ...}'
            )
        if obj.get("version") != VERSION:
            raise _Bad(
                f"written in JSONL version {obj.get('version')!r}; this Annotator reads version "
                f"{VERSION}"
            )
        wanted = obj.get("codebook")
        if wanted is not None and wanted != self.project.codebook().to_dict():
            try:
                added = self.project.merge_codebook(
                    _codebook_of(wanted), max_new_labels=self.max_new_labels
                )
            except InputError as exc:
                raise _Bad(str(exc)) from None
            if added:
                self.report.warnings.append("codebook: added " + ", ".join(added))
        self._load_codebook()
        kinds = obj.get("variable_types", {})
        if not isinstance(kinds, dict) or not all(
            isinstance(k, str) and k in VARIABLE_TYPES for k in kinds.values()
        ):
            raise _Bad(
                f"the header's 'variable_types' must map names to {', '.join(VARIABLE_TYPES)}"
            )
        self.variable_types = kinds
        known = self.project.variables.types()
        try:
            for key, kind in kinds.items():  # defined in the header's order
                if key not in known:
                    self.project.variables.define(key, kind)
        except InputError as exc:
            raise _Bad(f"the header's variable_types: {exc}") from None
        groups = obj.get("groups", [])
        if not isinstance(groups, list) or not all(
            isinstance(g, dict) and isinstance(g.get("name"), str) for g in groups
        ):
            raise _Bad("the header's 'groups' must be a list of objects with a name")
        have = {g.name for g in self.project.groups.all()}
        try:
            for group in groups:
                if group["name"] not in have:
                    parent = group.get("parent")
                    self.project.groups.create(
                        group["name"], parent if isinstance(parent, str) else None
                    )
                    have.add(group["name"])
        except InputError as exc:
            raise _Bad(f"the header's groups: {exc}") from None
        self.groups = have
        memo = obj.get("memo")
        if memo is not None and not isinstance(memo, str):
            raise _Bad("the header's 'memo' must be text")
        if memo and not self.project.memo:  # a project's own memo is kept
            self.project.set_memo(memo)

    def finish(self) -> None:
        """Store what refers to the documents: their variables and group memberships."""
        try:
            if self.variables:
                self.project.variables.set_many(self.variables, self.variable_types)
            for name, ids in self.members.items():
                self.project.groups.add(name, ids)
        except InputError as exc:
            raise _Bad(str(exc)) from None

    def _load_codebook(self) -> None:
        codebook = self.project.codebook()
        self.label_ids = self.project.label_ids()
        self.attribute_defs: dict[str, AttributeDef] = {a.key: a for a in codebook.attributes}
        self.relation_types: dict[str, RelationType] = {r.key: r for r in codebook.relations}
        self.codebook_ready = True

    def document(self, obj: Any) -> None:
        if not isinstance(obj, dict):
            raise _Bad("each line after the header must be a document object")
        title = _field(obj, "title", str, "the document").strip()
        text = _field(obj, "text", str, "the document")
        if not title:
            raise _Bad("the document's title is empty")
        if not text.strip():
            raise _Bad(f"document '{title}' has no text")
        if normalise(text) != text:
            raise _Bad(f"the text of '{title}' is not normalised (it holds \\r or a BOM)")
        sha, digest = obj.get("sha256"), text_hash(text)
        if sha is not None and sha != digest:
            raise _Bad(f"the sha256 of '{title}' does not match its text")
        imported_at = _optional(obj, "imported_at", "the document") or now()
        doc_id = self.writer.add_document(
            title=title,
            source_name=_optional(obj, "source_name", "the document"),
            source_path=_optional(obj, "source_path", "the document"),
            text=text,
            sha256=digest,
            imported_at=imported_at,
        )
        self.report.documents += 1
        self.report.document_ids.append(doc_id)
        self._facts(doc_id, title, obj)
        linked = bool(obj.get("relations")) or bool(obj.get("actors"))
        ids = self._spans(doc_id, text, obj.get("spans", []), linked)
        self._relations(ids, obj.get("relations", []))
        self._actors(ids, obj.get("actors", []))
        if self.writer.pending >= FLUSH:
            self.writer.flush()

    def _facts(self, doc_id: int, title: str, obj: dict[str, Any]) -> None:
        """The document's variables, groups and memo (stored by :meth:`finish`)."""
        variables, groups = obj.get("variables", {}), obj.get("groups", [])
        if not isinstance(variables, dict):
            raise _Bad(f"the variables of '{title}' must be an object")
        for key, value in variables.items():
            if not isinstance(value, (str, int, float, bool)):
                raise _Bad(f"variable '{key}' of '{title}' must be text, a number or true/false")
            self.variables.append((doc_id, key, value))
        if not isinstance(groups, list) or not all(g in self.groups for g in groups):
            raise _Bad(f"the groups of '{title}' must be names of the header's groups")
        for name in groups:
            self.members.setdefault(name, []).append(doc_id)
        memo = _optional(obj, "memo", "the document")
        if memo:
            self.project.set_document_info(doc_id, memo=memo)

    def _spans(
        self, doc_id: int, text: str, spans: Any, linked: bool
    ) -> dict[Any, tuple[int, str]]:
        """Buffer the spans' rows; return local span id -> (new id, label), kept only
        when the line has relations or actor links (*linked*) that refer to them.

        This is the hot path of large imports. A line whose spans are all complete and
        valid is checked column by column (:meth:`_spans_at_once`); any other goes span
        by span (:meth:`_spans_one_by_one`), which finds the first problem and says what
        it is. Both apply the same checks.
        """
        if not isinstance(spans, list):
            raise _Bad("'spans' must be a list")
        checked = self._spans_at_once(doc_id, text, spans, linked)
        if checked is None:
            return self._spans_one_by_one(doc_id, text, spans, linked)
        rows, ids, doc_attrs = checked
        self.next_id += len(rows)
        self.writer.add_annotations(rows)
        for n, new_id, label, attributes in doc_attrs:
            self._attributes(f"span {n}", new_id, label, attributes)
        self.report.annotations += len(rows)
        return ids

    def _spans_at_once(
        self, doc_id: int, text: str, spans: list[Any], linked: bool
    ) -> tuple[list[tuple[Any, ...]], dict[Any, tuple[int, str]], list[Any]] | None:
        """The rows, the id map and ``(n, new id, label, attributes)`` of the spans
        that have attributes, when every span has all its fields and passes every
        check of :meth:`_span_slowly`; None otherwise.

        The checks run over whole columns in C (``map``, ``min``, ``all``): the same
        conditions as span by span, without a Python step per span. The covered text
        is compared in place, without copying slices: ``text.startswith(given, start,
        end)`` says each ``given`` begins ``text[start:end]`` (so it is no longer than
        ``end - start``), and equal totals of the lengths then leave no room for any to
        be shorter: each ``given == text[start:end]``.
        """
        n = len(spans)
        if not n:
            return [], {}, []
        try:
            try:
                columns = list(zip(*map(_SPAN_ROW, spans), strict=True))
                attributes: tuple[Any, ...] = columns.pop()
            except KeyError:  # 'attributes' may be left out (of some spans or all)
                columns = list(zip(*map(_SPAN_FIELDS, spans), strict=True))
                attributes = tuple(map(_ATTRIBUTES, spans))
            locals_, starts, ends, givens, labels, notes, whos, createds, modifieds = columns
            label_ids = list(map(self.label_ids.__getitem__, labels))
        except (KeyError, TypeError):  # a span not an object, a field left out, a bad label
            return None
        if not (
            _all_of_type(starts, int)
            and _all_of_type(ends, int)
            and min(starts) >= 0
            and max(ends) <= len(text)
            and all(map(lt, starts, ends))
            and _all_of_type(givens, str)
            and all(map(text.startswith, givens, starts, ends))
            and sum(map(len, givens)) == sum(ends) - sum(starts)
            and _all_of_type(whos, str)
            and all(whos)
            and _all_of_type(createds, str)
            and _all_of_type(modifieds, str)
            and set(map(type, notes)) <= _NOTE_TYPES
            and set(map(type, locals_)) <= _ID_TYPES
            and (not linked or len(set(locals_)) == n)
        ):
            return None
        new_ids = range(self.next_id, self.next_id + n)
        rows = list(
            zip(
                new_ids,
                repeat(doc_id, n),
                starts,
                ends,
                givens,
                label_ids,
                notes,
                whos,
                createds,
                modifieds,
                strict=True,
            )
        )
        ids = dict(zip(locals_, zip(new_ids, labels, strict=True), strict=True)) if linked else {}
        doc_attrs = []
        if any(attributes):
            doc_attrs = [
                (i, new_id, label, values)
                for i, (new_id, label, values) in enumerate(
                    zip(new_ids, labels, attributes, strict=True), 1
                )
                if values
            ]
        return rows, ids, doc_attrs

    def _spans_one_by_one(
        self, doc_id: int, text: str, spans: list[Any], linked: bool
    ) -> dict[Any, tuple[int, str]]:
        """:meth:`_spans` span by span: the first problem found raises :class:`_Bad`."""
        ids: dict[Any, tuple[int, str]] = {}
        length, label_ids, doc_attrs = len(text), self.label_ids, []
        rows: list[tuple[Any, ...]] = []
        next_id = self.next_id
        for n, span in enumerate(spans, 1):
            try:
                local, start, end, given, label, note, who, created, modified = _SPAN_FIELDS(span)
                label_id = label_ids[label]
                if not (
                    type(start) is int
                    and type(end) is int
                    and 0 <= start < end <= length
                    and text[start:end] == given
                    and type(who) is str
                    and who
                    and type(created) is str
                    and type(modified) is str
                    and (note is None or type(note) is str)
                    and type(local) in (int, str)
                    and local not in ids
                ):
                    raise ValueError
            except (KeyError, TypeError, ValueError):
                local, start, end, given, label, label_id, note, who, created, modified = (
                    self._span_slowly(n, span, text, ids)
                )
            if linked:
                ids[local] = (next_id, label)
            rows.append(
                (next_id, doc_id, start, end, given, label_id, note, who, created, modified)
            )
            if span.get("attributes"):
                doc_attrs.append((n, next_id, label, span["attributes"]))
            next_id += 1
        self.next_id = next_id
        self.writer.add_annotations(rows)
        for n, new_id, label, attributes in doc_attrs:
            self._attributes(f"span {n}", new_id, label, attributes)
        self.report.annotations += len(spans)
        return ids

    def _span_slowly(self, n: int, span: Any, text: str, ids: dict[Any, Any]) -> tuple[Any, ...]:
        """Check one span field by field: its row values, or :class:`_Bad` saying why not."""
        what, length = f"span {n}", len(text)
        if not isinstance(span, dict):
            raise _Bad(f"{what} must be an object")
        start, end = span.get("start"), span.get("end")
        if type(start) is not int or type(end) is not int:
            raise _Bad(f"{what}: start and end must be whole numbers")
        if not 0 <= start < end <= length:
            raise _Bad(
                f"{what}: [{start}, {end}) is outside the text (0 <= start < end <= {length})"
            )
        covered = text[start:end]
        if span.get("text") != covered:
            raise _Bad(
                f"{what}: its text {_dumps(span.get('text'))[:40]} is not the text at "
                f"[{start}, {end}) ({_dumps(covered)[:40]})"
            )
        label: Any = span.get("label")
        label_id = self.label_ids.get(label) if type(label) is str else None
        if label_id is None:
            raise _Bad(f"{what}: label {_dumps(label)[:40]} is not in the codebook")
        note = span.get("note")
        who, created = span.get("annotator"), span.get("created")
        modified = span.get("modified", created)
        if note is not None and type(note) is not str:
            raise _Bad(f"{what}: 'note' must be text or null")
        if type(who) is not str or not who or type(created) is not str or type(modified) is not str:
            raise _Bad(f"{what}: 'annotator', 'created' and 'modified' must be text")
        local = span.get("id", n)
        if type(local) not in (int, str) or local in ids:
            raise _Bad(f"{what}: its id must be a number or text used once in the line")
        return local, start, end, covered, label, label_id, note, who, created, modified

    def _attributes(self, what: str, new_id: int, label: str, attributes: Any) -> None:
        if not isinstance(attributes, dict):
            raise _Bad(f"{what}: 'attributes' must be an object")
        rows = []
        for key, value in attributes.items():
            definition = self.attribute_defs.get(key)
            if definition is None:
                raise _Bad(f"{what}: attribute '{key}' is not in the codebook")
            if not definition.applies_to(label):
                raise _Bad(f"{what}: attribute '{key}' does not apply to {label} annotations")
            if not isinstance(value, str):
                raise _Bad(f"{what}: the value of '{key}' must be text")
            try:
                rows.append((new_id, key, check_attribute_value(definition, value)))
            except AnnotatorError as exc:
                raise _Bad(f"{what}: {exc}") from None
        self.writer.add_attributes(rows)

    def _relations(self, ids: dict[Any, tuple[int, str]], relations: Any) -> None:
        if not isinstance(relations, list):
            raise _Bad("'relations' must be a list")
        seen: set[tuple[str, int, int]] = set()
        rows = []
        for n, rel in enumerate(relations, 1):
            what = f"relation {n}"
            if not isinstance(rel, dict):
                raise _Bad(f"{what} must be an object")
            kind = self.relation_types.get(_hashable(rel.get("type")))
            if kind is None:
                raise _Bad(f"{what}: type {_dumps(rel.get('type'))[:40]} is not in the codebook")
            source, target = ids.get(_hashable(rel.get("from"))), ids.get(_hashable(rel.get("to")))
            if source is None or target is None:
                raise _Bad(f"{what}: 'from' and 'to' must be ids of spans in the same line")
            if source[0] == target[0]:
                raise _Bad(f"{what}: a span cannot be related to itself")
            if not kind.fits(source[1], target[1]):
                raise _Bad(
                    f"{what}: a {kind.key} relation cannot go from {source[1]} to {target[1]}"
                )
            who, created = rel.get("annotator"), rel.get("created")
            if type(who) is not str or not who or type(created) is not str:
                raise _Bad(f"{what}: 'annotator' and 'created' must be text")
            key = (kind.key, source[0], target[0])
            if key in seen:
                raise _Bad(f"{what} is given twice")
            seen.add(key)
            rows.append((kind.key, source[0], target[0], who, created))
        self.writer.add_relations(rows)
        self.report.relations += len(seen)

    def _actors(self, ids: dict[Any, tuple[int, str]], links: Any) -> None:
        if not isinstance(links, list):
            raise _Bad("'actors' must be a list")
        linked: set[int] = set()
        rows = []
        for n, link in enumerate(links, 1):
            what = f"actor link {n}"
            if not isinstance(link, dict):
                raise _Bad(f"{what} must be an object")
            span = ids.get(_hashable(link.get("span")))
            if span is None:
                raise _Bad(f"{what}: 'span' must be the id of a span in the same line")
            if span[1] != "actor" or span[0] in linked:
                raise _Bad(f"{what}: only an actor span can be linked, and only once")
            name, kind = link.get("name"), _hashable(link.get("type", "other"))
            if type(name) is not str or not name.strip():
                raise _Bad(f"{what}: 'name' must be a non-empty text")
            if kind not in ACTOR_TYPES:
                raise _Bad(f"{what}: 'type' must be one of {', '.join(ACTOR_TYPES)}")
            linked.add(span[0])
            rows.append((span[0], name.strip(), kind))
        self.writer.link_actors(rows)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cycle collector: parsing allocates millions of small containers, none
    of them in cycles, and each collection pass would walk them all (it took a third
    of the import's Python time). Reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_jsonl(project: Project, path: Path, options: Options) -> Report:
    """Import an Annotator JSONL file in one transaction; errors name the line."""
    size = max(path.stat().st_size, 1)
    done, header_seen = 0, False
    try:
        with (
            path.open("rb", buffering=READ_BUFFER) as fh,
            _no_cyclic_gc(),
            bulk_writer(project) as writer,
        ):
            loader = _Loader(project, writer, options.max_new_labels)
            for number, raw in enumerate(fh, 1):
                done += len(raw)
                if number == 1:
                    raw = raw.removeprefix(b"\xef\xbb\xbf")
                if raw.isspace():  # (no copy of the line, as strip() would make)
                    continue
                obj = loads_with(_loads, raw, path.name, number)
                try:
                    if header_seen:
                        loader.document(obj)
                    else:
                        loader.header(obj)
                        header_seen = True
                except _Bad as exc:
                    raise FormatError(f"{path.name}, line {number}: {exc}") from None
                options.tick(done, size)
            if not header_seen:
                raise FormatError(f"{path.name} is empty: it holds no Annotator JSONL header")
            try:
                loader.finish()
            except _Bad as exc:
                raise FormatError(f"{path.name}: {exc}") from None
    except OSError as exc:
        raise FormatError(f"cannot read {path}: {exc.strerror}") from None
    except sqlite3.IntegrityError as exc:
        raise FormatError(f"{path.name} cannot be stored: {exc}") from None
    return loader.report


_HEADER_RE = re.compile(rb'"annotator"\s*:\s*"jsonl"')


def sniff_jsonl(path: Path) -> bool:
    """True when the first line is an Annotator JSONL header (reads 4 KB at most)."""
    if path.suffix.lower() not in (".jsonl", ".json", ".ndjson") or not path.is_file():
        return False
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    first = head.split(b"\n", 1)[0].lstrip(b"\xef\xbb\xbf \t")
    return first.startswith(b"{") and _HEADER_RE.search(first) is not None


@importer(
    "jsonl", (".jsonl",), "Annotator JSONL: lossless, from another project", sniff=sniff_jsonl
)
def import_jsonl(project: Project, path: Path, options: Options) -> Report:
    return read_jsonl(project, path, options)
