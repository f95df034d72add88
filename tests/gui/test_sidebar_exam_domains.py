"""The sidebar's exam domain rows count and study the domain's cards as readiness does:
its decks by front matter and what its exam.toml `query` takes from other decks (QA:
MLA-C01's "Data Preparation for ML" row offered the 17 cards of its one deck, not 352)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from flashcards.gui import dialogs
from flashcards.gui.deck_tree import Scope
from flashcards.gui.main_window import WELCOME_KEY, MainWindow
from flashcards.gui.review_models import ReviewState
from flashcards.gui.worker import CollectionWorker

EXAM = """\
name = "Exam Alpha"
code = "A-01"
questions = 10
minutes = 30
score = { min = 100, max = 1000, pass = 700 }
[[domains]]
name = "Prep"
weight = 0.5
query = "deck:shared/*"
[[domains]]
name = "Only"
weight = 0.5
query = "deck:solo/*"
"""


def deck(prefix: str, n: int, domain: str | None = None) -> str:
    front = f"---\ndomain: {domain}\n---\n\n" if domain else ""
    return front + "\n".join(f"## {prefix} {i} {{#{prefix}{i:04d}}}\nA {i}\n" for i in range(n))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    lib = tmp_path / "data" / "decks"
    for rel, text in {
        "ex/exam.toml": EXAM,
        "ex/prep.md": deck("prep", 2, "Prep"),
        "shared/s.md": deck("shar", 3),
        "solo/o.md": deck("solo", 2),
    }.items():
        (lib / rel).parent.mkdir(parents=True, exist_ok=True)
        (lib / rel).write_text(text, encoding="utf-8")
    return tmp_path / "data"


@pytest.fixture
def window(
    qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    from flashcards.collection import Collection

    monkeypatch.setattr(
        dialogs.QMessageBox, "warning", staticmethod(lambda parent, title, text: None)
    )
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(WELCOME_KEY, True)
    worker = CollectionWorker(lambda: Collection.open(data_dir, seed=False))
    win = MainWindow(worker, settings=settings, now=lambda: now)
    qtbot.addWidget(win)
    win.show()
    win.start(sync=True)
    qtbot.waitUntil(lambda: worker.pending == 0, timeout=10_000)
    yield win
    win.close()


def idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(
        lambda: window.worker.pending == 0 and window.controller.state is not ReviewState.LOADING,
        timeout=10_000,
    )


def key(qtbot: QtBot, window: MainWindow, k: Qt.Key) -> None:
    qtbot.keyClick(window.stack.currentWidget(), k)
    idle(qtbot, window)


def study(
    qtbot: QtBot, window: MainWindow, scope: Scope, *, cards: int = 99, leave: bool = True
) -> list[str]:
    """Study `scope` from the Today page with Space, answering Easy; the cards shown."""
    window.home.set_scope(scope)
    key(qtbot, window, Qt.Key.Key_Space)
    shown: list[str] = []
    while window.controller.state is ReviewState.QUESTION and len(shown) < cards:
        assert window.controller.screen is not None
        shown.append(window.controller.screen.loaded.view.id)
        key(qtbot, window, Qt.Key.Key_Space)  # show the answer
        key(qtbot, window, Qt.Key.Key_4)  # Easy
    if leave:
        key(qtbot, window, Qt.Key.Key_Escape)
    return shown


def test_a_domain_row_counts_and_studies_what_its_query_takes(
    qtbot: QtBot, window: MainWindow
) -> None:
    model = window.sidebar.deck_model
    prep, only = Scope("Prep", domain="Prep"), Scope("Only", domain="Only")
    qtbot.waitUntil(lambda: model.counts_of(prep) is not None, timeout=5000)
    assert model.counts_of(prep).new == 5  # 2 of its deck, 3 its query takes
    assert model.counts_of(only) is not None and model.counts_of(only).new == 2  # no deck names it
    assert window.home.today is not None
    shared = next(d.name for d in window.home.today.decks if d.file == "shared/s.md")
    # A card of a deck the query takes, studied from its deck's row, moves the domain's
    # (while the session goes on: only the rows an answer moves are counted again).
    assert len(study(qtbot, window, Scope(shared, deck=shared), cards=1, leave=False)) == 1
    assert window.controller.state is ReviewState.QUESTION
    qtbot.waitUntil(lambda: model.counts_of(prep).new == 4, timeout=5000)
    key(qtbot, window, Qt.Key.Key_Escape)
    shown = study(qtbot, window, prep)
    assert len(shown) == 4 and {c[:4] for c in shown} == {"prep", "shar"}
    qtbot.waitUntil(lambda: model.counts_of(prep).new == 0, timeout=5000)
    assert model.counts_of(only).new == 2
