"""A card with formulas in the review, light and dark, on a 1366×768 screen, for the docs.

    xvfb-run -a -s "-screen 0 1366x768x24" python tests/gui/make_formula_screenshots.py light
    xvfb-run -a -s "-screen 0 1366x768x24" python tests/gui/make_formula_screenshots.py dark

Opens the app on the bundled decks in a temporary folder, reviews the "Log loss" card of
AWS ML Specialty::Modeling Evaluation, shows its answer and saves the window to
docs/screenshots/formula-THEME.png. One theme per process (a palette set twice in one
process leaves some widgets in the first one's colours).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
sys.path.insert(0, str(ROOT))

from screenshot_kit import settle  # noqa: E402

CARD = "x59hzd"  # Log loss: an inline sum and a display formula


def main(theme: str) -> int:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from flashcards.collection import Collection
    from flashcards.core.model import CardId
    from flashcards.gui.main_window import WELCOME_KEY, MainWindow
    from flashcards.gui.review_models import ReviewState
    from flashcards.gui.theme import apply_theme
    from flashcards.gui.worker import CollectionWorker

    app = QApplication(sys.argv[:1])
    apply_theme(app, scheme=theme)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        settings.setValue(WELCOME_KEY, True)
        worker = CollectionWorker(lambda: Collection.open(data))
        window = MainWindow(worker, settings=settings)
        window.resize(1366, 768)
        window.show()
        window.start()

        def wait() -> None:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and (
                worker.pending or window.controller.state is ReviewState.LOADING
            ):
                settle(app, ms=20)
            settle(app)

        wait()
        window.study(window.home.scope)
        wait()
        window.controller.review_card(CardId(CARD))
        wait()
        QTest.keyClick(window.stack.currentWidget(), Qt.Key.Key_Space)
        wait()
        path = OUT / f"formula-{theme}.png"
        window.grab().save(str(path))
        print(path.relative_to(ROOT), flush=True)
        window.close()
        settle(app)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "light"))
