"""Screenshots of the app for docs/screenshots/, light and dark (and one at 200%).

    xvfb-run -a -s "-screen 0 2800x1800x24" python tests/gui/make_screenshots.py

Builds a collection on the bundled decks in a temporary folder with a week of simulated
history (so the Today page has a streak and due reviews), then drives the real window
with the keyboard and grabs each screen. Each theme runs in its own process (a palette
is best set before any widget exists).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
sys.path.insert(0, str(ROOT))


def simulate_history(data_dir: Path) -> None:
    """A week of reviews before today: a streak, and reviews due now."""
    from flashcards.collection import Collection
    from flashcards.core.model import Rating

    now = datetime.now(UTC)
    with Collection.open(data_dir) as col:
        for days_ago in range(7, 0, -1):
            t = now - timedelta(days=days_ago, hours=2)
            for i in range(12):
                card = col.next_card(now=t)
                if card is None:
                    break
                rating = Rating.GOOD if i % 5 else Rating.HARD
                col.answer(card.id, rating, now=t, duration_ms=6000 + 700 * i)
                t += timedelta(seconds=20)
        col.sync()


def find_cards(data_dir: Path) -> dict[str, str]:
    """Card ids to show: a plain question with links, an answer with code, a choice card."""
    from flashcards.core.model import CardKind
    from flashcards.core.parser import parse_file

    library = data_dir / "decks"
    found: dict[str, str] = {}
    for file in sorted(library.rglob("*.md")):
        if "aws" not in file.as_posix():
            continue
        for card in parse_file(file, root=library).deck.cards:
            if "code" not in found and "```" in card.answer and len(card.answer) < 600:
                found["code"] = card.id
            if (
                "choice" not in found
                and card.kind is CardKind.CHOICE
                and len(card.correct) == 1
                and 3 <= len(card.choices) <= 4
                and len(card.prompt) < 300
            ):
                found["choice"] = card.id
            if (
                "question" not in found
                and card.kind is CardKind.BASIC
                and card.links
                and 120 < len(card.answer) < 420
            ):
                found["question"] = card.id
    return found


def settle(app: Any, ms: int = 250) -> None:
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)


def shoot(theme: str, data_dir: Path, cards: dict[str, str], *, suffix: str = "") -> list[Path]:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from flashcards.collection import Collection
    from flashcards.core.model import CardId
    from flashcards.gui.app import APPLICATION, ORGANISATION
    from flashcards.gui.main_window import WELCOME_KEY, MainWindow
    from flashcards.gui.review_models import ReviewState
    from flashcards.gui.theme import apply_theme
    from flashcards.gui.worker import CollectionWorker

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    apply_theme(app, scheme=theme)
    settings = QSettings(str(data_dir / "screens.ini"), QSettings.Format.IniFormat)
    settings.setValue(WELCOME_KEY, True)
    worker = CollectionWorker(lambda: Collection.open(data_dir, sync=False))
    window = MainWindow(worker, settings=settings)
    # A laptop screen: 1366x768 (the 200 % run doubles the screen, not the layout).
    window.resize(1366, 768)
    window.show()
    window.start(sync=False)
    saved: list[Path] = []

    def wait() -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (
            worker.pending or window.controller.state is ReviewState.LOADING
        ):
            app.processEvents()
            time.sleep(0.005)
        settle(app)

    def grab(name: str) -> None:
        wait()
        path = OUT / f"{name}-{theme}{suffix}.png"
        window.grab().save(str(path))
        saved.append(path)

    def press(key: Qt.Key, mods: Any = Qt.KeyboardModifier.NoModifier) -> None:
        QTest.keyClick(window.stack.currentWidget(), key, mods)
        wait()

    wait()
    window.sidebar.expandAll()
    grab("home")
    if not suffix:  # the card browser, at the same laptop size
        from flashcards.gui.browser.launch import open_browser

        browser = open_browser(window, query="")
        browser.resize(1366, 768)
        browser.show()
        wait()
        browser.table.selectRow(2)
        wait()
        path = OUT / ("browser.png" if theme == "light" else f"browser-{theme}.png")
        browser.grab().save(str(path))
        saved.append(path)
        browser.close()
    window.study(window.home.scope)
    wait()
    if "question" in cards:
        window.controller.review_card(CardId(cards["question"]))
    grab("question")
    press(Qt.Key.Key_Space)
    if "question" in cards:
        hrefs = window.review.browser.toHtml().split('href="card:')[1:]
        if hrefs:
            window.controller.open_link("card:" + hrefs[0].split('"', 1)[0])
    grab("answer-related")
    window.related.hide()
    if "code" in cards:
        window.controller.review_card(CardId(cards["code"]))
        wait()
        press(Qt.Key.Key_Space)
        grab("answer-code")
    if "choice" in cards:
        window.controller.review_card(CardId(cards["choice"]))
        wait()
        loaded = window.controller.screen.loaded
        right = min(loaded.view.card.correct)
        shown = loaded.order.index(right) if loaded.order else right
        press(Qt.Key(int(Qt.Key.Key_A) + shown))  # the right option, wherever it is shown
        grab("choice-question")
        press(Qt.Key.Key_Space)
        grab("choice-answer")
    # The end of a session: answer the rest of a small deck.
    window.go_home()
    wait()
    window.study(window.home.scope)
    wait()
    for _ in range(400):
        if window.controller.state is not ReviewState.QUESTION:
            break
        press(Qt.Key.Key_Space)
        press(Qt.Key.Key_4)
    grab("summary")
    window.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--theme", choices=("light", "dark"))
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--suffix", default="")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    if args.theme:
        cards = find_cards(args.data_dir)
        for path in shoot(args.theme, args.data_dir, cards, suffix=args.suffix):
            print(path.relative_to(ROOT), flush=True)
        # PySide6 can crash tearing down a script's widgets at interpreter exit; the
        # images are written, so leave without the teardown.
        os._exit(0)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        runs = [("light", "", {}), ("dark", "", {}), ("light", "-200", {"QT_SCALE_FACTOR": "2"})]
        for theme, suffix, env in runs:
            data_dir = base / f"{theme}{suffix}"
            simulate_history(data_dir)
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--theme",
                    theme,
                    "--data-dir",
                    str(data_dir),
                    "--suffix",
                    suffix,
                ],
                env={**os.environ, **env},
                check=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
