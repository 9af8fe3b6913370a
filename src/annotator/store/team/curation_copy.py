"""Curation copies a coder's span into the curated layer with the claim structure on it.

An accepted span's curated copy gets the span's note, its attributes (a claim's
position, issue, form) and its actor link, and the relations of the span whose other
end is curated too: a relation ``A -> B`` of a coder appears between the curated copies
of A and B as soon as both are curated (in whichever order, or together), so that the
gold layer holds who claims what, towards whom.

Which curated span is the copy of which coder's span is written in the copy itself:
its UUID is derived from the source's UUID and the curated layer's name
(:func:`copy_uuid`), so it survives closing the window, Save As and merging, and needs
no table of its own. A relation's other end also counts as curated when the curated
layer holds a span equal to it (same range and label), as when the curator took
another coder's identical span there: Ana's and Ben's "Senate" are one actor. Undo of an accept deletes the copies, and ``ON DELETE CASCADE``
takes what hangs on them.

A relation is carried only when it still fits the codebook between the copies (the
curator may have relabelled the other end meanwhile); :class:`Copied` counts the
relations so left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import NAMESPACE_URL, uuid5

from annotator.store.project import Project, now

NAMESPACE = uuid5(NAMESPACE_URL, "https://annotator.invalid/curation")


@dataclass(frozen=True)
class Copied:
    """What :func:`copy_structure` wrote: counts, for messages and tests."""

    notes: int = 0
    attributes: int = 0
    actor_links: int = 0
    relations: int = 0
    relations_not_fitting: int = 0

    @property
    def structure(self) -> bool:
        """True when attributes, actor links or relations were written."""
        return bool(self.attributes or self.actor_links or self.relations)


def copy_uuid(source_uuid: str, curator: str) -> str:
    """The UUID of the *curator* layer's copy of the annotation *source_uuid*."""
    return uuid5(NAMESPACE, f"{curator}\x00{source_uuid}").hex


def is_copy_of(project: Project, curated_id: int, source_id: int, curator: str) -> bool:
    """Whether *curated_id* is *curator*'s unchanged copy of *source_id*: made from it,
    with the same range and label (a copy resized or relabelled since is not)."""
    copy, source = project.annotation(curated_id), project.annotation(source_id)
    return (
        source.uuid is not None
        and copy.uuid == copy_uuid(source.uuid, curator)
        and (copy.start, copy.end, copy.label) == (source.start, source.end, source.label)
    )


def copy_structure(project: Project, curator: str, pairs: Sequence[tuple[int, int]]) -> Copied:
    """Give each curated copy (``(source id, copy id)`` in *pairs*) its source's structure.

    In one transaction: the note, attributes and actor link of each source; the copy's
    UUID (:func:`copy_uuid`); then every relation of a source whose other end has a copy
    in the *curator* layer (made now or before), unless that relation is there already.
    """
    if not pairs:
        return Copied()
    run = project.execute
    sources = [s for s, _ in pairs]
    marks = ",".join("?" * len(sources))
    uuid_of = dict(run(f"SELECT id, uuid FROM annotations WHERE id IN ({marks})", sources))
    copy_of = dict(pairs)
    notes = attributes = links = 0
    with project.transaction():
        for source, copy in pairs:
            notes += run(
                "UPDATE annotations SET note = (SELECT note FROM annotations WHERE id = ?) "
                "WHERE id = ? AND (SELECT note FROM annotations WHERE id = ?) IS NOT NULL",
                (source, copy, source),
            ).rowcount
            if uuid_of.get(source):  # unless a copy of it is still there (moved elsewhere)
                run(
                    "UPDATE annotations SET uuid = ?1 WHERE id = ?2 AND NOT EXISTS "
                    "(SELECT 1 FROM annotations WHERE uuid = ?1)",
                    (copy_uuid(uuid_of[source], curator), copy),
                )
            attributes += run(
                "INSERT OR REPLACE INTO annotation_attributes(annotation_id, key, value) "
                "SELECT ?, key, value FROM annotation_attributes WHERE annotation_id = ?",
                (copy, source),
            ).rowcount
            links += run(
                "INSERT OR REPLACE INTO actor_mentions(annotation_id, actor_id) "
                "SELECT ?, actor_id FROM actor_mentions WHERE annotation_id = ?",
                (copy, source),
            ).rowcount
        relations, not_fitting = _carry_relations(project, curator, copy_of, marks, sources)
    return Copied(notes, attributes, links, relations, not_fitting)


def _carry_relations(
    project: Project, curator: str, copy_of: dict[int, int], marks: str, sources: list[int]
) -> tuple[int, int]:
    """Copy the sources' relations whose other end is curated; (written, left out)."""
    run = project.execute
    rows = list(
        run(
            f"SELECT id, type, from_id, to_id FROM relations "
            f"WHERE from_id IN ({marks}) OR to_id IN ({marks}) ORDER BY id",
            sources + sources,
        )
    )
    ends = {i for _, _, a, b in rows for i in (a, b)} - set(copy_of)
    for other in ends:  # an end curated before: its copy (by UUID), or an equal curated span
        row = run(
            'SELECT uuid, document_id, start, "end", label_id FROM annotations WHERE id = ?',
            (other,),
        ).fetchone()
        if row is None:
            continue
        uuid, document, start, end, label_id = row
        found = (
            run(
                "SELECT id FROM annotations WHERE uuid = ? AND annotator = ? AND document_id = ?",
                (copy_uuid(uuid, curator) if uuid else "", curator, document),
            ).fetchone()
            or run(
                "SELECT id FROM annotations WHERE document_id = ? AND annotator = ? AND start = ? "
                'AND "end" = ? AND label_id = ? ORDER BY id LIMIT 1',
                (document, curator, start, end, label_id),
            ).fetchone()
        )
        if found is not None:
            copy_of[other] = found[0]
    kinds = {r.key: r for r in project.codebook().relations}
    label_of: dict[int, str] = {}

    def label(annotation_id: int) -> str:
        if annotation_id not in label_of:
            label_of[annotation_id] = project.annotation(annotation_id).label
        return label_of[annotation_id]

    written = not_fitting = 0
    stamp = now()
    for _id, kind, a, b in rows:
        if a not in copy_of or b not in copy_of:
            continue  # the other end is not curated (yet): carried when it is
        ca, cb = copy_of[a], copy_of[b]
        definition = kinds.get(kind)
        if definition is None or not definition.fits(label(ca), label(cb)):
            not_fitting += 1
            continue
        written += run(
            "INSERT OR IGNORE INTO relations(type, from_id, to_id, annotator, created) "
            "VALUES (?, ?, ?, ?, ?)",
            (kind, ca, cb, curator, stamp),
        ).rowcount
    return written, not_fitting
