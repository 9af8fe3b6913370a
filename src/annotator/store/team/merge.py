"""Several coders, one file: hand a project out to coders, merge their files back.

Merging matches documents by the SHA-256 of their normalised text (never by title or
id) and annotations by their UUID, so merging the same file twice changes nothing.
Codebook entries are matched by key: a label of the same key whose name or guideline
differs is a conflict, and the merge is refused (nothing changes) unless the source
key is mapped onto a target key. Each annotation keeps its coder, note and times;
its attributes, the relations among merged annotations and its canonical-actor link
come along. A document whose title matches one in the target but whose text differs
is reported and added as a document of its own, never aligned silently.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.codebook import Codebook, Label
from annotator.core.errors import InputError
from annotator.store.project import Project
from annotator.store.team.coders import BLIND_SETTING, CODER_SETTING
from annotator.store.team.merge_facts import merge_document_facts


@dataclass
class MergeReport:
    """What one merged file brought."""

    source: Path
    documents_added: int = 0
    documents_matched: int = 0
    annotations_added: int = 0
    annotations_present: int = 0
    attributes_added: int = 0
    relations_added: int = 0
    actor_links_added: int = 0
    variables_added: int = 0
    codebook_added: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    coders: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report, a line each (for the CLI and the window)."""
        out = [
            f"{self.source.name}: {counted(self.documents_matched, 'document')} matched, "
            f"{self.documents_added} added; {counted(self.annotations_added, 'annotation')} "
            f"added, {self.annotations_present} already present; "
            f"{counted(self.attributes_added, 'attribute')}, "
            f"{counted(self.relations_added, 'link')}, "
            f"{counted(self.actor_links_added, 'actor link')}, "
            f"{counted(self.variables_added, 'document variable')}; "
            f"coders: {', '.join(self.coders) or 'none'}"
        ]
        if self.codebook_added:
            out.append(
                f"{self.source.name}: added to the codebook: {', '.join(self.codebook_added)}"
            )
        out += [f"{self.source.name}: conflict: {c}" for c in self.conflicts]
        return out


def counted(n: int, noun: str) -> str:
    """``1 document``, ``2 documents``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def label_conflicts(
    target: Codebook, source: Codebook, label_map: Mapping[str, str], source_name: str
) -> list[str]:
    """Same-key labels whose definitions differ (and are not mapped elsewhere)."""
    here = {label.key: label for label in target.labels}
    out = []
    for label in source.labels:
        if label.key in label_map:
            if label_map[label.key] not in here:
                out.append(
                    f"label '{label.key}' is mapped to '{label_map[label.key]}', which is not "
                    "in the codebook"
                )
            continue
        mine = here.get(label.key)
        if mine is not None and _definition(mine) != _definition(label):
            out.append(
                f"label '{label.key}' is defined differently in {source_name} (name "
                f"'{label.name}', guideline {_short(label.description)}) than here (name "
                f"'{mine.name}', guideline {_short(mine.description)}); map it to another "
                "label or make the definitions equal"
            )
    return out


def conflicting_labels(target: Project, sources: Sequence[Path]) -> dict[str, list[str]]:
    """Label key -> the sources that define it differently from *target* (what the
    window asks to map before it merges); a source that is no project raises its error."""
    here = {label.key: label for label in target.codebook().labels}
    out: dict[str, list[str]] = {}
    for path in sources:
        with Project.open(path, read_only=True) as source:
            for label in source.codebook().labels:
                mine = here.get(label.key)
                if mine is not None and _definition(mine) != _definition(label):
                    out.setdefault(label.key, []).append(path.name)
    return out


def _definition(label: Label) -> tuple[str, str]:
    return (label.name.strip(), " ".join(label.description.split()))


def _short(text: str) -> str:
    text = " ".join(text.split())
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def merge_files(
    target: Project, sources: Sequence[Path], *, label_map: Mapping[str, str] | None = None
) -> list[MergeReport]:
    """Merge coders' project files into *target*, all in one transaction.

    Raises :class:`InputError` (and changes nothing) on a codebook conflict, a source
    that is the target itself, or a source of an older file format.
    """
    label_map = dict(label_map or {})
    opened: list[Project] = []
    try:
        for path in sources:
            if path.exists() and path.resolve() == target.path.resolve():
                raise InputError(f"{path} is the project being merged into")
            source = Project.open(path, read_only=True)
            opened.append(source)
            version = source.execute("PRAGMA user_version").fetchone()[0]
            if version < 2:  # annotations without stable ids
                raise InputError(
                    f"{path.name} is of an older file format ({version}): open it once with "
                    "this version of Annotator (its annotations then get stable ids), then merge"
                )
            problems = label_conflicts(target.codebook(), source.codebook(), label_map, path.name)
            if problems:
                raise InputError(f"{path.name}: {problems[0]}" + _more(problems))
        reports = []
        with target.transaction():
            for source in opened:
                reports.append(_merge_one(target, source, label_map))
        target.forget_cached()
        return reports
    finally:
        for source in opened:
            source.close()


def _more(problems: list[str]) -> str:
    return f" (and {len(problems) - 1} more conflicts)" if len(problems) > 1 else ""


def _merge_one(target: Project, source: Project, label_map: Mapping[str, str]) -> MergeReport:
    report = MergeReport(source.path)
    unmapped = Codebook(
        source.codebook().name,
        tuple(label for label in source.codebook().labels if label.key not in label_map),
        source.codebook().attributes,
        source.codebook().relations,
    )
    report.codebook_added = target.merge_codebook(unmapped)
    label_ids = target.label_ids()
    doc_ids = _match_documents(target, source, report)
    conn = target.db.conn
    ids: dict[int, int] = {}  # source annotation id -> target annotation id
    inserted: dict[int, int] = {}  # the same, for the annotations this merge added
    present = dict(conn.execute("SELECT uuid, id FROM annotations").fetchall())
    coders: set[str] = set()
    for row in source.execute(
        'SELECT a.id, a.document_id, a.start, a."end", a.text, l.key, a.note, a.annotator, '
        "a.created, a.modified, a.uuid FROM annotations a JOIN labels l ON l.id = a.label_id "
        "ORDER BY a.id"
    ).fetchall():
        a_id, doc, start, end, text, key, note, who, created, modified, uuid = row
        coders.add(who)
        if uuid in present:
            ids[a_id] = present[uuid]
            report.annotations_present += 1
            continue
        cur = conn.execute(
            'INSERT INTO annotations(document_id, start, "end", text, label_id, note, '
            "annotator, created, modified, uuid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_ids[doc], start, end, text, label_ids[label_map.get(key, key)], note, who,
             created, modified, uuid),
        )  # fmt: skip
        assert cur.lastrowid is not None
        ids[a_id] = inserted[a_id] = present[uuid] = cur.lastrowid
        report.annotations_added += 1
    report.coders = sorted(coders)
    report.attributes_added = _copy(
        conn,
        source.execute("SELECT annotation_id, key, value FROM annotation_attributes").fetchall(),
        lambda r: (inserted[r[0]], r[1], r[2]) if r[0] in inserted else None,
        "INSERT OR IGNORE INTO annotation_attributes(annotation_id, key, value) VALUES (?, ?, ?)",
    )
    report.relations_added = _copy(
        conn,
        source.execute("SELECT type, from_id, to_id, annotator, created FROM relations").fetchall(),
        lambda r: (r[0], ids[r[1]], ids[r[2]], r[3], r[4]) if r[1] in ids and r[2] in ids else None,
        "INSERT OR IGNORE INTO relations(type, from_id, to_id, annotator, created) "
        "VALUES (?, ?, ?, ?, ?)",
    )
    actors: dict[str, int] = dict(conn.execute("SELECT name, id FROM actors").fetchall())

    def actor_link(row: tuple[int, str, str]) -> tuple[int, int] | None:
        if row[0] not in inserted:
            return None
        if row[1] not in actors:
            cur = conn.execute("INSERT INTO actors(name, type) VALUES (?, ?)", (row[1], row[2]))
            assert cur.lastrowid is not None
            actors[row[1]] = cur.lastrowid
        return (inserted[row[0]], actors[row[1]])

    report.actor_links_added = _copy(
        conn,
        source.execute(
            "SELECT m.annotation_id, a.name, a.type FROM actor_mentions m "
            "JOIN actors a ON a.id = m.actor_id"
        ).fetchall(),
        actor_link,
        "INSERT OR IGNORE INTO actor_mentions(annotation_id, actor_id) VALUES (?, ?)",
    )
    report.variables_added = merge_document_facts(target, source, doc_ids, report.conflicts)
    return report


def _copy(
    conn: sqlite3.Connection,
    rows: Iterable[tuple[Any, ...]],
    convert: Callable[[Any], tuple[Any, ...] | None],
    sql: str,
) -> int:
    """Insert the converted *rows* (those that convert to None are skipped); return how
    many were new."""
    converted = [c for c in map(convert, rows) if c is not None]
    before = conn.total_changes
    conn.executemany(sql, converted)
    return conn.total_changes - before


def _match_documents(target: Project, source: Project, report: MergeReport) -> dict[int, int]:
    by_hash = {d.sha256: d.id for d in target.documents()}
    by_title = {d.title: d for d in target.documents()}
    out = {}
    for doc in source.documents():
        found = by_hash.get(doc.sha256)
        if found is not None:
            out[doc.id] = found
            report.documents_matched += 1
            continue
        same_title = by_title.get(doc.title)
        added = target.add_document(
            source.text(doc), doc.title, source_path=doc.source_path, source_name=doc.source_name
        )
        by_hash[doc.sha256] = out[doc.id] = added.id
        report.documents_added += 1
        if same_title is not None:
            report.conflicts.append(
                f"document '{doc.title}' has the title of document {same_title.id} here but "
                f"another text; it was added as document {added.id}, not aligned"
            )
    return out


def _file_name(coder: str) -> str:
    name = re.sub(r"[^\w.-]+", "-", coder, flags=re.UNICODE).strip("-.")
    return name[:60] or "coder"


def handout(project: Project, coders: Sequence[str], folder: Path) -> list[Path]:
    """Write one project per coder into *folder*: the same documents and codebook, no
    annotations, blind mode on, that coder set as the current one."""
    names = [c.strip() for c in coders]
    if not names or any(not n for n in names):
        raise InputError("give the coders' names (--coders NAME [NAME ...])")
    if len(set(names)) != len(names):
        raise InputError("each coder is named once")
    if not folder.is_dir():
        raise InputError(f"there is no folder {folder}")
    targets = [folder / f"{project.path.stem}-{_file_name(n)}.annot" for n in names]
    if len({t.name for t in targets}) != len(targets):
        raise InputError("two coders' names give the same file name; make them differ")
    for target in targets:
        if target.exists():
            raise InputError(f"{target} already exists; choose another folder")
    made = []
    for name, target in zip(names, targets, strict=True):
        project.backup_to(target)
        made.append(target)
        # the fresh copy is emptied directly: opening it as a project would take a
        # daily backup of a file nobody has worked in yet
        conn = sqlite3.connect(target)
        try:
            with conn:
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("DELETE FROM annotations")
                conn.execute("DELETE FROM actors")
                conn.executemany(
                    "INSERT INTO meta(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [(CODER_SETTING, name), (BLIND_SETTING, "1")],
                )
        finally:
            conn.close()
    return made
