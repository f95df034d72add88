"""Background work that renders changed notes as Anki fields before an export asks.

After a sync or an import found notes changed, the window starts a `RenderAheadJob`: one
BACKGROUND worker operation per `RenderAhead.step` (one deck file parsed at most, a few
dozen notes rendered), each queued when the last one is done, so interactive work waits
for one short step at most and an export afterwards reads every note from the store.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from flashcards.collection.render_ahead import RenderAhead
from flashcards.gui.review_models import BACKGROUND
from flashcards.gui.worker import CollectionWorker

log = logging.getLogger(__name__)


class RenderAheadJob:
    """Runs `RenderAhead` on the worker, a step at a time, while work remains."""

    def __init__(self, worker: CollectionWorker) -> None:
        self.worker = worker
        self._work: RenderAhead | None = None
        self._next: set[str] | None = set()  # decks asked for meanwhile (None: all)
        self._asked = False
        self.stopped = False
        self.rendered = 0  # notes rendered by finished runs (for tests and logs)

    @property
    def running(self) -> bool:
        return self._work is not None

    def start(self, decks: Iterable[str] | None = None) -> None:
        """Render the changed notes of `decks` (library paths; None: every deck)."""
        if self.stopped:
            return
        if self._work is not None:  # after the run going on
            self._asked = True
            if decks is None or self._next is None:
                self._next = None
            else:
                self._next |= set(decks)
            return
        self._work = RenderAhead(decks)
        self._queue()

    def stop(self) -> None:
        """Queue no further step (the window closes)."""
        self.stopped = True

    def _queue(self) -> None:
        work = self._work
        assert work is not None
        self.worker.run(
            work.step,
            success=self._stepped,
            failure=self._failed,
            label="render for export",
            priority=BACKGROUND,
        )

    def _stepped(self, more: bool) -> None:
        if more and not self.stopped:
            self._queue()
            return
        self._finish()

    def _failed(self, failure: Any) -> None:
        # An export renders what is missing itself: nothing to tell the user.
        log.warning("rendering notes ahead of an export failed: %s", failure)
        self._finish()

    def _finish(self) -> None:
        if self._work is not None:
            self.rendered += self._work.rendered
        self._work = None
        if self._asked and not self.stopped:
            decks, self._next, self._asked = self._next, set(), False
            self.start(decks)
