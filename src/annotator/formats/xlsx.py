"""XLSX workbook: the CSV table, and the codebook (export only).

Sheet "Annotations" has the CSV's columns (:func:`~annotator.formats.csv_table.columns_of`,
from the same query: the claims structure, one column per attribute and per document
variable; ``--columns`` picks them); sheet "Codebook" lists the labels with their parent
(the label hierarchy) and their colour as the cell's fill. Every text is written as a string cell,
so a span such as ``=SUM(A1)`` is shown as written and never runs as a formula; a text
that the formula rule of every CSV and XLSX export flags also gets Excel's quote prefix
(what Excel stores for a typed apostrophe), so editing the cell keeps it text; ``--raw``
leaves the prefix out. Characters XLSX
cannot hold (control characters) become U+FFFD and cells longer than Excel's limit
are cut, each with a warning. The workbook is written in openpyxl's write-only mode,
row by row.
"""

from __future__ import annotations

import contextlib
import zipfile
from pathlib import Path
from typing import Any, TextIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.writer.excel import ExcelWriter

from annotator.core.errors import InputError, ProjectError
from annotator.formats.csv_table import annotation_rows, columns_of, dropped
from annotator.formats.registry import Options, Report, exporter, replacing
from annotator.store.project import Project
from annotator.store.queries.export_queries import (
    FORMULA_START,
    count_annotations,
    count_documents,
    runs_as_formula,
)

MAX_CELL = 32_767  # characters Excel shows in one cell
MAX_ROWS = 1_048_576  # rows of a sheet, the header included
CODEBOOK_COLUMNS = ("key", "name", "parent", "colour", "hotkey", "description")


class Cells:
    """Makes the cells of one sheet. Every text is a string cell, never a formula; text
    that a spreadsheet would run (:func:`~annotator.store.queries.export_queries.runs_as_formula`,
    the rule of every CSV and XLSX export) also gets Excel's quote prefix, the stored
    form of a typed apostrophe, so it stays text when edited (not with *raw*).
    Characters XLSX cannot hold are replaced, cells over Excel's limit cut; both are
    counted for the warnings."""

    def __init__(self, sheet: WriteOnlyWorksheet, raw: bool = False) -> None:
        self.sheet = sheet
        self.raw = raw
        self.replaced = 0
        self.cut = 0

    def cell(self, value: Any, fill: str | None = None, bold: bool = False) -> Any:
        """The value itself when openpyxl stores it as it is, else a typed cell."""
        quote = False
        if isinstance(value, str):
            clean = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
            if clean != value:
                self.replaced += 1
            if len(clean) > MAX_CELL:
                clean = clean[:MAX_CELL]
                self.cut += 1
            quote = not self.raw and runs_as_formula(clean)
            if not (quote or clean.startswith("=") or fill or bold):
                return clean
            cell = WriteOnlyCell(self.sheet, value=clean)
            cell.data_type = "s"  # openpyxl would take "=..." for a formula
        elif fill or bold:
            cell = WriteOnlyCell(self.sheet, value=value)
        else:
            return value
        if quote:
            cell.quotePrefix = True
        if fill:
            cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
        if bold:
            cell.font = Font(bold=True)
        return cell

    def warnings(self) -> list[str]:
        out = []
        if self.replaced:
            out.append(
                f"{self.replaced} cells held control characters that XLSX cannot store; "
                "they were replaced with \ufffd"
            )
        if self.cut:
            out.append(
                f"{self.cut} cells were longer than Excel's {MAX_CELL} characters and were "
                "cut (the CSV and JSONL exports keep them whole)"
            )
        return out


def new_sheet(book: Workbook, title: str) -> WriteOnlyWorksheet:
    """A sheet of *book*. Its name goes through the formula rule like every cell; as a
    sheet name may not start with an apostrophe, what would run loses its lead instead."""
    if runs_as_formula(title):
        title = title.lstrip("".join(FORMULA_START)) or "Sheet"
    sheet: WriteOnlyWorksheet = book.create_sheet(title[:31])
    return sheet


def save_workbook(book: Workbook, path: Path) -> None:
    """Save *book* to *path*, the zip closed here: openpyxl's own ``save`` leaves it to
    ``ZipFile.__del__`` when a write fails (a full disk), which then fails again
    outside any ``try``. An ``OSError`` comes out of here, for the caller's message."""
    try:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            ExcelWriter(book, archive).save()
    except BaseException:
        _end_row_writers(book)
        raise


def _end_row_writers(book: Workbook) -> None:
    """End openpyxl's row writers of a failed workbook before they are collected (they
    would raise again from ``__del__``)."""
    for sheet in book.worksheets:
        with contextlib.suppress(Exception):
            if not sheet.closed:
                sheet.close()


def write_workbook(project: Project, target: Path, options: Options) -> Report:
    book = Workbook(write_only=True)
    try:
        report = _fill(project, book, options)
    except BaseException:
        _end_row_writers(book)
        raise
    save_workbook(book, target)
    return report


def _fill(project: Project, book: Workbook, options: Options) -> Report:
    total = count_annotations(project)
    if total >= MAX_ROWS:
        raise InputError(
            f"{total} annotations do not fit one XLSX sheet ({MAX_ROWS - 1} rows at most); "
            "export CSV instead"
        )
    sheet = new_sheet(book, "Annotations")
    cells = Cells(sheet, options.raw)
    columns = columns_of(project, options)
    report = dropped(project, columns)
    report.dropped.pop("label hierarchy link", None)  # the Codebook sheet has the parents
    sheet.append([cells.cell(c.name, bold=True) for c in columns])
    for rows in annotation_rows(project, columns, options):
        for row in rows:
            sheet.append([cells.cell(v) for v in row])
        report.annotations += len(rows)
    sheet.freeze_panes = "A2"

    codebook = new_sheet(book, "Codebook")
    code_cells = Cells(codebook, options.raw)
    codebook.append([code_cells.cell(h, bold=True) for h in CODEBOOK_COLUMNS])
    for label in project.labels():
        codebook.append(
            [
                code_cells.cell(label.key),
                code_cells.cell(label.name),
                code_cells.cell(label.parent or ""),
                code_cells.cell(label.colour, fill=label.colour.lstrip("#").upper()),
                code_cells.cell(label.hotkey or ""),
                code_cells.cell(label.description),
            ]
        )
    both = Cells(codebook)
    both.replaced = cells.replaced + code_cells.replaced
    both.cut = cells.cut + code_cells.cut
    report.warnings.extend(both.warnings())
    report.documents = count_documents(project)
    return report


@exporter("xlsx", ".xlsx", "Excel workbook: annotations with attributes, and the codebook")
def export_xlsx(project: Project, target: Path | TextIO, options: Options) -> Report:
    if not isinstance(target, Path):
        raise InputError("the xlsx format writes a file: give -o PATH")
    if not target.parent.is_dir():
        raise ProjectError(f"cannot write {target}: folder {target.parent} does not exist")
    with replacing(target) as tmp:
        return write_workbook(project, tmp, options)
