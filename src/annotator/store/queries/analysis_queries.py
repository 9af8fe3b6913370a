"""The reads behind claim analysis: a project's rows as :class:`AnalysisInput`.

The computing is in :mod:`annotator.core.analysis`; these functions only query the
project file and hand plain rows over. The CLI, the exporters and the window's
statistics panel all call them, so every place shows the same numbers::

    from annotator.store import Project
    from annotator.store.queries.analysis_queries import claims, project_stats

    with Project.open("claims.annot", read_only=True) as project:
        for claim in claims(project):
            print(claim.item.text, [a.name for a in claim.claimant], claim.issue)
        print(project_stats(project).claims_by_actor[:10])
"""

from __future__ import annotations

from annotator.core.analysis import (
    ROLE_NAMES,
    ActorRef,
    AnalysisInput,
    Claim,
    Item,
    Link,
    Stats,
    claim_labels,
    claims_table,
    statistics,
)
from annotator.store.project import Project

ACTOR_LABEL = "actor"


def _marks(values: tuple[str, ...]) -> str:
    return ",".join("?" * len(values)) or "NULL"


def analysis_input(
    project: Project, document: int | None = None, coder: str | None = None
) -> AnalysisInput:
    """Read what the analysis needs, from the whole project or from one *document*;
    with *coder*, only that coder's layer (blind mode)."""
    codebook = project.codebook()
    labels = tuple(codebook.keys())
    claim_keys = claim_labels(codebook)
    roles = ROLE_NAMES
    docs = project.documents() if document is None else [project.document(document)]
    doc_filter, doc_params = (
        ("", ()) if document is None else (" AND a.document_id = ?", (document,))
    )
    if coder is not None:
        doc_filter, doc_params = doc_filter + " AND a.annotator = ?", (*doc_params, coder)

    claim_rows = project.execute(
        'SELECT a.id, a.document_id, d.title, a.start, a."end", a.text, l.key '
        "FROM annotations a JOIN documents d ON d.id = a.document_id "
        f"JOIN labels l ON l.id = a.label_id WHERE l.key IN ({_marks(claim_keys)})" + doc_filter,
        (*claim_keys, *doc_params),
    ).fetchall()
    link_rows = project.execute(
        "SELECT r.type, r.from_id, r.to_id FROM relations r "
        f"JOIN annotations a ON a.id = r.from_id WHERE r.type IN ({_marks(roles)})"
        + doc_filter
        + " ORDER BY r.id",
        (*roles, *doc_params),
    ).fetchall()
    # every annotation at an end of a role relation, and every actor mention
    ref_rows = project.execute(
        "SELECT a.id, a.start, a.text, c.name, c.type, l.key = ? FROM annotations a "
        "JOIN labels l ON l.id = a.label_id "
        "LEFT JOIN actor_mentions m ON m.annotation_id = a.id "
        "LEFT JOIN actors c ON c.id = m.actor_id "
        "WHERE (l.key = ? "
        f"OR a.id IN (SELECT from_id FROM relations WHERE type IN ({_marks(roles)})) "
        f"OR a.id IN (SELECT to_id FROM relations WHERE type IN ({_marks(roles)})))" + doc_filter,
        (ACTOR_LABEL, ACTOR_LABEL, *roles, *roles, *doc_params),
    ).fetchall()
    refs: dict[int, ActorRef] = {}
    starts: dict[int, int] = {}
    mentions: list[ActorRef] = []
    for ann_id, start, text, name, actor_type, is_mention in ref_rows:
        ref = ActorRef(name, actor_type) if name is not None else ActorRef(" ".join(text.split()))
        refs[ann_id] = ref
        starts[ann_id] = start
        if is_mention:
            mentions.append(ref)

    counts = project.counts() if coder is None else _coder_counts(project, coder)
    attributes = project.all_attributes(document)
    if coder is not None:
        mine = _ids_of(project, coder)
        attributes = {i: v for i, v in attributes.items() if i in mine}
    if document is not None:
        counts = {document: counts.get(document, {})}
    if coder is not None:  # the links and actors of this coder's layer
        relation_count = project.execute(
            "SELECT count(*) FROM relations r JOIN annotations a ON a.id = r.from_id "
            "WHERE 1" + doc_filter,
            doc_params,
        ).fetchone()[0]
        actor_count = len({r.name for r in mentions if r.type is not None})
    elif document is not None:
        relation_count = len(project.relations(document))
        actor_count = len({r.name for r in mentions if r.type is not None})
    else:
        relation_count = project.execute("SELECT count(*) FROM relations").fetchone()[0]
        actor_count = project.execute("SELECT count(*) FROM actors").fetchone()[0]
    return AnalysisInput(
        labels=labels,
        claim_labels=claim_keys,
        attribute_keys=tuple(a.key for a in codebook.attributes),
        documents=tuple((d.id, d.title) for d in docs),
        claims=[Item(*row) for row in claim_rows],
        links=[Link(*row) for row in link_rows],
        refs=refs,
        starts=starts,
        mentions=mentions,
        attributes=attributes,
        label_counts=counts,
        relation_count=relation_count,
        actor_count=actor_count,
    )


def _coder_counts(project: Project, coder: str) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {d.id: {} for d in project.documents()}
    for doc_id, key, n in project.execute(
        "SELECT a.document_id, l.key, count(*) FROM annotations a JOIN labels l "
        "ON l.id = a.label_id WHERE a.annotator = ? GROUP BY a.document_id, l.key",
        (coder,),
    ):
        out.setdefault(doc_id, {})[key] = n
    return out


def _ids_of(project: Project, coder: str) -> set[int]:
    rows = project.execute("SELECT id FROM annotations WHERE annotator = ?", (coder,))
    return {int(r[0]) for r in rows}


def claims(project: Project, document: int | None = None) -> list[Claim]:
    """The claims table of the project (or of one document)."""
    return claims_table(analysis_input(project, document))


def project_stats(project: Project, document: int | None = None, coder: str | None = None) -> Stats:
    """The numbers of ``annotator stats`` (and the window's statistics panel); with
    *coder*, of that coder's layer only."""
    data = analysis_input(project, document, coder)
    return statistics(data, claims_table(data))


def actor_mention_counts(project: Project) -> list[tuple[int, str, str, int]]:
    """(id, name, type, mentions) of every canonical actor, by name."""
    rows = project.execute(
        "SELECT c.id, c.name, c.type, count(m.annotation_id) FROM actors c "
        "LEFT JOIN actor_mentions m ON m.actor_id = c.id GROUP BY c.id ORDER BY c.name, c.id"
    )
    return [(int(i), str(n), str(t), int(k)) for i, n, t, k in rows]
