"""The Today page talks about what Study takes, and a day's new-card limit holds across
sessions: one deck studied, then Study now (QA: after the 15-card tour, Study now served
16 more new cards, 31 in a day against a limit of 20; the tiles counted every deck while
the button studied the tour)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from review_window import current, open_window, press, study

from flashcards.core.model import CardState
from flashcards.gui.deck_tree import Counts, Scope
from flashcards.gui.main_window import MainWindow
from flashcards.gui.review_models import ReviewState


def _deck(title: str, prefix: str, n: int) -> str:
    notes = "\n".join(
        f"## {title} question {i} {{#{prefix}{i:02d}}}\nAnswer {i}.\n" for i in range(n)
    )
    # One exam domain: all decks' queue takes its new cards deck after deck (Exam's first),
    # so the Tour session answers cards that queue did not hold.
    return f"---\ntitle: {title}\ndomain: Modeling\n---\n\n{notes}"


def _library(data_dir: Path, now: datetime, new_per_day: int) -> None:
    from flashcards.collection import Collection

    decks = data_dir / "decks"
    decks.mkdir(parents=True)
    (decks / "tour.md").write_text(_deck("Tour", "tour", 4), encoding="utf-8")
    (decks / "exam.md").write_text(_deck("Exam", "exam", 10), encoding="utf-8")
    with Collection.open(data_dir, seed=False) as col:
        col.save_preset(replace(col.presets()[1], new_per_day=new_per_day), preset_id=1)


def _session(qtbot: QtBot, window: MainWindow) -> list[tuple[str, CardState]]:
    """Study with real keys (Space, then 4: Easy) until the session ends: each card shown
    and its state when shown."""
    shown: list[tuple[str, CardState]] = []
    while window.controller.state is ReviewState.QUESTION:
        view = current(window)
        shown.append((view.id, view.state))
        press(qtbot, window, Qt.Key.Key_Space)
        press(qtbot, window, Qt.Key.Key_4)
        assert len(shown) < 50
    return shown


def _tiles(window: MainWindow) -> tuple[str, str, str]:
    home = window.home
    return (home.due_tile.value.text(), home.due_tile.caption.text(), home.study_button.text())


def test_one_deck_then_study_now_stays_within_the_new_card_limit(
    qtbot: QtBot, tmp_path: Path, now: datetime
) -> None:
    data_dir = tmp_path / "data"
    _library(data_dir, now, new_per_day=6)
    window = open_window(qtbot, data_dir, tmp_path / "s.ini", now)
    model = window.sidebar.deck_model
    assert model.counts_of(Scope("All decks")) == Counts(6, 0, 0)
    study(qtbot, window, Scope("Tour", deck="Tour"))
    first = _session(qtbot, window)
    assert [state for _, state in first] == [CardState.NEW] * 4
    # The sidebar follows the answers: all decks have 2 of the day's 6 new cards left.
    qtbot.waitUntil(lambda: model.counts_of(Scope("All decks")) == Counts(2, 0, 0), timeout=5000)
    assert window.status_label.text() == "2 to study · 2 decks"
    press(qtbot, window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=5000)
    window.home.set_scope(Scope("All decks"))  # as clicking All decks in the sidebar
    assert _tiles(window) == ("2", "cards to study", "Study now")
    press(qtbot, window, Qt.Key.Key_Space)
    assert window.review.count_label.text() == "0 done · 2 left"
    second = _session(qtbot, window)
    assert [state for _, state in second] == [CardState.NEW] * 2
    assert len(first) + len(second) == 6  # the day's limit, across both sessions
    press(qtbot, window, Qt.Key.Key_Escape)
    window.close()


def test_the_tiles_count_what_the_study_button_takes(
    qtbot: QtBot, tmp_path: Path, now: datetime
) -> None:
    data_dir = tmp_path / "data"
    _library(data_dir, now, new_per_day=20)
    window = open_window(qtbot, data_dir, tmp_path / "s.ini", now)
    window.resize(1366, 740)
    home = window.home
    assert _tiles(window) == ("14", "cards to study", "Study now")
    all_minutes = home.time_tile.value.text()
    # A deck picked in the sidebar (with the keyboard): the button, the tiles and the
    # session all mean that deck.
    sidebar = window.sidebar
    sidebar.setFocus()
    while sidebar.current_scope() != Scope("Tour", deck="Tour"):
        press(qtbot, window, Qt.Key.Key_Down, to=sidebar)
        assert sidebar.current_scope() is not None
    assert _tiles(window) == ("4", "to study in Tour", "Study Tour")
    assert home.time_tile.value.text() != all_minutes
    assert "4 new" in home.due_tile.toolTip()
    press(qtbot, window, Qt.Key.Key_Space, to=sidebar)
    assert window.stack.currentWidget() is window.review
    assert window.review.count_label.text() == "0 done · 4 left"
    _session(qtbot, window)
    press(qtbot, window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.status_label.text() == "10 to study · 2 decks", timeout=5000)
    # Tour stays picked: nothing left in it, and the hint says where the rest is.
    assert _tiles(window) == ("0", "to study in Tour", "Study Tour")
    assert home.time_tile.value.text() == "–"
    assert "Nothing left in Tour today" in home.study_hint.text()
    window.close()
