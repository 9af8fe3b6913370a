"""A readable, printable HTML report of annotated documents.

:func:`document_report_html` gives one document as a page: a header (project,
document, date, annotators), the text with every annotation highlighted in its
label's colour, a legend of the labels, then a table of the annotations with their
notes, attributes, actors and relations. ``annotator export --format report-html -o
report.html`` writes every document of the project into one file (one document per
printed page run); the window's *File > Report of this document…* previews one
document and saves it as HTML or PDF.

Overlapping annotations are cut into flat pieces by the same sweep the document view
paints with (:func:`annotator.core.layers.segments`); each piece is one ``<mark>``
whose background blends the colours of the labels covering it (outermost first) and
that is underlined when more than one annotation covers it. Every piece of text that
comes from the project is HTML-escaped.

The HTML uses only what both browsers and Qt's rich text (``QTextDocument``, used for
the preview and the PDF) understand: inline ``style`` colours, simple class rules,
tables with ``border``/``cellpadding`` attributes. ``@media print`` rules give page
breaks and printed highlight colours in browsers.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from annotator.core.codebook import Label
from annotator.core.layers import segments
from annotator.core.spans import Span
from annotator.formats.registry import Options, Report, exporter, replacing
from annotator.store.models import Annotation, Document, Relation
from annotator.store.project import Project
from annotator.store.queries.export_queries import count_relations

LAYER_ALPHA = 0.34  # as the document view: how much of a label's colour each layer adds
PAPER = (255, 255, 255)
INK = "#1a1a1a"
COLUMNS = (  # the annotation table: header, width in percent
    ("#", 9),
    ("Label", 10),
    ("Text", 21),
    ("Note", 13),
    ("Attributes", 12),
    ("Actor", 12),
    ("Relations", 23),
)
EXCERPT = 40  # characters of an annotation's text quoted in the relations column
# characters HTML must not carry in text (C0 controls but tab, LF, FF, CR; DEL; C1)
_NOT_HTML = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

CSS = f"""
body {{ font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; color: {INK};
  background-color: #ffffff; font-size: 11pt; line-height: 1.45; }}
.document {{ max-width: 60em; }}
h1 {{ font-size: 18pt; margin-bottom: 0.2em; }}
h2 {{ font-size: 14pt; margin-top: 1.2em; border-bottom: 1px solid #999999; }}
.meta {{ color: #444444; font-size: 10pt; }}
.text p {{ margin-top: 0; margin-bottom: 0.6em; }}
mark {{ color: {INK}; padding: 0; }}
mark.layered {{ text-decoration: underline; }}
.nowrap {{ white-space: nowrap; }}
td .small {{ font-size: 7.5pt; }}
.swatch {{ font-family: monospace; }}
table {{ border-collapse: collapse; margin-top: 0.4em; }}
th {{ background-color: #e8e8e8; text-align: left; }}
th, td {{ border: 1px solid #999999; vertical-align: top; padding: 3px 5px;
  font-size: 9pt; line-height: 1.25; }}
td.num {{ text-align: right; }}
.small {{ font-size: 9pt; color: #444444; }}
@media print {{
  body {{ margin: 0; font-size: 10pt; }}
  .document {{ max-width: none; }}
  .document {{ page-break-before: always; break-before: page; }}
  .document.first {{ page-break-before: auto; break-before: auto; }}
  h2 {{ page-break-after: avoid; break-after: avoid; }}
  tr {{ page-break-inside: avoid; break-inside: avoid; }}
  mark, th, .swatch {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
@page {{ margin: 18mm; }}
"""


def esc(value: object) -> str:
    """*value* as HTML text (quotes too, so it is safe in attributes)."""
    return html.escape(_NOT_HTML.sub("\ufffd", str(value)), quote=True)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def blended(colours: Sequence[str]) -> str:
    """The background of a piece covered by *colours* (outermost first), on paper."""
    r, g, b = PAPER
    for colour in colours:
        cr, cg, cb = _rgb(colour)
        r = round(r + (cr - r) * LAYER_ALPHA)
        g = round(g + (cg - g) * LAYER_ALPHA)
        b = round(b + (cb - b) * LAYER_ALPHA)
    return f"#{r:02x}{g:02x}{b:02x}"


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1] + "…"


class _Context:
    """What every document section of a report needs from the project, read once."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.labels: list[Label] = project.labels()
        self.by_key = {lab.key: lab for lab in self.labels}
        self.label_ids = project.label_ids()
        self.by_id = {self.label_ids[lab.key]: lab for lab in self.labels}
        codebook = project.codebook()
        self.relation_names = {r.key: r.name for r in codebook.relations}
        self.attribute_names = {a.key: a.name for a in codebook.attributes}
        self.attribute_order = [a.key for a in codebook.attributes]

    def colour(self, key: str) -> str:
        lab = self.by_key.get(key)
        return lab.colour if lab else "#999999"

    def name(self, key: str) -> str:
        lab = self.by_key.get(key)
        return lab.name if lab else key


def _highlighted_text(ctx: _Context, text: str, annotations: Sequence[Annotation]) -> str:
    """The text as ``<p dir="auto">`` paragraphs (one per line) with ``<mark>`` pieces."""
    by_id = {a.id: a for a in annotations}
    spans = [Span(a.id, a.start, a.end, ctx.label_ids.get(a.label, -1)) for a in annotations]
    pieces: list[tuple[int, int, tuple[Span, ...]]] = []
    at = 0
    for start, end, covering in segments(spans, 0, len(text)):
        if start > at:
            pieces.append((at, start, ()))
        pieces.append((start, end, covering))
        at = end
    if at < len(text):
        pieces.append((at, len(text), ()))
    paragraphs: list[list[str]] = [[]]
    for start, end, covering in pieces:
        lines = text[start:end].split("\n")
        for i, line in enumerate(lines):
            if i:
                paragraphs.append([])
            if not line:
                continue
            if not covering:
                paragraphs[-1].append(esc(line))
                continue
            keys = [by_id[s.id].label for s in covering]
            names = ", ".join(f"{ctx.name(k)} #{s.id}" for k, s in zip(keys, covering, strict=True))
            style = f"background-color:{blended([ctx.colour(k) for k in keys])}"
            if len(covering) > 1:
                style += f";text-decoration-color:{ctx.colour(keys[-1])}"
            cls = ' class="layered"' if len(covering) > 1 else ""
            data = esc(" ".join(dict.fromkeys(keys)))
            paragraphs[-1].append(
                f'<mark{cls} style="{style}" title="{esc(names)}" data-labels="{data}">'
                f"{esc(line)}</mark>"
            )
    while len(paragraphs) > 1 and not paragraphs[-1]:
        paragraphs.pop()  # trailing blank lines print as empty space only
    return "\n".join(f'<p dir="auto">{"".join(p) or "&#160;"}</p>' for p in paragraphs)


def _legend(ctx: _Context, annotations: Sequence[Annotation]) -> str:
    counts: dict[str, int] = {}
    for a in annotations:
        counts[a.label] = counts.get(a.label, 0) + 1
    keys = [lab.key for lab in ctx.labels] + sorted(set(counts) - set(ctx.by_key))
    rows = []
    for key in keys:
        lab = ctx.by_key.get(key)
        rows.append(
            "<tr>"
            f'<td class="nowrap"><mark class="swatch" '
            f'style="background-color:{blended([ctx.colour(key)])}">&#160;&#160;&#160;</mark></td>'
            f"<td>{esc(ctx.name(key))}</td><td>{esc(key)}</td>"
            f'<td class="num">{counts.get(key, 0)}</td>'
            f'<td class="small">{esc(lab.description if lab else "")}</td></tr>'
        )
    return (
        '<table class="legend" border="1" cellspacing="0" cellpadding="3" width="100%">'
        '<tr><th width="5%"></th><th width="14%">Label</th><th width="12%">Key</th>'
        '<th width="13%">Annotations</th><th width="56%">Description</th></tr>'
        + "".join(rows)
        + "</table>"
    )


def _relation_cell(
    ctx: _Context,
    annotation: Annotation,
    relations: Iterable[Relation],
    by_id: dict[int, Annotation],
) -> str:
    lines = []
    for rel in relations:
        kind = esc(ctx.relation_names.get(rel.type, rel.type))
        if rel.from_id == annotation.id:
            other, arrow = by_id.get(rel.to_id), "→"
        elif rel.to_id == annotation.id:
            other, arrow = by_id.get(rel.from_id), "←"
        else:
            continue
        if other is None:
            continue
        lines.append(
            f'{arrow} {kind} <a href="#a{other.id}">#{other.id}</a> '
            f"({esc(ctx.name(other.label))}) “{esc(_excerpt(other.text))}”"
        )
    return "<br>".join(lines)


def _attribute_cell(ctx: _Context, values: dict[str, str]) -> str:
    order = {k: i for i, k in enumerate(ctx.attribute_order)}
    keys = sorted(values, key=lambda k: (order.get(k, len(order)), k))
    return "<br>".join(
        f"{esc(ctx.attribute_names.get(k, k))}: {esc(values[k])}" for k in keys if values[k] != ""
    )


def _annotation_table(ctx: _Context, document_id: int, annotations: Sequence[Annotation]) -> str:
    project = ctx.project
    attributes = project.all_attributes(document_id)
    relations = project.relations(document_id)
    by_id = {a.id: a for a in annotations}
    touching: dict[int, list[Relation]] = {}
    for rel in relations:
        touching.setdefault(rel.from_id, []).append(rel)
        if rel.to_id != rel.from_id:
            touching.setdefault(rel.to_id, []).append(rel)
    rows = []
    for a in annotations:
        actor = project.actor_of(a.id) if a.label == "actor" else None
        actor_cell = (
            f"{esc(actor.name)} <span class='small'>({esc(actor.type)})</span>" if actor else ""
        )
        rows.append(
            f'<tr id="a{a.id}"><td class="num"><a name="a{a.id}"></a>{a.id}'
            f'<br><span class="small" title="offsets"><nobr>{a.start}–{a.end}</nobr></span></td>'
            f'<td class="nowrap"><mark style="background-color:{blended([ctx.colour(a.label)])}">'
            f"<nobr>{esc(ctx.name(a.label))}</nobr></mark></td>"
            f'<td dir="auto">{esc(a.text)}</td>'
            f'<td dir="auto">{esc(a.note or "")}</td>'
            f"<td>{_attribute_cell(ctx, attributes.get(a.id, {}))}</td>"
            f"<td>{actor_cell}</td>"
            f"<td>{_relation_cell(ctx, a, touching.get(a.id, []), by_id)}</td></tr>"
        )
    if not rows:
        return '<p class="meta">No annotations.</p>'
    return (
        '<table class="annotations" border="1" cellspacing="0" cellpadding="3" width="100%">'
        "<thead><tr>"
        + "".join(f'<th width="{w}%">{esc(name)}</th>' for name, w in COLUMNS)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _annotators(project: Project, annotations: Sequence[Annotation]) -> list[str]:
    names = sorted({a.annotator for a in annotations if a.annotator})
    return names or [project.annotator]


def _section(ctx: _Context, document: Document, today: date, *, first: bool) -> str:
    project = ctx.project
    text = project.text(document.id)
    annotations = project.annotations(document.id)
    relations = project.relations(document.id)
    source = document.source_name or document.source_path or ""
    meta = [
        f"Project: <b>{esc(project.name)}</b>",
        f"Date: {today.isoformat()}",
        f"Annotators: {esc(', '.join(_annotators(project, annotations)))}",
        f"{len(annotations)} annotations, {len(relations)} relations, {len(text)} characters",
    ]
    if source:
        meta.insert(1, f"Source: {esc(source)}")
    memos = _memo("Project memo", project.memo) if first else ""
    memos += _memo("Document memo", project.document_info(document.id).memo)
    return (
        f'<div class="document{" first" if first else ""}" id="document-{document.id}">'
        f'<h1 dir="auto">{esc(document.title)}</h1>'
        f'<p class="meta">{"<br>".join(meta)}</p>{memos}'
        f'<h2>Text</h2><div class="text">{_highlighted_text(ctx, text, annotations)}</div>'
        f"<h2>Labels</h2>{_legend(ctx, annotations)}"
        f"<h2>Annotations</h2>{_annotation_table(ctx, document.id, annotations)}"
        "</div>"
    )


def _memo(heading: str, memo: str | None) -> str:
    """A memo as written (its line breaks kept), or nothing when there is none."""
    if not memo:
        return ""
    return (
        f'<h2>{heading}</h2><p class="memo" dir="auto" style="white-space:pre-wrap">{esc(memo)}</p>'
    )


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n"
        f'<body style="color:{INK};background-color:#ffffff" bgcolor="#ffffff">\n'
        f"{body}\n</body>\n</html>\n"
    )


def document_report_html(project: Project, document_id: int, *, today: date | None = None) -> str:
    """The report of one document as a complete HTML page."""
    document = project.document(document_id)
    ctx = _Context(project)
    body = _section(ctx, document, today or date.today(), first=True)
    return _page(f"{document.title} — {project.name}", body)


def project_report_html(
    project: Project, *, today: date | None = None, options: Options | None = None
) -> str:
    """The report of every document of the project, one after the other, as one page."""
    ctx = _Context(project)
    documents = project.documents()
    day = today or date.today()
    parts = []
    for n, document in enumerate(documents):
        parts.append(_section(ctx, document, day, first=n == 0))
        if options is not None:
            options.tick(n + 1, len(documents))
    if not parts:
        parts.append(f"<h1>{esc(project.name)}</h1><p class='meta'>No documents.</p>")
    return _page(project.name, "\n".join(parts))


@exporter(
    "report-html",
    ".html",
    "Readable report: each document highlighted, with its annotations (HTML)",
    streams=True,
)
def export_report_html(project: Project, target: Path | TextIO, options: Options) -> Report:
    page = project_report_html(project, options=options)
    counts = project.counts()
    report = Report(
        documents=len(counts),
        annotations=sum(sum(c.values()) for c in counts.values()),
        relations=count_relations(project),
    )
    if not isinstance(target, Path):
        target.write(page)
        return report
    with replacing(target) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return report
