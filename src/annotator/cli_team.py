"""Subcommands for several coders on one corpus: handout, merge, coders.

``add_team_commands`` adds their parsers to the ``annotator`` parser and returns their
handlers; :mod:`annotator.cli` wires them in.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.cli_common import Handler, open_project, say, warn
from annotator.core.errors import InputError
from annotator.store.team.merge import handout, merge_files

TEAM_COMMANDS: tuple[str, ...] = ("handout", "merge", "coders")


def add_team_commands(sub: Any) -> dict[str, Handler]:
    """Add the team subcommands to *sub* (argparse subparsers); return their handlers."""
    p = sub.add_parser(
        "handout",
        help="write one project per coder (same documents and codebook, blind mode on)",
        description="Write one project file per coder into a folder: the same documents "
        "and codebook, no annotations, blind mode on, that coder set as the current one. "
        "Merge their files back with 'annotator merge'.",
    )
    p.add_argument("project", type=Path)
    p.add_argument("--coders", nargs="+", required=True, metavar="NAME")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="DIR")

    p = sub.add_parser(
        "merge",
        help="bring coders' project files into one project",
        description="Merge coders' project files into TARGET: documents are matched by "
        "the SHA-256 of their text, annotations by their stable id, so merging a file "
        "twice changes nothing. A label defined differently in a source refuses the merge "
        "unless mapped with --map SOURCE_KEY=TARGET_KEY.",
    )
    p.add_argument("target", type=Path)
    p.add_argument("sources", type=Path, nargs="+", metavar="SOURCE")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FROM=TO",
        help="merge a source's label FROM as the target's label TO (repeatable)",
    )

    p = sub.add_parser(
        "coders",
        help="list the coders of a project, set the current one, switch blind mode",
        description="List the coders of a project with their annotation counts; "
        "--current NAME makes NAME the coder of new annotations; --blind on/off "
        "shows each coder only their own layer.",
    )
    p.add_argument("project", type=Path)
    p.add_argument("--current", metavar="NAME")
    p.add_argument("--blind", choices=("on", "off"))
    return {"handout": _handout, "merge": _merge, "coders": _coders}


def _handout(args: argparse.Namespace) -> int:
    with open_project(args.project, read_only=True) as project:
        made = handout(project, args.coders, args.output)
    for path in made:
        say(f"wrote {path}")
    return 0


def _label_map(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        source, sep, target = pair.partition("=")
        if not sep or not source.strip() or not target.strip():
            raise InputError(f"--map takes SOURCE_KEY=TARGET_KEY, not '{pair}'")
        out[source.strip()] = target.strip()
    return out


def _merge(args: argparse.Namespace) -> int:
    with open_project(args.target) as project:
        reports = merge_files(project, args.sources, label_map=_label_map(args.map))
    for report in reports:
        for line in report.lines():
            (warn if ": conflict: " in line else say)(line)
    return 0


def _coders(args: argparse.Namespace) -> int:
    changing = args.current is not None or args.blind is not None
    with open_project(args.project, read_only=not changing) as project:
        if args.current is not None:
            project.coders.set_current(args.current)
        if args.blind is not None:
            project.coders.set_blind(args.blind == "on")
        for coder in project.coders.all():
            mark = "*" if coder.current else " "
            say(f"{mark} {coder.name}  {coder.annotations} annotations")
        say(f"blind mode: {'on' if project.coders.blind else 'off'}")
    return 0
