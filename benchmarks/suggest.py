"""Suggestions (issue 17): a 100,000-character document's suggestions once the model is
loaded (goal: under 1 s), training on 1,000 spans (goal: under 2 minutes on 2 cores),
and the memory both take.

The corpus is core/suggest/sample_corpus (generated news texts with actor and claim
spans). The floor is a scan of the same text for words (``\\w+``), the least any source
must do.
"""

from __future__ import annotations

import re
import tempfile
import time
import tracemalloc
from pathlib import Path

from benchmarks.common import Row


def _corpus_with_spans(spans: int) -> list:  # type: ignore[type-arg]
    from annotator.core.suggest.sample_corpus import generate

    n = 50
    while True:
        docs = generate(n)
        if sum(len(d.spans) for d in docs) >= spans:
            return docs
        n += 25


def run(quick: bool) -> list[Row]:
    from annotator.core.suggest.learned import train
    from annotator.core.suggest.like_before import LikeBefore
    from annotator.core.suggest.sample_corpus import generate

    rows: list[Row] = []
    target = 200 if quick else 1_000
    docs = _corpus_with_spans(target)
    spans = sum(len(d.spans) for d in docs)
    t0 = time.perf_counter()
    model = train(docs)
    train_s = time.perf_counter() - t0
    train_peak = _peak(lambda: train(docs))  # a second, traced run (tracing slows it)
    rows.append(
        Row(
            f"train learned on {spans} spans ({len(docs)} docs)",
            f"{train_s:.2f} s",
            "-",
            "-",
            "< 120 s",
            train_s < 120,
            [f"peak Python/numpy memory while training {train_peak / 2**20:.0f} MB"],
        )
    )

    size = 20_000 if quick else 100_000
    parts, length, k = [], 0, 0
    extra = generate(2000, seed=99)
    while length < size:
        parts.append(extra[k].text)
        length += len(extra[k].text) + 2
        k += 1
    text = "\n\n".join(parts)[:size]
    like = LikeBefore(docs)
    word = re.compile(r"\w+")

    def floor() -> None:
        sum(1 for _ in word.finditer(text))

    def subject() -> int:
        return len(like.find(text)) + len(model.find(text))

    floor_s = min(_timed(floor) for _ in range(3))
    best, found = 1e9, 0
    for _ in range(3):
        t0 = time.perf_counter()
        found = subject()
        best = min(best, time.perf_counter() - t0)
    find_peak = _peak(subject)
    rows.append(
        Row(
            f"suggest in a {len(text):,}-character document (like-before + learned)",
            f"{best:.3f} s",
            f"{floor_s:.4f} s",
            f"{best / floor_s:.1f}x",
            "< 1 s",
            best < 1.0,
            [f"{found} suggestions; peak memory {find_peak / 2**20:.0f} MB"],
        )
    )
    rows.append(_stored(text, like, model))
    return rows


def _stored(text: str, like: object, model: object) -> Row:
    """Suggest into a project and read them back, as opening the document does."""
    from annotator.store import Project
    from annotator.store.suggestions import Suggestions, suggest

    with (
        tempfile.TemporaryDirectory() as folder,
        Project.create(Path(folder) / "s.annot", annotator="bench") as project,
    ):
        doc = project.add_document(text, title="long")
        t0 = time.perf_counter()
        suggest(project, "like-before", like, [doc.id])  # type: ignore[arg-type]
        suggest(project, "learned", model, [doc.id])  # type: ignore[arg-type]
        n = len(Suggestions(project).of(doc.id))
        took = time.perf_counter() - t0
    return Row(
        "suggest, store and read back (one document)",
        f"{took:.3f} s",
        "-",
        "-",
        "< 1 s",
        took < 1.0,
        [f"{n} suggestions stored"],
    )


def _peak(work: object) -> int:
    """Peak bytes allocated (Python and numpy) while *work* runs."""
    tracemalloc.start()
    try:
        work()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _timed(work: object) -> float:
    t0 = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - t0


if __name__ == "__main__":
    from benchmarks.common import format_table

    print(format_table(run(quick="--quick" in __import__("sys").argv)))
