"""CSV: one row per annotation, for Excel, LibreOffice, pandas and R.

UTF-8 with a BOM (Excel then reads every script), RFC 4180 quoting (newlines and
quotes inside spans survive), and cells that a spreadsheet would run as a formula
made inert with a leading apostrophe unless ``raw`` is asked for: the one rule of every
CSV and XLSX export, :func:`~annotator.store.export_queries.runs_as_formula`, applied
by SQLite's ``printf`` here (:func:`~annotator.store.export_queries.inert_sql`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from annotator.formats.registry import Options, Report, exporter, replacing
from annotator.store.export_queries import (
    FLAT_COLUMNS,
    count_annotations,
    csv_lines,
    csv_rows,
    flat_rows,
    has_nul_cells,
    inert,
)
from annotator.store.project import Project

COLUMNS = FLAT_COLUMNS


def annotation_rows(project: Project, options: Options) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of :data:`COLUMNS` in chunks, in document and text order (XLSX)."""
    return flat_rows(project, options.tick)


def export_rows(project: Project, out: TextIO, options: Options) -> int:
    out.write(",".join(COLUMNS if options.raw else map(inert, COLUMNS)) + "\r\n")
    n = 0
    if has_nul_cells(project):  # rare: csv.writer keeps NUL characters, printf would not
        total = count_annotations(project)
        writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
        cursor = csv_rows(project, raw=options.raw)
        while rows := cursor.fetchmany():
            writer.writerows(rows)
            n += len(rows)
            options.tick(n, total)
        return n
    for lines in csv_lines(project, raw=options.raw, tick=options.tick):
        lines.append("")  # the line end after the last line of the chunk
        out.write("\r\n".join(lines))
        n += len(lines) - 1
    return n


@exporter("csv", ".csv", "One row per annotation (UTF-8 with BOM)", streams=True)
def export_csv(project: Project, target: Path | TextIO, options: Options) -> Report:
    if isinstance(target, Path):
        with replacing(target) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            n = export_rows(project, fh, options)
    else:
        target.write("\ufeff")
        n = export_rows(project, target, options)
    return Report(annotations=n)
