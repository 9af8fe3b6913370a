"""Hostile inputs not covered elsewhere (docs/hostile-inputs.md lists them all).

Format-generic cases run over every registered reader and importer, so a format
added later is checked too: empty and huge files, XML bombs and external entities in
every XML-based format, zip entries that escape in every zip-based format. Then
offsets out of range in annotated files, a wrong encoding, and project paths that are
not project files.
"""

from __future__ import annotations

import io
import re
import sqlite3
import time
import zipfile
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError, FormatError, InputError, ProjectError
from annotator.formats.registry import IMPORTERS, READERS, import_paths, load_formats
from annotator.store import Project
from tests.formats.test_fuzz import FORMATS, Seed, check_message, project_state, seed_for

load_formats()

BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(2, 10))
    + '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
)
EXTERNAL = '<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
XML_NAMES = re.compile(r"\.(xml|qde|qdc|opf|xhtml|rels)$", re.IGNORECASE)


def _ext(kind: str, name: str) -> str:
    fmt = READERS[name] if kind == "reader" else IMPORTERS[name]
    return fmt.extensions[0]


def refused(project: Project, path: Path, fmt: str) -> str:
    """Import *path*; it must fail with a one-line AnnotatorError and change nothing."""
    before = project_state(project)
    with pytest.raises(AnnotatorError) as caught:
        import_paths(project, [path], fmt)
    check_message(caught.value)
    assert project_state(project) == before
    return str(caught.value)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = Project.create(tmp_path / "target.annot", annotator="tester")
    p.add_document("Already here.", "existing")
    yield p  # type: ignore[misc]
    p.close()


# -- every format -----------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "name"), FORMATS, ids=[f"{k}-{n}" for k, n in FORMATS])
def test_empty_file(kind: str, name: str, project: Project, tmp_path: Path) -> None:
    path = tmp_path / f"empty{_ext(kind, name)}"
    path.write_bytes(b"")
    refused(project, path, name)


@pytest.mark.parametrize(("kind", "name"), FORMATS, ids=[f"{k}-{n}" for k, n in FORMATS])
def test_huge_file_is_refused_in_bounded_time(
    kind: str, name: str, project: Project, tmp_path: Path
) -> None:
    path = tmp_path / f"huge{_ext(kind, name)}"
    with path.open("wb") as fh:
        fh.truncate(201 * 2**20)  # sparse: costs no disk
    started = time.monotonic()
    refused(project, path, name)
    assert time.monotonic() - started < 30


def _xml_members(seed: Seed) -> list[tuple[str, str | None]]:
    """(file, zip member or None) of every XML part of a seed."""
    out: list[tuple[str, str | None]] = []
    for rel, data in seed.files.items():
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                out += [(rel, n) for n in zf.namelist() if XML_NAMES.search(n)]
        elif data.lstrip(b"\xef\xbb\xbf").lstrip()[:5] == b"<?xml":
            out.append((rel, None))
    return out


def _with_doctype(xml: bytes, doctype: str) -> bytes:
    end = xml.find(b"?>") + 2 if xml.lstrip().startswith(b"<?xml") else 0
    return xml[:end] + doctype.encode() + xml[end:]


def _inject(seed: Seed, rel: str, member: str | None, doctype: str) -> dict[str, bytes]:
    files = dict(seed.files)
    if member is None:
        files[rel] = _with_doctype(files[rel], doctype)
        return files
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(files[rel])) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, _with_doctype(data, doctype) if info.filename == member else data)
    files[rel] = out.getvalue()
    return files


def _write(folder: Path, files: dict[str, bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)


@pytest.mark.parametrize(("kind", "name"), FORMATS, ids=[f"{k}-{n}" for k, n in FORMATS])
@pytest.mark.parametrize("doctype", [BILLION_LAUGHS, EXTERNAL], ids=["bomb", "external"])
def test_xml_entities_are_refused_in_every_xml_part(
    kind: str, name: str, doctype: str, project: Project, tmp_path: Path
) -> None:
    seed = seed_for(kind, name, tmp_path)
    parts = _xml_members(seed) if seed else []
    if seed is None or not parts:
        pytest.skip(f"{name} is not an XML-based format")
    refusals = 0
    for n, (rel, member) in enumerate(parts):
        folder = tmp_path / f"case{n}"
        _write(folder, _inject(seed, rel, member, doctype))
        before = project_state(project)
        known = {d.id for d in project.documents()}
        started = time.monotonic()
        try:
            import_paths(project, [folder / seed.target], name)
        except AnnotatorError as exc:
            check_message(exc)
            assert "entities" in str(exc) or "DTD" in str(exc), str(exc)
            assert project_state(project) == before
            refusals += 1
        else:  # a part the format does not parse as XML: its entities stay inert text
            for doc in project.documents():
                if doc.id not in known:
                    text = project.text(doc)
                    assert "lollol" not in text and "root:" not in text
        assert time.monotonic() - started < 5
    assert refusals, f"no XML part of {name} is parsed with entities refused"


@pytest.mark.parametrize(("kind", "name"), FORMATS, ids=[f"{k}-{n}" for k, n in FORMATS])
@pytest.mark.parametrize(
    "entry", ["../../escaped.txt", "/tmp/absolute-escape.txt", "a/../../up.txt"]
)
def test_zip_entries_that_escape_are_refused(
    kind: str, name: str, entry: str, project: Project, tmp_path: Path
) -> None:
    seed = seed_for(kind, name, tmp_path)
    if seed is None or seed.files[seed.target][:2] != b"PK":
        pytest.skip(f"{name} is not a zip-based format")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(seed.files[seed.target])) as src,
        zipfile.ZipFile(out, "w") as dst,
    ):
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr(entry, b"written outside")
    folder = tmp_path / "deep" / "er"
    _write(folder, {**seed.files, seed.target: out.getvalue()})
    message = refused(project, folder / seed.target, name)
    assert "leaves" in message or "outside" in message, message
    assert not (tmp_path / "escaped.txt").exists() and not (tmp_path / "deep" / "up.txt").exists()


# -- annotated files whose offsets or labels do not fit ------------------------------------


def test_brat_offsets_out_of_range(project: Project, tmp_path: Path) -> None:
    if "brat" not in IMPORTERS:
        pytest.skip("no brat importer")
    (tmp_path / "doc.txt").write_text("Short text.\n", "utf-8")
    ann = tmp_path / "doc.ann"
    for line in ("T1\tclaim 0 999\tShort", "T1\tclaim -1 3\tSho", "T1\tclaim 5 2\tx"):
        ann.write_text(line + "\n", "utf-8")
        refused(project, ann, "brat")


def test_doccano_offsets_out_of_range(project: Project, tmp_path: Path) -> None:
    if "doccano" not in IMPORTERS:
        pytest.skip("no doccano importer")
    path = tmp_path / "data.jsonl"
    for spans in ('[[0, 999, "claim"]]', '[[-3, 2, "claim"]]', '[[4, 2, "claim"]]'):
        path.write_text('{"text": "Short text.", "label": ' + spans + "}\n", "utf-8")
        refused(project, path, "doccano")


def test_offsets_out_of_range_through_the_api(project: Project) -> None:
    doc = project.documents()[0]
    for start, end in ((0, 999), (-1, 3), (5, 2), (3, 3), (True, 4), (0.5, 4), ("0", 4)):
        with pytest.raises(InputError) as caught:
            project.annotate(doc, start, end, "claim")  # type: ignore[arg-type]
        check_message(caught.value)
    with pytest.raises(InputError, match="there is no label 'nope'"):
        project.annotate(doc, 0, 3, "nope")
    assert project.annotations() == []


# -- wrong encodings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\xef\xbb\xbfGood start \xff\xfe\xfd then broken", "not valid utf-8"),
        (b"\xff\xfeA\x00B\x00\x00\xd8", "not valid utf-16-le"),
        (b"\x00\x00\xfe\xff\x00\x00\x00A\xff\xff\xff\xff", "not valid utf-32-be"),
        (bytes(range(1, 32)) * 40, "binary"),
    ],
    ids=["utf8-bom-broken", "utf16-lone-surrogate", "utf32-out-of-range", "control-bytes"],
)
def test_text_in_a_wrong_encoding(
    data: bytes, words: str, project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "wrong.txt"
    path.write_bytes(data)
    message = refused(project, path, "text")
    assert words in message


# -- project paths that are not project files -----------------------------------------------


def test_project_path_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="is a folder, not a project file"):
        Project.open(tmp_path)


def test_project_in_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="does not exist"):
        Project.create(tmp_path / "missing" / "new.annot")
    with pytest.raises(ProjectError, match="there is no project"):
        Project.open(tmp_path / "missing" / "old.annot")


def test_truncated_project_file(tmp_path: Path) -> None:
    path = tmp_path / "cut.annot"
    with Project.create(path) as p:
        p.add_document("Some text " * 5000, "doc")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ProjectError) as caught, Project.open(path, read_only=True) as p:
        p.text(1)
        p.execute("PRAGMA integrity_check").fetchall()
        raise ProjectError("opened")  # a truncated file may open; reading must tell
    check_message(caught.value)


def test_annotator_sqlite_with_foreign_application_id(tmp_path: Path) -> None:
    path = tmp_path / "foreign.annot"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE annotations(x)")
    conn.execute("PRAGMA application_id = 1234")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="not an Annotator project"):
        Project.open(path)


def test_lock_file_that_is_a_folder(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    Project.create(path).close()
    (tmp_path / ".~p.annot.lock").mkdir()
    with pytest.raises(ProjectError) as caught:
        Project.open(path)
    check_message(caught.value)
    with Project.open(path, read_only=True) as p:
        assert p.documents() == []


def test_import_of_a_folder_or_missing_file(project: Project, tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="there is no file"):
        import_paths(project, [tmp_path / "nope.txt"])
    (tmp_path / "empty-folder").mkdir()
    with pytest.raises(FormatError):
        import_paths(project, [tmp_path / "empty-folder"])


# -- damage inside the data (the header and schema are fine) ---------------------------------


def _damage_data_pages(path: Path) -> None:
    """Overwrite the last pages (the newest annotation rows) with garbage."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")  # fold the WAL in: one file to damage
    conn.close()
    data = bytearray(path.read_bytes())
    pages = len(data) // 4096
    for page in range(pages - 3, pages):
        data[page * 4096 + 8 : (page + 1) * 4096] = b"\xa5" * (4096 - 8)
    path.write_bytes(bytes(data))


def _damaged_project(tmp_path: Path) -> Path:
    path = tmp_path / "hurt.annot"
    with Project.create(path, annotator="tester") as p:
        doc = p.add_document("Some text " * 5000, "doc")
        p.annotate_many(doc, [(i, i + 4, "claim", "n" * 50) for i in range(300)])
    return path


def test_damage_found_while_reading_is_one_line_in_the_cli(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = _damaged_project(tmp_path)
    _damage_data_pages(path)
    for command in ("list", "export"):
        run = subprocess.run(
            [sys.executable, "-m", "annotator", command, str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert run.returncode == 2, run.stderr
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and "hurt.annot is damaged" in lines[0], run.stderr
        assert "annotator backups" in lines[0]


def test_damaged_project_is_not_opened_for_writing_nor_backed_up(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from annotator.store.file.backup import list_backups, take_backup
    from annotator.store.file.lock import lock_path

    path = _damaged_project(tmp_path)
    conn = sqlite3.connect(path)
    good = take_backup(conn, path, datetime.now(UTC) - timedelta(days=3))  # a new one is due
    conn.close()
    _damage_data_pages(path)
    with pytest.raises(ProjectError) as caught:
        Project.open(path)
    check_message(caught.value)
    assert "is damaged" in str(caught.value)
    assert not lock_path(path).exists()
    assert [b.path for b in list_backups(path)] == [good.path]  # no damaged copy
    assert good.annotations == 300
