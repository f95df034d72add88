"""Work around a reference-count bug of this PySide6 build (6.12 on CPython 3.11).

Every call of a Qt method that returns nothing (`QPainter.setPen`, `QLabel.setText`, …)
drops one reference to `None` without having taken it: the wheel returns `Py_None`
as if `None` were immortal, which it only is from Python 3.12. After a few thousand
such calls CPython aborts with "none_dealloc: deallocating None". The map paints
dozens of such calls per frame, so it would crash within seconds of panning.

`keep_none_alive()` gives `None` (and `True`/`False`, hit the same way by some bool
returns) a reference count no program can exhaust (2**40), which is what Python 3.12
does by design (immortal objects). It is a no-op on 3.12 and later.
"""

from __future__ import annotations

import ctypes
import sys

_MARGIN = 1 << 40
_done = False


def keep_none_alive() -> None:
    """Make `None` effectively immortal on CPython < 3.12 (idempotent)."""
    global _done
    if _done or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        _done = True
        return
    # ob_refcnt is the first field of every object (a Py_ssize_t) on CPython 3.11.
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += _MARGIN
    _done = True


def none_leaks_per_call() -> int:
    """How many references to None one void Qt call drops (0 on a healthy build)."""
    from PySide6.QtGui import QPen

    pen = QPen()
    before = sys.getrefcount(None)
    for _ in range(100):
        pen.setWidthF(1.0)
    return round((before - sys.getrefcount(None)) / 100)
