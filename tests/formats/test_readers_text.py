"""How text enters a project, whatever file it comes from.

- Bytes that are almost UTF-8 stay UTF-8 (U+FFFD for the bad bytes) and the import
  warns with their count and place; a guessed encoding is named in a warning
  (``annotator: warning: ...`` on the CLI).
- One rule refuses text that is not prose (NUL, dense control characters), applied
  where every document enters the store, so Label Studio, JSONL, doccano and the API
  refuse what the text reader refuses, with the same message, and change nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import AnnotatorError, FormatError
from annotator.formats.registry import export_project, import_paths
from annotator.store import Project
from tests.formats.test_readers import make_pdf

FRENCH = "Le Sénat a adopté la résolution; les députés ont voté à l'unanimité.\n"


def _state(project: Project) -> list[tuple[object, str]]:
    return [(doc, project.text(doc)) for doc in project.documents()]


# -- almost UTF-8, guessed encodings -------------------------------------------------


def test_cli_import_of_utf8_with_a_stray_byte_keeps_the_accents_and_warns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "p.annot"
    main(["new", str(project)])
    src = tmp_path / "senat.txt"
    src.write_bytes(FRENCH.encode() * 3 + b"Fin.\x92\n")
    capsys.readouterr()

    assert main(["import", str(project), str(src)]) == 0
    _out, err = capsys.readouterr()
    offset = len(FRENCH.encode()) * 3 + 4
    assert err == (
        f"annotator: warning: senat.txt: 1 byte is not valid UTF-8 (at byte {offset}); "
        "read as UTF-8 with U+FFFD in its place\n"
    )
    with Project.open(project, read_only=True) as p:
        assert p.text(p.documents()[0]) == FRENCH * 3 + "Fin.\ufffd\n"


def test_cli_import_names_a_guessed_encoding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "p.annot"
    main(["new", str(project)])
    text = "“Déjà vu” in the café’s naïve façade — 3 × 4 …\nsecond line\n"
    src = tmp_path / "win.txt"
    src.write_bytes(text.encode("cp1252"))
    capsys.readouterr()

    assert main(["import", str(project), str(src)]) == 0
    _out, err = capsys.readouterr()
    assert err == "annotator: warning: win.txt: read as windows-1252 (guessed; it is not UTF-8)\n"
    with Project.open(project, read_only=True) as p:
        assert p.text(p.documents()[0]) == text


def test_web_page_declared_utf8_with_a_stray_byte_warns(
    tmp_project: Project, tmp_path: Path
) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(
        b'<html><head><meta charset="utf-8"><title>T</title></head><body><p>'
        + FRENCH.encode().strip()
        + b"\xe9</p></body></html>"
    )
    report = import_paths(tmp_project, [page])
    assert tmp_project.text(report.document_ids[0]) == FRENCH.strip() + "\ufffd"
    assert len(report.warnings) == 1
    assert report.warnings[0].startswith("page.html: 1 byte is not valid UTF-8 (at byte ")


# -- one rule for text that is not prose -------------------------------------------------

NUL_MESSAGE = "the text of 'Task' looks like a binary file, not text (it contains NUL characters)"


def _labelstudio(path: Path, text: str) -> Path:
    path.write_text(json.dumps([{"id": 1, "data": {"text": text, "title": "Task"}}]), "utf-8")
    return path


def _jsonl(path: Path, text: str) -> Path:
    with Project.create(path.with_name("empty.annot"), annotator="x") as empty:
        export_project(empty, "jsonl", path)
    header = path.read_text("utf-8").splitlines()[0]
    line = json.dumps({"title": "Task", "text": text, "spans": []})
    path.write_text(header + "\n" + line + "\n", "utf-8")
    return path


def _doccano(path: Path, text: str) -> Path:
    path.write_text(json.dumps({"id": 1, "text": text, "label": [], "title": "Task"}) + "\n")
    return path


BUILDERS = {"labelstudio": (_labelstudio, "ls.json"), "jsonl": (_jsonl, "d.jsonl")}


@pytest.mark.parametrize("fmt", sorted(BUILDERS))
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A text with a NUL\x00 inside.", NUL_MESSAGE),
        (
            "\x01\x02\x03\x04 controls",
            "the text of 'Task' looks like a binary file, not text (it contains 4 control "
            "characters)",
        ),
    ],
    ids=["nul", "controls"],
)
def test_importers_refuse_what_the_text_reader_refuses(
    sample_project: Project,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
    text: str,
    message: str,
) -> None:
    build, name = BUILDERS[fmt]
    path = build(tmp_path / name, text)
    before = _state(sample_project)
    with pytest.raises(FormatError) as caught:
        import_paths(sample_project, [path], fmt)
    assert str(caught.value) == message
    assert _state(sample_project) == before

    assert main(["import", str(sample_project.path), str(path), "--format", fmt]) == 2
    _out, err = capsys.readouterr()
    assert err == f"annotator: error: {message}\n"
    assert _state(sample_project) == before


def test_doccano_refuses_a_nul(sample_project: Project, tmp_path: Path) -> None:
    path = _doccano(tmp_path / "d.jsonl", "A NUL\x00 here.")
    before = _state(sample_project)
    with pytest.raises(AnnotatorError, match="looks like a binary file, not text"):
        import_paths(sample_project, [path], "doccano")
    assert _state(sample_project) == before


def test_the_api_refuses_a_nul(tmp_project: Project) -> None:
    before = _state(tmp_project)
    with pytest.raises(FormatError) as caught:
        tmp_project.add_document("A NUL\x00 here.", "Task")
    assert str(caught.value) == NUL_MESSAGE
    assert _state(tmp_project) == before


def test_text_reader_gives_the_same_rule(sample_project: Project, tmp_path: Path) -> None:
    path = tmp_path / "ctl.txt"
    path.write_bytes(b"\x01\x02\x03\x04 controls")
    with pytest.raises(FormatError) as caught:
        import_paths(sample_project, [path])
    assert str(caught.value) == (
        "ctl.txt looks like a binary file, not text (it contains 4 control characters)"
    )


def test_a_few_stray_controls_are_kept_everywhere(tmp_project: Project, tmp_path: Path) -> None:
    text = "An escape \x1b and a bell \x07 in a text. " + "Then prose. " * 20
    doc = tmp_project.add_document(text, "Kept")
    assert tmp_project.text(doc) == text
    report = import_paths(tmp_project, [_labelstudio(tmp_path / "ls.json", text)], "labelstudio")
    assert tmp_project.text(report.document_ids[0]) == text


def test_pdf_glyph_codes_that_are_controls_become_replacement_characters(
    tmp_project: Project, tmp_path: Path
) -> None:
    # A broken font maps glyphs to control codes (and NUL); the text layer is still text.
    pdf = make_pdf(tmp_path / "glyphs.pdf", [["glyphs \x01\x02\x03\x04\x05 and \x00 text"]])
    report = import_paths(tmp_project, [pdf])
    assert (
        tmp_project.text(report.document_ids[0])
        == "glyphs \ufffd\ufffd\ufffd\ufffd\ufffd and \ufffd text"
    )


def test_web_page_with_a_charset_follows_the_same_rule(
    tmp_project: Project, tmp_path: Path
) -> None:
    page = tmp_path / "ctl.html"
    page.write_bytes(
        b'<html><head><meta charset="utf-8"></head><body><p>\x01\x02\x03</p></body></html>'
    )
    with pytest.raises(FormatError) as caught:
        import_paths(tmp_project, [page])
    assert str(caught.value) == (
        "ctl.html looks like a binary file, not text (it contains 3 control characters)"
    )
