"""The learned model's spans on documents it never saw: k-fold cross-fitting.

To compare the model with a human coder fairly, every document is predicted by a model
trained without it. The annotated documents are split into *folds* by position (the
i-th annotated document is in fold ``i % folds``, so the last fold is
:func:`~annotator.core.suggest.evaluation.split`'s held-out fifth); for each fold the
learned model (:func:`~annotator.core.suggest.learned.train`) is trained on the other
folds and predicts the fold's texts. Nothing already annotated is skipped: the model
marks what it would mark on a fresh text, so it is one more coder, not the stored
suggestions (which leave out what the coder already marked, and lose what was
accepted). Documents with no annotation are neither trained on nor predicted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from annotator.core.errors import InputError
from annotator.core.suggest import Example

Span = tuple[int, int, str]
STEPS = 100  # progress steps per fold


def fold_of(examples: Sequence[Example], folds: int = 5) -> dict[int, int]:
    """``document id -> fold`` of the annotated documents among *examples*."""
    data = [ex for ex in examples if ex.spans]
    k = max(1, min(folds, len(data)))
    return {ex.key: i % k for i, ex in enumerate(data)}


def held_out_spans(
    examples: Sequence[Example],
    actors: Mapping[str, list[str]] | None = None,
    folds: int = 5,
    progress: Callable[[int, int], object] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> dict[int, list[Span]]:
    """``{document id: [(start, end, label), ...]}`` (code points, sorted) for every
    annotated document, predicted by a learned model trained on the other folds.

    *actors* is accepted for the sources' common call shape; the learned model does not
    use actor names. *progress* is called with (done, total); *cancelled* returning
    True stops the work with :class:`InputError`. Fewer than two annotated documents,
    fewer than two folds, or no fold with anything to learn from is an
    :class:`InputError`. A fold whose training part has too little of every label to
    learn from predicts nothing on its documents (the model would suggest nothing).
    """
    from annotator.core.suggest.learned import MIN_SPANS, train

    del actors  # (not used by the learned model)
    if folds < 2:
        raise InputError(f"holding documents out needs at least 2 folds, not {folds}")
    data = [ex for ex in examples if ex.spans]
    if len(data) < 2:
        raise InputError(
            f"too few annotated documents to hold any out: {len(data)} annotated, "
            "at least 2 needed (the model is trained on the others and predicts each)"
        )
    fold = fold_of(data, folds)
    k = max(fold.values()) + 1

    def stop() -> None:
        if cancelled is not None and cancelled():
            raise InputError("cancelled")

    def tick(done: int) -> None:
        stop()
        if progress is not None:
            progress(done, k * STEPS)

    out: dict[int, list[Span]] = {}
    learned_any = False
    for f in range(k):
        training = [ex for ex in data if fold[ex.key] != f]
        held = [ex for ex in data if fold[ex.key] == f]

        def inner(done: int, total: int, f: int = f) -> bool:
            tick(f * STEPS + (STEPS - 10) * done // max(total, 1))
            return True

        try:
            model = train(training, progress=inner)
        except InputError:
            stop()  # cancelled: said as such; otherwise nothing to learn in this fold
            for ex in held:
                out[ex.key] = []
            continue
        learned_any = True
        for ex in held:
            stop()
            out[ex.key] = [(x.start, x.end, x.label) for x in model.find(ex.text)]
        tick((f + 1) * STEPS)
    if not learned_any:
        raise InputError(
            "nothing to learn from with a fold held out: annotate at least "
            f"{MIN_SPANS} spans of a label in more documents"
        )
    return {key: out[key] for key in sorted(out)}
