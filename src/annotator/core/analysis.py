"""Claim analysis over plain rows: the claims table and statistics.

Nothing here touches the project file: :mod:`annotator.store.queries.analysis_queries` reads the
rows (:class:`AnalysisInput`) and the functions below turn them into

- the **claims table** (:func:`claims_table`): one :class:`Claim` per claim, demand or
  allegation, with its claimants, addressees, objects and accused actors and its
  attributes;
- **statistics** (:func:`statistics`): counts per label and document, top actors, and
  actor x label and actor x role matrices.

The roles and their directions follow the political-claims codebook: ``claimant`` goes
actor -> claim; ``addressee``, ``object`` and ``accused`` go claim -> actor.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core.codebook import Codebook

CLAIM_LABELS = ("claim", "demand", "allegation")
"""Labels whose annotations are claims, when the codebook has no claimant relation type."""

# (relation type, True when the relation points at the claim, i.e. actor -> claim)
ROLES: tuple[tuple[str, bool], ...] = (
    ("claimant", True),
    ("addressee", False),
    ("object", False),
    ("accused", False),
)
ROLE_NAMES = tuple(role for role, _ in ROLES)
BASE_COLUMNS = (
    "document",
    "document_id",
    "annotation_id",
    "start",
    "end",
    "text",
    "label",
    *ROLE_NAMES,
)
NUMBER_COLUMNS = frozenset({"document_id", "annotation_id", "start", "end"})
JOIN = "; "
ISSUE = "issue"
POSITION = "position"


@dataclass(frozen=True, slots=True)
class Item:
    """One annotation as the analysis sees it."""

    id: int
    document_id: int
    document: str
    start: int
    end: int
    text: str
    label: str


@dataclass(frozen=True, slots=True)
class ActorRef:
    """The actor an annotation stands for: its canonical actor, else its own text.

    ``type`` is the canonical actor's type, or None for a mention not linked to one.
    """

    name: str
    type: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    type: str
    from_id: int
    to_id: int


@dataclass
class AnalysisInput:
    """Everything the analysis needs, read from a project by the store."""

    labels: tuple[str, ...]  # every label key of the codebook, in order
    claim_labels: tuple[str, ...]
    attribute_keys: tuple[str, ...]  # every attribute key of the codebook, in order
    documents: tuple[tuple[int, str], ...]  # (id, title)
    claims: list[Item]  # every annotation whose label is a claim label
    links: list[Link]  # relations of the role types
    refs: dict[int, ActorRef]  # annotation id -> actor, for each end of a role relation
    starts: Mapping[int, int]  # annotation id -> start, for the same annotations
    mentions: list[ActorRef]  # one per annotation labelled "actor"
    attributes: Mapping[int, Mapping[str, str]]  # annotation id -> key -> value
    label_counts: Mapping[int, Mapping[str, int]]  # document id -> label -> annotations
    relation_count: int = 0
    actor_count: int = 0


@dataclass(frozen=True)
class Claim:
    """One row of the claims table."""

    item: Item
    claimant: tuple[ActorRef, ...] = ()
    addressee: tuple[ActorRef, ...] = ()
    object: tuple[ActorRef, ...] = ()
    accused: tuple[ActorRef, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=dict)

    def role(self, name: str) -> tuple[ActorRef, ...]:
        value: tuple[ActorRef, ...] = getattr(self, name)
        return value

    @property
    def issue(self) -> str:
        return self.attributes.get(ISSUE, "").strip()

    @property
    def position(self) -> str:
        return self.attributes.get(POSITION, "").strip()


def claim_labels(codebook: Codebook) -> tuple[str, ...]:
    """The labels that are claims: the targets of the claimant relation type if the
    codebook has one with targets, else those of :data:`CLAIM_LABELS` it has."""
    for relation in codebook.relations:
        if relation.key == "claimant" and relation.to_labels:
            return relation.to_labels
    keys = set(codebook.keys())
    return tuple(k for k in CLAIM_LABELS if k in keys)


# -- the claims table ----------------------------------------------------------------


def claims_table(data: AnalysisInput) -> list[Claim]:
    """One :class:`Claim` per claim annotation, in document and text order.

    An actor reached through several mentions of one role is listed once, in the
    order of its first mention in the text.
    """
    claim_ids = {c.id for c in data.claims}
    ends: dict[tuple[int, str], list[int]] = defaultdict(list)
    for link in data.links:
        for role, inward in ROLES:
            if link.type != role:
                continue
            claim_id, actor_id = (
                (link.to_id, link.from_id) if inward else (link.from_id, link.to_id)
            )
            if claim_id in claim_ids and actor_id in data.refs:
                ends[(claim_id, role)].append(actor_id)
    out = []
    for item in sorted(data.claims, key=lambda c: (c.document_id, c.start, c.end, c.id)):
        roles: dict[str, tuple[ActorRef, ...]] = {}
        for role in ROLE_NAMES:
            found = sorted(ends.get((item.id, role), []), key=lambda a: (data.starts.get(a, 0), a))
            refs = dict.fromkeys(data.refs[actor_id] for actor_id in found)
            roles[role] = tuple(refs)
        out.append(
            Claim(
                item,
                attributes=dict(data.attributes.get(item.id, {})),
                **roles,
            )
        )
    return out


def claim_columns(attribute_keys: Sequence[str]) -> tuple[str, ...]:
    """The claims table's header: fixed columns, then one per codebook attribute
    (named ``attribute_KEY`` when KEY is already a fixed column)."""
    extra = [f"attribute_{k}" if k in BASE_COLUMNS else k for k in attribute_keys]
    return (*BASE_COLUMNS, *extra)


def claim_cells(claim: Claim, attribute_keys: Sequence[str]) -> list[str | int]:
    """The cells of one claims-table row, in :func:`claim_columns` order."""
    item = claim.item
    cells: list[str | int] = [
        item.document,
        item.document_id,
        item.id,
        item.start,
        item.end,
        item.text,
        item.label,
    ]
    cells.extend(JOIN.join(ref.name for ref in claim.role(role)) for role in ROLE_NAMES)
    cells.extend(claim.attributes.get(key, "") for key in attribute_keys)
    return cells


# -- statistics ----------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    """The numbers of the stats command and the window's statistics panel."""

    labels: tuple[str, ...]
    documents: tuple[tuple[int, str], ...]
    per_label: dict[str, int]  # label -> annotations, every label of the codebook
    per_document: dict[int, dict[str, int]]  # document id -> label -> annotations
    claims_by_actor: list[tuple[str, int]]  # claims an actor makes (as claimant), most first
    mentions_by_actor: list[tuple[str, int]]  # annotations labelled actor, most first
    actor_label: dict[str, dict[str, int]]  # actor -> claim label -> claims it takes part in
    actor_roles: dict[str, dict[str, int]]  # actor -> role -> claims
    claim_labels: tuple[str, ...]
    annotations: int
    claims: int
    relations: int
    actors: int

    def top(self, n: int) -> Stats:
        """The same numbers with the actor lists cut to the first *n* (0: all)."""
        if n <= 0:
            return self
        keep = {a for a, _ in self.claims_by_actor[:n]} | {a for a, _ in self.mentions_by_actor[:n]}
        return Stats(
            self.labels,
            self.documents,
            self.per_label,
            self.per_document,
            self.claims_by_actor[:n],
            self.mentions_by_actor[:n],
            {a: v for a, v in self.actor_label.items() if a in keep},
            {a: v for a, v in self.actor_roles.items() if a in keep},
            self.claim_labels,
            self.annotations,
            self.claims,
            self.relations,
            self.actors,
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready picture with the same numbers."""
        titles = dict(self.documents)
        return {
            "annotations": self.annotations,
            "claims": self.claims,
            "relations": self.relations,
            "actors": self.actors,
            "per_label": dict(self.per_label),
            "per_document": [
                {
                    "id": doc_id,
                    "title": titles.get(doc_id, ""),
                    "per_label": {k: counts.get(k, 0) for k in self.labels},
                    "total": sum(counts.values()),
                }
                for doc_id, counts in self.per_document.items()
            ],
            "claims_by_actor": [{"actor": a, "claims": n} for a, n in self.claims_by_actor],
            "mentions_by_actor": [{"actor": a, "mentions": n} for a, n in self.mentions_by_actor],
            "actor_label": self.actor_label,
            "actor_roles": self.actor_roles,
        }


def _ranked(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def statistics(data: AnalysisInput, claims: Sequence[Claim] | None = None) -> Stats:
    """Counts per label and document, top actors, actor x label and actor x role."""
    claims = claims_table(data) if claims is None else claims
    per_document = {
        doc_id: {k: data.label_counts.get(doc_id, {}).get(k, 0) for k in data.labels}
        for doc_id, _ in data.documents
    }
    per_label = {k: sum(d[k] for d in per_document.values()) for k in data.labels}
    made: Counter[str] = Counter()
    actor_label: dict[str, Counter[str]] = defaultdict(Counter)
    actor_roles: dict[str, Counter[str]] = defaultdict(Counter)
    for claim in claims:
        involved: set[str] = set()
        for role in ROLE_NAMES:
            for ref in claim.role(role):
                actor_roles[ref.name][role] += 1
                involved.add(ref.name)
        for ref in claim.claimant:
            made[ref.name] += 1
        for name in involved:
            actor_label[name][claim.item.label] += 1
    mentions = Counter(ref.name for ref in data.mentions)
    names = sorted(actor_label)
    return Stats(
        labels=data.labels,
        documents=data.documents,
        per_label=per_label,
        per_document=per_document,
        claims_by_actor=_ranked(made),
        mentions_by_actor=_ranked(mentions),
        actor_label={a: {k: actor_label[a][k] for k in data.claim_labels} for a in names},
        actor_roles={a: {r: actor_roles[a][r] for r in ROLE_NAMES} for a in names},
        claim_labels=data.claim_labels,
        annotations=sum(per_label.values()),
        claims=len(claims),
        relations=data.relation_count,
        actors=data.actor_count,
    )
