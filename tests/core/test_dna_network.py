"""DNA's network algorithms (core/dna_network.py) on small hand-computed fixtures.

The fixture (boolean agreement, levels 0 and 1), as counts per organization x concept x
level [disagree, agree]:

    A: X [0, 2]  Y [1, 0]
    B: X [0, 1]  Y [1, 0]
    C: X [1, 0]  Y [0, 0]
"""

from __future__ import annotations

import datetime as dt

import pytest

from annotator.core.dna_network import Matrix, NetworkOptions, Statement, networks
from annotator.core.errors import InputError

DAY = dt.datetime(2020, 1, 1)


def st(
    n: int,
    org: str,
    concept: str,
    q: int,
    doc: int = 1,
    day: int = 0,
    author: str = "",
    when: dt.datetime | None = None,
) -> Statement:
    return Statement(
        id=n,
        document_id=doc,
        time=when or DAY + dt.timedelta(days=day),
        values={"organization": org, "concept": concept, "author": author},
        qualifier=q,
    )


FIXTURE = [
    st(1, "A", "X", 1, doc=1, day=0, author="ann"),
    st(2, "B", "X", 1, doc=2, day=1),
    st(3, "C", "X", 0, doc=2, day=1),
    st(4, "A", "Y", 0, doc=1, day=0, author="ann"),
    st(5, "B", "Y", 0, doc=3, day=9),
    st(6, "A", "X", 1, doc=1, day=0, author="ann"),
]


def one(**kw: object) -> Matrix:
    [m] = networks(FIXTURE, NetworkOptions(**kw))  # type: ignore[arg-type]
    return m


def table(m: Matrix) -> dict[tuple[str, str], float]:
    return {
        (r, c): round(m.values[i][j], 6)
        for i, r in enumerate(m.rows)
        for j, c in enumerate(m.columns)
        if m.values[i][j] != 0
    }


def test_defaults_are_rdna_two_mode_ignore() -> None:
    m = one()
    assert (m.rows, m.columns) == (("A", "B", "C"), ("X", "Y"))
    assert table(m) == {("A", "X"): 2, ("A", "Y"): 1, ("B", "X"): 1, ("B", "Y"): 1, ("C", "X"): 1}
    assert m.integer and m.statements == 6


def test_two_mode_combine_is_the_lexical_rank() -> None:
    # levels (0, 1): only agree = 1, only disagree = 2, both = 3
    assert table(one(aggregation="combine")) == {
        ("A", "X"): 1, ("A", "Y"): 2, ("B", "X"): 1, ("B", "Y"): 2, ("C", "X"): 2,
    }  # fmt: skip
    both = [*FIXTURE, st(7, "C", "X", 1, doc=4)]
    [m] = networks(both, NetworkOptions(aggregation="combine"))
    assert m.cell("C", "X") == 3


def test_two_mode_subtract() -> None:
    assert table(one(aggregation="subtract")) == {
        ("A", "X"): 2, ("A", "Y"): -1, ("B", "X"): 1, ("B", "Y"): -1, ("C", "X"): -1,
    }  # fmt: skip


def test_two_mode_activity_and_prominence() -> None:
    assert table(one(normalization="activity")) == {
        ("A", "X"): round(2 / 3, 6), ("A", "Y"): round(1 / 3, 6),
        ("B", "X"): 0.5, ("B", "Y"): 0.5, ("C", "X"): 1.0,
    }  # fmt: skip
    assert table(one(normalization="prominence")) == {
        ("A", "X"): 0.5, ("A", "Y"): 0.5, ("B", "X"): 0.25, ("B", "Y"): 0.5, ("C", "X"): 0.25,
    }  # fmt: skip
    # with subtract the denominator is the row's statements, not its (signed) sum
    m = one(aggregation="subtract", normalization="activity")
    assert m.cell("A", "Y") == pytest.approx(-1 / 3) and not m.integer


def onemode(**kw: object) -> dict[tuple[str, str], float]:
    m = one(network_type="onemode", **kw)
    assert m.rows == m.columns == ("A", "B", "C")
    assert all(m.values[i][i] == 0 for i in range(3))
    return {k: v for k, v in table(m).items() if k[0] < k[1]}


def test_one_mode_aggregations() -> None:
    assert onemode() == {("A", "B"): 3, ("A", "C"): 2, ("B", "C"): 1}
    assert onemode(aggregation="congruence") == {("A", "B"): 3}
    assert onemode(aggregation="conflict") == {("A", "C"): 2, ("B", "C"): 1}
    assert onemode(aggregation="subtract") == {("A", "B"): 3, ("A", "C"): -2, ("B", "C"): -1}


def test_one_mode_normalisations() -> None:
    # statements per row: A 3, B 2, C 1
    assert onemode(normalization="average") == {
        ("A", "B"): 1.2,
        ("A", "C"): 1.0,
        ("B", "C"): 0.666667,
    }
    assert onemode(aggregation="congruence", normalization="average") == {("A", "B"): 1.2}
    assert onemode(normalization="cosine") == {
        ("A", "B"): 0.5,
        ("A", "C"): 0.666667,
        ("B", "C"): 0.5,
    }
    # jaccard: A-B m11 = 2 + 1, nothing apart: 3/3; A-C: m01 = 1, m10 = 2 + 1: 2/4;
    # B-C: m11 = 0, m01 = 1, m10 = 1 + 1: 1/3
    assert onemode(normalization="jaccard") == {
        ("A", "B"): 1.0,
        ("A", "C"): 0.5,
        ("B", "C"): 0.333333,
    }


def test_duplicates_per_document() -> None:
    m = one(duplicates="document")
    assert m.cell("A", "X") == 1 and m.statements == 5
    # with a qualifier aggregation the qualifier must match too
    other = [*FIXTURE, st(7, "A", "X", 0, doc=1)]
    [m] = networks(other, NetworkOptions(duplicates="document", aggregation="subtract"))
    assert m.cell("A", "X") == 0  # +1 (s1; s6 dropped) -1 (s7 kept: another qualifier)


@pytest.mark.parametrize(
    ("rule", "kept"),
    [
        ("include", 4),
        ("document", 4),  # four documents
        # 2020-01-01 and -03 share ISO week 1, -10 is week 2, and 2021-01-05 is week 1
        # again (DNA compares the week number only)
        ("week", 2),
        ("month", 1),  # all in January (DNA compares the month number, not the year)
        ("year", 2),  # 2020 thrice (one kept), 2021 once
        ("acrossrange", 1),
    ],
)
def test_duplicates_week_month_year(rule: str, kept: int) -> None:
    statements = [
        st(1, "A", "X", 1, doc=1, when=dt.datetime(2020, 1, 1)),
        st(2, "A", "X", 1, doc=2, when=dt.datetime(2020, 1, 3)),
        st(3, "A", "X", 1, doc=3, when=dt.datetime(2020, 1, 10)),
        st(4, "A", "X", 1, doc=4, when=dt.datetime(2021, 1, 5)),
    ]
    [m] = networks(statements, NetworkOptions(duplicates=rule))
    assert m.cell("A", "X") == kept


def test_exclusions_on_values_and_document_fields() -> None:
    m = one(exclude={"organization": frozenset({"C"})})
    assert m.rows == ("A", "B")
    m = one(exclude={"author": frozenset({"ann"})})
    assert table(m) == {("B", "X"): 1, ("B", "Y"): 1, ("C", "X"): 1}


def test_statements_without_a_value_are_left_out() -> None:
    [m] = networks([*FIXTURE, st(9, "", "X", 1), st(10, "D", "", 1)], NetworkOptions())
    assert m.rows == ("A", "B", "C") and m.statements == 6


def test_time_window_in_days() -> None:
    # one statement a day, 1 to 5 January; a window of 3 days is day +- 1, only the
    # windows that fit between the first and last day: centred on the 2nd, 3rd, 4th
    orgs = "ABCDE"
    statements = [st(n, orgs[n], "X", 1, doc=n, day=n) for n in range(5)]
    ms = networks(statements, NetworkOptions(time_window="days", window_size=3))
    assert [m.time for m in ms] == [DAY + dt.timedelta(days=d) for d in (1, 2, 3)]
    assert [m.rows for m in ms] == [("A", "B", "C"), ("B", "C", "D"), ("C", "D", "E")]
    assert (ms[0].start, ms[0].stop) == (DAY, DAY + dt.timedelta(days=2))
    assert all(m.statements == 3 for m in ms)
    # a window wider than the range fits nowhere
    assert networks(statements, NetworkOptions(time_window="days", window_size=11)) == []


def test_bad_options_are_refused_on_one_line() -> None:
    for kw in (
        {"network_type": "threemode"},
        {"aggregation": "congruence"},  # a one-mode aggregation for a two-mode network
        {"network_type": "onemode", "normalization": "activity"},
        {"duplicates": "fortnight"},
        {"time_window": "days", "window_size": 0},
    ):
        with pytest.raises(InputError) as err:
            one(**kw)
        assert "\n" not in str(err.value)
