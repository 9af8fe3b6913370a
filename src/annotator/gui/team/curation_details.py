"""What accepting a span carries into the curated layer, shown and compared.

The preview of the curation view lists, beside each coder's span and each curated span,
its attributes, actor link, relations and note (:func:`carried_html`), so that the
curator sees what an accept copies; accepting all complete agreements takes the first
coder's, and says on how many another coder's differ (:func:`carried`).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication

from annotator.gui.team.curation_model import snippet
from annotator.store import Project


def tr(text: str) -> str:
    return QCoreApplication.translate("curation", text)


def carried(project: Project, annotation_id: int) -> tuple[object, ...]:
    """What an accept copies of a span besides its range and label, comparable."""
    actor = project.actor_of(annotation_id)
    return (
        tuple(project.attributes(annotation_id).items()),
        None if actor is None else actor.id,
        project.annotation(annotation_id).note,
    )


def carried_html(project: Project, annotation_id: int) -> str:
    """`` · position -1 · actor Senate · claimant → “budget cuts” · note “…”`` (HTML)."""
    parts = [f"{k} {v}" for k, v in project.attributes(annotation_id).items()]
    actor = project.actor_of(annotation_id)
    if actor is not None:
        parts.append(tr("actor %s") % actor.name)
    for relation in project.relations_of(annotation_id):
        outgoing = relation.from_id == annotation_id
        other = project.annotation(relation.to_id if outgoing else relation.from_id)
        arrow = "→" if outgoing else "←"
        parts.append(f"{relation.type} {arrow} “{snippet(other.text, 20)}”")
    note = project.annotation(annotation_id).note
    if note:
        parts.append(tr("note “%s”") % snippet(note, 40))
    return (" · " + html.escape(" · ".join(parts))) if parts else ""
