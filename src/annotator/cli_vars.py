"""Subcommands for document variables: ``var`` sets them, ``vars`` lists them.

``annotator var PROJECT DOC outlet="Le Monde" date=2024-03-01`` gives a document its
variables (an empty value removes one; a new variable gets the type its value fits, or
the one named with ``--type KEY=TYPE``); ``annotator vars PROJECT [--csv] [-o FILE]``
lists every document with its variables and groups.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Any, TextIO

from annotator.cli_common import Handler, open_project, say, writing_output

VARS_COMMANDS: tuple[str, ...] = ("var", "vars")


def add_vars_commands(sub: Any) -> dict[str, Handler]:
    """Add ``var`` and ``vars`` to *sub* (argparse subparsers); return their handlers."""
    p = sub.add_parser(
        "var",
        help="set a document's variables (date, outlet, country, author...)",
        description="Set variables of one document, each as KEY=VALUE (KEY= removes it). "
        "A new variable's type (text, number, date, boolean) is the one its value fits, "
        "or the one given with --type KEY=TYPE; a value must fit its variable's type "
        "(dates as 2024-03-01 or 2024-03-01T09:30:00Z).",
    )
    p.add_argument("project", type=Path)
    p.add_argument("document", help="the document's id or title")
    p.add_argument("assignments", nargs="+", metavar="KEY=VALUE")
    p.add_argument("--type", action="append", default=[], metavar="KEY=TYPE", dest="types")

    p = sub.add_parser(
        "vars",
        help="list the documents with their variables and groups",
        description="List every document with its variables and the groups it is in: "
        "a table, or CSV with --csv (to standard output, or to FILE with -o).",
    )
    p.add_argument("project", type=Path)
    p.add_argument("--csv", action="store_true", help="write CSV")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    return {"var": _var, "vars": _vars}


def _var(args: argparse.Namespace) -> int:
    from annotator.core.errors import InputError
    from annotator.core.variables import VARIABLE_TYPES, parse_assignment

    types: dict[str, str] = {}
    for text in args.types:
        key, kind = parse_assignment(text)
        if kind not in VARIABLE_TYPES:
            raise InputError(f"--type {key}: a type is one of {', '.join(VARIABLE_TYPES)}")
        types[key] = kind
    pairs = [parse_assignment(text) for text in args.assignments]
    with open_project(args.project) as project:
        doc = project.find_document(args.document)
        with project.transaction():
            for key, kind in types.items():
                project.variables.define(key, kind)
            project.variables.set_many(
                [(doc.id, key, value if value != "" else None) for key, value in pairs]
            )
        now = project.variables.of(doc.id)
    shown = ", ".join(f"{k}={v}" for k, v in now.items()) or "no variables"
    say(f"document {doc.id} '{doc.title}': {shown}")
    return 0


def _vars(args: argparse.Namespace) -> int:
    from annotator.store.queries.export_queries import inert

    with open_project(args.project, read_only=True) as project:
        types = project.variables.types()
        values = project.variables.all()
        groups: dict[int, list[str]] = {}
        for group in project.groups.all():
            for doc in group.document_ids:
                groups.setdefault(doc, []).append(group.name)
        header = ["document_id", "title", *types, "groups"]
        rows = [
            [str(d.id), d.title, *(values.get(d.id, {}).get(k, "") for k in types),
             "; ".join(groups.get(d.id, []))]
            for d in project.documents()
        ]  # fmt: skip
    if args.csv or args.output:
        if args.output:
            with open(args.output, "w", encoding="utf-8", newline="") as out:
                _write_csv(out, header, rows, inert)
            say(f"wrote {len(rows)} documents to {args.output}")
        else:
            with writing_output():
                _write_csv(sys.stdout, header, rows, inert)
        return 0
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        say("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 0


def _write_csv(out: TextIO, header: list[str], rows: list[list[str]], inert: Any) -> None:
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[inert(cell) for cell in row] for row in rows])
