"""The learned model's held-out spans (issue 17): each document is predicted by a model
trained on the other folds only, and nothing annotated is skipped."""

from __future__ import annotations

import pytest

from annotator.core.errors import InputError
from annotator.core.suggest import Example
from annotator.core.suggest.cross_fit import fold_of, held_out_spans
from annotator.core.suggest.learned import train
from annotator.core.suggest.sample_corpus import generate

WEATHER = "The weather was cold and wet all week"  # a filler sentence of the corpus


def annotated(n: int) -> list[Example]:
    """The generated corpus's documents that have spans (the others are in no fold)."""
    return [ex for ex in generate(n) if ex.spans]


def with_weather(corpus: list[Example], in_fold: int, folds: int = 5) -> list[Example]:
    """*corpus* with the sentence WEATHER annotated "weather" (a sentence label) in the
    documents of fold *in_fold* only (the i-th annotated document is in fold i % folds)."""
    out = []
    for i, ex in enumerate(corpus):
        spans = list(ex.spans)
        at = ex.text.find(WEATHER)
        if i % folds == in_fold and at >= 0:
            spans.append((at, at + len(WEATHER), "weather"))
        out.append(Example(ex.key, ex.text, tuple(sorted(spans))))
    return out


def test_folds_are_by_position_of_the_annotated_documents() -> None:
    corpus = generate(12)
    empty = Example(99, "Nothing here.", ())
    assert fold_of([corpus[0], empty, *corpus[1:]], 5) == {
        ex.key: i % 5 for i, ex in enumerate(corpus)
    }
    assert fold_of(corpus[:3], 5) == {1: 0, 2: 1, 3: 2}  # fewer documents than folds


def test_a_label_only_in_one_fold_is_never_predicted_there() -> None:
    corpus = with_weather(annotated(100), in_fold=0)
    fold0 = [ex for i, ex in enumerate(corpus) if i % 5 == 0]
    marked = [ex for ex in fold0 if any(label == "weather" for *_, label in ex.spans)]
    assert len(marked) >= 3
    # a model that saw fold 0 finds the word there again: the check has teeth
    seen = train(corpus)
    assert any(x.label == "weather" for ex in marked for x in seen.find(ex.text))
    spans = held_out_spans(corpus)
    assert sorted(spans) == [ex.key for ex in corpus]
    assert not any(label == "weather" for ex in fold0 for *_, label in spans[ex.key])
    # other folds' models learned it from fold 0
    assert any(label == "weather" for ex in corpus for *_, label in spans[ex.key])


def test_each_document_is_predicted_by_the_model_of_the_other_folds() -> None:
    corpus = annotated(40)
    spans = held_out_spans(corpus, folds=4)
    for f in range(4):
        model = train([ex for i, ex in enumerate(corpus) if i % 4 != f])
        for ex in corpus[f::4]:
            want = [(x.start, x.end, x.label) for x in model.find(ex.text)]
            assert spans[ex.key] == want
    # nothing annotated is skipped: most actors annotated are predicted exactly (stored
    # suggestions never hold a span annotated with its label)
    actors = [{g for g in ex.spans if g[2] == "actor"} for ex in corpus]
    exact = sum(len(set(spans[ex.key]) & gold) for ex, gold in zip(corpus, actors, strict=True))
    assert exact > sum(len(gold) for gold in actors) // 2
    for ex in corpus:  # code points inside the text
        assert all(0 <= s < e <= len(ex.text) for s, e, _ in spans[ex.key])


def test_progress_cancel_and_one_line_errors() -> None:
    corpus = generate(10)
    seen: list[tuple[int, int]] = []
    held_out_spans(corpus, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] and [d for d, _ in seen] == sorted(d for d, _ in seen)
    asked: list[int] = []
    with pytest.raises(InputError, match=r"^cancelled$"):  # part way through
        held_out_spans(corpus, cancelled=lambda: asked.append(1) or len(asked) > 12)
    assert len(asked) == 13
    with pytest.raises(InputError, match="too few annotated documents to hold any out: 1"):
        held_out_spans([corpus[0], Example(50, "No spans.", ())])
    with pytest.raises(InputError, match="at least 2 folds"):
        held_out_spans(corpus, folds=1)
    one_each = [Example(i, ex.text, ex.spans[:1]) for i, ex in enumerate(corpus[:2])]
    with pytest.raises(InputError, match="nothing to learn from with a fold held out"):
        held_out_spans(one_each)
