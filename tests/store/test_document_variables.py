"""Document variables, groups, memos and the label tree, as stored in a real project file."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from annotator.core.codebook import Codebook, Label, load_codebook
from annotator.core.errors import InputError
from annotator.core.variables import guess_type, normalise, parse_assignment
from annotator.store import Project
from annotator.store.file.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

TREE = """
name: Tree
labels:
  - key: actor
    colour: "#0072b2"
    children:
      - {key: person, colour: "#56b4e9", hotkey: p}
      - {key: party, colour: "#e69f00"}
  - {key: claim, colour: "#d55e00", hotkey: c, guid: 0E6A9D2C-1111-4A2B-9C3D-123456789ABC}
"""


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = Project.create(tmp_path / "p.annot", codebook=load_codebook(TREE))
    p.add_document("Le Monde wrote this.", "one")
    p.add_document("The Guardian wrote that.", "two")
    return p


def test_values_are_typed_kept_in_canonical_form_and_survive_reopening(
    project: Project, tmp_path: Path
) -> None:
    project.variables.set(1, "date", dt.date(2024, 3, 1))
    project.variables.set(1, "outlet", "Le Monde")
    project.variables.set(2, "outlet", "The Guardian")
    project.variables.set(2, "pages", "2.50", "number")
    project.variables.set(1, "front page", True)
    project.close()
    with Project.open(tmp_path / "p.annot") as again:
        assert again.variables.types() == {
            "date": "date",
            "outlet": "text",
            "pages": "number",
            "front page": "boolean",
        }
        assert again.variables.of(1) == {
            "date": "2024-03-01",
            "outlet": "Le Monde",
            "front page": "true",
        }
        assert again.variables.all()[2] == {"outlet": "The Guardian", "pages": "2.5"}


def test_a_value_that_does_not_fit_its_type_changes_nothing(project: Project) -> None:
    project.variables.set(1, "date", "2024-03-01")
    with pytest.raises(InputError, match="variable 'date' \\(date\\): 'soon' is no date"):
        project.variables.set_many([(2, "date", "2024-04-01"), (1, "date", "soon")])
    assert project.variables.all() == {1: {"date": "2024-03-01"}}
    with pytest.raises(InputError, match="cannot become number"):
        project.variables.define("date", "number")
    assert project.variables.types() == {"date": "date"}
    with pytest.raises(InputError, match="no document 9"):
        project.variables.set(9, "date", "2024-03-01")


def test_changing_a_type_rewrites_values_and_removing_a_value_or_variable(project: Project) -> None:
    project.variables.set_many([(1, "year", "2024"), (2, "year", "2023")], {"year": "text"})
    project.variables.define("year", "number")
    assert project.variables.all() == {1: {"year": "2024"}, 2: {"year": "2023"}}
    project.variables.set(1, "year", None)
    assert project.variables.of(1) == {}
    project.variables.rename("year", "Jahr")
    assert project.variables.of(2) == {"Jahr": "2023"}
    project.variables.remove("Jahr")
    assert project.variables.types() == {} and project.variables.all() == {}


def test_deleting_a_document_takes_its_variables_groups_and_memo(project: Project) -> None:
    project.variables.set(2, "outlet", "The Guardian")
    project.groups.add("UK", [2])
    project.set_document_info(2, memo="check the date")
    project.remove_document(2)
    assert project.variables.all() == {}
    assert project.groups.all()[0].document_ids == ()
    assert project.execute("SELECT count(*) FROM document_info").fetchone()[0] == 0


def test_groups_nest_hold_documents_and_refuse_loops(project: Project) -> None:
    project.groups.create("Press")
    project.groups.create("France", parent="Press")
    project.groups.add("France", [1])
    project.groups.add("Wave 1", [1, 2])
    assert project.groups.of(1) == ["France", "Wave 1"]
    groups = {g.name: g for g in project.groups.all()}
    assert groups["France"].parent == "Press" and groups["Wave 1"].document_ids == (1, 2)
    with pytest.raises(InputError, match="inside itself"):
        project.groups.move("Press", "France")
    project.groups.rename("Wave 1", "Wave one")
    project.groups.remove("Wave one", [2])
    assert project.groups.of(2) == []
    project.groups.delete("Press")  # and France under it
    assert [g.name for g in project.groups.all()] == ["Wave one"]
    with pytest.raises(InputError, match="no document group 'Press'"):
        project.groups.add("Wave one", [1]) or project.groups.delete("Press")


def test_memos_and_document_info(project: Project) -> None:
    project.set_memo("Claims on pensions, 2024.")
    project.set_document_info(1, memo="front page", url="https://example.org/a")
    project.set_document_info(1, guid="ABC")  # only the given field changes
    info = project.document_info(1)
    assert (info.memo, info.guid, info.url) == ("front page", "ABC", "https://example.org/a")
    assert project.memo == "Claims on pensions, 2024."
    with pytest.raises(InputError, match="no field 'colour'"):
        project.set_document_info(1, colour="red")


def test_the_label_tree_and_guids_are_stored(project: Project, tmp_path: Path) -> None:
    project.close()
    with Project.open(tmp_path / "p.annot") as again:
        book = again.codebook()
        assert [(lab.key, lab.parent) for lab in book.labels] == [
            ("actor", None),
            ("person", "actor"),
            ("party", "actor"),
            ("claim", None),
        ]
        assert book.label("claim").guid == "0E6A9D2C-1111-4A2B-9C3D-123456789ABC"
        added = again.merge_codebook(
            Codebook("import", (Label("mp", "MP", "#000000", parent="person"),))
        )
        assert added == ["label mp"]
        assert again.codebook().ancestors("mp") == ["person", "actor"]
        assert again.codebook().keys() == ["actor", "person", "mp", "party", "claim"]


def _format_2_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    for migration in MIGRATIONS[:2]:
        migration(conn)
    conn.execute("PRAGMA user_version = 2")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(
        "INSERT INTO labels(key, name, colour, position) VALUES ('claim', 'Claim', '#000000', 0)"
    )
    conn.execute(
        "INSERT INTO documents(title, sha256, length, imported_at, text) "
        "VALUES ('d', 'x', 4, '2024-01-01', 'text')"
    )
    conn.commit()
    conn.close()


def test_a_format_2_file_reads_read_only_unchanged_and_upgrades_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "v2.annot"
    _format_2_file(path)
    before = path.read_bytes()
    with Project.open(path, read_only=True) as old:
        assert old.codebook().keys() == ["claim"] and old.variables.all() == {}
        assert old.groups.all() == [] and old.document_info(1).memo == ""
    assert path.read_bytes() == before
    with Project.open(path) as project:
        assert project.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
        project.variables.set(1, "outlet", "Le Monde")
        assert project.variables.of(1) == {"outlet": "Le Monde"}


@pytest.mark.parametrize(
    ("kind", "value", "canonical"),
    [
        ("number", "3.0", "3"),
        ("number", 2.5, "2.5"),
        ("date", "2024-03-01T10:30:00+02:00", "2024-03-01T08:30:00Z"),
        ("date", dt.datetime(2024, 3, 1), "2024-03-01"),
        ("boolean", "Yes", "true"),
        ("text", "Le Monde", "Le Monde"),
    ],
)
def test_canonical_values(kind: str, value: object, canonical: str) -> None:
    assert normalise(kind, value) == canonical


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("number", "nan"),
        ("number", "1e999"),
        ("number", "1_000"),
        ("date", "2024-13-01"),
        ("boolean", "maybe"),
        ("text", "two\nlines"),
        ("colour", "red"),
    ],
)
def test_values_that_fit_no_type_are_one_line(kind: str, value: str) -> None:
    with pytest.raises(InputError) as caught:
        normalise(kind, value)
    assert "\n" not in str(caught.value)


def test_guessing_and_assignments() -> None:
    assert guess_type(["2024-03-01", "2023-12-31"]) == "date"
    assert guess_type(["3", "4.5"]) == "number"
    assert guess_type([True, False]) == "boolean"
    assert guess_type(["Le Monde", "3"]) == "text"
    assert parse_assignment(" outlet = Le Monde ") == ("outlet", "Le Monde")
    with pytest.raises(InputError, match="KEY=VALUE"):
        parse_assignment("outlet")
