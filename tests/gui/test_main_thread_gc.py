"""Garbage Qt objects are deleted on the GUI thread, never by a worker's collection pass."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
from typing import Any

from PySide6.QtCore import QObject, Qt
from pytestqt.qtbot import QtBot

from flashcards.gui.main_thread_gc import MainThreadCollector


class Cycle:
    """A Python-owned QObject kept alive only by a reference cycle."""

    def __init__(self, deleted_in: list[int]) -> None:
        self.obj = QObject()
        self.obj.setProperty("cycle", True)
        self.me = self
        self.obj.destroyed.connect(
            lambda: deleted_in.append(threading.get_ident()),
            Qt.ConnectionType.DirectConnection,
        )


def churn_in_a_thread() -> None:
    """Allocate cycles in another thread, far past generation 0's threshold."""

    def work() -> None:
        for _ in range(50_000):
            a: list[Any] = []
            a.append(a)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()


def test_garbage_made_on_the_gui_thread_is_freed_there(
    qtbot: QtBot, _garbage_collected_on_the_gui_thread: MainThreadCollector
) -> None:
    assert not gc.isenabled()
    deleted_in: list[int] = []
    Cycle(deleted_in)
    churn_in_a_thread()
    assert deleted_in == []  # the other thread's allocations collected nothing
    qtbot.waitUntil(lambda: bool(deleted_in), timeout=5000)  # the timer's pass
    assert deleted_in == [threading.get_ident()]


def test_without_it_the_other_thread_frees_the_qt_object(
    _garbage_collected_on_the_gui_thread: MainThreadCollector,
) -> None:
    """The hazard itself: with automatic collection on, the thread that allocates deletes
    the GUI's object (what crashed the suite)."""
    gc.collect()
    gc.enable()
    try:
        deleted_in: list[int] = []
        Cycle(deleted_in)
        churn_in_a_thread()
        assert deleted_in and deleted_in[0] != threading.get_ident()
    finally:
        gc.disable()


def test_a_worker_installs_it_before_its_thread_starts() -> None:
    """In a process of its own (this module's collector is already installed)."""
    code = (
        "import gc\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from flashcards.gui.worker import CollectionWorker\n"
        "app = QCoreApplication([])\n"
        "before = gc.isenabled()\n"
        "worker = CollectionWorker(lambda: None)\n"
        "print(before, gc.isenabled())\n"
        "worker.stop()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.split() == ["True", "False"]
