"""``annotator agree`` on a corpus coded by three coders (issue 11, item 3).

1,000 documents (the scale texts), three coders, 100 spans per coder and document
(300,000 annotations), written with ``executemany``. Coder A's spans come from
:func:`benchmarks.corpus.make_spans`; B and C keep most of them, move some boundaries,
relabel some and replace some with spans of their own, so every measure has work to
do. Claims and demands get a position.

The subject is what ``annotator agree PROJECT`` computes, in process:
``agreement_report(agreement_input(project))`` on the open project (every figure,
per label, per document and pooled, and the list of disagreements); the floor is
reading the same span rows from SQLite (the same SELECT, ``fetchall``) on a plain
connection. Goal: within 3x.
"""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

from benchmarks.common import Config, Row, interleave, median, ratio, secs
from benchmarks.corpus import LABELS, SpanRow, make_spans, scale_texts

GOAL = 3.0
CODERS = ("Ana", "Ben", "Cem")
INSERT = (
    'INSERT INTO annotations(document_id, start, "end", text, label_id, note, annotator, '
    "created, modified, uuid) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)"
)


def _variant(spans: list[SpanRow], own: list[SpanRow], rng: random.Random) -> list[SpanRow]:
    """Another coder's spans: most kept, some moved, relabelled or replaced."""
    out = []
    for i, span in enumerate(spans):
        r = rng.random()
        if r < 0.70:
            out.append(span)
        elif r < 0.80:
            shift = rng.randint(1, 4)
            out.append(SpanRow(span.start, max(span.start + 1, span.end - shift), span.label))
        elif r < 0.90:
            out.append(SpanRow(span.start, span.end, rng.choice(LABELS)))
        else:
            out.append(own[i % len(own)])
    return out


def build(cfg: Config) -> tuple[Path, int]:
    from annotator.store import Project
    from annotator.store.project import now

    docs = cfg.scale_docs
    per = 100 if not cfg.quick else 50
    path = cfg.work / "agree.annot"
    texts = scale_texts(docs, seed=11)
    rng = random.Random(12)
    written = 0
    stamp = now()
    with Project.create(path, annotator=CODERS[0]) as project, project.transaction():
        ids = project.label_ids()
        position = []
        for n, text in enumerate(texts, 1):
            doc = project.add_document(text, f"Report {n:04d}").id
            base = make_spans(text, per, seed=100 + n)
            lanes = [base] + [
                _variant(base, make_spans(text, per, seed=10_000 * k + n), rng) for k in (1, 2)
            ]
            for coder, spans in zip(CODERS, lanes, strict=True):
                rows = [
                    (
                        doc,
                        s.start,
                        s.end,
                        text[s.start : s.end],
                        ids[s.label],
                        coder,
                        stamp,
                        stamp,
                        f"{rng.getrandbits(128):032x}",
                    )
                    for s in spans
                ]
                project.db.conn.executemany(INSERT, rows)
                written += len(rows)
        for (ann_id,) in project.execute(
            "SELECT a.id FROM annotations a JOIN labels l ON l.id = a.label_id "
            "WHERE l.key IN ('claim', 'demand')"
        ):
            position.append((ann_id, "position", rng.choice(("-1", "0", "0", "+1", "+1"))))
        project.db.conn.executemany(
            "INSERT INTO annotation_attributes(annotation_id, key, value) VALUES (?, ?, ?)",
            position,
        )
    return path, written


def run(cfg: Config) -> list[Row]:
    from annotator.core.agreement.report import agreement_report
    from annotator.store import Project
    from annotator.store.queries.agreement_queries import SPANS_SQL, agreement_input

    path, written = build(cfg)
    sql = f"{SPANS_SQL} WHERE a.annotator IN (?, ?, ?)"
    raw = sqlite3.connect(path)
    project = Project.open(path, read_only=True)
    sizes: dict[str, int] = {}

    def floor() -> float:
        t0 = time.perf_counter()
        rows = raw.execute(sql, CODERS).fetchall()
        elapsed = time.perf_counter() - t0
        sizes["rows"] = len(rows)
        return elapsed

    def subject() -> float:
        t0 = time.perf_counter()
        report = agreement_report(agreement_input(project))
        elapsed = time.perf_counter() - t0
        sizes["figures"] = len(report.figures)
        sizes["disagreements"] = len(report.disagreements)
        return elapsed

    floors, subjects = interleave(floor, subject, max(3, cfg.reps // 2))
    project.close()
    raw.close()
    f, s = median(floors), median(subjects)
    return [
        Row(
            f"annotator agree: {cfg.scale_docs:,} documents, {len(CODERS)} coders, "
            f"{written:,} annotations",
            secs(s),
            secs(f) + " (SELECT of the spans, fetchall)",
            ratio(s, f),
            f"within {GOAL:.0f}x",
            s <= GOAL * f,
            [
                f"{sizes.get('figures', 0):,} figures and {sizes.get('disagreements', 0):,} "
                f"disagreements; {sizes.get('rows', 0):,} rows read by the floor"
            ],
        )
    ]
