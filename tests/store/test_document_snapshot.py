"""Deleting a document and undoing it puts back every row with the same ids."""

from __future__ import annotations

from pathlib import Path

from annotator.store import Project
from annotator.store.documents.document_snapshot import delete_document, restore_document

TEXT = "France's Senate adopted a resolution calling for the release of detainees."

TABLES = (
    "documents", "document_info", "document_variables", "document_group_members",
    "annotations", "annotation_attributes", "relations", "actor_mentions",
)  # fmt: skip


def _dump(project: Project) -> dict[str, list[tuple[object, ...]]]:
    return {t: sorted(project.execute(f"SELECT * FROM {t}").fetchall()) for t in TABLES}


def _coded(path: Path) -> Project:
    project = Project.create(path)
    keep = project.add_document("Another text about the Senate.", "keep")
    doc = project.add_document(TEXT, "gone")
    actor = project.annotate(doc, 0, 15, "actor", note="the upper house")
    claim = project.annotate(doc, 16, 74, "claim")
    project.annotate(keep, 23, 29, "actor")
    project.relate(actor.id, claim.id, "claimant")
    project.set_attribute(claim.id, "position", "+1")
    project.link_actor(actor.id, "French Senate")
    project.variables.set(doc.id, "outlet", "Le Monde")
    project.groups.add("France", [doc.id, keep.id])
    project.set_document_info(doc.id, memo="front page")
    return project


def test_delete_then_restore_gives_back_exactly_the_same_rows(tmp_path: Path) -> None:
    with _coded(tmp_path / "p.annot") as project:
        before = _dump(project)
        snapshot = delete_document(project, 2)
        assert snapshot.annotations == 2 and snapshot.title == "gone"
        gone = _dump(project)
        assert [d.title for d in project.documents()] == ["keep"]
        assert len(gone["annotations"]) == 1 and gone["relations"] == []
        restore_document(project, snapshot)
        assert _dump(project) == before
        assert project.text(2) == TEXT
    with Project.open(tmp_path / "p.annot") as again:  # and it is in the file
        assert _dump(again) == before


def test_what_was_deleted_meanwhile_is_left_out_of_the_restore(tmp_path: Path) -> None:
    with _coded(tmp_path / "p.annot") as project:
        snapshot = delete_document(project, 2)
        project.variables.remove("outlet")
        project.groups.delete("France")
        restore_document(project, snapshot)
        assert project.variables.all() == {} and project.groups.all() == []
        assert len(project.annotations(2)) == 2
        assert project.document_info(2).memo == "front page"
