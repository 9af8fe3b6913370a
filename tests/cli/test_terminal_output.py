"""What the CLI prints for a person is safe for a terminal; the data stays exact
(issue 10, item 12), and a failed automatic backup is said once (item 5, CLI side)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.terminal import for_terminal

HOSTILE = "\x1b[2J\x1b]0;pwned\x07Evil\nforged: line\r\u202egnp.exe\u2066x\u2069\x9b31m\x7f"


def test_for_terminal_escapes_controls_bidi_and_undecodable_bytes() -> None:
    assert for_terminal("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert for_terminal("one\ntwo\rthree\tfour") == "one\\ntwo\\rthree\\tfour"
    assert for_terminal("\x00\x07\x7f\x85\x9b") == "\\x00\\x07\\x7f\\x85\\x9b"
    assert for_terminal("\u202eabc\u202c \u2066x\u2069 \u2067\u2068") == (
        "\\u202eabc\\u202c \\u2066x\\u2069 \\u2067\\u2068"
    )
    assert for_terminal("line\u2028sep\u2029") == "line\\u2028sep\\u2029"
    assert for_terminal("caf\udce9 \ud800") == "caf\\xe9 \\ud800"  # bytes, lone surrogate
    shown = for_terminal(HOSTILE)
    assert shown.isprintable() and "\n" not in shown


@pytest.mark.parametrize(
    "text",
    [
        "Résumé 👍🏽 of the talks",
        "👩\u200d👩\u200d👧 family, 🇫🇷 flag",  # joiners (format characters) stay
        "Հայաստանի Ազգային ժողովը",
        "قال البرلمان الفرنسي \u200f",  # Arabic with a right-to-left mark
        "שלום e\u0301t\u0301e\u0301 a\u00a0b 𠀋 soft\u00adhyphen",
    ],
)
def test_for_terminal_keeps_every_script_as_it_is(text: str) -> None:
    assert for_terminal(text) == text


@pytest.fixture
def hostile_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A project whose title, actor name and file name carry terminal escapes; the
    title is written as another program would (the store itself may refuse it)."""
    path = tmp_path / "p.annot"
    doc = tmp_path / "evil\x1b[2J.txt"
    doc.write_text("The Senate said it would vote.\n", encoding="utf-8")
    assert main(["new", str(path)]) == 0
    assert main(["import", str(path), str(doc)]) == 0
    assert (
        main(["annotate", str(path), "--document", "1", "--match", "Senate", "--label", "actor"])
        == 0
    )
    assert (
        main(["annotate", str(path), "--document", "1", "--match", "vote", "--label", "claim"]) == 0
    )
    assert main(["actor", str(path), "1", "--name", HOSTILE]) == 0
    assert main(["relate", str(path), "1", "2", "--type", "claimant"]) == 0
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE documents SET title = ?", (HOSTILE,))
    conn.close()
    capsys.readouterr()
    return path


def _assert_safe(text: str, lines: int | None = None) -> None:
    for line in text.splitlines():
        assert line.isprintable(), repr(line)
        assert not line.startswith("forged")
    assert "\\x1b[2J" in text


@pytest.mark.parametrize("command", ["list", "stats", "actors"])
def test_human_output_shows_escapes_visibly(
    command: str, hostile_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, str(hostile_project)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    _assert_safe(out)
    assert "\\x1b]0;pwned\\x07Evil\\nforged: line\\r\\u202egnp.exe" in out


def test_import_and_errors_show_escapes_visibly(
    tmp_path: Path, hostile_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "again\x1b[2J\u202e.txt"
    doc.write_text("Another text.\n", encoding="utf-8")
    assert main(["import", str(hostile_project), str(doc)]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("imported again\\x1b[2J\\u202e.txt as document 2 'again\\x1b[2J\\u202e'")
    _assert_safe(out)
    code = main(
        [
            "annotate",
            str(hostile_project),
            "--document",
            HOSTILE + " (no such title)",
            "--start",
            "0",
            "--end",
            "1",
            "--label",
            "actor",
        ]
    )
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1
    _assert_safe(err)


def _strings(value: object) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_strings(k) | _strings(v) for k, v in value.items()))
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value))
    return set()


def test_data_outputs_stay_exact(hostile_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(hostile_project), "--format", "csv", "--raw"]) == 0
    out = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"), newline="")))
    assert {r["document"] for r in rows} == {HOSTILE}
    assert main(["stats", str(hostile_project), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert HOSTILE in _strings(data)  # the names exactly as stored, JSON-escaped on the way


def test_a_failed_automatic_backup_is_said_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.annot"
    doc = tmp_path / "doc.txt"
    doc.write_text("The Senate said it would vote.\n", encoding="utf-8")
    assert main(["new", str(path)]) == 0
    blocker = tmp_path / "data-is-a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))  # no backup folder can be made
    capsys.readouterr()
    assert main(["import", str(path), str(doc)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("imported doc.txt")
    assert err.count("\n") == 1, err
    assert err.startswith("annotator: warning: the automatic backup failed")
    assert f"; backups go to {blocker}/annotator/backups/p-" in err
    assert main(["list", str(path)]) == 0  # read-only: takes no backup, says nothing
    assert capsys.readouterr().err == ""
