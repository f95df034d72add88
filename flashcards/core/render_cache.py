"""A small thread-safe LRU of rendered HTML, keyed by a hash of the render inputs."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CacheInfo:
    hits: int
    misses: int
    size: int
    max_size: int


def content_key(*parts: object) -> str:
    """A hash of `parts` (strings, numbers, None, tuples of those) for cache keys."""
    # repr() of these types is unambiguous, so distinct inputs give distinct text.
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


class RenderCache:
    """Least-recently-used map of content hash → HTML, with hit/miss counters."""

    def __init__(self, max_size: int = 512) -> None:
        self._max_size = max_size
        self._items: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()
        self._hits = 0
        self._misses = 0

    def get_or_render(
        self, key: str, render: Callable[[], str], *, keep: Callable[[], bool] | None = None
    ) -> str:
        """The cached HTML for `key`, rendering (outside the lock) on a miss; a result is
        kept only if `keep()` (when given) says so after rendering."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self._hits += 1
                return found
            self._misses += 1
        html = render()
        if keep is not None and not keep():
            return html
        with self._lock:
            self._items[key] = html
            self._items.move_to_end(key)
            while len(self._items) > self._max_size:
                self._items.popitem(last=False)
        return html

    def clear(self) -> None:
        """Forget every entry and reset the counters."""
        with self._lock:
            self._items.clear()
            self._hits = 0
            self._misses = 0

    def info(self) -> CacheInfo:
        with self._lock:
            return CacheInfo(self._hits, self._misses, len(self._items), self._max_size)
