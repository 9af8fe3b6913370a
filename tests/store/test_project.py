from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import InputError, ProjectError
from annotator.formats.registry import export_project
from annotator.store import Project
from annotator.store.file.schema import SCHEMA_VERSION
from tests.conftest import MIXED_TEXT


def test_create_uses_wal_foreign_keys_and_the_default_codebook(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annot") as project:
        assert project.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert project.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert [label.key for label in project.labels()] == [
            "claim",
            "demand",
            "actor",
            "allegation",
        ]
        assert project.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_create_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    path.write_text("mine")
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(path)
    assert path.read_text() == "mine"


def test_every_change_is_in_the_file_when_the_call_returns(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    project = Project.create(path, annotator="ana")
    doc = project.add_document("The Senate adopted it.", "doc")
    made = project.annotate(doc, 4, 10, "actor", note="upper house")
    # a second, independent connection sees it without any save or close
    other = sqlite3.connect(path)
    row = other.execute(
        'SELECT document, start, "end", text, label, note, annotator FROM annotations_flat'
    ).fetchone()
    other.close()
    assert row == ("doc", 4, 10, "Senate", "actor", "upper house", "ana")
    assert made.created == made.modified and made.created.endswith("+00:00")
    project.close()


def test_mixed_scripts_round_trip_through_close_reopen_and_csv(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    with Project.create(path) as project:
        doc = project.add_document(MIXED_TEXT, "mixed")
        text = project.text(doc)
        assert "\r" not in text and text == MIXED_TEXT.replace("\r\n", "\n")
        spans = [
            (i, min(len(text), i + w), "claim", None)
            for i in range(0, len(text) - 1, 3)
            for w in (1, 4, 9)
        ]
        project.annotate_many(doc, spans)
    with Project.open(path) as project:
        text = project.text(1)
        out = io.StringIO()
        export_project(project, "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert len(rows) == len(spans)
    for row in rows:
        assert row["text"].lstrip("'") == text[int(row["start"]) : int(row["end"])]


def test_offsets_out_of_range_and_unknown_labels_change_nothing(tmp_project: Project) -> None:
    doc = tmp_project.add_document("abc def", "d")
    for args in [
        (-1, 2, "claim"),
        (3, 3, "claim"),
        (2, 99, "claim"),
        (0, 2, "nope"),
        ("0", 2, "claim"),
    ]:
        with pytest.raises(InputError):
            tmp_project.annotate(doc, *args)  # type: ignore[arg-type]
    with pytest.raises(InputError):
        tmp_project.annotate_many(doc, [(0, 3, "claim", None), (0, 3, "bogus", None)])
    assert tmp_project.annotations() == []


def test_update_delete_and_restore_keep_ids_and_text_in_step(tmp_project: Project) -> None:
    doc = tmp_project.add_document("The National Assembly voted.", "d")
    a = tmp_project.annotate(doc, 4, 12, "actor")
    b = tmp_project.update_annotation(a.id, end=21, label="claim", note='two\nlines, "quoted"')
    assert (b.text, b.label, b.note) == ("National Assembly", "claim", 'two\nlines, "quoted"')
    c = tmp_project.update_annotation(a.id, start=0)
    assert c.text == "The National Assembly" and c.note == b.note
    tmp_project.set_attribute(a.id, "position", "+1")
    removed = tmp_project.delete_annotations([a.id])
    assert tmp_project.annotations() == []
    tmp_project.restore(removed)
    assert tmp_project.annotations() == [c]
    assert tmp_project.attributes(a.id) == {"position": "+1"}


def test_relations_and_attributes_are_checked_against_the_codebook(tmp_project: Project) -> None:
    doc = tmp_project.add_document("The Senate demands release now.", "d")
    actor = tmp_project.annotate(doc, 4, 10, "actor")
    demand = tmp_project.annotate(doc, 11, 30, "demand")
    rel = tmp_project.relate(actor.id, demand.id, "claimant")
    assert tmp_project.relations() == [rel]
    with pytest.raises(InputError, match="goes from"):
        tmp_project.relate(demand.id, actor.id, "claimant")
    with pytest.raises(InputError, match="not a choice"):
        tmp_project.set_attribute(demand.id, "position", "5")
    with pytest.raises(InputError, match="does not apply"):
        tmp_project.set_attribute(actor.id, "position", "+1")
    removed = tmp_project.delete_annotations([actor.id])
    assert tmp_project.relations() == []
    tmp_project.restore(removed)
    assert tmp_project.relations() == [rel]


def test_newer_schema_is_refused_and_the_file_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "new.annot"
    Project.create(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="newer version of Annotator"):
        Project.open(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "not an Annotator project"),
        (b"hello, this is text", "not an Annotator project"),
        (b"SQLite format 3\x00" + b"\x00" * 200, "damaged"),
    ],
)
def test_corrupt_or_foreign_files_give_a_clear_message(
    tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "bad.annot"
    path.write_bytes(content)
    with pytest.raises(ProjectError, match=words):
        Project.open(path)
    assert path.read_bytes() == content


def test_an_sqlite_file_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="not an Annotator project"):
        Project.open(path)


def test_a_damaged_page_in_a_real_project_gives_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    with Project.create(path) as project:
        project.add_document("x " * 50_000, "big")
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page
    path.write_bytes(bytes(data))
    with pytest.raises(ProjectError) as caught, Project.open(path) as project:
        project.documents()
        project.text(1)
    message = str(caught.value)
    assert message.startswith("p.annot is damaged") and "\n" not in message
    assert f"annotator backups {path}" in message


def test_annotator_name_defaults_to_the_os_user_and_is_a_setting(tmp_path: Path) -> None:
    import getpass

    with Project.create(tmp_path / "p.annot") as project:
        assert project.annotator == getpass.getuser()
        project.annotator = "Ana Analyst"
        doc = project.add_document("text here", "d")
        assert project.annotate(doc, 0, 4, "claim").annotator == "Ana Analyst"


def test_find_document_by_id_or_title(tmp_project: Project) -> None:
    a = tmp_project.add_document("one", "Same")
    tmp_project.add_document("two", "Other")
    assert tmp_project.find_document("1") == a
    assert tmp_project.find_document("Same") == a
    tmp_project.add_document("three", "Same")
    with pytest.raises(InputError, match="give an id"):
        tmp_project.find_document("Same")
    with pytest.raises(InputError, match="no document"):
        tmp_project.find_document("Missing")


def test_backup_to_makes_a_complete_copy(tmp_project: Project, tmp_path: Path) -> None:
    doc = tmp_project.add_document("The Senate", "d")
    tmp_project.annotate(doc, 4, 10, "actor")
    copy = tmp_project.backup_to(tmp_path / "copy.annot")
    with Project.open(copy) as other:
        assert [a.text for a in other.annotations()] == ["Senate"]


def test_merge_codebook_and_ensure_labels_add_only_what_is_missing(tmp_project: Project) -> None:
    from annotator.core.codebook import Codebook, Label

    added = tmp_project.merge_codebook(
        Codebook("x", (Label("claim", "C", "#000000"), Label("event", "Event", "#123456", "1")))
    )
    assert added == ["label event"]
    labels = {label.key: label for label in tmp_project.labels()}
    assert (
        labels["claim"].colour == "#0072b2" and labels["event"].hotkey is None
    )  # hotkey 1 is taken
    with pytest.raises(InputError):
        tmp_project.ensure_labels([" padded", "PER"])
    assert tmp_project.ensure_labels(["PER", "event", "Named entity"]) == ["PER", "Named entity"]
    colours = [label.colour for label in tmp_project.labels()]
    assert len(colours) == len(set(colours)) == 7


def test_merged_labels_never_bring_a_hotkey_the_window_cannot_tell_apart(
    tmp_project: Project,
) -> None:
    from annotator.core.codebook import Codebook, Label

    tmp_project.merge_codebook(Codebook("x", (Label("event", "Event", "#123456", "a"),)))
    added = tmp_project.merge_codebook(
        Codebook(
            "y",
            (
                Label("Event2", "Other", "#654321", "A"),  # the same key as a for the window
                Label("place", "Place", "#222222", "b"),
            ),
        )
    )
    assert added == ["label Event2", "label place"]
    hotkeys = {label.key: label.hotkey for label in tmp_project.labels()}
    assert hotkeys["event"] == "a" and hotkeys["Event2"] is None and hotkeys["place"] == "b"
