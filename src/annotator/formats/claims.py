"""The claims table as CSV (``claims``) and as an Excel workbook (``claims-xlsx``).

One row per claim, demand or allegation: where it is, its text and label, its
claimants, addressees, objects and accused actors (canonical names, several joined
with "; "), its note and one column per attribute of the codebook. See docs/analysis.md.
Relations other than the claim roles are not carried (counted in the report).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from annotator.core.analysis import (
    BASE_COLUMNS,
    NUMBER_COLUMNS,
    ROLE_NAMES,
    Claim,
    claim_cells,
    claim_columns,
    claims_table,
)
from annotator.formats.registry import Options, Report, exporter, replacing
from annotator.store.project import Project
from annotator.store.queries.analysis_queries import analysis_input
from annotator.store.queries.export_queries import inert, notes_of, uncarried

NOTE = "note"


def claim_rows(project: Project) -> tuple[tuple[str, ...], list[Claim], tuple[str, ...]]:
    """(header, claims, attribute keys) of the project's claims table: the claims
    table's columns with ``note`` after the roles (an attribute named so is
    ``attribute_note``)."""
    data = analysis_input(project)
    header = list(claim_columns(data.attribute_keys))
    at = len(BASE_COLUMNS)
    header[at:] = [f"attribute_{h}" if h == NOTE else h for h in header[at:]]
    header.insert(at, NOTE)
    return tuple(header), claims_table(data), data.attribute_keys


def _cells(project: Project, claims: Sequence[Claim], keys: tuple[str, ...]) -> list[list[Any]]:
    notes = notes_of(project, [c.item.id for c in claims])
    out = []
    for claim in claims:
        cells: list[Any] = claim_cells(claim, keys)
        cells.insert(len(BASE_COLUMNS), notes.get(claim.item.id, ""))
        out.append(cells)
    return out


def _report(project: Project, claims: Sequence[Claim]) -> Report:
    report = Report(annotations=len(claims), warnings=_coverage_warnings(claims))
    report.dropped.update(
        uncarried(
            project,
            ["note", "attribute value", "actor link"],
            relation_types=ROLE_NAMES,
        )
    )
    return report


def _coverage_warnings(claims: Sequence[Claim]) -> list[str]:
    lonely = sum(1 for c in claims if not c.claimant)
    return [f"{lonely} of {len(claims)} claims have no claimant"] if lonely else []


def write_claims_csv(project: Project, out: TextIO, options: Options) -> Report:
    header, claims, keys = claim_rows(project)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header if options.raw else [inert(h) for h in header])
    for n, cells in enumerate(_cells(project, claims, keys), 1):
        if not options.raw:
            cells = [inert(c) if isinstance(c, str) else c for c in cells]
        writer.writerow(cells)
        if n % 1000 == 0:
            options.tick(n, len(claims))
    options.tick(len(claims), len(claims))
    return _report(project, claims)


@exporter("claims", ".csv", "Claims table: one row per claim with its actors (CSV)", streams=True)
def export_claims(project: Project, target: Path | TextIO, options: Options) -> Report:
    if not isinstance(target, Path):
        target.write("\ufeff")
        return write_claims_csv(project, target, options)
    with replacing(target) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        return write_claims_csv(project, fh, options)


@exporter("claims-xlsx", ".xlsx", "Claims table: one row per claim with its actors (Excel)")
def export_claims_xlsx(project: Project, target: Path | TextIO, options: Options) -> Report:
    from openpyxl import Workbook

    from annotator.formats.xlsx import Cells, new_sheet, save_workbook

    assert isinstance(target, Path)  # the registry refuses a stream for this format
    header, claims, keys = claim_rows(project)
    number_keys = {a.key for a in project.codebook().attributes if a.type == "number"}
    numeric = [name in NUMBER_COLUMNS for name in BASE_COLUMNS] + [False]
    numeric += [k in number_keys for k in keys]
    book = Workbook(write_only=True)
    sheet = new_sheet(book, "claims")
    cells = Cells(sheet, options.raw)
    sheet.append([cells.cell(h) for h in header])
    for n, claim_row in enumerate(_cells(project, claims, keys), 1):
        row = []
        for is_number, value in zip(numeric, claim_row, strict=True):
            if is_number and value != "":
                number = float(value) if isinstance(value, str) else value
                row.append(int(number) if float(number).is_integer() else number)
            else:
                row.append(cells.cell(str(value)))
        sheet.append(row)
        if n % 1000 == 0:
            options.tick(n, len(claims))
    report = _report(project, claims)
    report.warnings += cells.warnings()
    with replacing(target) as tmp:
        save_workbook(book, tmp)
    options.tick(len(claims), len(claims))
    return report
