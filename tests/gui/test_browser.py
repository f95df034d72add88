"""The browser on a real collection: searching, inline query errors, sorting, lazy rows,
columns, every bulk action and its undo."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt

from flashcards.collection.browse import card_rows
from flashcards.core.model import CardState, Flag, Rating
from flashcards.gui.browser import BrowserWindow, Column
from flashcards.gui.browser.columns import DEFAULT_COLUMNS


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def browser(qtbot: Any, runner: Any, settings: QSettings, now: datetime) -> Iterator[BrowserWindow]:
    window = BrowserWindow(runner, settings=settings, now=lambda: now)
    qtbot.addWidget(window)
    window.show()
    window.search("")
    yield window


def shown_text(qtbot: Any, window: BrowserWindow, row: int, column: Column) -> str:
    model = window.model
    index = model.index(row, model.columns.index(column))
    model.data(index)
    qtbot.waitUntil(lambda: model.data(index) is not None, timeout=2000)
    return str(model.data(index))


def select(window: BrowserWindow, *titles: str) -> list[str]:
    ids = []
    for title in titles:
        ids.extend(i for i in window.model.ids if window.runner.col.card(i).card.title == title)
    window._select(ids)
    return ids


def test_search_lists_cards_and_shows_the_count(browser: BrowserWindow, qtbot: Any) -> None:
    assert browser.model.rowCount() == 5
    assert browser.count_label.text() == "5 cards"
    browser.search("deck:Data")
    assert browser.model.rowCount() == 1
    assert shown_text(qtbot, browser, 0, Column.PROMPT) == "Streaming validation metrics"
    browser.search("domain:Modeling -is:suspended precision")
    assert browser.model.rowCount() == 1
    assert shown_text(qtbot, browser, 0, Column.PROMPT) == "Precision"


def test_bad_query_shows_an_inline_message_not_a_dialog(
    browser: BrowserWindow, runner: Any
) -> None:
    browser.search("deck:x (a")
    assert browser.error_label.isVisible()
    assert "parenthesis" in browser.error_label.text()
    assert "column 8" in browser.error_label.text()
    assert runner.failures == []
    assert browser.model.rowCount() == 5  # the last good results stay
    browser.search("is:new")
    assert not browser.error_label.isVisible()


def test_typing_searches_after_a_pause(browser: BrowserWindow, qtbot: Any) -> None:
    browser.search_box.setFocus()
    qtbot.keyClicks(browser.search_box, "tag:none-such")
    qtbot.waitUntil(lambda: browser.model.rowCount() == 0, timeout=2000)


def test_sorting_by_header(browser: BrowserWindow, qtbot: Any) -> None:
    browser.sort_by(Column.PROMPT)
    titles = [shown_text(qtbot, browser, r, Column.PROMPT) for r in range(5)]
    assert titles == sorted(titles, key=str.lower)
    browser.sort_by(Column.PROMPT, descending=True)
    assert [shown_text(qtbot, browser, r, Column.PROMPT) for r in range(5)] == titles[::-1]


def test_rows_are_fetched_lazily_and_cached(browser: BrowserWindow, qtbot: Any) -> None:
    model = browser.model
    qtbot.waitUntil(lambda: model.cached_row(str(model.ids[0])) is not None, timeout=2000)
    fetches = model.fetches
    for _ in range(3):
        model.data(model.index(0, 0))
    qtbot.wait(20)
    assert model.fetches == fetches  # cached rows are not fetched again
    model.invalidate()
    shown_text(qtbot, browser, 0, Column.PROMPT)
    assert model.fetches == fetches + 1


def test_columns_are_choosable_and_remembered(
    browser: BrowserWindow, qtbot: Any, runner: Any, settings: QSettings, now: datetime
) -> None:
    assert browser.model.columns == list(DEFAULT_COLUMNS)
    menu = browser.column_menu()
    stability = next(a for a in menu.actions() if a.text() == "Stability")
    stability.trigger()
    assert Column.STABILITY in browser.model.columns
    again = BrowserWindow(runner, settings=settings, now=lambda: now)
    qtbot.addWidget(again)
    assert Column.STABILITY in again.model.columns
    browser.set_columns([Column.PROMPT])
    menu = browser.column_menu()
    assert not next(a for a in menu.actions() if a.text() == "Prompt").isEnabled()


def test_preview_shows_card_and_history(
    browser: BrowserWindow, qtbot: Any, runner: Any, now: datetime
) -> None:
    ids = select(browser, "Early stopping")
    runner.col.answer(ids[0], Rating.GOOD, now=now)
    browser.refresh_preview()
    assert "validation loss" in browser.preview.browser.toPlainText()
    assert browser.preview.history.rowCount() == 1
    assert browser.preview.history.item(0, 1).text() == "Good"


def test_suspend_toggle_and_undo(browser: BrowserWindow, qtbot: Any, runner: Any) -> None:
    ids = select(browser, "Early stopping", "Precision")
    browser.actions_.toggle_suspend()
    assert all(runner.col.card(i).suspended for i in ids)
    assert (
        shown_text(qtbot, browser, browser.model.row_of(ids[0]) or 0, Column.STATE) == "Suspended"
    )
    browser.actions_.toggle_suspend()
    assert not any(runner.col.card(i).suspended for i in ids)
    browser.actions_.suspend()
    browser.actions_.undo()
    assert not any(runner.col.card(i).suspended for i in ids)
    browser.actions_.actions["redo"].trigger()  # Ctrl+Shift+Z
    assert all(runner.col.card(i).suspended for i in ids)
    assert (
        shown_text(qtbot, browser, browser.model.row_of(ids[0]) or 0, Column.STATE) == "Suspended"
    )


def test_bury_flag_reset_set_due_and_their_undo(
    browser: BrowserWindow, runner: Any, now: datetime
) -> None:
    col = runner.col
    ids = select(browser, "Early stopping")
    browser.actions_.bury()
    assert card_rows(col, ids, now=now)[0].buried
    browser.actions_.undo()
    assert not card_rows(col, ids, now=now)[0].buried
    browser.actions_.flag(Flag.GREEN)
    assert col.card(ids[0]).flag is Flag.GREEN
    browser.actions_.undo()
    assert col.card(ids[0]).flag is Flag.NONE
    browser.actions_.set_due(5)
    assert col.card(ids[0]).state is CardState.REVIEW
    browser.actions_.undo()
    assert col.card(ids[0]).state is CardState.NEW
    col.answer(ids[0], Rating.EASY, now=now)
    browser.actions_.reset(confirm=False)
    assert col.card(ids[0]).state is CardState.NEW
    browser.actions_.undo()
    assert col.card(ids[0]).state is CardState.REVIEW


def test_tags_move_delete_and_undo(browser: BrowserWindow, runner: Any, data_dir: Path) -> None:
    col = runner.col
    tiny = data_dir / "decks" / "tiny.md"
    original = tiny.read_text(encoding="utf-8")
    ids = select(browser, "Early stopping")
    browser.actions_.add_tags(["exam"])
    assert col.card(ids[0]).card.tags == ("exam",)
    assert "Tags: exam" in tiny.read_text(encoding="utf-8")
    browser.actions_.remove_tags(["exam"])
    assert col.card(ids[0]).card.tags == ()
    browser.actions_.undo()
    browser.actions_.undo()
    assert tiny.read_text(encoding="utf-8") == original

    browser.actions_.move("data.md")
    assert col.card(ids[0]).deck == "Data"
    assert browser.selected_ids() == ids  # still selected after the re-search
    browser.actions_.undo()
    assert col.card(ids[0]).deck == "Tiny"

    browser.search("")
    select(browser, "Early stopping")
    browser.actions_.delete(confirm=False)
    assert browser.model.rowCount() == 4
    assert not col.card(ids[0]).present
    browser.actions_.undo()
    assert browser.model.rowCount() == 5
    assert col.card(ids[0]).present
    assert tiny.read_text(encoding="utf-8") == col.library.joinpath("tiny.md").read_text(
        encoding="utf-8"
    )


def test_edit_request_names_deck_and_line(browser: BrowserWindow, qtbot: Any) -> None:
    select(browser, "Early stopping")
    with qtbot.waitSignal(browser.edit_requested, timeout=2000) as blocker:
        browser.edit_current()
    assert blocker.args[0] == "tiny.md" and blocker.args[1] > 1


def test_works_through_the_real_worker(
    qtbot: Any, data_dir: Path, settings: QSettings, now: datetime
) -> None:
    from flashcards.collection import Collection
    from flashcards.gui.worker import CollectionWorker

    worker = CollectionWorker(lambda: Collection.open(data_dir, seed=False))
    try:
        window = BrowserWindow(worker, settings=settings, now=lambda: now)
        qtbot.addWidget(window)
        window.show()
        window.search("tag:none or deck:Tiny")
        qtbot.waitUntil(lambda: window.model.rowCount() == 4, timeout=5000)
        qtbot.waitUntil(
            lambda: window.model.cached_row(str(window.model.ids[0])) is not None, timeout=5000
        )
        window.search("(")
        qtbot.waitUntil(window.error_label.isVisible, timeout=5000)
    finally:
        worker.stop()


def test_closing_while_the_worker_is_busy_drops_the_answers(
    qtbot: Any, data_dir: Path, settings: QSettings, now: datetime
) -> None:
    from PySide6.QtWidgets import QApplication

    from flashcards.collection import Collection
    from flashcards.gui.worker import CollectionWorker

    worker = CollectionWorker(lambda: Collection.open(data_dir, seed=False))
    try:
        window = BrowserWindow(worker, settings=settings, now=lambda: now)
        window.show()
        window.search("")
        worker.run(lambda col: __import__("time").sleep(0.2))  # keep the search queued
        window.close()
        window.deleteLater()
        QApplication.sendPostedEvents(None, 0)  # the window is gone before the answer
        qtbot.waitUntil(lambda: worker.pending == 0, timeout=5000)
    finally:
        worker.stop()


class QueueRunner:
    """The worker's order without its thread: jobs wait until the test steps them."""

    def __init__(self, col: Any) -> None:
        from tests.gui.conftest import SyncRunner

        self.now = SyncRunner(col)
        self.col = col
        self.jobs: list[tuple[Any, dict[str, Any]]] = []

    def run(self, fn: Any, **kw: Any) -> None:
        self.jobs.append((fn, kw))

    def step(self) -> str:
        fn, kw = self.jobs.pop(0)
        self.now.run(fn, **kw)
        return str(kw.get("label", ""))

    def default_failure(self, failure: Any) -> None:
        raise AssertionError(failure)


@pytest.fixture
def queued(
    qtbot: Any, collection: Any, settings: QSettings, now: datetime
) -> tuple[BrowserWindow, QueueRunner]:
    queue = QueueRunner(collection)
    window = BrowserWindow(queue, settings=settings, now=lambda: now)
    qtbot.addWidget(window)
    window.show()
    window.first_page = 2  # five cards match everything: a head of two, then the rest
    return window, queue


def test_a_big_result_paints_its_head_then_adds_the_rest(
    queued: tuple[BrowserWindow, QueueRunner], qtbot: Any
) -> None:
    window, queue = queued
    window.search("")
    assert queue.step() == "search"
    model = window.model
    assert model.rowCount() == 2 and not model.complete
    assert window.count_label.text() == "2+ cards…"
    # The head came with its rows: the first screen paints without another job.
    assert model.cached_row(str(model.ids[0])) is not None
    assert [label for _fn, label in ((f, k.get("label")) for f, k in queue.jobs)] == ["search"]
    assert window.selected_ids() == [model.ids[0]]
    with qtbot.waitSignal(window.searched, timeout=1000) as blocker:
        queue.step()
    assert blocker.args == [5]
    assert model.rowCount() == 5 and model.complete
    assert window.count_label.text() == "5 cards"
    assert window.selected_ids() == [model.ids[0]]  # the selection stayed
    assert len(set(model.ids)) == 5


def test_the_head_and_the_whole_list_agree_when_sorted(
    queued: tuple[BrowserWindow, QueueRunner], collection: Any, now: datetime
) -> None:
    from flashcards.collection.browse import search_cards
    from flashcards.storage.card_search import SortColumn

    window, queue = queued
    window.order, window.descending = SortColumn.PROMPT, True
    window.search("")
    queue.step()
    head = list(window.model.ids)
    queue.step()
    whole = search_cards(collection, "", order=SortColumn.PROMPT, descending=True, now=now)
    assert window.model.ids == whole and whole[:2] == head


def test_a_kept_card_beyond_the_head_is_selected_when_the_rest_arrives(
    queued: tuple[BrowserWindow, QueueRunner],
) -> None:
    window, queue = queued
    window.search("")
    queue.step()
    queue.step()
    last = window.model.ids[-1]
    window._select([str(last)])
    window.search("")
    queue.step()
    assert window.selected_ids() == []  # not in the head: no flash of row 0
    queue.step()
    assert window.selected_ids() == [last]


def test_select_all_on_the_head_covers_the_whole_result(
    queued: tuple[BrowserWindow, QueueRunner],
) -> None:
    window, queue = queued
    window.search("")
    queue.step()
    window.table.selectAll()
    queue.step()
    assert len(window.selected_ids()) == 5


def test_a_newer_search_drops_the_older_ones_answers(
    queued: tuple[BrowserWindow, QueueRunner],
) -> None:
    window, queue = queued
    window.search("")
    queue.step()  # the head of everything; the whole list is queued
    window.search("deck:Data")
    queue.step()  # the whole list of the old search: skipped, dropped
    assert window.model.rowCount() == 2
    queue.step()
    assert window.model.ids == [window.model.ids[0]] and window.model.complete
    assert window.count_label.text() == "1 card"
    assert queue.jobs == []


def test_toggle_suspend_decides_from_the_cards_not_the_rows_on_screen(
    qtbot: Any, tmp_path: Path, settings: QSettings, now: datetime
) -> None:
    """QA: Ctrl+A, Ctrl+J on 300 suspended cards suspended them again: the rows never
    scrolled into view were not in the table's cache and counted as not suspended."""
    from flashcards.collection import Collection
    from tests.gui.conftest import SyncRunner, write_library

    cards = "".join(f"## Card {i:03d}\nBack {i}.\n\n" for i in range(300))
    write_library(tmp_path / "data", {"many.md": "---\ntitle: Many\n---\n\n" + cards})
    with Collection.open(tmp_path / "data", seed=False, now=now) as col:
        window = BrowserWindow(SyncRunner(col), settings=settings, now=lambda: now)
        qtbot.addWidget(window)
        window.resize(900, 500)
        window.show()
        window.search("")
        qtbot.waitUntil(lambda: window.model.rowCount() == 300, timeout=2000)
        with qtbot.waitActive(window):
            window.activateWindow()  # the window's shortcuts need it active
        window.table.setFocus()
        qtbot.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(window.table, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
        ids = window.model.ids
        assert all(c.suspended for c in col.cards(ids))
        assert window.statusBar().currentMessage() == "Suspended 300 cards"
        assert sum(window.model.cached_row(str(i)) is not None for i in ids) < 300
        qtbot.keyClick(window.table, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
        assert not any(c.suspended for c in col.cards(ids))
        assert window.statusBar().currentMessage() == "Unsuspended 300 cards"
        col.suspend([ids[-1]])  # one suspended, far below the screen: suspend the rest
        qtbot.keyClick(window.table, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
        assert all(c.suspended for c in col.cards(ids))
        assert window.statusBar().currentMessage() == "Suspended 300 cards"
        window.close()
