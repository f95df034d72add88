"""Work-around for a reference-counting bug in the Qt bindings we run on.

PySide6 6.12.0 on CPython 3.11 returns `None` from every void method (`setText`,
`processEvents`, …) and `True` from `Signal.emit()` without taking a reference. Each
call lowers the reference count of `None` (or `True`) by one; after some thousands of
calls — a few hundred cards of review — the interpreter aborts with "none_dealloc:
deallocating None" or "bool_dealloc: deallocating True or False".

CPython 3.12 made `None`, `True` and `False` immortal, which hides the bug there. On
older interpreters we do what 3.12 does: give the three singletons a reference count
so large that no number of lost references can bring it to zero. They are never
freed anyway, so this changes nothing else. Imported by `flashcards.gui` before any
widget exists.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40
"""References added to each singleton: ten thousand lost per second for three years."""


def _bump(obj: object) -> None:
    # In CPython the reference count is the first field of every object.
    refcount = ctypes.c_ssize_t.from_address(id(obj))
    refcount.value += _HEADROOM


def immortalise_singletons() -> bool:
    """Protect None/True/False on CPython < 3.12; True if anything was done."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    if sys.getrefcount(None) >= _HEADROOM:
        return False  # already done
    for singleton in (None, True, False):
        _bump(singleton)
    return True
