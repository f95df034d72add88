"""Browse benchmark: a generated library of 100,000 cards in 100 files of 1,000.

Prints the median of several runs for
- search: the query language over every card (FTS5 words, fields, states, props), with
  the file order and with a sort in SQL: the first answer (the head of the results and
  the rows of the first screen, what the browser paints) and the whole ordered list
  (which the browser asks for next, to fill in the rows below);
- search to screen: in the browser on the app's worker thread, from a search to its
  first screen of rows painted, and to the whole list in place, sorted by a column;
- browser open: the window built, the search run and the first screen of rows painted;
- scrolling: rows fetched while paging through the table (only visible rows, counted);
- save: a 1,000-card deck file saved from the editor and re-synced (one card edited).

Targets (issue 7): search < 50 ms, browser open < 300 ms, scrolling fetches only the
visible rows, save < 200 ms. Run: `python benchmarks/bench_browse.py [--cards N]`.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import text  # noqa: E402

from flashcards.collection import Collection  # noqa: E402
from flashcards.collection.browse import search_cards, search_start  # noqa: E402
from flashcards.collection.editing import read_deck, save_deck_text  # noqa: E402
from flashcards.storage.card_search import SortColumn  # noqa: E402

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
WORDS = [
    "gradient",
    "boosting",
    "eta",
    "learning",
    "rate",
    "shard",
    "stream",
    "firehose",
    "glue",
    "catalog",
    "crawler",
    "feature",
    "store",
    "endpoint",
    "variant",
    "autoscaling",
    "drift",
    "monitor",
    "clarify",
    "bias",
    "recall",
    "precision",
    "threshold",
    "embedding",
    "tokenizer",
    "batch",
    "transform",
    "pipeline",
    "lineage",
    "spot",
    "checkpoint",
    "quantile",
    "forecast",
    "anomaly",
    "cluster",
    "kmeans",
    "pca",
    "lda",
    "xgboost",
    "linear",
    "factorization",
    "blazingtext",
    "seq2seq",
    "object",
    "detection",
    "segmentation",
    "augmentation",
]
DOMAINS = ("Data Engineering", "Exploratory Data Analysis", "Modeling", "ML Operations")


def _vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """The domain words (frequent) and 4,000 made-up rarer ones, Zipf-weighted."""
    syllables = [
        "ka",
        "lo",
        "mi",
        "nu",
        "pe",
        "ra",
        "si",
        "to",
        "vu",
        "ze",
        "qua",
        "bri",
        "ster",
        "gon",
        "dal",
        "fen",
    ]
    rare = sorted({"".join(rng.choice(syllables) for _ in range(3)) for _ in range(4500)})[:4000]
    words = [*WORDS, *rare]
    return words, [1 / (rank + 60) for rank in range(len(words))]


def _note(rng: random.Random, vocab: tuple[list[str], list[float]], file: int, n: int) -> str:
    words, weights = vocab
    prompt = " ".join(rng.choices(words, weights, k=12))
    answer = " ".join(rng.choices(words, weights, k=16))
    tags = f"Tags: {rng.choice(WORDS)}, file{file % 10}\n" if n % 3 == 0 else ""
    nid = f"f{file:03d}n{n:04d}"
    return f"## Card {file}-{n} {rng.choice(WORDS)} {{#{nid}}}\n{prompt}?\n?\n{answer}.\n{tags}"


def make_library(library: Path, files: int, per_file: int) -> None:
    rng = random.Random(7)
    vocab = _vocabulary(rng)
    for f in range(files):
        head = f"---\ntitle: Deck {f:03d}\ndomain: {DOMAINS[f % len(DOMAINS)]}\n---\n\n"
        body = []
        for n in range(per_file):
            if n % 100 == 0:
                body.append(f"# Part {n // 100}\n")
            body.append(_note(rng, vocab, f, n))
        (library / f"deck-{f:03d}.md").write_text(head + "\n".join(body), encoding="utf-8")


def schedule_some(col: Collection) -> None:
    """Give two thirds of the cards a plausible review state (direct SQL: setup only)."""
    now_s = int(NOW.timestamp())
    with col._write() as s:
        s.execute(
            text(
                "UPDATE cards SET state = 2, "
                "stability = 1 + (abs(random()) % 20000) / 100.0, "
                "difficulty = 1 + (abs(random()) % 900) / 100.0, "
                "last_review = :now - (abs(random()) % (60 * 86400)), "
                "due = :now + (abs(random()) % (90 * 86400)) - 30 * 86400, "
                "reps = 1 + abs(random()) % 12, lapses = abs(random()) % 10 "
                "WHERE rowid % 3 != 0"
            ),
            {"now": now_s},
        )


def median_ms(fn: Callable[[], Any], runs: int = 7) -> tuple[float, Any]:
    result = fn()  # warm caches (the app searches as you type: caches are warm)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


class SyncRunner:
    """Runs functions at once on this thread (the app uses its worker thread)."""

    def __init__(self, col: Collection) -> None:
        self.col = col

    def run(
        self, fn: Callable[[Any], Any], *, success: Any = None, failure: Any = None, label: str = ""
    ) -> None:
        result = fn(self.col)
        if success is not None:
            success(result)


QUERIES = (
    "",
    "gradient",
    "gradient boosting shard",
    "kaloster",
    "pemi*",
    '"learning rate"',
    "deck:deck-007",
    "domain:Modeling tag:file3",
    "is:due",
    "is:new -tag:file1",
    "prop:stability>30",
    "prop:retrievability<0.8",
    "is:leech or prop:lapses>=3",
    "(tag:drift or tag:spot) -is:suspended xgb*",
    "rated:7",
)


def bench_search(col: Collection) -> None:
    with col._read() as s:
        raw = s.connection().connection.driver_connection
        assert raw is not None
        floor, _ = median_ms(lambda: raw.execute("SELECT rowid FROM cards").fetchall())
    print(f"\nreference: SQLite returns the rowids of every card in {floor:.1f} ms on this machine")
    print(
        "search (median of 7, ms; target < 50): first answer (head + first screen's rows) "
        "and whole list,\nin file order and sorted by stability (descending)"
    )
    print(f"  {'query':<44} {'cards':>7}   {'first':>6} {'sorted':>6}   {'whole':>6} {'sorted':>6}")
    worst = 0.0
    for query in QUERIES:
        first_ms, _ = median_ms(lambda q=query: search_start(col, q, now=NOW))
        first_sorted_ms, _ = median_ms(
            lambda q=query: search_start(
                col, q, order=SortColumn.STABILITY, descending=True, now=NOW
            )
        )
        ms, ids = median_ms(lambda q=query: search_cards(col, q, now=NOW))
        sorted_ms, _ = median_ms(
            lambda q=query: search_cards(
                col, q, order=SortColumn.STABILITY, descending=True, now=NOW
            )
        )
        worst = max(worst, first_ms, first_sorted_ms)
        label = query or "(everything)"
        print(
            f"  {label:<44} {len(ids):>7}   {first_ms:6.1f} {first_sorted_ms:6.1f}"
            f"   {ms:6.1f} {sorted_ms:6.1f}"
        )
    print(f"  slowest first answer: {worst:.1f} ms")


def pump() -> None:
    """Let queued events run once. (Not `QApplication.processEvents()` in a loop: in
    PySide6 6.12 on Python 3.11 every call drops a reference to None, and a few
    thousand calls abort the interpreter.)"""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(0, loop.quit)
    loop.exec()


def bench_browser(col: Collection, settings_dir: Path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from flashcards.gui.browser import BrowserWindow

    app = QApplication.instance() or QApplication(["bench"])
    assert app is not None  # kept alive for the windows below
    runner = SyncRunner(col)
    times = []
    window = None
    for run in range(5):
        settings = QSettings(str(settings_dir / f"s{run}.ini"), QSettings.Format.IniFormat)
        start = time.perf_counter()
        window = BrowserWindow(runner, settings=settings, now=lambda: NOW)
        window.show()
        window.search("")
        while not window.model.ids or window.model.cached_row(str(window.model.ids[0])) is None:
            pump()
        window.table.viewport().repaint()
        times.append((time.perf_counter() - start) * 1000)
        if run < 4:
            window.close()
            window.deleteLater()
            pump()
    assert window is not None
    print(
        f"\nbrowser open with {window.model.rowCount():,} cards (median of 5): "
        f"{statistics.median(times):.0f} ms (target < 300)"
    )

    model = window.model
    table = window.table
    visible = table.viewport().height() // table.verticalHeader().defaultSectionSize() + 1
    fetches0, rows0 = model.fetches, model.rows_fetched
    bar = table.verticalScrollBar()
    pages = 40
    start = time.perf_counter()
    for _ in range(pages):
        bar.setValue(bar.value() + table.viewport().height())
        pump()
        table.viewport().repaint()
        pump()
    elapsed = (time.perf_counter() - start) * 1000
    fetched = model.rows_fetched - rows0
    print(
        f"scrolling {pages} pages of ~{visible} rows: {model.fetches - fetches0} fetches, "
        f"{fetched} rows fetched (≤ {pages * (visible + 1)} visible), "
        f"{elapsed / pages:.1f} ms per page"
    )
    bar.setValue(bar.maximum())
    pump()
    table.viewport().repaint()
    pump()
    print(
        f"jump to the end: {model.rows_fetched - rows0 - fetched} rows fetched; "
        f"rows cached now: {len(model._cache)} of {model.rowCount():,}"
    )
    window.close()


def bench_save(col: Collection) -> None:
    number = 42 if (col.library / "deck-042.md").exists() else 0
    key = f"deck-{number:03d}.md"
    times = []
    for run in range(5):
        source, base = read_deck(col, key)
        edited = source.replace(f"## Card {number}-500 ", f"## Card {number}-500 edit{run} ", 1)
        start = time.perf_counter()
        saved = save_deck_text(col, key, edited, base=base)
        times.append((time.perf_counter() - start) * 1000)
        assert b"edit" in saved.data
    print(
        f"\nsave a 1,000-card deck and re-sync (median of 5): {statistics.median(times):.0f} ms "
        f"(target < 200); runs: {', '.join(f'{t:.0f}' for t in times)}"
    )


def wait_until(condition: Callable[[], bool], timeout_s: float = 30.0) -> None:
    """Turn the event loop in 1 ms steps until `condition()` (the worker answers by
    queued signals)."""
    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.perf_counter() + timeout_s
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the browser did not answer")
        loop = QEventLoop()
        QTimer.singleShot(1, loop.quit)
        loop.exec()


def bench_search_to_screen(data: Path, settings_dir: Path) -> None:
    """What a user sees: the browser on the app's worker thread, a search sorted by a
    column, timed to the first screen of rows painted and to the whole list in place."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from flashcards.gui.browser import BrowserWindow, Column
    from flashcards.gui.worker import CollectionWorker

    app = QApplication.instance() or QApplication(["bench"])
    assert app is not None
    worker = CollectionWorker(lambda: Collection.open(data, seed=False, sync=False))
    settings = QSettings(str(settings_dir / "screen.ini"), QSettings.Format.IniFormat)
    window = BrowserWindow(worker, settings=settings, now=lambda: NOW)
    window.show()
    try:
        window.search("")
        wait_until(lambda: window.model.complete and window.model.rowCount() > 0)
        if Column.STABILITY not in window.model.columns:
            window.set_columns([*window.model.columns, Column.STABILITY])
        window.sort_by(Column.STABILITY, descending=True)
        wait_until(lambda: window.model.complete and worker.pending == 0)
        print(
            "\nsearch to screen in the browser, sorted by stability (worker thread; "
            "median of 5, ms)"
        )
        for query in ("", "is:new -tag:file1", "prop:stability>30", "is:leech or prop:lapses>=3"):
            first, whole = [], []
            for _ in range(6):
                model = window.model
                start = time.perf_counter()
                window.search(query)
                # The window paints the first screen as soon as the head is shown.
                wait_until(
                    lambda m=model: (
                        m.rowCount() > 0
                        and m.cached_row(str(m.ids[0])) is not None
                        and window.showing == window._searches
                    )
                )
                first.append((time.perf_counter() - start) * 1000)
                wait_until(lambda m=model: m.complete and worker.pending == 0)
                whole.append((time.perf_counter() - start) * 1000)
            count = window.model.rowCount()
            first_ms, whole_ms = statistics.median(first[1:]), statistics.median(whole[1:])
            print(
                f"  {query or '(everything)':<30} {count:>7} cards: first screen painted "
                f"{first_ms:6.1f}, whole list {whole_ms:6.1f}"
            )
    finally:
        window.close()
        worker.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000, help="cards (1,000 per file)")
    args = parser.parse_args()
    files = max(1, args.cards // 1000)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        library = data / "decks"
        library.mkdir(parents=True)
        start = time.perf_counter()
        make_library(library, files, 1000)
        col = Collection.open(data, seed=False, sync=False)
        col.set_setting("timezone", "UTC")
        report = col.sync(now=NOW)
        schedule_some(col)
        print(
            f"setup: {files} files, {report.cards_added:,} cards, first sync + scheduling "
            f"{time.perf_counter() - start:.1f} s"
        )
        try:
            bench_search(col)
            bench_browser(col, Path(tmp))
            bench_save(col)
        finally:
            col.close()
        bench_search_to_screen(data, Path(tmp))


if __name__ == "__main__":
    main()
