"""What every subcommand shares: the argument parser, terminal output, opening a project.

Arguments are checked once, where the parser hands them over (:meth:`Parser._get_value`):
every value must be valid text (Python gives bytes that are not UTF-8 as lone surrogates),
and every number (``type=int``) is a whole number of ASCII digits from 0 to 2**63 - 1
(what SQLite stores). A value that does not fit is refused on one line, exit 2, before
anything is opened. New arguments get the same checks without doing anything.

Everything printed for a person goes through :func:`say` or :func:`warn`, which pass the
line through :func:`annotator.core.terminal.for_terminal`; data written to standard
output (CSV, JSON) does not.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from annotator.core.errors import AnnotatorError
from annotator.core.terminal import for_terminal

if TYPE_CHECKING:  # the store is imported when a command opens a project, not to parse
    from annotator.store.project import Project

USER_ERROR = 2
LARGEST = 2**63 - 1  # the largest integer SQLite stores

Handler = Callable[[argparse.Namespace], int]


class ValueProblem(ValueError):
    """An argument value that does not fit; the message follows "the --x value"."""


class UsageError(Exception):
    """A mistake in the command line; the message is the whole line to print."""


class OutputError(AnnotatorError):
    """Standard output cannot be written (``> /dev/full``, a full disk)."""


@contextmanager
def writing_output() -> Iterator[None]:
    """Turn a failed write to standard output into :class:`OutputError` (a closed pipe
    stays :class:`BrokenPipeError`: the reader went away, which is no error)."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None


def say(line: object = "", *, file: TextIO | None = None) -> None:
    """Print one line for a person: controls, bidi overrides and undecodable bytes shown
    as escapes (the line never moves the cursor, clears the screen or forges a line)."""
    shown = for_terminal(str(line))
    if file is sys.stderr:
        with contextlib.suppress(OSError):  # stderr itself cannot be written: nowhere to say it
            print(shown, file=file)
        return
    with writing_output():
        print(shown, file=file or sys.stdout)


def emit(data: str) -> None:
    """Print data for a program (JSON) exactly as it is."""
    with writing_output():
        print(data)


def warn(message: str) -> None:
    say(f"annotator: warning: {message}", file=sys.stderr)


def _shown(value: str) -> str:
    text = for_terminal(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def check_text(value: str) -> str:
    """*value* unchanged, or :class:`ValueProblem` when it holds lone surrogates."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        if all(0xDC80 <= ord(c) <= 0xDCFF for c in value if 0xD800 <= ord(c) < 0xE000):
            why = "it holds bytes that are not UTF-8"
        else:
            why = "it holds unpaired UTF-16 surrogates"
        raise ValueProblem(f"{_shown(value)} is not valid text ({why})") from None
    return value


def whole_number(value: str) -> int:
    """A number given on the command line: ASCII digits only, 0 to :data:`LARGEST`.

    ``int()`` would also take ``1_0``, `` 7 ``, Arabic-Indic digits and 5,000-digit
    numbers (which SQLite cannot store: OverflowError far from here).
    """
    digits = value[1:] if value[:1] in "+-" else value
    if not (digits.isascii() and digits.isdigit()):
        raise ValueProblem(f"{_shown(value)} is not a whole number")
    if len(digits) > 19 or int(digits) > LARGEST:
        shown = _shown(value) if len(value) <= 30 else f"(a number of {len(digits)} digits)"
        raise ValueProblem(f"{shown} is too large (at most {LARGEST})")
    number = -int(digits) if value.startswith("-") else int(digits)
    if number < 0:
        raise ValueProblem(f"{value} must be 0 or more")
    return number


def path_value(value: str) -> Path:
    """A file name given on the command line: it must be text, as it is stored and shown
    (a name holding bytes that are not UTF-8 is refused, with a word to rename it)."""
    try:
        check_text(value)
    except ValueProblem as problem:
        raise ValueProblem(f"{problem}; rename it to a UTF-8 name") from None
    return Path(value)


def path_or_address(value: str) -> Path | str:
    """A file name (as :func:`path_value`), or a web address kept as written (a Path
    would fold its "//")."""
    return check_text(value) if "://" in value else path_value(value)


_CONVERTERS: dict[Any, Callable[[str], Any]] = {
    None: check_text,
    str: check_text,
    int: whole_number,
    Path: path_value,
    path_or_address: path_or_address,
}


def _name(action: argparse.Action) -> str:
    if action.option_strings:
        return max(action.option_strings, key=len)
    if isinstance(action.metavar, str):
        return action.metavar
    return str(action.dest).upper()


class Parser(argparse.ArgumentParser):
    """argparse that checks every value it hands over and reports a mistake on one line."""

    def _get_value(self, action: argparse.Action, arg_string: str) -> Any:
        if action.nargs == argparse.PARSER:  # the subcommand: its own parser checks the rest
            return super()._get_value(action, arg_string)
        convert = _CONVERTERS.get(action.type)
        try:
            if convert is None:  # a type of its own: the text is checked, then converted
                return super()._get_value(action, check_text(arg_string))
            return convert(arg_string)
        except ValueProblem as problem:
            self.error(f"the {_name(action)} value {problem}")

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: error: {message} (see {self.prog} --help)")


@contextmanager
def open_project(path: Path, *, read_only: bool = False) -> Iterator[Project]:
    """Open a project for one command; say once, when it is closed, if its automatic
    backup failed (with the reason and the folder backups go to)."""
    from annotator.store.project import Project

    project = Project.open(path, read_only=read_only)
    try:
        yield project
    finally:
        project.close()  # a backup running in the background reports when it ends
        if project.backup_problem:
            warn(backup_warning(project.backup_problem, path))


def backup_warning(problem: str, path: Path) -> str:
    """``the automatic backup failed: REASON; backups go to FOLDER``."""
    message = problem.rstrip(". ")
    if not message.startswith("the automatic backup failed"):
        message = f"the automatic backup failed: {message}"
    from annotator.store.file.backup import backup_dir

    folder = str(backup_dir(path))
    if folder not in message:
        message += f"; backups go to {folder}"
    return message


def print_table(header: Sequence[str], rows: list[list[str]], left: set[int]) -> None:
    """Columns padded to their widest cell (columns in *left* left-aligned, the others
    right-aligned); every cell as it shows on a terminal."""
    table = [[for_terminal(c) for c in row] for row in [list(header), *rows]]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for row in table:
        cells = [
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        say("  ".join(cells).rstrip())
