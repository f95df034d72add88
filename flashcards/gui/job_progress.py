"""A worker job's progress and Cancel, for a panel that may close while the job runs:
reports are queued to the GUI thread and stop once the panel is gone."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal


class JobLife:
    """Whether the panel still exists: worker callbacks arrive after a closed dialog."""

    def __init__(self) -> None:
        self.alive = True
        self.lock = threading.Lock()

    def end(self, *_args: object) -> None:
        with self.lock:
            self.alive = False


class ProgressEmitter(QObject):
    """Carries progress reports from the worker to the GUI thread."""

    progressed = Signal(int, int, str)


class JobProgress:
    """The progress callback a worker job gets: reports to the panel's bar (queued to
    the GUI thread) and says False once Cancel is pressed or the panel is gone."""

    def __init__(self, emitter: ProgressEmitter, life: JobLife) -> None:
        self._emitter = emitter
        self._life = life
        self.cancelled = threading.Event()

    def __call__(self, done: int, total: int, text: str) -> bool:
        with self._life.lock:
            if not self._life.alive:
                return False
            self._emitter.progressed.emit(done, total, text)
        return not self.cancelled.is_set()
