"""Several coders, one corpus: stable ids (schema 2), hand-out and merge of real files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.core.codebook import Codebook, Label, default_codebook
from annotator.core.errors import InputError
from annotator.store import Project
from annotator.store.file.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from annotator.store.team.merge import BLIND_SETTING, handout, merge_files

TEXT = "France's Senate adopted a resolution. The Assembly called for the release of detainees.\n"
OTHER = "Azerbaijan rejected the resolution as interference.\n"
TABLES = ("documents", "annotations", "annotation_attributes", "relations", "actors",
          "actor_mentions", "labels")  # fmt: skip


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


@pytest.fixture
def lead(tmp_path: Path) -> Path:
    path = tmp_path / "study.annot"
    with Project.create(path, annotator="lead") as project:
        project.add_document(TEXT, "Senate")
        project.add_document(OTHER, "Baku")
    return path


def code(path: Path, spans: list[tuple[int, int, int, str]]) -> None:
    with Project.open(path) as project:
        for doc, start, end, label in spans:
            project.annotate(doc, start, end, label)


def test_new_annotations_get_a_stable_uuid_kept_by_undo_and_copies(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annot") as project:
        doc = project.add_document(TEXT, "d")
        made = project.annotate(doc, 0, 15, "actor")
        assert made.uuid is not None and len(made.uuid) == 32 and int(made.uuid, 16) >= 0
        assert project.annotation(made.id).uuid == made.uuid
        removed = project.delete_annotations([made.id])
        project.restore(removed)
        assert project.annotation(made.id).uuid == made.uuid
        copy = project.backup_to(tmp_path / "copy.annot")
    with Project.open(copy, read_only=True) as other:
        assert [a.uuid for a in other.annotations()] == [made.uuid]


def test_a_file_of_format_1_gets_uuids_when_upgraded_and_reads_without(tmp_path: Path) -> None:
    path = tmp_path / "old.annot"
    with Project.create(path) as project:
        doc = project.add_document(TEXT, "d")
        project.annotate(doc, 0, 15, "actor")
        project.annotate(doc, 16, 21, "claim")
    # rebuild the same content as a format-1 file, as version 0.1 wrote it
    old = tmp_path / "v1.annot"
    conn = sqlite3.connect(old)
    MIGRATIONS[0](conn)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("ATTACH ? AS new", (str(path),))
    for table in ("meta", "attribute_types", "relation_types", "documents"):
        conn.execute(f"INSERT INTO {table} SELECT * FROM new.{table}")
    conn.execute(
        "INSERT INTO labels SELECT id, key, name, colour, hotkey, description, position "
        "FROM new.labels"
    )
    conn.execute(
        'INSERT INTO annotations SELECT id, document_id, start, "end", text, label_id, note, '
        "annotator, created, modified FROM new.annotations"
    )
    conn.commit()
    conn.execute("DETACH new")
    conn.close()
    with Project.open(old, read_only=True) as project:
        assert [a.uuid for a in project.annotations()] == [None, None]
    with Project.open(old) as project:
        assert project.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        uuids = [a.uuid for a in project.annotations()]
        assert all(u and len(u) == 32 for u in uuids) and len(set(uuids)) == 2
        view = project.execute("SELECT uuid FROM annotations_flat ORDER BY annotation_id")
        assert [r[0] for r in view] == uuids


def test_handout_gives_each_coder_a_blind_empty_copy(lead: Path, tmp_path: Path) -> None:
    code(lead, [(1, 0, 15, "actor")])
    out = tmp_path / "out"
    out.mkdir()
    with Project.open(lead) as project:
        files = handout(project, ["Ana", "Ben Ö"], out)
        docs = [(d.sha256, d.title) for d in project.documents()]
        labels = project.labels()
    assert [f.name for f in files] == ["study-Ana.annot", "study-Ben-Ö.annot"]
    for path, coder in zip(files, ["Ana", "Ben Ö"], strict=True):
        with Project.open(path, read_only=True) as copy:
            assert [(d.sha256, d.title) for d in copy.documents()] == docs
            assert copy.labels() == labels and copy.annotations() == []
            assert copy.annotator == coder and copy.setting(BLIND_SETTING) == "1"
    with Project.open(lead) as project, pytest.raises(InputError, match="already exists"):
        handout(project, ["Ana"], out)


def test_merge_brings_every_coder_and_twice_changes_nothing(lead: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with Project.open(lead) as project:
        ana, ben = handout(project, ["Ana", "Ben"], out)
    with Project.open(ana) as project:
        actor = project.annotate(1, 0, 15, "actor", note="upper house")
        claim = project.annotate(1, 16, 36, "claim")
        project.set_attributes(claim.id, {"position": "+1", "issue": "Artsakh"})
        project.relate(actor.id, claim.id, "claimant")
        project.link_actor(actor.id, "French Senate", "organisation")
    code(ben, [(1, 0, 15, "actor"), (2, 0, 10, "actor")])
    with Project.open(lead) as project:
        reports = merge_files(project, [ana, ben])
        assert [r.annotations_added for r in reports] == [2, 2]
        assert [r.coders for r in reports] == [["Ana"], ["Ben"]]
        assert reports[0].documents_matched == 2 and reports[0].documents_added == 0
        assert (reports[0].attributes_added, reports[0].relations_added) == (2, 1)
        assert reports[0].actor_links_added == 1
        merged = project.annotations()
        assert sorted({a.annotator for a in merged}) == ["Ana", "Ben"]
        by_note = [a for a in merged if a.note == "upper house"]
        assert len(by_note) == 1 and by_note[0].annotator == "Ana"
        claim_here = next(a for a in merged if a.label == "claim")
        assert project.attributes(claim_here.id) == {"position": "+1", "issue": "Artsakh"}
        assert [r.type for r in project.relations_of(claim_here.id)] == ["claimant"]
        actor_here = project.actor_of(by_note[0].id)
        assert actor_here is not None and actor_here.name == "French Senate"
    before = counts(lead)
    with Project.open(lead) as project:
        again = merge_files(project, [ana, ben])
    assert [r.annotations_added for r in again] == [0, 0]
    assert [r.annotations_present for r in again] == [2, 2]
    assert counts(lead) == before


def test_a_document_with_the_same_title_but_another_text_is_reported(
    lead: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.annot"
    with Project.create(other, annotator="Cem") as project:
        doc = project.add_document(TEXT.replace("Senate", "senate"), "Senate")
        project.annotate(doc, 0, 15, "actor")
    with Project.open(lead) as project:
        (report,) = merge_files(project, [other])
        assert report.documents_added == 1 and report.documents_matched == 0
        assert len(report.conflicts) == 1 and "has the title of document 1" in report.conflicts[0]
        assert [d.title for d in project.documents()] == ["Senate", "Baku", "Senate"]
        assert project.annotations()[0].document_id == 3


def test_a_codebook_conflict_refuses_the_merge_unless_mapped(lead: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.annot"
    labels = tuple(
        Label(lab.key, "Statement" if lab.key == "claim" else lab.name, lab.colour, lab.hotkey,
              lab.description)
        for lab in default_codebook().labels
    )  # fmt: skip
    book = default_codebook()
    with Project.create(
        other, Codebook(book.name, labels, book.attributes, book.relations), annotator="Cem"
    ) as project:
        project.add_document(TEXT, "Senate")
        project.annotate(1, 16, 36, "claim")
    before = counts(lead)
    with Project.open(lead) as project:
        with pytest.raises(InputError, match="label 'claim' is defined differently"):
            merge_files(project, [other])
        assert counts(lead) == before
        (report,) = merge_files(project, [other], label_map={"claim": "demand"})
        assert report.annotations_added == 1
        assert [a.label for a in project.annotations()] == ["demand"]


def test_merging_a_project_into_itself_is_refused(lead: Path) -> None:
    with Project.open(lead) as project, pytest.raises(InputError, match="being merged into"):
        merge_files(project, [lead])


def test_coders_are_listed_with_counts_and_blind_mode_is_a_setting(lead: Path) -> None:
    with Project.open(lead) as project:
        assert project.coders.chosen() == "lead"
        project.annotate(1, 0, 15, "actor")
        project.coders.set_current("Ana")
        project.annotate(1, 16, 36, "claim")
        project.annotate(2, 0, 10, "actor")
        assert [(c.name, c.annotations, c.current) for c in project.coders.all()] == [
            ("Ana", 2, True),
            ("lead", 1, False),
        ]
        assert project.coders.only() is None
        project.coders.set_blind(True)
    with Project.open(lead, read_only=True) as project:
        assert project.coders.blind and project.coders.only() == "Ana"
        with pytest.raises(InputError, match="read-only"):
            project.coders.set_blind(False)
    with Project.open(lead) as project, pytest.raises(InputError, match="cannot be empty"):
        project.coders.set_current("  ")
