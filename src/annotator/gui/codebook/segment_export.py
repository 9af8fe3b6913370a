"""Retrieved segments written as CSV (no cell runs as a formula) and as HTML (escaped)."""

from __future__ import annotations

import csv
import html
from collections.abc import Sequence
from pathlib import Path

from annotator.store.queries.export_queries import inert
from annotator.store.queries.retrieval_queries import Segment

HEADER = (
    "document", "start", "end", "label", "before", "text", "after", "note", "coder",
    "attributes", "annotation_id", "document_id",
)  # fmt: skip


def segment_row(s: Segment) -> list[str]:
    return [
        s.document, str(s.start), str(s.end), s.label, s.before, s.text, s.after, s.note,
        s.coder, s.attributes, str(s.id), str(s.document_id),
    ]  # fmt: skip


def write_csv(segments: Sequence[Segment], path: Path) -> None:
    """UTF-8 with a BOM (spreadsheets read it as UTF-8), offsets in code points."""
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows([inert(cell) for cell in segment_row(s)] for s in segments)


def segments_html(segments: Sequence[Segment], title: str) -> str:
    e = html.escape
    rows = []
    for s in segments:
        rows.append(
            "<tr>"
            f"<td>{e(s.document)}</td>"
            f'<td class="kwic"><span class="ctx">{e(s.before)}</span>'
            f"<mark>{e(s.text)}</mark>"
            f'<span class="ctx">{e(s.after)}</span></td>'
            f"<td>{e(s.label)}</td><td>{e(s.note)}</td><td>{e(s.coder)}</td>"
            f"<td>{e(s.attributes)}</td><td>{s.start}–{s.end}</td>"
            "</tr>"
        )
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{e(title)}</title>"
        "<style>body{font-family:sans-serif}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px;vertical-align:top}"
        ".ctx{color:#555}mark{background:#f0e442}</style></head><body>"
        f"<h1>{e(title)}</h1><p>{len(segments)} segment(s)</p>"
        "<table><thead><tr><th>Document</th><th>Segment in context</th><th>Label</th>"
        "<th>Note</th><th>Coder</th><th>Attributes</th><th>Position</th></tr></thead><tbody>"
        + "\n".join(rows)
        + "</tbody></table></body></html>\n"
    )


def write_html(segments: Sequence[Segment], path: Path, title: str) -> None:
    path.write_text(segments_html(segments, title), encoding="utf-8")
