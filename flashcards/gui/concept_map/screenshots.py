"""Screenshots of the concept map on the bundled decks (for the docs).

    xvfb-run -s "-screen 0 1400x900x24" \
        python -m flashcards.gui.concept_map.screenshots docs/screenshots

A temporary collection is seeded with the bundled decks and given a deterministic
review history (so the recall rings show weak and strong cards), then the map is shown
whole, filtered to one domain, and as a neighbourhood of a hub card.
"""

from __future__ import annotations

import random
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from flashcards.collection import Collection
from flashcards.collection.concept_map import map_data
from flashcards.core.model import Rating
from flashcards.gui.concept_map.map_window import ConceptMapWindow

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


class _Runner:
    """Runs collection functions at once (a script has no worker thread to wait for)."""

    def __init__(self, col: Collection) -> None:
        self.col = col

    def run(
        self,
        fn: Callable[[Any], Any],
        *,
        success: Callable[[Any], None] | None = None,
        failure: Callable[[Any], None] | None = None,
        label: str = "",
    ) -> None:
        result = fn(self.col)
        if success is not None:
            success(result)


def give_history(col: Collection, *, seed: int = 7) -> None:
    """Answer about half the cards over the past weeks, some badly."""
    rng = random.Random(seed)
    ids = [c for node in map_data(col, now=NOW).nodes for c in node.card_ids]
    for card_id in ids:
        if rng.random() > 0.55:
            continue
        when = NOW - timedelta(days=rng.uniform(8, 60))
        for _ in range(rng.choice((1, 2, 3))):
            rating = rng.choices(list(Rating), weights=(2, 2, 5, 2))[0]
            col.answer(card_id, rating, now=when)
            when += timedelta(days=rng.uniform(1, 6))


def _wait(app: QApplication, signal: Any, start: Callable[[], None]) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    start()
    QTimer.singleShot(30_000, loop.quit)
    loop.exec()


def _settle(app: QApplication, window: ConceptMapWindow) -> None:
    window.view._settle.stop()
    window.view._settled()
    for _ in range(5):
        app.processEvents()


def main(out: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, Collection.open(Path(tmp)) as col:
        give_history(col)
        window = ConceptMapWindow(_Runner(col), now=lambda: NOW)
        window.resize(1400, 900)
        window.show()
        _wait(app, window.layout_finished, window.load)
        window.fit()
        _settle(app, window)
        window.grab().save(str(out / "map-whole.png"))

        window.toolbar.select(window.toolbar.domain, "Modeling")
        _settle(app, window)
        window.grab().save(str(out / "map-domain.png"))

        window.toolbar.select(window.toolbar.domain, "")
        window.find_card("Early stopping")
        window.toolbar.select(window.toolbar.depth_box, 2)
        _settle(app, window)
        window.grab().save(str(out / "map-neighbourhood.png"))
        window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
