"""``--format network`` is a preset of DNA's networks: its weights are the matrices of
``networks(statements, TWO_MODE / ONE_MODE)`` and of the documented ``annotator network``
commands, on real project files; plus small fixtures whose weights are computed by hand.
"""

from __future__ import annotations

import datetime as dt
import math
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.cli import main
from annotator.core.codebook import default_codebook_text, load_codebook
from annotator.core.dna_network import Matrix, Statement, networks
from annotator.core.network_preset import ONE_MODE, TWO_MODE, preset_networks
from annotator.formats.registry import export_project
from annotator.store import Project
from annotator.store.queries.dna_queries import dna_statements
from tests.formats.test_claims_network import read_csv, read_graphml

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}
Spec = tuple[tuple[tuple[str, str | None], ...], str, str]  # claimants, issue, position


Claimants = tuple[tuple[str, str | None], ...]  # (name, actor type; None: unlinked)


def add_claim(p: Project, claimants: Claimants, issue: str, position: str) -> int:
    """One document: the claimants' mentions, then the claim; a claimant whose type is
    None stays an unlinked mention (named by its text)."""
    names = " and ".join(name for name, _ in claimants) or "Someone"
    text = f"{names} said something about {issue or 'nothing'}."
    doc = p.add_document(text, f"doc {len(p.documents()) + 1}")
    claim = p.annotate(doc.id, len(names) + 1, len(text) - 1, "claim")
    at = 0
    for name, kind in claimants:
        mention = p.annotate(doc.id, at, at + len(name), "actor")
        if kind is not None:
            p.link_actor(mention.id, name, kind)
        p.relate(mention.id, claim.id, "claimant")
        at += len(name) + len(" and ")
    values = {k: v for k, v in (("issue", issue), ("position", position)) if v}
    if values:
        p.set_attributes(claim.id, values)
    return claim.id


def make_project(path: Path, specs: list[Spec], codebook_text: str | None = None) -> Path:
    codebook = load_codebook(codebook_text) if codebook_text else None
    with Project.create(path, codebook, annotator="ann") as p:
        for claimants, issue, position in specs:
            add_claim(p, claimants, issue, position)
    return path


GREENS, UNIONS = ("Greens", "organisation"), ("Unions", "organisation")
MAYOR, LAWMAKERS = ("Mayor", "person"), ("Lawmakers", None)
MIXED: list[Spec] = [
    ((GREENS,), "coal", "+1"),
    ((UNIONS,), "coal", "-1"),
    ((GREENS,), "wind", "+1"),
    ((UNIONS,), "wind", "+1"),
    ((MAYOR,), "coal", "+1"),  # a person: not in DNA's organization x concept
    ((GREENS,), "coal", ""),  # no position: DNA's 0
    ((GREENS, MAYOR), "wind", "-1"),  # two claimants: two statements
    ((LAWMAKERS,), "coal", "0"),  # an unlinked mention
    ((UNIONS,), "", "+1"),  # no issue: left out
    ((), "wind", "+1"),  # no claimant: left out
]


def cells(m: Matrix, one_mode: bool) -> dict[tuple[str, str], float]:
    """The nonzero cells (one-mode: each pair once, as the export's undirected edges)."""
    values = np.triu(m.values, 1) if one_mode else m.values
    return {
        (m.rows[i], m.columns[j]): float(values[i, j])
        for i, j in zip(*np.nonzero(values), strict=True)
    }


def exported(folder: Path, stem: str = "net") -> tuple[dict[tuple[str, str], float], ...]:
    """(two-mode weights, one-mode weights, their actor and issue nodes) of an export."""
    nodes, edges = read_graphml(folder / f"{stem}.graphml")
    actor_nodes, actor_edges = read_graphml(folder / f"{stem}-actors.graphml")
    two = {(e["source"][6:], e["target"][6:]): float(e["weight"]) for e in edges}
    one = {(e["source"][6:], e["target"][6:]): float(e["weight"]) for e in actor_edges}
    assert {n for n, d in nodes.items() if d["type"] == "actor"} == set(actor_nodes)
    return two, one, nodes, actor_nodes


def test_export_weights_are_dnas_matrices_with_the_preset_options(tmp_path: Path) -> None:
    path = make_project(tmp_path / "p.annot", MIXED)
    with Project.open(path, read_only=True) as project:
        report = export_project(project, "network", tmp_path / "net.graphml")
        statements = dna_statements(project)
    [two_m] = networks(statements, TWO_MODE)
    [one_m] = networks(statements, ONE_MODE)
    two, one, nodes, actor_nodes = exported(tmp_path)
    assert two == cells(two_m, False) and one == cells(one_m, True)
    assert (
        set(actor_nodes) == {f"actor:{a}" for a in two_m.rows} == {f"actor:{a}" for a in one_m.rows}
    )
    assert {n for n, d in nodes.items() if d["type"] == "issue"} == {
        f"issue:{c}" for c in two_m.columns
    }
    assert set(two_m.rows) == {"Greens", "Unions", "Mayor", "Lawmakers"}  # persons too
    assert two[("Greens", "coal")] == 2.0  # claims per actor and issue
    assert any(not w.is_integer() for w in one.values())  # congruence's halves

    # the edge lists hold the same weights
    def weights(name: str) -> dict[tuple[str, str], float]:
        return {(r["Source"], r["Target"]): float(r["Weight"]) for r in read_csv(tmp_path / name)}

    assert (weights("net-edges.csv"), weights("net-actor-edges.csv")) == (two, one)
    assert report.annotations == 8 and report.dropped == {"claim without an issue or a claimant": 2}


def visone_weights(path: Path) -> dict[tuple[str, str], float]:
    """The edges of a GraphML file ``annotator network`` wrote, by node names."""
    graph = ET.parse(path).getroot().find("g:graph", NS)
    assert graph is not None
    names = {
        n.get("id"): n.findtext("g:data[@key='name']", namespaces=NS)
        for n in graph.findall("g:node", NS)
    }
    return {
        (str(names[e.get("source")]), str(names[e.get("target")])): float(
            e.findtext("g:data[@key='weight']", namespaces=NS) or "nan"
        )
        for e in graph.findall("g:edge", NS)
    }


def test_the_documented_annotator_network_commands_give_the_same_weights(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_project(tmp_path / "p.annot", MIXED)
    export = ["export", str(path), "--format", "network", "-o", str(tmp_path / "net.graphml")]
    assert main(export) == 0
    two_cmd = ["network", str(path), "--variable1", "actor", "-o", str(tmp_path / "two.graphml")]
    one_cmd = ["network", str(path), "--type", "onemode", "--variable1", "actor",
               "--aggregation", "congruence", "-o", str(tmp_path / "one.graphml")]  # fmt: skip
    assert main(two_cmd) == 0 and main(one_cmd) == 0
    capsys.readouterr()
    two, one, _, _ = exported(tmp_path)
    assert visone_weights(tmp_path / "two.graphml") == two
    assert {tuple(sorted(k)): w for k, w in visone_weights(tmp_path / "one.graphml").items()} == one


def test_two_actors_two_claims_each_one_disagreeing_by_hand(tmp_path: Path) -> None:
    """A says +1 twice on coal; B says +1 once and -1 once. Levels -1, 0, +1 (range 2).
    Two-mode: 2 claims each. One-mode congruence: each of A's two claims with B's +1
    adds 1 - 0/2 = 1, with B's -1 adds 1 - 2/2 = 0: weight 2 (the old export said 1, the
    one shared (issue, position) pair)."""
    a, b = ("A", "organisation"), ("B", "state")
    path = make_project(tmp_path / "p.annot", [
        ((a,), "coal", "+1"), ((a,), "coal", "+1"), ((b,), "coal", "+1"), ((b,), "coal", "-1"),
    ])  # fmt: skip
    with Project.open(path, read_only=True) as project:
        export_project(project, "network", tmp_path / "net.graphml")
        statements = dna_statements(project)
    two, one, nodes, _ = exported(tmp_path)
    assert two == {("A", "coal"): 2.0, ("B", "coal"): 2.0}
    assert one == {("A", "B"): 2.0}
    assert cells(networks(statements, TWO_MODE)[0], False) == two
    assert cells(networks(statements, ONE_MODE)[0], True) == one
    _, edges = read_graphml(tmp_path / "net.graphml")
    by_actor = {e["source"]: e for e in edges}
    a_edge, b_edge = by_actor["actor:A"], by_actor["actor:B"]
    assert (a_edge["positions"], float(a_edge["position"])) == ("+1", 1.0)
    assert (b_edge["positions"], float(b_edge["position"])) == ("-1; +1", 0.0)
    assert len(b_edge["claim_ids"].split()) == 2
    _, actor_edges = read_graphml(tmp_path / "net-actors.graphml")
    assert [(e["issues"], e["shared"]) for e in actor_edges] == [("coal", "coal (2)")]
    assert {n: (d["type"], d.get("actor_type"), d["claims"]) for n, d in nodes.items()} == {
        "actor:A": ("actor", "organisation", "2"),
        "actor:B": ("actor", "state", "2"),
        "issue:coal": ("issue", None, "4"),
    }


def test_a_claim_without_a_position_ties_by_half_and_parts_add_up(tmp_path: Path) -> None:
    """C (a person) says coal without a position (0): with each of A's +1 claims 1 - 1/2,
    with B's +1 and -1 a half each; A and B share coal (2) and wind (+1 with -1: 0, and
    +1 with +1: 1)."""
    a, b, c = ("A", "organisation"), ("B", "state"), ("C", "person")
    path = make_project(tmp_path / "p.annot", [
        ((a,), "coal", "+1"), ((a,), "coal", "+1"), ((b,), "coal", "+1"), ((b,), "coal", "-1"),
        ((c,), "coal", ""), ((a,), "wind", "+1"), ((b,), "wind", "+1"), ((b,), "wind", "-1"),
    ])  # fmt: skip
    with Project.open(path, read_only=True) as project:
        export_project(project, "network", tmp_path / "net.graphml")
    _, one, nodes, _ = exported(tmp_path)
    assert one == {("A", "B"): 3.0, ("A", "C"): 1.0, ("B", "C"): 1.0}
    _, actor_edges = read_graphml(tmp_path / "net-actors.graphml")
    shared = {(e["source"][6:], e["target"][6:]): e["shared"] for e in actor_edges}
    assert shared == {
        ("A", "B"): "coal (2); wind (1)",
        ("A", "C"): "coal (1)",
        ("B", "C"): "coal (1)",
    }
    rows = read_csv(tmp_path / "net-actor-edges.csv")
    assert [(r["Source"], r["Target"], r["Weight"], r["issues"]) for r in rows] == [
        ("A", "B", "3", "coal; wind"), ("A", "C", "1", "coal"), ("B", "C", "1", "coal"),
    ]  # fmt: skip
    assert nodes["actor:C"]["actor_type"] == "person"


def test_a_position_that_is_no_finite_number_counts_as_zero(tmp_path: Path) -> None:
    """A free-text position ("inf", "nan", "1e400") is DNA's qualifier 0, not a crash."""
    text = default_codebook_text().replace(
        '    type: choice\n    labels: [claim, demand]\n    choices: ["-1", "0", "+1"]\n'
        '    default: "0"\n',
        "    type: text\n    labels: [claim, demand]\n",
    )
    assert "type: text\n    labels: [claim, demand]" in text
    a, b = ("A", "organisation"), ("B", "state")
    specs: list[Spec] = [((a,), "coal", "inf"), ((b,), "coal", "nan"), ((a,), "coal", "1e400")]
    path = make_project(tmp_path / "p.annot", specs, text)
    with Project.open(path, read_only=True) as project:
        assert [s.qualifier for s in dna_statements(project)] == [0, 0, 0]
        export_project(project, "network", tmp_path / "net.graphml")
    two, one, _, _ = exported(tmp_path)
    assert two == {("A", "coal"): 2.0, ("B", "coal"): 1.0} and one == {("A", "B"): 2.0}
    _, edges = read_graphml(tmp_path / "net.graphml")
    assert all("position" not in e for e in edges)  # no finite number to average
    assert {e["positions"] for e in edges} == {"1e400; inf", "nan"}


# -- the preset over plain statements: independent arithmetic ---------------------------

ACTOR_TYPES = {"A": "state", "B": "", "C": "person", "D": "organisation"}


@st.composite
def random_statements(draw: st.DrawFn) -> list[Statement]:
    out = []
    for n in range(draw(st.integers(0, 25))):
        claimants = draw(st.lists(st.sampled_from(sorted(ACTOR_TYPES)), max_size=3, unique=True))
        issue = draw(st.sampled_from(["", "x", "y", "z"]))
        position = draw(st.sampled_from(["", "-1", "0", "+1"]))
        q = int(position) if position else 0
        for actor in claimants or [""]:  # one statement per claimant, as dna_statements
            values = {"actor": actor, "actor_type": ACTOR_TYPES.get(actor, "")}
            values.update(concept=issue, position=position)
            out.append(Statement(n + 1, 1, dt.datetime(2024, 1, 1), values, q))
    return out


@settings(max_examples=40, deadline=None)
@given(random_statements())
def test_preset_equals_brute_force(statements: list[Statement]) -> None:
    preset = preset_networks(statements)
    used = [s for s in statements if s.values["actor"] and s.values["concept"]]
    count = Counter((s.values["actor"], s.values["concept"]) for s in used)
    assert {(e.actor, e.issue): e.weight for e in preset.two_mode.edges} == dict(count)  # type: ignore[union-attr]
    want: dict[tuple[str, str], dict[str, float]] = {}
    for s1 in used:
        for s2 in used:
            a, b = s1.values["actor"], s2.values["actor"]
            if a < b and s1.values["concept"] == s2.values["concept"]:
                part = 1 - abs((s1.qualifier or 0) - (s2.qualifier or 0)) / 2
                if part:
                    parts = want.setdefault((a, b), {})
                    issue = s1.values["concept"]
                    parts[issue] = parts.get(issue, 0.0) + part
    got = {(e.actor1, e.actor2): e for e in preset.one_mode.edges}  # type: ignore[union-attr]
    assert set(got) == set(want)
    for pair, edge in got.items():
        assert edge.weight == pytest.approx(sum(want[pair].values()))
        assert dict(edge.shared) == pytest.approx(want[pair])
        assert math.fsum(p for _, p in edge.shared) == pytest.approx(edge.weight)
    assert {n.label for n in preset.one_mode.nodes} == {s.values["actor"] for s in used}
    assert preset.used == len({s.id for s in used})
    assert preset.claims == len({s.id for s in statements})
