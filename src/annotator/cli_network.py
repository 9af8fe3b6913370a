"""``annotator network PROJECT -o FILE``: DNA's networks of the project's claims.

The options are rDNA's ``dna_network()`` arguments with its defaults (two-mode,
organization x concept, qualifier ignored, no normalisation, duplicates included);
the file's extension chooses the format (.csv matrix, .dl UCINET, .graphml visone).
See docs/analysis.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.cli_common import Handler, open_project, say, whole_number

NETWORK_COMMANDS: tuple[str, ...] = ("network",)


def add_network_commands(sub: Any) -> dict[str, Handler]:
    from annotator.core import dna_network as dn

    p = sub.add_parser(
        "network",
        help="compute a discourse network as DNA does (CSV, DL or GraphML)",
        description="Compute DNA's one-mode or two-mode network of the claims (one "
        "statement per claim and claimant: organization or person, concept = issue, "
        "agreement = position) and write it as a .csv matrix, a .dl UCINET file or a "
        ".graphml file (visone). Defaults are rDNA's dna_network() defaults.",
    )
    p.add_argument("project", type=Path)
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    p.add_argument("--type", dest="network_type", default="twomode", choices=dn.NETWORK_TYPES)
    p.add_argument("--variable1", default="organization", metavar="VAR")
    p.add_argument("--variable2", default="concept", metavar="VAR")
    p.add_argument(
        "--aggregation",
        default="ignore",
        choices=sorted({*dn.ONEMODE_AGGREGATIONS, *dn.TWOMODE_AGGREGATIONS}),
    )
    p.add_argument(
        "--normalization",
        default="no",
        choices=sorted({*dn.ONEMODE_NORMALISATIONS, *dn.TWOMODE_NORMALISATIONS}),
    )
    p.add_argument("--duplicates", default="include", choices=dn.DUPLICATES)
    p.add_argument(
        "--time-window",
        default="no",
        choices=dn.TIME_WINDOWS,
        help="days: one network per day over a window of --window-size days",
    )
    p.add_argument("--window-size", type=whole_number, default=100, metavar="DAYS")
    p.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="VAR=VALUE",
        help="leave out statements with this value (repeatable)",
    )
    for field in ("author", "source", "section", "type"):
        p.add_argument(
            f"--exclude-{field}",
            action="append",
            default=[],
            metavar="VALUE",
            help=f"leave out statements of documents with this {field}",
        )
    return {"network": _network}


def _network(args: argparse.Namespace) -> int:
    from annotator.core.dna_network import networks, position_options
    from annotator.core.errors import InputError
    from annotator.core.variables import parse_assignment
    from annotator.formats._dna_matrix import MATRIX_EXTENSIONS, write_matrices
    from annotator.store.queries.dna_queries import dna_statements

    if args.output.suffix.lower() not in MATRIX_EXTENSIONS:
        raise InputError(
            f"{args.output.name}: a network file ends in {', '.join(MATRIX_EXTENSIONS)}"
        )
    exclude: dict[str, set[str]] = {}
    for text in args.exclude:
        key, value = parse_assignment(text)
        exclude.setdefault(key, set()).add(value)
    for field in ("author", "source", "section", "type"):
        for value in getattr(args, f"exclude_{field}"):
            exclude.setdefault(field, set()).add(value)
    options = position_options(
        network_type=args.network_type,
        variable1=args.variable1,
        variable2=args.variable2,
        aggregation=args.aggregation,
        normalization=args.normalization,
        duplicates=args.duplicates,
        time_window="days" if args.time_window != "no" else "no",
        window_size=args.window_size,
        exclude={k: frozenset(v) for k, v in exclude.items()},
    )
    options.check()
    with open_project(args.project, read_only=True) as project:
        statements = dna_statements(project)
    matrices = networks(statements, options)
    if not matrices:
        raise InputError(
            f"no time window of {args.window_size} days fits between the first and last statement"
        )
    one_mode = options.network_type == "onemode"
    paths = write_matrices(
        args.output, matrices, one_mode, args.variable1, args.variable2, args.aggregation
    )
    m = matrices[0]
    say(
        f"{len(matrices)} network{'s' if len(matrices) > 1 else ''} of {m.statements} statements "
        f"({len(m.rows)} x {len(m.columns)}) written to {paths[0]}"
        + (f" and {len(paths) - 1} more" if len(paths) > 1 else "")
    )
    return 0
