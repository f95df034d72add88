"""Pause the cyclic garbage collector around bulk work that builds many small objects.

Parsing a library or syncing it allocates hundreds of thousands of acyclic values
(strings, tuples, frozen dataclasses); each allocation burst triggers generation-0
collections that find nothing to free, about a fifth of the parse time. Reference
counting still frees everything as usual while the collector is paused.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block; restore its previous state after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
