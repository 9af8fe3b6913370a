"""The parts of an agreement report: :class:`Figure`, :class:`Disagreement` (with its
:class:`Coding`), :class:`AgreementReport`, and the sections and matching rules.

:mod:`annotator.core.agreement.report` computes them (and re-exports these names).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from annotator.core.agreement.result import Agreement

SECTIONS: dict[str, str] = {
    "spans-exact": "Spans, exact match",
    "spans-overlap": "Spans, overlap match",
    "characters": "Characters",
    "units": "Coding of matched units",
    "claims": "Claims",
}
"""Section key -> title, in the order a report lists them."""

RULES: dict[str, str] = {
    "spans-exact": "a span of one coder matches a span of the other with the same label, "
    "start and end; each span is in at most one pair; precision = matched / spans of the "
    "second coder, recall = matched / spans of the first, F1 = 2 matched / spans of both",
    "spans-overlap": "a span of one coder matches a span of the other with the same label "
    "that shares at least one character with it; as many one-to-one pairs as possible; "
    "precision, recall and F1 as for exact matching",
    "characters": "every character of the shared documents is a unit: alpha_U (Krippendorff) "
    "on the documents laid end to end, per label and overall; one coder's overlapping "
    "spans of one label are merged into one; per label and pair of coders, NVivo-style "
    "percent agreement and kappa of coded and not coded characters",
    "units": "the coders' spans of each document matched regardless of label, one to one, "
    "largest overlap first (two spans of different coders that share characters join one "
    "unit unless it would hold two spans of one coder); the categories are the labels; a "
    "coder without a span in a unit is missing there; Fleiss' kappa on the units every "
    "coder marked",
    "claims": "claims (spans with a claim label) matched among themselves as units are; "
    "a claim marked by two or more coders is matched; claimant and addressee compared as "
    "the set of canonical actors ('(none)' when none is linked), position and issue as "
    "written (missing when not set); position also as ordinal (-1 < 0 < +1) and interval",
}


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of a report.

    ``section`` is a key of :data:`SECTIONS`; ``coders`` the pair (or all the coders)
    it compares; ``label`` the label (or, for claims, the attribute) it is about, None
    over all; ``document`` the document id, None when pooled over the shared
    documents; ``on`` says in words what it is computed on.
    """

    section: str
    coders: tuple[str, ...]
    agreement: Agreement
    on: str
    label: str | None = None
    document: int | None = None

    @property
    def scope(self) -> str:
        """``"document"``, ``"label"`` or ``"pooled"``."""
        if self.document is not None:
            return "document"
        return "label" if self.label is not None else "pooled"

    def to_dict(self) -> dict[str, Any]:
        a = self.agreement
        return {
            "section": self.section,
            "scope": self.scope,
            "coders": list(self.coders),
            "label": self.label,
            "document": self.document,
            "measure": a.measure,
            "value": a.value,
            "n": a.n,
            "counted": a.counted,
            "why": a.why,
            "on": self.on,
        }


class Coding(NamedTuple):
    """What one coder marked in a disagreement: the annotation and its label (or, for a
    claim attribute, its value)."""

    coder: str
    annotation_id: int
    start: int
    end: int
    value: str | None


class Disagreement(NamedTuple):
    """A place where the coders differ, for jump-to.

    ``kind`` is ``label`` (different labels on one unit), ``only some coders`` (a unit
    some coders did not mark; they are in ``missing``), ``boundaries`` (same label,
    different offsets) or ``claim claimant|addressee|position|issue``. ``start`` and
    ``end`` span the whole unit.
    """

    kind: str
    document_id: int
    document: str
    start: int
    end: int
    codings: tuple[Coding, ...]
    missing: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "document_id": self.document_id,
            "document": self.document,
            "start": self.start,
            "end": self.end,
            "codings": [c._asdict() for c in self.codings],
            "missing": list(self.missing),
        }


@dataclass(frozen=True)
class AgreementReport:
    """Every figure of ``annotator agree`` and the disagreements, for one selection."""

    coders: tuple[str, ...]
    labels: tuple[str, ...]
    selected: int  # documents selected
    shared: tuple[int, ...]  # the documents every chosen coder annotated
    merged: int  # spans merged into an overlapping same-label span of the same coder
    units: int  # matched units of the coding measures (also those of one coder only)
    claims: int  # claims matched across two or more coders
    figures: list[Figure] = field(default_factory=list)
    document_titles: dict[int, str] = field(default_factory=dict)  # of the shared documents
    disagreements: Sequence[Disagreement] = field(default_factory=list)
    rules: dict[str, str] = field(default_factory=lambda: dict(RULES))

    def select(
        self,
        section: str | None = None,
        *,
        scope: str | None = None,
        label: str | None = None,
        document: int | None = None,
    ) -> list[Figure]:
        """The figures of a section, scope (pooled, label, document), label or document."""
        return [
            f
            for f in self.figures
            if (section is None or f.section == section)
            and (scope is None or f.scope == scope)
            and (label is None or f.label == label)
            and (document is None or f.document == document)
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "coders": list(self.coders),
            "labels": list(self.labels),
            "documents_selected": self.selected,
            "documents_shared": [
                {"id": d, "title": self.document_titles.get(d, "")} for d in self.shared
            ],
            "merged_overlapping_spans": self.merged,
            "units": self.units,
            "matched_claims": self.claims,
            "rules": self.rules,
            "figures": [f.to_dict() for f in self.figures],
            "disagreements": [d.to_dict() for d in self.disagreements],
        }


def no_shared_reason(coders: Sequence[str]) -> str:
    """Why a figure is undefined when the coders share no document."""
    if len(coders) == 2:
        return "no document coded by both"
    return f"no document coded by all {len(coders)} coders"
