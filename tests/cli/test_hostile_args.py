"""Every argument of every subcommand, fed with hostile values (issue 10, item 7).

The cases are enumerated from the argparse parser itself, so an argument added later is
covered without touching this file; a new subcommand fails
``test_every_subcommand_has_a_baseline`` until it gets a baseline here. Most cases call
``main()`` in this process (Python hands over bytes that are not UTF-8 as lone
surrogates: the same ``str`` the real entry point gets); a few run the real ``annotator``
with raw bytes in argv and standard output on ``/dev/full``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotator.cli import COMMANDS, build_parser, main

ANNOTATOR = str(Path(sys.executable).with_name("annotator"))

# Placeholders filled per test: P the project, NEW a path to create, DOC a text file,
# OUT an export target, OUTDIR a folder to create, SRC another project.
BASELINES: dict[str, dict[str, object]] = {
    "new": {"project": "NEW", "annotator": "tester"},
    "import": {"project": "P", "files": ["DOC"]},
    "annotate": {
        "project": "P",
        "document": "1",
        "start": "0",
        "end": "6",
        "label": "actor",
        "note": "a note",
    },
    "list": {"project": "P"},
    "export": {"project": "P", "fmt": "csv", "output": "OUT"},
    "demo": {},
    "relate": {"project": "P", "from_id": "1", "to_id": "2", "type": "claimant"},
    "set": {"project": "P", "annotation_id": "2", "attribute": ["issue=detainees"]},
    "actor": {"project": "P", "annotation_id": "1", "name": "Senate"},
    "actors": {"project": "P"},
    "merge-actors": {"project": "P", "keep_id": "1", "gone_id": "1"},
    "stats": {"project": "P", "top": "3"},
    "backups": {"project": "P"},
    "restore-backup": {"project": "P", "number": "1"},
    "check": {"project": "P"},
    "handout": {"project": "P", "coders": ["ann", "bob"], "output": "OUTDIR"},
    "merge": {"target": "P", "sources": ["SRC"]},
    "coders": {"project": "P", "current": "ann"},
    "agree": {"project": "P", "show": "3"},
    "var": {"project": "P", "document": "1", "assignments": ["outlet=Le Monde"]},
    "vars": {"project": "P"},
    "suggest": {"project": "P", "source": "like-before"},
    "suggestions": {"project": "P", "accept_above": "0.5"},
    "train": {"project": "P"},
    "network": {"project": "P", "output": "OUT"},
}

NOT_UTF8 = os.fsdecode(b"bad\xff\xfename")  # how Python hands over bytes that are not UTF-8
SURROGATE = "lone \ud800 surrogate"
BAD_TEXTS = (NOT_UTF8, SURROGATE)
BAD_NUMBERS = ("9" * 5000, str(2**63), str(2**64 + 1), "-1", "1_0", "\u0661\u0662", " 7", "x")
ODD_BUT_TEXT = ("", "9" * 5000, str(2**63), "-1", "\x1b[2J\nforged line")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("the parser has no subcommands")


def _value_actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    """The arguments of a subcommand that take a value (not --help, not flags)."""
    return [
        a
        for a in parser._actions
        if not isinstance(a, argparse._HelpAction) and a.nargs != 0 and a.const is None
    ]


def _argv(command: str, parser: argparse.ArgumentParser, values: dict[str, object]) -> list[str]:
    positionals: list[str] = []
    options: list[str] = []
    for action in _value_actions(parser):
        if action.dest not in values:
            continue
        value = values[action.dest]
        items = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        if action.option_strings:
            for item in items:
                options += [action.option_strings[-1], item]
        else:
            positionals += items
    return [command, *positionals, *options]


@dataclass(frozen=True)
class Case:
    command: str
    dest: str
    value: str
    must_refuse: bool

    @property
    def id(self) -> str:
        shown = ascii(self.value)[1:-1]
        return f"{self.command}-{self.dest}-{shown[:16]}"


def _cases() -> Iterator[Case]:
    for command, parser in _subparsers(build_parser()).items():
        for action in _value_actions(parser):
            number = action.type is int
            for value in BAD_TEXTS:
                yield Case(command, action.dest, value, True)
            for value in BAD_NUMBERS if number else ODD_BUT_TEXT:
                yield Case(command, action.dest, value, number)


CASES = list(_cases())


def test_every_subcommand_has_a_baseline() -> None:
    commands = set(_subparsers(build_parser()))
    assert commands == set(COMMANDS)
    assert commands - set(BASELINES) == set(), "give the new subcommand a baseline here"


@dataclass
class Place:
    root: Path
    project: Path
    pristine: bytes

    @property
    def work(self) -> Path:
        """The working folder of each case (emptied after it)."""
        folder = self.root / "work"
        folder.mkdir(exist_ok=True)
        return folder

    def fill(self, value: object) -> object:
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        names = {
            "P": self.project,
            "NEW": self.root / "new.annot",
            "DOC": self.root / "doc.txt",
            "OUT": self.root / "out.csv",
            "OUTDIR": self.root / "handout",
            "SRC": self.root / "source.annot",
        }
        return names.get(str(value), value)

    def reset(self) -> None:
        """Put the project back as it was (a case that legitimately changed it)."""
        for suffix in ("-wal", "-shm"):
            Path(f"{self.project}{suffix}").unlink(missing_ok=True)
        if self.project.read_bytes() != self.pristine:
            self.project.write_bytes(self.pristine)
        for name in ("new.annot", "new.annot-wal", "new.annot-shm", "out.csv"):
            (self.root / name).unlink(missing_ok=True)
        shutil.rmtree(self.work, ignore_errors=True)
        shutil.rmtree(self.root / "handout", ignore_errors=True)


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Place]:
    root = tmp_path_factory.mktemp("hostile-args")
    doc = root / "doc.txt"
    doc.write_text("Senate said it would vote on Tuesday.\n", encoding="utf-8")
    project = root / "p.annot"
    steps = [
        ["new", str(project), "--annotator", "tester"],
        ["import", str(project), str(doc)],
        ["annotate", str(project), "--document", "1", "--match", "Senate", "--label", "actor"],
        ["annotate", str(project), "--document", "1", "--match", "vote", "--label", "claim"],
        ["actor", str(project), "1", "--name", "Senate"],
    ]
    for step in steps:
        assert main(step) == 0, step
    source = root / "source.annot"
    assert main(["new", str(source), "--annotator", "other"]) == 0
    assert main(["import", str(source), str(doc)]) == 0
    yield Place(root, project, project.read_bytes())


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_value_gives_one_line_and_changes_nothing(
    case: Case, place: Place, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(place.work)  # a value taken as a relative file name lands there
    parser = _subparsers(build_parser())[case.command]
    values = {k: place.fill(v) for k, v in BASELINES[case.command].items()}
    action = next(a for a in _value_actions(parser) if a.dest == case.dest)
    many = action.nargs in ("+", "*") or isinstance(action, argparse._AppendAction)
    values[case.dest] = [case.value] if many else case.value
    argv = _argv(case.command, parser, values)
    capsys.readouterr()
    try:
        code = main(argv)  # anything escaping here (a traceback) fails the test
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        if case.must_refuse:
            assert code == 2, (argv, out, err)
        assert code in (0, 2), (argv, err)
        if code == 2:
            assert err.count("\n") == 1 and err.startswith("annotator"), err
            assert place.project.read_bytes() == place.pristine, "a refused command changed it"
            assert not (place.root / "new.annot").exists()
        # what reaches the terminal is printable: no escape, no forged line, no surrogate
        for line in (out + err).splitlines():
            assert "\x1b" not in line and not line.startswith("forged line"), line
            line.encode("utf-8")
    finally:
        place.reset()


def _run(
    *args: str | bytes | Path, stdout: object = subprocess.PIPE
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [ANNOTATOR, *map(os.fsencode, args)],
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        env=env,
        timeout=60,
    )


def _one_line(result: subprocess.CompletedProcess[bytes]) -> str:
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_real_argv_bytes_that_are_not_utf8(place: Place) -> None:
    p = os.fsencode(place.project)
    latin1 = place.root / os.fsdecode(b"caf\xe9.txt")
    latin1.write_text("un texte", encoding="utf-8")
    folder = place.root / os.fsdecode(b"dossier-\xe9")
    folder.mkdir()
    (folder / "a.txt").write_text("in a folder", encoding="utf-8")
    try:
        for args in (
            (b"annotate", p, b"--document", b"1", b"--match", b"Senate", b"--note", b"\xff"),
            (b"annotate", p, b"--document", b"caf\xe9", b"--start", b"0", b"--end", b"1"),
            (b"actor", p, b"1", b"--name", b"\xc3"),
            (b"new", os.fsencode(place.root / "x.annot"), b"--annotator", b"\xe9"),
            (b"import", p, os.fsencode(latin1)),  # a file that exists, named in Latin-1
            (b"import", p, os.fsencode(folder / "a.txt")),  # a folder named in Latin-1
            (os.fsencode(place.root / os.fsdecode(b"\xe9.annot")),),  # the window's path
        ):
            err = _one_line(_run(*args))
            assert "not valid text (it holds bytes that are not UTF-8" in err, err
            assert place.project.read_bytes() == place.pristine
        assert "rename it" in _one_line(_run(b"import", p, os.fsencode(latin1)))
        assert not (place.root / "x.annot").exists()
    finally:
        place.reset()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ("export", "P"),
        ("export", "P", "--format", "jsonl"),
        ("list", "P"),
        ("stats", "P"),
        ("stats", "P", "--json"),
        ("actors", "P"),
        ("backups", "P"),
        ("check", "P"),
    ],
    ids=lambda a: "-".join(a),
)
def test_standard_output_on_a_full_disk(args: tuple[str, ...], place: Place) -> None:
    argv = [str(place.fill(a)) for a in args]
    with open("/dev/full", "wb") as full:
        result = _run(*argv, stdout=full)
    err = _one_line(result)
    assert err == "annotator: error: cannot write to standard output: No space left on device\n"


def test_a_closed_pipe_is_no_error(place: Place) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    with subprocess.Popen(
        [ANNOTATOR, "export", str(place.project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        err = proc.stderr.read()
        assert proc.wait(timeout=60) == 0 and err == b""


def _blob_project(place: Place, text: bytes) -> Path:
    copy = place.root / "blob.annot"
    copy.write_bytes(place.pristine)
    conn = sqlite3.connect(copy)
    with conn:
        conn.execute("UPDATE documents SET text = ? WHERE id = 1", (text,))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return copy


def test_document_text_stored_as_a_blob_by_another_program(
    place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    """A BLOB holding UTF-8 is read as its text; one holding other bytes is refused on
    one line and nothing changes."""
    good = _blob_project(place, b"Senate said it would vote on Tuesday.\n")
    code = main(
        ["annotate", str(good), "--document", "1", "--match", "Tuesday", "--label", "claim"]
    )
    assert code == 0, capsys.readouterr().err
    conn = sqlite3.connect(good)
    try:
        assert conn.execute(
            "SELECT text, typeof(text) FROM annotations ORDER BY id DESC LIMIT 1"
        ).fetchone() == ("Tuesday", "text")
    finally:
        conn.close()
    bad = _blob_project(place, b"Senate \xff\xfe said")
    before = bad.read_bytes()
    capsys.readouterr()
    for argv in (
        ["annotate", str(bad), "--document", "1", "--match", "Senate", "--label", "actor"],
        ["annotate", str(bad), "--document", "1", "--start", "0", "--end", "3", "--label", "actor"],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        assert "document 1 of blob.annot holds bytes that are not UTF-8 text" in err
        assert bad.read_bytes() == before


@pytest.mark.parametrize("fmt", ["jsonl", "doccano", "labelstudio", "brat", "qdpx", "csv"])
def test_every_export_reads_a_text_stored_as_a_blob(
    place: Place, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exports read texts in bulk; a UTF-8 BLOB is exported as its text, other bytes are
    refused on one line (was: TypeError in doccano, JSONL and Label Studio)."""
    good = _blob_project(place, b"Senate said it would vote on Tuesday.\n")
    out = place.root / f"out-{fmt}"
    assert main(["export", str(good), "--format", fmt, "-o", str(out)]) == 0, capsys.readouterr()
    capsys.readouterr()
    bad = _blob_project(place, b"Senate \xff\xfe said")
    code = main(["export", str(bad), "--format", fmt, "-o", str(place.root / f"bad-{fmt}")])
    err = capsys.readouterr().err
    assert code in (0, 2) and err.count("\n") == 1, err
    if code == 2:
        assert "document 1 of blob.annot holds bytes that are not UTF-8 text" in err
