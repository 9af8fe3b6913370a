"""Synthetic corpora for the benchmarks: deterministic, realistic enough, built fast.

Text: words of varied lengths drawn with Zipf-like frequencies, sentences of 6-30
words, paragraphs of about 500-2000 characters (one block each), and some non-ASCII:
accented Latin, Armenian, Cyrillic, Arabic and emoji (astral characters, so the offset
map is not the identity). Spans: about four fifths side by side, one fifth overlapping
another (nested or crossing), a few whole paragraphs, labels of the default codebook.
Projects are written with ``executemany`` inside ``project.transaction()``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.store import Project
from annotator.store.project import now

LETTERS = "etaoinshrdlcumwfgypbvkjxqz"
FOREIGN = (
    "Résumé",
    "naïve",
    "Élysée",
    "Zürich",
    "São",
    "Երևան",
    "Հայաստանի",
    "Ազգային",
    "ժողովը",
    "Москва",
    "Государственная",
    "فرنسا",
    "البرلمان",
    "שלום",
    "Łódź",
    "coöperation",
)
EMOJI = ("👍🏽", "🇫🇷", "🙂", "📈", "👩‍👩‍👧", "🔥", "𠀋", "✅")
WORD = re.compile(r"\S+")


def vocabulary(rng: random.Random, size: int = 6000) -> tuple[list[str], list[float]]:
    """Pseudo-words of 1-14 letters with Zipf-like cumulative weights."""
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < size:
        n = min(14, max(2, round(rng.gammavariate(4.0, 1.6))))
        w = "".join(rng.choice(LETTERS[: 8 + 2 * n]) for _ in range(n))
        if w not in seen:
            seen.add(w)
            words.append(w)
    words.sort(key=lambda w: len(w) + rng.random() * 12)  # frequent words are short
    for w in FOREIGN:
        words.insert(rng.randrange(30, 400), w)
    cumulative, total = [], 0.0
    for rank in range(len(words)):
        total += 1.0 / (rank + 2.7)  # Zipf-Mandelbrot
        cumulative.append(total)
    return words, cumulative


class TextMaker:
    """Makes paragraphs; one instance per seed gives the same text every run."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words, self.weights = vocabulary(self.rng)
        self._pool: list[str] = []

    def _word(self) -> str:
        if not self._pool:
            self._pool = self.rng.choices(self.words, cum_weights=self.weights, k=50_000)
        return self._pool.pop()

    def paragraph(self) -> str:
        rng = self.rng
        target = rng.randint(500, 2000)
        sentences: list[str] = []
        length = 0
        while length < target:
            n = rng.randint(6, 30)
            words = [self._word() for _ in range(n)]
            words[0] = words[0].capitalize()
            for i in range(2, n - 1):
                r = rng.random()
                if r < 0.06:
                    words[i] += ","
                elif r < 0.075:
                    words[i] = words[i].capitalize()
            if rng.random() < 0.12:
                words.insert(rng.randrange(1, n), rng.choice(EMOJI))
            sentence = " ".join(words) + rng.choice(".....?!")
            sentences.append(sentence)
            length += len(sentence) + 1
        return " ".join(sentences)

    def text(self, size: int) -> str:
        """About *size* code points of paragraphs separated by newlines."""
        parts: list[str] = []
        length = 0
        while length < size:
            p = self.paragraph()
            parts.append(p)
            length += len(p) + 1
        return "\n".join(parts)


@dataclass(frozen=True)
class SpanRow:
    start: int
    end: int
    label: str


LABELS = ("claim", "demand", "actor", "allegation")


def make_spans(text: str, n: int, seed: int, overlapping: float = 0.2) -> list[SpanRow]:
    """*n* spans on word edges of *text*: ``1 - overlapping`` side by side, the rest
    overlapping one of those (nested or crossing); 0.2% are whole paragraphs."""
    rng = random.Random(seed)
    bounds = [(m.start(), m.end()) for m in WORD.finditer(text)]
    if not bounds or n <= 0:
        return []
    n_base = max(1, round(n * (1 - overlapping)))
    stride = len(bounds) / n_base
    cap = max(1, min(40, int(stride * 0.6)))
    spans: list[SpanRow] = []
    base: list[tuple[int, int]] = []  # word index ranges of side-by-side spans
    for j in range(n_base):
        i = int(j * stride) + rng.randint(0, max(0, int(stride / 3)))
        i = min(i, len(bounds) - 1)
        k = min(rng.randint(1, cap), len(bounds) - i)
        base.append((i, i + k - 1))
        spans.append(SpanRow(bounds[i][0], bounds[i + k - 1][1], rng.choice(LABELS)))
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    for _ in range(n - n_base):
        if rng.random() < 0.01:
            a, b = rng.choice(paragraphs)
            spans.append(SpanRow(a, b, rng.choice(LABELS)))
            continue
        first, last = rng.choice(base)
        i = rng.randint(first, last)
        j = min(len(bounds) - 1, i + rng.randint(0, 8))
        spans.append(SpanRow(bounds[i][0], bounds[j][1], rng.choice(LABELS)))
    return spans


def insert_spans(
    project: Project, doc_id: int, text: str, spans: Sequence[SpanRow], rng: random.Random
) -> None:
    """Write *spans* of one document with one ``executemany`` (caller's transaction)."""
    ids = project.label_ids()
    who, stamp = "bench", now()
    rows = [
        (
            doc_id,
            s.start,
            s.end,
            text[s.start : s.end],
            ids[s.label],
            "checked against the source" if rng.random() < 0.1 else None,
            who,
            stamp,
            stamp,
        )
        for s in spans
    ]
    project.db.conn.executemany(
        'INSERT INTO annotations(document_id, start, "end", text, label_id, note, annotator, '
        "created, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


@dataclass(frozen=True)
class WindowCorpus:
    path: Path
    tiny: int  # a short document shown between measurements
    spans: int  # the text with its spans
    plain: int  # the same text, no spans
    chars: int
    n_spans: int


def build_window_project(path: Path, size: int, n_spans: int, seed: int) -> WindowCorpus:
    """One project: a tiny document, then the same text twice (with spans, without)."""
    maker = TextMaker(seed)
    text = maker.text(size)
    spans = make_spans(text, n_spans, seed + 1)
    with Project.create(path, annotator="bench") as project:
        tiny = project.add_document(maker.paragraph(), "tiny").id
        with_spans = project.add_document(text, "with spans").id
        plain = project.add_document(text, "no spans").id
        with project.transaction():
            insert_spans(project, with_spans, text, spans, random.Random(seed + 2))
    return WindowCorpus(path, tiny, with_spans, plain, len(text), len(spans))


def scale_texts(n_docs: int, seed: int) -> list[str]:
    """*n_docs* texts of about 6-75 KB composed from a pool of generated paragraphs."""
    maker = TextMaker(seed)
    pool = [maker.paragraph() for _ in range(3000)]
    rng = random.Random(seed + 1)
    return ["\n".join(rng.choices(pool, k=rng.randint(5, 45))) for _ in range(n_docs)]


def build_scale_project(
    path: Path, texts: Sequence[str], per_doc: int, seed: int, *, total: int | None = None
) -> int:
    """A project of *texts* with *per_doc* spans each (or *total* spans in the first
    document only); return the number of annotations written."""
    rng = random.Random(seed)
    written = 0
    with Project.create(path, annotator="bench") as project, project.transaction():
        for n, text in enumerate(texts, 1):
            doc = project.add_document(text, f"Report {n:04d}", source_name=f"report-{n:04d}.txt")
            want = per_doc if total is None else (total if n == 1 else 0)
            if want:
                spans = make_spans(text, want, seed + n)
                insert_spans(project, doc.id, text, spans, rng)
                written += len(spans)
    return written
