"""The ``annotator`` command.

``annotator`` opens the window on the last project, ``annotator PROJECT`` on that
project; the subcommands work headless over the store and the formats. A user
mistake prints one line on stderr and exits with 2; never a traceback.
"""

from __future__ import annotations

import argparse
import io
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import annotator
from annotator.cli_common import (
    LARGEST,
    USER_ERROR,
    Handler,
    OutputError,
    Parser,
    UsageError,
    ValueProblem,
    open_project,
    path_or_address,
    path_value,
    print_table,
    say,
    whole_number,
    writing_output,
)
from annotator.core.errors import AnnotatorError, InputError

if TYPE_CHECKING:
    from annotator.core.codebook import Codebook

# The subcommand modules (and the store they use) are imported when the parser is
# built, not to answer --version (see _dispatch).
SubcommandModule = tuple[
    tuple[str, ...], Callable[[argparse._SubParsersAction], dict[str, Handler]]
]


def _subcommand_modules() -> list[SubcommandModule]:
    from annotator.cli_agree import AGREE_COMMANDS, add_agree_commands
    from annotator.cli_analysis import ANALYSIS_COMMANDS, add_analysis_commands
    from annotator.cli_check import CHECK_COMMANDS, add_check_commands
    from annotator.cli_network import NETWORK_COMMANDS, add_network_commands
    from annotator.cli_safety import SAFETY_COMMANDS, add_safety_commands
    from annotator.cli_suggest import SUGGEST_COMMANDS, add_suggest_commands
    from annotator.cli_team import TEAM_COMMANDS, add_team_commands
    from annotator.cli_vars import VARS_COMMANDS, add_vars_commands

    return [
        (ANALYSIS_COMMANDS, add_analysis_commands),
        (SAFETY_COMMANDS, add_safety_commands),
        (CHECK_COMMANDS, add_check_commands),
        (AGREE_COMMANDS, add_agree_commands),
        (TEAM_COMMANDS, add_team_commands),
        (VARS_COMMANDS, add_vars_commands),
        (SUGGEST_COMMANDS, add_suggest_commands),
        (NETWORK_COMMANDS, add_network_commands),
    ]


class _Version(argparse.Action):
    """argparse's version action, reading the version only when asked (the installed
    metadata costs every other command 0.03 s)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS) -> None:
        super().__init__(
            option_strings,
            dest,
            default=argparse.SUPPRESS,
            nargs=0,
            help="show program's version number and exit",
        )

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        say(f"annotator {annotator.__version__}")
        parser.exit()


OWN_COMMANDS = ("new", "import", "annotate", "list", "export", "demo")


def build_parser(own_only: bool = False) -> argparse.ArgumentParser:
    """The parser of every command (with *own_only*, of this module's commands only:
    enough to run one of them, without importing the other commands' modules)."""
    from annotator.cli_formats import add_export_options, add_import_options
    from annotator.formats.registry import Options, export_names

    parser = Parser(
        prog="annotator",
        description="Annotate public claims in news and policy texts. "
        "Without a command, opens the window (on PROJECT, or on the last project).",
        epilog="Run 'annotator COMMAND --help' for the options of each command.",
    )
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    p = sub.add_parser("new", help="create a project file", description="Create a project file.")
    p.add_argument("project", type=Path, help="the new project file (e.g. claims.annot)")
    p.add_argument("--codebook", type=Path, help="codebook YAML (default: political claims)")
    p.add_argument("--annotator", help="your name as recorded on annotations (default: OS user)")

    p = sub.add_parser(
        "import",
        help="add documents or annotated files to a project",
        description="Add documents (.txt, .md, .html, ...), annotated files or web pages "
        "(an http or https address: fetched once) to a project.",
    )
    p.add_argument("project", type=Path)
    p.add_argument("files", type=path_or_address, nargs="+", metavar="FILE_OR_URL")
    p.add_argument("--format", dest="fmt", help="the files' format, when the name does not tell")
    p.add_argument(
        "--max-new-labels",
        type=whole_number,
        default=Options.max_new_labels,
        metavar="N",
        help="new labels one file may add to the codebook (default: %(default)s)",
    )
    add_import_options(p)

    p = sub.add_parser(
        "annotate",
        help="label a span of a document",
        description="Label a span, given by code-point offsets or by the text it covers. "
        "Prints the id of each annotation made, one a line.",
    )
    p.add_argument("project", type=Path)
    p.add_argument("--document", required=True, metavar="ID_OR_TITLE")
    p.add_argument("--start", type=int, metavar="S", help="first code point (0-based)")
    p.add_argument("--end", type=int, metavar="E", help="code point after the last (exclusive)")
    p.add_argument("--match", metavar="TEXT", help="the exact text to label")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--occurrence", type=int, metavar="N", help="label the N-th match (from 1)")
    which.add_argument("--all", action="store_true", help="label every match")
    p.add_argument("--label", required=True, metavar="KEY")
    p.add_argument("--note", metavar="TEXT")
    p.add_argument(
        "--attribute",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="set an attribute of the new annotation(s); repeatable",
    )

    p = sub.add_parser(
        "list",
        help="documents and their annotation counts per label",
        description="List documents with their annotation counts per label.",
    )
    p.add_argument("project", type=Path)

    p = sub.add_parser(
        "export", help="write annotations out", description="Export the project's annotations."
    )
    p.add_argument("project", type=Path)
    p.add_argument(
        "--format",
        dest="fmt",
        default="csv",
        metavar="FORMAT",
        help=f"one of: {', '.join(export_names())} (default csv)",
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="PATH",
        help="file (or folder) to write; standard output when omitted (csv)",
    )
    p.add_argument(
        "--raw",
        action="store_true",
        help="write cells exactly, without neutralising spreadsheet formulas",
    )
    p.add_argument(
        "--coder",
        action="append",
        default=[],
        metavar="NAME",
        help="export only this coder's annotations (repeatable; e.g. --coder curation)",
    )
    add_export_options(p)

    p = sub.add_parser(
        "demo",
        help="open a demo project with the sample article",
        description="Make (or reuse) a demo project with the sample article "
        "and open it; without a screen, print where it is.",
    )
    p.add_argument("--no-gui", action="store_true", help="only print the project's path")
    if own_only:
        return parser
    for _names, add_commands in _subcommand_modules():
        _HANDLERS.update(add_commands(sub))
    return parser


_HANDLERS: dict[str, Handler] = {}
COMMANDS: tuple[str, ...]  # every subcommand's name (computed on first use)


def __getattr__(name: str) -> tuple[str, ...]:
    if name == "COMMANDS":
        return _commands()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _commands() -> tuple[str, ...]:
    return OWN_COMMANDS + tuple(n for names, _add in _subcommand_modules() for n in names)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; whatever goes wrong, the user sees one line and exit code 2."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        code = _dispatch(args_list)
        with writing_output():
            sys.stdout.flush()  # a full disk or a closed pipe must show here, not at exit
        return code
    except UsageError as exc:
        say(exc, file=sys.stderr)
        return USER_ERROR
    except OutputError as exc:
        _silence_stdout()
        return _fail(str(exc))
    except AnnotatorError as exc:
        return _fail(str(exc))
    except ValueProblem as exc:
        return _fail(f"the PROJECT value {exc}")
    except sqlite3.DatabaseError as exc:  # damage met while reading rows of a long result
        return _fail(
            f"the project file is damaged ({exc}); "
            "its automatic backups are listed by 'annotator backups PROJECT'"
        )
    except KeyboardInterrupt:
        say("annotator: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of our output went away (e.g. `| head`); that is not an error
        _silence_stdout()
        return 0
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(f"{where}{exc.strerror or exc}")
    # The safety net: the checks above the store and the formats should have caught
    # these with a precise message; a user still gets one line, never a traceback.
    except UnicodeError as exc:
        reason = getattr(exc, "reason", exc)
        return _fail(f"a value holds characters that cannot be stored or shown ({reason})")
    except OverflowError:
        return _fail(f"a number is too large (at most {LARGEST})")
    except RecursionError:
        return _fail("the input is nested too deeply to be read")
    except MemoryError:
        return _fail("there is not enough memory for this command")


def _dispatch(args_list: list[str]) -> int:
    if args_list == ["--version"]:  # what the parser would say, without building it
        say(f"annotator {annotator.__version__}")
        return 0
    own = bool(args_list) and args_list[0] in OWN_COMMANDS
    if not args_list or not (own or args_list[0].startswith("-") or args_list[0] in _commands()):
        return _open_gui(path_value(args_list[0]) if args_list else None, args_list[1:])
    args = build_parser(own_only=own).parse_args(args_list)
    return int(_run(args) or 0)


def _fail(message: str) -> int:
    say(f"annotator: error: {message}", file=sys.stderr)
    return USER_ERROR


def _silence_stdout() -> None:
    """Point standard output at the null device, so that the flush at exit (of what
    could not be written) neither fails again nor prints a second message."""
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError):  # not a real file (captured in tests): nothing to do
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def _run(args: argparse.Namespace) -> int:
    if args.command is None:
        build_parser().print_help()
        return 0
    handlers: dict[str, Handler] = {
        "new": _new,
        "import": _import,
        "annotate": _annotate,
        "list": _list,
        "export": _export,
        "demo": _demo,
        **_HANDLERS,
    }
    return handlers[args.command](args)


def _read_codebook(path: Path) -> Codebook:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read codebook {path}: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"codebook {path} is not UTF-8 text") from None
    from annotator.core.codebook import load_codebook

    return load_codebook(text, path.name)


def _new(args: argparse.Namespace) -> int:
    from annotator.store.project import Project

    codebook = _read_codebook(args.codebook) if args.codebook else None
    with Project.create(args.project, codebook, annotator=args.annotator) as project:
        cb = project.codebook()
        say(f"created {args.project} with codebook '{cb.name}' ({len(cb.labels)} labels)")
    return 0


def _import(args: argparse.Namespace) -> int:
    from annotator.cli_formats import import_format, import_options, print_report
    from annotator.formats.registry import Options, import_paths

    options = Options(max_new_labels=args.max_new_labels, **import_options(args))
    with open_project(args.project) as project:
        for item in args.files:
            if isinstance(item, str):  # a web address: fetched (imported only then)
                from annotator.formats.web_fetch import import_url

                name, report = item, import_url(project, item, options)
            else:
                path = item
                name, report = (
                    path.name,
                    import_paths(project, [path], import_format(args), options),
                )
            for doc_id in report.document_ids:
                doc = project.document(doc_id)
                say(f"imported {name} as document {doc.id} '{doc.title}' ({doc.length} characters)")
            if report.annotations:
                say(f"  with {report.annotations} annotations, {report.relations} relations")
            print_report(report, args.verbose)
    return 0


def _annotate(args: argparse.Namespace) -> int:
    offsets = args.start is not None or args.end is not None
    if offsets == (args.match is not None):
        raise InputError("give either --start and --end, or --match")
    with open_project(args.project) as project:
        doc = project.find_document(args.document)
        if offsets:
            if args.start is None or args.end is None:
                raise InputError("--start and --end go together")
            if args.occurrence is not None or args.all:
                raise InputError("--occurrence and --all go with --match")
            spans = [(args.start, args.end)]
        else:
            spans = _matches(project.text(doc), args.match, doc.title, args.occurrence, args.all)
        from annotator.cli_analysis import parse_attributes

        attributes = parse_attributes(args.attribute)
        with project.transaction():
            made = project.annotate_many(doc, [(s, e, args.label, args.note) for s, e in spans])
            for annotation in made:
                if attributes:
                    project.set_attributes(annotation.id, dict(attributes))
        for annotation in made:
            say(annotation.id)
    return 0


def _matches(
    text: str, needle: str, title: str, occurrence: int | None, every: bool
) -> list[tuple[int, int]]:
    if not needle:
        raise InputError("--match needs some text")
    found, at = [], text.find(needle)
    while at != -1:
        found.append((at, at + len(needle)))
        at = text.find(needle, at + len(needle))
    if not found:
        raise InputError(f"'{needle}' does not occur in document '{title}'")
    if every:
        return found
    if occurrence is not None:
        if not 1 <= occurrence <= len(found):
            raise InputError(
                f"'{needle}' occurs {len(found)} time(s) in '{title}'; "
                f"--occurrence must be 1 to {len(found)}"
            )
        return [found[occurrence - 1]]
    if len(found) > 1:
        raise InputError(
            f"'{needle}' occurs {len(found)} times in '{title}'; "
            f"say which with --occurrence N (1 to {len(found)}) or --all"
        )
    return found


def _list(args: argparse.Namespace) -> int:
    with open_project(args.project, read_only=True) as project:
        keys = [label.key for label in project.labels()]
        counts = project.counts()
        rows = []
        for doc in project.documents():
            per = counts.get(doc.id, {})
            rows.append(
                [
                    str(doc.id),
                    doc.title,
                    str(doc.length),
                    *(str(per.get(k, 0)) for k in keys),
                    str(sum(per.values())),
                ]
            )
        print_table(["id", "title", "characters", *keys, "total"], rows, left={1})
        if not rows:
            say(f"({project.path.name} has no documents yet: annotator import {args.project} FILE)")
    return 0


def _export(args: argparse.Namespace) -> int:
    from annotator.cli_formats import export_options, print_report
    from annotator.formats.registry import Options, export_project

    with open_project(args.project, read_only=True) as project:
        options = Options(raw=args.raw, coders=tuple(args.coder), **export_options(args))
        if args.output is None:
            out = io.TextIOWrapper(
                sys.stdout.buffer, encoding="utf-8", newline="", write_through=False
            )
            with writing_output():
                try:
                    report = export_project(project, args.fmt, out, options)
                    out.flush()
                finally:
                    out.detach()
        else:
            report = export_project(project, args.fmt, args.output, options)
            say(f"wrote {report.annotations} annotations to {args.output}", file=sys.stderr)
        print_report(report, args.verbose)
    return 0


def _demo(args: argparse.Namespace) -> int:
    from annotator.demo import demo_project

    path = demo_project()
    say(f"demo project: {path}")
    if args.no_gui or _headless():
        return 0
    return _open_gui(path, [])


def _headless() -> bool:
    if os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal")):
        return True
    return sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def _open_gui(project: Path | None, rest: list[str]) -> int:
    if rest:
        raise InputError(f"unexpected arguments after the project: {' '.join(rest)}")
    if project is not None and not project.exists():
        raise InputError(
            f"there is no project {project} (and '{project}' is not a command; "
            f"commands: {', '.join(_commands())})"
        )
    from annotator.gui.app import run

    return run(project)
