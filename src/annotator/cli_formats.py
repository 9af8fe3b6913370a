"""The import and export options of the formats, and the report printed after each:
what came in or went out, what the format could not carry (with counts) and what the
reading assumed (position unit, line ends), on stderr."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from annotator.cli_common import say, warn
from annotator.core.errors import InputError
from annotator.formats.registry import Report, report_lines


def add_import_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--text-field",
        metavar="KEY",
        help="doccano: the key of each line's text (doccano's column_data; default text)",
    )
    p.add_argument(
        "--label-field",
        metavar="KEY",
        help="doccano: the key of each line's spans (doccano's column_label; default label)",
    )
    p.add_argument(
        "--html",
        choices=("article", "page"),
        default="article",
        help="web pages: the article only (default), or all the page's visible text",
    )
    p.add_argument("--verbose", action="store_true", help="list each thing left out")


def add_export_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--columns",
        metavar="A,B,...",
        help="csv, xlsx: these columns in this order (docs/formats-exchange.md names them)",
    )
    p.add_argument(
        "--for",
        dest="target",
        metavar="PROGRAM",
        help="qdpx: the program the file is for (nvivo: positions in UTF-16 units)",
    )
    p.add_argument(
        "--password",
        help="dna: the coders' password in the file (default: none, i.e. empty)",
    )
    p.add_argument("--verbose", action="store_true", help="list each thing left out")


def import_options(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments of :class:`~annotator.formats.registry.Options` from *args*."""
    return {"text_field": args.text_field, "label_field": args.label_field, "html": args.html}


def import_format(args: argparse.Namespace) -> str | None:
    """The format named by --format, or doccano when only its field options tell."""
    if args.fmt is None and (args.text_field or args.label_field):
        return "doccano"
    return str(args.fmt) if args.fmt is not None else None


COLUMN_FORMATS = ("csv", "xlsx")
TARGET_FORMATS = ("qdpx",)  # the formats whose file depends on the program it is for


def export_options(args: argparse.Namespace) -> dict[str, Any]:
    columns = tuple(c.strip() for c in (args.columns or "").split(",") if c.strip())
    if args.columns is not None and not columns:
        raise InputError("--columns needs column names, e.g. --columns document,text,label")
    if columns and args.fmt not in COLUMN_FORMATS:
        raise InputError(f"--columns goes with --format {' or '.join(COLUMN_FORMATS)}")
    if args.target is not None and args.fmt not in TARGET_FORMATS:
        raise InputError(f"--for goes with --format {' or '.join(TARGET_FORMATS)}")
    if args.password is not None and args.fmt != "dna":
        raise InputError("--password goes with --format dna")
    return {"columns": columns, "target": args.target, "password": args.password}


def print_report(report: Report, verbose: bool = False) -> None:
    """The warnings, then what was dropped and assumed (and with *verbose* the details)."""
    for warning in report.warnings:
        warn(warning)
    for line in report_lines(report, verbose, warnings=False):
        say(f"annotator: {line}", file=sys.stderr)
