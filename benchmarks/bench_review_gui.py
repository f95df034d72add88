"""Review screen speed on a 100,000-card collection.

    python benchmarks/bench_review_gui.py [--cards 100000] [--answers 200] [--data-dir DIR]

1. Keypress to next card painted: the real window, a rating key sent with QTest, the
   time until the card browser's next paint has finished (median and p95; targets
   < 16 ms / < 30 ms). Measured two ways: at a human pace (the worker idle when the
   key comes, as after reading a card) and back to back (the key sent the moment the
   card is painted, so count refreshes still queued on the worker are paid for).
2. Process start to first card: `flashcards --exit-after-first-card` in a subprocess;
   the child prints the wall-clock time of the first card's paint (target < 1.5 s).
   A bare `python -c pass` start is timed in the same run as a reference for how
   loaded the machine is.

The collection is generated as Markdown files (basic, code, cloze and multiple-choice
cards across four domains) and synced once; 20,000 cards are then made due by a bulk
update so the queue holds reviews. It is kept in --data-dir for later runs.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DOMAINS = ("Data Engineering", "Exploratory Data Analysis", "Modeling", "ML Operations")
WORDS = [
    "model",
    "data",
    "training",
    "feature",
    "stream",
    "shard",
    "bucket",
    "latency",
    "endpoint",
    "batch",
    "metric",
    "label",
    "gradient",
    "tree",
    "boosting",
    "recall",
    "precision",
    "variance",
    "bias",
    "drift",
    "monitor",
    "pipeline",
    "vector",
    "embedding",
    "partition",
    "schema",
    "query",
    "table",
    "cluster",
    "instance",
    "spot",
    "volume",
    "cost",
    "region",
]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def note(rng: random.Random, f: int, i: int) -> str:
    """One card of a mix like the bundled decks': basic, code, cloze, choice."""
    title = f"Card {f}-{i}"
    kind = i % 10
    link = f" See [[Card {f}-{i - 1}]]." if i and i % 7 == 0 else ""
    if kind == 0:
        return (
            f"## {title}\n{sentence(rng, 10)}?\n?\n{sentence(rng, 14)}:\n\n```python\n"
            f"client = boto3.client('{rng.choice(WORDS)}')\n"
            f"response = client.put_record(StreamName='s{i}', Data=b'x', PartitionKey='k')\n"
            f"print(response['SequenceNumber'])\n```\n"
        )
    if kind == 1:
        return f"## {title}\n{sentence(rng, 6)} {{{{{sentence(rng, 3)}}}}} {sentence(rng, 6)}.\n"
    if kind == 2:
        options = "\n".join(f"- [{'x' if k == 1 else ' '}] {sentence(rng, 6)}" for k in range(4))
        return f"## {title}\n{sentence(rng, 16)}?\n{options}\n?\n{sentence(rng, 12)}.\n"
    return f"## {title}\n{sentence(rng, 12)}?\n?\n{sentence(rng, 24)}.{link}\n"


def write_library(library: Path, cards: int, *, per_file: int = 500) -> None:
    rng = random.Random(1)
    files = (cards + per_file - 1) // per_file
    made = 0
    for f in range(files):
        domain_no = f % len(DOMAINS)
        folder = library / f"domain-{domain_no}"
        folder.mkdir(parents=True, exist_ok=True)
        parts = [f"---\ntitle: Deck {f}\ndomain: {DOMAINS[domain_no]}\n---\n", "# Section\n"]
        for i in range(min(per_file, cards - made)):
            parts.append(note(rng, f, i))
            made += 1
        (folder / f"deck-{f:04d}.md").write_text("\n".join(parts), encoding="utf-8")


def make_due(col: Any, due: int) -> None:
    """Turn `due` random new cards into reviews due now (bulk SQL, set-up only)."""
    from sqlalchemy import text

    rng = random.Random(7)
    now_s = int(datetime.now(UTC).timestamp())
    with col.db.session() as s:
        ids = [r[0] for r in s.execute(text("SELECT id FROM cards WHERE state = 0"))]
        rows = []
        for cid in rng.sample(ids, min(due, len(ids))):
            stability = rng.uniform(1.0, 50.0)
            last = now_s - int(rng.uniform(1, 60) * 86400)
            rows.append(
                {
                    "id": cid,
                    "s": stability,
                    "d": rng.uniform(3, 8),
                    "last": last,
                    "due": min(now_s - 60, last + int(stability * 86400)),
                }
            )
        s.execute(
            text(
                "UPDATE cards SET state = 2, stability = :s, difficulty = :d, "
                "last_review = :last, due = :due, reps = 3 WHERE id = :id"
            ),
            rows,
        )


def raise_limits(col: Any) -> None:
    """Daily limits high enough that a long benchmark never runs out of cards."""
    import dataclasses

    for preset_id, preset in col.presets().items():
        col.save_preset(
            dataclasses.replace(preset, new_per_day=5000, reviews_per_day=50_000),
            preset_id=preset_id,
        )


def build_collection(data_dir: Path, cards: int) -> None:
    from flashcards.collection import Collection

    if (data_dir / "collection.sqlite3").exists():
        print(f"using the collection in {data_dir}")
        with Collection.open(data_dir, sync=False, seed=False) as col:
            raise_limits(col)
        return
    t0 = time.perf_counter()
    write_library(data_dir / "decks", cards)
    t1 = time.perf_counter()
    with Collection.open(data_dir, sync=False, seed=False) as col:
        report = col.sync()
        t2 = time.perf_counter()
        make_due(col, 20_000)
        raise_limits(col)
        col.set_setting("gui_synced_once", True)
    print(
        f"generated {cards:,} cards in {t1 - t0:.1f} s; first sync {t2 - t1:.1f} s "
        f"({report.cards_added:,} added)"
    )


class PaintProbe:
    """Times the card browser's paints: after `expect(ready)`, the first paint that
    happens once `ready()` holds sets `painted_at` (when that paint has finished) and
    calls `then`."""

    def __init__(self, viewport: Any) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        probe = self

        class Filter(QObject):
            def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802
                ready = probe.ready
                if event.type() == QEvent.Type.Paint and ready is not None and ready():
                    probe.ready = None
                    # A zero timer fires after this paint event has been handled.
                    QTimer.singleShot(0, probe.finish)
                return False

        self.filter = Filter()
        viewport.installEventFilter(self.filter)
        self.ready: Any = None
        self.then: Any = None
        self.painted_at = 0.0

    def expect(self, ready: Any, then: Any) -> None:
        self.painted_at = 0.0
        self.ready, self.then = ready, then

    def finish(self) -> None:
        self.painted_at = time.perf_counter()
        if self.then is not None:
            self.then()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench_keypress(data_dir: Path, answers: int) -> None:
    from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from flashcards.collection import Collection
    from flashcards.gui.main_window import WELCOME_KEY, MainWindow
    from flashcards.gui.review_models import ReviewState
    from flashcards.gui.theme import apply_theme
    from flashcards.gui.worker import CollectionWorker, share_the_interpreter

    share_the_interpreter()  # as the app's main() does
    app = QApplication.instance() or QApplication([sys.argv[0]])
    apply_theme(app, scheme="light")
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat)
        settings.setValue(WELCOME_KEY, True)
        worker = CollectionWorker(lambda: Collection.open(data_dir, sync=False, seed=False))
        window = MainWindow(worker, settings=settings)
        window.resize(1280, 800)
        window.show()
        review = window.review
        probe = PaintProbe(review.browser.viewport())

        loop = QEventLoop()
        guard = QTimer()
        guard.setSingleShot(True)
        guard.setInterval(30_000)
        guard.timeout.connect(lambda: loop.exit(1))
        poll = QTimer()
        poll.setInterval(1)

        def pump_until(condition: Any, timeout: float = 30.0) -> None:
            # Wait in Qt's event loop, as the app does (the GIL is free for the worker
            # while the loop sleeps); a 1 ms timer checks the condition.
            deadline = time.perf_counter() + timeout

            def check() -> None:
                if condition():
                    loop.quit()
                elif time.perf_counter() > deadline:
                    loop.exit(1)

            poll.timeout.connect(check)
            poll.start()
            try:
                if not condition() and loop.exec() != 0:
                    raise TimeoutError("the window did not get there in time")
            finally:
                poll.stop()
                poll.timeout.disconnect(check)

        def idle() -> bool:
            return (
                worker.pending == 0
                and not window._refresh_timer.isActive()  # noqa: SLF001 - benchmark
                and window.controller.state is ReviewState.QUESTION
            )

        window.study(window.home.scope)
        pump_until(idle, timeout=120)
        # Warm-up: the first answers load the renderer and fill the queue caches.
        for _ in range(5):
            QTest.keyClick(review, Qt.Key.Key_Space)
            QTest.keyClick(review, Qt.Key.Key_3)
            pump_until(idle)

        for mode in ("human pace", "back to back"):
            times: list[float] = []
            for _ in range(answers):
                if mode == "human pace":
                    pump_until(idle)
                else:
                    pump_until(lambda: window.controller.state is ReviewState.QUESTION)
                QTest.keyClick(review, Qt.Key.Key_Space)  # answer side: no worker call
                app.processEvents()
                before = window.controller.screen
                probe.expect(
                    lambda before=before: (
                        window.controller.screen is not before
                        and window.controller.state is ReviewState.QUESTION
                    ),
                    loop.quit,
                )
                guard.start()
                t0 = time.perf_counter()
                QTest.keyClick(review, Qt.Key.Key_3)
                # Wait in the event loop with no polling: the probe ends the wait.
                if not probe.painted_at and loop.exec() != 0:
                    raise TimeoutError("no next card")
                guard.stop()
                times.append((probe.painted_at - t0) * 1000)
            print(
                f"keypress → next card painted ({mode}, {answers} answers): "
                f"median {statistics.median(times):.1f} ms, p95 {percentile(times, 95):.1f} ms, "
                f"max {max(times):.1f} ms"
            )
        window.close()


def bench_startup(data_dir: Path, runs: int) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    code = "import sys; from flashcards.gui.app import main; sys.exit(main(sys.argv[1:]))"
    with tempfile.TemporaryDirectory() as tmp:
        env["XDG_CONFIG_HOME"] = tmp  # QSettings of the runs stay out of ~
        bare, first = [], []
        for _ in range(runs):
            t0 = time.time()
            subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
            bare.append(time.time() - t0)
            t0 = time.time()
            result = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    code,
                    "--data-dir",
                    str(data_dir),
                    "--exit-after-first-card",
                ],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            lines = [ln for ln in result.stdout.splitlines() if ln.startswith("first-card")]
            if result.returncode != 0 or not lines:
                raise RuntimeError(f"the app failed: {result.stderr[-2000:]}")
            first.append(float(lines[0].split()[1]) - t0)
    print(
        f"process start → first card painted ({runs} runs): median "
        f"{statistics.median(first) * 1000:.0f} ms, best {min(first) * 1000:.0f} ms "
        f"(bare `python -c pass`: median {statistics.median(bare) * 1000:.0f} ms)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=200)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument(
        "--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "flashcards-bench-review-gui"
    )
    args = parser.parse_args(argv)
    data_dir = args.data_dir / f"{args.cards}"
    build_collection(data_dir, args.cards)
    bench_startup(data_dir, args.starts)
    bench_keypress(data_dir, args.answers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
