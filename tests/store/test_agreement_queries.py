"""The reads behind ``annotator agree`` on real project files (issue 11, item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.agreement.report import agreement_report
from annotator.core.agreement.units import ClaimCoding, CodedSpan
from annotator.core.errors import InputError
from annotator.store import Project
from annotator.store.queries.agreement_queries import agreement_input
from annotator.store.team.merge import handout, merge_files

TEXT = "France's Senate adopted a resolution calling for the release of detainees.\n"
OTHER = "Azerbaijan rejected the resolution.\n"


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """Ana and Ben coded the first document; only Ana the second; nobody the third."""
    path = tmp_path / "study.annot"
    with Project.create(path, annotator="lead") as p:
        first = p.add_document(TEXT, "Senate").id
        second = p.add_document(OTHER, "Baku").id
        p.add_document("Nothing coded here.\n", "Empty")
        ana = p.annotate_many(
            first, [(0, 15, "actor", None), (26, 74, "demand", None)], annotator="Ana"
        )
        ben = p.annotate_many(
            first, [(9, 15, "actor", None), (26, 74, "claim", None)], annotator="Ben"
        )
        p.annotate_many(second, [(0, 10, "actor", None)], annotator="Ana")
        p.relate(ana[0].id, ana[1].id, "claimant")
        p.link_actor(ana[0].id, "French Senate")
        p.relate(ben[0].id, ben[1].id, "claimant")  # a mention without a canonical actor
        p.set_attributes(ana[1].id, {"position": "+1", "issue": "detainees"})
        p.set_attributes(ben[1].id, {"position": "0"})
    return path


def test_spans_coded_documents_and_claims(study: Path) -> None:
    with Project.open(study, read_only=True) as project:
        data = agreement_input(project)
    assert data.coders == ("Ana", "Ben")  # "lead" made no annotation
    assert data.labels == ("claim", "demand", "actor", "allegation")
    titles = {1: ("Senate", len(TEXT)), 2: ("Baku", len(OTHER)), 3: ("Empty", 20)}
    assert dict(data.documents) == titles
    assert data.coded == {1: frozenset({"Ana", "Ben"}), 2: frozenset({"Ana"})}
    assert data.shared() == [1]
    assert sorted(data.spans) == [
        CodedSpan(1, 1, 0, 15, "actor", "Ana"),
        CodedSpan(2, 1, 26, 74, "demand", "Ana"),
        CodedSpan(3, 1, 9, 15, "actor", "Ben"),
        CodedSpan(4, 1, 26, 74, "claim", "Ben"),
        CodedSpan(5, 2, 0, 10, "actor", "Ana"),
    ]
    assert data.claim_labels == ("claim", "demand", "allegation")
    assert data.claims == {
        2: ClaimCoding(("French Senate",), (), "+1", "detainees"),
        4: ClaimCoding(("Senate",), (), "0", ""),
    }
    assert data.position_order == ("-1", "0", "+1")


def test_filters(study: Path) -> None:
    with Project.open(study, read_only=True) as project:
        data = agreement_input(project, coders=["Ben", "Ana"], labels=["actor"], documents=["Baku"])
    assert data.coders == ("Ben", "Ana") and data.labels == ("actor",)
    assert dict(data.documents) == {2: ("Baku", len(OTHER))}
    assert data.spans == [CodedSpan(5, 2, 0, 10, "actor", "Ana")]
    assert data.shared() == [] and data.claims == {}  # no claim label chosen
    with Project.open(study, read_only=True) as project:
        data = agreement_input(project, labels=["actor"], documents=["1"])
    # a document is shared when each coder annotated it, whatever the labels chosen
    assert data.coded == {1: frozenset({"Ana", "Ben"})} and data.shared() == [1]
    assert [s.label for s in data.spans] == ["actor", "actor"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"coders": ["Ana", "Cem"]}, "unknown coder 'Cem' in study.annot: its coders are Ana, Ben"),
        ({"coders": ["Ana"]}, "at least two coders with annotations; study.annot has only Ana"),
        ({"coders": ["Ana", " Ana "]}, "has only Ana"),
        ({"labels": ["stance"]}, "unknown label 'stance': the codebook of study.annot has claim"),
        ({"documents": ["Nope"]}, "there is no document 'Nope' in study.annot"),
    ],
)
def test_mistakes_are_one_line(study: Path, kwargs: dict[str, list[str]], message: str) -> None:
    with Project.open(study, read_only=True) as project, pytest.raises(InputError) as caught:
        agreement_input(project, **kwargs)  # type: ignore[arg-type]
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_one_coder_only(tmp_path: Path) -> None:
    with Project.create(tmp_path / "solo.annot", annotator="Ana") as project:
        project.annotate(project.add_document(TEXT, "t"), 0, 6, "actor")
        with pytest.raises(InputError, match=r"solo\.annot has only Ana"):
            agreement_input(project)


def test_blind_mode_is_refused(study: Path) -> None:
    with Project.open(study) as project:
        project.coders.set_blind(True)
        with pytest.raises(InputError, match="blind mode"):
            agreement_input(project)


def test_handout_code_merge_then_agree(tmp_path: Path) -> None:
    lead = tmp_path / "lead.annot"
    with Project.create(lead, annotator="lead") as project:
        project.add_document(TEXT, "Senate")
        project.add_document(OTHER, "Baku")
    out = tmp_path / "out"
    out.mkdir()
    with Project.open(lead, read_only=True) as project:
        ana, ben, cem = handout(project, ["Ana", "Ben", "Cem"], out)
    coded = {
        ana: [(1, 0, 15, "actor"), (1, 26, 74, "demand"), (2, 0, 10, "actor")],
        ben: [(1, 0, 15, "actor"), (1, 26, 74, "demand"), (2, 0, 10, "actor")],
        cem: [(1, 0, 15, "actor"), (1, 26, 74, "claim"), (2, 24, 34, "claim")],
    }
    for path, rows in coded.items():
        with Project.open(path) as copy:
            for doc, start, end, label in rows:
                copy.annotate(doc, start, end, label)
    with Project.open(lead) as project:
        merge_files(project, [ana, ben, cem])
        merge_files(project, [ana, ben, cem])  # twice changes nothing
        data = agreement_input(project)
    assert data.coders == ("Ana", "Ben", "Cem")
    assert len(data.spans) == 9 and data.shared() == [1, 2]
    report = agreement_report(data)
    exact = [f for f in report.select("spans-exact", scope="pooled") if f.agreement.measure == "F1"]
    assert [(f.coders, f.agreement.value) for f in exact] == [
        (("Ana", "Ben"), 1.0),
        (("Ana", "Cem"), pytest.approx(2 * 1 / 6)),
        (("Ben", "Cem"), pytest.approx(2 * 1 / 6)),
    ]
    # units: actor x3, demand/demand/claim, and in Baku actor (Ana, Ben) apart from claim (Cem)
    fleiss = next(f for f in report.figures if f.agreement.measure == "Fleiss' kappa")
    assert fleiss.agreement.n == 2  # the units all three marked
    assert report.units == 4


def test_every_coder_read_once_equals_naming_them(study: Path) -> None:
    """With no choice made, the coders come from the one read of the spans: the same
    data as naming every coder with annotations (also "bob" before "Cem", by name)."""
    with Project.open(study) as project:
        first = project.documents()[0].id
        project.annotate_many(first, [(0, 6, "actor", None)], annotator="Cem")
        project.annotate_many(first, [(0, 6, "actor", None)], annotator="bob")
    with Project.open(study, read_only=True) as project:
        everyone = agreement_input(project)
        named = agreement_input(project, coders=["Ana", "Ben", "bob", "Cem"])
    assert everyone.coders == ("Ana", "Ben", "bob", "Cem")
    assert everyone == named
