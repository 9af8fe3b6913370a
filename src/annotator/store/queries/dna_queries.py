"""The statements DNA's networks are computed from, read from a project's claims.

One statement per claim and claimant (DNA's statement has one organization or person):
the claimant's canonical actor is the ``person`` when its actor type is "person", else
the ``organization``, and always the ``actor`` (its type the ``actor_type``: the
``--format network`` preset's first variable); the claim's ``issue`` is the ``concept``;
its ``position`` (-1, 0, +1; empty or not a number counts as 0) is the integer qualifier
``agreement``, and also the value ``position`` as written. The document's date is the
document variable ``date`` (else the import time); its ``author``, ``source``,
``section`` and ``type`` variables are the document fields DNA filters on.
"""

from __future__ import annotations

import datetime as dt

from annotator.core.dna_network import Statement
from annotator.store.project import Project
from annotator.store.queries.analysis_queries import claims

DOCUMENT_KEYS = ("author", "source", "section", "type")


def _time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if t.tzinfo is not None:
        t = t.astimezone(dt.UTC).replace(tzinfo=None)
    return t


def _position(value: str) -> int:
    try:
        return int(float(value))
    except (ValueError, OverflowError):  # "nan", "inf"
        return 0


def dna_statements(project: Project) -> list[Statement]:
    """Every claim of the project as DNA statements (see the module docstring)."""
    variables = project.variables.all()
    docs = {d.id: d for d in project.documents()}
    out: list[Statement] = []
    for claim in claims(project):
        item = claim.item
        doc_vars = variables.get(item.document_id, {})
        doc = docs[item.document_id]
        time = _time(doc_vars.get("date")) or _time(doc.imported_at) or dt.datetime(1970, 1, 1)
        fields = {k: doc_vars.get(k, "") for k in DOCUMENT_KEYS}
        fields.update(title=doc.title, id=str(doc.id), concept=claim.issue)
        fields.update(position=claim.position, actor="", actor_type="")  # not attributes
        for key, value in claim.attributes.items():
            fields.setdefault(key, value)
        for actor in claim.claimant or (None,):
            values = dict(fields)
            if actor is not None:
                values["person" if actor.type == "person" else "organization"] = actor.name
                values.update(actor=actor.name, actor_type=actor.type or "")
            out.append(
                Statement(
                    id=item.id,
                    document_id=item.document_id,
                    time=time,
                    values=values,
                    qualifier=_position(claim.position),
                    statement_type="DNA Statement",  # as exported to DNA
                )
            )
    return out
