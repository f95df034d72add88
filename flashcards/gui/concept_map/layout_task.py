"""The force layout on a thread-pool thread; the result comes back by signal."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from flashcards.core.graph_layout import LayoutParams, layout
from flashcards.core.model import NoteId


class _Emitter(QObject):
    finished = Signal(int, object)  # generation, dict[NoteId, (x, y)]


class LayoutTask(QRunnable):
    """Runs `layout()` with the stored positions fixed (only new nodes move)."""

    def __init__(
        self,
        generation: int,
        nodes: Sequence[NoteId],
        edges: Sequence[tuple[NoteId, NoteId]],
        fixed: Mapping[NoteId, tuple[float, float]],
        params: LayoutParams,
        groups: Mapping[NoteId, str | None] | None = None,
    ) -> None:
        super().__init__()
        self.generation = generation
        self.nodes = list(nodes)
        self.edges = list(edges)
        self.fixed = dict(fixed)
        self.params = params
        self.groups = dict(groups or {})
        self.emitter = _Emitter()
        self.seconds = 0.0  # how long the computation took (benchmark, status)
        self.cpu_seconds = 0.0

    def run(self) -> None:
        start, cpu = time.perf_counter(), time.thread_time()
        result = layout(
            self.nodes, self.edges, fixed=self.fixed, groups=self.groups, params=self.params
        )
        self.seconds = time.perf_counter() - start
        self.cpu_seconds = time.thread_time() - cpu  # this thread only: steady under load
        self.emitter.finished.emit(self.generation, result)


def start_layout(task: LayoutTask | BackgroundTask, pool: QThreadPool | None = None) -> None:
    """Queue the task; connect to `task.emitter.finished` before calling."""
    task.setAutoDelete(False)  # the emitter must outlive run() until the signal lands
    (pool or QThreadPool.globalInstance()).start(task)


class _Done(QObject):
    finished = Signal(object)


class BackgroundTask(QRunnable):
    """Any pure computation (no collection, no Qt objects) on a pool thread."""

    def __init__(self, fn: Callable[[], object]) -> None:
        super().__init__()
        self.fn = fn
        self.emitter = _Done()

    def run(self) -> None:
        self.emitter.finished.emit(self.fn())
