"""brat standoff: a folder with ``<n>-<title>.txt`` and ``.ann`` per document.

The ``.txt`` is the normalised text in UTF-8, so brat's offsets (code points of the
file decoded as UTF-8) are ours. In the ``.ann``:

- ``T1<TAB>label start end<TAB>text``: a span that crosses line breaks is written as
  fragments ``s1 e1;s2 e2`` split at the runs of ``\\n`` inside it (brat lines cannot
  hold a line break); the text field is the fragments' texts joined by a space, with
  any other line-break character in them written as a space. On import, fragments
  that are adjacent but for line breaks become the one span again.
- ``#1<TAB>AnnotatorNotes T1<TAB>note``: ``\\``, newline, carriage return and tab in a
  note are written ``\\\\``, ``\\n``, ``\\r``, ``\\t``, other line-break characters
  ``\\uXXXX``; an unknown ``\\`` sequence is read as it is.
- ``A1<TAB>key T1 value`` (values are tokens, see :mod:`._brat_conf`; ``A1<TAB>key T1``
  for a binary attribute), and ``R1<TAB>type Arg1:T1 Arg2:T2``.
- ``#2<TAB>Lemma T1<TAB>text``: a comment type other than ``AnnotatorNotes`` is a text
  attribute of that name (see :mod:`._brat_conf`), written back as such lines.
- ``N1<TAB>Reference T1 Actor:state<TAB>Armenia``: the canonical actor an actor mention
  is linked to (brat's normalisation line: database ``Actor``, the actor type as the
  id, the canonical name as the text).

Discontinuous spans whose gap holds more than line breaks (from brat itself) become one
annotation per fragment, each with the note ``fragment k of n of T3`` (and a warning):
the project has no "part of" relation. Events (``E``), other normalisations (``N``) and
equivalences (``*``) are counted as dropped, and so are relations the codebook (or
``annotation.conf``) does not allow: one line with the count, each on ``--verbose``.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from annotator.core.codebook import AttributeDef, Codebook
from annotator.core.errors import FormatError, InputError
from annotator.formats._brat_conf import (
    COMMENT_TYPE,
    NOTES,
    BratConf,
    annotation_conf,
    binary_keys,
    brat_key,
    conf_codebook,
    decode_token,
    encode_token,
    parse_conf,
    visual_conf,
)
from annotator.formats._brat_text import (  # noqa: F401  (cut_utf8: part of this module's API)
    LINE_BREAKS,
    MAX_NAME_BYTES,
    cut_utf8,
    escape_note,
    fragments,
    safe_title,
    text_field,
    unescape_note,
)
from annotator.formats._codebook_growth import grow_codebook
from annotator.formats._refi import RawText
from annotator.formats.registry import Options, Report, exporter, importer
from annotator.store.project import Project
from annotator.store.queries.export_queries import actor_link_records, uncarried

MAX_BYTES = 200 * 1024 * 1024
ASSUMED = (
    "positions in code points of the .txt as written (a \\r\\n line end counts two, as in brat)",
)
# What str.splitlines() breaks on: none of these may stand in a line of a .ann file.
_OFFSET = re.compile("[0-9]+")  # int() also takes "1_0", " 7" and Arabic-Indic digits


# -- export --------------------------------------------------------------------------


ACTOR_DB = "Actor"  # the normalisation "database" of actor links


CARRIED = ("note", "attribute value", "relation", "actor link", "label hierarchy link")


def _ann_lines(
    project: Project, doc_id: int, text: str, comments: set[str], binary: set[str]
) -> tuple[list[str], int, int]:
    lines: list[str] = []
    notes: list[str] = []
    attributes: list[str] = []
    tid: dict[int, str] = {}
    values = project.all_attributes(doc_id)
    anns = project.annotations(doc_id)

    def note(kind: str, n: int, value: str) -> None:
        for part in value.split("\n") if kind != NOTES else [value]:
            notes.append(f"#{len(notes) + 1}\t{kind} T{n}\t{escape_note(part)}")

    for n, a in enumerate(anns, 1):
        tid[a.id] = f"T{n}"
        parts = fragments(text, a.start, a.end)
        offsets = ";".join(f"{s} {e}" for s, e in parts)
        lines.append(f"T{n}\t{encode_token(a.label)} {offsets}\t{text_field(text, parts)}")
        if a.note:
            note(NOTES, n, a.note)
        for key, value in sorted(values.get(a.id, {}).items()):
            if key in comments:
                note(encode_token(key), n, value)
            elif key in binary:
                attributes.append(f"A{len(attributes) + 1}\t{encode_token(key)} T{n}")
            else:
                attributes.append(
                    f"A{len(attributes) + 1}\t{encode_token(key)} T{n} {encode_token(value)}"
                )
    relations = [
        f"R{k}\t{encode_token(r.type)} Arg1:{tid[r.from_id]} Arg2:{tid[r.to_id]}"
        for k, r in enumerate(project.relations(doc_id), 1)
    ]
    links = [
        f"N{k}\tReference {tid[a_id]} {ACTOR_DB}:{encode_token(kind)}\t{escape_note(name)}"
        for k, (a_id, name, kind) in enumerate(
            (row for rows in actor_link_records(project, doc_id) for row in rows), 1
        )
    ]
    return lines + attributes + relations + links + notes, len(anns), len(relations)


def _target_folder(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError(f"{target} exists and is not an empty folder; choose a new folder")
    if not target.parent.is_dir():
        raise InputError(f"cannot write {target}: folder {target.parent} does not exist")


@exporter("brat", "", "brat standoff: a folder of .txt and .ann files with annotation.conf")
def export_brat(project: Project, target: Path | TextIO, options: Options) -> Report:
    if not isinstance(target, Path):
        raise InputError("the brat format writes a folder: give -o FOLDER")
    _target_folder(target)
    report = Report(dropped=uncarried(project, CARRIED))
    codebook = project.codebook()
    free = [a.key for a in codebook.attributes if a.type in ("text", "number", "boolean")]
    used = {key: project.attribute_values(key) for key in free}
    comments = {a.key for a in codebook.attributes if a.description == COMMENT_TYPE}
    binary = binary_keys(codebook, used)
    documents = project.documents()
    width = max(3, len(str(len(documents))))
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        for n, doc in enumerate(documents, 1):
            prefix = f"{n:0{width}d}-"
            stem = prefix + safe_title(doc.title, MAX_NAME_BYTES - len(prefix) - len(".txt"))
            text = project.text(doc)
            lines, n_ann, n_rel = _ann_lines(project, doc.id, text, comments, binary)
            _write(tmp / f"{stem}.txt", text)
            _write(tmp / f"{stem}.ann", "".join(line + "\n" for line in lines))
            report.documents += 1
            report.annotations += n_ann
            report.relations += n_rel
            options.tick(n, len(documents))
        _write(tmp / "annotation.conf", annotation_conf(codebook, used))
        _write(tmp / "visual.conf", visual_conf(codebook))
        _as_mkdir_makes(tmp)
        if target.exists():
            target.rmdir()
        os.replace(tmp, target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise InputError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return report


def _as_mkdir_makes(folder: Path) -> None:
    """Give *folder* (private while it is written) the mode ``mkdir`` gives a new
    folder under the user's umask, read from a folder made inside it (no process-wide
    ``os.umask`` call, which other threads would see)."""
    probe = folder / ".mode"
    probe.mkdir(0o777)
    mode = probe.stat().st_mode & 0o777
    probe.rmdir()
    folder.chmod(mode)


def _write(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(text)


# -- import: reading -----------------------------------------------------------------


@dataclass
class _Entity:
    tid: str
    label: str  # brat type name
    spans: list[tuple[int, int]]  # normalised offsets, one per kept fragment
    notes: list[str] = field(default_factory=list)


@dataclass
class _Doc:
    title: str
    text: str
    entities: dict[str, _Entity] = field(default_factory=dict)
    attributes: list[tuple[str, str, str | None]] = field(default_factory=list)
    relations: list[tuple[str, str, str, str]] = field(default_factory=list)  # (type, a, b, where)
    comments: list[tuple[str, str, str]] = field(default_factory=list)  # (type, target, text)
    actors: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # (target, type, name, where)


class _Skips(Counter[str]):
    """What an import leaves out, by kind (singular, as :attr:`Report.dropped` counts)."""

    def add(self, what: str) -> None:
        self[what] += 1


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise FormatError(f"{path.name} is {size // 2**20} MB; brat texts up to 200 MB")
        data = path.read_bytes()
    except FileNotFoundError:
        raise FormatError(f"{path.name}: there is no such file") from None
    except OSError as exc:
        raise FormatError(f"cannot read {path.name}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(
            f"{path.name} is not UTF-8 (byte {exc.start}); brat files are UTF-8"
        ) from None


def _merge_fragments(raw: str, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = [parts[0]]
    for s, e in parts[1:]:
        ps, pe = out[-1]
        gap = raw[pe:s]
        if pe <= s and all(ch in LINE_BREAKS for ch in gap):
            out[-1] = (ps, e)
        else:
            out.append((s, e))
    return out


def _parse_ann(ann: Path, txt: Path, title: str, skips: _Skips) -> _Doc:
    raw = RawText(_read_text(txt))
    if not raw.text.strip():
        raise FormatError(f"{txt.name} has no text to annotate")
    doc = _Doc(title, raw.text)
    notes: list[tuple[str, str]] = []
    lines: dict[str, int] = {}  # span id -> the line that gave it
    for number, line in enumerate(_read_text(ann).split("\n"), 1):
        line = line.removesuffix("\r")
        where = f"{ann.name}, line {number}"
        if not line.strip():
            continue
        cols = line.split("\t", 2)
        kind = cols[0][:1]
        try:
            if kind == "T":
                entity = _entity(cols, raw, where)
                if entity.tid in lines:
                    raise FormatError(
                        f"{where}: the id {entity.tid} is used twice (lines {lines[entity.tid]} "
                        f"and {number}); each span needs an id of its own"
                    )
                lines[entity.tid] = number
                doc.entities[entity.tid] = entity
            elif kind == "#":
                comment_type, target = cols[1].split(" ", 1)
                if comment_type == NOTES:
                    notes.append((target.strip(), _note(cols, where)))
                else:
                    doc.comments.append((comment_type, target.strip(), _note(cols, where)))
            elif kind in ("A", "M"):
                fields = cols[1].split(" ")
                value = " ".join(fields[2:]) if len(fields) > 2 else None
                doc.attributes.append((fields[0], fields[1], value))
            elif kind == "R":
                head, *args = cols[1].split()
                targets = [a.split(":", 1)[1] for a in args[:2]]
                doc.relations.append((head, targets[0], targets[1], where))
            elif kind == "N" and _actor_link(cols, doc, where):
                pass
            elif kind in ("E", "N", "*"):
                skips.add({"E": "event", "N": "normalisation", "*": "equivalence"}[kind])
            else:
                raise FormatError(f"{where}: {cols[0][:40]!r} is not a brat annotation id")
        except (IndexError, ValueError):
            raise FormatError(f"{where}: not a valid brat line: {line[:60]!r}") from None
    kept = []
    for kind, a, b, where in doc.relations:
        missing = [t for t in (a, b) if t not in doc.entities]
        if any(not t.startswith("E") for t in missing):
            raise FormatError(f"{where}: the relation joins an unknown annotation")
        if missing:
            skips.add("relation of an event")
        else:
            kept.append((kind, a, b, where))
    doc.relations = kept
    for target, note in notes:
        if target in doc.entities:
            doc.entities[target].notes.append(note)
        else:
            skips.add("note on anything but a text span")
    return doc


def _actor_link(cols: list[str], doc: _Doc, where: str) -> bool:
    """Read ``N1<TAB>Reference T1 Actor:TYPE<TAB>name`` into *doc*; False for any
    other normalisation line."""
    fields = cols[1].split()
    if len(fields) != 3 or fields[0] != "Reference" or not fields[2].startswith(ACTOR_DB + ":"):
        return False
    kind = decode_token(fields[2].split(":", 1)[1])
    doc.actors.append((fields[1], kind, _note(cols, where).strip(), where))
    return True


def _note(cols: list[str], where: str) -> str:
    try:
        return unescape_note(cols[2] if len(cols) > 2 else "")
    except UnicodeError:
        raise FormatError(
            f"{where}: the note holds an unpaired surrogate escape (\\ud800-\\udfff), "
            "which is not text"
        ) from None


def _offset(text: str, where: str) -> int:
    """An offset as brat writes it: ASCII digits only."""
    if not _OFFSET.fullmatch(text):
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise FormatError(f"{where}: the offset {shown!r} is not a number in ASCII digits")
    if len(text) > 19:  # beyond any text (and SQLite's integers); int() has a digit limit
        raise FormatError(f"{where}: the offset of {len(text)} digits is outside the text")
    return int(text)


def _entity(cols: list[str], raw: RawText, where: str) -> _Entity:
    if len(cols) < 3:
        raise FormatError(f"{where}: a T line needs id, type with offsets, and text")
    label, offsets = cols[1].split(" ", 1)
    parts = []
    for piece in offsets.split(";"):
        start_text, end_text = piece.split()
        start, end = _offset(start_text, where), _offset(end_text, where)
        if not 0 <= start < end <= len(raw):
            raise FormatError(
                f"{where}: the span {start}-{end} is outside the text (0 to {len(raw)})"
            )
        parts.append((start, end))
    expected = text_field(raw.raw, parts)
    if cols[2] != expected:
        raise FormatError(
            f"{where}: the text {cols[2][:40]!r} is not the text at {' '.join(offsets.split())} ({expected[:40]!r})"
        )
    kept = [
        (raw.to_normalised(s), raw.to_normalised(e)) for s, e in _merge_fragments(raw.raw, parts)
    ]
    kept = [(s, e) for s, e in kept if s < e]
    if not kept:
        raise FormatError(f"{where}: the span covers only a line break")
    return _Entity(cols[0], label, kept)


# -- import: storing -----------------------------------------------------------------


def _conf_for(folder: Path) -> BratConf:
    texts = []
    for name in ("annotation.conf", "visual.conf"):
        path = folder / name
        texts.append(_read_text(path) if path.is_file() else None)
    return parse_conf(*texts)


def _natural(path: Path) -> list[object]:
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", path.name)]


def _sniff(path: Path) -> bool:
    try:
        if path.is_dir():
            return (path / "annotation.conf").is_file() or any(
                p.suffix.lower() == ".ann" for p in path.iterdir()
            )
        return path.suffix.lower() == ".ann" and path.with_suffix(".txt").is_file()
    except OSError:
        return False


@importer("brat", (".ann",), "brat standoff: a .ann beside its .txt, or a folder", sniff=_sniff)
def import_brat(project: Project, path: Path, options: Options) -> Report:
    folder = path if path.is_dir() else path.parent
    if path.is_dir():
        anns = sorted((p for p in path.iterdir() if p.suffix.lower() == ".ann"), key=_natural)
        if not anns:
            raise FormatError(f"{path} holds no .ann files")
    else:
        anns = [path]
    conf = _conf_for(folder)
    skips = _Skips()
    docs = []
    for ann in anns:
        txt = ann.with_suffix(".txt")
        if not txt.is_file():
            raise FormatError(f"{ann.name}: there is no {txt.name} beside it")
        title = re.sub(r"^\d+-", "", ann.stem) if conf.ours else ann.stem
        docs.append(_parse_ann(ann, txt, title or ann.stem, skips))
    with project.transaction():
        report = _store(project, docs, conf, skips, options, path.name)
    return report


def _comment_codebook(docs: list[_Doc], codebook: Codebook | None) -> Codebook | None:
    """*codebook* (from annotation.conf) with a text attribute for each comment type
    the documents use, or None when neither has anything."""
    types = dict.fromkeys(t for d in docs for t, _target, _text in d.comments)
    if not types:
        return codebook
    extra = tuple(
        AttributeDef(brat_key(t), decode_token(t), "text", description=COMMENT_TYPE) for t in types
    )
    base = codebook or Codebook("brat", ())
    return replace(base, attributes=(*base.attributes, *extra))


def _store(
    project: Project,
    docs: list[_Doc],
    conf: BratConf,
    skips: _Skips,
    options: Options,
    source: str,
) -> Report:
    report = Report(assumed=list(ASSUMED))
    report.warnings += grow_codebook(
        project,
        options,
        source,
        _comment_codebook(docs, conf_codebook(conf) if conf.present else None),
        keys=(brat_key(e.label) for d in docs for e in d.entities.values()),
    )
    codebook: Codebook = project.codebook()
    relation_keys = {r.key for r in codebook.relations}
    attribute_keys = {a.key for a in codebook.attributes}
    pieces = 0
    for n, doc in enumerate(docs, 1):
        stored = project.add_document(doc.text, doc.title, source_name=f"{doc.title}.txt")
        report.documents += 1
        report.document_ids.append(stored.id)
        rows, owners = [], []
        for entity in doc.entities.values():
            note = "\n".join(entity.notes) or None
            total = len(entity.spans)
            if total > 1:
                pieces += 1
            for k, (s, e) in enumerate(entity.spans, 1):
                part = note
                if total > 1:
                    part = "\n".join(
                        x for x in (f"fragment {k} of {total} of {entity.tid}", note) if x
                    )
                rows.append((s, e, brat_key(entity.label), part))
                owners.append(entity.tid)
        made = project.annotate_many(stored, rows)
        report.annotations += len(made)
        ids: dict[str, list[int]] = {}
        for tid, annotation in zip(owners, made, strict=True):
            ids.setdefault(tid, []).append(annotation.id)
        comments: dict[tuple[str, str], list[str]] = {}
        for kind, target, text in doc.comments:
            if target in ids:
                comments.setdefault((kind, target), []).append(text)
            else:
                skips.add("comment on anything but a text span")
        values = [
            (name, target, "true" if value is None else decode_token(value))
            for name, target, value in doc.attributes
        ]
        values += [(kind, t, "\n".join(texts)) for (kind, t), texts in comments.items()]
        for name, target, text in values:
            key = brat_key(name)
            if key not in attribute_keys:
                skips.add("attribute of a type the codebook lacks")
                report.details.append(
                    f"{doc.title}: {target}: attribute {name} is not in the codebook"
                )
                continue
            if target not in ids:
                skips.add("attribute of anything but a text span")
                continue
            for annotation_id in ids[target]:
                try:
                    project.set_attribute(annotation_id, key, text)
                except InputError as exc:
                    report.warnings.append(f"{doc.title}: {target}: {exc}")
        for target, kind, name, where in doc.actors:
            if target not in ids:
                skips.add("actor link of anything but a text span")
                continue
            try:
                for annotation_id in ids[target]:
                    project.link_actor(annotation_id, name, kind)
            except InputError as exc:
                skips.add("actor link the project does not allow")
                report.details.append(f"{where}: {exc}")
        for kind, a, b, where in doc.relations:
            key = brat_key(kind)
            first, second = doc.entities[a].label, doc.entities[b].label
            if not conf.allows(kind, first, second):
                skips.add("relation that annotation.conf does not allow")
                report.details.append(
                    f"{where}: annotation.conf has no {kind} line from {first} to {second}"
                )
                continue
            if key not in relation_keys:
                skips.add("relation of a type the codebook lacks")
                report.details.append(f"{where}: relation type {kind} is not in the codebook")
                continue
            try:
                project.relate(ids[a][0], ids[b][0], key)
                report.relations += 1
            except InputError as exc:
                skips.add("relation the codebook does not allow")
                report.details.append(f"{where}: {exc}")
        options.tick(n, len(docs))
    if pieces:
        report.warnings.append(
            f"{pieces} discontinuous spans were imported as one annotation per fragment "
            "(noted 'fragment k of n of T…'); their relations use the first fragment"
        )
    report.dropped.update(skips)
    if report.details:
        report.warnings.append(
            f"annotator import --verbose lists the {len(report.details)} left out"
        )
    return report
