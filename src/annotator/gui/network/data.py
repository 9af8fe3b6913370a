"""What the network view draws: one network of DNA statements, as nodes and edges.

Read once per project from store/queries/dna_queries.py; recomputed for each change of the
options (core/dna_network.py does the arithmetic, so the view draws the matrix the CLI
writes). No Qt here besides nothing: plain data the scene and the tests share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from annotator.core.dna_network import (
    Matrix,
    NetworkOptions,
    Statement,
    filter_statements,
    one_mode,
    qualifier_levels,
    two_mode,
)
from annotator.store.project import Project
from annotator.store.queries.analysis_queries import claims
from annotator.store.queries.dna_queries import dna_statements


@dataclass(frozen=True)
class Corpus:
    """A project's statements, its actors' types and whether a date variable exists."""

    statements: tuple[Statement, ...]
    actor_types: Mapping[str, str]
    dated: bool  # the document variable "date" exists (the time slider)
    first: dt.date | None = None
    last: dt.date | None = None


def read_corpus(project: Project) -> Corpus:
    statements = tuple(dna_statements(project))
    types: dict[str, str] = {}
    for claim in claims(project):
        for actor in claim.claimant:
            types.setdefault(actor.name, actor.type or "")
    dated = project.variables.types().get("date") == "date"
    days = [s.time.date() for s in statements]
    return Corpus(statements, types, dated, min(days, default=None), max(days, default=None))


@dataclass(frozen=True, eq=False)
class Graph:
    """Nodes (rows, then the columns of a two-mode network) and the nonzero edges."""

    names: tuple[str, ...]
    kinds: tuple[str, ...]  # the variable a node is a value of (variable1 / variable2)
    counts: tuple[int, ...]  # statements per node
    statement_ids: tuple[tuple[int, ...], ...]  # per node, the claims behind it
    sources: np.ndarray  # edge i -> node index
    targets: np.ndarray
    weights: np.ndarray
    statements: int
    matrix: Matrix | None = None
    colours: Mapping[str, str] = field(default_factory=dict)

    @property
    def edge_count(self) -> int:
        return len(self.weights)


def graph_of(
    corpus: Corpus, options: NetworkOptions, window: tuple[dt.date, dt.date] | None = None
) -> Graph:
    """The network of *corpus* under *options*; *window*: only the statements dated in
    it (both ends inclusive), filtered and levelled over the whole corpus as DNA does."""
    options.check()
    every = list(corpus.statements)
    levels = qualifier_levels(every, options)
    kept = filter_statements(every, options)
    if window is not None:
        kept = [s for s in kept if window[0] <= s.time.date() <= window[1]]
    one = options.network_type == "onemode"
    m = (one_mode if one else two_mode)(kept, levels, options)
    return graph_of_matrix(m, kept, options)


def graph_of_matrix(m: Matrix, kept: Sequence[Statement], options: NetworkOptions) -> Graph:
    one = options.network_type == "onemode"
    names = m.rows if one else m.rows + m.columns
    kinds = (options.variable1,) * len(m.rows) + (
        () if one else (options.variable2,) * len(m.columns)
    )
    counts = m.row_counts if one else m.row_counts + m.column_counts
    index = {(options.variable1, n): i for i, n in enumerate(m.rows)}
    if not one:
        index.update({(options.variable2, n): len(m.rows) + j for j, n in enumerate(m.columns)})
    ids: list[list[int]] = [[] for _ in names]
    for s in kept:
        for variable in {options.variable1, options.variable2}:
            i = index.get((variable, s.values.get(variable, "")))
            if i is not None and (not ids[i] or ids[i][-1] != s.id):
                ids[i].append(s.id)
    values = np.asarray(m.values, dtype=float)
    if one:
        rows, cols = np.nonzero(np.triu(values, 1))
        weights = values[rows, cols]
    else:
        rows, cols = np.nonzero(values)
        weights = values[rows, cols]
        cols = cols + len(m.rows)
    return Graph(
        tuple(names), kinds, tuple(counts), tuple(tuple(sorted(set(x))) for x in ids),
        rows.astype(np.int64), cols.astype(np.int64), weights.astype(float), m.statements, m,
    )  # fmt: skip
