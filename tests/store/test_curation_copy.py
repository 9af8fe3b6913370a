"""store.team.curation_copy and store.team.curation_marks on real project files."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import ProjectError
from annotator.store import Project
from annotator.store.team.curation_copy import Copied, copy_structure, copy_uuid
from annotator.store.team.curation_marks import SETTING, rejected, set_rejected

TEXT = "The Senate rejected the budget cuts on Monday."


def coded(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    """Ana's actor -claimant-> claim, with a note, attributes and an actor link."""
    path = tmp_path / "p.annot"
    with Project.create(path, annotator="Ana") as project:
        doc = project.add_document(TEXT, "t").id
        actor, claim = project.annotate_many(
            doc, [(4, 10, "actor", None), (24, 35, "claim", "a firm no")]
        )
        project.set_attributes(claim.id, {"position": "-1", "issue": "budget"})
        project.link_actor(actor.id, "Senate", "organisation")
        project.relate(actor.id, claim.id, "claimant")
    return path, {"actor": actor.id, "claim": claim.id, "doc": doc}


def accept(project: Project, source: int, curator: str = "curation") -> tuple[int, Copied]:
    a = project.annotation(source)
    (made,) = project.annotate_many(
        a.document_id, [(a.start, a.end, a.label, None)], annotator=curator
    )
    return made.id, copy_structure(project, curator, [(source, made.id)])


def test_a_copy_gets_note_attributes_actor_link_uuid_and_the_relation_once_both_are_curated(
    tmp_path: Path,
) -> None:
    path, ids = coded(tmp_path)
    with Project.open(path) as project:
        claim, copied = accept(project, ids["claim"])
        assert copied == Copied(notes=1, attributes=2, actor_links=0, relations=0)
        assert project.annotation(claim).note == "a firm no"
        assert project.attributes(claim) == {"issue": "budget", "position": "-1"}
        source_uuid = project.annotation(ids["claim"]).uuid
        assert source_uuid is not None
        assert project.annotation(claim).uuid == copy_uuid(source_uuid, "curation")
        actor, copied = accept(project, ids["actor"])
        assert copied == Copied(notes=0, attributes=0, actor_links=1, relations=1)
        assert project.actor_of(actor) == project.actor_of(ids["actor"])
        (relation,) = project.relations_of(claim)
        assert (relation.type, relation.from_id, relation.to_id) == ("claimant", actor, claim)
        assert relation.annotator == "curation"
        # accepting the same pair again adds no second relation
        assert copy_structure(project, "curation", [(ids["actor"], actor)]).relations == 0


def test_a_relation_that_no_longer_fits_the_relabelled_end_is_left_out(tmp_path: Path) -> None:
    path, ids = coded(tmp_path)
    with Project.open(path) as project:
        claim, _ = accept(project, ids["claim"])
        project.update_annotation(claim, label="allegation")  # claimant still fits
        project.update_annotation(claim, label="actor")  # actor -claimant-> actor does not
        _actor, copied = accept(project, ids["actor"])
        assert (copied.relations, copied.relations_not_fitting) == (0, 1)
        assert project.relations_of(claim) == []


def test_another_curated_layer_has_its_own_copies(tmp_path: Path) -> None:
    path, ids = coded(tmp_path)
    with Project.open(path) as project:
        accept(project, ids["claim"], "gold")
        _actor, copied = accept(project, ids["actor"], "curation")  # "curation" has no claim
        assert copied.relations == 0
        _claim, copied = accept(project, ids["claim"], "curation")
        assert copied.relations == 1
        assert len(project.relations()) == 2  # Ana's and curation's, not gold's


def test_a_copy_still_there_keeps_its_uuid_and_the_new_one_gets_its_own(tmp_path: Path) -> None:
    path, ids = coded(tmp_path)
    with Project.open(path) as project:
        first, _ = accept(project, ids["claim"])
        second, _ = accept(project, ids["claim"])
        uuids = [project.annotation(i).uuid for i in (first, second)]
        assert uuids[0] != uuids[1]
        assert uuids[0] == copy_uuid(project.annotation(ids["claim"]).uuid or "", "curation")


def test_rejection_marks_round_trip_per_document_and_layer(tmp_path: Path) -> None:
    path, ids = coded(tmp_path)
    with Project.open(path) as project:
        assert set_rejected(project, ids["doc"], "curation", (4, 10), True) is False
        assert set_rejected(project, ids["doc"], "curation", (4, 10), True) is True
        set_rejected(project, ids["doc"], "gold", (24, 35), True)
    with Project.open(path) as project:
        assert rejected(project, ids["doc"], "curation") == {(4, 10)}
        assert rejected(project, ids["doc"], "gold") == {(24, 35)}
        assert set_rejected(project, ids["doc"], "curation", (4, 10), False) is True
        set_rejected(project, ids["doc"], "gold", (24, 35), False)
        assert rejected(project, ids["doc"], "curation") == set()
        assert project.setting(SETTING) == "{}"


@pytest.mark.parametrize("raw", ["not json", "[]", '{"1:x": []}', '{"1:x": {"c": [[1]]}}'])
def test_unreadable_rejection_marks_are_one_line_and_not_overwritten(
    tmp_path: Path, raw: str
) -> None:
    path, ids = coded(tmp_path)
    with Project.open(path) as project:
        project.set_setting(SETTING, raw)
        with pytest.raises(ProjectError, match=r"rejection marks in p\.annot are unreadable"):
            set_rejected(project, ids["doc"], "curation", (4, 10), True)
        assert project.setting(SETTING) == raw
