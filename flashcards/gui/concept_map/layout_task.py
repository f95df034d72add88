"""The map's layout (by region, `core.region_layout`) on a thread-pool thread; the
result comes back by signal."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from flashcards.core.graph_layout import LayoutParams
from flashcards.core.model import NoteId
from flashcards.core.region_layout import Region, region_layout


class _Emitter(QObject):
    finished = Signal(int, object)  # generation, RegionLayout[NoteId]


class LayoutTask(QRunnable):
    """Runs `region_layout()`: each domain in its region, cards of a deck together; the
    stored positions fixed (only new nodes move) when there are some."""

    def __init__(
        self,
        generation: int,
        nodes: Sequence[NoteId],
        edges: Sequence[tuple[NoteId, NoteId]],
        fixed: Mapping[NoteId, tuple[float, float]],
        params: LayoutParams,
        groups: Mapping[NoteId, str | None] | None = None,
        *,
        subgroups: Mapping[NoteId, str | None] | None = None,
        regions: Mapping[str, Region] | None = None,
        order: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.generation = generation
        self.nodes = list(nodes)
        self.edges = list(edges)
        self.fixed = dict(fixed)
        self.params = params
        self.groups = dict(groups or {})
        self.subgroups = dict(subgroups or {})
        self.regions = dict(regions or {})
        self.order = tuple(order)
        self.emitter = _Emitter()
        self.seconds = 0.0  # how long the computation took (benchmark, status)
        self.cpu_seconds = 0.0

    def run(self) -> None:
        start, cpu = time.perf_counter(), time.thread_time()
        result = region_layout(
            self.nodes,
            self.edges,
            groups=self.groups,
            subgroups=self.subgroups,
            fixed=self.fixed,
            regions=self.regions,
            order=self.order,
            params=self.params,
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
