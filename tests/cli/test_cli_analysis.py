"""relate, set, actor, actors, merge-actors and stats, driven as a user would.

The acceptance test builds the claim structure of the sample article with the CLI and
checks that the claims and network exports hold exactly what was built: the expected
rows are computed from the test's own record of the commands it ran.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store import Project
from tests.formats.test_claims_network import (
    DISPLACEMENT,
    HEADER,
    PRESSURE,
    RELEASE,
    expected_networks,
    read_csv,
    read_graphml,
)

SAMPLE = Path(__file__).resolve().parents[2] / "resources/samples/france-armenia-resolution.txt"


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys: pytest.CaptureFixture[str], *args: str | Path) -> str:
    code, out, err = run(capsys, *args)
    assert code == 0, err
    return out


@dataclass
class Built:
    """What the test did, as the analyst sees it."""

    path: Path
    text: str
    spans: dict[str, tuple[int, str, int, int]] = field(default_factory=dict)  # id,label,s,e
    names: dict[str, str] = field(default_factory=dict)  # span -> canonical actor name
    roles: list[tuple[str, str, str]] = field(default_factory=list)  # (claim, role, actor span)
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)

    def id(self, span: str) -> str:
        return str(self.spans[span][0])

    def name(self, span: str) -> str:
        _, _, start, end = self.spans[span]
        return self.names.get(span, self.text[start:end])

    def rows(self) -> list[dict[str, str]]:
        out = []
        for span, (ann_id, label, start, end) in self.spans.items():
            if label == "actor":
                continue
            row = {
                "document": "france-armenia-resolution",
                "document_id": "1",
                "annotation_id": str(ann_id),
                "start": str(start),
                "end": str(end),
                "text": self.text[start:end],
                "label": label,
            }
            for role in ("claimant", "addressee", "object", "accused"):
                actors = sorted(
                    (self.spans[a][2], self.name(a))
                    for c, r, a in self.roles
                    if c == span and r == role
                )
                row[role] = "; ".join(dict.fromkeys(name for _, name in actors))
            row["note"] = ""  # the claims table's note column (none are made here)
            for key in ("position", "issue", "form"):
                row[key] = self.attributes.get(span, {}).get(key, "")
            out.append(row)
        return out


def build(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Built:
    path = tmp_path / "claims.annot"
    ok(capsys, "new", path)
    ok(capsys, "import", path, SAMPLE)
    built = Built(path, SAMPLE.read_text("utf-8"))

    def mark(span: str, needle: str, label: str, occurrence: int = 1, *attrs: str) -> None:
        extra = [x for a in attrs for x in ("--attribute", a)]
        out = ok(capsys, "annotate", path, "--document", "1", "--match", needle,
                 "--occurrence", str(occurrence), "--label", label, *extra)  # fmt: skip
        at = -1
        for _ in range(occurrence):
            at = built.text.index(needle, at + 1)
        built.spans[span] = (int(out.strip()), label, at, at + len(needle))
        for a in attrs:
            key, _, value = a.partition("=")
            built.attributes.setdefault(span, {})[key] = value

    def actor(span: str, name: str, *type_: str) -> str:
        built.names[span] = name
        return ok(capsys, "actor", path, built.id(span), "--name", name, *type_).strip()

    def relate(source: str, target: str, role: str) -> None:
        out = ok(capsys, "relate", path, built.id(source), built.id(target), "--type", role)
        assert out.strip().isdigit()
        claim, other = (target, source) if role == "claimant" else (source, target)
        built.roles.append((claim, role, other))

    mark("senate", "France’s Senate", "actor")
    mark("assembly", "National Assembly", "actor")
    mark("assembly2", "National Assembly", "actor", 2)
    mark("government", "the French government", "actor")
    mark("azerbaijan", "Azerbaijan", "actor")
    mark("lawmakers", "Lawmakers", "actor")
    mark("release", RELEASE, "demand", 1, "position=+1", "issue=release of detainees")
    mark("pressure", PRESSURE, "demand")
    mark("displacement", DISPLACEMENT, "allegation")
    mark("support", "strong support for ongoing peace efforts", "claim")
    senate = actor("senate", "French Senate", "--type", "organisation")
    assembly = actor("assembly", "French National Assembly", "--type", "organisation")
    assert actor("assembly2", "French National Assembly") == assembly != senate
    actor("government", "Government of France", "--type", "state")
    actor("azerbaijan", "Azerbaijan", "--type", "state")
    relate("senate", "release", "claimant")
    relate("assembly", "release", "claimant")
    relate("assembly2", "pressure", "claimant")
    relate("pressure", "government", "addressee")
    relate("lawmakers", "displacement", "claimant")
    relate("displacement", "azerbaijan", "accused")
    relate("assembly2", "support", "claimant")
    relate("support", "azerbaijan", "object")
    for span, attrs in (
        ("pressure", ("position=+1", "issue=release of detainees")),
        ("support", ("position=+1", "issue=peace process", "form=statement")),
    ):
        out = ok(
            capsys, "set", path, built.id(span), *[x for a in attrs for x in ("--attribute", a)]
        )
        assert set(out.splitlines()) == set(attrs)
        for a in attrs:
            key, _, value = a.partition("=")
            built.attributes.setdefault(span, {})[key] = value
    return built


def test_acceptance_sample_article(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    built = build(capsys, tmp_path)
    want = built.rows()
    # claims on standard output and in a file
    out = ok(capsys, "export", built.path, "--format", "claims")
    streamed = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    ok(capsys, "export", built.path, "--format", "claims", "-o", tmp_path / "claims.csv")
    written = read_csv(tmp_path / "claims.csv")
    key = lambda r: int(r["annotation_id"])  # noqa: E731
    assert list(written[0]) == HEADER
    assert sorted(written, key=key) == sorted(want, key=key) == sorted(streamed, key=key)
    rows = {r["text"]: r for r in written}
    assert rows[RELEASE]["claimant"] == "French Senate; French National Assembly"
    assert rows[PRESSURE]["addressee"] == "Government of France"
    assert rows[DISPLACEMENT]["accused"] == "Azerbaijan"

    code, _, err = run(
        capsys, "export", built.path, "--format", "network", "-o", tmp_path / "n.graphml"
    )
    assert code == 0, err
    two, one = expected_networks(want)
    nodes, edges = read_graphml(tmp_path / "n.graphml")
    assert {(e["source"], e["target"]): float(e["weight"]) for e in edges} == {
        (f"actor:{a}", f"issue:{i}"): float(n) for (a, i), (n, _) in two.items()
    }
    assert two == {
        ("French Senate", "release of detainees"): (1, ["+1"]),
        ("French National Assembly", "release of detainees"): (2, ["+1", "+1"]),
        ("French National Assembly", "peace process"): (1, ["+1"]),
    }
    assert {n: d["type"] for n, d in nodes.items()} == {
        "actor:French Senate": "actor",
        "actor:French National Assembly": "actor",
        "issue:release of detainees": "issue",
        "issue:peace process": "issue",
    }
    assert nodes["actor:French Senate"]["actor_type"] == "organisation"
    actor_nodes, actor_edges = read_graphml(tmp_path / "n-actors.graphml")
    assert set(actor_nodes) == {"actor:French Senate", "actor:French National Assembly"}
    assert {
        (e["source"][6:], e["target"][6:]): (float(e["weight"]), e["shared"]) for e in actor_edges
    } == one
    # DNA's congruence: the Senate's claim on release with each of the Assembly's two
    assert one == {("French National Assembly", "French Senate"): (2.0, "release of detainees (2)")}
    # the allegation has no issue in this codebook, so the export says what it left out
    assert "claim without an issue or a claimant" in err
    assert {(r["Source"], r["Target"]) for r in read_csv(tmp_path / "n-edges.csv")} == set(two)


def test_relation_refused_when_ends_do_not_fit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    built = build(capsys, tmp_path)
    before = built.path.read_bytes()
    for args in (
        (built.id("release"), built.id("senate"), "--type", "claimant"),  # wrong direction
        (built.id("senate"), built.id("government"), "--type", "addressee"),
        (built.id("senate"), built.id("release"), "--type", "likes"),
        (built.id("senate"), built.id("release"), "--type", "claimant"),  # already linked
        (built.id("senate"), "9999", "--type", "claimant"),
    ):
        code, out, err = run(capsys, "relate", built.path, *args)
        assert code == 2 and out == ""
        assert err.startswith("annotator: error: ") and err.count("\n") == 1
    code, _, err = run(capsys, "relate", built.path, built.id("release"), built.id("senate"),
                       "--type", "claimant")  # fmt: skip
    assert "goes from actor to claim or demand or allegation, not from demand to actor" in err
    with Project.open(built.path, read_only=True) as project:
        assert len(project.relations()) == len(built.roles)
    assert built.path.read_bytes() == before


def test_attribute_refused_when_not_a_choice(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    built = build(capsys, tmp_path)
    for attrs, message in (
        (["position=2"], "'2' is not a choice of position (choices: -1, 0, +1)"),
        (["position=-1", "form=riot"], "'riot' is not a choice of form"),
        (["colour=red"], "there is no attribute 'colour'"),
        (["position"], "--attribute takes KEY=VALUE"),
    ):
        args = [x for a in attrs for x in ("--attribute", a)]
        code, _, err = run(capsys, "set", built.path, built.id("support"), *args)
        assert code == 2 and message in err and err.count("\n") == 1
    code, _, err = run(
        capsys, "set", built.path, built.id("displacement"), "--attribute", "position=+1"
    )
    assert code == 2 and "does not apply to allegation" in err
    with Project.open(built.path, read_only=True) as project:
        assert project.attributes(int(built.id("support"))) == built.attributes["support"]
    # KEY= removes an attribute
    out = ok(capsys, "set", built.path, built.id("support"), "--attribute", "form=")
    assert "form=" not in out and "position=+1" in out


def test_actor_and_merge(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    built = build(capsys, tmp_path)
    # a second spelling of the Senate, then merged into the first
    ok(capsys, "annotate", built.path, "--document", "1", "--match", "Senate", "--occurrence", "1",
       "--label", "actor")  # fmt: skip
    with Project.open(built.path, read_only=True) as project:
        newest = max(a.id for a in project.annotations(label="actor"))
    gone = ok(capsys, "actor", built.path, str(newest), "--name", "Sénat").strip()
    keep = ok(capsys, "actor", built.path, built.id("senate"), "--name", "French Senate").strip()
    listing = ok(capsys, "actors", built.path).splitlines()
    assert listing[0].split() == ["id", "name", "type", "mentions"]
    counts = {line[4:].rsplit(None, 2)[0].strip(): line.split()[-1] for line in listing[1:]}
    assert counts == {
        "Azerbaijan": "1",
        "French National Assembly": "2",
        "French Senate": "1",
        "Government of France": "1",
        "Sénat": "1",
    }
    out = ok(capsys, "merge-actors", built.path, keep, gone)
    assert (
        out.strip() == f"merged 'Sénat' ({gone}) into 'French Senate' ({keep}): 1 mention(s) moved"
    )
    with Project.open(built.path, read_only=True) as project:
        assert [a.name for a in project.actors()].count("Sénat") == 0
        assert len(project.mentions(int(keep))) == 2
    listing = ok(capsys, "actors", built.path)
    assert "Sénat" not in listing
    code, _, err = run(capsys, "merge-actors", built.path, keep, gone)
    assert code == 2 and f"there is no actor {gone}" in err
    code, _, err = run(capsys, "actor", built.path, built.id("release"), "--name", "X")
    assert code == 2 and "is a demand, not an actor" in err
    code, _, err = run(
        capsys, "actor", built.path, built.id("senate"), "--name", "X", "--type", "god"
    )
    assert code == 2 and "an actor's type is one of" in err


def test_stats_equal_independent_counts(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    built = build(capsys, tmp_path)
    data = json.loads(ok(capsys, "stats", built.path, "--json", "--top", "0"))
    labels = Counter(label for _, label, _, _ in built.spans.values())
    assert data["per_label"] == {
        k: labels.get(k, 0) for k in ("claim", "demand", "actor", "allegation")
    }
    assert data["annotations"] == len(built.spans)
    assert data["claims"] == len(built.spans) - labels["actor"]
    assert data["relations"] == len(built.roles)
    assert data["actors"] == len(set(built.names.values()))
    assert data["per_document"] == [
        {"id": 1, "title": "france-armenia-resolution", "per_label": data["per_label"],
         "total": len(built.spans)}
    ]  # fmt: skip
    made = Counter()
    for claim in {c for c, _, _ in built.roles}:
        made.update({built.name(a) for c, r, a in built.roles if c == claim and r == "claimant"})
    assert {d["actor"]: d["claims"] for d in data["claims_by_actor"]} == dict(made)
    mentions = Counter(
        built.name(s) for s, (_, label, _, _) in built.spans.items() if label == "actor"
    )
    assert {d["actor"]: d["mentions"] for d in data["mentions_by_actor"]} == dict(mentions)
    ranks = [d["claims"] for d in data["claims_by_actor"]]
    assert ranks == sorted(ranks, reverse=True)
    involved: dict[str, Counter[str]] = {}
    for claim in {c for c, _, _ in built.roles}:
        for name in {built.name(a) for c, _, a in built.roles if c == claim}:
            involved.setdefault(name, Counter())[built.spans[claim][1]] += 1
    assert {a: {k: v for k, v in m.items() if v} for a, m in data["actor_label"].items()} == {
        a: dict(c) for a, c in involved.items()
    }
    assert data["actor_roles"]["Azerbaijan"] == {
        "claimant": 0,
        "addressee": 0,
        "object": 1,
        "accused": 1,
    }

    text = ok(capsys, "stats", built.path)
    assert text.splitlines()[0] == (
        f"{len(built.spans)} annotations, {data['claims']} claims, "
        f"{len(built.roles)} relations, {data['actors']} actors"
    )
    assert "French National Assembly" in text and "Actors by mentions" in text
    top = json.loads(ok(capsys, "stats", built.path, "--json", "--top", "1"))
    assert top["claims_by_actor"] == data["claims_by_actor"][:1]
    code, _, err = run(capsys, "stats", built.path, "--top", "-1")
    assert code == 2 and err.count("\n") == 1


def test_stats_of_an_empty_project(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "empty.annot"
    ok(capsys, "new", path)
    data = json.loads(ok(capsys, "stats", path, "--json"))
    assert data["annotations"] == 0 and data["claims_by_actor"] == []
    assert "(none)" in ok(capsys, "stats", path)
    assert "no actors yet" in ok(capsys, "actors", path)
    code, _, err = run(capsys, "stats", tmp_path / "missing.annot")
    assert code == 2 and err.count("\n") == 1
