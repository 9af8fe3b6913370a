"""A project whose schema lost a column or a table is refused on one line, unchanged.

``PRAGMA integrity_check`` says "ok" for such a file: it checks pages and indexes,
not that the tables are the ones Annotator wrote. The files here are real projects
damaged as a flipped byte in ``sqlite_master`` or another program would damage them.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import ProjectError
from annotator.store import Project
from annotator.store.file.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from annotator.store.file.schema_shape import expected_shape, missing_parts
from tests.store.damage import flip_in_schema, integrity


def _project(tmp_path: Path) -> Path:
    path = tmp_path / "claims.annot"
    with Project.create(path, annotator="tester") as project:
        doc = project.add_document("The minister said the plan works.", "Minister")
        project.annotate(doc, 0, 12, "actor")
    return path


def _change(path: Path, *statements: str) -> None:
    """Run *statements* on the file as another program would, then check that SQLite
    still calls it whole."""
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    assert integrity(path) == "ok"


@pytest.fixture
def renamed(tmp_path: Path) -> Path:
    path = _project(tmp_path)
    flip_in_schema(path, "documents", b"title", b"tit1e")
    assert integrity(path) == "ok"  # SQLite sees nothing wrong
    return path


@pytest.mark.parametrize("read_only", [False, True])
def test_a_renamed_column_is_refused_naming_it(renamed: Path, read_only: bool) -> None:
    before = renamed.read_bytes()
    with pytest.raises(ProjectError) as caught:
        Project.open(renamed, read_only=read_only)
    message = str(caught.value)
    assert "\n" not in message
    assert "is damaged: its tables lack documents.title" in message
    assert f"file format {SCHEMA_VERSION}" in message and "was not changed" in message
    assert renamed.read_bytes() == before
    assert sorted(p.name for p in renamed.parent.iterdir()) == [renamed.name]


def test_the_cli_says_one_line_and_check_names_it(
    renamed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["list", str(renamed)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "lack documents.title" in err
    assert main(["check", str(renamed)]) == 1
    out, _ = capsys.readouterr()
    assert "integrity    ok" in out  # it was "all is well" before
    assert "schema       version 4, DAMAGED: lacks documents.title" in out
    assert "Annotator refuses to open it" in out and "all is well" not in out


def test_a_dropped_table_is_named(tmp_path: Path) -> None:
    path = _project(tmp_path)
    _change(path, "DROP TABLE relations", "ALTER TABLE labels DROP COLUMN description")
    with pytest.raises(ProjectError, match=r"lack table relations, labels\.description,"):
        Project.open(path)
    proc = subprocess.run(
        [sys.executable, "-m", "annotator", "list", str(path)], capture_output=True, text=True
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_every_file_format_as_written_has_its_whole_shape(tmp_path: Path, version: int) -> None:
    path = tmp_path / f"v{version}.annot"
    conn = sqlite3.connect(path)
    for migration in MIGRATIONS[:version]:
        migration(conn)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.commit()
    assert missing_parts(conn, version) == []
    assert ("documents", "title") in expected_shape(version)
    conn.close()
    with Project.open(path, read_only=True) as project:
        assert project.documents() == []
    with Project.open(path) as project:  # upgraded to this format on the way
        assert project.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_extra_tables_and_columns_are_no_damage(tmp_path: Path) -> None:
    path = _project(tmp_path)
    _change(
        path,
        "CREATE TABLE notes_of_another_tool (x)",
        "ALTER TABLE documents ADD COLUMN colour TEXT",
    )
    with Project.open(path) as project:
        assert [d.title for d in project.documents()] == ["Minister"]
