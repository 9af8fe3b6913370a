"""Hostile values inside exchange files (issue 10, items 7 and 12, the formats' side).

Lone surrogate escapes, JSON nested past the recursion limit, integers of 5,000 digits
and numbers past SQLite's 2**63 - 1: each is the format's one-line error naming the file
and the line, and the project is unchanged. brat: duplicated ids, offsets that only
``int()`` takes, long titles of emoji, the export folder's mode. A full disk on XLSX
export, on a real 1 MB tmpfs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core.codebook import load_codebook
from annotator.core.errors import AnnotatorError, CodebookError
from annotator.formats import jsonl
from annotator.formats.brat import MAX_NAME_BYTES, cut_utf8, safe_title
from annotator.formats.registry import export_project, import_paths
from annotator.store import Project
from tests.strategies import snapshot

TEXT = "Paris said yes. Berlin said no.\n"


def state(project: Project) -> tuple[object, ...]:
    return snapshot(project), project.codebook().to_dict(), len(project.documents())


def refused(project: Project, path: Path, fmt: str | None = None) -> str:
    """The one-line message of importing *path*; the project must be unchanged."""
    before = state(project)
    with pytest.raises(AnnotatorError) as caught:
        import_paths(project, [path], fmt)
    assert state(project) == before
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    return message


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    with Project.create(tmp_path / "p.annot", annotator="tester") as p:
        yield p


# -- JSON: Label Studio, doccano, JSONL ------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000
LONG = "9" * 5000


def labelstudio(value: str) -> str:
    """A Label Studio file on several lines; *value* is on line 4."""
    return (
        "[\n"
        ' {"data": {"text": "Paris said yes."},\n'
        '  "annotations": [{"result": [\n'
        f'   {{"id": "r1", "meta": {value}, "type": "labels", '
        '"value": {"start": 0, "end": 5, "text": "Paris", "labels": ["actor"]}}\n'
        "  ]}]}\n"
        "]\n"
    )


def doccano(value: str) -> str:
    good = '{"text": "Paris said yes.", "label": [[0, 5, "actor"]]}\n'
    return good + f'{{"text": "Berlin said no.", "meta": {value}, "label": []}}\n'


HOSTILE_JSON = {
    "surrogate": ('"\\ud800 alone"', "unpaired surrogate"),
    "deep": (DEEP, "nested too deeply"),
    "long-number": (LONG, "5000 digits"),
}


@pytest.mark.parametrize("kind", HOSTILE_JSON)
def test_labelstudio_hostile_json_names_file_and_line(
    project: Project, tmp_path: Path, kind: str
) -> None:
    value, words = HOSTILE_JSON[kind]
    path = tmp_path / "tasks.json"
    path.write_text(labelstudio(value), "utf-8")
    message = refused(project, path, "labelstudio")
    assert message.startswith("tasks.json, line 4: ") and words in message


@pytest.mark.parametrize("kind", HOSTILE_JSON)
def test_doccano_hostile_json_names_file_and_line(
    project: Project, tmp_path: Path, kind: str
) -> None:
    value, words = HOSTILE_JSON[kind]
    path = tmp_path / "d.jsonl"
    path.write_text(doccano(value), "utf-8")
    message = refused(project, path, "doccano")
    assert message.startswith("d.jsonl, line 2: ") and words in message


def test_a_surrogate_pair_is_text(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "Smile \\ud83d\\ude00 here", "label": [[0, 5, "actor"]]}\n')
    import_paths(project, [path], "doccano")
    assert project.text(project.documents()[0]) == "Smile 😀 here"


@pytest.fixture(params=["orjson", "json"])
def jsonl_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """JSONL reads with orjson when it is installed, else with the standard library."""
    if request.param == "json":
        monkeypatch.setattr(jsonl, "_loads", json.loads)
    elif jsonl._loads is json.loads:
        pytest.skip("orjson is not installed")
    return str(request.param)


@pytest.mark.parametrize("kind", HOSTILE_JSON)
def test_jsonl_hostile_json_names_file_and_line(
    project: Project, tmp_path: Path, kind: str, jsonl_loader: str
) -> None:
    value, words = HOSTILE_JSON[kind]
    source = tmp_path / "source.annot"
    with Project.create(source) as other:
        other.add_document(TEXT, "doc")
        export_project(other, "jsonl", tmp_path / "good.jsonl")
    header, line = (tmp_path / "good.jsonl").read_text("utf-8").splitlines()
    bad = line.replace('"title": "doc"', f'"title": "doc", "meta": {value}')
    path = tmp_path / "x.jsonl"
    path.write_text(f"{header}\n{bad}\n", "utf-8")
    message = refused(project, path, "jsonl")
    assert message.startswith("x.jsonl, line 2: ")
    if jsonl_loader == "json":  # orjson words its own reasons ("depth limit exceeded", ...)
        assert words in message


BIG = [str(2**63), str(2**64 + 7), "9" * 25]


@pytest.mark.parametrize("number", BIG)
def test_numbers_past_sqlite_integers_are_refused_as_out_of_range(
    project: Project, tmp_path: Path, number: str
) -> None:
    (tmp_path / "a.txt").write_text(TEXT, "utf-8")
    (tmp_path / "a.ann").write_text(f"T1\tactor 0 {number}\tParis\n", "utf-8")
    assert "a.ann, line 1: " in refused(project, tmp_path / "a.ann")
    (tmp_path / "t.json").write_text(
        f'[{{"id": {number}, "data": {{"text": "Paris"}}, "annotations": [{{"result": ['
        f'{{"type": "labels", "value": {{"start": 0, "end": {number}, "labels": ["actor"]}}}}'
        "]}]}]",
        "utf-8",
    )
    assert "outside the text" in refused(project, tmp_path / "t.json", "labelstudio")
    (tmp_path / "d.jsonl").write_text(f'{{"text": "Paris", "label": [[0, {number}, "x"]]}}\n')
    assert "d.jsonl, line 1: " in refused(project, tmp_path / "d.jsonl", "doccano")


# -- the codebook (YAML) --------------------------------------------------------------

CODEBOOK = """\
name: hostile
labels:
  - key: city
    name: City
    colour: "#112233"
    description: {description}
attributes:
  - key: size
    type: number
    default: {default}
"""


@pytest.mark.parametrize(
    ("description", "default", "line", "words"),
    [
        ('"a \\ud800 b"', "1", 6, "surrogate escape"),
        ('"\\udfff"', "1", 6, "surrogate escape"),
        ("plain", LONG, 10, "too long"),
    ],
    ids=["high-surrogate", "low-surrogate", "long-number"],
)
def test_codebook_hostile_values_name_the_line(
    project: Project, tmp_path: Path, description: str, default: str, line: int, words: str
) -> None:
    text = CODEBOOK.format(description=description, default=default)
    with pytest.raises(CodebookError) as caught:
        load_codebook(text, "cb.yaml")
    assert str(caught.value).startswith(f"cb.yaml, line {line}: ") and words in str(caught.value)
    path = tmp_path / "cb.yaml"
    path.write_text(text, "utf-8")
    assert refused(project, path).startswith(f"cb.yaml, line {line}: ")


def test_codebook_astral_escapes_are_text() -> None:
    book = load_codebook(CODEBOOK.format(description='"\\U0001F600"', default="1"), "cb.yaml")
    assert book.labels[0].description == "😀"


# -- brat -----------------------------------------------------------------------------


def brat_pair(folder: Path, ann: str, text: str = TEXT) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "a.txt").write_text(text, "utf-8")
    (folder / "a.ann").write_text(ann, "utf-8")
    return folder / "a.ann"


@pytest.mark.parametrize("escape", ["\\ud800", "\\udc00", "\\ud83d alone", "x\\ude00"])
def test_brat_note_with_a_lone_surrogate_escape(
    project: Project, tmp_path: Path, escape: str
) -> None:
    ann = f"T1\tactor 0 5\tParis\n#1\tAnnotatorNotes T1\tsee {escape}\n"
    message = refused(project, brat_pair(tmp_path / "b", ann))
    assert message.startswith("a.ann, line 2: ") and "unpaired surrogate" in message


def test_brat_note_with_an_escaped_pair_is_the_character(project: Project, tmp_path: Path) -> None:
    ann = "T1\tactor 0 5\tParis\n#1\tAnnotatorNotes T1\tsmile \\ud83d\\ude00\n"
    import_paths(project, [brat_pair(tmp_path / "b", ann)])
    assert project.annotations()[0].note == "smile 😀"


def test_brat_duplicated_id_is_refused_with_both_lines(project: Project, tmp_path: Path) -> None:
    ann = "T1\tactor 0 5\tParis\nT2\tactor 16 22\tBerlin\nT1\tclaim 6 14\tsaid yes\n"
    message = refused(project, brat_pair(tmp_path / "b", ann))
    assert message == (
        "a.ann, line 3: the id T1 is used twice (lines 1 and 3); each span needs an id of its own"
    )


@pytest.mark.parametrize(
    "offset",
    ["١", "٥", "۵", "५", "５", "1_0", "+5", "0x5", "٠"],
    ids=[
        "arabic-indic-1",
        "arabic-indic-5",
        "persian-5",
        "devanagari-5",
        "fullwidth-5",
        "underscore",
        "plus",
        "hex",
        "arabic-indic-0",
    ],
)
def test_brat_offsets_are_ascii_digits_only(project: Project, tmp_path: Path, offset: str) -> None:
    ann = (
        f"T1\tactor {offset} 10\t{TEXT[5:10]}\n"
        if offset != "1_0"
        else "T1\tactor 0 1_0\tParis said\n"
    )
    message = refused(project, brat_pair(tmp_path / "b", ann))
    assert message.startswith("a.ann, line 1: the offset ") and "ASCII digits" in message


def test_brat_offset_of_thousands_of_digits(project: Project, tmp_path: Path) -> None:
    message = refused(project, brat_pair(tmp_path / "b", f"T1\tactor 0 {LONG}\tParis\n"))
    assert message == "a.ann, line 1: the offset of 5000 digits is outside the text"


FLAGS = "🇦🇲🇫🇷🇩🇪🇺🇦🇯🇵🇧🇷" * 10  # 60 flags, 120 code points, 480 bytes


def test_brat_export_of_a_title_of_60_flags(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annot") as project:
        doc = project.add_document(TEXT, FLAGS)
        project.annotate(doc, 0, 5, "actor")
        export_project(project, "brat", tmp_path / "out")
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    txt = next(n for n in names if n.endswith(".txt"))
    assert all(len(n.encode()) <= MAX_NAME_BYTES for n in names)
    title = txt.removesuffix(".txt").split("-", 1)[1]
    assert FLAGS.startswith(title) and len(title) % 2 == 0  # whole flags only
    assert len(txt.encode()) > MAX_NAME_BYTES - 8  # as long as fits
    with Project.create(tmp_path / "back.annot") as back:
        import_paths(back, [tmp_path / "out"])
        assert back.documents()[0].title == title


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("abc", 10, "abc"),
        ("abcdef", 4, "abcd"),
        ("Հայաստան", 5, "Հա"),  # 2 bytes each: never half a character
        ("日本語", 7, "日本"),
        ("e\u0301e\u0301", 4, "e\u0301"),  # the accent stays with its letter
        ("e\u0301e\u0301", 3, "e\u0301"),
        ("a👍🏽b", 5, "a"),  # a skin tone is not cut from its hand
        ("a👍🏽b", 9, "a👍🏽"),
        ("👨\u200d👩\u200d👧x", 12, ""),  # nor a family after a joiner
        ("🇦🇲🇫🇷", 12, "🇦🇲"),  # nor a flag in half
        ("🇦🇲🇫🇷", 7, ""),
        ("x🇦🇲🇫🇷", 13, "x🇦🇲"),
        ("A\ufe0fB", 1, ""),  # a variation selector stays with its character
    ],
)
def test_cut_utf8_ends_where_a_character_ends(text: str, limit: int, expected: str) -> None:
    cut = cut_utf8(text, limit)
    assert cut == expected and len(cut.encode()) <= limit


def test_safe_title_fits_the_byte_budget() -> None:
    assert len(safe_title(FLAGS, 200).encode()) <= 200
    assert safe_title("e\u0301" * 200, 101) == "e\u0301" * 33


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o002])
def test_brat_export_folder_follows_the_umask(tmp_path: Path, umask: int) -> None:
    with Project.create(tmp_path / "p.annot") as project:
        project.add_document(TEXT, "doc")
        old = os.umask(umask)
        try:
            export_project(project, "brat", tmp_path / "out")
            (tmp_path / "plain").mkdir()
        finally:
            os.umask(old)
    mode = (tmp_path / "out").stat().st_mode & 0o777
    assert mode == (tmp_path / "plain").stat().st_mode & 0o777 == 0o777 & ~umask
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# -- REFI-QDA positions ---------------------------------------------------------------


def qdpx_with_position(tmp_path: Path, value: str) -> Path:
    source = tmp_path / "source.annot"
    with Project.create(source) as other:
        doc = other.add_document(TEXT, "doc")
        other.annotate(doc, 0, 5, "actor")
        export_project(other, "qdpx", tmp_path / "good.qdpx")
    bad = tmp_path / "bad.qdpx"
    with zipfile.ZipFile(tmp_path / "good.qdpx") as good, zipfile.ZipFile(bad, "w") as out:
        for item in good.infolist():
            data = good.read(item)
            if item.filename == "project.qde":
                text = data.decode("utf-8")
                text, n = re.subn('endPosition="5"', f'endPosition="{value}"', text)
                assert n == 1
                data = text.encode("utf-8")
            out.writestr(item, data)
    return bad


@pytest.mark.parametrize(
    "value", ["1_0", "٥", "５", "+5", " 5_0 ", "9" * 25, LONG], ids=lambda v: v[:6]
)
def test_qdpx_positions_are_ascii_digits_only(project: Project, tmp_path: Path, value: str) -> None:
    message = refused(project, qdpx_with_position(tmp_path, value))
    assert message.startswith("bad.qdpx: selection ") and "no valid positions" in message


def test_qdpx_positions_may_be_padded_as_xml_allows(project: Project, tmp_path: Path) -> None:
    import_paths(project, [qdpx_with_position(tmp_path, " 5 ")])
    assert project.annotations()[0].text == "Paris"


# -- a full disk on XLSX export --------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MB tmpfs, nearly full (root and mount needed; skipped otherwise)."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    run = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if run.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        with (folder / "filler").open("wb") as fh:  # fill it up: every write fails
            for _ in range(1024):
                try:
                    fh.write(b"\0" * 1024)
                    fh.flush()
                except OSError:
                    break
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def random_project(path: Path) -> None:
    """Text that does not compress: its XLSX cannot fit 24 KB."""
    text = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(60_000)) + "\n"
    with Project.create(path) as project:
        doc = project.add_document(text, "doc")
        project.annotate_many(doc, [(i, i + 50, "claim", None) for i in range(0, 59_000, 60)])


EXPORTS = [
    "xlsx",
    "claims-xlsx",
    "csv",
    "claims",
    "jsonl",
    "doccano",
    "labelstudio",
    "qdpx",
    "qdc",
    "codebook",
    "network",
    "brat",
    "report-html",
]


@pytest.mark.parametrize("fmt", EXPORTS)
def test_full_disk_on_export_is_one_line(tiny_disk: Path, tmp_path: Path, fmt: str) -> None:
    project = tmp_path / "p.annot"
    random_project(project)
    before = sorted(p.name for p in tiny_disk.iterdir())
    out = tiny_disk / ("out" if fmt == "brat" else "out.file")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "annotator",
            "export",
            str(project),
            "--format",
            fmt,
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert len(run.stderr.splitlines()) == 1, run.stderr
    assert run.stderr.startswith("annotator: error: cannot write ")
    assert run.stderr.endswith(": No space left on device\n")
    assert sorted(p.name for p in tiny_disk.iterdir()) == before  # no half file left
