"""A matrix written out as CSV or XLSX (counts as numbers; text through the formula rule)."""

from __future__ import annotations

import csv
from pathlib import Path

from annotator.core.cooccurrence import Matrix
from annotator.core.errors import ProjectError
from annotator.store.file.sidefiles import replacing
from annotator.store.queries.export_queries import inert


def write_matrix(matrix: Matrix, path: Path, title: str = "matrix") -> None:
    """Write *matrix* to *path*: ``.xlsx`` as a workbook, anything else as CSV.
    A failed write leaves no half file and raises ProjectError (one line)."""
    table = matrix.table()
    with replacing(path) as tmp:
        if path.suffix.lower() == ".xlsx":
            _xlsx(table, tmp, title)
        else:
            with tmp.open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                for row in table:
                    writer.writerow([inert(c) if isinstance(c, str) else c for c in row])


def _xlsx(table: list[list[str | int]], path: Path, title: str) -> None:
    from openpyxl import Workbook

    from annotator.formats.xlsx import Cells, new_sheet, save_workbook

    book = Workbook(write_only=True)
    sheet = new_sheet(book, title)
    cells = Cells(sheet)
    for n, row in enumerate(table):
        sheet.append([cells.cell(c, bold=n == 0) for c in row])
    try:
        save_workbook(book, path)
    except OSError as exc:
        raise ProjectError(f"cannot write {path.name}: {exc.strerror or exc}") from None
