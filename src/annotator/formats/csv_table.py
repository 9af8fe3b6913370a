"""CSV: one row per annotation, for Excel, LibreOffice, pandas and R.

UTF-8 with a BOM (Excel then reads every script), RFC 4180 quoting (newlines and
quotes inside spans survive), and cells that a spreadsheet would run as a formula
made inert with a leading apostrophe unless ``raw`` is asked for: the one rule of every
CSV and XLSX export, :func:`~annotator.store.queries.export_queries.runs_as_formula`, applied
by SQLite's ``printf`` here (:func:`~annotator.store.queries.export_queries.inert_sql`).

The columns (:mod:`annotator.store.queries.table_columns`) carry the claims structure: the
flat columns, the canonical ``actor``, the claim roles, one column per attribute and
one per document variable; ``--columns`` picks and orders them. Relations other than
the claim roles, document groups, label hierarchy and memos are not carried (counted in
the report).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from annotator.core.analysis import ROLE_NAMES
from annotator.formats.registry import Options, Report, exporter, replacing
from annotator.store.project import Project
from annotator.store.queries.export_queries import (
    count_annotations,
    csv_lines,
    csv_rows,
    has_nul_cells,
    inert,
    table_rows,
    uncarried,
)
from annotator.store.queries.table_columns import FLAT, Column, pick_columns, table_columns

COLUMNS = FLAT
"""The flat columns, the first of every default table."""


def columns_of(project: Project, options: Options) -> list[Column]:
    """The table's columns: those of ``options.columns`` in that order, else all."""
    return pick_columns(table_columns(project), options.columns)


def annotation_rows(
    project: Project, columns: list[Column], options: Options
) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of *columns* in chunks, in document and text order (XLSX)."""
    return table_rows(project, columns, options.tick)


def dropped(project: Project, columns: list[Column]) -> Report:
    """A report of what a table with *columns* leaves out of *project*."""
    names = {c.name for c in columns}
    carried = ["attribute value", "document variable"]
    carried += [kind for kind, name in (("note", "note"), ("actor link", "actor")) if name in names]
    roles = [r for r in ROLE_NAMES if r in names]
    counts = uncarried(
        project,
        carried,
        relation_types=roles,
        attribute_keys=[c.attribute for c in columns if c.attribute is not None],
        variable_keys=[c.variable for c in columns if c.variable is not None],
    )
    return Report(dropped=counts)


def export_rows(project: Project, out: TextIO, options: Options) -> Report:
    columns = columns_of(project, options)
    report = dropped(project, columns)
    names = [c.name for c in columns]
    out.write(",".join(names if options.raw else map(inert, names)) + "\r\n")
    n = 0
    if has_nul_cells(project):  # rare: csv.writer keeps NUL characters, printf would not
        total = count_annotations(project)
        writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
        cursor = csv_rows(project, raw=options.raw, columns=columns)
        while rows := cursor.fetchmany():
            writer.writerows(rows)
            n += len(rows)
            options.tick(n, total)
    else:
        for lines in csv_lines(project, raw=options.raw, tick=options.tick, columns=columns):
            lines.append("")  # the line end after the last line of the chunk
            out.write("\r\n".join(lines))
            n += len(lines) - 1
    report.annotations = n
    return report


@exporter("csv", ".csv", "One row per annotation (UTF-8 with BOM)", streams=True)
def export_csv(project: Project, target: Path | TextIO, options: Options) -> Report:
    if isinstance(target, Path):
        columns_of(project, options)  # an unknown column is refused before any writing
        with replacing(target) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            return export_rows(project, fh, options)
    columns_of(project, options)
    target.write("\ufeff")
    return export_rows(project, target, options)
