"""Training the learned source and measuring the sources, off the GUI thread.

The examples are read on the GUI thread (plain SQL, quick); the training and the
measuring run in a QThread on those plain values, never touching the project or a
widget; progress and the result come back through queued signals. Cancel stops the
training between two labels.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from annotator.core.errors import AnnotatorError
from annotator.core.suggest import Example
from annotator.core.suggest.evaluation import Score


def tr(text: str) -> str:
    return QCoreApplication.translate("suggest", text)


@dataclass
class Outcome:
    model: object = None  # a LearnedModel
    scores: dict[str, dict[str, Score]] = field(default_factory=dict)  # source -> label -> Score
    curve: list[tuple[int, Score]] = field(default_factory=list)
    held_out: int = 0


def train_and_measure(
    examples: Sequence[Example],
    actors: dict[str, list[str]],
    progress: Callable[[int, int], bool],
    *,
    measure: bool = True,
) -> Outcome:
    """The learned model on every example; with *measure*, like-before and learned
    measured on the held-out fifth and a learning curve (plain Python, any thread)."""
    from annotator.core.suggest.evaluation import learning_curve, on_text, score, split
    from annotator.core.suggest.learned import span_kinds, train
    from annotator.core.suggest.like_before import like_before_for

    data = [ex for ex in examples if ex.spans]
    out = Outcome()
    if measure and len(data) >= 2:
        training, held = split(data)
        loose = [k for k, v in span_kinds(data).items() if v == "sentence"]
        out.held_out = len(held)
        like = like_before_for(training, actors)
        out.scores["like-before"] = score(held, on_text(like.find), overlap_labels=loose)
        model = train(training, progress=progress)
        out.scores["learned"] = score(held, on_text(model.find), overlap_labels=loose)
        if len(data) >= 10:
            out.curve = learning_curve(data, lambda part: train(part).find, overlap_labels=loose)
    out.model = train(data, progress=progress)
    return out


_RUNNING: set[TrainingJob] = set()  # kept alive until their thread ends, window or not


class TrainingJob(QObject):
    """Runs :func:`train_and_measure` in its own thread; ``finished`` brings the
    :class:`Outcome` (or None) and an error message ("" when it worked, or cancelled)."""

    progressed = Signal(int, int)
    finished = Signal(object, str)

    def __init__(
        self, examples: Sequence[Example], actors: dict[str, list[str]], *, measure: bool
    ) -> None:
        super().__init__()
        self.examples, self.actors, self.measure = list(examples), actors, measure
        self.cancel = threading.Event()
        self.worker_thread = QThread()
        self.moveToThread(self.worker_thread)
        self.worker_thread.started.connect(self.run)

    def start(self) -> None:
        _RUNNING.add(self)
        self.worker_thread.start()

    def _tick(self, done: int, total: int) -> bool:
        self.progressed.emit(done, total)
        return not self.cancel.is_set()

    @Slot()
    def run(self) -> None:
        try:
            outcome = train_and_measure(
                self.examples, self.actors, self._tick, measure=self.measure
            )
        except AnnotatorError as exc:
            message = "" if self.cancel.is_set() else str(exc)
            self.finished.emit(None, message)
        except Exception as exc:  # a bug in a library: said, not a crash of the window
            self.finished.emit(None, tr("training failed: %s") % exc)
        else:
            self.finished.emit(outcome, "")
        finally:
            self.worker_thread.quit()

    def wait(self) -> None:
        self.worker_thread.wait()
        _RUNNING.discard(self)
