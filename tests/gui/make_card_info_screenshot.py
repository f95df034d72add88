"""Card info over the review on a 1366×768 screen, for the docs.

    xvfb-run -a -s "-screen 0 1366x768x24" python tests/gui/make_card_info_screenshot.py

Opens the app on the bundled decks in a temporary folder, gives "Precision vs recall" two
months of answers (a lapse among them) and an exam date, shows it in the review, presses I
and grabs the card-info window to docs/screenshots/card-info.png; the whole screen and a
dark copy go to the temp folder (or --out DIR) to be looked at.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "screenshots" / "card-info.png"
sys.path.insert(0, str(ROOT))

from screenshot_kit import begin, main_window, settle, shot_arguments  # noqa: E402

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
TITLE = "Precision vs recall"
# (rating, seconds taken) for each time the card comes up, from two months before NOW.
ANSWERS = [(3, 14), (3, 9), (3, 7), (2, 12), (1, 21), (3, 8), (3, 6), (4, 4)]


def give_history(col: Any) -> str:
    """Answer the card as it falls due, starting two months ago; returns its id."""
    from flashcards.collection.exam import Exams
    from flashcards.core.model import Rating

    card = next(col.card(i) for i in col.search(TITLE) if col.card(i).card.title == TITLE)
    t = NOW - timedelta(days=62)
    for rating, seconds in ANSWERS:
        col.answer(card.id, Rating(rating), now=t, duration_ms=seconds * 1000)
        due = col.card(card.id).memory.due
        t = max(t + timedelta(minutes=1), due + timedelta(hours=2))
        if t > NOW - timedelta(hours=1):
            break
    exams = Exams(col)
    profile = exams.active()
    if profile is not None:
        exams.set_exam_date(date(2026, 12, 21), profile)
    return str(card.id)


def main() -> int:
    args = shot_arguments().parse_args()

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from flashcards.collection import Collection
    from flashcards.gui.card_info import CardInfoWindow

    shoot = begin(args.out)
    app, out = shoot.app, shoot.out
    with Collection.open(shoot.data, now=NOW - timedelta(days=90)) as col:
        card_id = give_history(col)
    worker, window = main_window(
        app, shoot.data, shoot.tmp / "settings.ini", now=lambda: NOW, seed=False
    )
    window.controller.review_card(card_id)
    settle(app, worker)
    window.activateWindow()
    QTest.keyClick(window.review, Qt.Key.Key_I)
    settle(app, worker, 600)
    info = window.findChild(CardInfoWindow)
    if info is None or info.info is None:
        sys.stderr.write("I did not open card info\n")
        return 1
    info.activateWindow()
    settle(app, worker)
    if not args.no_doc:
        info.grab().save(str(DOC))
    info.grab().save(str(out / "card-info-light.png"))
    screen = app.primaryScreen()
    screen.grabWindow(0).save(str(out / "card-info-screen.png"))
    window.appearance.set_theme("dark", remember=False)
    settle(app, worker)
    info.grab().save(str(out / "card-info-dark.png"))
    print(
        f"screen {screen.availableGeometry().width()}x{screen.availableGeometry().height()},"
        f" card info {info.width()}x{info.height()}; shots in {out}"
    )
    info.close()
    window.close()
    settle(app, worker)
    shoot.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
