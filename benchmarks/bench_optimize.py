"""Optimiser and simulator speed on a generated collection, in one run.

A deck of 23,000 cards whose ten-year review history (drawn from known FSRS parameters,
up to 10 day-apart reviews a card plus same-day steps after each Again: about 180,000
FSRS items) is imported as an Anki log is. We time, as the app runs them:

- optimise: `fit_decks` — reading the history from the log, building fsrs-rs's items,
  fitting, and evaluating the current and the fitted parameters on the same items;
  beside it fsrs-rs's `compute_parameters` alone on the same items (the reference);
- recompute: `recompute_memory` — replaying every card's history with new parameters
  (done once after a kept fit, on Save);
- simulate: `simulate_preset` for that preset (20 new and 200 reviews a day: a year at
  12-13 desired retentions) and `simulate_workload` alone on 10,000 cards.

Figures are medians of several runs; the machine's load is printed beside them.

    python benchmarks/bench_optimize.py [--cards 20000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import fsrs_rs_python as rs  # noqa: E402

from flashcards.collection import Collection  # noqa: E402
from flashcards.collection.optimize import (  # noqa: E402
    fit_decks,
    read_history,
    recompute_memory,
    simulate_preset,
)
from flashcards.core.days import day_number  # noqa: E402
from flashcards.core.optimize import _items  # noqa: E402
from flashcards.core.scheduling import Preset  # noqa: E402
from flashcards.core.synthetic_history import (  # noqa: E402
    deck_text,
    review_log,
    synthetic_history,
)
from flashcards.core.workload import simulate_workload  # noqa: E402
from flashcards.interop.history import replay  # noqa: E402

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
DEFAULTS = tuple(Preset().parameters)
TRUE = (0.6, 1.8, 6.0, 18.0, *DEFAULTS[4:8], 1.3, *DEFAULTS[9:11], 1.2, *DEFAULTS[12:20], 0.3)


def median_time(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=23_000)  # about 180,000 items
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp())
    today = day_number(NOW, UTC, 4)
    history = synthetic_history(
        TRUE,
        cards=args.cards,
        reviews_per_card=10,
        seed=1,
        first_day=today - 3650,
        spread_days=365,
        until=today - 1,  # ten years of history up to yesterday
    )
    log = review_log(history)
    col = Collection.open(folder / "data", seed=False, now=NOW)
    col.set_setting("timezone", "UTC")
    started = time.perf_counter()
    col.apply_import(
        {"bench.md": deck_text(list(history)).encode()},
        reviews=log,
        states=replay(log),
        now=NOW,
    )
    items, answers = _items(history)
    print(
        f"collection: {args.cards:,} cards, {answers:,} answers, {len(items):,} FSRS items "
        f"(imported in {time.perf_counter() - started:.1f} s); {os.cpu_count()} processors, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    decks = ["bench.md"]

    read, got = median_time(lambda: read_history(col, decks), args.runs)
    assert sum(len(h) for h in got.values()) == answers
    fit_time, fit = median_time(lambda: fit_decks(col, decks, current=DEFAULTS), args.runs)
    alone, _ = median_time(lambda: rs.FSRS([]).compute_parameters(items), args.runs)
    building, _ = median_time(lambda: _items(got), args.runs)
    judging, _ = median_time(lambda: rs.FSRS(list(DEFAULTS)).evaluate(items), args.runs)
    print(
        f"optimise {fit.items:,} items: {fit_time:.2f} s (reading the log {read:.2f} s, "
        f"building fsrs-rs items {building:.2f} s, one evaluation {judging:.2f} s); "
        f"fsrs-rs compute_parameters alone {alone:.2f} s; kept={fit.kept}, log loss "
        f"{fit.current_eval.log_loss:.4f} -> {fit.fitted_eval.log_loss:.4f}"
    )
    col.save_preset(replace(col.presets()[1], parameters=fit.fitted), preset_id=1)
    again, cards = median_time(lambda: recompute_memory(col, 1), args.runs)
    print(f"recompute memory states of {cards:,} cards: {again:.2f} s")

    preset_sim, report = median_time(lambda: simulate_preset(col, 1), args.runs)
    w = report.workload
    print(
        f"simulate the preset ({w.deck_size:,} cards, {w.new_per_day} new a day, "
        f"{len(w.points)} retentions): {preset_sim:.2f} s; least time per card at {w.best:.2f}"
    )
    core_sim, _ = median_time(
        lambda: simulate_workload(
            fit.fitted, deck_size=10_000, new_per_day=20, reviews_per_day=200, also=(0.9,)
        ),
        args.runs,
    )
    print(f"simulate_workload alone, 10,000 cards: {core_sim:.2f} s")
    col.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
