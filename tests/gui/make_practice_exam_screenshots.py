"""Screenshots of a practice exam at 1366×768: a question mid-exam, the result, the review.

    xvfb-run -a -s "-screen 0 1366x768x24" python3 tests/gui/make_practice_exam_screenshots.py

Builds a collection on the bundled decks in a temporary folder with three past
sittings (so the result has a trend), then sits a fourth in the real window with the
keyboard: some answers, two flags, an hour and a half on the clock. Writes
docs/screenshots/practice-exam.png and practice-exam-result.png; the review and the
start page go to the temp folder (or --out DIR) to be looked at.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "screenshots"
sys.path.insert(0, str(ROOT))

from screenshot_kit import settle, shot_arguments  # noqa: E402

START = datetime.now(UTC).replace(microsecond=0)


def past_sittings(data_dir: Path) -> None:
    """Three finished sittings over three weeks, each a little better."""
    from flashcards.collection import Collection
    from flashcards.collection.practice_exam import AnswerUpdate, PracticeExams
    from flashcards.core.model import Rating

    with Collection.open(data_dir) as col:
        exams = PracticeExams(col)
        for week, share in ((3, 0.55), (2, 0.66), (1, 0.72)):
            begun = START - timedelta(weeks=week)
            # Some studying first, so the forecast moves too.
            for i in range(40):
                card = col.next_card(now=begun - timedelta(hours=3))
                if card is None:
                    break
                col.answer(card.id, Rating.GOOD if i % 9 else Rating.AGAIN, now=begun)
            sitting = exams.start(now=begun)
            answers = []
            for q in sitting.questions:
                right = (q.position * 37 % 100) / 100 < share
                wrong = frozenset({next(i for i in q.order if i not in q.correct)})
                answers.append(
                    AnswerUpdate(q.position, picked=q.correct if right else wrong, seconds=95.0)
                )
            exams.submit(
                sitting.id,
                now=begun + timedelta(minutes=150),
                used_seconds=150 * 60 - week * 600,
                answers=answers,
            )


def main() -> int:
    parser = shot_arguments()
    parser.add_argument("--theme", default="light")
    args = parser.parse_args()

    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from flashcards.collection import Collection
    from flashcards.gui.exam.practice_window import PracticeExamWindow
    from flashcards.gui.theme import apply_theme
    from flashcards.gui.worker import CollectionWorker

    app = QApplication(sys.argv)
    apply_theme(app, scheme=args.theme)
    tmp = Path(tempfile.mkdtemp())
    out = args.out or tmp
    out.mkdir(parents=True, exist_ok=True)
    data = tmp / "data"
    past_sittings(data)
    clock = {"now": START}
    worker = CollectionWorker(lambda: Collection.open(data, sync=False))
    settings = QSettings(str(tmp / "screens.ini"), QSettings.Format.IniFormat)
    window = PracticeExamWindow(worker, now=lambda: clock["now"], settings=settings)
    window.resize(1366, 768)
    window.show()
    window.load()
    settle(app, worker)
    shots: dict[str, Path] = {}

    def grab(name: str, doc: bool) -> None:
        settle(app, worker)
        path = DOCS / f"{name}.png" if doc and not args.no_doc else out / f"{name}.png"
        window.grab().save(str(path))
        shots[name] = path

    def press(key: Qt.Key, mods: Any = Qt.KeyboardModifier.NoModifier) -> None:
        QTest.keyClick(window.stack.currentWidget(), key, mods)
        settle(app, worker, 30)

    grab("practice-exam-start", doc=False)
    press(Qt.Key.Key_Return)
    settle(app, worker, 600)
    session = window.session
    assert session is not None

    def answer(position: int) -> None:
        """Four in five right; a few wrong picks."""
        order = session.load.order(session.current)
        right = [order.index(i) for i in sorted(session.question.correct)]
        wrong = [k for k in range(len(order)) if order[k] not in session.question.correct]
        for shown in right if position % 5 else wrong[: len(right)]:
            press(Qt.Key(Qt.Key.Key_A + shown))

    for position in range(34):
        answer(position)
        if position in (5, 21):
            press(Qt.Key.Key_F)
        clock["now"] += timedelta(seconds=150)
        press(Qt.Key.Key_Right)
    window.go(37)
    press(Qt.Key.Key_F)
    window.go(33)
    window.tick()
    grab("practice-exam", doc=True)
    for position in range(34, 65):
        window.go(position)
        if position not in (40, 52):  # two left unanswered
            answer(position)
        clock["now"] += timedelta(seconds=100)
    window.submit()
    settle(app, worker, 600)
    grab("practice-exam-result", doc=True)
    press(Qt.Key.Key_R)
    press(Qt.Key.Key_W)
    grab("practice-exam-review", doc=False)
    for name, path in shots.items():
        print(f"{name}: {path}", flush=True)
    window.close()
    worker.stop()
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
