"""REFI-QDA project (``.qdpx``), the exchange format of MAXQDA, NVivo, ATLAS.ti and QualCoder.

A ``.qdpx`` is a zip with ``project.qde`` (XML, namespace ``urn:QDA-XML:project:1.0``)
and the documents' plain texts in ``sources/<guid>.txt``. What maps to what, and what
is dropped, is in docs/formats-refi-qda.md:

- label -> ``<Code>`` (GUID, name, colour, description), children nested in their
  parent's code; annotator -> ``<User>``;
- document -> ``<TextSource plainTextPath="internal://<guid>.txt">`` (its memo the
  ``<Description>``, its variables ``<VariableValue>``); group -> ``<Set>``;
- annotation -> ``<PlainTextSelection>`` (code-point positions, creating user and time)
  with one ``<Coding>``; its note is the selection's ``<Description>`` (what QualCoder
  and MAXQDA read as the coding memo), followed by the attributes as a
  ``[Annotator attributes]`` block of ``key=value`` lines (the schema has no variables
  on selections);
- relation -> ``<Link>`` from selection to selection, named by the relation type.

Import reads other tools' files tolerantly (``Sources``/``sources``, GUIDs in any case,
with or without braces, short ones, ``internal://`` or ``relative://`` paths or embedded
``PlainTextContent``, nested codes, positions as each program counts them:
:mod:`._refi_positions`) and safely (no entry may leave the archive, XML only
through defusedxml, size limits); any problem is a :class:`FormatError` and the whole
file is one transaction.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO
from xml.etree.ElementTree import Element

from annotator.core.codebook import AttributeDef, Codebook, RelationType
from annotator.core.errors import FormatError, InputError
from annotator.core.text import decode
from annotator.formats._dates import utc_stamp
from annotator.formats._qdpx_write import project_xml
from annotator.formats._refi import (
    Code,
    child,
    child_text,
    children,
    kept_guid,
    local,
    norm_guid,
    plan_labels,
    position,
    read_codes,
    slug_key,
    split_description,
)
from annotator.formats._refi_positions import Position, SourceText, decide
from annotator.formats._refi_vars import (
    GroupIn,
    Variable,
    read_groups,
    read_values,
    read_variables,
    store_groups,
    store_values,
)
from annotator.formats._zipsafe import SafeZip
from annotator.formats.registry import Options, Report, exporter, importer, replacing
from annotator.store.project import Project
from annotator.store.team.adopted_ids import adopt_ids

KIND = "REFI-QDA .qdpx"

# -- export --------------------------------------------------------------------------


@exporter("qdpx", ".qdpx", "REFI-QDA project for MAXQDA, NVivo, ATLAS.ti, QualCoder")
def export_qdpx(project: Project, target: Path | TextIO, options: Options) -> Report:
    if not isinstance(target, Path):
        raise InputError("the qdpx format writes a file: give -o PATH")
    qde, texts, report = project_xml(project, options)
    with (
        replacing(target) as tmp,
        zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        archive.writestr("project.qde", qde)
        for name, text in texts.items():
            archive.writestr(name, text.encode("utf-8"))
    return report


@exporter("qdpx-nvivo", ".qdpx", "REFI-QDA project for NVivo (positions in UTF-16 units)")
def export_qdpx_for_nvivo(project: Project, target: Path | TextIO, options: Options) -> Report:
    """``qdpx --for nvivo`` as a format of its own, so the window's export list offers it."""
    return export_qdpx(project, target, replace(options, target="nvivo"))


# -- import --------------------------------------------------------------------------


@dataclass
class _Selection:
    guid: str
    start: int  # as written, until the file's reading converts it (_convert)
    end: int
    codes: list[str]
    note: str | None
    attributes: dict[str, str]
    user: str | None
    created: str | None = None  # creationDateTime, as UTC ISO 8601
    modified: str | None = None  # modifiedDateTime
    uid: str | None = None  # the GUID as an annotation's stable id (32 hex digits)


@dataclass
class _Source:
    title: str
    text: SourceText
    guid: str = ""  # normalised
    written_guid: str | None = None  # as written, when the schema takes it back
    memo: str = ""
    values: dict[str, object] = field(default_factory=dict)  # its variables
    selections: list[_Selection] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)  # the selections' as written


class _Reader:
    """Reads a ``.qdpx`` fully into plain records before anything is written."""

    def __init__(self, path: Path, archive: SafeZip, names: list[str]) -> None:
        self.path = path
        self.archive = archive
        self.names = names
        self.lower = {n.lower(): n for n in names if not n.endswith("/")}
        self.report = Report()
        self.warnings: list[str] = []  # from decoding texts: bytes replaced, encoding guessed
        self.variables: dict[str, Variable] = {}
        self.notes_used: set[str] = set()

    def skip(self, what: str, n: int = 1) -> None:
        """Count one more of *what* left out (a singular noun phrase, as Report.dropped)."""
        self.report.dropped[what] += n

    def qde(self) -> Element:
        found = [n for n in self.lower if n.endswith(".qde") and "/" not in n]
        if not found:
            raise FormatError(f"{self.path.name} has no project.qde: it is not a REFI-QDA project")
        name = "project.qde" if "project.qde" in found else sorted(found)[0]
        root = self.archive.xml(self.lower[name])
        if local(root.tag) != "Project":
            raise FormatError(
                f"{self.path.name}: {name} is not a REFI-QDA project (root <{local(root.tag)}>)"
            )
        return root

    def entry(self, ref: str, what: str) -> bytes:
        scheme, sep, rest = ref.strip().partition("://")
        if not sep:
            scheme, rest = "relative", ref.strip()
        rest = rest.replace("\\", "/").lstrip("/")
        if scheme.lower() not in ("internal", "relative", "absolute", "file"):
            raise FormatError(f"{self.path.name}: {what} has a path Annotator cannot use: {ref}")
        base = rest.rsplit("/", 1)[-1].lower()
        wanted = [f"sources/{rest}".lower(), rest.lower()]
        name = next((self.lower[w] for w in wanted if w in self.lower), None)
        if name is None:  # the same file name in any folder of the archive
            name = next((n for lo, n in self.lower.items() if lo.rsplit("/", 1)[-1] == base), None)
        if name is None:
            raise FormatError(f"{self.path.name}: the text of {what} ({ref}) is not in the archive")
        return self.archive.read(name)

    def notes(self, root: Element) -> dict[str, str]:
        out: dict[str, str] = {}
        parent = child(root, "Notes")
        for note in [] if parent is None else children(parent, "Note"):
            text = child_text(note, "PlainTextContent")
            if not text and note.get("plainTextPath"):
                try:
                    data = self.entry(note.get("plainTextPath", ""), "a note")
                    text = decode(data, f"{self.path.name}: a note", self.warnings)[0]
                except FormatError:
                    continue
            out[norm_guid(note.get("guid"))] = text.strip()
        return out

    def sources(self, root: Element, users: dict[str, str]) -> list[_Source]:
        notes = self.notes(root)
        parent = child(root, "Sources")
        out: list[_Source] = []
        for el in [] if parent is None else list(parent):
            kind = local(el.tag)
            if kind == "TextSource":
                found = self.text_source(el, el.get("name"), len(out), notes, users)
            elif kind == "PDFSource" and child(el, "Representation") is not None:
                rep = child(el, "Representation")
                assert rep is not None
                found = self.text_source(rep, el.get("name"), len(out), notes, users)
            else:
                self.skip(f"{kind or 'other'} (only text sources are imported)")
                continue
            if found is not None:
                found.guid = norm_guid(el.get("guid"))
                found.written_guid = kept_guid(el.get("guid"))
                found.memo = child_text(el, "Description").strip()
                found.values = read_values(el, self.variables, self.report.dropped)
                out.append(found)
        unused = set(notes) - self.notes_used
        if unused:
            self.skip(
                "note not attached to a coded selection (a journal or project note)", len(unused)
            )
        return out

    def text_source(
        self,
        el: Element,
        name: str | None,
        n: int,
        notes: dict[str, str],
        users: dict[str, str],
    ) -> _Source | None:
        title = (name or "").strip() or f"Source {n + 1}"
        what = f"source '{title}'"
        content = child(el, "PlainTextContent")
        if content is not None and content.text:
            raw = content.text
        elif el.get("plainTextPath"):
            data = self.entry(el.get("plainTextPath", ""), what)
            if not data.strip():
                self.skip("empty source")
                return None
            raw = decode(data, f"{self.path.name}: {what}", self.warnings)[0]
        else:
            raise FormatError(f"{self.path.name}: {what} has neither a text nor a plainTextPath")
        text = SourceText(raw)
        if not text.text.strip():
            self.skip("empty source")
            return None
        source = _Source(title, text)
        if any(True for _ in children(el, "Coding")):
            self.skip("coding of a whole source")
        for sel in children(el, "PlainTextSelection"):
            guid = sel.get("guid") or "(without guid)"
            try:
                start = position(sel.get("startPosition"))
                end = position(sel.get("endPosition"))
            except ValueError:
                raise FormatError(
                    f"{self.path.name}: selection {guid} in {what} has no valid positions"
                ) from None
            if not 0 <= start < end:
                raise FormatError(
                    f"{self.path.name}: selection {guid} in {what}: positions {start}-{end} "
                    "do not make a span"
                )
            codes = [
                norm_guid(ref.get("targetGUID"))
                for coding in children(sel, "Coding")
                for ref in children(coding, "CodeRef")
            ]
            if not codes:
                self.skip("selection without a code")
                continue
            note, attributes = split_description(child_text(sel, "Description"))
            refs = [
                norm_guid(ref.get("targetGUID"))
                for holder in [sel, *children(sel, "Coding")]
                for ref in children(holder, "NoteRef")
            ]
            extra = [notes[g] for g in refs if g in notes]
            self.notes_used.update(refs)
            note = "\n\n".join(t for t in [note, *extra] if t)
            user = users.get(norm_guid(sel.get("creatingUser")))
            created = utc_stamp(sel.get("creationDateTime"))
            kept = kept_guid(sel.get("guid"))
            source.selections.append(
                _Selection(
                    norm_guid(guid), start, end, codes, note or None, attributes, user, created,
                    utc_stamp(sel.get("modifiedDateTime")), kept and uuid.UUID(kept).hex,
                )
            )  # fmt: skip
            source.positions.append(
                Position(f"selection {guid} in {what}", start, end, sel.get("name") or "")
            )
        return source

    def convert(self, root: Element, sources: list[_Source]) -> None:
        """Positions as written -> positions in the normalised texts, read the way this
        file counts them (:func:`decide`), which the report then names."""
        origin = (root.get("origin") or "").strip()
        decision = decide(self.path.name, origin, [(s.text, s.positions) for s in sources])
        self.report.assumed.append(decision.assumed())
        for source in sources:
            kept = []
            for sel in source.selections:
                sel.start, sel.end = source.text.to_normalised(decision.reading, sel.start, sel.end)
                if sel.start < sel.end:
                    kept.append(sel)
                else:
                    self.skip("selection of a line break alone")
            source.selections = kept


def _sniff(path: Path) -> bool:
    return path.suffix.lower() == ".qdpx" and path.is_file()


@importer("qdpx", (".qdpx",), "REFI-QDA project (text sources and their codings)", sniff=_sniff)
def import_qdpx(project: Project, path: Path, options: Options) -> Report:
    with SafeZip(path, KIND) as archive:
        try:
            with zipfile.ZipFile(path) as listing:
                names = listing.namelist()
        except (zipfile.BadZipFile, OSError) as exc:
            raise FormatError(f"{path.name}: the {KIND} file cannot be opened ({exc})") from None
        reader = _Reader(path, archive, names)
        root = reader.qde()
        users = {
            norm_guid(u.get("guid")): (u.get("name") or "").strip()
            for parent in children(root, "Users")
            for u in children(parent, "User")
        }
        book = child(root, "CodeBook")
        codes = read_codes(None if book is None else child(book, "Codes"), path.name)
        reader.variables = read_variables(root)
        groups = read_groups(root, reader.variables, reader.report.dropped)
        _count_unknown(root, reader)
        sources = reader.sources(root, users)
        reader.convert(root, sources)
        unknown = {g for s in sources for sel in s.selections for g in sel.codes} - {
            c.guid for c in codes
        }
        if unknown:
            raise FormatError(
                f"{path.name}: codings refer to {len(unknown)} code(s) that the codebook does "
                f"not hold (e.g. {sorted(unknown)[0]})"
            )
        links = [
            (norm_guid(link.get("originGUID")), norm_guid(link.get("targetGUID")), link)
            for parent in children(root, "Links")
            for link in children(parent, "Link")
        ]
    with project.transaction():
        report = _store(project, path, codes, sources, links, reader, options)
        _store_structure(project, path, root, sources, groups, reader)
    if any(c.parent is not None for c in codes):
        report.assumed.append("codes nested in codes kept as a label tree")
    return report


KNOWN = {"Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets"}
KNOWN |= {"Description"}


def _count_unknown(root: Element, reader: _Reader) -> None:
    """Count what the project holds that Annotator does not read."""
    for el in root:
        kind = local(el.tag)
        if kind == "Graphs":
            reader.skip("graph", sum(1 for _ in children(el, "Graph")) or 1)
        elif kind == "NoteRef":
            reader.skip("note on the whole project")
        elif kind not in KNOWN:
            reader.skip(f"<{kind or 'other'}> element Annotator does not read")


def _store_structure(
    project: Project,
    path: Path,
    root: Element,
    sources: list[_Source],
    groups: list[GroupIn],
    reader: _Reader,
) -> None:
    """Sources' GUIDs and memos, document variables, groups (sets, cases), project memo."""
    report = reader.report
    document_of: dict[str, int] = {}
    rows: list[tuple[int, str, object]] = []
    for source, doc_id in zip(
        sources, report.document_ids[len(report.document_ids) - len(sources) :], strict=True
    ):
        if source.guid:
            document_of[source.guid] = doc_id
        if source.written_guid or source.memo:
            project.set_document_info(doc_id, guid=source.written_guid, memo=source.memo)
        rows.extend((doc_id, key, value) for key, value in source.values.items())
    rows.extend(store_groups(project, groups, document_of, report.dropped))
    if rows:
        store_values(project, path.name, rows, reader.variables, report.dropped, report.warnings)
    if any(True for _ in children(root, "Cases")):
        report.assumed.append("cases read as document groups, their variables as their documents'")
    memo = child_text(root, "Description").strip()
    if memo and not project.memo:
        project.set_memo(memo)
    elif memo and memo != project.memo:
        reader.skip("project description (the project has a memo of its own)")


def _store(
    project: Project,
    path: Path,
    codes: list[Code],
    sources: list[_Source],
    links: list[tuple[str, str, Element]],
    reader: _Reader,
    options: Options,
) -> Report:
    report = reader.report
    used = {g for s in sources for sel in s.selections for g in sel.codes}
    plan = plan_labels(project, codes, used)
    report.warnings.extend(plan.apply(project, options, path.name))
    _merge_attributes(project, sources, report)
    relation_keys = _merge_relation_types(project, [link for _o, _t, link in links])
    annotation_of: dict[str, tuple[int, int]] = {}  # selection guid -> (annotation id, doc id)
    for n, source in enumerate(sources):
        doc = project.add_document(source.text.text, source.title, source_name=path.name)
        report.documents += 1
        report.document_ids.append(doc.id)
        rows = [
            (sel, (sel.start, sel.end, plan.keys[g], sel.note, sel.user, sel.created))
            for sel in source.selections
            for g in dict.fromkeys(sel.codes)
            if g in plan.keys
        ]
        made = project.annotate_many(doc, [row for _sel, row in rows])
        report.annotations += len(made)
        ids = []  # the first annotation of a selection keeps its GUID, each its time
        for (sel, _row), annotation in zip(rows, made, strict=True):
            first = sel.guid not in annotation_of
            ids.append((annotation.id, sel.uid if first else None, sel.modified))
            annotation_of.setdefault(sel.guid, (annotation.id, doc.id))
            if sel.attributes:
                try:
                    project.set_attributes(annotation.id, dict(sel.attributes))
                except InputError as exc:
                    report.warnings.append(f"{path.name}: selection {sel.guid}: {exc}")
        adopt_ids(project, ids)
        options.tick(n + 1, len(sources))
    for origin, target, link in links:
        a, b = annotation_of.get(origin), annotation_of.get(target)
        if a is None or b is None:
            reader.skip("link that does not join two coded text selections")
            continue
        if a[1] != b[1]:
            reader.skip("link between selections of different documents")
            continue
        try:
            project.relate(a[0], b[0], relation_keys[_link_name(link)])
            report.relations += 1
        except InputError as exc:
            report.warnings.append(f"{path.name}: link {link.get('guid')}: {exc}")
    report.warnings.extend(reader.warnings)
    return report


def _link_name(link: Element) -> str:
    return (link.get("name") or "").strip() or "link"


def _merge_relation_types(project: Project, links: list[Element]) -> dict[str, str]:
    """Link name -> relation type key, adding the types the codebook lacks."""
    existing = project.codebook().relations
    by_key = {r.key: r.key for r in existing}
    by_name = {r.name.casefold(): r.key for r in existing}
    taken = set(by_key)
    out: dict[str, str] = {}
    new: list[RelationType] = []
    for name in dict.fromkeys(_link_name(link) for link in links):
        key = by_key.get(name) or by_name.get(name.casefold())
        if key is None:
            key = slug_key(name, taken)
            taken.add(key)
            new.append(RelationType(key, name))
            by_name[name.casefold()] = key
        out[name] = key
    if new:
        project.merge_codebook(Codebook("imported", (), (), tuple(new)))
    return out


def _merge_attributes(project: Project, sources: list[_Source], report: Report) -> None:
    have = {a.key for a in project.codebook().attributes}
    missing = sorted({k for s in sources for sel in s.selections for k in sel.attributes} - have)
    if missing:
        project.merge_codebook(
            Codebook("imported", (), tuple(AttributeDef(k, k, "text") for k in missing))
        )
        report.warnings.append(
            f"attributes {', '.join(missing)} were not in the codebook: added as text attributes"
        )
