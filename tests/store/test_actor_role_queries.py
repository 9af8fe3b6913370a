"""The actor x label matrix by role (store/queries/actor_role_queries.py), on a real project file:
each role counts only its own links, "any" equals the statistics' actor x label, the
scope (document, coder) applies to both ends, a name is the canonical actor's."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.store import Project
from annotator.store.queries.actor_role_queries import ACTOR_ROLES, actor_label_matrix, row_ids
from annotator.store.queries.analysis_queries import project_stats

TEXT = "Paris asks Berlin. Berlin asks Rome about Oslo. Rome accuses Paris. Paris again."
#       0     6    11      19     26   31   36    42    48   53      61     68    74


def _cells(project: Project, role: str, **scope: object) -> dict[tuple[str, str], int]:
    matrix = actor_label_matrix(project, role, **scope)  # type: ignore[arg-type]
    return {
        (r, c): matrix.count(r, c)
        for r in matrix.rows
        for c in matrix.columns
        if matrix.count(r, c)
    }


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = Project.create(tmp_path / "roles.annot", annotator="ana")
    doc = project.add_document(TEXT, "One").id
    paris, berlin = project.annotate(doc, 0, 5, "actor"), project.annotate(doc, 11, 17, "actor")
    demand = project.annotate(doc, 6, 17, "demand")  # Paris asks Berlin
    project.relate(paris.id, demand.id, "claimant")
    project.relate(demand.id, berlin.id, "addressee")
    berlin2, rome = project.annotate(doc, 19, 25, "actor"), project.annotate(doc, 31, 35, "actor")
    oslo = project.annotate(doc, 42, 46, "actor")
    claim = project.annotate(doc, 26, 46, "claim")  # Berlin asks Rome about Oslo
    project.relate(berlin2.id, claim.id, "claimant")
    project.relate(claim.id, rome.id, "addressee")
    project.relate(claim.id, oslo.id, "object")
    project.link_actor(berlin.id, "Germany")  # two mentions, one canonical actor
    project.link_actor(berlin2.id, "Germany")
    rome2, paris2 = project.annotate(doc, 48, 52, "actor"), project.annotate(doc, 61, 66, "actor")
    paris3 = project.annotate(doc, 68, 73, "actor")
    allegation = project.annotate(doc, 53, 66, "allegation")  # Rome accuses Paris (Paris)
    project.relate(rome2.id, allegation.id, "claimant")
    project.relate(allegation.id, paris2.id, "accused")
    project.relate(allegation.id, paris3.id, "accused")  # the same actor twice: once
    return project


def test_each_role_counts_its_own_links(project: Project) -> None:
    assert _cells(project, "claimant") == {
        ("Paris", "demand"): 1,
        ("Germany", "claim"): 1,
        ("Rome", "allegation"): 1,
    }
    assert _cells(project, "addressee") == {("Germany", "demand"): 1, ("Rome", "claim"): 1}
    assert _cells(project, "object") == {("Oslo", "claim"): 1}
    assert _cells(project, "accused") == {("Paris", "allegation"): 1}
    assert _cells(project, "any") == {
        ("Paris", "demand"): 1,
        ("Paris", "allegation"): 1,
        ("Germany", "demand"): 1,
        ("Germany", "claim"): 1,
        ("Rome", "claim"): 1,
        ("Rome", "allegation"): 1,
        ("Oslo", "claim"): 1,
    }
    matrix = actor_label_matrix(project, "any")
    assert matrix.rows == ("Germany", "Paris", "Rome", "Oslo")  # most claims first
    assert matrix.columns == ("claim", "demand", "allegation")
    assert matrix.table()[0][0] == "actor (any role)"
    assert actor_label_matrix(project, "accused").table()[0][0] == "actor (accused)"
    assert len(row_ids(matrix, "Paris")) == 2


def test_any_role_is_the_statistics_actor_label(project: Project) -> None:
    assert ACTOR_ROLES[0] == "any"
    matrix = actor_label_matrix(project, "any")
    counts = {a: {k: matrix.count(a, k) for k in matrix.columns} for a in matrix.rows}
    assert counts == project_stats(project).actor_label
    one = project.documents()[0].id
    by_ana = actor_label_matrix(project, "any", one, "ana")
    counts = {a: {k: by_ana.count(a, k) for k in by_ana.columns} for a in by_ana.rows}
    assert counts == project_stats(project, one, "ana").actor_label


def test_the_drill_ids_are_the_claims_counted(project: Project) -> None:
    matrix = actor_label_matrix(project, "addressee")
    (demand,) = matrix.ids_of("Germany", "demand")
    assert project.annotation(demand).text == "asks Berlin"
    assert matrix.ids_of("Paris", "demand") == []  # Paris is the claimant, not addressee


def test_scope_by_document_and_coder(project: Project) -> None:
    other = project.add_document("Oslo asks Paris.", "Two").id
    oslo = project.annotate_many(other, [(0, 4, "actor", None)], annotator="bo")[0]
    demand = project.annotate_many(other, [(5, 15, "demand", None)], annotator="bo")[0]
    project.relate(oslo.id, demand.id, "claimant")
    assert _cells(project, "claimant", document=other) == {("Oslo", "demand"): 1}
    assert ("Oslo", "demand") not in _cells(project, "claimant", coder="ana")
    assert _cells(project, "claimant", coder="bo") == {("Oslo", "demand"): 1}
    assert _cells(project, "addressee", document=other) == {}


def test_an_unknown_role_is_one_line(project: Project) -> None:
    with pytest.raises(InputError, match="there is no role 'witness'"):
        actor_label_matrix(project, "witness")
