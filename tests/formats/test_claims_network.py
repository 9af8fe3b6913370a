"""The claims table (CSV, XLSX) and the discourse networks (GraphML, edge lists).

The expected rows and edges are computed here from the project through the plain
store API (annotations, relations, actor links, attributes), not by the code under test.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest

from annotator.formats.registry import Options, export_project, report_lines
from annotator.store import Project

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}
ROLES = {"claimant": True, "addressee": False, "object": False, "accused": False}
CLAIM_LABELS = ("claim", "demand", "allegation")
ATTRIBUTES = ("position", "issue", "form")
HEADER = [
    "document",
    "document_id",
    "annotation_id",
    "start",
    "end",
    "text",
    "label",
    *ROLES,
    "note",
    *ATTRIBUTES,
]


# -- what is expected, from the store API alone ---------------------------------------


def expected_rows(project: Project) -> list[dict[str, str]]:
    """The claims table as strings, computed from annotations, relations and actors."""
    titles = {d.id: d.title for d in project.documents()}
    by_id = {a.id: a for a in project.annotations()}
    attributes = project.all_attributes()
    ends: dict[tuple[int, str], list[int]] = defaultdict(list)
    for rel in project.relations():
        if rel.type in ROLES:
            claim_id, actor_id = (
                (rel.to_id, rel.from_id) if ROLES[rel.type] else (rel.from_id, rel.to_id)
            )
            ends[(claim_id, rel.type)].append(actor_id)

    def name(annotation_id: int) -> str:
        actor = project.actor_of(annotation_id)
        return actor.name if actor else by_id[annotation_id].text

    rows = []
    for a in by_id.values():
        if a.label not in CLAIM_LABELS:
            continue
        row = {
            "document": titles[a.document_id],
            "document_id": str(a.document_id),
            "annotation_id": str(a.id),
            "start": str(a.start),
            "end": str(a.end),
            "text": a.text,
            "label": a.label,
        }
        for role in ROLES:
            mentions = sorted(ends[(a.id, role)], key=lambda i: by_id[i].start)
            row[role] = "; ".join(dict.fromkeys(name(i) for i in mentions))
        row["note"] = a.note or ""
        for key in ATTRIBUTES:
            row[key] = attributes.get(a.id, {}).get(key, "")
        rows.append(row)
    return rows


def qualifier(position: str) -> int:
    """DNA's integer qualifier of a position: its whole number, 0 when empty or no number."""
    try:
        return int(float(position))
    except (ValueError, OverflowError):
        return 0


def shared_text(parts: dict[str, float]) -> str:
    """``coal (2); wind (0.5)``, by issue."""
    return "; ".join(f"{i} ({int(p) if p.is_integer() else p})" for i, p in sorted(parts.items()))


def expected_networks(
    rows: list[dict[str, str]],
) -> tuple[dict[tuple[str, str], tuple[int, list[str]]], dict[tuple[str, str], tuple[float, str]]]:
    """(actor, issue) -> (claims, positions), and (actor, actor) -> (DNA's congruence,
    the issues shared with each one's part): for each issue, every pair of the two
    actors' claims adds 1 - |q1 - q2| / range over the qualifier levels (-1, +1 and every
    claim's, as DNA levels them: over all statements)."""
    two: dict[tuple[str, str], tuple[int, list[str]]] = {}
    taken: dict[tuple[str, str], list[int]] = defaultdict(list)  # (actor, issue) -> qualifiers
    levels = {-1, 1}
    for row in rows:
        levels.add(qualifier(row["position"]))
        if not (row["issue"] and row["claimant"]):
            continue
        for actor in row["claimant"].split("; "):
            n, positions = two.get((actor, row["issue"]), (0, []))
            two[(actor, row["issue"])] = (n + 1, [*positions, row["position"]])
            taken[(actor, row["issue"])].append(qualifier(row["position"]))
    span = max(levels) - min(levels)
    actors = sorted({a for a, _ in two})
    one = {}
    for a, b in itertools.combinations(actors, 2):
        parts = {}
        for issue in {i for _, i in two}:
            part = sum(
                1 - abs(q1 - q2) / span
                for q1 in taken.get((a, issue), [])
                for q2 in taken.get((b, issue), [])
            )
            if part:
                parts[issue] = float(part)
        if parts:
            one[(a, b)] = (sum(parts.values()), shared_text(parts))
    return two, one


def xml_clean(value: str) -> str:
    """What XML 1.0 can carry of *value*: control characters become U+FFFD."""
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "\ufffd", value)


# -- reading the exports back -----------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def read_graphml(path: Path) -> tuple[dict[str, dict[str, str]], list[dict[str, str]]]:
    """Nodes by id and edges (with source, target) as dicts of their data, by key name."""
    root = ET.parse(path).getroot()
    keys = {}
    for key in root.findall("g:key", NS):
        assert key.get("for") in ("node", "edge")
        assert key.get("attr.type") in ("string", "int", "double", "boolean")
        keys[key.get("id")] = (key.get("for"), key.get("attr.name"))
    graphs = root.findall("g:graph", NS)
    assert len(graphs) == 1
    nodes, edges = {}, []
    for node in graphs[0].findall("g:node", NS):
        data = {}
        for d in node.findall("g:data", NS):
            assert keys[d.get("key")][0] == "node"
            data[keys[d.get("key")][1]] = d.text or ""
        nodes[node.get("id")] = data
    for edge in graphs[0].findall("g:edge", NS):
        data = {"source": edge.get("source"), "target": edge.get("target")}
        for d in edge.findall("g:data", NS):
            assert keys[d.get("key")][0] == "edge"
            data[keys[d.get("key")][1]] = d.text or ""
        assert data["source"] in nodes and data["target"] in nodes
        edges.append(data)
    return nodes, edges


def check_exports(project: Project, folder: Path) -> list[dict[str, str]]:
    """Export claims and networks; assert they hold exactly the expected rows and edges."""
    rows = expected_rows(project)
    export_project(project, "claims", folder / "claims.csv")
    got = read_csv(folder / "claims.csv")
    assert list(got[0]) == HEADER if got else True
    assert sorted(got, key=lambda r: int(r["annotation_id"])) == sorted(
        rows, key=lambda r: int(r["annotation_id"])
    )

    export_project(project, "network", folder / "net.graphml")
    two, one = expected_networks(rows)
    nodes, edges = read_graphml(folder / "net.graphml")
    assert {(e["source"], e["target"]): float(e["weight"]) for e in edges} == {
        (xml_clean(f"actor:{a}"), xml_clean(f"issue:{i}")): float(n)
        for (a, i), (n, _) in two.items()
    }
    in_xml = {(xml_clean(a), xml_clean(i)): v for (a, i), v in two.items()}
    for e in edges:
        _, positions = in_xml[(e["source"][6:], e["target"][6:])]
        numbers = [float(p) for p in positions if p]
        assert set(filter(None, e["positions"].split("; "))) == set(filter(None, positions))
        if numbers:
            assert float(e["position"]) == pytest.approx(sum(numbers) / len(numbers))
        else:
            assert "position" not in e
    actors = {a for a, _ in two}
    assert {k for k, v in nodes.items() if v["type"] == "actor"} == {
        xml_clean(f"actor:{a}") for a in actors
    }
    assert {k for k, v in nodes.items() if v["type"] == "issue"} == {
        xml_clean(f"issue:{i}") for _, i in two
    }

    actor_nodes, actor_edges = read_graphml(folder / "net-actors.graphml")
    assert set(actor_nodes) == {xml_clean(f"actor:{a}") for a in actors}
    assert {
        (e["source"][6:], e["target"][6:]): (float(e["weight"]), e["shared"]) for e in actor_edges
    } == {(xml_clean(a), xml_clean(b)): (w, xml_clean(text)) for (a, b), (w, text) in one.items()}

    edge_rows = read_csv(folder / "net-edges.csv")
    assert {(r["Source"], r["Target"]): int(r["Weight"]) for r in edge_rows} == {
        k: n for k, (n, _) in two.items()
    }
    actor_rows = read_csv(folder / "net-actor-edges.csv")
    assert {(r["Source"], r["Target"]): float(r["Weight"]) for r in actor_rows} == {
        k: w for k, (w, _) in one.items()
    }
    return rows


# -- the sample article, structured as an analyst would ---------------------------------


def find(project: Project, needle: str, occurrence: int = 1) -> tuple[int, int]:
    text = project.text(1)
    at = -1
    for _ in range(occurrence):
        at = text.index(needle, at + 1)
    return at, at + len(needle)


def mark(project: Project, needle: str, label: str, occurrence: int = 1) -> int:
    start, end = find(project, needle, occurrence)
    return project.annotate(1, start, end, label).id


RELEASE = (
    "calling for the immediate and unconditional release of the political leaders of the "
    "Republic of Artsakh, as well as Armenian detainees currently held in Azerbaijan"
)
PRESSURE = (
    "intensify diplomatic pressure to secure the release of all Armenian prisoners of war and "
    "detainees"
)
DISPLACEMENT = "forced displacement of Armenians from Artsakh"


def structure(project: Project) -> dict[str, int]:
    ids = {
        "senate": mark(project, "France’s Senate", "actor"),
        "assembly": mark(project, "National Assembly", "actor"),
        "assembly2": mark(project, "National Assembly", "actor", 2),
        "government": mark(project, "the French government", "actor"),
        "azerbaijan": mark(project, "Azerbaijan", "actor", 1),
        "lawmakers": mark(project, "Lawmakers", "actor"),  # left unlinked
        "release": mark(project, RELEASE, "demand"),
        "pressure": mark(project, PRESSURE, "demand"),
        "displacement": mark(project, DISPLACEMENT, "allegation"),
    }
    project.link_actor(ids["senate"], "French Senate", "organisation")
    project.link_actor(ids["assembly"], "French National Assembly", "organisation")
    project.link_actor(ids["assembly2"], "French National Assembly")
    project.link_actor(ids["government"], "Government of France", "state")
    project.link_actor(ids["azerbaijan"], "Azerbaijan", "state")
    project.relate(ids["senate"], ids["release"], "claimant")
    project.relate(ids["assembly"], ids["release"], "claimant")
    project.relate(ids["assembly2"], ids["pressure"], "claimant")
    project.relate(ids["pressure"], ids["government"], "addressee")
    project.relate(ids["lawmakers"], ids["displacement"], "claimant")
    project.relate(ids["displacement"], ids["azerbaijan"], "accused")
    project.set_attributes(ids["release"], {"position": "+1", "issue": "release of detainees"})
    project.set_attributes(ids["pressure"], {"position": "+1", "issue": "release of detainees"})
    return ids


def test_sample_article_claims_and_networks(sample_project: Project, tmp_path: Path) -> None:
    ids = structure(sample_project)
    rows = check_exports(sample_project, tmp_path)
    by_id = {int(r["annotation_id"]): r for r in rows}
    assert set(by_id) == {ids["release"], ids["pressure"], ids["displacement"]}
    assert by_id[ids["release"]]["claimant"] == "French Senate; French National Assembly"
    assert by_id[ids["pressure"]]["addressee"] == "Government of France"
    assert by_id[ids["displacement"]]["accused"] == "Azerbaijan"
    assert by_id[ids["displacement"]]["claimant"] == "Lawmakers"
    nodes, edges = read_graphml(tmp_path / "net.graphml")
    assert nodes["actor:French Senate"]["actor_type"] == "organisation"
    weights = {(e["source"], e["target"]): float(e["weight"]) for e in edges}
    assert weights[("actor:French National Assembly", "issue:release of detainees")] == 2.0


def test_xlsx_holds_the_same_rows_with_strings_as_strings(
    sample_project: Project, tmp_path: Path
) -> None:
    ids = structure(sample_project)
    sample_project.set_attribute(ids["release"], "issue", '=HYPERLINK("http://x","y")')
    sample_project.set_attribute(ids["pressure"], "issue", "bell\x07 and -2+3")
    rows = expected_rows(sample_project)
    target = tmp_path / "claims.xlsx"
    report = export_project(sample_project, "claims-xlsx", target)
    assert report.annotations == len(rows)
    sheet = openpyxl.load_workbook(target).active
    values = list(sheet.iter_rows())
    assert [c.value for c in values[0]] == HEADER
    got = {}
    for cells in values[1:]:
        row = {h: c.value for h, c in zip(HEADER, cells, strict=True)}
        for h, c in zip(HEADER, cells, strict=True):
            assert c.data_type != "f"  # never a formula
            if h in ("document_id", "annotation_id", "start", "end"):
                assert isinstance(c.value, int)
        got[row["annotation_id"]] = {h: "" if v is None else str(v) for h, v in row.items()}
    want = {int(r["annotation_id"]): r for r in rows}
    want[ids["pressure"]]["issue"] = "bell\ufffd and -2+3"
    assert got == want
    assert any("\ufffd" in w for w in report.warnings)


def test_csv_makes_formulas_inert_but_keeps_positions(
    sample_project: Project, tmp_path: Path
) -> None:
    ids = structure(sample_project)
    sample_project.set_attribute(ids["release"], "issue", "=1+1")
    sample_project.set_attribute(ids["pressure"], "position", "-1")
    out = io.StringIO()
    export_project(sample_project, "claims", out)
    text = out.getvalue()
    assert text.startswith("\ufeff")
    rows = {int(r["annotation_id"]): r for r in csv.DictReader(io.StringIO(text[1:]))}
    assert rows[ids["release"]]["issue"] == "'=1+1"
    assert rows[ids["release"]]["position"] == "+1"
    assert rows[ids["pressure"]]["position"] == "-1"
    raw = io.StringIO()
    export_project(sample_project, "claims", raw, Options(raw=True))
    assert {r["issue"] for r in csv.DictReader(io.StringIO(raw.getvalue()[1:]))} >= {"=1+1"}
    export_project(sample_project, "network", tmp_path / "n.graphml")
    edges = read_csv(tmp_path / "n-edges.csv")
    assert {r["Target"] for r in edges} == {"'=1+1", "release of detainees"}


def test_graphml_stays_valid_xml_with_hostile_names(
    sample_project: Project, tmp_path: Path
) -> None:
    ids = structure(sample_project)
    sample_project.set_attribute(ids["release"], "issue", 'a <b> & "c" \x0c 👍🏽 Հայ')
    sample_project.link_actor(ids["senate"], "Sénat <français> & co")
    check_exports(sample_project, tmp_path)
    nodes, _ = read_graphml(tmp_path / "net.graphml")
    assert 'issue:a <b> & "c" \ufffd 👍🏽 Հայ' in nodes
    assert nodes["actor:Sénat <français> & co"]["label"] == "Sénat <français> & co"


def test_network_into_a_folder_and_empty_project(tmp_project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    report = export_project(tmp_project, "network", folder)
    names = {"network.graphml", "network-actors.graphml", "network-edges.csv"}
    assert names | {"network-actor-edges.csv"} == {p.name for p in folder.iterdir()}
    nodes, edges = read_graphml(folder / "network.graphml")
    assert (nodes, edges, report.annotations) == ({}, [], 0)
    assert read_csv(folder / "network-edges.csv") == []


def test_claims_without_issue_are_reported(sample_project: Project, tmp_path: Path) -> None:
    ids = structure(sample_project)
    sample_project.set_attribute(ids["pressure"], "issue", None)
    report = export_project(sample_project, "network", tmp_path / "n.graphml")
    assert report.annotations == 1
    assert report.warnings == []
    assert report.dropped == {"claim without an issue or a claimant": 2}
    assert report_lines(report) == [
        "dropped (the format cannot carry them): 2 claims without an issue or a claimant"
    ]
    check_exports(sample_project, tmp_path)


def test_stream_refused_for_network(sample_project: Project) -> None:
    from annotator.core.errors import InputError

    with pytest.raises(InputError, match="give -o PATH"):
        export_project(sample_project, "network", io.StringIO())
