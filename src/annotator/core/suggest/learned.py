"""*Learned*: models trained on this project's own annotations, with scikit-learn.

Two kinds of label, decided from the annotations themselves:

- *span labels* (short spans: a median of at most :data:`SENTENCE_WORDS` words, as
  actors): each word is classified as the beginning, inside or outside of a span of the
  label (BIO), by a logistic regression (scikit-learn's SGDClassifier, log loss) over
  hashed features of the word and its neighbours (the word, its lower case, shape,
  affixes, the words around it). A suggestion is a run B I* (or I+), scored by the
  mean probability of its words;
- *sentence labels* (longer spans, as claims, demands, allegations): each sentence is
  classified as containing a span of the label or not (TF-IDF of words and word pairs,
  logistic regression); a sentence scored above :data:`THRESHOLD` is suggested whole,
  its final punctuation left out, unless it overlaps a span of that label already
  annotated (or rejected).

scikit-learn is imported when a model is trained, not with this module (the CLI start-up
stays quick). No weights are downloaded: a model knows only the user's own work. Models
are kept in memory and trained again when needed (seconds); none is written to the
project file, since unpickling a model from a file someone mailed would run its code.
"""

from __future__ import annotations

import bisect
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core.errors import InputError
from annotator.core.suggest import Example, Suggestion
from annotator.core.suggest.tokens import sentences, tokens

SOURCE = "learned"
SENTENCE_WORDS = 4  # a label whose spans have more words (median) is learned per sentence
THRESHOLD = 0.5
MIN_SPANS = 2  # fewer annotations of a label than this: nothing to learn from

Progress = Callable[[int, int], bool]  # (done, total) -> go on?


def _shape(word: str) -> str:
    out: list[str] = []
    for ch in word[:6]:
        kind = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)


def _word_features(text: str, toks: Sequence[tuple[int, int]], i: int) -> list[str]:
    def word(j: int) -> str:
        if j < 0:
            return "<s>"
        if j >= len(toks):
            return "</s>"
        s, e = toks[j]
        return text[s:e]

    w = word(i)
    low = w.lower()
    feats = [
        "bias",
        f"w={w}",
        f"l={low}",
        f"sh={_shape(w)}",
        f"p3={low[:3]}",
        f"s3={low[-3:]}",
        f"t={w[:1].isupper()}",
    ]
    for d in (-2, -1, 1, 2):
        o = word(i + d)
        feats.append(f"{d}l={o.lower()}")
        feats.append(f"{d}sh={_shape(o)}")
    feats.append(f"-1l+l={word(i - 1).lower()}|{low}")
    feats.append(f"l+1l={low}|{word(i + 1).lower()}")
    return feats


def _bio(toks: Sequence[tuple[int, int]], spans: Iterable[tuple[int, int]]) -> list[str]:
    tags = ["O"] * len(toks)
    starts = [s for s, _ in toks]
    for s, e in spans:
        i = bisect.bisect_left(starts, s)
        first = True
        while i < len(toks) and toks[i][1] <= e:
            if toks[i][0] >= s and tags[i] == "O":
                tags[i] = "B" if first else "I"
            first = False
            i += 1
    return tags


def _sentence_text(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence without its final punctuation (what a coder marks)."""
    while end > start and text[end - 1] in '.!?"”’)] ':
        end -= 1
    return start, end


@dataclass
class LearnedModel:
    """The models of one training: per span label a word tagger, per sentence label a
    sentence classifier."""

    span_models: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    sentence_models: dict[str, Any] = field(default_factory=dict)
    trained_on: int = 0  # spans

    @property
    def labels(self) -> list[str]:
        return sorted({*self.span_models, *self.sentence_models})

    def find(self, text: str, skip: Iterable[tuple[int, int, str]] = ()) -> list[Suggestion]:
        skipped = set(skip)
        out: list[Suggestion] = []
        if self.span_models:
            toks = tokens(text)
            rows = [_word_features(text, toks, i) for i in range(len(toks))]
            for label, (hasher, model) in self.span_models.items():
                if not rows:
                    break
                probs = model.predict_proba(hasher.transform(rows))
                classes = list(model.classes_)
                out.extend(_decode(toks, probs, classes, label))
        if self.sentence_models:
            sents = list(sentences(text))
            chunks = [text[s:e] for s, e in sents]
            for label, model in self.sentence_models.items():
                if not chunks:
                    break
                yes = list(model.classes_).index(1) if 1 in model.classes_ else None
                if yes is None:
                    continue
                taken = [(a, b) for a, b, lab in skipped if lab == label]
                for (s, e), p in zip(sents, model.predict_proba(chunks)[:, yes], strict=True):
                    if p >= THRESHOLD:
                        s, e = _sentence_text(text, s, e)
                        # a sentence that holds a span of the label already is done
                        if s < e and not any(a < e and b > s for a, b in taken):
                            out.append(Suggestion(s, e, label, round(float(p), 4), SOURCE))
        return sorted(
            (x for x in out if (x.start, x.end, x.label) not in skipped),
            key=lambda x: (x.start, x.end, x.label),
        )


def _decode(
    toks: Sequence[tuple[int, int]], probs: Any, classes: list[str], label: str
) -> list[Suggestion]:
    b = classes.index("B") if "B" in classes else None
    i_ = classes.index("I") if "I" in classes else None
    out: list[Suggestion] = []
    current: list[int] = []

    def close() -> None:
        if current:
            score = sum(float(probs[k].max()) for k in current) / len(current)
            s, e = toks[current[0]][0], toks[current[-1]][1]
            out.append(Suggestion(s, e, label, round(score, 4), SOURCE))
            current.clear()

    for k in range(len(toks)):
        best = int(probs[k].argmax())
        if best == b:
            close()
            current.append(k)
        elif best == i_:
            current.append(k)
        else:
            close()
    close()
    return out


def span_kinds(examples: Iterable[Example]) -> dict[str, str]:
    """``label -> "span" | "sentence"`` from the median length in words of its spans."""
    lengths: dict[str, list[int]] = {}
    for ex in examples:
        for s, e, label in ex.spans:
            lengths.setdefault(label, []).append(len(tokens(ex.text[s:e])))
    return {
        label: "sentence" if statistics.median(n) > SENTENCE_WORDS else "span"
        for label, n in lengths.items()
        if len(n) >= MIN_SPANS
    }


def train(
    examples: Sequence[Example],
    *,
    labels: Iterable[str] | None = None,
    progress: Progress | None = None,
) -> LearnedModel:
    """Train on *examples* (their spans are the truth; words outside them are "no").

    *progress* is called with (done, total) between the models; returning False stops
    the training with :class:`InputError` ("cancelled"). Raises :class:`InputError` when
    no label has :data:`MIN_SPANS` annotations.
    """
    kinds = span_kinds(examples)
    if labels is not None:
        wanted = set(labels)
        kinds = {k: v for k, v in kinds.items() if k in wanted}
    if not kinds:
        raise InputError(
            f"nothing to learn from yet: annotate at least {MIN_SPANS} spans of a label"
        )
    from sklearn.feature_extraction import FeatureHasher
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression, SGDClassifier
    from sklearn.pipeline import make_pipeline

    total = len(kinds) + 1
    model = LearnedModel(trained_on=sum(len(ex.spans) for ex in examples))
    tokenised = [(ex, tokens(ex.text)) for ex in examples]

    def step(done: int) -> None:
        if progress is not None and not progress(done, total):
            raise InputError("training cancelled")

    step(0)
    rows: list[list[str]] = []
    for ex, toks in tokenised:
        rows.extend(_word_features(ex.text, toks, i) for i in range(len(toks)))
    hasher = FeatureHasher(n_features=2**16, input_type="string", alternate_sign=False)
    matrix = hasher.transform(rows) if rows else None
    for n, (label, kind) in enumerate(sorted(kinds.items()), start=1):
        if kind == "span" and matrix is not None:
            tags: list[str] = []
            for ex, toks in tokenised:
                tags.extend(_bio(toks, [(s, e) for s, e, lab in ex.spans if lab == label]))
            if len(set(tags)) > 1:
                clf = SGDClassifier(
                    loss="log_loss", alpha=1e-4, max_iter=30, tol=None, random_state=0
                )
                clf.fit(matrix, tags)
                model.span_models[label] = (hasher, clf)
        elif kind == "sentence":
            texts, ys = [], []
            for ex, _ in tokenised:
                marked = [(s, e) for s, e, lab in ex.spans if lab == label]
                for s, e in sentences(ex.text):
                    texts.append(ex.text[s:e])
                    ys.append(int(any(a < e and b > s for a, b in marked)))
            if len(set(ys)) > 1:
                pipe = make_pipeline(
                    TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1),
                    LogisticRegression(max_iter=300, C=4.0, class_weight="balanced"),
                )
                pipe.fit(texts, ys)
                model.sentence_models[label] = pipe
        step(n)
    step(total)
    return model
