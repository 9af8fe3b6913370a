"""A medium fixture (400 random statements, 15 organizations, 8 concepts) computed by
core/dna_network.py and, independently, as matrix algebra with numpy."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest

from annotator.core.dna_network import Matrix, NetworkOptions, Statement, networks

ORGS = [f"org {i:02d}" for i in range(15)]
CONCEPTS = [f"concept {j}" for j in range(8)]


def _statements(levels: tuple[int, ...]) -> list[Statement]:
    rng = random.Random(16)
    return [
        Statement(
            id=n,
            document_id=n // 5,
            time=dt.datetime(2020, 1, 1) + dt.timedelta(days=n // 5),
            values={"organization": rng.choice(ORGS), "concept": rng.choice(CONCEPTS)},
            qualifier=rng.choice(levels),
        )
        for n in range(400)
    ]


def _counts(statements: list[Statement], levels: tuple[int, ...]) -> np.ndarray:
    """organizations x concepts x levels (only the organizations and concepts present)."""
    orgs = sorted({s.values["organization"] for s in statements})
    concepts = sorted({s.values["concept"] for s in statements})
    a = np.zeros((len(orgs), len(concepts), len(levels)))
    for s in statements:
        a[orgs.index(s.values["organization"]), concepts.index(s.values["concept"]),
          levels.index(s.qualifier)] += 1  # fmt: skip
    return a


def _ours(statements: list[Statement], **kw: object) -> np.ndarray:
    [m] = networks(statements, NetworkOptions(**kw))  # type: ignore[arg-type]
    assert isinstance(m, Matrix)
    return np.array(m.values)


@pytest.fixture(scope="module")
def boolean() -> tuple[list[Statement], np.ndarray]:
    statements = _statements((0, 1))
    return statements, _counts(statements, (0, 1))


def test_two_mode_against_numpy(boolean: tuple[list[Statement], np.ndarray]) -> None:
    statements, a = boolean
    neg, pos = a[:, :, 0], a[:, :, 1]
    m = neg + pos
    assert np.allclose(_ours(statements), m)
    assert np.allclose(_ours(statements, aggregation="subtract"), pos - neg)
    assert np.allclose(_ours(statements, aggregation="combine"), 2 * (neg > 0) + (pos > 0))
    assert np.allclose(_ours(statements, normalization="activity"), m / m.sum(1, keepdims=True))
    assert np.allclose(_ours(statements, normalization="prominence"), m / m.sum(0, keepdims=True))


def test_one_mode_against_numpy(boolean: tuple[list[Statement], np.ndarray]) -> None:
    statements, a = boolean
    neg, pos = a[:, :, 0], a[:, :, 1]
    m = neg + pos
    off = 1 - np.eye(len(m))
    congruence = (pos @ pos.T + neg @ neg.T) * off
    conflict = (pos @ neg.T + neg @ pos.T) * off
    ignore = (m @ m.T) * off
    kw = {"network_type": "onemode"}
    assert np.allclose(_ours(statements, **kw), ignore)
    assert np.allclose(_ours(statements, aggregation="congruence", **kw), congruence)
    assert np.allclose(_ours(statements, aggregation="conflict", **kw), conflict)
    assert np.allclose(_ours(statements, aggregation="subtract", **kw), congruence - conflict)
    rows = m.sum(1)
    average = (rows[:, None] + rows[None, :]) / 2
    cosine = rows[:, None] * rows[None, :]
    assert np.allclose(
        _ours(statements, aggregation="congruence", normalization="average", **kw),
        congruence / average,
    )
    assert np.allclose(_ours(statements, normalization="cosine", **kw), ignore / cosine)
    # jaccard over the cells (concept, level) of the two rows
    flat = a.reshape(len(m), -1)
    x, y = flat[:, None, :], flat[None, :, :]
    m11 = np.where((x > 0) & (y > 0), x * y, 0).sum(2)
    m10 = np.where(y == 0, x, 0).sum(2)
    m01 = np.where(x == 0, y, 0).sum(2)
    assert np.allclose(_ours(statements, normalization="jaccard", **kw), ignore / (m11 + m10 + m01))


def test_integer_qualifier_congruence_against_numpy() -> None:
    levels = (-1, 0, 1)  # our position
    statements = _statements(levels)
    a = _counts(statements, levels)
    q = np.array(levels, dtype=float)
    closeness = 1 - np.abs(q[:, None] - q[None, :]) / 2  # 1 - |q1 - q2| / range
    congruence = np.einsum("ajk,bjl,kl->ab", a, a, closeness) * (1 - np.eye(len(a)))
    kw = {"network_type": "onemode", "qualifier_boolean": False}
    assert np.allclose(_ours(statements, aggregation="congruence", **kw), congruence)
    weighted = (a * q).sum(2)  # two-mode subtract: each statement weighted by its value
    assert np.allclose(_ours(statements, aggregation="subtract", qualifier_boolean=False), weighted)
