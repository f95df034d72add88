"""Screenshots of scheduling for the exam date (docs/screenshots/): the Today page with
its pace line, and Preferences ▸ Exam with the switch and the workload estimate.

    xvfb-run -a -s "-screen 0 1366x768x24" python3 tests/gui/make_deadline_screenshots.py

A collection on the bundled decks in a temporary folder, two weeks of simulated study,
an exam date 30 days ahead; the Preferences are grabbed with the deadline still off (the
cost shown before turning it on), then the deadline is turned on and Today grabbed at
1366x768.
"""

from __future__ import annotations

import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
sys.path.insert(0, str(ROOT))

from screenshot_kit import settle  # noqa: E402


def simulate(data_dir: Path, now: datetime) -> None:
    from flashcards.collection import Collection
    from flashcards.collection.exam import Exams
    from flashcards.core.model import Rating

    rng = random.Random(5)
    with Collection.open(data_dir) as col:
        Exams(col).set_exam_date((now + timedelta(days=30)).date())
        for days_ago in range(14, 0, -1):
            t = now - timedelta(days=days_ago, hours=3)
            for _ in range(35):
                card = col.next_card(now=t)
                if card is None:
                    break
                miss = 0.3 if card.memory.state.name == "NEW" else 0.1
                rating = Rating.AGAIN if rng.random() < miss else Rating.GOOD
                col.answer(card.id, rating, now=t, duration_ms=7000)
                t += timedelta(seconds=25)


def main() -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from flashcards.collection import Collection
    from flashcards.collection.deadline import Deadline
    from flashcards.gui.exam.readiness_launcher import install_readiness
    from flashcards.gui.main_window import WELCOME_KEY, MainWindow
    from flashcards.gui.preferences import open_preferences
    from flashcards.gui.theme import apply_theme
    from flashcards.gui.worker import CollectionWorker

    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        simulate(data, now)
        app = QApplication.instance() or QApplication([sys.argv[0]])
        apply_theme(app, scheme="light")
        settings = QSettings(str(Path(tmp) / "screens.ini"), QSettings.Format.IniFormat)
        settings.setValue(WELCOME_KEY, True)
        worker = CollectionWorker(lambda: Collection.open(data, sync=False))
        window = MainWindow(worker, settings=settings)
        window.resize(1366, 768)
        window.move(0, 0)
        window.show()
        window.start(sync=False)
        if getattr(window, "exam_line", None) is None:
            install_readiness(window)
        settle(app, worker, 800)
        dialog = open_preferences(window, tab="exam")
        settle(app, worker, 800)
        dialog.grab().save(str(OUT / "deadline-preferences.png"))
        dialog.ask_discard = lambda: True
        dialog.reject()
        worker.run(lambda col: Deadline(col).turn(True))
        window.refresh()
        settle(app, worker, 800)
        window.grab().save(str(OUT / "deadline-today.png"))
        window.close()
        worker.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
