"""The annotation table's whole-table work (sort, filter, count) off the GUI thread.

A million rows take 0.2-1.2 s of SQL to sort or filter; on the GUI thread the window
froze that long. Here one thread per table runs the ids query on a read-only
connection of its own (SQLite connections belong to one thread; WAL lets the window
write meanwhile), the newest request wins: a request that arrives while another runs
interrupts it (``sqlite3_interrupt``), requests still queued are skipped, and a result
that arrives after a newer request is dropped. The result reaches the GUI thread
through a queued signal; the window keeps showing its old rows until then.

The connection is opened for each burst of work and closed when the queue is empty,
so no reader lingers on the file (a Save As, a close, a checkpoint never meet it).
The worker only reads: the text index the table sorts on comes with the file format.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from array import array
from collections.abc import Set
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot

from annotator.core.errors import AnnotatorError
from annotator.store import Project
from annotator.store.queries.table_queries import (
    TableFilter,
    interrupt,
    ordered_ids_unless_interrupted,
)


@dataclass(frozen=True)
class TableJob:
    generation: int
    path: Path
    filter: TableFilter
    sort: str
    descending: bool
    track: frozenset[int]  # ids whose new rows the GUI will need (selection, current)


@dataclass(frozen=True)
class TableResult:
    generation: int
    ids: array[int] | None  # None: the job failed (error says why)
    rows: dict[int, int]  # the new row of each tracked id found
    error: str = ""
    thread: int = 0  # the thread that ran the query (for tests)


IDLE_S = 20.0  # the thread ends after this long without work (a new one starts on demand)
SEARCH_CHUNK = 65_536  # ids searched per C call (a few ms holding the GIL)


def find(ids: array[int], annotation_id: int) -> int:
    """The row of *annotation_id* in *ids*, else -1; searched a chunk at a time, so
    that a search of a million ids in the worker never holds the GIL for long."""
    for start in range(0, len(ids), SEARCH_CHUNK):
        with contextlib.suppress(ValueError):
            return ids.index(annotation_id, start, start + SEARCH_CHUNK)
    return -1


def rows_of(ids: array[int], wanted: Set[int]) -> dict[int, int]:
    """The rows of the *wanted* ids in *ids* (no dict of every row)."""
    if len(wanted) <= 8:
        rows = ((annotation_id, find(ids, annotation_id)) for annotation_id in wanted)
        return {annotation_id: row for annotation_id, row in rows if row >= 0}
    return {i: row for row, i in enumerate(ids) if i in wanted}


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, the GUI thread receives."""

    finished = Signal(object)  # TableResult


class TableWorker(QObject):
    """Runs :class:`TableJob` s in a thread of its own; emits ``ready`` on the GUI thread
    with each result that is still the newest request's."""

    ready = Signal(object)  # TableResult

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.generation = 0  # the newest request; older results are dropped
        self.queries = 0  # ids queries the thread ran to the end (for tests)
        self.dropped = 0  # results thrown away: superseded before or after they ran
        self._jobs: queue.SimpleQueue[TableJob | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._running: Project | None = None  # the connection of the running job
        self._running_generation = 0
        self._thread: threading.Thread | None = None
        self._relay = _Relay()
        self._relay.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)

    @property
    def pending(self) -> bool:
        """A request has been made whose result has not arrived."""
        return self._waiting != 0

    _waiting = 0  # the generation awaited (0: none)

    def submit(
        self,
        path: Path,
        flt: TableFilter,
        sort: str,
        descending: bool,
        track: frozenset[int] = frozenset(),
    ) -> int:
        """Queue a request (superseding every earlier one); return its generation."""
        self.generation += 1
        self._waiting = self.generation
        self._stop_running()
        self._jobs.put(TableJob(self.generation, path, flt, sort, descending, track))
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="table-worker", daemon=True)
                self._thread.start()
        return self.generation

    def cancel(self) -> None:
        """Forget every request (the project closed, or the table answers inline now)."""
        self.generation += 1
        self._waiting = 0
        self._stop_running()

    @property
    def alive(self) -> bool:
        """The thread is running (it ends after IDLE_S seconds without work)."""
        with self._lock:
            return self._thread is not None

    def _stop_running(self) -> None:
        with self._lock:
            if self._running is not None and self._running_generation < self.generation:
                interrupt(self._running)

    # -- the worker thread ---------------------------------------------------------

    def _newest(self, job: TableJob) -> TableJob | None:
        """*job*, or a later one already queued (skipping the ones between)."""
        while True:
            try:
                later = self._jobs.get_nowait()
            except queue.Empty:
                return job
            if later is None:
                return None
            self.dropped += 1
            job = later

    def _loop(self) -> None:
        while True:
            try:
                job = self._jobs.get(timeout=IDLE_S)
            except queue.Empty:
                with self._lock:
                    if self._jobs.empty():  # a job put meanwhile is run, not lost
                        self._thread = None
                        return
                continue
            if job is None:
                return
            project: Project | None = None
            try:
                while job is not None:
                    job = self._newest(job)
                    if job is None:
                        return
                    if job.generation != self.generation:
                        self.dropped += 1
                    else:
                        if project is None or project.path != job.path:
                            if project is not None:
                                project.close()
                            project = Project.open(job.path, read_only=True)
                        self._run(project, job)
                    try:
                        job = self._jobs.get_nowait()
                    except queue.Empty:
                        job = None
            except AnnotatorError as exc:
                self._relay.finished.emit(TableResult(self.generation, None, {}, str(exc)))
            except Exception as exc:  # a worker must never die with the window waiting
                message = f"the table could not be read: {exc}"
                self._relay.finished.emit(TableResult(self.generation, None, {}, message))
            finally:
                with self._lock:
                    self._running = None
                if project is not None:
                    project.close()

    def _run(self, project: Project, job: TableJob) -> None:
        with self._lock:
            self._running, self._running_generation = project, job.generation
            if job.generation != self.generation:  # superseded while it was opened
                self._running = None
                self.dropped += 1
                return
        ids = ordered_ids_unless_interrupted(project, job.filter, job.sort, job.descending)
        with self._lock:
            self._running = None
        if ids is None or job.generation != self.generation:
            self.dropped += 1
            return
        self.queries += 1
        rows = rows_of(ids, job.track)
        self._relay.finished.emit(
            TableResult(job.generation, ids, rows, thread=threading.get_ident())
        )

    # -- back on the GUI thread ----------------------------------------------------

    @Slot(object)
    def _finished(self, result: TableResult) -> None:
        if result.generation != self.generation:
            self.dropped += 1
            return
        self._waiting = 0
        self.ready.emit(result)
