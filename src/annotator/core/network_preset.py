"""The ``--format network`` preset: two of DNA's networks, with what a matrix cannot carry.

Both networks are computed by :func:`annotator.core.dna_network.networks` with fixed
options (:data:`TWO_MODE`, :data:`ONE_MODE`), so their weights are DNA's:

- two-mode: ``actor`` (every claimant's canonical actor, whatever its actor type) x
  ``concept`` (the issue), qualifier ``agreement`` (the position), aggregation
  ``ignore``, no normalisation, duplicates included: the weight is the number of claims
  the actor makes on the issue;
- one-mode: actor x actor through shared concepts, aggregation ``congruence``, no
  normalisation: each pair of the two actors' claims on one issue adds
  ``1 - |q1 - q2| / range`` (the position levels -1, 0, +1: range 2).

Beside the matrices, :func:`preset_networks` keeps from the same statements what the
GraphML export carries: per node its label, mode, actor type and claims; per two-mode
edge the claims' mean and distinct positions and their ids; per one-mode edge the issues
the pair shares with each issue's part of the weight (the parts add up to the weight:
the one-mode network of one issue's statements, at the corpus' qualifier levels).
"""

from __future__ import annotations

import dataclasses as dc
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from annotator.core.agreement.units import position_number
from annotator.core.dna_network import (
    Matrix,
    Statement,
    filter_statements,
    networks,
    one_mode,
    position_options,
    qualifier_levels,
)

TWO_MODE = position_options(
    network_type="twomode",
    variable1="actor",
    variable2="concept",
    aggregation="ignore",
    normalization="no",
    duplicates="include",
)
ONE_MODE = dc.replace(TWO_MODE, network_type="onemode", aggregation="congruence")


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    kind: str  # "actor" or "issue"
    actor_type: str = ""  # the canonical actor's type; "" for issues and unlinked mentions
    claims: int = 0  # claims the actor makes, or claims about the issue


@dataclass(frozen=True)
class IssueEdge:
    """Actor -> issue: the matrix cell, and the claims behind it."""

    actor: str
    issue: str
    weight: float
    positions: tuple[str, ...]  # distinct positions of those claims, numbers first
    mean_position: float | None  # mean of the numeric positions; None when there is none
    claim_ids: tuple[int, ...]  # ascending

    @property
    def source(self) -> str:
        return actor_node_id(self.actor)

    @property
    def target(self) -> str:
        return issue_node_id(self.issue)


@dataclass(frozen=True)
class ActorEdge:
    """Two actors' congruence (the matrix cell) and each shared issue's part of it."""

    actor1: str
    actor2: str
    weight: float
    shared: tuple[tuple[str, float], ...]  # (issue, part of the weight), by issue

    @property
    def issues(self) -> tuple[str, ...]:
        return tuple(issue for issue, _ in self.shared)

    @property
    def source(self) -> str:
        return actor_node_id(self.actor1)

    @property
    def target(self) -> str:
        return actor_node_id(self.actor2)


@dataclass(frozen=True)
class Network:
    nodes: tuple[Node, ...]
    edges: tuple[IssueEdge | ActorEdge, ...]
    matrix: Matrix


@dataclass(frozen=True)
class Preset:
    two_mode: Network
    one_mode: Network
    claims: int  # claims among the statements
    used: int  # claims that enter the networks (an issue and a claimant)


def actor_node_id(name: str) -> str:
    return f"actor:{name}"


def issue_node_id(issue: str) -> str:
    return f"issue:{issue}"


def _position_key(position: str) -> tuple[int, float, str]:
    number = position_number(position)
    return (0, number, position) if number is not None else (1, 0.0, position)


def weight_text(weight: float) -> str:
    """``2.0`` -> ``"2"``, ``0.5`` -> ``"0.5"``: a weight as a table shows it."""
    return str(int(weight)) if float(weight).is_integer() else repr(float(weight))


def _nodes(matrix: Matrix, kept: Iterable[Statement], with_issues: bool) -> tuple[Node, ...]:
    by_actor: dict[str, set[int]] = defaultdict(set)
    by_issue: dict[str, set[int]] = defaultdict(set)
    types: dict[str, str] = {}
    for s in kept:
        actor, issue = s.values[TWO_MODE.variable1], s.values[TWO_MODE.variable2]
        by_actor[actor].add(s.id)
        by_issue[issue].add(s.id)
        if not types.get(actor):
            types[actor] = s.values.get("actor_type", "")
    nodes = [
        Node(actor_node_id(a), a, "actor", types.get(a, ""), len(by_actor[a])) for a in matrix.rows
    ]
    if with_issues:
        nodes += [Node(issue_node_id(i), i, "issue", "", len(by_issue[i])) for i in matrix.columns]
    return tuple(nodes)


def _issue_edges(matrix: Matrix, kept: Iterable[Statement]) -> tuple[IssueEdge, ...]:
    ids: dict[tuple[str, str], set[int]] = defaultdict(set)
    positions: dict[tuple[str, str], list[str]] = defaultdict(list)
    for s in kept:
        cell = (s.values[TWO_MODE.variable1], s.values[TWO_MODE.variable2])
        ids[cell].add(s.id)
        positions[cell].append(s.values.get("position", "").strip())
    edges = []
    for i, j in zip(*np.nonzero(matrix.values), strict=True):
        cell = (matrix.rows[i], matrix.columns[j])
        taken = positions[cell]
        numbers = [n for p in taken if (n := position_number(p)) is not None]
        edges.append(
            IssueEdge(
                *cell,
                float(matrix.values[i, j]),
                tuple(sorted({p for p in taken if p}, key=_position_key)),
                sum(numbers) / len(numbers) if numbers else None,
                tuple(sorted(ids[cell])),
            )
        )
    return tuple(edges)


def _actor_edges(
    matrix: Matrix, kept: Sequence[Statement], levels: Sequence[int]
) -> tuple[ActorEdge, ...]:
    """The nonzero pairs of *matrix*, each with its issues' parts (the one-mode network
    of each issue's statements alone, at the corpus' levels: they add up to the cell)."""
    by_issue: dict[str, list[Statement]] = defaultdict(list)
    for s in kept:
        by_issue[s.values[ONE_MODE.variable2]].append(s)
    issues = sorted(by_issue)
    index = {name: i for i, name in enumerate(matrix.rows)}
    n = len(matrix.rows)
    keys, which, values = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0)]
    for k, issue in enumerate(issues):
        m = one_mode(by_issue[issue], levels, ONE_MODE)
        rows = np.array([index[r] for r in m.rows], dtype=np.int64)  # ascending, as m.rows
        i, j = np.nonzero(np.triu(m.values, 1))
        keys.append(rows[i] * n + rows[j])
        which.append(np.full(len(i), k, dtype=np.int64))
        values.append(m.values[i, j])
    key = np.concatenate(keys)
    order = np.argsort(key, kind="stable")  # by pair, then issue
    key = key[order]
    issue_of = np.concatenate(which)[order].tolist()
    part_of = np.concatenate(values)[order].tolist()
    i, j = np.nonzero(np.triu(matrix.values, 1))
    wanted = i.astype(np.int64) * n + j
    starts = np.searchsorted(key, wanted, "left").tolist()
    stops = np.searchsorted(key, wanted, "right").tolist()
    weights = matrix.values[i, j].tolist()
    return tuple(
        ActorEdge(
            matrix.rows[a], matrix.rows[b], w,
            tuple((issues[issue_of[x]], part_of[x]) for x in range(start, stop)),
        )
        for a, b, w, start, stop in zip(i.tolist(), j.tolist(), weights, starts, stops, strict=True)
    )  # fmt: skip


def preset_networks(statements: Iterable[Statement]) -> Preset:
    """The export's two networks of *statements* (DNA statements with ``actor``,
    ``concept``, ``position`` and ``actor_type`` values, from ``store/queries/dna_queries``)."""
    every = list(statements)
    [two] = networks(every, TWO_MODE)
    [one] = networks(every, ONE_MODE)
    kept = filter_statements(every, TWO_MODE)  # the statements both matrices count
    levels = qualifier_levels(every, ONE_MODE)
    return Preset(
        Network(_nodes(two, kept, True), _issue_edges(two, kept), two),
        Network(_nodes(one, kept, False), _actor_edges(one, kept, levels), one),
        claims=len({s.id for s in every}),
        used=len({s.id for s in kept}),
    )
