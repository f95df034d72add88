"""Practice-exam speed on a 100,000-card collection (10,000 multiple-choice cards).

    python benchmarks/bench_practice_exam.py [--cards 100000] [--runs 7] [--data-dir DIR]

1. A practice exam starts (target < 300 ms): the Start key to the first question on
   screen, in the real window with the collection called directly (no worker hop):
   65 questions drawn by domain weight from the exam's cards, the sitting and its
   answers stored, the cards loaded, the first question rendered and painted. Each run
   discards the sitting first. The collection step alone is reported too, and the work
   the worker does next while the first question is read (the readiness forecast
   stored as the sitting's "predicted", the other questions rendered ahead).
2. Next question (target < 16 ms): → on the exam page until the question is painted,
   over every question of a sitting: with the questions' text rendered ahead (the app
   renders them on the worker while the first is read) and cold (the render cache
   emptied before each move: the worst case). Picking an option (its mark drawn) too.

The library is the review benchmark's (basic, code, cloze and choice cards in four
domains; benchmarks/bench_review_gui.py) with an exam.toml at its top.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.bench_review_gui import DOMAINS, build_collection  # noqa: E402

EXAM = """\
name = "Benchmark Specialty"
code = "BEN-01"
questions = 65
minutes = 180
score = { min = 100, max = 1000, pass = 750 }
""" + "".join(
    f'[[domains]]\nname = "{name}"\nweight = {weight}\n'
    for name, weight in zip(DOMAINS, (0.20, 0.24, 0.36, 0.20), strict=True)
)


class DirectRunner:
    """Runs the window's operations on this thread, as the worker would: interactive ones
    at once (the worker's hop left out), background ones (the questions rendered ahead,
    the forecast) only when drained, as the worker runs them after the first question."""

    def __init__(self, col: Any) -> None:
        self.col = col
        self.later: list[tuple[Any, Any]] = []

    def run(
        self, fn: Any, *, success: Any = None, failure: Any = None, priority: int = 0, **_: Any
    ) -> None:
        if priority > 0:
            self.later.append((fn, success))
            return
        result = fn(self.col)
        if success is not None:
            success(result)

    def drain(self) -> None:
        while self.later:
            fn, success = self.later.pop(0)
            result = fn(self.col)
            if success is not None:
                success(result)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {ms(statistics.median(times))}, p95 {ms(p95)} ({len(times)} runs)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    data = args.data_dir or Path(tempfile.mkdtemp()) / "data"
    build_collection(data, args.cards)
    (data / "decks" / "exam.toml").write_text(EXAM, encoding="utf-8")

    from PySide6.QtWidgets import QApplication

    import flashcards.gui  # noqa: F401 - before any Qt object
    from flashcards.collection import Collection
    from flashcards.collection.practice_exam import PracticeExams
    from flashcards.core import render
    from flashcards.gui.exam.practice_window import PracticeExamWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    now = datetime.now(UTC)
    with Collection.open(data, seed=False) as col:
        exams = PracticeExams(col)
        print(f"{args.cards:,} cards; {exams.available(now=now)} (questions, cards) per domain")
        runner = DirectRunner(col)
        window = PracticeExamWindow(runner, now=lambda: datetime.now(UTC))
        window.resize(1366, 768)
        window.show()
        window.load()
        app.processEvents()
        viewport = window.exam_page.card.viewport()

        def discard() -> None:
            runner.drain()
            window.sitting.timer.stop()
            window.sitting.session = None  # thrown away behind the window's back
            found = exams.unfinished_id()
            if found is not None:
                exams.discard(found)

        def start_once() -> tuple[float, float]:
            """(Start to the first question painted, the background work after it)."""
            discard()
            render.clear_render_cache()
            t0 = time.perf_counter()
            window.start_exam(True)
            viewport.repaint()
            t1 = time.perf_counter()
            runner.drain()
            return t1 - t0, time.perf_counter() - t1

        def collection_once() -> float:
            discard()
            t0 = time.perf_counter()
            exams.start(now=datetime.now(UTC), predict=False)
            return time.perf_counter() - t0

        start_once()  # imports, first renders
        print("1. a practice exam starts (Start to the first question painted)")
        runs = [start_once() for _ in range(args.runs)]
        print(f"   {summary([r[0] for r in runs])}")
        print(f"   collection alone: {summary([collection_once() for _ in range(args.runs)])}")
        print(
            "   then in the background (forecast stored, questions rendered ahead): "
            f"{summary([r[1] for r in runs])}"
        )

        print("2. next question (→ to the question painted)")
        for warm in (True, False):
            start_once()  # and its background work: the questions rendered ahead
            session = window.session
            assert session is not None
            times = []
            for _ in range(len(session) - 1):
                if not warm:
                    render.clear_render_cache()
                t0 = time.perf_counter()
                window.sitting.step(1)
                viewport.repaint()
                times.append(time.perf_counter() - t0)
            label = "rendered ahead" if warm else "cold render"
            print(f"   {label}: {summary(times)}")
        picks = []
        for _ in range(len(session) - 1):
            window.sitting.step(-1)
            t0 = time.perf_counter()
            window.sitting.pick(1)
            viewport.repaint()
            picks.append(time.perf_counter() - t0)
        print(f"   picking an option (its mark drawn): {summary(picks)}")
        discard()
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
