"""Other devices' reviews arrive while the app is open (docs/sync.md): a sync engine
writes their log files into the library's `.flashcards/devices/`; this watches that
folder, each other device's folder and its files, and syncs once they have been quiet
for a moment. The Today page and the sidebar's counts follow. Our own folder is not
watched: our own answers need no merge.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

SETTLE_MS = 1000  # sync engines write a file in pieces, or several files in a row


def _where(col: Any) -> tuple[str, str]:
    from flashcards.storage.event_log import devices_dir

    folder = devices_dir(col.library)
    folder.mkdir(parents=True, exist_ok=True)  # to be watched before any device wrote
    return str(folder), col.devices.device


class DeviceWatcher(QObject):
    """Syncs the collection when another device's log changes on disk."""

    merged = Signal(object)  # the SyncReport of a sync that brought changes

    def __init__(self, worker: Any, *, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._changed)
        self.watcher.directoryChanged.connect(self._changed)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SETTLE_MS)
        self.timer.timeout.connect(self.sync)
        self.folder: Path | None = None
        self.own = ""
        self._syncing = False

    def start(self) -> None:
        """Find the folder (on the worker) and watch it."""
        self.worker.run(_where, success=self._found, label="watch devices")

    def _found(self, where: tuple[str, str]) -> None:
        self.folder, self.own = Path(where[0]), where[1]
        self.watch()

    def watch(self) -> None:
        """Watch the devices folder, each other device's folder and its log files
        (a file replaced by a rename drops its watch: watched again here)."""
        if self.folder is None:
            return
        paths = [str(self.folder)]
        try:
            for device in self.folder.iterdir():
                if device.name == self.own or not device.is_dir():
                    continue
                paths.append(str(device))
                paths.extend(str(p) for p in device.iterdir() if ".log" in p.name)
        except OSError:
            pass
        watched = set(self.watcher.files()) | set(self.watcher.directories())
        new = [p for p in paths if p not in watched]
        if new:
            self.watcher.addPaths(new)

    def _changed(self, _path: str) -> None:
        self.timer.start()  # (re)start: sync once things are quiet

    def sync(self) -> None:
        if self._syncing:
            self.timer.start()
            return
        self._syncing = True

        def done(report: Any) -> None:
            self._syncing = False
            self.watch()
            if getattr(report, "changed", False):
                self.merged.emit(report)

        def failed(_failure: Any) -> None:
            self._syncing = False

        self.worker.run(lambda col: col.sync(), success=done, failure=failed, label="sync")


def install_device_watcher(main: Any) -> DeviceWatcher:
    """Watch for other devices' reviews; refresh the counts when they come."""
    watcher = DeviceWatcher(main.worker, parent=main)
    watcher.merged.connect(lambda report: main.merged_from_devices(report))
    watcher.start()
    main.device_watcher = watcher
    return watcher
