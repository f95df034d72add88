"""One serialized worker thread that owns the Collection.

Every database operation of the app runs here, one after another, in submission order
(Anki's `CollectionOp`): the GUI submits a function of the collection with success and
failure callbacks, and the result comes back to the GUI thread by a queued signal. The
Collection object itself never leaves this thread; what crosses is frozen dataclasses.
"""

from __future__ import annotations

import itertools
import queue
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal

from flashcards.gui.card_media import allow_collection
from flashcards.gui.main_thread_gc import collect_on_main_thread
from flashcards.gui.review_models import BACKGROUND, INTERACTIVE

T = TypeVar("T")

Success = Callable[[Any], None]
Failure = Callable[["OpFailure"], None]


@dataclass(frozen=True)
class OpFailure:
    """An exception raised by an operation, with its formatted traceback."""

    error: BaseException
    traceback: str
    label: str


@dataclass(frozen=True, order=True)
class _Job(Generic[T]):
    # Ordered by (priority, op_id): interactive work first, then submission order.
    priority: int
    op_id: int
    fn: Callable[[Any], T] | None = field(compare=False)
    label: str = field(compare=False, default="")
    reopens: bool = field(compare=False, default=False)  # fn returns the collection to use


_STOP = BACKGROUND + 1  # after everything queued
OPEN_LABEL = "open collection"

GIL_SWITCH_SECONDS = 0.001
QUIET_AFTER_INTERACTIVE = 0.03
"""Seconds background work waits after interactive work: time to paint the result."""


def share_the_interpreter() -> None:
    """Hand the interpreter lock between the GUI and the worker every millisecond
    (Python's default is 5 ms): a finished result then reaches the screen without
    waiting for the worker's next operation to yield."""
    sys.setswitchinterval(GIL_SWITCH_SECONDS)


class _WorkerThread(QThread):
    """Runs jobs from a queue against the collection it opened itself."""

    job_finished = Signal(int, bool, object)
    opened = Signal(object)  # None once the collection is open, else its OpFailure

    def __init__(self, open_collection: Callable[[], Any]) -> None:
        super().__init__()
        self.setObjectName("collection-worker")
        self._open_collection = open_collection
        self.jobs: queue.PriorityQueue[_Job[Any]] = queue.PriorityQueue()
        self._quiet_until = 0.0

    def _next_job(self) -> _Job[Any]:
        """The next job; background work waits a moment after interactive work, so the
        GUI thread has the interpreter to itself while it paints the result."""
        job = self.jobs.get()
        while job.priority >= BACKGROUND and job.fn is not None:
            wait = self._quiet_until - time.monotonic()
            if wait <= 0:
                break
            self.jobs.put(job)
            time.sleep(min(wait, 0.002))
            job = self.jobs.get()  # an interactive job that came meanwhile goes first
        return job

    def run(self) -> None:
        collection: Any = None
        open_error: OpFailure | None = None
        try:
            collection = self._open_collection()
            allow_collection(collection)  # card views may show its library's images
        except Exception as exc:  # reported once by `opened`; every job then fails with it
            open_error = OpFailure(exc, traceback.format_exc(), OPEN_LABEL)
        self.opened.emit(open_error)
        try:
            while (job := self._next_job()).fn is not None:
                if open_error is not None and not job.reopens:
                    self.job_finished.emit(job.op_id, False, open_error)
                    continue
                try:
                    result = job.fn(collection)
                except Exception as exc:  # any failure goes back to the GUI, never kills the loop
                    failure = OpFailure(exc, traceback.format_exc(), job.label)
                    self.job_finished.emit(job.op_id, False, failure)
                else:
                    if job.reopens:  # a restore: from now on, the collection it opened
                        collection, open_error, result = result, None, None
                    self.job_finished.emit(job.op_id, True, result)
                if job.priority == INTERACTIVE:
                    self._quiet_until = time.monotonic() + QUIET_AFTER_INTERACTIVE
        finally:
            if collection is not None:
                collection.close()


class CollectionWorker(QObject):
    """Submit functions of the collection; callbacks run on the GUI thread.

    `open_collection` is called on the worker thread; the collection is closed there by
    `stop()`. Unhandled failures go to `default_failure` (the window's error reporter).
    `opened` tells once whether the collection opened (None) or why not (an OpFailure);
    a failure to open is reported there only, never again by each job it fails.
    """

    busy_changed = Signal(bool)
    opened = Signal(object)

    def __init__(
        self, open_collection: Callable[[], Any], *, default_failure: Failure | None = None
    ) -> None:
        super().__init__()
        self._thread = _WorkerThread(open_collection)
        self._thread.job_finished.connect(self._on_finished)
        # Connected before the thread starts, so the answer is never missed: it reaches
        # whoever connects to `opened` before the event loop runs.
        self._thread.opened.connect(self._on_opened)
        self.open_failure: OpFailure | None = None
        self.is_open = False
        self._callbacks: dict[int, tuple[Success | None, Failure | None]] = {}
        self._ids = itertools.count(1)
        self.default_failure = default_failure
        app = QCoreApplication.instance()
        if app is not None:  # from now on only the GUI thread collects garbage
            collect_on_main_thread(app)
        self._thread.start()

    @property
    def pending(self) -> int:
        """Operations submitted and not yet reported back."""
        return len(self._callbacks)

    def run(
        self,
        fn: Callable[[Any], T],
        *,
        success: Callable[[T], None] | None = None,
        failure: Failure | None = None,
        label: str = "",
        priority: int = INTERACTIVE,
    ) -> int:
        """Queue `fn(collection)`; call `success(result)` or `failure(OpFailure)` later.

        Operations of one priority run in submission order; INTERACTIVE ones go before
        any BACKGROUND one still waiting (a running operation is never interrupted).
        """
        op_id = next(self._ids)
        self._callbacks[op_id] = (success, failure)
        if len(self._callbacks) == 1:
            self.busy_changed.emit(True)
        name = label or getattr(fn, "__name__", "operation")
        self._thread.jobs.put(_Job(priority, op_id, fn, name))
        return op_id

    def reopen(
        self,
        fn: Callable[[Any], Any],
        *,
        success: Callable[[None], None] | None = None,
        failure: Failure | None = None,
        label: str = "reopen",
    ) -> int:
        """Queue `fn(collection)` (None when it never opened), which returns the collection
        every later operation uses: a restore from backup, a rebuild. It runs even after
        the collection failed to open; on success the worker counts as open."""

        def opened(_: None) -> None:
            self.open_failure, self.is_open = None, True
            if success is not None:
                success(None)

        op_id = next(self._ids)
        self._callbacks[op_id] = (opened, failure)
        if len(self._callbacks) == 1:
            self.busy_changed.emit(True)
        self._thread.jobs.put(_Job(INTERACTIVE, op_id, fn, label, reopens=True))
        return op_id

    def stop(self, *, timeout_ms: int = 10_000) -> None:
        """Finish queued work, close the collection and end the thread."""
        if self._thread.isRunning():
            self._thread.jobs.put(_Job(_STOP, next(self._ids), None, "stop"))
            self._thread.wait(timeout_ms)

    def _on_opened(self, failure: OpFailure | None) -> None:
        self.open_failure = failure
        self.is_open = failure is None
        self.opened.emit(failure)

    def _on_finished(self, op_id: int, ok: bool, payload: object) -> None:
        success, failure = self._callbacks.pop(op_id, (None, None))
        if not self._callbacks:
            self.busy_changed.emit(False)
        if ok:
            if success is not None:
                success(payload)
            return
        assert isinstance(payload, OpFailure)
        if payload.label == OPEN_LABEL:
            return  # `opened` reported it, once
        handler = failure or self.default_failure
        if handler is not None:
            handler(payload)
