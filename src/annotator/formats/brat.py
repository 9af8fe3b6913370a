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
- ``A1<TAB>key T1 value`` (values are tokens, see :mod:`._brat_conf`), and
  ``R1<TAB>type Arg1:T1 Arg2:T2``.

Discontinuous spans whose gap holds more than line breaks (from brat itself) become one
annotation per fragment, each with the note ``fragment k of n of T3`` (and a warning):
the project has no "part of" relation. Events (``E``), normalisations (``N``) and
equivalences (``*``) are skipped with a warning.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from annotator.core.codebook import Codebook
from annotator.core.errors import FormatError, InputError
from annotator.formats._brat_conf import (
    BratConf,
    annotation_conf,
    brat_key,
    conf_codebook,
    decode_token,
    encode_token,
    parse_conf,
    visual_conf,
)
from annotator.formats._codebook_growth import grow_codebook
from annotator.formats._refi import RawText
from annotator.formats.registry import Options, Report, exporter, importer
from annotator.store.project import Project

MAX_BYTES = 200 * 1024 * 1024
# What str.splitlines() breaks on: none of these may stand in a line of a .ann file.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_TO_SPACE = str.maketrans(dict.fromkeys(LINE_BREAKS, " "))
_NOTE_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NOTE_UNESCAPE = re.compile(r"\\(\\|n|r|t|u[0-9a-fA-F]{4})")
_SURROGATE = re.compile("[\ud800-\udfff]")
_OFFSET = re.compile("[0-9]+")  # int() also takes "1_0", " 7" and Arabic-Indic digits
MAX_NAME_BYTES = 255  # a file name on every common file system, in UTF-8 bytes
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')

# -- small codecs --------------------------------------------------------------------


def escape_note(note: str) -> str:
    out = []
    for ch in note:
        if ch in _NOTE_ESCAPES:
            out.append(_NOTE_ESCAPES[ch])
        elif ch in LINE_BREAKS:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def unescape_note(text: str) -> str:
    """The note as written by :func:`escape_note`; a ``\\uXXXX`` pair of surrogates is
    the character they encode, and an unpaired one (not text: SQLite cannot store it)
    raises :class:`UnicodeError`."""

    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        if code.startswith("u"):
            return chr(int(code[1:], 16))
        return {"\\": "\\", "n": "\n", "r": "\r", "t": "\t"}[code]

    note = _NOTE_UNESCAPE.sub(one, text)
    if _SURROGATE.search(note):  # pairs joined; UnicodeDecodeError for a lone one
        note = note.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    return note


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` split at the runs of ``\\n`` strictly inside it."""
    out, at = [], start
    for m in re.finditer("\n+", text[start:end]):
        s, e = start + m.start(), start + m.end()
        if s > start and e < end:
            out.append((at, s))
            at = e
    out.append((at, end))
    return out


def text_field(text: str, parts: list[tuple[int, int]]) -> str:
    return " ".join(text[s:e] for s, e in parts).translate(_TO_SPACE)


def safe_title(title: str, max_bytes: int = MAX_NAME_BYTES) -> str:
    """*title* as a file name: unsafe characters replaced, at most 80 characters and
    *max_bytes* bytes of UTF-8, cut where a character (as the reader sees it) ends."""
    cleaned = " ".join(_UNSAFE_NAME.sub("_", title).split()).strip(" .")
    return cut_utf8(cleaned[:80], max_bytes).rstrip(" .") or "document"


# What continues the character before it: a cut must not fall just before one.
_JOINING = re.compile(
    "[\u0300-\u036f\u200c\u200d\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f"
    "\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f\U000e0100-\U000e01ef]"
)


def _continues(ch: str) -> bool:
    return bool(_JOINING.match(ch)) or unicodedata.category(ch) in ("Mn", "Mc", "Me")


def _regional(ch: str) -> bool:
    return "\U0001f1e6" <= ch <= "\U0001f1ff"


def cut_utf8(text: str, max_bytes: int) -> str:
    """The longest start of *text* of at most *max_bytes* UTF-8 bytes that ends where a
    user-perceived character ends: never inside a character, before a combining mark,
    variation selector, skin tone or tag, after a zero-width joiner, or between the
    two halves of a flag."""
    if len(text.encode("utf-8", "surrogatepass")) <= max_bytes:
        return text
    end = size = 0
    for ch in text:
        size += len(ch.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            break
        end += 1
    while end > 0 and (_continues(text[end]) or text[end - 1] == "\u200d"):
        end -= 1
    run = end
    while run > 0 and _regional(text[run - 1]):
        run -= 1
    if _regional(text[end]) and (end - run) % 2:
        end -= 1  # half a flag
    return text[:end]


# -- export --------------------------------------------------------------------------


def _ann_lines(project: Project, doc_id: int, text: str) -> tuple[list[str], int, int]:
    lines: list[str] = []
    notes: list[str] = []
    attributes: list[str] = []
    tid: dict[int, str] = {}
    values = project.all_attributes(doc_id)
    anns = project.annotations(doc_id)
    for n, a in enumerate(anns, 1):
        tid[a.id] = f"T{n}"
        parts = fragments(text, a.start, a.end)
        offsets = ";".join(f"{s} {e}" for s, e in parts)
        lines.append(f"T{n}\t{encode_token(a.label)} {offsets}\t{text_field(text, parts)}")
        if a.note:
            notes.append(f"#{len(notes) + 1}\tAnnotatorNotes T{n}\t{escape_note(a.note)}")
        for key, value in sorted(values.get(a.id, {}).items()):
            attributes.append(
                f"A{len(attributes) + 1}\t{encode_token(key)} T{n} {encode_token(value)}"
            )
    relations = [
        f"R{k}\t{encode_token(r.type)} Arg1:{tid[r.from_id]} Arg2:{tid[r.to_id]}"
        for k, r in enumerate(project.relations(doc_id), 1)
    ]
    return lines + attributes + relations + notes, len(anns), len(relations)


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
    report = Report()
    codebook = project.codebook()
    free = [a.key for a in codebook.attributes if a.type in ("text", "number")]
    used = {key: project.attribute_values(key) for key in free}
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
            lines, n_ann, n_rel = _ann_lines(project, doc.id, text)
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


class _Skips(dict[str, int]):
    def add(self, what: str) -> None:
        self[what] = self.get(what, 0) + 1


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
                _type, target = cols[1].split(" ", 1)
                notes.append((target.strip(), _note(cols, where)))
            elif kind in ("A", "M"):
                fields = cols[1].split(" ")
                value = " ".join(fields[2:]) if len(fields) > 2 else None
                doc.attributes.append((fields[0], fields[1], value))
            elif kind == "R":
                head, *args = cols[1].split()
                targets = [a.split(":", 1)[1] for a in args[:2]]
                doc.relations.append((head, targets[0], targets[1], where))
            elif kind in ("E", "N", "*"):
                skips.add({"E": "events", "N": "normalisations", "*": "equivalences"}[kind])
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
            skips.add("relations of events")
        else:
            kept.append((kind, a, b, where))
    doc.relations = kept
    for target, note in notes:
        if target in doc.entities:
            doc.entities[target].notes.append(note)
        else:
            skips.add("notes on anything but text spans")
    return doc


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


def _store(
    project: Project,
    docs: list[_Doc],
    conf: BratConf,
    skips: _Skips,
    options: Options,
    source: str,
) -> Report:
    report = Report()
    report.warnings += grow_codebook(
        project,
        options,
        source,
        conf_codebook(conf) if conf.present else None,
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
        for name, target, value in doc.attributes:
            key = brat_key(name)
            if key not in attribute_keys:
                skips.add(f"attributes of types the codebook lacks ({name})")
                continue
            if target not in ids:
                skips.add("attributes of anything but text spans")
                continue
            text = "true" if value is None else decode_token(value)
            for annotation_id in ids[target]:
                try:
                    project.set_attribute(annotation_id, key, text)
                except InputError as exc:
                    report.warnings.append(f"{doc.title}: {target}: {exc}")
        for kind, a, b, where in doc.relations:
            key = brat_key(kind)
            if key not in relation_keys:
                skips.add(f"relations of types the codebook lacks ({kind})")
                continue
            try:
                project.relate(ids[a][0], ids[b][0], key)
                report.relations += 1
            except InputError as exc:
                report.warnings.append(f"{where}: {exc}")
        options.tick(n, len(docs))
    if pieces:
        report.warnings.append(
            f"{pieces} discontinuous spans were imported as one annotation per fragment "
            "(noted 'fragment k of n of T…'); their relations use the first fragment"
        )
    for what, count in sorted(skips.items()):
        report.warnings.append(f"skipped {count} {what}")
    return report
