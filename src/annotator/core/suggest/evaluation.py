"""Sources measured like a coder: precision, recall and F1 per label, on held-out
documents, and a learning curve as the project grows.

A suggestion counts as right when a span with exactly its start, end and label was
annotated (span-level exact match, as CoNLL scores NER); for sentence labels a
suggestion is right when it overlaps an annotated span of its label in the same
sentence (the model decides "this sentence contains a claim", not its exact words).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from annotator.core.suggest import Example, Suggestion

Finder = Callable[[str], list[Suggestion]]


@dataclass(frozen=True)
class Score:
    label: str
    true_positives: int
    suggested: int
    annotated: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.suggested if self.suggested else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.annotated if self.annotated else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(
    examples: Iterable[Example],
    found: Callable[[Example], Iterable[Suggestion]],
    *,
    overlap_labels: Iterable[str] = (),
    labels: Iterable[str] | None = None,
) -> dict[str, Score]:
    """Per label (and ``"all"``), how *found* does against each example's spans."""
    loose = set(overlap_labels)
    tp: dict[str, int] = {}
    sug: dict[str, int] = {}
    ann: dict[str, int] = {}
    for ex in examples:
        gold = set(ex.spans)
        for *_, label in gold:
            ann[label] = ann.get(label, 0) + 1
        hit_gold: set[tuple[int, int, str]] = set()
        for x in found(ex):
            sug[x.label] = sug.get(x.label, 0) + 1
            key = (x.start, x.end, x.label)
            if key in gold:
                hit_gold.add(key)
                tp[x.label] = tp.get(x.label, 0) + 1
            elif x.label in loose:
                match = next(
                    (g for g in gold if g[2] == x.label and g[0] < x.end and g[1] > x.start
                     and g not in hit_gold),
                    None,
                )  # fmt: skip
                if match is not None:
                    hit_gold.add(match)
                    tp[x.label] = tp.get(x.label, 0) + 1
    names = sorted({*ann, *sug}) if labels is None else list(labels)
    out = {n: Score(n, tp.get(n, 0), sug.get(n, 0), ann.get(n, 0)) for n in names}
    out["all"] = Score(
        "all",
        sum(s.true_positives for s in out.values()),
        sum(s.suggested for s in out.values()),
        sum(s.annotated for s in out.values()),
    )
    return out


def split(examples: Sequence[Example], every: int = 5) -> tuple[list[Example], list[Example]]:
    """(training, held out): every *every*-th document (by position) is held out."""
    train = [ex for i, ex in enumerate(examples) if i % every != every - 1]
    held = [ex for i, ex in enumerate(examples) if i % every == every - 1]
    return train, held


def format_scores(source: str, scores: dict[str, Score]) -> list[str]:
    """Lines of a table: source, label, P, R, F1, counts."""
    return [
        f"{source:<12} {s.label:<12} P {s.precision:.2f}  R {s.recall:.2f}  "
        f"F1 {s.f1:.2f}  ({s.true_positives} right of {s.suggested} suggested, "
        f"{s.annotated} annotated)"
        for s in scores.values()
    ]


def on_text(finder: Finder) -> Callable[[Example], list[Suggestion]]:
    return lambda ex: finder(ex.text)


def learning_curve(
    examples: Sequence[Example],
    build: Callable[[Sequence[Example]], Finder],
    *,
    steps: Sequence[float] = (0.25, 0.5, 0.75, 1.0),
    overlap_labels: Iterable[str] = (),
) -> list[tuple[int, Score]]:
    """(training documents, overall score on the held-out fifth) as the training part
    grows; a step that cannot be built (too little to learn from) is left out."""
    from annotator.core.errors import InputError

    train, held = split(examples)
    out: list[tuple[int, Score]] = []
    loose = list(overlap_labels)
    for part in steps:
        n = max(1, round(len(train) * part))
        try:
            finder = build(train[:n])
        except InputError:
            continue
        scores = score(held, on_text(finder), overlap_labels=loose)
        out.append((n, scores["all"]))
    return out
