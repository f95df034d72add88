"""The statistics window on a 1366×768 screen, for the docs.

    xvfb-run -a -s "-screen 0 1366x768x24" python tests/gui/make_statistics_screenshot.py

Builds a collection on the bundled decks in a temporary folder with a simulated year of
study (most days, a session at a few usual hours, answers drawn at plausible rates), opens
the app, presses Ctrl+Shift+S and grabs the window filling the screen: its top goes to
docs/screenshots/statistics.png, its charts (scrolled down to the forecast) to
statistics-charts.png; the rest, and the dark theme, go to the temp folder (or --out DIR)
to be looked at.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "screenshots" / "statistics.png"
CHARTS = ROOT / "docs" / "screenshots" / "statistics-charts.png"
sys.path.insert(0, str(ROOT))

from screenshot_kit import main_window, settle, shot_arguments  # noqa: E402

HOURS = (7, 8, 12, 13, 19, 20, 21, 22)


def simulate_year(data: Path, *, seed: int = 3) -> int:
    """A year of study before today, as the app records it; returns the answers given."""
    from flashcards.collection import Collection
    from flashcards.core.days import day_start
    from flashcards.core.model import CardState, Rating

    rng = random.Random(seed)
    now = datetime.now(UTC)
    answers = 0
    with Collection.open(data) as col:
        cfg = col.day_config()
        today = col.today(now)
        for day in range(today - 365, today + 1):
            weekday = (day + 6) % 7  # Monday 0 (ordinal 1 was a Monday)
            if day < today and rng.random() < (0.25 if weekday >= 5 else 0.08):
                continue  # a day off, more often at the weekend
            t = day_start(day, cfg.tz, cfg.rollover_hour).replace(minute=rng.randint(0, 50))
            t += timedelta(hours=(rng.choice(HOURS) - cfg.rollover_hour) % 24)
            if day == today:  # this morning's session, an hour ago
                start = day_start(day, cfg.tz, cfg.rollover_hour)
                t = max(start, now - timedelta(hours=1))
            for _ in range(rng.randint(25, 70)):
                card = col.next_card(now=t)
                if card is None:
                    break
                state = card.memory.state
                if state is CardState.REVIEW:
                    weights = (9, 10, 70, 11)
                elif state is CardState.NEW:
                    weights = (25, 10, 55, 10)
                else:
                    weights = (15, 10, 70, 5)
                rating = rng.choices(list(Rating), weights)[0]
                seconds = rng.uniform(3, 9) if state is CardState.REVIEW else rng.uniform(6, 25)
                col.answer(card.id, rating, now=t, duration_ms=int(seconds * 1000))
                answers += 1
                t += timedelta(seconds=seconds + 4)
    return answers


def shoot(data: Path, out: Path, theme: str, *, doc: bool) -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from flashcards.gui.app import install_tools
    from flashcards.gui.stats import StatsWindow
    from flashcards.gui.theme import apply_theme

    app = QApplication(sys.argv)
    apply_theme(app, scheme=theme)
    worker, window = main_window(app, data, out / f"settings-{theme}.ini", seed=False)
    install_tools(window)
    window.activateWindow()
    settle(app, worker)
    QTest.keyClick(
        window,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    stats = window.findChild(StatsWindow)
    if stats is None:
        sys.stderr.write("Ctrl+Shift+S did not open the statistics\n")
        return 1
    stats.setGeometry(stats.screen().availableGeometry())  # the whole screen (no WM here)
    settle(app, worker, 1200)
    if not stats.filled():
        sys.stderr.write("the statistics were not filled\n")
        return 1
    shots = []
    bar = stats.scroller.verticalScrollBar()
    if doc:
        stats.grab().save(str(DOC))
        bar.setValue(stats.panels["forecast"].y() - 12)  # the charts, from the forecast down
        settle(app, worker, 300)
        stats.grab().save(str(CHARTS))
        bar.setValue(0)
        settle(app, worker, 300)
        shots += [DOC, CHARTS]
    stats.grab().save(str(out / f"statistics-{theme}-top.png"))
    for i, value in enumerate((bar.maximum() // 2, bar.maximum())):
        bar.setValue(value)
        settle(app, worker, 300)
        path = out / f"statistics-{theme}-{i + 1}.png"
        stats.grab().save(str(path))
        shots.append(path)
    for key, panel in stats.panels.items():
        panel.save_png(out / f"panel-{theme}-{key}.png")
    for path in shots:
        print(path)
    stats.close()
    window.close()
    worker.stop()
    return 0


def main() -> int:
    parser = shot_arguments()
    parser.add_argument("--data", type=Path, default=None, help="(internal) the collection")
    parser.add_argument("--theme", default=None, help="(internal) light or dark")
    args = parser.parse_args()
    if args.theme:
        code = shoot(args.data, args.out, args.theme, doc=args.theme == "light" and not args.no_doc)
        os._exit(code)  # PySide6 can crash tearing a script's widgets down at exit
    tmp = Path(tempfile.mkdtemp())
    out = args.out or tmp
    out.mkdir(parents=True, exist_ok=True)
    data = tmp / "data"
    started = time.monotonic()
    answers = simulate_year(data)
    print(f"simulated {answers:,} answers in {time.monotonic() - started:.0f} s", flush=True)
    for theme in ("light", "dark"):  # a palette is best set before any widget exists
        command = [sys.executable, __file__, "--data", str(data), "--out", str(out)]
        command += ["--theme", theme] + (["--no-doc"] if args.no_doc else [])
        subprocess.run(command, check=True)
    print(f"other shots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
