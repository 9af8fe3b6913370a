"""A QualCoder project opened directly (issue 12 item 10).

The fixture is a QualCoder project as QualCoder makes it: a folder ``NAME.qda`` with
``data.qda``, whose tables are created with the statements of QualCoder's
``__main__.py`` (``create_project``, database v9+), and rows as its coding dialog writes
them: ``pos0``/``pos1`` from its editor (``QPlainTextEdit``, so UTF-16 units), ``seltext``
from ``selectedText()`` (a paragraph break is U+2029), dates ``%Y-%m-%d %H:%M:%S`` local
time without a zone; ``code_cat.supercatid`` nests categories, ``code_name.catid``
puts a code in one, ``code_name.supercid`` under another code.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import FormatError
from annotator.formats.registry import detect, import_paths
from annotator.store import Project

# The CREATE TABLE statements of QualCoder's create_project (the tables it reads).
QUALCODER_SCHEMA = """
CREATE TABLE project (databaseversion text, date text, memo text,about text, bookmarkfile integer,
 bookmarkpos integer, codername text, recently_used_codes text, avbookmarkfile integer,
 avbookmarkmsec integer, avbookmarktextpos integer);
CREATE TABLE source (id integer primary key, name text, fulltext text, mediapath text, memo text,
 owner text, date text, av_text_id integer, risid integer, unique(name));
CREATE TABLE code_image (imid integer primary key,id integer,x1 integer, y1 integer, width integer,
 height integer, cid integer, memo text, date text, owner text, important integer, pdf_page integer);
CREATE TABLE code_av (avid integer primary key,id integer,pos0 integer, pos1 integer, cid integer,
 memo text, date text, owner text, important integer);
CREATE TABLE annotation (anid integer primary key, fid integer,pos0 integer, pos1 integer, memo text,
 owner text, date text, unique(fid,pos0,pos1,owner));
CREATE TABLE attribute_type (name text primary key, date text, owner text, memo text, caseOrFile text,
 valuetype text);
CREATE TABLE attribute (attrid integer primary key, name text, attr_type text, value text, id integer,
 date text, owner text, unique(name,attr_type,id));
CREATE TABLE case_text (id integer primary key, caseid integer, fid integer, pos0 integer, pos1 integer,
 owner text, date text, memo text);
CREATE TABLE cases (caseid integer primary key, name text, memo text, owner text,date text,
 constraint ucm unique(name));
CREATE TABLE code_cat (catid integer primary key, name text, owner text, date text, memo text,
 supercatid integer, unique(name));
CREATE TABLE code_text (ctid integer primary key, cid integer, fid integer,seltext text, pos0 integer,
 pos1 integer, owner text, date text, memo text, avid integer, important integer,
 unique(cid,fid,pos0,pos1, owner));
CREATE TABLE code_name (cid integer primary key, name text, memo text, catid integer, owner text,
 date text, color text, supercid integer, unique(name));
CREATE TABLE journal (jid integer primary key, name text, jentry text, date text, owner text,
 unique(name));
"""

INTERVIEW = (
    "Interview with A 🎙️\n"
    "A: The rent went up 📈 again this year.\n"
    "A: My family 👩‍👩‍👧 moved to Գյումրի.\n"
    "A: Jobs are scarce; prices too.\n"
)
# pasted from a Windows text: CRLF kept in fulltext, the editor counts each line end once
PASTED = "Note 1\r\nThe factory 🏭 closed.\r\nWorkers left.\r\n"


def u16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def _coding(
    ctid: int, cid: int, fid: int, text: str, seltext: str, *, owner: str, important: int = 0
) -> tuple[object, ...]:
    start = text.index(seltext.replace("\u2029", "\n"))
    end = start + len(seltext)
    return (ctid, cid, fid, seltext, u16(text, start), u16(text, end), owner,
            f"2024-02-0{ctid} 14:3{ctid}:00", f"memo {ctid}" if ctid % 2 else "", None, important)  # fmt: skip


def make_qualcoder_project(folder: Path) -> Path:
    project = folder / "study.qda"
    for sub in ("", "images", "audio", "video", "documents"):
        (project / sub).mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(project / "data.qda")
    conn.executescript(QUALCODER_SCHEMA)
    conn.execute(
        "INSERT INTO project(databaseversion, date, memo, about, codername) VALUES "
        "('v9', '2024-02-01 09:00:00', 'Housing study, wave 2', 'QualCoder 3.6', 'ana')"
    )
    conn.executemany(
        "INSERT INTO source(id, name, fulltext, mediapath, memo, owner, date) VALUES "
        "(?, ?, ?, ?, ?, ?, ?)",
        [
            (
                1,
                "interview_a.txt",
                INTERVIEW,
                None,
                "first interview",
                "ana",
                "2024-02-01 09:10:00",
            ),
            (2, "pasted.txt", PASTED, None, "", "ana", "2024-02-01 09:20:00"),
            (3, "photo.jpg", None, "/images/photo.jpg", "", "ana", "2024-02-01 09:30:00"),
        ],
    )
    conn.executemany(
        "INSERT INTO code_cat(catid, name, owner, date, memo, supercatid) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (1, "Themes", "ana", "2024-02-01 09:00:00", "top category", None),
            (2, "Economy", "ana", "2024-02-01 09:00:00", "", 1),
        ],
    )
    conn.executemany(
        "INSERT INTO code_name(cid, name, memo, catid, owner, date, color, supercid) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (1, "Jobs", "work and pay", 2, "ana", "2024-02-01 09:00:00", "#EB7333", None),
            (2, "Prices", "", 2, "ana", "2024-02-01 09:00:00", "#5F8DD3", None),
            (3, "Rent", "", None, "ana", "2024-02-01 09:00:00", "#AA0000", 2),
            (4, "Family", "", None, "ana", "2024-02-01 09:00:00", "#00AA00", None),
        ],
    )
    family = "My family 👩‍👩‍👧 moved to Գյումրի.\u2029A: Jobs"  # across a paragraph break
    rows = [
        _coding(1, 3, 1, INTERVIEW, "rent went up 📈 again", owner="ana"),
        _coding(2, 4, 1, INTERVIEW, family, owner="bo", important=1),
        _coding(3, 1, 1, INTERVIEW, "Jobs are scarce", owner="ana"),
        _coding(4, 2, 1, INTERVIEW, "prices too", owner="bo"),
    ]
    # the auto-coder adds an emoji's code-point length its own way: off by a few
    auto = INTERVIEW.index("moved to")
    rows.append((5, 4, 1, "moved to", auto + 9, auto + 17, "ana", "2024-02-05 10:00:00", "",
                 None, 0))  # fmt: skip
    rows.append((6, 2, 1, "not in the text", 3, 9, "ana", "2024-02-06 10:00:00", "", None, 0))
    lf = PASTED.replace("\r\n", "\n")
    start = lf.index("The factory")
    end = start + len("The factory 🏭 closed")
    rows.append((7, 1, 2, "The factory 🏭 closed", u16(lf, start), u16(lf, end),
                 "ana", "2024-02-07 10:00:00", "", None, 0))  # fmt: skip
    conn.executemany("INSERT INTO code_text VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute(
        "INSERT INTO cases(caseid, name, memo, owner, date) VALUES (1, 'A', '', 'ana', '')"
    )
    conn.execute(
        "INSERT INTO case_text(caseid, fid, pos0, pos1, owner, date) VALUES (1, 1, 0, 80, 'ana', '')"
    )
    conn.executemany(
        "INSERT INTO attribute_type(name, date, owner, memo, caseOrFile, valuetype) "
        "VALUES (?, '', 'ana', '', ?, ?)",
        [("age", "case", "numeric"), ("tenure", "case", "character"),
         ("interviewer", "file", "character")],
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO attribute(name, attr_type, value, id, date, owner) VALUES (?, ?, ?, ?, '', 'ana')",
        [("age", "case", "34", 1), ("tenure", "case", "renter", 1),
         ("interviewer", "file", "Ana", 1), ("interviewer", "file", "Bo", 2)],
    )  # fmt: skip
    conn.execute("INSERT INTO journal(name, jentry, date, owner) VALUES ('j', 'x', '', 'ana')")
    conn.execute(
        "INSERT INTO annotation(fid, pos0, pos1, memo, owner, date) VALUES (1, 0, 4, 'a', 'ana', '')"
    )
    conn.commit()
    conn.close()
    return project


def test_a_qualcoder_project_comes_in_whole(tmp_project: Project, tmp_path: Path) -> None:
    folder = make_qualcoder_project(tmp_path)
    assert detect(folder) == ("importer", "qualcoder")
    assert detect(folder / "data.qda") == ("importer", "qualcoder")
    report = import_paths(tmp_project, [folder])
    one, two = tmp_project.documents()
    assert (one.title, two.title) == ("interview_a.txt", "pasted.txt")
    assert tmp_project.text(two) == PASTED.replace("\r\n", "\n")
    got = [
        (a.text, a.label, a.note, a.annotator, a.created)
        for a in sorted(tmp_project.annotations(one), key=lambda a: (a.start, a.label))
    ]
    assert got == [
        ("rent went up 📈 again", "rent", "memo 1", "ana", "2024-02-01T14:31:00+00:00"),
        ("My family 👩‍👩‍👧 moved to Գյումրի.\nA: Jobs", "family", None, "bo",
         "2024-02-02T14:32:00+00:00"),
        ("moved to", "family", None, "ana", "2024-02-05T10:00:00+00:00"),
        ("Jobs are scarce", "jobs", "memo 3", "ana", "2024-02-03T14:33:00+00:00"),
        ("prices too", "prices", None, "bo", "2024-02-04T14:34:00+00:00"),
    ]  # fmt: skip
    (factory,) = tmp_project.annotations(two)
    assert factory.text == "The factory 🏭 closed"
    book = tmp_project.codebook()
    tree = {label.key: label.parent for label in book.labels if label.key in
            ("themes", "economy", "jobs", "prices", "rent", "family")}  # fmt: skip
    assert tree == {
        "themes": None,
        "economy": "themes",
        "jobs": "economy",
        "prices": "economy",
        "rent": "prices",
        "family": None,
    }
    jobs = book.label("jobs")
    assert jobs is not None and (jobs.colour, jobs.description) == ("#eb7333", "work and pay")
    assert tmp_project.variables.types() == {
        "interviewer": "text",
        "age": "number",
        "tenure": "text",
    }
    assert tmp_project.variables.of(one.id) == {
        "interviewer": "Ana",
        "age": "34",
        "tenure": "renter",
    }
    assert tmp_project.variables.of(two.id) == {"interviewer": "Bo"}
    assert [(g.name, g.document_ids) for g in tmp_project.groups.all()] == [("A", (one.id,))]
    assert tmp_project.document_info(one.id).memo == "first interview"
    assert tmp_project.memo == "Housing study, wave 2"
    assert report.dropped["coding whose stored text is not in its source"] == 1
    assert report.dropped["picture, audio or video source"] == 1
    assert report.dropped["journal"] == 1
    assert report.dropped["important mark"] == 1
    (positions,) = [a for a in report.assumed if a.startswith("QualCoder positions")]
    assert "4 read as UTF-16 units, CRLF counted as two characters (its editor's)" in positions
    assert "1 read as UTF-16 units, CRLF counted as one character (its editor's)" in positions
    assert "1 found by their text near the stored position" in positions


def test_cli_imports_the_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_qualcoder_project(tmp_path)
    target = tmp_path / "p.annot"
    assert main(["new", str(target)]) == 0
    assert main(["import", str(target), str(folder)]) == 0
    captured = capsys.readouterr()
    assert "imported study.qda as document 1 'interview_a.txt'" in captured.out
    assert "QualCoder positions checked" in captured.err
    with Project.open(target) as project:
        assert len(project.annotations()) == 6


def _unchanged(project: Project, path: Path) -> str:
    before = (project.documents(), project.codebook(), project.variables.all())
    with pytest.raises(FormatError) as caught:
        import_paths(project, [path], "qualcoder")
    assert (project.documents(), project.codebook(), project.variables.all()) == before
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_what_is_not_a_qualcoder_project_is_refused(
    sample_project: Project, tmp_path: Path
) -> None:
    (tmp_path / "empty.qda").mkdir()
    assert "without data.qda" in _unchanged(sample_project, tmp_path / "empty.qda")
    (tmp_path / "text.qda").write_text("not a database at all, just words" * 20)
    assert "not a readable QualCoder database" in _unchanged(sample_project, tmp_path / "text.qda")
    other = tmp_path / "other.qda"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    assert "not a QualCoder project (it has no table source)" in _unchanged(sample_project, other)
    folder = make_qualcoder_project(tmp_path / "bad")
    conn = sqlite3.connect(folder / "data.qda")
    conn.execute("UPDATE code_text SET pos0 = 'x' WHERE ctid = 1")
    conn.commit()
    conn.close()
    assert "holds a bad value" in _unchanged(sample_project, folder)


def test_the_qualcoder_file_is_not_changed(tmp_project: Project, tmp_path: Path) -> None:
    folder = make_qualcoder_project(tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    import_paths(tmp_project, [folder])
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before
