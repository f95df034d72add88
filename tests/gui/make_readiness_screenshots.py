"""Screenshots of the exam line on Today and the Readiness window (docs/screenshots/).

    xvfb-run -a -s "-screen 0 1366x768x24" python3 tests/gui/make_readiness_screenshots.py

Builds a collection on the bundled decks in a temporary folder with four weeks of
simulated study (Modeling studied least, so it is the weakest domain), an exam date 23
days ahead and a forecast kept each of those days (the trend), then grabs the main
window at 1366x768 and the Readiness window.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
sys.path.insert(0, str(ROOT))

from screenshot_kit import settle  # noqa: E402


def simulate(data_dir: Path, now: datetime) -> None:
    from flashcards.collection import Collection
    from flashcards.collection.exam import Exams
    from flashcards.collection.readiness import readiness
    from flashcards.core.model import Rating

    rng = random.Random(4)
    with Collection.open(data_dir) as col:
        exams = Exams(col)
        exams.set_exam_date((now + timedelta(days=23)).date())
        for days_ago in range(28, 0, -1):
            t = now - timedelta(days=days_ago, hours=3)
            for _ in range(40):
                card = col.next_card(now=t)
                if card is None:
                    break
                weak = card.domain == "Modeling"
                if weak and rng.random() < 0.6:
                    col.bury([card.id])  # Modeling is put off: fewer cards studied
                    continue
                # New cards are often missed on the first look; reviews mostly not.
                miss = 0.35 if card.memory.state.name == "NEW" else (0.25 if weak else 0.1)
                rating = Rating.AGAIN if rng.random() < miss else Rating.GOOD
                col.answer(card.id, rating, now=t, duration_ms=7000)
                t += timedelta(seconds=25)
            readiness(col, now=t, record=True)


def main() -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from flashcards.collection import Collection
    from flashcards.gui.exam.readiness_launcher import install_readiness, open_readiness
    from flashcards.gui.main_window import WELCOME_KEY, MainWindow
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
        window.show()
        window.start(sync=False)
        install_readiness(window)

        def wait() -> None:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and worker.pending:
                app.processEvents()
                time.sleep(0.01)
            settle(app)

        wait()
        OUT.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(OUT / "today-exam.png"))
        readiness_window = open_readiness(window)
        readiness_window.resize(1366, 768)
        wait()
        readiness_window.grab().save(str(OUT / "readiness.png"))
        readiness_window.close()
        window.close()
        worker.stop()
    print("saved today-exam.png and readiness.png in", OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
