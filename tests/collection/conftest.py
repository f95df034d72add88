from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from flashcards.collection import Collection


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    (d / "decks").mkdir()
    return d


@pytest.fixture
def open_col(data_dir: Path) -> Iterator[object]:
    """Open the collection (no bundled decks, UTC days) and close everything after."""
    opened: list[Collection] = []

    def opener(**kwargs: object) -> Collection:
        col = Collection.open(data_dir, seed=False, **kwargs)  # type: ignore[arg-type]
        col.set_setting("timezone", "UTC")
        opened.append(col)
        return col

    yield opener
    for col in opened:
        col.close()
