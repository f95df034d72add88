"""The main window driven by real keypresses, on a real collection in tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from flashcards.core.errors import FlashcardsError
from flashcards.core.model import CardKind, Flag, Rating
from flashcards.gui import dialogs
from flashcards.gui.deck_tree import Scope
from flashcards.gui.main_window import WELCOME_KEY, MainWindow
from flashcards.gui.review_models import ReviewState
from flashcards.gui.worker import CollectionWorker

# A modal warning would block a test for ever: every test here captures them.
pytestmark = pytest.mark.usefixtures("warnings")


def make_window(qtbot: QtBot, data_dir: Path, settings_file: Path, now: datetime) -> MainWindow:
    from flashcards.collection import Collection

    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    worker = CollectionWorker(lambda: Collection.open(data_dir, seed=False))
    window = MainWindow(worker, settings=settings, now=lambda: now)
    qtbot.addWidget(window)
    window.show()
    window.start(sync=False)
    qtbot.waitUntil(lambda: worker.pending == 0, timeout=10_000)
    return window


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime) -> Iterator[MainWindow]:
    settings_file = tmp_path / "settings.ini"
    QSettings(str(settings_file), QSettings.Format.IniFormat).setValue(WELCOME_KEY, True)
    win = make_window(qtbot, data_dir, settings_file, now)
    win.resize(1100, 720)
    yield win
    win.close()


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """QMessageBox.warning captured instead of blocking the test."""
    seen: list[str] = []
    monkeypatch.setattr(
        dialogs.QMessageBox, "warning", staticmethod(lambda parent, title, text: seen.append(text))
    )
    return seen


def ask(qtbot: QtBot, window: MainWindow, fn: Callable[[Any], Any]) -> Any:
    """Run `fn(collection)` on the window's worker and wait for the answer."""
    box: list[Any] = []
    window.worker.run(fn, success=box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return box[0]


def idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(
        lambda: window.worker.pending == 0 and window.controller.state is not ReviewState.LOADING,
        timeout=10_000,
    )


def key(
    qtbot: QtBot, window: MainWindow, k: Qt.Key, mods: Any = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(window.stack.currentWidget(), k, mods)
    idle(qtbot, window)


def current(window: MainWindow) -> Any:
    assert window.controller.screen is not None
    return window.controller.screen.loaded.view


def study(qtbot: QtBot, window: MainWindow, scope: Scope) -> None:
    window.sidebar.set_decks(window.home.today.decks if window.home.today else ())
    window.home.set_scope(scope)
    key(qtbot, window, Qt.Key.Key_Space)  # Space on the Today page studies
    assert window.stack.currentWidget() is window.review


def test_today_page_and_sidebar_show_counts(window: MainWindow) -> None:
    today = window.home.today
    assert today is not None and today.new == 5
    assert window.home.due_tile.value.text() == "5"
    counts = window.sidebar.deck_model.counts_of(Scope("All decks"))
    assert counts is not None and counts.new == 5
    assert window.sidebar.deck_model.counts_of(Scope("Modeling", domain="Modeling")).new == 4


def test_a_whole_session_with_the_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    study(qtbot, window, Scope("Tiny", deck="Tiny"))
    review = window.review
    first = current(window)
    assert "What is eta" in review.browser.toPlainText()
    assert review.rating_bar.currentIndex() == 0
    key(qtbot, window, Qt.Key.Key_Space)
    assert "learning rate" in review.browser.toPlainText()
    assert review.rating_bar.currentIndex() == 1
    assert review.rating_bar.buttons[Rating.EASY].interval_label.text().endswith("d")
    key(qtbot, window, Qt.Key.Key_1)  # Again
    second = current(window)
    assert second.id != first.id
    assert review.count_label.text().startswith("1 done")
    qtbot.waitUntil(
        lambda: window.sidebar.deck_model.counts_of(Scope("All decks")).learning == 1,
        timeout=5000,
    )

    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo
    assert current(window).id == first.id
    assert ask(qtbot, window, lambda col: col.history(first.id)) == []

    key(qtbot, window, Qt.Key.Key_E)  # edit
    qtbot.waitUntil(lambda: review.editor is not None and review.editor.isVisible())
    editor = review.editor
    assert "What is eta" in editor.edit.toPlainText()
    editor.edit.setPlainText(editor.edit.toPlainText().replace("learning rate", "shrinkage"))
    qtbot.keyClick(editor.edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    idle(qtbot, window)
    assert not editor.isVisible()
    assert current(window).id == first.id
    key(qtbot, window, Qt.Key.Key_Space)
    assert "shrinkage" in review.browser.toPlainText()

    key(qtbot, window, Qt.Key.Key_S, Qt.KeyboardModifier.ShiftModifier)  # suspend
    assert ask(qtbot, window, lambda col: col.card(first.id).suspended)
    assert current(window).id != first.id

    flagged = current(window).id
    key(qtbot, window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert ask(qtbot, window, lambda col: col.card(flagged).flag) is Flag.ORANGE
    assert review.flag_label.text() != ""

    while window.controller.state is ReviewState.QUESTION:
        if current(window).card.kind is CardKind.CHOICE:
            key(qtbot, window, Qt.Key.Key_B)
        key(qtbot, window, Qt.Key.Key_Space)
        key(qtbot, window, Qt.Key.Key_4)
    assert window.controller.state is ReviewState.SUMMARY
    assert review.pages.currentWidget() is review.summary_page
    assert review.summary_page.cards_tile.value.text() == "3"
    qtbot.waitUntil(lambda: review.summary_page.next_due.text().startswith("Next card due"))
    key(qtbot, window, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.home


def test_cloze_shows_a_blank_then_the_filled_text(qtbot: QtBot, window: MainWindow) -> None:
    study(qtbot, window, Scope("Tiny", deck="Tiny"))
    while current(window).card.kind is not CardKind.CLOZE:
        key(qtbot, window, Qt.Key.Key_Space)
        key(qtbot, window, Qt.Key.Key_4)
    text = window.review.browser.toPlainText()
    assert "Precision" in text and "TP / (TP + FP)" not in text
    key(qtbot, window, Qt.Key.Key_Return)
    assert "TP / (TP + FP)" in window.review.browser.toPlainText()


def test_multiple_choice_by_keys(qtbot: QtBot, window: MainWindow) -> None:
    study(qtbot, window, Scope("Tiny", deck="Tiny"))
    while current(window).card.kind is not CardKind.CHOICE:
        key(qtbot, window, Qt.Key.Key_Space)
        key(qtbot, window, Qt.Key.Key_4)
    card_id = current(window).id
    key(qtbot, window, Qt.Key.Key_A)
    key(qtbot, window, Qt.Key.Key_A)  # toggled off again
    # The options are shuffled: press the letter "Mean squared error" (a wrong one) shows at.
    wrong = window.controller.screen.loaded.order.index(2)
    key(qtbot, window, Qt.Key(int(Qt.Key.Key_A) + wrong))
    assert window.controller.screen.selected == frozenset({2})
    key(qtbot, window, Qt.Key.Key_Space)  # check
    review = window.review
    assert review.verdict.isVisible() and "Not quite" in review.verdict.text()
    again = review.rating_bar.buttons[Rating.AGAIN]
    assert again.property("suggested") == "true"
    assert review.rating_bar.buttons[Rating.GOOD].property("suggested") == "false"
    key(qtbot, window, Qt.Key.Key_Enter)  # confirms the suggested Again
    history = ask(qtbot, window, lambda col: col.history(card_id))
    assert [h.rating for h in history] == [Rating.AGAIN]


def test_multiple_choice_by_mouse_right_answer(qtbot: QtBot, window: MainWindow) -> None:
    study(qtbot, window, Scope("Tiny", deck="Tiny"))
    while current(window).card.kind is not CardKind.CHOICE:
        key(qtbot, window, Qt.Key.Key_Space)
        key(qtbot, window, Qt.Key.Key_4)
    card_id = current(window).id
    browser = window.review.browser
    option = browser.document().find("Area under the precision-recall curve")
    assert not option.isNull()
    qtbot.mouseClick(
        browser.viewport(), Qt.MouseButton.LeftButton, pos=browser.cursorRect(option).center()
    )
    assert window.controller.screen.selected == frozenset({1})
    qtbot.mouseClick(window.review.rating_bar.show_answer_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert "Correct" in window.review.verdict.text()
    easy = window.review.rating_bar.buttons[Rating.EASY]
    qtbot.mouseClick(easy, Qt.MouseButton.LeftButton)  # the user may pick another rating
    idle(qtbot, window)
    history = ask(qtbot, window, lambda col: col.history(card_id))
    assert [h.rating for h in history] == [Rating.EASY]


def test_a_link_opens_the_related_panel(qtbot: QtBot, window: MainWindow) -> None:
    study(qtbot, window, Scope("Tiny", deck="Tiny"))
    key(qtbot, window, Qt.Key.Key_Space)
    browser = window.review.browser
    found = browser.document().find("Early stopping")
    assert not found.isNull()
    browser.setTextCursor(found)
    point = browser.cursorRect(found).center()
    point.setX(point.x() - 10)
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: window.related.isVisible(), timeout=5000)
    panel = window.related
    assert panel.title.text() == "Early stopping"
    items = [panel.backlinks.item(i).text() for i in range(panel.backlinks.count())]
    assert any("Data Engineering" in t for t in items)
    assert any("Modeling" in t for t in items)


def test_an_empty_deck_says_nothing_is_due(
    qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime
) -> None:
    (data_dir / "decks" / "empty.md").write_text(
        "---\ntitle: Empty\n---\n\nNo cards yet.\n", encoding="utf-8"
    )
    window = make_window(qtbot, data_dir, tmp_path / "s.ini", now)
    names = [d.name for d in window.home.today.decks]
    assert "Empty" in names
    study(qtbot, window, Scope("Empty", deck="Empty"))
    assert window.controller.state is ReviewState.SUMMARY
    summary = window.review.summary_page
    assert summary.title.text() == "Nothing is due"
    assert not summary.cards_tile.isVisible()
    key(qtbot, window, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.home
    window.close()


def test_a_flashcards_error_is_a_message_and_the_app_goes_on(
    qtbot: QtBot, window: MainWindow, warnings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from flashcards.collection import Collection

    study(qtbot, window, Scope("Tiny", deck="Tiny"))
    key(qtbot, window, Qt.Key.Key_Space)
    card_id = current(window).id

    def full(*args: Any, **kwargs: Any) -> Any:
        raise FlashcardsError("cannot write the collection: disk full")

    original = Collection.answer
    monkeypatch.setattr(Collection, "answer", full)
    key(qtbot, window, Qt.Key.Key_3)
    assert warnings == ["cannot write the collection: disk full"]
    assert window.controller.state is ReviewState.ANSWER
    assert current(window).id == card_id
    monkeypatch.setattr(Collection, "answer", original)
    key(qtbot, window, Qt.Key.Key_3)
    assert current(window).id != card_id
    assert len(ask(qtbot, window, lambda col: col.history(card_id))) == 1


def test_an_unexpected_error_is_a_bug_report_with_the_traceback(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flashcards.collection import Collection

    study(qtbot, window, Scope("Tiny", deck="Tiny"))

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(Collection, "suspend", broken)
    key(qtbot, window, Qt.Key.Key_S, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: bool(window.errors.open_dialogs))
    report = window.errors.open_dialogs[0]
    assert "ZeroDivisionError: a bug" in report.details.toPlainText()
    report.copy_details()
    assert "ZeroDivisionError" in QApplication.clipboard().text()
    report.close()
    assert window.controller.state is ReviewState.QUESTION


def test_layout_is_remembered(qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime) -> None:
    settings_file = tmp_path / "layout.ini"
    first = make_window(qtbot, data_dir, settings_file, now)
    first.resize(first.minimumSizeHint().width() + 10, 540)  # inside the offscreen screen
    first.splitter.setSizes([200, 700, 0])
    sizes = first.splitter.sizes()
    size = (first.width(), first.height())
    assert size != (1180, 760)  # not the default
    first.close()
    second = make_window(qtbot, data_dir, settings_file, now)
    assert (second.width(), second.height()) == size
    assert second.splitter.sizes()[0] == sizes[0]
    second.close()


def test_welcome_is_shown_once(qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime) -> None:
    settings_file = tmp_path / "welcome.ini"
    first = make_window(qtbot, data_dir, settings_file, now)
    first.show_welcome_once()
    dialogs_open = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, dialogs.WelcomeDialog)
    ]
    assert dialogs_open and dialogs_open[0].isVisible()
    assert "Ctrl+Z" in dialogs.welcome_html("")
    dialogs_open[0].accept()
    first.close()
    second = make_window(qtbot, data_dir, settings_file, now)
    second.show_welcome_once()
    assert not any(
        isinstance(w, dialogs.WelcomeDialog) and w.isVisible()
        for w in QApplication.topLevelWidgets()
    )
    second.close()


def test_file_import_and_add_folder(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flashcards.gui import file_actions

    deck = tmp_path / "extra.md"
    deck.write_text("---\ntitle: Extra\n---\n\n## Imported card\nIts answer.\n", encoding="utf-8")
    monkeypatch.setattr(
        file_actions.QFileDialog, "getOpenFileNames", staticmethod(lambda *a: ([str(deck)], ""))
    )
    file_actions.import_files(window)
    qtbot.waitUntil(
        lambda: (
            window.home.today is not None and "Extra" in [d.name for d in window.home.today.decks]
        ),
        timeout=10_000,
    )
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "more.md").write_text("## Outside card\nAnswer.\n", encoding="utf-8")
    monkeypatch.setattr(
        file_actions.QFileDialog, "getExistingDirectory", staticmethod(lambda *a: str(folder))
    )
    file_actions.add_folder(window)
    qtbot.waitUntil(
        lambda: window.home.today is not None and window.home.today.new == 7, timeout=10_000
    )
    assert window.sidebar.deck_model.counts_of(Scope("All decks")).new == 7


def test_window_shortcuts_still_work_while_reviewing(qtbot: QtBot, window: MainWindow) -> None:
    study(qtbot, window, Scope("Tiny", deck="Tiny"))
    window.activateWindow()
    review = window.review
    assert review._is_review_key(  # noqa: SLF001 - the routing rule itself
        QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_3, Qt.KeyboardModifier.NoModifier)
    )
    assert not review._is_review_key(  # noqa: SLF001
        QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    )
    assert not review._is_review_key(  # noqa: SLF001
        QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier)
    )


def test_today_says_when_the_next_card_is_due_once_all_is_done(
    qtbot: QtBot, window: MainWindow
) -> None:
    study(qtbot, window, Scope("All decks"))
    while window.controller.state is ReviewState.QUESTION:
        key(qtbot, window, Qt.Key.Key_Space)
        key(qtbot, window, Qt.Key.Key_4)
    key(qtbot, window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: "next card due" in window.home.study_hint.text(), timeout=10_000)
    assert window.home.due_tile.value.text() == "0"


def test_tools_are_in_the_go_menu(qtbot: QtBot, window: MainWindow) -> None:
    from flashcards.gui.app import install_tools

    install_tools(window)
    actions = {a.text().replace("&", ""): a for a in window.go_menu.actions()}
    assert "Concept map" in actions
    assert "Browse cards…" in actions
    actions["Concept map"].trigger()
    from flashcards.gui.concept_map import ConceptMapWindow

    qtbot.waitUntil(lambda: window.findChild(ConceptMapWindow) is not None, timeout=10_000)
    map_window = window.findChild(ConceptMapWindow)
    assert map_window is not None and map_window.isVisible()
    qtbot.waitUntil(lambda: window.worker.pending == 0, timeout=20_000)
    map_window.close()


MORE_MODELING = """\
---
title: More
domain: Modeling
---

## Bias
Error from wrong assumptions.

## Variance
Error from sensitivity to the training set.
"""


def test_a_domain_row_and_its_session_keep_the_days_new_card_limit(
    qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime
) -> None:
    from dataclasses import replace

    from flashcards.collection import Collection

    (data_dir / "decks" / "more.md").write_text(MORE_MODELING, encoding="utf-8")
    with Collection.open(data_dir, seed=False) as col:
        col.save_preset(replace(col.presets()[1], new_per_day=3), preset_id=1)
    settings_file = tmp_path / "settings.ini"
    QSettings(str(settings_file), QSettings.Format.IniFormat).setValue(WELCOME_KEY, True)
    window = make_window(qtbot, data_dir, settings_file, now)
    model = window.sidebar.deck_model
    modeling = Scope("Modeling", domain="Modeling")
    # Tiny holds 4 new cards (3 today), More 2: the domain offers 3, not 3 + 2.
    assert model.counts_of(Scope("Tiny", deck="Tiny")).new == 3
    assert model.counts_of(modeling).new == 3
    study(qtbot, window, modeling)
    shown = set()
    while window.controller.state is ReviewState.QUESTION and len(shown) < 10:
        shown.add(current(window).id)
        key(qtbot, window, Qt.Key.Key_Space)  # show the answer
        key(qtbot, window, Qt.Key.Key_4)  # Easy: no card comes back today
    assert len(shown) == 3
    qtbot.waitUntil(lambda: model.counts_of(modeling).new == 0, timeout=5000)
    window.close()
