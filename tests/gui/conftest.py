"""Fixtures for the GUI tests: a small real collection in tmp_path, a window on it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

# Laptop screens instead of Qt's one 800×800 offscreen screen (the platform reads this
# when the QApplication is made): 1366×768 (primary), 1280×720 and 1024×700 side by side,
# and 1024×600 under the first.
SCREENS = Path(__file__).with_name("screens.json")
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREENS}"

SMALL_DECK = """\
---
title: Tiny
domain: Modeling
---

# Basics

## What is eta in XGBoost?
?
The learning rate: lower it and each tree adds less. See [[Early stopping]].

## Early stopping
Stop training when the validation loss stops improving.

```python
model.fit(X, y, early_stopping_rounds=10)
```

## Precision
Precision = {{TP / (TP + FP)}}.

## Metric for rare fraud
A model flags 0.1% of transactions as fraud. Which metric should you watch?
- [ ] Accuracy
- [x] Area under the precision-recall curve
- [ ] Mean squared error
?
Accuracy is 99.9% for a model that flags nothing.
"""

OTHER_DECK = """\
---
title: Data
domain: Data Engineering
---

## Streaming validation metrics
Kinesis streams validation loss to the trainer, which applies [[Early stopping]].
"""

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def write_library(data_dir: Path, decks: dict[str, str]) -> Path:
    library = data_dir / "decks"
    library.mkdir(parents=True, exist_ok=True)
    for name, text in decks.items():
        (library / name).write_text(text, encoding="utf-8")
    return library


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    write_library(folder, {"tiny.md": SMALL_DECK, "data.md": OTHER_DECK})
    return folder


class SyncRunner:
    """Runs collection functions at once on the calling thread (for Qt-free tests)."""

    def __init__(self, col: Any) -> None:
        self.col = col
        self.failures: list[Any] = []
        self.calls = 0

    def default_failure(self, failure: Any) -> None:
        self.failures.append(failure)

    def run(
        self,
        fn: Callable[[Any], Any],
        *,
        success: Callable[[Any], None] | None = None,
        failure: Callable[[Any], None] | None = None,
        label: str = "",
        priority: int = 0,
    ) -> None:
        from flashcards.gui.worker import OpFailure

        self.calls += 1
        try:
            result = fn(self.col)
        except Exception as exc:
            (failure or self.default_failure)(OpFailure(exc, repr(exc), label))
            return
        if success is not None:
            success(result)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def runner(collection: Any) -> SyncRunner:
    return SyncRunner(collection)


@pytest.fixture
def collection(data_dir: Path) -> Iterator[Any]:
    from flashcards.collection import Collection

    with Collection.open(data_dir, seed=False) as col:
        yield col


@pytest.fixture(scope="module", autouse=True)
def _garbage_collected_on_the_gui_thread(qapp: Any) -> Iterator[Any]:
    """As in the app: no thread but the GUI thread deletes garbage Qt objects (a worker's
    collection pass freeing the last test's windows crashed the suite once). Automatic
    collection comes back after the module, for the tests that are not about the GUI."""
    import gc

    from flashcards.gui.main_thread_gc import collect_on_main_thread

    collector = collect_on_main_thread(qapp)
    yield collector
    gc.collect()
    collector.stop()


@pytest.fixture(autouse=True)
def _empty_clipboard_after(qapp: Any, _garbage_collected_on_the_gui_thread: Any) -> Iterator[None]:
    """Qt's offscreen clipboard still holding a test's copy when the application is torn
    down crashes the process at exit (status 139 after every test passed)."""
    yield
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.clipboard().clear()
    _garbage_collected_on_the_gui_thread.collect()
