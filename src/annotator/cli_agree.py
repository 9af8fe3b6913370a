"""``annotator agree``: intercoder agreement of a project's coders, as text, JSON, CSV or HTML.

The figures come from :func:`annotator.core.agreement.report.agreement_report` over the
rows :func:`annotator.store.queries.agreement_queries.agreement_input` reads; this module only
parses the command line and prints. ``add_agree_commands`` adds the parser to the
``annotator`` parser and returns the handler; :mod:`annotator.cli` wires it in.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.cli_common import Handler, emit, open_project, say
from annotator.core.errors import InputError
from annotator.store.file.sidefiles import replacing

if TYPE_CHECKING:
    from annotator.core.agreement.report import AgreementReport, Figure

# The measures (and numpy under them) are imported when `agree` runs, not when the
# parser of every other subcommand is built.

AGREE_COMMANDS: tuple[str, ...] = ("agree",)
SHOWN = 20


def add_agree_commands(sub: Any) -> dict[str, Handler]:
    """Add the ``agree`` subcommand to *sub* (argparse subparsers); return its handler."""
    p = sub.add_parser(
        "agree",
        help="intercoder agreement: spans, characters (alpha_U), kappa and alpha, claims",
        description="Agreement between a project's coders, on the documents every chosen "
        "coder annotated: span precision/recall/F1 (exact and overlap match), "
        "Krippendorff's alpha_U and NVivo-style character agreement per label, percent "
        "agreement, Cohen's kappa, Scott's pi, Bennett's S, Fleiss' kappa and "
        "Krippendorff's alpha on matched spans, and agreement on claims' claimant, "
        "addressee, position and issue; then the disagreements. Each figure says what "
        "it is computed on, or why it is undefined.",
    )
    p.add_argument("project", type=Path)
    p.add_argument("--coders", nargs="+", metavar="NAME", help="default: every coder")
    p.add_argument("--labels", nargs="+", metavar="KEY", help="default: every label")
    p.add_argument("--documents", nargs="+", metavar="ID_OR_TITLE", help="default: every document")
    p.add_argument(
        "--with-suggestions",
        metavar="SOURCE",
        help="compare the stored suggestions of SOURCE (e.g. learned) as one more coder, "
        "on the documents they were made for; one other coder is then enough",
    )
    p.add_argument(
        "--with-model",
        action="store_true",
        help="compare the learned model as one more coder, held out: each annotated "
        "document is predicted by a model trained on the other folds (nothing annotated "
        "skipped); one other coder is then enough",
    )
    p.add_argument(
        "--folds",
        type=int,
        metavar="N",
        help="with --with-model: the folds the annotated documents are split into (default 5)",
    )
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="the whole report as JSON")
    out.add_argument("--csv", action="store_true", help="the whole report as CSV (needs -o)")
    out.add_argument("--html", action="store_true", help="the whole report as HTML (needs -o)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    p.add_argument(
        "--show",
        type=int,
        default=SHOWN,
        metavar="N",
        help=f"text output: documents and disagreements listed (default {SHOWN})",
    )
    return {"agree": _agree}


def _agree(args: argparse.Namespace) -> int:
    from annotator.core.agreement.report import agreement_report
    from annotator.formats.agreement_report import (
        agreement_json,
        write_agreement_csv,
        write_agreement_html,
    )
    from annotator.store.queries.agreement_queries import (
        MODEL_CODER,
        agreement_input,
        check_choice,
        held_out_coder,
    )

    if (args.csv or args.html) and args.output is None:
        raise InputError(f"--{'csv' if args.csv else 'html'} needs -o FILE")
    if args.output is not None and not (args.csv or args.html or args.json):
        raise InputError("-o FILE goes with --json, --csv or --html")
    if args.with_model and args.with_suggestions is not None:
        raise InputError("--with-model and --with-suggestions: choose one")
    if args.folds is not None and not args.with_model:
        raise InputError("--folds goes with --with-model")
    with open_project(args.project, read_only=True) as project:
        model = None
        if args.with_model:
            check_choice(project, args.coders, args.labels, args.documents)  # before training
            model = held_out_coder(project, folds=5 if args.folds is None else args.folds)
        data = agreement_input(
            project,
            coders=args.coders,
            labels=args.labels,
            documents=args.documents,
            suggestions=args.with_suggestions,
            extra_coder=model,
        )
        name = project.path.name
    report = agreement_report(data)
    if args.json:
        text = agreement_json(report)
        if args.output is None:
            emit(text)
        else:
            with replacing(args.output) as tmp:
                tmp.write_text(text + "\n", encoding="utf-8")
            say(f"wrote {args.output}")
    elif args.csv:
        rows = write_agreement_csv(report, args.output)
        say(f"wrote {args.output} ({rows} rows)")
    elif args.html:
        write_agreement_html(report, args.output, f"Agreement: {name}")
        say(f"wrote {args.output}")
    else:
        if model is not None:
            folds = min(5 if args.folds is None else args.folds, len(model.spans))
            say(
                f"{MODEL_CODER}: each of the {len(model.spans)} annotated documents predicted "
                f"by the learned model trained on the other folds ({folds} folds)"
            )
        for line in report_lines(report, args.show):
            say(line)
    return 0


def _figure_line(figure: Figure, document: bool = False) -> str:
    from annotator.formats.agreement_report import coders_text

    where = f"document {figure.document}, " if document else ""
    about = f", {figure.label}" if figure.label is not None else ""
    return f"  {where}{coders_text(figure.coders)}{about}: {figure.agreement}"


def report_lines(report: AgreementReport, shown: int = SHOWN) -> list[str]:
    """The text report: one line per figure (pooled and per label; per document for the
    first *shown* shared documents), then the first *shown* disagreements."""
    from annotator.core.agreement.report import SECTIONS
    from annotator.formats.agreement_report import codings_text

    shared = len(report.shared)
    lines = [
        f"Agreement of {', '.join(report.coders)} on {shared} shared document"
        f"{'s' if shared != 1 else ''} (of {report.selected} selected; a document is "
        "shared when every chosen coder annotated it)",
        f"Labels: {', '.join(report.labels)}",
        f"{report.merged} overlapping spans of one coder and label merged for alpha_U; "
        f"{report.units} matched units; {report.claims} claims matched across coders",
    ]
    first = set(report.shared[:shown])
    for key, title in SECTIONS.items():
        figures = report.select(key)
        if not figures:
            continue
        lines += ["", title, f"  rule: {report.rules[key]}"]
        lines += [_figure_line(f) for f in figures if f.document is None]
        per_document = [f for f in figures if f.document in first]
        if per_document:
            more = f" (first {shown} of {shared})" if shared > shown else ""
            lines.append(f"  per document{more}:")
            lines += ["  " + _figure_line(f, document=True) for f in per_document]
    total = len(report.disagreements)
    more = f", first {shown}" if total > shown else ""
    lines += ["", f"Disagreements ({total}{more}; all with --json or --csv)"]
    for d in report.disagreements[:shown]:
        missing = f"; not marked by {', '.join(d.missing)}" if d.missing else ""
        lines.append(
            f"  document {d.document_id} '{d.document}' {d.start}-{d.end} {d.kind}: "
            f"{codings_text(d)}{missing}"
        )
    return lines
