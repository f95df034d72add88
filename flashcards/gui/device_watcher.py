"""Other devices' reviews arrive while the app is open (docs/sync.md): a sync engine
writes their log files into the library's `.flashcards/devices/`; this watches that
folder, each other device's folder and its files, and syncs once they have been quiet
for a moment. The Today page and the sidebar's counts follow. Our own folder is not
watched: our own answers need no merge.

The deck folders are watched too (the folders, not the files): a sync engine's conflict
copy lands beside its original and changes no card, yet the status bar names it as it
arrives, as F5 does (and a copy set aside or resolved elsewhere is forgotten).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

SETTLE_MS = 1000  # sync engines write a file in pieces, or several files in a row


def _where(col: Any) -> tuple[str, str, list[str]]:
    from flashcards.storage.event_log import devices_dir

    folder = devices_dir(col.library)
    folder.mkdir(parents=True, exist_ok=True)  # to be watched before any device wrote
    return str(folder), col.devices.device, _deck_folders(col)


def _deck_folders(col: Any) -> list[str]:
    """The library's top and every folder holding a deck: where conflict copies land."""
    folders = {str(col.library)}
    folders.update(str(Path(info.path).parent) for info in col.decks() if info.path)
    return sorted(folders)


def _copies_in(folder: str) -> set[str]:
    """The sync engines' conflict copies of deck files in `folder` (by name)."""
    from flashcards.core.conflict_copies import conflict_original

    try:
        names = {entry.name for entry in Path(folder).iterdir()}
    except OSError:
        return set()
    return {
        str(Path(folder) / name)
        for name in names
        if name.lower().endswith(".md") and conflict_original(name, names) is not None
    }


def _conflict_paths(report: Any) -> frozenset[str]:
    return frozenset(str(c.path) for c in getattr(report, "conflicts", ()))


class DeviceWatcher(QObject):
    """Syncs the collection when another device's log changes on disk."""

    merged = Signal(object)  # the SyncReport of a sync that brought changes or copies

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
        self.deck_folders: list[str] = []
        # The conflict copies the window knows of (the last sync's): a sync finding
        # others is reported even when no card changed.
        self.known_conflicts: Callable[[], frozenset[str]] = frozenset
        self._syncing = False

    def start(self) -> None:
        """Find the folder (on the worker) and watch it."""
        self.worker.run(_where, success=self._found, label="watch devices")

    def _found(self, where: tuple[str, str, list[str]]) -> None:
        self.folder, self.own, self.deck_folders = Path(where[0]), where[1], where[2]
        self.watch()

    def watch(self) -> None:
        """Watch the devices folder, each other device's folder and its log files
        (a file replaced by a rename drops its watch: watched again here)."""
        if self.folder is None:
            return
        paths = [str(self.folder), *(p for p in self.deck_folders if Path(p).is_dir())]
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

    def _changed(self, path: str) -> None:
        # A deck folder changes with every save of a deck (ours too): sync only when the
        # conflict copies in it are not the ones the window knows, so a sync's own
        # writes never start another one.
        if path in self.deck_folders and _copies_in(path) == {
            p for p in self.known_conflicts() if str(Path(p).parent) == path
        }:
            return
        self.timer.start()  # (re)start: sync once things are quiet

    def sync(self) -> None:
        if self._syncing:
            self.timer.start()
            return
        self._syncing = True

        def done(result: tuple[Any, list[str]]) -> None:
            report, self.deck_folders = result
            self._syncing = False
            self.watch()  # a new deck folder is watched from now on
            copies_changed = _conflict_paths(report) != self.known_conflicts()
            if getattr(report, "changed", False) or copies_changed:
                self.merged.emit(report)

        def failed(_failure: Any) -> None:
            self._syncing = False

        self.worker.run(
            lambda col: (col.sync(), _deck_folders(col)),
            success=done,
            failure=failed,
            label="sync",
        )


def install_device_watcher(main: Any) -> DeviceWatcher:
    """Watch for other devices' reviews; refresh the counts when they come."""
    watcher = DeviceWatcher(main.worker, parent=main)
    watcher.known_conflicts = lambda: frozenset(str(c.path) for c in main.conflicts)
    watcher.merged.connect(lambda report: main.merged_from_devices(report))
    watcher.start()
    main.device_watcher = watcher
    return watcher
