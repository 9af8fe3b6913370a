"""Plain records returned by the store."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Document:
    """A document of a project, without its text (``Project.text(document)`` reads it)."""

    id: int
    title: str
    source_name: str | None
    source_path: str | None
    sha256: str
    length: int
    imported_at: str


@dataclass(frozen=True, slots=True)
class Annotation:
    """A labelled span ``[start, end)`` of code points of a document's normalised text."""

    id: int
    document_id: int
    start: int
    end: int
    text: str
    label: str
    note: str | None
    annotator: str
    created: str
    modified: str
    uuid: str | None = None  # stable across copies and merges (None in a file not yet upgraded)


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed link from one annotation to another (e.g. actor -claimant-> claim)."""

    id: int
    type: str
    from_id: int
    to_id: int
    annotator: str
    created: str


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical actor that actor mentions are linked to."""

    id: int
    name: str
    type: str


@dataclass(frozen=True)
class Removed:
    """Everything a deletion took away, so that undo can put it back exactly."""

    annotations: tuple[Annotation, ...]
    attributes: tuple[tuple[int, str, str], ...] = ()  # (annotation id, key, value)
    relations: tuple[Relation, ...] = ()
    actor_links: tuple[tuple[int, int], ...] = ()  # (annotation id, actor id)
