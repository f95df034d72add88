"""Statistics benchmark: 100,000 cards with 1,000,000 answers over two years.

Prints the median of several runs for
- the figures, as the window's worker computes them: the review log's (heatmap, true
  retention, reviews per day, answer buttons, hours), the cards' (states, forecast,
  histograms) and true retention by domain, for the whole collection, one deck, a domain
  and a search, per period;
- the window: built and shown (first paint, the charts waiting), and until every chart
  is filled from the worker.

Target (issue 14): the window opens < 300 ms. Run:
`python benchmarks/bench_stats.py [--cards N] [--reviews N] [--data DIR]` (with --data, the
generated collection is kept there and reused by the next run).
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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.bench_browse import make_library  # noqa: E402
from flashcards.collection import Collection  # noqa: E402
from flashcards.collection.card_stats import card_figures  # noqa: E402
from flashcards.collection.domain_retention import domain_retention  # noqa: E402
from flashcards.collection.stats import history_figures  # noqa: E402
from flashcards.collection.stats_filter import StatsFilter  # noqa: E402
from flashcards.core.stats import Period  # noqa: E402

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
DAY_MS = 86_400_000


def simulate_history(col: Collection, reviews: int, *, seed: int = 11) -> None:
    """`reviews` answers spread over the cards and the last two years, with plausible
    before-states (a tenth of them as an imported history, which has none), and each
    card's state after its last answer. Direct SQL: setup only."""
    rng = random.Random(seed)
    now_ms = int(NOW.timestamp() * 1000)
    with col._write() as s:
        raw = s.connection().connection.driver_connection
        assert raw is not None
        ids = [r[0] for r in raw.execute("SELECT id FROM cards ORDER BY rowid")]
        studied = ids[: len(ids) * 9 // 10]
        per_card = max(1, reviews // len(studied) + 2)
        rows: list[tuple[Any, ...]] = []
        states: list[tuple[Any, ...]] = []
        for n, cid in enumerate(studied):
            imported = n % 10 == 0
            t = now_ms - rng.randint(200, 730) * DAY_MS
            state, interval = 0, 0.0
            last = None
            for k in range(per_card):
                if (k and t >= now_ms) or len(rows) >= reviews:
                    break
                rating = rng.choices((1, 2, 3, 4), (10, 12, 70, 8))[0]
                due_before = (t // 1000) if last is None else last + int(interval * 86400)
                rows.append(
                    (
                        cid,
                        t,
                        rating,
                        rng.randint(2000, 20000),
                        0 if imported else state,
                        0 if imported else due_before,
                        None if imported else last,
                        "import" if imported else "bench",
                    )
                )
                last = t // 1000
                if state in (0, 1):
                    state, interval = (1, 0.007) if rating == 1 else (2, rng.choice((1, 3, 4)))
                elif state == 3:
                    state, interval = 2, max(1.0, interval * 0.5)
                elif rating == 1:
                    state, interval = 3, 0.007
                else:
                    interval = max(1.0, interval * {2: 1.1, 3: 1.6, 4: 2.2}[rating])
                t += max(60_000, int(interval * DAY_MS * rng.uniform(0.9, 1.2)))
            due = (last or 0) + int(interval * 86400)
            states.append((state, interval * 0.9 + 0.5, rng.uniform(1, 10), due, last, cid))
        rows.sort(key=lambda row: row[1])  # the app appends answers as they happen
        raw.executemany(
            "INSERT INTO reviews (card_id, time_ms, rating, duration_ms, kind, state_before, "
            "due_before, last_review_before, state_after, device_id) "
            "VALUES (?, ?, ?, ?, 'review', ?, ?, ?, 2, ?)",
            rows,
        )
        raw.executemany(
            "UPDATE cards SET state = ?, stability = ?, difficulty = ?, due = ?, "
            "last_review = ? WHERE id = ?",
            states,
        )
    print(f"  {len(rows):,} answers to {len(studied):,} cards")


def median_ms(fn: Callable[[], Any], runs: int = 5) -> tuple[float, Any]:
    result = fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


FILTERS = (
    ("whole collection", StatsFilter()),
    ("one deck (1,000 cards)", StatsFilter(deck="deck-007.md")),
    ("a domain (25,000 cards)", StatsFilter(deck="domain:Modeling")),
    ("search prop:stability>30", StatsFilter(search="prop:stability>30")),
)


def bench_figures(col: Collection) -> None:
    since = int((NOW - timedelta(days=365)).timestamp() * 1000)
    with col._read() as s:
        raw = s.connection().connection.driver_connection
        assert raw is not None
        floor, count = median_ms(
            lambda: raw.execute(
                "SELECT COUNT(*), SUM(duration_ms) FROM reviews WHERE time_ms >= ?", (since,)
            ).fetchone()
        )
    print(
        f"\nreference: SQLite reads the {count[0]:,} answers of the past year in "
        f"{floor:.1f} ms on this machine"
    )
    print("\nfigures (median of 5, ms), on the worker thread:")
    print(f"  {'cards':<28} {'period':<12} {'history':>8} {'cards':>7} {'domains':>8} {'total':>7}")
    for label, base in FILTERS:
        for period in (Period.MONTH, Period.YEAR, Period.ALL):
            filt = StatsFilter(deck=base.deck, search=base.search, period=period)
            h, _ = median_ms(lambda f=filt: history_figures(col, f, now=NOW))
            c, _ = median_ms(lambda f=filt: card_figures(col, f, now=NOW))
            d, _ = median_ms(lambda f=filt: domain_retention(col, f, now=NOW))
            print(f"  {label:<28} {period.label:<12} {h:8.1f} {c:7.1f} {d:8.1f} {h + c + d:7.1f}")


def bench_window(data: Path, settings_dir: Path) -> None:
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from flashcards.gui.worker import CollectionWorker

    app = QApplication.instance() or QApplication(["bench"])
    assert app is not None
    started = time.perf_counter()
    from flashcards.gui.stats import StatsWindow  # QtCharts loads here, once per app

    import_ms = (time.perf_counter() - started) * 1000
    worker = CollectionWorker(lambda: Collection.open(data, seed=False, sync=False))
    settings = QSettings(str(settings_dir / "bench.ini"), QSettings.Format.IniFormat)

    def pump(ms: int = 0) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    # The collection open, as it is in the app when the user asks for statistics.
    done: list[bool] = []
    worker.run(lambda col: col.today(NOW), success=lambda _r: done.append(True))
    while not done:
        pump(5)
    shown, filled = [], []
    for _ in range(5):
        start = time.perf_counter()
        window = StatsWindow(worker, settings=settings, now=lambda: NOW)
        window.show()
        window.load()
        window.repaint()  # the first paint, charts waiting for their figures
        shown.append((time.perf_counter() - start) * 1000)
        while not window.filled():
            pump(2)
        window.repaint()
        filled.append((time.perf_counter() - start) * 1000)
        window.close()
        window.deleteLater()
        pump()
    worker.stop()
    print(f"\nwindow (median of 5, ms; target: open < 300): QtCharts import {import_ms:.0f} (once)")
    print(f"  open (built, shown, painted)      {statistics.median(shown):7.1f}")
    print(f"  every chart filled               {statistics.median(filled):7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data or Path(tmp) / "data"
        if not (data / "collection.sqlite3").exists():
            print(f"generating {args.cards:,} cards and {args.reviews:,} answers…")
            library = data / "decks"
            library.mkdir(parents=True)
            per_file = max(1, args.cards // 100)
            make_library(library, 100, per_file)
            with Collection.open(data, seed=False, now=NOW - timedelta(days=731)) as col:
                col.set_setting("timezone", "Europe/Berlin")
                simulate_history(col, args.reviews)
        col = Collection.open(data, seed=False, sync=False)
        try:
            bench_figures(col)
        finally:
            col.close()
        bench_window(data, Path(tmp))


if __name__ == "__main__":
    main()
