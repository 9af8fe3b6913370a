"""Suggested spans, stored apart from annotations: the ``suggestions`` table.

A suggestion is never an annotation: statistics, exports and agreement read only
``annotations``, so nothing here is counted until a coder accepts it
(:meth:`Suggestions.accept` turns it into an ordinary annotation by the current coder
and deletes the suggestion, in one transaction). A rejected suggestion is remembered in
``suggestions_rejected`` by the document's text hash, start, end and label, and no
source suggests it again, in this project or in a merged copy of the same text.

The two tables come with schema 4 (store/file/schema.py); a file of an older format opened
read-only (so not upgraded) simply has no suggestions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from annotator.core.errors import InputError
from annotator.core.suggest import Example
from annotator.core.suggest import Suggestion as Found

if TYPE_CHECKING:
    from annotator.store.models import Annotation
    from annotator.store.project import Project

_COLUMNS = 'id, document_id, start, "end", label, source, score'


@dataclass(frozen=True)
class StoredSuggestion:
    id: int
    document_id: int
    start: int
    end: int
    label: str
    source: str
    score: float


@dataclass(frozen=True, slots=True)
class SuggestedRow:
    """A suggestion as the annotation table lists it: with its covered text and its
    document's title."""

    id: int
    document_id: int
    document: str
    start: int
    end: int
    text: str
    label: str
    source: str
    score: float


_ROWS_SQL = (
    'SELECT s.id, s.document_id, d.title, s.start, s."end", '
    'substr(CAST(d.text AS TEXT), s.start + 1, s."end" - s.start), s.label, s.source, '
    "s.score FROM suggestions s JOIN documents d ON d.id = s.document_id "
    "WHERE NOT EXISTS (SELECT 1 FROM annotations a JOIN labels l ON l.id = a.label_id "
    'WHERE a.document_id = s.document_id AND a.start = s.start AND a."end" = s."end" '
    "AND l.key = s.label)"
)


class Suggestions:
    """``Suggestions(project)``: the suggestion layer of one open project."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._ready = False

    # -- tables ---------------------------------------------------------------------

    def _exists(self) -> bool:
        if self._ready:
            return True
        row = self._project.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'suggestions'"
        ).fetchone()
        self._ready = row is not None
        return self._ready

    def _ensure(self) -> None:
        """The tables are there (a file of an older format is upgraded when opened for
        changes; one opened read-only takes none)."""
        if not self._exists():
            raise InputError(f"{self._project.path.name} is open read-only")

    # -- reading --------------------------------------------------------------------

    def of(self, document_id: int, source: str | None = None) -> list[StoredSuggestion]:
        """A document's suggestions in text order (of one *source* if given)."""
        if not self._exists():
            return []
        sql = f"SELECT {_COLUMNS} FROM suggestions WHERE document_id = ?"
        params: list[object] = [document_id]
        if source is not None:
            sql += " AND source = ?"
            params.append(source)
        rows = self._project.execute(sql + ' ORDER BY start, "end", label, source', params)
        return [StoredSuggestion(*r) for r in rows]

    def all(self, source: str | None = None) -> list[StoredSuggestion]:
        if not self._exists():
            return []
        sql = f"SELECT {_COLUMNS} FROM suggestions"
        params: list[object] = []
        if source is not None:
            sql += " WHERE source = ?"
            params.append(source)
        rows = self._project.execute(sql + ' ORDER BY document_id, start, "end", label', params)
        return [StoredSuggestion(*r) for r in rows]

    def sources(self) -> list[str]:
        """The sources that have stored suggestions, by name."""
        if not self._exists():
            return []
        rows = self._project.execute("SELECT DISTINCT source FROM suggestions ORDER BY source")
        return [str(source) for (source,) in rows]

    def rows(
        self, document_id: int | None = None, label: str | None = None, text: str = ""
    ) -> list[SuggestedRow]:
        """The suggestions of a document (all if None) that are not annotated (the same
        span and label), with their covered text, in text order; of one *label* and
        covering *text* (case-insensitive, as the annotation table filters) if given.
        One query: the annotation table reads them at once (they are few)."""
        if not self._exists():
            return []
        sql = _ROWS_SQL
        params: list[object] = []
        if document_id is not None:
            sql += " AND s.document_id = ?"
            params.append(document_id)
        if label:
            sql += " AND s.label = ?"
            params.append(label)
        rows = [
            SuggestedRow(*r)
            for r in self._project.execute(
                sql + ' ORDER BY s.document_id, s.start, s."end", s.label, s.source', params
            )
        ]
        if text:
            wanted = text.casefold()
            rows = [r for r in rows if wanted in r.text.casefold()]
        return rows

    def get(self, ids: Iterable[int]) -> list[StoredSuggestion]:
        wanted = list(dict.fromkeys(int(i) for i in ids))
        if not wanted or not self._exists():
            if wanted:
                raise InputError(f"there is no suggestion {wanted[0]}")
            return []
        found: dict[int, StoredSuggestion] = {}
        for chunk in range(0, len(wanted), 500):
            part = wanted[chunk : chunk + 500]
            marks = ",".join("?" * len(part))
            for r in self._project.execute(
                f"SELECT {_COLUMNS} FROM suggestions WHERE id IN ({marks})", part
            ):
                found[r[0]] = StoredSuggestion(*r)
        missing = [i for i in wanted if i not in found]
        if missing:
            raise InputError(f"there is no suggestion {missing[0]}")
        return [found[i] for i in wanted]

    def rejected(self, document_id: int) -> set[tuple[int, int, str]]:
        """``(start, end, label)`` of every rejected suggestion in the document's text."""
        if not self._exists():
            return set()
        rows = self._project.execute(
            'SELECT r.start, r."end", r.label FROM suggestions_rejected r '
            "JOIN documents d ON d.sha256 = r.sha256 WHERE d.id = ?",
            (document_id,),
        )
        return {(int(s), int(e), str(lab)) for s, e, lab in rows}

    def annotated(self, document_id: int) -> set[tuple[int, int, str]]:
        rows = self._project.execute(
            'SELECT a.start, a."end", l.key FROM annotations a JOIN labels l '
            "ON l.id = a.label_id WHERE a.document_id = ?",
            (document_id,),
        )
        return {(int(s), int(e), str(k)) for s, e, k in rows}

    def skip(self, document_id: int) -> set[tuple[int, int, str]]:
        """What no source should suggest in the document: annotated or rejected spans."""
        return self.annotated(document_id) | self.rejected(document_id)

    # -- writing --------------------------------------------------------------------

    def replace(self, document_id: int, source: str, found: Iterable[Found]) -> int:
        """Put *found* in place of the document's suggestions from *source*; spans
        already annotated with the label, rejected ones and labels the codebook lacks
        are left out. Returns how many were stored."""
        project = self._project
        labels = {label.key for label in project.labels()}
        skip = self.skip(document_id)
        length = project.document(document_id).length
        rows = {
            (x.start, x.end, x.label): x
            for x in found
            if x.label in labels
            and (x.start, x.end, x.label) not in skip
            and 0 <= x.start < x.end <= length
        }
        with project.transaction():
            self._ensure()
            project.execute(
                "DELETE FROM suggestions WHERE document_id = ? AND source = ?",
                (document_id, source),
            )
            project._conn.executemany(
                'INSERT INTO suggestions(document_id, start, "end", label, source, score) '
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (document_id, x.start, x.end, x.label, source, float(x.score))
                    for x in rows.values()
                ],
            )
        return len(rows)

    def clear(self, source: str | None = None) -> None:
        if not self._exists():
            return
        with self._project.transaction():
            if source is None:
                self._project.execute("DELETE FROM suggestions")
            else:
                self._project.execute("DELETE FROM suggestions WHERE source = ?", (source,))

    def accept(
        self, ids: Iterable[int], annotator: str | None = None
    ) -> tuple[list[Annotation], list[StoredSuggestion]]:
        """Turn the suggestions *ids* into annotations by *annotator* (the current coder
        if None), in one transaction; every other suggestion of the same span and label
        (from another source) goes too. Returns (the annotations, the suggestions
        removed) for an undo."""
        chosen = self.get(ids)
        project = self._project
        with project.transaction():
            removed = self._drop_same_spans(chosen)
            by_doc: dict[int, list[StoredSuggestion]] = {}
            for x in chosen:
                by_doc.setdefault(x.document_id, []).append(x)
            made: list[Annotation] = []
            for doc_id, items in by_doc.items():
                made += project.annotate_many(
                    doc_id, [(x.start, x.end, x.label, None) for x in items], annotator=annotator
                )
        return made, removed

    def reject(self, ids: Iterable[int]) -> list[StoredSuggestion]:
        """Delete the suggestions *ids* (and the same span and label from every source)
        and remember them as rejected. Returns what was removed, for an undo."""
        chosen = self.get(ids)
        project = self._project
        with project.transaction():
            removed = self._drop_same_spans(chosen)
            project._conn.executemany(
                'INSERT OR IGNORE INTO suggestions_rejected(sha256, start, "end", label) '
                "SELECT sha256, ?, ?, ? FROM documents WHERE id = ?",
                [(x.start, x.end, x.label, x.document_id) for x in chosen],
            )
        return removed

    def discard(self, ids: Iterable[int]) -> None:
        """Delete the suggestions *ids* without remembering them (redo of an accept)."""
        wanted = [(int(i),) for i in ids]
        if wanted and self._exists():
            with self._project.transaction():
                self._project._conn.executemany("DELETE FROM suggestions WHERE id = ?", wanted)

    def restore(self, removed: Sequence[StoredSuggestion], *, unreject: bool = False) -> None:
        """Put *removed* suggestions back with their ids (the undo of accept or reject);
        with *unreject* they are forgotten as rejected too."""
        project = self._project
        with project.transaction():
            self._ensure()
            project._conn.executemany(
                f"INSERT OR IGNORE INTO suggestions({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(x.id, x.document_id, x.start, x.end, x.label, x.source, x.score)
                 for x in removed],
            )  # fmt: skip
            if unreject:
                project._conn.executemany(
                    'DELETE FROM suggestions_rejected WHERE start = ? AND "end" = ? AND '
                    "label = ? AND sha256 = (SELECT sha256 FROM documents WHERE id = ?)",
                    [(x.start, x.end, x.label, x.document_id) for x in removed],
                )

    def _drop_same_spans(self, chosen: Sequence[StoredSuggestion]) -> list[StoredSuggestion]:
        removed: list[StoredSuggestion] = []
        for x in chosen:
            rows = self._project.execute(
                f"SELECT {_COLUMNS} FROM suggestions WHERE document_id = ? AND start = ? "
                'AND "end" = ? AND label = ?',
                (x.document_id, x.start, x.end, x.label),
            ).fetchall()
            removed += [StoredSuggestion(*r) for r in rows]
            self._project.execute(
                'DELETE FROM suggestions WHERE document_id = ? AND start = ? AND "end" = ? '
                "AND label = ?",
                (x.document_id, x.start, x.end, x.label),
            )
        return removed


# -- what the sources learn from ------------------------------------------------------


def examples(project: Project, document_ids: Iterable[int] | None = None) -> list[Example]:
    """Every document (or those given) with its annotated spans, in document order."""
    docs = [d.id for d in project.documents()] if document_ids is None else list(document_ids)
    out = []
    for doc_id in docs:
        rows = project.execute(
            'SELECT a.start, a."end", l.key FROM annotations a JOIN labels l '
            'ON l.id = a.label_id WHERE a.document_id = ? ORDER BY a.start, a."end"',
            (doc_id,),
        )
        spans = tuple((int(s), int(e), str(k)) for s, e, k in rows)
        out.append(Example(doc_id, project.text(doc_id), spans))
    return out


def actor_names(project: Project) -> dict[str, list[str]]:
    """Each canonical actor's name and its aliases (the distinct texts of the mentions
    linked to it)."""
    out: dict[str, list[str]] = {}
    for name, alias in project.execute(
        "SELECT c.name, a.text FROM actors c LEFT JOIN actor_mentions m ON m.actor_id = c.id "
        "LEFT JOIN annotations a ON a.id = m.annotation_id ORDER BY c.name"
    ):
        aliases = out.setdefault(str(name), [])
        if alias is not None and alias not in aliases and alias != name:
            aliases.append(str(alias))
    return out


# -- running the sources ----------------------------------------------------------------


class Finder(Protocol):
    """A built source: ``find(text, skip) -> list of core Suggestion``."""

    def find(self, text: str, skip: Iterable[tuple[int, int, str]] = ()) -> list[Found]: ...


def build_source(
    project: Project,
    source: str,
    *,
    pipeline: str | None = None,
    mapping: dict[str, str] | None = None,
    progress: Any = None,
) -> Finder:
    """The source *source* built from the project's annotations (like-before, learned)
    or the installed spaCy *pipeline* (pretrained)."""
    from annotator.core.suggest import SOURCES

    if source == "like-before":
        from annotator.core.suggest.like_before import like_before_for

        return like_before_for(examples(project), actor_names(project))
    if source == "learned":
        from annotator.core.suggest.learned import train

        return train(examples(project), progress=progress)
    if source == "pretrained":
        from annotator.core.suggest import pretrained

        labels = {label.key for label in project.labels()}
        chosen = mapping or {k: v for k, v in pretrained.DEFAULT_MAPPING.items() if v in labels}
        return pretrained.Pretrained(pretrained.load(pipeline), chosen)
    raise InputError(f"a source is one of {', '.join(SOURCES)}, not '{source}'")


def suggest(
    project: Project, source: str, finder: Finder, document_ids: Iterable[int] | None = None
) -> dict[int, int]:
    """Run *finder* over the documents (all if None) and store what it finds as
    *source*'s suggestions; return document id -> suggestions stored."""
    layer = Suggestions(project)
    docs = [d.id for d in project.documents()] if document_ids is None else list(document_ids)
    out: dict[int, int] = {}
    with project.transaction():
        for doc_id in docs:
            found = finder.find(project.text(doc_id), layer.skip(doc_id))
            out[doc_id] = layer.replace(doc_id, source, found)
    return out
