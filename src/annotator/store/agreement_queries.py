"""The reads behind agreement: a project's coders' spans and claims as :class:`AgreementData`.

The computing is in :mod:`annotator.core.agreement` (:func:`agreement_report`); these
functions only query the project file. ``annotator agree`` and the Agreement window
both call :func:`agreement_input`, so they show the same figures::

    from annotator.core.agreement.report import agreement_report
    from annotator.store import Project
    from annotator.store.agreement_queries import agreement_input

    with Project.open("study.annot", read_only=True) as project:
        report = agreement_report(agreement_input(project, coders=["Ana", "Ben"]))
    for figure in report.select("units", scope="pooled"):
        print(figure.coders, figure.agreement)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from functools import partial
from itertools import repeat

from annotator.core.agreement.pause import collector_paused
from annotator.core.agreement.units import AgreementData, ClaimCoding, CodedSpan
from annotator.core.analysis import ISSUE, POSITION, claim_labels
from annotator.core.errors import InputError
from annotator.store.project import Project

SPANS_SQL = (
    'SELECT a.id, a.document_id, a.start, a."end", l.key, a.annotator '
    "FROM annotations a JOIN labels l ON l.id = a.label_id"
)
"""The one read of every span; the benchmark's floor is this SELECT with fetchall."""


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


def _listed(names: Sequence[str]) -> str:
    shown = ", ".join(names[:20])
    return shown + (f" and {len(names) - 20} more" if len(names) > 20 else "")


def _by_name(names: Collection[str]) -> list[str]:
    """Coders' names in the order the project lists them (as ``Coders.all``)."""
    return sorted(names, key=lambda n: (n.casefold(), n))


def choose_coders(
    project: Project, coders: Sequence[str] | None, known: Collection[str] | None = None
) -> tuple[str, ...]:
    """The coders to compare: *coders* (checked), else every coder with annotations
    (*known*, when the caller has read them, else counted)."""
    if known is None:
        known = [c.name for c in project.coders.all() if c.annotations > 0]
    else:
        known = _by_name(known)
    if coders is None:
        chosen = tuple(known)
    else:
        chosen = tuple(dict.fromkeys(c if c in known else c.strip() for c in coders))
        for name in chosen:
            if name not in known:
                have = f"its coders are {_listed(known)}" if known else "it has no annotations"
                raise InputError(f"unknown coder '{name}' in {project.path.name}: {have}")
    if len(chosen) < 2:
        have = f"only {_listed(list(chosen))}" if chosen else "none"
        raise InputError(
            f"agreement needs at least two coders with annotations; {project.path.name} has {have}"
        )
    return chosen


def choose_labels(project: Project, labels: Sequence[str] | None) -> tuple[str, ...]:
    """The labels to compare: *labels* (checked against the codebook), else all."""
    keys = project.codebook().keys()
    if labels is None:
        return tuple(keys)
    chosen = tuple(dict.fromkeys(label.strip() for label in labels))
    for key in chosen:
        if key not in keys:
            raise InputError(
                f"unknown label '{key}': the codebook of {project.path.name} has {_listed(keys)}"
            )
    return chosen


def agreement_input(
    project: Project,
    *,
    coders: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
) -> AgreementData:
    """The chosen coders' spans (and claims) with the chosen labels in the chosen documents.

    *coders* default to every coder with annotations, *labels* to the whole codebook,
    *documents* (ids or exact titles) to every document. An unknown coder, label or
    document, fewer than two coders, or a project in blind mode (agreement would show
    each coder the others' layers) is an :class:`InputError`.
    """
    with collector_paused():  # 300,000 rows are 300,000 tuples and no cycle
        return _input(project, coders, labels, documents)


def _input(
    project: Project,
    coders: Sequence[str] | None,
    labels: Sequence[str] | None,
    documents: Sequence[str] | None,
) -> AgreementData:
    if project.coders.blind:
        raise InputError(
            f"{project.path.name} is in blind mode (each coder sees only their own layer); "
            "switch it off to compare coders: annotator coders PROJECT --blind off"
        )
    if coders is None and documents is None and labels is None:
        # every coder with annotations, every span: one read, the coders taken from it
        rows = project.execute(SPANS_SQL).fetchall()
        pairs = {(s[1], s[5]) for s in rows}
        chosen = choose_coders(project, None, {coder for _, coder in pairs})
        return _data(project, chosen, choose_labels(project, None), None, rows, pairs)
    chosen = choose_coders(project, coders)
    keys = choose_labels(project, labels)
    if documents is None:
        docs = {d.id: (d.title, d.length) for d in project.documents()}
    else:
        found = [project.find_document(d) for d in documents]
        docs = {d.id: (d.title, d.length) for d in sorted(found, key=lambda d: d.id)}
    where = [f"a.annotator IN ({_marks(chosen)})"]
    params: list[object] = [*chosen]
    if documents is not None:
        where.append(f"a.document_id IN ({_marks(list(docs))})")
        params.extend(docs)
    coded: dict[int, set[str]] = defaultdict(set)
    if labels is not None:  # which coders annotated a document counts every label
        for doc_id, coder in project.execute(
            "SELECT DISTINCT a.document_id, a.annotator FROM annotations a "
            f"WHERE {' AND '.join(where)}",
            params,
        ):
            coded[doc_id].add(coder)
        where.append(f"l.key IN ({_marks(keys)})")
        params.extend(keys)
    rows = project.execute(f"{SPANS_SQL} WHERE {' AND '.join(where)}", params).fetchall()
    if labels is None:
        return _data(project, chosen, keys, docs, rows, {(s[1], s[5]) for s in rows})
    return _data(project, chosen, keys, docs, rows, coded)


def _data(
    project: Project,
    chosen: tuple[str, ...],
    keys: tuple[str, ...],
    docs: dict[int, tuple[str, int]] | None,
    rows: list[tuple[int, int, int, int, str, str]],
    coded_by: Collection[tuple[int, str]] | dict[int, set[str]],
) -> AgreementData:
    """The :class:`AgreementData` of the span *rows*; *coded_by* says which coders
    annotated which document, as (document, coder) pairs or coders by document."""
    if docs is None:
        docs = {d.id: (d.title, d.length) for d in project.documents()}
    coded: dict[int, set[str]]
    if isinstance(coded_by, dict):
        coded = coded_by
    else:
        coded = defaultdict(set)
        for doc_id, coder in coded_by:
            coded[doc_id].add(coder)
    spans = list(map(partial(tuple.__new__, CodedSpan), rows))  # CodedSpan._make
    claim_keys = tuple(k for k in claim_labels(project.codebook()) if k in keys)
    claim_set = set(claim_keys)
    position_def = next((a for a in project.codebook().attributes if a.key == POSITION), None)
    order = position_def.choices if position_def and position_def.choices else ("-1", "0", "+1")
    return AgreementData(
        coders=chosen,
        labels=keys,
        documents=docs,
        coded={d: frozenset(c) for d, c in coded.items()},
        spans=spans,
        claim_labels=claim_keys,
        claims=claim_codings(project, {s.id for s in spans if s.label in claim_set}),
        position_order=tuple(order),
    )


def claim_codings(project: Project, claim_ids: Collection[int]) -> dict[int, ClaimCoding]:
    """Claimant and addressee (canonical actors) and position and issue of the claims
    *claim_ids* (annotations with a claim label), by annotation id; a claim with none of
    them is absent (it counts as an empty :class:`ClaimCoding`)."""
    actors: dict[str, dict[int, set[str]]] = {"claimant": {}, "addressee": {}}
    for claim_end, actor_end, role in (
        ("to_id", "from_id", "claimant"),
        ("from_id", "to_id", "addressee"),
    ):
        found = actors[role]
        for claim_id, name, text in project.execute(
            f"SELECT r.{claim_end}, k.name, m.text FROM relations r "
            f"JOIN annotations m ON m.id = r.{actor_end} "
            "LEFT JOIN actor_mentions am ON am.annotation_id = m.id "
            "LEFT JOIN actors k ON k.id = am.actor_id WHERE r.type = ?",
            (role,),
        ):
            if claim_id in claim_ids:
                actor = name if name is not None else " ".join(text.split())
                found.setdefault(claim_id, set()).add(actor)
    values: dict[str, dict[int, str]] = {POSITION: {}, ISSUE: {}}
    for claim_id, key, value in project.execute(
        "SELECT annotation_id, key, value FROM annotation_attributes WHERE key IN (?, ?)",
        (POSITION, ISSUE),
    ):
        if claim_id in claim_ids:
            values[key][claim_id] = value
    claimants, addressees = actors["claimant"], actors["addressee"]
    positions, issues = values[POSITION], values[ISSUE]
    no_one: tuple[str, ...] = ()
    ids = sorted({*claimants, *addressees, *positions, *issues})
    claimant = {k: tuple(sorted(v)) for k, v in claimants.items()}
    addressee = {k: tuple(sorted(v)) for k, v in addressees.items()}
    said = list(
        zip(
            map(claimant.get, ids, repeat(no_one)),
            map(addressee.get, ids, repeat(no_one)),
            map(positions.get, ids, repeat("")),
            map(issues.get, ids, repeat("")),
            strict=True,
        )
    )
    # claims coded alike share one (immutable) ClaimCoding
    shared = {values: ClaimCoding(*values) for values in set(said)}
    return dict(zip(ids, map(shared.__getitem__, said), strict=True))
