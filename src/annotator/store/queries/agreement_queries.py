"""The reads behind agreement: a project's coders' spans and claims as :class:`AgreementData`.

The computing is in :mod:`annotator.core.agreement` (:func:`agreement_report`); these
functions only query the project file. ``annotator agree`` and the Agreement window
both call :func:`agreement_input`, so they show the same figures::

    from annotator.core.agreement.report import agreement_report
    from annotator.store import Project
    from annotator.store.queries.agreement_queries import agreement_input

    with Project.open("study.annot", read_only=True) as project:
        report = agreement_report(agreement_input(project, coders=["Ana", "Ben"]))
    for figure in report.select("units", scope="pooled"):
        print(figure.coders, figure.agreement)
"""

from __future__ import annotations

import math
import warnings
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from annotator.core.agreement.pause import collector_paused
from annotator.core.agreement.table import ClaimTable, Ints, SpanTable, unique_sorted
from annotator.core.agreement.units import AgreementData, ClaimCoding
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


def _by_name(names: Iterable[str]) -> list[str]:
    """Coders' names in the order the project lists them (as ``Coders.all``)."""
    return sorted(names, key=lambda n: (n.casefold(), n))


def choose_coders(
    project: Project,
    coders: Sequence[str] | None,
    known: Collection[str] | None = None,
    least: int = 2,
) -> tuple[str, ...]:
    """The coders to compare: *coders* (checked), else every coder with annotations
    (*known*, when the caller has read them, else counted); fewer than *least* is an
    :class:`InputError`."""
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
    if len(chosen) < least:
        have = f"only {_listed(list(chosen))}" if chosen else "none"
        needed = "one coder" if least == 1 else "two coders"
        raise InputError(
            f"agreement needs at least {needed} with annotations; {project.path.name} has {have}"
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


@dataclass(frozen=True)
class SpanCoder:
    """One more coder made of plain spans: ``spans`` maps each document it coded to its
    ``(start, end, label)`` spans (code points); ``ids`` (same shape), when given, are
    the ids its spans carry in the report (negative, so none is taken for an
    annotation's); otherwise they are numbered -1, -2, ..."""

    name: str
    spans: Mapping[int, Sequence[tuple[int, int, str]]]
    ids: Mapping[int, Sequence[int]] | None = None


MODEL_CODER = "model: learned (held out)"
"""The name of the learned model's held-out predictions as a coder (:func:`held_out_coder`)."""


def agreement_input(
    project: Project,
    *,
    coders: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
    suggestions: str | None = None,
    extra_coder: SpanCoder | None = None,
) -> AgreementData:
    """The chosen coders' spans (and claims) with the chosen labels in the chosen documents.

    *coders* default to every coder with annotations, *labels* to the whole codebook,
    *documents* (ids or exact titles) to every document. An unknown coder, label or
    document, fewer than two coders, or a project in blind mode (agreement would show
    each coder the others' layers) is an :class:`InputError`.

    With *extra_coder* (a :class:`SpanCoder`, such as :func:`held_out_coder`'s) its
    spans are one more coder, compared with the chosen coders (one is enough) on the
    documents it coded: the same figures as a coder layer holding those spans. With
    *suggestions* (a source's name, such as ``learned``) that coder is the stored
    suggestions of the source, :func:`suggestion_coder` of it, on the documents that
    have suggestions of it.
    """
    if suggestions is not None and extra_coder is not None:
        raise InputError("compare the stored suggestions or the held-out model, not both")
    with collector_paused():  # 300,000 rows are 300,000 tuples and no cycle
        if suggestions is not None:
            if project.coders.blind:
                return _input(project, coders, labels, documents)  # the blind-mode refusal
            extra_coder = _suggestion_spans(project, suggestions, documents)
        if extra_coder is not None:
            return _with_coder(project, extra_coder, coders, labels, documents)
        return _input(project, coders, labels, documents)


def suggestion_coder(source: str) -> str:
    """The name the stored suggestions of *source* have as a coder in agreement."""
    return f"suggestions: {source}"


def held_out_coder(
    project: Project,
    *,
    folds: int = 5,
    progress: Callable[[int, int], object] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> SpanCoder:
    """The learned model as a coder, :data:`MODEL_CODER`: on every document with
    annotations (any coder's), the spans of a model trained on the other folds
    (:func:`annotator.core.suggest.cross_fit.held_out_spans`, which trains on every
    coder's annotations, as the learned source does). Its errors are one line."""
    from annotator.core.suggest.cross_fit import held_out_spans
    from annotator.store.suggestions import actor_names, examples

    annotated = {int(d) for (d,) in project.execute("SELECT DISTINCT document_id FROM annotations")}
    order = [d.id for d in project.documents() if d.id in annotated]
    spans = held_out_spans(
        examples(project, order), actor_names(project), folds, progress, cancelled
    )
    return SpanCoder(MODEL_CODER, spans)


def check_choice(
    project: Project,
    coders: Sequence[str] | None,
    labels: Sequence[str] | None,
    documents: Sequence[str] | None,
) -> None:
    """Refuse at once (:class:`InputError`) what :func:`agreement_input` with one more
    coder would refuse about the choice: blind mode, an unknown coder, label or
    document, no coder; so a mistake is said before a model is trained for nothing."""
    if project.coders.blind:
        _input(project, coders, labels, documents)  # the blind-mode refusal
    choose_coders(project, coders, least=1)
    choose_labels(project, labels)
    for d in documents or ():
        project.find_document(d)


def _suggestion_spans(project: Project, source: str, documents: Sequence[str] | None) -> SpanCoder:
    """The stored suggestions of *source* (in the chosen documents) as a :class:`SpanCoder`
    whose ids are the suggestions' ids, negated."""
    from annotator.store.suggestions import Suggestions

    sources = Suggestions(project).sources()
    if source not in sources:
        have = f"it has some of {_listed(sources)}" if sources else "it has none"
        raise InputError(
            f"no suggestions of '{source}' are stored in {project.path.name}; {have} "
            "(annotator suggest PROJECT --source SOURCE makes them)"
        )
    asked = None if documents is None else {project.find_document(d).id for d in documents}
    spans: dict[int, list[tuple[int, int, str]]] = {}
    ids: dict[int, list[int]] = {}
    for id_, doc_id, start, end, label in project.execute(
        'SELECT -id, document_id, start, "end", label FROM suggestions WHERE source = ? '
        'ORDER BY document_id, start, "end", label',
        [source],
    ):
        if asked is None or doc_id in asked:
            spans.setdefault(doc_id, []).append((start, end, label))
            ids.setdefault(doc_id, []).append(id_)
    if not spans:
        raise InputError(f"none of the chosen documents has suggestions of '{source}'")
    return SpanCoder(suggestion_coder(source), spans, ids)


_FEW_DOCUMENTS = 500  # documents named in a query's IN (...), beside coders and labels


def _with_coder(
    project: Project,
    extra: SpanCoder,
    coders: Sequence[str] | None,
    labels: Sequence[str] | None,
    documents: Sequence[str] | None,
) -> AgreementData:
    """The chosen coders and *extra* as one more coder, on the documents *extra* coded:
    the same :class:`AgreementData` as a coder layer holding its spans would give."""
    if project.coders.blind:
        return _input(project, coders, labels, documents)  # the blind-mode refusal
    known = [c.name for c in project.coders.all() if c.annotations > 0]
    if extra.name in known:
        raise InputError(f"a coder of {project.path.name} is named '{extra.name}'; rename it first")
    humans = choose_coders(project, coders, known, least=1)
    keys = choose_labels(project, labels)
    titles = {d.id: (d.title, d.length) for d in project.documents()}
    made_for = sorted(d for d in extra.spans if d in titles)
    if documents is not None:
        asked = {project.find_document(d).id for d in documents}
        made_for = [d for d in made_for if d in asked]
    if not made_for:
        raise InputError(f"none of the chosen documents is coded by '{extra.name}'")
    docs = {d: titles[d] for d in made_for}
    wanted = set(made_for)
    where = [f"a.annotator IN ({_marks(humans)})"]
    params: list[object] = [*humans]
    if len(made_for) <= _FEW_DOCUMENTS:  # else all are read and chosen below (no limit)
        where.append(f"a.document_id IN ({_marks(made_for)})")
        params.extend(made_for)
    coded: dict[int, set[str]] = defaultdict(set)
    for doc_id, coder in project.execute(  # which coders annotated a document: any label
        "SELECT DISTINCT a.document_id, a.annotator FROM annotations a "
        f"WHERE {' AND '.join(where)}",
        params,
    ):
        if doc_id in wanted:
            coded[doc_id].add(coder)
    for doc_id in made_for:
        coded[doc_id].add(extra.name)
    where.append(f"a.label_id IN (SELECT id FROM labels WHERE key IN ({_marks(keys)}))")
    table = span_table(project, humans, keys, where, [*params, *keys])
    table = table.take(np.isin(table.document, np.array(made_for, dtype=np.int64)))
    chosen = set(keys)
    rows: list[tuple[int, int, int, int, str]] = []
    number = 0
    for doc_id in made_for:
        spans = extra.spans[doc_id]
        given = extra.ids[doc_id] if extra.ids is not None else None
        for k, (start, end, label) in enumerate(spans):
            number += 1
            if label in chosen:
                rows.append((given[k] if given is not None else -number, doc_id, start, end, label))
    rows.sort(key=lambda r: (r[1], r[2], r[3], r[4]))
    index = {key: i for i, key in enumerate(table.labels)}
    ids, in_document, starts, ends = (
        np.concatenate([old, np.array([r[k] for r in rows], dtype=np.int64)])
        for k, old in enumerate((table.id, table.document, table.start, table.end))
    )
    both = SpanTable(
        ids,
        in_document,
        starts,
        ends,
        np.concatenate([table.label, np.array([index[r[4]] for r in rows], dtype=np.int64)]),
        np.concatenate([table.coder, np.full(len(rows), len(humans), dtype=np.int64)]),
        table.labels,
        (*humans, extra.name),
    )
    return _data(project, (*humans, extra.name), keys, docs, both, coded)


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
        # every coder with annotations, every span: the coders are guessed from the
        # first and last annotations, and found by a scan only when the guess missed one
        keys = choose_labels(project, None)
        guess = tuple(_by_name(name for (name,) in project.execute(_GUESS_CODERS)))
        table = span_table(project, guess, keys, [], [], keep_unknown=True)
        if table.coders != guess or (table.coder < 0).any():
            names = [name for (name,) in project.execute(_ALL_CODERS)]
            chosen = choose_coders(project, None, names)
            table = span_table(project, chosen, keys, [], [])
        else:
            chosen = choose_coders(project, None, guess)
        return _data(project, chosen, keys, None, table, None)
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
    coded: dict[int, set[str]] | None = None
    if labels is not None:  # which coders annotated a document counts every label
        coded = defaultdict(set)
        for doc_id, coder in project.execute(
            "SELECT DISTINCT a.document_id, a.annotator FROM annotations a "
            f"WHERE {' AND '.join(where)}",
            params,
        ):
            coded[doc_id].add(coder)
        where.append(f"a.label_id IN (SELECT id FROM labels WHERE key IN ({_marks(keys)}))")
        params.extend(keys)
    return _data(
        project, chosen, keys, docs, span_table(project, chosen, keys, where, params), coded
    )


def _column(text: str | None, count: int) -> Ints:
    """A column read as one comma-separated string (SQLite's group_concat), as int64;
    ValueError when it does not hold ``count`` whole numbers."""
    if not count:
        return np.zeros(0, dtype=np.int64)
    if text is None:
        raise ValueError("no column")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a value that is not a whole number
        values = np.fromstring(text, dtype=np.int64, sep=",")
    if len(values) != count:
        raise ValueError("a value is missing")
    return values


_GUESS_CODERS = (
    "SELECT annotator FROM (SELECT annotator FROM annotations ORDER BY id LIMIT 2000) UNION "
    "SELECT annotator FROM (SELECT annotator FROM annotations ORDER BY id DESC LIMIT 2000)"
)
_ALL_CODERS = "SELECT DISTINCT annotator FROM annotations"


def span_table(
    project: Project,
    coders: tuple[str, ...],
    keys: tuple[str, ...],
    where: list[str],
    params: list[object],
    *,
    keep_unknown: bool = False,
) -> SpanTable:
    """The spans of ``coders`` (and the conditions ``where``) as a :class:`SpanTable`.

    SQLite writes each column as one string of numbers (``group_concat``), which NumPy
    reads at once: no Python object per span; document, label and coder travel packed
    in one number when they fit. A start or end that is not a whole number falls back
    to reading rows, which says which span is wrong. Spans of other coders are left
    out, or kept with coder code -1 (``keep_unknown``).
    """
    label_keys = dict(project.execute("SELECT id, key FROM labels").fetchall())
    top = max(label_keys, default=0) + 1
    (last_doc,) = project.execute("SELECT max(id) FROM documents").fetchone()
    width = len(coders) + 1
    case = "CASE a.annotator " + " ".join(f"WHEN ? THEN {i}" for i in range(len(coders)))
    case += f" ELSE {len(coders)} END"
    condition = f"WHERE {' AND '.join(where)}" if where else ""
    packed = ((last_doc or 0) + 1) * top * width < 2**62 and min(label_keys, default=0) >= 0
    if packed:
        sql = (
            "SELECT count(*), group_concat(a.id), group_concat(a.start), "
            f'group_concat(a."end"), group_concat((a.document_id * {top} + a.label_id) '
            f"* {width} + {case}) FROM annotations a {condition}"
        )
    else:
        sql = (
            "SELECT count(*), group_concat(a.id), group_concat(a.start), "
            'group_concat(a."end"), group_concat(a.document_id), group_concat(a.label_id), '
            f"group_concat({case}) FROM annotations a {condition}"
        )
    count, *texts = project.execute(sql, [*coders, *params]).fetchone()
    try:
        ids, starts, ends, *rest = (_column(t, count) for t in texts)
    except ValueError:
        rows = project.execute(f"{SPANS_SQL} {condition}", params).fetchall()
        if keep_unknown:  # (every coder's rows checked, so the bad one is named)
            return SpanTable.of(rows, keys, tuple(_by_name({r[5] for r in rows})))
        return SpanTable.of(rows, keys, coders)
    if packed:
        (number,) = rest
        rest_of, coder = np.divmod(number, width)
        documents, label_ids = np.divmod(rest_of, top)
    else:
        documents, label_ids, coder = rest
    coder[coder == len(coders)] = -1
    index = {key: i for i, key in enumerate(keys)}
    lookup = np.zeros(top, dtype=np.int64)
    for label_id, key in sorted(label_keys.items()):
        lookup[label_id] = index.setdefault(key, len(index))
    table = SpanTable(ids, documents, starts, ends, lookup[label_ids], coder, list(index), coders)
    return table if keep_unknown or (coder >= 0).all() else table.take(coder >= 0)


def _data(
    project: Project,
    chosen: tuple[str, ...],
    keys: tuple[str, ...],
    docs: dict[int, tuple[str, int]] | None,
    table: SpanTable,
    coded_by: dict[int, set[str]] | None,
) -> AgreementData:
    """The :class:`AgreementData` of the spans ``table``; *coded_by* says which coders
    annotated which document (None: those the table has spans of)."""
    if docs is None:
        docs = {d.id: (d.title, d.length) for d in project.documents()}
    if coded_by is None:
        width = len(chosen)
        pairs = unique_sorted(table.document * width + table.coder).tolist()
        coded_by = defaultdict(set)
        for pair in pairs:
            coded_by[pair // width].add(chosen[pair % width])
    claim_keys = tuple(k for k in claim_labels(project.codebook()) if k in keys)
    codes = [i for i, key in enumerate(table.labels) if key in claim_keys]
    position_def = next((a for a in project.codebook().attributes if a.key == POSITION), None)
    order = position_def.choices if position_def and position_def.choices else ("-1", "0", "+1")
    return AgreementData(
        coders=chosen,
        labels=keys,
        documents=docs,
        coded={d: frozenset(c) for d, c in coded_by.items()},
        spans=table,
        claim_labels=claim_keys,
        claims=claim_codings(project, table.id[np.isin(table.label, codes)]),
        position_order=tuple(order),
    )


def _attribute(project: Project, key: str, claims: Ints) -> tuple[Ints, Ints, list[object]]:
    """The claims among *claims* that have attribute *key*: their ids, each one's value
    as a code (from 1) and the values. With few distinct values SQLite writes the codes
    (one string of numbers); otherwise the values come as one string, split here (rows
    when a value holds the separator)."""
    distinct = [
        v
        for (v,) in project.execute(
            "SELECT DISTINCT value FROM annotation_attributes WHERE key = ?", (key,)
        )
    ]
    if not distinct:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), []
    ids = codes = None
    if len(distinct) <= 64:
        case = " ".join(f"WHEN ? THEN {i}" for i in range(1, len(distinct) + 1))
        count, listed, numbers = project.execute(
            f"SELECT count(*), group_concat(annotation_id), group_concat(CASE value {case} "
            "END) FROM annotation_attributes WHERE key = ?",
            (*distinct, key),
        ).fetchone()
        try:
            ids, codes = _column(listed, count), _column(numbers, count)
        except ValueError:
            ids = None
    if ids is None or codes is None:
        rows = project.execute(
            "SELECT annotation_id, value FROM annotation_attributes WHERE key = ?", (key,)
        ).fetchall()
        index = {v: i for i, v in enumerate(distinct, 1)}
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        codes = np.array([index[r[1]] for r in rows], dtype=np.int64)
    keep = np.isin(ids, claims)
    return ids[keep], codes[keep], list(distinct)


def claim_codings(project: Project, claim_ids: Collection[int] | Ints) -> ClaimTable:
    """Claimant and addressee (canonical actors) and position and issue of the claims
    *claim_ids* (annotations with a claim label), by annotation id; a claim with none of
    them is absent (it counts as an empty :class:`ClaimCoding`)."""
    if isinstance(claim_ids, np.ndarray):
        claims = unique_sorted(claim_ids.astype(np.int64, copy=False))
    else:
        claims = unique_sorted(np.fromiter(claim_ids, dtype=np.int64, count=len(claim_ids)))
    found: list[tuple[Ints, list[object]]] = []  # per attribute: ids, and their values
    for claim_end, actor_end, role in (
        ("to_id", "from_id", "claimant"),
        ("from_id", "to_id", "addressee"),
    ):
        actors: dict[int, set[str]] = {}
        rows = project.execute(
            f"SELECT r.{claim_end}, k.name, m.text FROM relations r "
            f"JOIN annotations m ON m.id = r.{actor_end} "
            "LEFT JOIN actor_mentions am ON am.annotation_id = m.id "
            "LEFT JOIN actors k ON k.id = am.actor_id WHERE r.type = ?",
            (role,),
        ).fetchall()
        if rows:
            wanted = np.isin(np.array([r[0] for r in rows], dtype=np.int64), claims).tolist()
            for (claim_id, name, text), keep in zip(rows, wanted, strict=True):
                if keep:
                    actor = name if name is not None else " ".join(text.split())
                    actors.setdefault(claim_id, set()).add(actor)
        ids = np.array(sorted(actors), dtype=np.int64)
        found.append((ids, [tuple(sorted(actors[i])) for i in ids.tolist()]))
    coded: list[tuple[Ints, Ints, list[object]]] = []  # ids, value codes (from 1), values
    for ids, said in found:
        index: dict[object, int] = {}
        codes = np.array([index.setdefault(v, len(index) + 1) for v in said], dtype=np.int64)
        coded.append((ids, codes, list(index)))
    for key in (POSITION, ISSUE):
        coded.append(_attribute(project, key, claims))
    every = unique_sorted(np.concatenate([ids for ids, _, _ in coded]))
    if not len(every):
        return ClaimTable(every, every, [])
    columns = []
    for ids, codes, _ in coded:  # each claim's code of each attribute (0: not given)
        column = np.zeros(len(every), dtype=np.int64)
        column[np.searchsorted(every, ids)] = codes
        columns.append(column)
    bases = [len(said) + 1 for _, _, said in coded]
    if math.prod(bases) < 2**62:  # the four codes packed into one number
        packed = np.zeros(len(every), dtype=np.int64)
        for column, base in zip(columns, bases, strict=True):
            packed = packed * base + column
        order = np.argsort(packed, kind="stable")
        ordered = packed[order]
        new = np.ones(len(ordered), dtype=bool)
        new[1:] = ordered[1:] != ordered[:-1]
        found_numbers = ordered[new]
        coding = np.empty(len(packed), dtype=np.int64)
        coding[order] = np.cumsum(new) - 1
        patterns: list[list[int]] = []
        for number in found_numbers.tolist():
            digits = []
            for base in reversed(bases):
                number, digit = divmod(number, base)
                digits.append(digit)
            patterns.append(digits[::-1])
    else:
        table, coding = np.unique(np.stack(columns, axis=1), axis=0, return_inverse=True)
        patterns = table.tolist()
    defaults: tuple[object, ...] = ((), (), "", "")
    codings = [
        ClaimCoding(
            *(  # type: ignore[arg-type]
                said[code - 1] if code else default
                for code, (_, _, said), default in zip(row, coded, defaults, strict=True)
            )
        )
        for row in patterns
    ]
    return ClaimTable(every, coding.reshape(-1).astype(np.int64), codings)
