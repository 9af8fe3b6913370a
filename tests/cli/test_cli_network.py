"""annotator network: DNA's networks of a project's claims, written as DNA writes them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store import Project


def claims_project(path: Path) -> Path:
    """Three organisations, two issues; dates as document variables."""
    p = Project.create(path, annotator="ann")
    specs = [  # (document date, claimant, actor type, issue, position)
        ("2024-03-01", "Greens", "organisation", "coal", "+1"),
        ("2024-03-01", "Unions", "organisation", "coal", "-1"),
        ("2024-03-02", "Greens", "organisation", "wind", "+1"),
        ("2024-03-03", "Unions", "organisation", "wind", "+1"),
        ("2024-03-03", "Mayor", "person", "coal", "+1"),
    ]
    for n, (date, actor, kind, issue, position) in enumerate(specs):
        text = f"{actor} said something about {issue}."
        doc = p.add_document(text, f"doc {n}")
        p.variables.set(doc.id, "date", date, "date")
        claim = p.annotate(doc.id, len(actor) + 1, len(text) - 1, "claim")
        mention = p.annotate(doc.id, 0, len(actor), "actor")
        p.link_actor(mention.id, actor, kind)
        p.relate(mention.id, claim.id, "claimant")
        p.set_attributes(claim.id, {"issue": issue, "position": position})
    p.close()
    return path


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_defaults_are_rdnas_two_mode_matrix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = claims_project(tmp_path / "p.annot")
    out = tmp_path / "net.csv"
    code, said, err = run(capsys, "network", project, "-o", out)
    assert code == 0, err
    assert "4 statements (2 x 2)" in said  # the person is no organization
    assert out.read_text(encoding="utf-8").splitlines() == [
        '"";"coal";"wind"',
        '"Greens";1;1',
        '"Unions";1;1',
    ]


def test_one_mode_congruence_as_ucinet_dl(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = claims_project(tmp_path / "p.annot")
    out = tmp_path / "net.dl"
    code, _, err = run(capsys, "network", project, "--type", "onemode",
                       "--aggregation", "congruence", "-o", out)  # fmt: skip
    assert code == 0, err
    # Greens and Unions agree on wind only (coal: +1 against -1)
    assert out.read_text(encoding="utf-8").splitlines() == [
        "dl n = 2, format = fullmatrix", "labels:", '"Greens"', '"Unions"', "data:", " 0 1", " 1 0",
    ]  # fmt: skip


def test_conflict_normalised_as_graphml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = claims_project(tmp_path / "p.annot")
    out = tmp_path / "net.graphml"
    code, _, err = run(capsys, "network", project, "--type", "onemode", "--aggregation",
                       "conflict", "--normalization", "average", "-o", out)  # fmt: skip
    assert code == 0, err
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(out).getroot()
    names = [d.text for d in root.iterfind(".//g:node/g:data[@key='name']", ns)]
    assert names == ["Greens", "Unions"]
    frequencies = [d.text for d in root.iterfind(".//g:node/g:data[@key='frequency']", ns)]
    assert frequencies == ["2", "2"]  # each makes two claims
    variables = {d.text for d in root.iterfind(".//g:node/g:data[@key='variable']", ns)}
    assert variables == {"organization"}
    assert root.find("g:graph", ns).get("parse.edges") == "1"  # type: ignore[union-attr]
    colour = root.find(".//{http://www.yworks.com/xml/graphml}LineStyle")
    assert colour is not None and colour.get("color") == "#ff0000"  # conflict: red
    [edge] = root.iterfind(".//g:edge", ns)
    weight = edge.find("g:data[@key='weight']", ns)
    assert weight is not None and float(weight.text or "") == 0.5  # 1 / ((2 + 2) / 2)


def test_variables_exclusions_and_time_windows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = claims_project(tmp_path / "p.annot")
    out = tmp_path / "persons.csv"
    code, _, err = run(capsys, "network", project, "--variable1", "person", "-o", out)
    assert code == 0, err
    assert out.read_text(encoding="utf-8").splitlines() == ['"";"coal"', '"Mayor";1']
    out = tmp_path / "no-coal.csv"
    code, _, err = run(capsys, "network", project, "--exclude", "concept=coal", "-o", out)
    assert code == 0, err
    assert out.read_text(encoding="utf-8").splitlines()[0] == '"";"wind"'
    out = tmp_path / "window.csv"
    code, said, err = run(capsys, "network", project, "--time-window", "days",
                          "--window-size", "1", "-o", out)  # fmt: skip
    assert code == 0, err
    written = sorted(f.name for f in tmp_path.glob("window *.csv"))
    assert written == [
        "window 1 2024-03-01 00:00:00.csv",
        "window 2 2024-03-02 00:00:00.csv",
        "window 3 2024-03-03 00:00:00.csv",
    ]
    assert "3 networks" in said


@pytest.mark.parametrize(
    "args",
    [
        ("-o", "net.txt"),
        ("--type", "onemode", "--normalization", "activity", "-o", "net.csv"),
        ("--aggregation", "conflict", "-o", "net.csv"),
        ("--time-window", "days", "--window-size", "30", "-o", "net.csv"),
    ],
)
def test_bad_options_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    project = claims_project(tmp_path / "p.annot")
    code, _, err = run(
        capsys, "network", project, *(tmp_path / a if a.startswith("net.") else a for a in args)
    )
    assert code != 0
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not list(tmp_path.glob("net*"))


def test_combine_codes_are_dnas_even_when_nobody_agrees(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = Project.create(tmp_path / "p.annot", annotator="ann")
    text = "Unions reject coal."
    doc = p.add_document(text, "only against")
    claim = p.annotate(doc.id, 7, 18, "claim")
    mention = p.annotate(doc.id, 0, 6, "actor")
    p.link_actor(mention.id, "Unions", "organisation")
    p.relate(mention.id, claim.id, "claimant")
    p.set_attributes(claim.id, {"issue": "coal", "position": "-1"})
    p.close()
    out = tmp_path / "combine.csv"
    code, _, err = run(
        capsys, "network", tmp_path / "p.annot", "--aggregation", "combine", "-o", out
    )
    assert code == 0, err
    assert out.read_text(encoding="utf-8").splitlines()[1] == '"Unions";2'  # only disagreeing


def test_half_weights_are_written_as_halves(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Congruence between a neutral (0) and a +1 claim weighs 0.5 without normalisation:
    the CSV and DL matrices used to round it down to 0 (only GraphML kept it)."""
    path = tmp_path / "p.annot"
    p = Project.create(path, annotator="ann")
    for actor, position in (("Greens", "0"), ("Unions", "+1")):
        text = f"{actor} said something about coal."
        doc = p.add_document(text, actor)
        claim = p.annotate(doc.id, len(actor) + 1, len(text) - 1, "claim")
        mention = p.annotate(doc.id, 0, len(actor), "actor")
        p.link_actor(mention.id, actor, "organisation")
        p.relate(mention.id, claim.id, "claimant")
        p.set_attributes(claim.id, {"issue": "coal", "position": position})
    p.close()
    for suffix, expected in ((".csv", '"Greens";0.000000;0.500000'), (".dl", " 0.000000 0.500000")):
        out = tmp_path / f"net{suffix}"
        code, _, err = run(capsys, "network", path, "--type", "onemode",
                           "--aggregation", "congruence", "-o", out)  # fmt: skip
        assert code == 0, err
        assert expected in out.read_text(encoding="utf-8").splitlines()
