"""An agreement report written out: CSV (one row per figure or disagreement) and HTML.

``annotator agree PROJECT --csv -o FILE`` and ``--html -o FILE`` (and the Agreement
window's export) call :func:`write_agreement_csv` and :func:`write_agreement_html`.
Both files are written through :func:`annotator.store.file.sidefiles.replacing` (a failed
write leaves no half file); CSV cells pass through the one formula rule
(:func:`annotator.store.queries.export_queries.inert`), HTML text through ``esc``.

CSV columns (:data:`CSV_COLUMNS`): ``record`` is ``figure`` or ``disagreement``; a figure
row fills section to rule, a disagreement row document_id, document, kind, start, end,
codings (``coder: start-end value (#annotation id)`` joined by ``; ``) and missing.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TextIO

from annotator.core.agreement.report import SECTIONS, AgreementReport, Disagreement, Figure
from annotator.formats.report_html import esc
from annotator.store.file.sidefiles import replacing
from annotator.store.queries.export_queries import inert

LISTS = ("figures", "disagreements")  # one item a line in the JSON


def agreement_json(report: AgreementReport) -> str:
    """The whole report as JSON (``agree --json``): the summary indented, each figure and
    each disagreement on a line of its own. Indenting everything made Python's pure
    encoder walk 300,000 annotations' disagreements item by item (14 s); a line per item
    keeps the C encoder and stays readable and ``grep``-able."""
    data = report.to_dict()
    lists = {key: data.pop(key) for key in LISTS}
    head = json.dumps(data, ensure_ascii=False, indent=2)
    parts = []
    for key, items in lists.items():
        lines = ",\n    ".join(json.dumps(item, ensure_ascii=False) for item in items)
        parts.append(f'  "{key}": [\n    {lines}\n  ]' if items else f'  "{key}": []')
    return head[: -len("\n}")] + ",\n" + ",\n".join(parts) + "\n}"


CSV_COLUMNS = (
    "record",
    "section",
    "scope",
    "coders",
    "label",
    "document_id",
    "document",
    "measure",
    "value",
    "n",
    "counted",
    "why",
    "on",
    "kind",
    "start",
    "end",
    "codings",
    "missing",
)


def coders_text(coders: tuple[str, ...]) -> str:
    """``Ana / Ben`` for a pair, ``Ana, Ben, Cem`` for more."""
    return " / ".join(coders) if len(coders) == 2 else ", ".join(coders)


def codings_text(disagreement: Disagreement) -> str:
    return "; ".join(
        f"{c.coder}: {c.start}-{c.end} {c.value if c.value is not None else '(not set)'} "
        f"(#{c.annotation_id})"
        for c in disagreement.codings
    )


def _figure_row(figure: Figure, report: AgreementReport) -> list[object]:
    a = figure.agreement
    title = "" if figure.document is None else report.document_titles.get(figure.document, "")
    return [
        "figure",
        figure.section,
        figure.scope,
        coders_text(figure.coders),
        figure.label or "",
        "" if figure.document is None else figure.document,
        title,
        a.measure,
        "" if a.value is None else repr(a.value),
        a.n,
        a.counted,
        a.why or "",
        figure.on,
        "",
        "",
        "",
        "",
        "",
    ]


def _disagreement_row(d: Disagreement) -> list[object]:
    return [
        "disagreement",
        *[""] * 4,
        d.document_id,
        d.document,
        *[""] * 6,
        d.kind,
        d.start,
        d.end,
        codings_text(d),
        ", ".join(d.missing),
    ]


def write_csv_rows(report: AgreementReport, out: TextIO) -> int:
    """Write the report as CSV to *out*; return the number of rows below the header."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    rows = 0
    for row in [
        *(_figure_row(f, report) for f in report.figures),
        *(_disagreement_row(d) for d in report.disagreements),
    ]:
        writer.writerow([inert(c) if isinstance(c, str) else c for c in row])
        rows += 1
    return rows


def write_agreement_csv(report: AgreementReport, target: Path) -> int:
    """The report as one CSV file (UTF-8 with a BOM, for spreadsheets); rows written."""
    with replacing(target) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        return write_csv_rows(report, fh)


CSS = """
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; color: #1a1a1a;
  font-size: 11pt; line-height: 1.4; max-width: 70em; }
table { border-collapse: collapse; margin-bottom: 1.2em; }
th, td { border: 1px solid #bbbbbb; padding: 0.2em 0.5em; text-align: left;
  vertical-align: top; }
td.value { text-align: right; font-variant-numeric: tabular-nums; }
p.rule { color: #444444; font-size: 10pt; }
"""


def _value_cell(figure: Figure) -> str:
    a = figure.agreement
    if a.value is None:
        return f'<td class="value">undefined</td><td>{esc(a.why or "")}</td>'
    return f'<td class="value">{a.value:.3f}</td><td></td>'


def _figure_table(figures: list[Figure], report: AgreementReport, with_document: bool) -> str:
    head = ["Coders", "Label", "Measure", "Value", "Why undefined", "n", "Computed on"]
    if with_document:
        head.insert(0, "Document")
    rows = []
    for f in figures:
        cells = [f"<td>{esc(coders_text(f.coders))}</td>", f"<td>{esc(f.label or 'all')}</td>"]
        if with_document and f.document is not None:
            name = f"{f.document}: {report.document_titles.get(f.document, '')}"
            cells.insert(0, f"<td>{esc(name)}</td>")
        cells.append(f"<td>{esc(f.agreement.measure)}</td>")
        cells.append(_value_cell(f))
        cells.append(f'<td class="value">{f.agreement.n} {esc(f.agreement.counted)}</td>')
        cells.append(f"<td>{esc(f.on)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    header = "".join(f"<th>{esc(h)}</th>" for h in head)
    return f"<table><tr>{header}</tr>{''.join(rows)}</table>"


def agreement_html(report: AgreementReport, title: str) -> str:
    """The report as one HTML page: summary, each section's rule and figures (pooled and
    per label, then per document), and every disagreement."""
    parts = [
        f"<h1>{esc(title)}</h1>",
        f"<p>Coders: {esc(', '.join(report.coders))}. Labels: {esc(', '.join(report.labels))}."
        f" {len(report.shared)} of {report.selected} selected documents are shared (every "
        f"chosen coder annotated them). {report.merged} overlapping spans of one coder and "
        f"label merged for alpha_U.</p>",
    ]
    for key, heading in SECTIONS.items():
        figures = [f for f in report.figures if f.section == key]
        if not figures:
            continue
        parts.append(f'<h2 id="{key}">{esc(heading)}</h2>')
        parts.append(f'<p class="rule">Rule: {esc(report.rules[key])}.</p>')
        pooled = [f for f in figures if f.document is None]
        parts.append(_figure_table(pooled, report, with_document=False))
        per_document = [f for f in figures if f.document is not None]
        if per_document:
            parts.append(f"<h3>{esc(heading)}, per document</h3>")
            parts.append(_figure_table(per_document, report, with_document=True))
    parts.append(f'<h2 id="disagreements">Disagreements ({len(report.disagreements)})</h2>')
    rows = [
        "<tr>"
        + "".join(
            f"<td>{esc(v)}</td>"
            for v in (
                f"{d.document_id}: {d.document}",
                d.kind,
                f"{d.start}-{d.end}",
                codings_text(d),
                ", ".join(d.missing),
            )
        )
        + "</tr>"
        for d in report.disagreements
    ]
    header = "".join(
        f"<th>{h}</th>" for h in ("Document", "Kind", "Characters", "Codings", "Not marked by")
    )
    parts.append(f"<table><tr>{header}</tr>{''.join(rows)}</table>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
        + "\n".join(parts)
        + "</body></html>\n"
    )


def write_agreement_html(report: AgreementReport, target: Path, title: str) -> None:
    """The report as one HTML file."""
    page = agreement_html(report, title)
    with replacing(target) as tmp:
        tmp.write_text(page, encoding="utf-8")
