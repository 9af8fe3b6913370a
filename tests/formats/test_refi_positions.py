"""REFI-QDA positions as each program counts them (issue 12 items 1-3).

The fixtures are written as the programs write them, not as Annotator exports:

- NVivo 12 (Windows, .NET strings): the source text with CRLF line ends, positions in
  UTF-16 units with CRLF counting two, ``origin="NVivo..."``;
- QualCoder's "line endings for MAXQDA" export (refi.py ``export_project``): the text
  written ``utf-8-sig`` with every ``\\n`` turned into ``\\r\\n``, the positions of its
  editor (UTF-16 units of the LF text) unchanged, and ``name`` the selection's text;
- ATLAS.ti-like files without names, where word boundaries decide.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from annotator.cli import main
from annotator.core.errors import FormatError, InputError
from annotator.formats._dates import refi_stamp
from annotator.formats.registry import Options, export_project, import_paths
from annotator.store import Project
from tests.formats.test_qdpx import assert_valid_qdpx

# An interview as NVivo holds it: emoji (a skin-tone pair, a ZWJ family), a CJK
# ideograph outside the BMP, Armenian, Arabic, CRLF line ends.
NVIVO_TEXT = (
    "Interviewer: How did the 👍🏽 vote go?\r\n"
    "Ani: The 👩‍👩‍👧 families in Հայաստան waited 𠀋 for hours.\r\n"
    "Karim: قال البرلمان the assembly 🇫🇷 agreed on the ceasefire.\r\n"
    "Ani: Nobody expected the 🎉 result so quickly.\r\n"
)
NVIVO_SPANS = [
    "vote go",
    "families in Հայաստան",
    "waited",
    "hours",
    "البرلمان",
    "assembly",
    "agreed on the ceasefire",
    "Nobody expected",
    "result so quickly",
]


def u16(text: str, index: int) -> int:
    """The UTF-16 position of code-point *index* of *text* (as .NET and Qt count)."""
    return len(text[:index].encode("utf-16-le")) // 2


def _spans(text: str, words: list[str]) -> list[tuple[int, int, str]]:
    out, at = [], 0
    for word in words:
        start = text.index(word, at)
        out.append((start, start + len(word), word))
        at = start + 1
    return out


def _qde(
    origin: str,
    selections: list[tuple[int, int, str | None]],
    source_path: str = "internal://S1.txt",
) -> str:
    rows = []
    for n, (start, end, name) in enumerate(selections):
        named = "" if name is None else f' name="{html.escape(name)}"'
        rows.append(
            f'<PlainTextSelection guid="5e1-{n}"{named} startPosition="{start}" '
            f'endPosition="{end}" creatingUser="u-1" creationDateTime="2024-03-05T09:30:00Z">'
            f'<Coding guid="c-{n}" creatingUser="u-1"><CodeRef targetGUID="code-1"/></Coding>'
            "</PlainTextSelection>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="{origin}">'
        '<Users><User guid="u-1" name="Ana"/></Users>'
        '<CodeBook><Codes><Code guid="code-1" name="Quote" isCodable="true"/></Codes></CodeBook>'
        f'<Sources><TextSource guid="S1" name="interview" plainTextPath="{source_path}">'
        + "".join(rows)
        + "</TextSource></Sources></Project>"
    )


def _write(path: Path, qde: str, text: bytes) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde.encode("utf-8"))
        archive.writestr("sources/S1.txt", text)
    return path


def _texts(project: Project) -> list[str]:
    (doc,) = project.documents()
    return [a.text for a in sorted(project.annotations(doc), key=lambda a: a.start)]


def _nvivo_selections(named: bool) -> list[tuple[int, int, str | None]]:
    return [
        (u16(NVIVO_TEXT, s), u16(NVIVO_TEXT, e), word if named and n % 2 == 0 else None)
        for n, (s, e, word) in enumerate(_spans(NVIVO_TEXT, NVIVO_SPANS))
    ]


def test_nvivo_positions_are_read_as_utf16_units(tmp_project: Project, tmp_path: Path) -> None:
    qde = _qde("NVivo 12.6.1.970", _nvivo_selections(named=True))
    path = _write(tmp_path / "nvivo.qdpx", qde, NVIVO_TEXT.encode("utf-8"))
    report = import_paths(tmp_project, [path])
    assert _texts(tmp_project) == NVIVO_SPANS
    (assumed,) = [a for a in report.assumed if "positions" in a]
    assert "UTF-16 units, CRLF counted as two characters" in assumed
    assert "NVivo 12.6.1.970" in assumed and "5 of 9 selections match" in assumed


def test_utf16_positions_without_names_are_found_by_word_boundaries(
    tmp_project: Project, tmp_path: Path
) -> None:
    """No origin to go by and no names: the span edges cut words as code points."""
    qde = _qde("", _nvivo_selections(named=False))
    path = _write(tmp_path / "anon.qdpx", qde, NVIVO_TEXT.encode("utf-8"))
    report = import_paths(tmp_project, [path])
    assert _texts(tmp_project) == NVIVO_SPANS
    assert any("UTF-16 units" in a and "word boundaries" in a for a in report.assumed)


# QualCoder's editor text (LF) with an astral character; its positions are its
# editor's (Qt: UTF-16 units) and its names the selected text.
QUALCODER_TEXT = (
    "Focus group 3 🎙️ transcript\n"
    "P1: We read the resolution 📜 twice.\n"
    "P2: The senators voted for it.\n"
    "P3: Nobody told the villages.\n"
    "P1: Then the 🙏 protests started.\n"
)
QUALCODER_SPANS = ["read the resolution 📜 twice", "senators voted", "villages", "protests started"]


def test_qualcoder_line_endings_for_maxqda(tmp_project: Project, tmp_path: Path) -> None:
    selections: list[tuple[int, int, str | None]] = [
        (u16(QUALCODER_TEXT, s), u16(QUALCODER_TEXT, e), word)
        for s, e, word in _spans(QUALCODER_TEXT, QUALCODER_SPANS)
    ]
    qde = _qde("QualCoder 3.6", selections)
    crlf = QUALCODER_TEXT.replace("\n", "\r\n").encode("utf-8-sig")  # as refi.py writes it
    report = import_paths(tmp_project, [_write(tmp_path / "qc.qdpx", qde, crlf)])
    assert _texts(tmp_project) == QUALCODER_SPANS
    (doc,) = tmp_project.documents()
    assert tmp_project.text(doc) == QUALCODER_TEXT
    assert any("CRLF counted as one character" in a for a in report.assumed)


def test_qualcoder_default_export(tmp_project: Project, tmp_path: Path) -> None:
    """LF text written utf-8-sig, its editor's UTF-16 positions, names the full text."""
    selections: list[tuple[int, int, str | None]] = [
        (u16(QUALCODER_TEXT, s), u16(QUALCODER_TEXT, e), word)
        for s, e, word in _spans(QUALCODER_TEXT, QUALCODER_SPANS)
    ]
    path = _write(
        tmp_path / "qc.qdpx", _qde("QualCoder 3.6", selections), QUALCODER_TEXT.encode("utf-8-sig")
    )
    report = import_paths(tmp_project, [path])
    assert _texts(tmp_project) == QUALCODER_SPANS
    assert any("as UTF-16 units, LF line ends" in a for a in report.assumed)


def test_crlf_counted_as_one_in_code_points(tmp_project: Project, tmp_path: Path) -> None:
    """ATLAS.ti keeps CRLF in the text file but counts line ends as one character."""
    text = "First line\r\nSecond line here\r\nThird line there\r\nFourth and last\r\n"
    lf = text.replace("\r\n", "\n")
    words = ["Second line", "Third", "there", "Fourth and last"]
    selections: list[tuple[int, int, str | None]] = [(s, e, None) for s, e, _w in _spans(lf, words)]
    path = _write(tmp_path / "atlas.qdpx", _qde("ATLAS.ti 23", selections), text.encode())
    report = import_paths(tmp_project, [path])
    assert _texts(tmp_project) == words
    assert any("code points, CRLF counted as one character" in a for a in report.assumed)


def test_names_that_fit_no_reading_refuse_with_the_evidence(
    sample_project: Project, tmp_path: Path
) -> None:
    """Half the positions in UTF-16 units, half in code points: nothing fits."""
    spans = _spans(NVIVO_TEXT, NVIVO_SPANS)[1:]
    selections: list[tuple[int, int, str | None]] = [
        (u16(NVIVO_TEXT, s), u16(NVIVO_TEXT, e), w) if n % 2 else (s, e, w)
        for n, (s, e, w) in enumerate(spans)
    ]
    path = _write(tmp_path / "mixed.qdpx", _qde("NVivo 12", selections), NVIVO_TEXT.encode())
    before = sample_project.documents()
    with pytest.raises(FormatError) as caught:
        import_paths(sample_project, [path])
    message = str(caught.value)
    assert "\n" not in message
    assert "no way of counting positions fits the selections' names" in message
    assert "as UTF-16 units, CRLF counted as two characters, 4 of 8 names match" in message
    assert sample_project.documents() == before


def test_positions_outside_every_reading_refuse(sample_project: Project, tmp_path: Path) -> None:
    path = _write(tmp_path / "far.qdpx", _qde("NVivo 12", [(3, 900, None)]), NVIVO_TEXT.encode())
    with pytest.raises(FormatError, match="the positions fit no way of counting them: as UTF-16"):
        import_paths(sample_project, [path])
    assert len(sample_project.documents()) == 1


def _nvivo_project(tmp_path: Path) -> Project:
    project = Project.create(tmp_path / "src.annot", annotator="tester")
    doc = project.add_document(NVIVO_TEXT, "interview")
    text = project.text(doc)
    for s, e, _w in _spans(text, NVIVO_SPANS):
        project.annotate(doc, s, e, "claim")
    return project


def _positions(path: Path) -> list[tuple[int, int]]:
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
    return [
        (int(el.get("startPosition")), int(el.get("endPosition")))
        for el in root.iter("{urn:QDA-XML:project:1.0}PlainTextSelection")
    ]


def test_export_for_nvivo_writes_utf16_units_and_reads_back(tmp_path: Path) -> None:
    with _nvivo_project(tmp_path) as source:
        text = source.text(source.documents()[0])
        report = export_project(source, "qdpx", tmp_path / "n.qdpx", Options(target="nvivo"))
        assert_valid_qdpx(tmp_path / "n.qdpx")
        want = [(u16(text, s), u16(text, e)) for s, e, _w in _spans(text, NVIVO_SPANS)]
        assert sorted(_positions(tmp_path / "n.qdpx")) == sorted(want)
        assert report.assumed == ["positions written as UTF-16 units, for NVivo"]
        plain = export_project(source, "qdpx", tmp_path / "p.qdpx")
        assert "positions written as code points" in plain.assumed[0]
        assert sorted(_positions(tmp_path / "p.qdpx")) == sorted(
            (s, e) for s, e, _w in _spans(text, NVIVO_SPANS)
        )
    with Project.create(tmp_path / "back.annot") as back:
        import_paths(back, [tmp_path / "n.qdpx"])
        assert _texts(back) == NVIVO_SPANS


def test_qdpx_nvivo_is_a_format_the_window_lists(tmp_path: Path) -> None:
    with _nvivo_project(tmp_path) as source:
        text = source.text(source.documents()[0])
        report = export_project(source, "qdpx-nvivo", tmp_path / "w.qdpx")
    assert report.assumed == ["positions written as UTF-16 units, for NVivo"]
    want = [(u16(text, s), u16(text, e)) for s, e, _w in _spans(text, NVIVO_SPANS)]
    assert sorted(_positions(tmp_path / "w.qdpx")) == sorted(want)


def test_cli_export_for_nvivo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _nvivo_project(tmp_path).close()
    out = tmp_path / "cli.qdpx"
    args = ["export", str(tmp_path / "src.annot"), "--format", "qdpx", "-o", str(out)]
    assert main([*args, "--for", "nvivo"]) == 0
    assert "UTF-16 units, for NVivo" in capsys.readouterr().err
    assert main([*args, "--for", "atlas"]) != 0
    err = capsys.readouterr().err
    assert "qdpx cannot be written for 'atlas' (known: nvivo" in err
    assert "Traceback" not in err
    csv_args = ["export", str(tmp_path / "src.annot"), "--format", "csv", "-o", str(out) + ".csv"]
    assert main([*csv_args, "--for", "nvivo"]) == 2  # was ignored in silence
    assert capsys.readouterr().err.strip() == "annotator: error: --for goes with --format qdpx"
    assert not Path(str(out) + ".csv").exists()


def test_unknown_target_is_refused(tmp_project: Project, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot be written for 'maxqda'"):
        export_project(tmp_project, "qdpx", tmp_path / "x.qdpx", Options(target="maxqda"))
    assert not (tmp_path / "x.qdpx").exists()


def test_exported_dates_are_utc_with_z(tmp_path: Path) -> None:
    """QualCoder appends Z to what it read: +00:00 came back as the invalid +00:00Z."""
    with _nvivo_project(tmp_path) as source:
        export_project(source, "qdpx", tmp_path / "d.qdpx")
    root = assert_valid_qdpx(tmp_path / "d.qdpx")
    stamps = [
        value for el in root.iter() for key, value in el.attrib.items() if key.endswith("DateTime")
    ]
    assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", v) for v in stamps)


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        ("2024-03-05T08:30:00+00:00", "2024-03-05T08:30:00Z"),
        ("2024-03-05T09:30:00+01:00", "2024-03-05T08:30:00Z"),
        ("2024-03-05T08:30:00Z", "2024-03-05T08:30:00Z"),
        ("2024-03-05 08:30:00", "2024-03-05T08:30:00Z"),
    ],
)
def test_refi_stamp(stored: str, written: str) -> None:
    assert refi_stamp(stored) == written
