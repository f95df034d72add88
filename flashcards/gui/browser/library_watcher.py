"""Watch the deck files: an edit made in another program is synced within a second and
every open screen refreshes (the editor watches its own file for conflicts)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from flashcards.gui.browser.guarded_runner import GuardedRunner

SETTLE_MS = 600  # editors save in bursts (temp file, rename): sync once it is quiet


def _deck_paths(col: Any) -> list[str]:
    return [info.path for info in col.decks() if info.path]


class LibraryWatcher(QObject):
    """Syncs the collection when a watched deck file or folder changes on disk."""

    synced = Signal(object)  # the SyncReport of a sync that changed something

    def __init__(self, runner: Any, *, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = GuardedRunner(runner, self)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._changed)
        self.watcher.directoryChanged.connect(self._changed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.sync)
        self._syncing = False
        self.on_report: Callable[[Any], None] | None = None

    def start(self) -> None:
        """Watch every deck file and its folder (asks the collection for the paths)."""
        self.runner.run(_deck_paths, success=self._watch, label="watch decks")

    def _watch(self, paths: list[str]) -> None:
        files = [p for p in paths if Path(p).exists()]
        folders = sorted({str(Path(p).parent) for p in files})
        watched = set(self.watcher.files()) | set(self.watcher.directories())
        new = [p for p in (*files, *folders) if p not in watched]
        if new:
            self.watcher.addPaths(new)

    def _changed(self, _path: str) -> None:
        self._timer.start()

    def sync(self) -> None:
        if self._syncing:
            self._timer.start()  # one sync at a time; try again when it is done
            return
        self._syncing = True

        def done(report: Any) -> None:
            self._syncing = False
            if getattr(report, "changed", False):
                self.synced.emit(report)
            self.start()  # atomic replaces drop watches; new files need one

        def failed(_failure: Any) -> None:
            self._syncing = False

        self.runner.run(lambda col: col.sync(), success=done, failure=failed, label="sync")
