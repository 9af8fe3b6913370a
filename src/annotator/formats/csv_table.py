"""CSV: one row per annotation, for Excel, LibreOffice, pandas and R.

UTF-8 with a BOM (Excel then reads every script), RFC 4180 quoting (newlines and
quotes inside spans survive), and cells that a spreadsheet would run as a formula
made inert with a leading apostrophe unless ``raw`` is asked for.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from annotator.core.errors import ProjectError
from annotator.formats.registry import Options, Report, exporter
from annotator.store.project import Project

COLUMNS = (
    "document",
    "document_id",
    "annotation_id",
    "start",
    "end",
    "text",
    "label",
    "label_name",
    "note",
    "annotator",
    "created",
    "modified",
)
TEXT_COLUMNS = frozenset({0, 5, 6, 7, 8, 9})  # indexes of free-text cells
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value: str) -> str:
    """Make a cell that a spreadsheet would evaluate start with an apostrophe."""
    return "'" + value if value.startswith(FORMULA_START) else value


ROWS_SQL = (
    'SELECT document, document_id, annotation_id, start, "end", text, label, label_name, '
    "coalesce(note, ''), annotator, created, modified FROM annotations_flat "
    'ORDER BY document_id, start, "end", annotation_id'
)


def annotation_rows(project: Project, options: Options) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of :data:`COLUMNS` in chunks, in document and text order (CSV and XLSX)."""
    total = project.execute("SELECT count(*) FROM annotations").fetchone()[0]
    cursor = project.execute(ROWS_SQL)
    n = 0
    while rows := cursor.fetchmany(10_000):
        yield rows
        n += len(rows)
        options.tick(n, total)


def export_rows(project: Project, out: TextIO, options: Options) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    n = 0
    for rows in annotation_rows(project, options):
        if not options.raw:
            rows = [
                tuple(inert(v) if i in TEXT_COLUMNS and v else v for i, v in enumerate(row))
                for row in rows
            ]
        writer.writerows(rows)
        n += len(rows)
    return n


@exporter("csv", ".csv", "One row per annotation (UTF-8 with BOM)", streams=True)
def export_csv(project: Project, target: Path | TextIO, options: Options) -> Report:
    if isinstance(target, Path):
        tmp = target.with_name(target.name + ".part")
        try:
            with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
                n = export_rows(project, fh, options)
            tmp.replace(target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise ProjectError(f"cannot write {target}: {exc.strerror}") from None
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    else:
        target.write("\ufeff")
        n = export_rows(project, target, options)
    return Report(annotations=n)
