"""Label Studio JSON tasks, both ways.

A file is a list of tasks::

    [{"id": 1, "data": {"text": "...", "title": "..."},
      "annotations": [{"result": [
          {"id": "a7", "type": "labels", "from_name": "label", "to_name": "text",
           "value": {"start": 0, "end": 6, "text": "Senate", "labels": ["actor"]}},
          {"id": "a7", "type": "textarea", "from_name": "note", "to_name": "text",
           "value": {"start": 0, "end": 6, "text": ["the upper house"]}},
          {"id": "a9", "type": "choices", "from_name": "position", "to_name": "text",
           "value": {"start": 9, "end": 20, "choices": ["+1"]}},
          {"type": "relation", "from_id": "a7", "to_id": "a9", "direction": "right",
           "labels": ["claimant"]}]}]}]

Notes travel as per-region ``textarea`` results (``from_name`` "note") and attributes
as per-region ``choices`` (choice and yes/no attributes) or ``textarea`` (text and
numbers) named after the attribute key, so both survive a round trip; a labelling
config that declares these tags with ``perRegion="true"`` shows them in Label Studio.
Actor links, the label hierarchy, document groups and memos have no place in the format:
export counts them in its report (``dropped``). Document variables are ``data`` fields
beside ``text`` and ``title``, both ways (a list or an object there is counted as dropped).

Offsets: Label Studio (since its 2021 fix, PR #1559) stores ``start``/``end`` of text
regions as code points into ``data.text``, the same unit as a Python ``str`` index, so
they are written and read unchanged. Files from older versions counted UTF-16 units:
when a region's ``text`` does not match at its code-point offsets but does at its
UTF-16 offsets, it is converted (and the import warns).
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from annotator.core.codebook import AttributeDef, Codebook, Label
from annotator.core.errors import AnnotatorError, FormatError, InputError
from annotator.core.offsets import OffsetMap
from annotator.core.variables import VARIABLE_KEY_RE
from annotator.formats._codebook_growth import grow_codebook
from annotator.formats._dates import utc_stamp
from annotator.formats._json import loads
from annotator.formats._variables import typed_variables
from annotator.formats.doccano import (
    normalised_offsets,
    plan_labels,
    read_head,
)
from annotator.formats.registry import Options, Report, exporter, importer, replacing
from annotator.store.codebook.codebook_tables import EXTRA_COLOURS
from annotator.store.project import Project
from annotator.store.queries.export_queries import (
    count_annotations,
    document_texts,
    relation_links,
    span_contents,
    uncarried,
)
from annotator.store.structure import check_attribute_value

UNITS = (
    "positions in code points (as Label Studio counts them since 1.0; "
    "UTF-16 units where a region's text says so)"
)
NOTE = "note"  # from_name of the per-region textarea that holds a note
LABEL = "label"  # from_name of the labels control
TAXONOMY = "code"  # from_name of the per-region Taxonomy that holds a label's path
MAX_BYTES = 500 * 1024 * 1024


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# -- export -------------------------------------------------------------------------


def _region_results(
    row: tuple[Any, ...],
    kinds: dict[str, str],
    skipped: list[str],
    paths: dict[str, list[str]] | None = None,
) -> Iterator[dict[str, Any]]:
    a_id, start, end, text, label, note, attrs = row
    rid = f"a{a_id}"
    yield {
        "id": rid,
        "type": "labels",
        "from_name": LABEL,
        "to_name": "text",
        "value": {"start": start, "end": end, "text": text, "labels": [label]},
    }
    if paths and label in paths:  # the label tree: a per-region Taxonomy
        yield {
            "id": rid,
            "type": "taxonomy",
            "from_name": TAXONOMY,
            "to_name": "text",
            "value": {"start": start, "end": end, "taxonomy": [paths[label]]},
        }
    if note:
        yield {
            "id": rid,
            "type": "textarea",
            "from_name": NOTE,
            "to_name": "text",
            "value": {"start": start, "end": end, "text": [note]},
        }
    for key, value in (json.loads(attrs) if attrs and attrs != "{}" else {}).items():
        if key in (NOTE, LABEL):
            skipped.append(key)
            continue
        choice = kinds.get(key) in ("choice", "boolean")
        yield {
            "id": rid,
            "type": "choices" if choice else "textarea",
            "from_name": key,
            "to_name": "text",
            "value": {"start": start, "end": end, ("choices" if choice else "text"): [value]},
        }


CARRIED = ("note", "attribute value", "relation", "document variable", "label hierarchy link")
"""What the tasks carry: notes and attributes as region results, relations, and document
variables as ``data`` fields, the label tree as per-region taxonomies (actor links, groups
and memos have no place)."""
RESERVED = ("text", "title")  # data fields that are not document variables


def write_labelstudio(project: Project, out: TextIO, options: Options) -> Report:
    report = Report(dropped=uncarried(project, CARRIED))
    codebook = project.codebook()
    kinds = {a.key: a.type for a in codebook.attributes}
    paths = {
        label.key: [*reversed(codebook.ancestors(label.key)), label.key]
        for label in codebook.labels
        if label.parent is not None
    }
    variables = typed_variables(project)
    skipped: list[str] = []
    total = count_annotations(project)
    out.write("[")
    for n, (doc_id, title, text) in enumerate(document_texts(project)):
        data: dict[str, Any] = {"text": text, "title": title}
        for key, value in variables.get(doc_id, {}).items():
            if key in RESERVED:  # the text and the title have these fields
                report.dropped["document variable named text or title"] += 1
            else:
                data[key] = value
        task = _dumps({"id": doc_id, "data": data})
        out.write(("," if n else "") + "\n" + task[:-1] + ', "annotations": [{"result": [')
        sep = ""
        for rows in span_contents(project, doc_id):
            parts = [_dumps(r) for row in rows for r in _region_results(row, kinds, skipped, paths)]
            out.write(sep + ", ".join(parts))
            sep = ", "
            report.annotations += len(rows)
            options.tick(report.annotations, total)
        for rows in relation_links(project, doc_id):
            parts = [
                _dumps(
                    {
                        "type": "relation",
                        "from_id": f"a{from_id}",
                        "to_id": f"a{to_id}",
                        "direction": "right",
                        "labels": [kind],
                    }
                )
                for kind, from_id, to_id in rows
            ]
            out.write(sep + ", ".join(parts))
            sep = ", "
            report.relations += len(rows)
        out.write("]}]}")
        report.documents += 1
    out.write("\n]\n")
    if skipped:
        report.warnings.append(
            f"{len(skipped)} values of attributes named 'note' or 'label' were left out "
            "(those names are taken by the note and label controls)"
        )
    return report


@exporter(
    "labelstudio",
    ".json",
    "Label Studio JSON tasks (spans, notes, attributes, relations)",
    streams=True,
)
def export_labelstudio(project: Project, target: Path | TextIO, options: Options) -> Report:
    if not isinstance(target, Path):
        return write_labelstudio(project, target, options)
    with replacing(target) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as fh:
        return write_labelstudio(project, fh, options)


# -- import -------------------------------------------------------------------------


@dataclass
class _Span:
    start: int
    end: int
    label: str  # the foreign label name, mapped to a key before storing
    note: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    coder: str | None = None  # the annotation set's completed_by
    created: str | None = None  # the annotation set's created_at (UTC ISO 8601)


@dataclass
class _Task:
    title: str
    source_name: str
    text: str
    spans: list[_Span] = field(default_factory=list)
    relations: list[tuple[int, int, str]] = field(default_factory=list)  # span indexes
    variables: dict[str, object] = field(default_factory=dict)  # data fields besides text


class _Counts:
    """What the import left out or changed, counted for the warnings."""

    def __init__(self) -> None:
        self.items: dict[str, int] = {}

    def add(self, what: str, n: int = 1) -> None:
        self.items[what] = self.items.get(what, 0) + n

    def warnings(self) -> list[str]:
        return [f"{n} {what}" for what, n in self.items.items()]


def _text_list(value: Any) -> str | None:
    """The text of a textarea value (a list of lines, or one text)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    return None


def set_author(annotation: dict[str, Any]) -> str | None:
    """Who made an annotation set: ``completed_by`` as Label Studio writes it (a user id,
    or an object with the email and name in exports with user details)."""
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        name = " ".join(str(who.get(k) or "").strip() for k in ("first_name", "last_name")).strip()
        who = who.get("email") or name or who.get("id")
    if isinstance(who, bool) or who is None:
        return None
    if isinstance(who, int):
        return f"Label Studio user {who}"
    text = " ".join(str(who).split())[:200]
    return text or None


class _Parser:
    def __init__(self, path: Path, attribute_defs: dict[str, AttributeDef]) -> None:
        self.path = path
        self.defs = attribute_defs
        self.counts = _Counts()
        self.dropped: Counter[str] = Counter()
        self.parents: dict[str, str] = {}  # label name -> its parent's, from taxonomies

    def variables(self, data: dict[str, Any]) -> dict[str, object]:
        """The task's ``data`` fields besides text and title, as document variables:
        text, numbers and true/false (a list or an object is counted as dropped)."""
        out: dict[str, object] = {}
        for key, value in data.items():
            if key in RESERVED or value is None or value == "":
                continue
            if not isinstance(value, (str, int, float, bool)):
                self.dropped["nested data field (a list or an object)"] += 1
            elif not VARIABLE_KEY_RE.match(str(key).strip()):
                self.dropped["data field named as no variable can be"] += 1
            else:
                out[str(key).strip()] = value
        return out

    def task(self, n: int, task: Any) -> _Task:
        where = f"{self.path.name}, task {n}"
        if not isinstance(task, dict):
            raise FormatError(f"{where}: a task must be an object")
        data = task.get("data")
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise FormatError(f"{where}: there is no data.text")
        raw = data["text"]
        if not raw.strip():
            raise FormatError(f"{where}: data.text is empty")
        ident = task.get("id")
        where = f"{self.path.name}, task {ident if ident is not None else n}"
        title = data.get("title")
        if not isinstance(title, str) or not title.strip():
            title = f"{self.path.stem} {ident if ident is not None else n}"
        text, move = normalised_offsets(raw)
        out = _Task(title.strip(), f"{self.path.name}#{ident if ident is not None else n}", text)
        out.variables = self.variables(data)
        sets = task.get("annotations", task.get("completions"))
        sets = [] if sets is None else sets
        if not isinstance(sets, list):
            raise FormatError(f"{where}: 'annotations' must be a list")
        predictions = task.get("predictions") or []
        if isinstance(predictions, list):
            for p in predictions:
                if isinstance(p, dict) and isinstance(p.get("result"), list) and p["result"]:
                    self.counts.add(
                        "prediction results were left out (only annotations are imported)",
                        len(p["result"]),
                    )
        for k, annotation in enumerate(sets, 1):
            if not isinstance(annotation, dict) or not isinstance(
                annotation.get("result", []), list
            ):
                raise FormatError(f"{where}, annotation {k}: 'result' must be a list")
            first = len(out.spans)
            self._results(
                f"{where}, annotation {k}", annotation.get("result") or [], raw, move, out
            )
            # each annotation set is one coder's work: its spans keep that coder and time
            coder, created = set_author(annotation), utc_stamp(annotation.get("created_at"))
            for span in out.spans[first:]:
                span.coder, span.created = coder, created
        return out

    def _results(self, where: str, results: list[Any], raw: str, move: Any, out: _Task) -> None:
        regions: dict[str, list[int]] = {}  # region id -> indexes into out.spans
        later: list[dict[str, Any]] = []
        omap: OffsetMap | None = None
        for r in results:
            if not isinstance(r, dict) or not isinstance(r.get("value", {}), dict):
                raise FormatError(f"{where}: each result must be an object with a 'value' object")
            if r.get("type") != "labels":
                later.append(r)
                continue
            value = r.get("value", {})
            start, end, labels = value.get("start"), value.get("end"), value.get("labels")
            if type(start) is not int or type(end) is not int:
                raise FormatError(
                    f"{where}: region {r.get('id')!r}: start and end must be whole numbers"
                )
            if not isinstance(labels, list) or not all(
                isinstance(x, str) and x.strip() for x in labels
            ):
                raise FormatError(
                    f"{where}: region {r.get('id')!r}: 'labels' must be a list of texts"
                )
            if not 0 <= start < end <= len(raw):
                raise FormatError(
                    f"{where}: region {r.get('id')!r}: [{start}, {end}) is outside the text "
                    f"(0 <= start < end <= {len(raw)})"
                )
            expected = value.get("text")
            if isinstance(expected, str) and raw[start:end] != expected:
                omap = omap or OffsetMap(raw)
                s16, e16 = omap.to_codepoint(start), omap.to_codepoint(end, round_up=True)
                if end <= omap.length_utf16 and raw[s16:e16] == expected:
                    start, end = s16, e16
                    self.counts.add(
                        "regions counted UTF-16 units (an older Label Studio) and were converted"
                    )
                else:
                    raise FormatError(
                        f"{where}: region {r.get('id')!r}: its text {expected[:30]!r} is not the "
                        f"text at [{start}, {end}) ({raw[start:end][:30]!r})"
                    )
            s, e = move(start), move(end)
            if s >= e:
                self.counts.add("regions covered only the \\r of a line break and were left out")
                continue
            indexes = []
            for label in labels:
                indexes.append(len(out.spans))
                out.spans.append(_Span(s, e, label.strip()))
            rid = r.get("id")
            if isinstance(rid, str | int):
                regions.setdefault(str(rid), []).extend(indexes)
        seen = {(a, b, t) for a, b, t in out.relations}
        for r in later:
            if r.get("type") == "relation":
                self._relation(r, regions, out, seen)
            else:
                self._region_value(r, regions, out)

    def _region_value(self, r: dict[str, Any], regions: dict[str, list[int]], out: _Task) -> None:
        rid, kind, name = r.get("id"), r.get("type"), r.get("from_name")
        targets = regions.get(str(rid)) if isinstance(rid, str | int) else None
        if not targets:
            self.counts.add(f"'{kind}' results that belong to no labelled region were left out")
            return
        value = r.get("value", {})
        if kind == "taxonomy" and name == TAXONOMY:
            self._taxonomy(value.get("taxonomy"), [out.spans[i].label for i in targets])
            return
        if kind == "textarea":
            text = _text_list(value.get("text"))
        elif kind == "choices" and isinstance(value.get("choices"), list):
            text = ", ".join(str(c) for c in value["choices"])
        else:
            text = None
        if text is None:
            self.counts.add(f"'{kind}' results of {name!r} could not be read and were left out")
            return
        for i in targets:
            span = out.spans[i]
            if name == NOTE and kind == "textarea":
                span.note = text if span.note is None else span.note + "\n" + text
                continue
            definition = self.defs.get(name) if isinstance(name, str) else None
            if definition is None:
                self.counts.add(
                    f"region values of {name!r}, which is not an attribute of the codebook, were left out"
                )
                continue
            try:
                span.attributes[definition.key] = check_attribute_value(definition, text)
            except AnnotatorError as exc:
                self.counts.add(f"attribute values were left out ({exc})")

    def _taxonomy(self, paths: Any, labels: list[str]) -> None:
        """A region's label path (root first, the region's label last): its parents."""
        ok = isinstance(paths, list) and all(
            isinstance(p, list) and p and all(isinstance(x, str) and x.strip() for x in p)
            for p in paths
        )
        if not ok:
            self.dropped["taxonomy that is not a list of label paths"] += 1
            return
        for path in paths:
            if path[-1].strip() not in labels:
                self.dropped["taxonomy path that does not end in its region's label"] += 1
                continue
            for parent, child in itertools.pairwise(path):
                self.parents.setdefault(child.strip(), parent.strip())

    def _relation(
        self,
        r: dict[str, Any],
        regions: dict[str, list[int]],
        out: _Task,
        seen: set[tuple[int, int, str]],
    ) -> None:
        source, target = regions.get(str(r.get("from_id"))), regions.get(str(r.get("to_id")))
        labels = r.get("labels")
        if not source or not target:
            self.counts.add("relations between unknown regions were left out")
            return
        if not isinstance(labels, list) or not labels or not isinstance(labels[0], str):
            self.counts.add("relations without a type (labels) were left out")
            return
        a, b = source[0], target[0]
        if r.get("direction") == "left":
            a, b = b, a
        elif r.get("direction") == "bi":
            self.counts.add("two-way relations were imported as going from from_id to to_id")
        if len(labels) > 1:
            self.counts.add("relations had several types; the first was kept")
        key = (a, b, labels[0])
        if a != b and key not in seen:
            seen.add(key)
            out.relations.append(key)


def parse_labelstudio(path: Path, codebook: Codebook) -> tuple[list[_Task], Report, dict[str, str]]:
    """Read and check the whole file; nothing is stored yet. The report holds the
    warnings and what was dropped; the dict, each label's parent (by name)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise FormatError(f"{path.name} is larger than {MAX_BYTES // 2**20} MB")
        raw = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    except OSError as exc:
        raise FormatError(f"cannot read {path}: {exc.strerror}") from None
    data = loads(raw, path.name)
    tasks = [data] if isinstance(data, dict) else data
    if not isinstance(tasks, list):
        raise FormatError(f"{path.name}: a Label Studio file is a list of tasks")
    if not tasks:
        raise FormatError(f"{path.name} is empty: it holds no tasks")
    parser = _Parser(path, {a.key: a for a in codebook.attributes})
    parsed = [parser.task(n, task) for n, task in enumerate(tasks, 1)]
    report = Report(warnings=parser.counts.warnings(), dropped=parser.dropped)
    report.assumed.append(UNITS)
    return parsed, report, parser.parents


def _tree(mapping: dict[str, str], parents: dict[str, str]) -> Codebook | None:
    """The labels of the taxonomies, with their parents (keys by *mapping*)."""
    if not parents:
        return None
    names = dict.fromkeys([*parents.values(), *parents])
    labels = tuple(
        Label(
            mapping[name],
            name,
            EXTRA_COLOURS[i % len(EXTRA_COLOURS)],
            parent=mapping[parents[name]] if name in parents else None,
        )
        for i, name in enumerate(names)
    )
    return Codebook("Label Studio taxonomy", labels)


def _store(
    project: Project,
    tasks: list[_Task],
    options: Options,
    report: Report,
    source: str,
    parents: dict[str, str] | None = None,
) -> None:
    """Write the parsed tasks in one transaction (every value was checked before)."""
    parents = parents or {}
    names = [s.label for t in tasks for s in t.spans] + [*parents.values(), *parents]
    mapping, label_warnings = plan_labels(project, names)
    report.warnings.extend(label_warnings)
    codebook = project.codebook()
    relation_types = {r.key: r for r in codebook.relations}
    defs = {a.key: a for a in codebook.attributes}
    counts = _Counts()
    variables: list[tuple[int, str, object]] = []
    with project.transaction():
        report.warnings += grow_codebook(
            project, options, source, _tree(mapping, parents), keys=mapping.values()
        )
        for n, task in enumerate(tasks, 1):
            doc = project.add_document(task.text, task.title, source_name=task.source_name)
            made = project.annotate_many(
                doc,
                [
                    (s.start, s.end, mapping[s.label], s.note, s.coder, s.created)
                    for s in task.spans
                ],
            )
            for span, annotation in zip(task.spans, made, strict=True):
                values = {
                    k: v for k, v in span.attributes.items() if defs[k].applies_to(annotation.label)
                }
                if len(values) < len(span.attributes):
                    counts.add(
                        "attribute values did not apply to their label and were left out",
                        len(span.attributes) - len(values),
                    )
                if values:
                    project.set_attributes(annotation.id, dict(values))
            for a, b, kind in task.relations:
                rel = relation_types.get(kind)
                if rel is None or not rel.fits(made[a].label, made[b].label):
                    counts.add(
                        "relations of a type the codebook lacks, or between labels it does "
                        "not allow, were left out"
                    )
                    continue
                project.relate(made[a].id, made[b].id, kind)
                report.relations += 1
            report.documents += 1
            report.annotations += len(made)
            report.document_ids.append(doc.id)
            variables += [(doc.id, key, value) for key, value in task.variables.items()]
            options.tick(n, len(tasks))
        if variables:
            try:
                project.variables.set_many(variables)
            except InputError as exc:
                raise FormatError(f"{source}: data fields: {exc}") from None
    report.warnings.extend(counts.warnings())


def sniff_labelstudio(path: Path) -> bool:
    """A .json file that starts with a task list (or a task): reads 64 KB at most."""
    if path.suffix.lower() != ".json" or not path.is_file():
        return False
    head = read_head(path)
    keys = (b'"data"', b'"annotations"', b'"predictions"', b'"completions"')
    return head[:1] in (b"[", b"{") and any(k in head for k in keys)


@importer("labelstudio", (".json",), "Label Studio JSON tasks", sniff=sniff_labelstudio)
def import_labelstudio(project: Project, path: Path, options: Options) -> Report:
    tasks, report, parents = parse_labelstudio(path, project.codebook())
    _store(project, tasks, options, report, path.name, parents)
    return report
