"""Deadline-aware scheduling benchmark: what the exam date's plan costs on a big library.

    python benchmarks/bench_deadline.py [--cards 100000] [--due 20000] [--runs 5]

On the generated library of bench_collection.py (four exam domains, every card in one)
with an exam.toml and an exam date 60 days ahead, medians of several runs of:

* making the day's plan (domain cards, pace, pull-ins), as after a deck file changes;
* the first card after a card action (the queue is rebuilt; the plan is kept), with
  the deadline off and on;
* answering a card and fetching the next, off and on, in turns of 250;
* the workload estimate the Preferences show before it is turned on.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_collection import (  # noqa: E402
    DOMAINS,
    NOW,
    make_due,
    median_time,
    write_library,
)
from flashcards.collection import Collection  # noqa: E402
from flashcards.collection.deadline import Deadline  # noqa: E402
from flashcards.collection.exam import Exams  # noqa: E402
from flashcards.core.deadline import DeadlineOptions  # noqa: E402
from flashcards.core.model import Rating  # noqa: E402

EXAM = (
    'name = "Bench exam"\nquestions = 65\nminutes = 180\n'
    "score = { min = 100, max = 1000, pass = 750 }\n"
    + "".join(f'[[domains]]\nname = "{d}"\nweight = 0.25\n' for d in DOMAINS)
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        write_library(data / "decks", args.cards, per_file=500)
        (data / "decks" / "exam.toml").write_text(EXAM, encoding="utf-8")
        with Collection.open(data, seed=False) as col:
            make_due(col, args.due)
            # Enough due reviews for every answer timed below.
            col.save_preset(replace(col.presets()[1], reviews_per_day=9999), preset_id=1)
            Exams(col).set_exam_date((NOW + timedelta(days=60)).date())
            deadline = Deadline(col)

            def first_card() -> None:
                col._generation += 1  # noqa: SLF001 - as after a card action
                col.next_card(now=NOW)

            off_first = median_time(first_card, args.runs * 4)
            work_s = median_time(lambda: deadline.workload(now=NOW), args.runs)
            deadline.set_options(DeadlineOptions(on=True))

            def fresh_plan() -> None:
                col._deadline._slow = col._deadline._fast = None  # noqa: SLF001 - a file changed
                deadline.plan(now=NOW)

            plan_s = median_time(fresh_plan, args.runs)
            on_first = median_time(first_card, args.runs * 4)
            per: dict[bool, list[float]] = {True: [], False: []}
            t = NOW
            for turn in range(8):
                on = turn % 2 == 0
                deadline.turn(on)
                col.next_card(now=t)
                for _ in range(250):
                    t0 = time.perf_counter()
                    card = col.next_card(now=t)
                    assert card is not None
                    col.answer(card.id, Rating.GOOD, now=t, duration_ms=3000)
                    per[on].append(time.perf_counter() - t0)
                    t += timedelta(seconds=8)
            deadline.turn(True)
            plan = deadline.plan(now=NOW)
            assert plan is not None
    print(f"cards {args.cards}, due {args.due}, exam in 60 days, pace {plan.pace.per_day}/day")
    print(f"plan of the day (made again)   {plan_s * 1000:8.1f} ms")
    print(f"workload estimate              {work_s * 1000:8.1f} ms")
    print(f"first card after an action     {off_first * 1000:8.1f} ms off, "
          f"{on_first * 1000:.1f} ms on")
    print(
        f"answer + next (median)         {statistics.median(per[False]) * 1000:8.2f} ms off, "
        f"{statistics.median(per[True]) * 1000:.2f} ms on"
    )


if __name__ == "__main__":
    main()
