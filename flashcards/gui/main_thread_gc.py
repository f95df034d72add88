"""The cyclic garbage collector runs on the GUI thread only.

Python runs a collection in whichever thread happens to allocate past the threshold. When
that is the collection worker (SQLAlchemy compiling a statement, say) and the garbage holds
a Qt object owned by Python — a window closed and dropped in a reference cycle — Qt deletes
that object from the wrong thread while the GUI thread paints, and the process dies with a
segmentation fault. The suite met this once in CI (status 139, a worker opening a collection
while the previous test's windows were garbage). So, as Anki and other PySide apps do, the
automatic collector is turned off and the GUI thread collects on a timer, by the same
thresholds Python would have used. Reference counting frees everything else as usual.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000
"""How often the GUI thread looks at the allocation counts."""


class MainThreadCollector(QObject):
    """Disables automatic collection; `collect()` (on its timer) does it on this thread."""

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.collect)
        self.timer.start()

    def collect(self) -> int:
        """Collect the oldest generation whose count passed its threshold, as Python's own
        collector would; the number of objects freed."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation]:
                return gc.collect(generation)
        return 0

    def stop(self) -> None:
        """Automatic collection again (tests, and a process that outlives its windows)."""
        global _installed
        self.timer.stop()
        gc.enable()
        if _installed is self:
            _installed = None


_installed: MainThreadCollector | None = None


def collect_on_main_thread(app: QObject) -> MainThreadCollector:
    """Install the collector once for `app` (the QApplication); returns it."""
    global _installed
    if _installed is None:
        _installed = MainThreadCollector(app)
    return _installed
