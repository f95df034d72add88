"""Preferences: theme and card text size live, presets saved on a real collection.

Real window, real worker, real collection in tmp_path, real key presses and clicks; the
app-wide theme is put back after every test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QRadioButton, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from flashcards.core.card_look import DARK_CODE_BACKGROUND
from flashcards.core.queue_order import NewGather, NewSort
from flashcards.core.render_theme import BODY_SIZE_PT, CODE_BACKGROUND
from flashcards.gui import appearance
from flashcards.gui.deck_tree import Scope
from flashcards.gui.main_window import WELCOME_KEY, MainWindow
from flashcards.gui.preferences import PreferencesDialog
from flashcards.gui.review_models import ReviewState
from flashcards.gui.theme import apply_theme, is_dark
from flashcards.gui.worker import CollectionWorker

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def app_look(qapp: QApplication) -> Iterator[None]:
    """Start light; afterwards put the app's palette and style sheet back."""
    palette, sheet = QPalette(qapp.palette()), qapp.styleSheet()
    apply_theme(qapp, scheme="light")
    yield
    qapp.setProperty("flashcardsTheme", None)
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)


def make_window(qtbot: QtBot, data_dir: Path, settings_file: Path, now: datetime) -> MainWindow:
    from flashcards.collection import Collection

    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    settings.setValue(WELCOME_KEY, True)
    worker = CollectionWorker(lambda: Collection.open(data_dir, seed=False))
    window = MainWindow(worker, settings=settings, now=lambda: now)
    qtbot.addWidget(window)
    window.resize(1100, 720)
    window.show()
    window.start(sync=False)
    qtbot.waitUntil(lambda: worker.pending == 0 and window.home.today is not None, timeout=10_000)
    return window


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime) -> Iterator[MainWindow]:
    win = make_window(qtbot, data_dir, tmp_path / "settings.ini", now)
    yield win
    win.close()


def idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(
        lambda: window.worker.pending == 0 and window.controller.state is not ReviewState.LOADING,
        timeout=10_000,
    )


def ask(qtbot: QtBot, window: MainWindow, fn: Callable[[Any], Any]) -> Any:
    box: list[Any] = []
    window.worker.run(fn, success=box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return box[0]


def press(qtbot: QtBot, window: MainWindow, key: Qt.Key, mods: Any = None) -> None:
    qtbot.keyClick(window.stack.currentWidget(), key, mods or Qt.KeyboardModifier.NoModifier)
    idle(qtbot, window)


def study_until(qtbot: QtBot, window: MainWindow, title: str) -> None:
    """Study Tiny and answer Good until the card called `title` shows its answer."""
    window.home.set_scope(Scope("Tiny", deck="Tiny"))
    press(qtbot, window, Qt.Key.Key_Space)
    for _ in range(10):
        screen = window.controller.screen
        assert screen is not None
        if screen.loaded.view.card.title == title:
            press(qtbot, window, Qt.Key.Key_Space)  # show the answer
            return
        press(qtbot, window, Qt.Key.Key_Space)
        press(qtbot, window, Qt.Key.Key_3)
    raise AssertionError(f"no card called {title!r}")


def open_dialog(qtbot: QtBot, window: MainWindow) -> PreferencesDialog:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.stack.currentWidget(), Qt.Key.Key_Comma, CTRL)  # Ctrl+,
    dialog = window.findChild(PreferencesDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=10_000)  # the collection's values
    return dialog


def save(qtbot: QtBot, window: MainWindow, dialog: PreferencesDialog) -> None:
    with qtbot.waitSignal(dialog.finished, timeout=10_000):  # closed (and deleted)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)


def body_size(window: MainWindow, words: str) -> float:
    """The point size the card browser shows `words` at."""
    block = window.review.browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if words in fragment.text():
                return float(fragment.charFormat().fontPointSize())
            it += 1
        block = block.next()
    raise AssertionError(f"{words!r} is not on the card")


def test_the_theme_switches_live_and_the_card_is_shown_dark(
    qtbot: QtBot, window: MainWindow, qapp: QApplication
) -> None:
    study_until(qtbot, window, "Early stopping")  # a card with a code block
    html = window.review.browser.toHtml()
    assert CODE_BACKGROUND in html and DARK_CODE_BACKGROUND not in html
    assert not is_dark(window.review.browser.palette())

    dialog = open_dialog(qtbot, window)
    dark = dialog.appearance_tab.findChild(QRadioButton, "theme_dark")
    assert dark is not None
    qtbot.mouseClick(dark, Qt.MouseButton.LeftButton)

    # At once, before Save: the palette, the card's code block, the review still there.
    assert is_dark(qapp.palette()) and is_dark(window.review.browser.palette())
    html = window.review.browser.toHtml()
    assert DARK_CODE_BACKGROUND in html and CODE_BACKGROUND not in html
    assert "early_stopping_rounds" in window.review.browser.toPlainText()
    assert DARK_CODE_BACKGROUND in dialog.appearance_tab.sample.toHtml()
    save(qtbot, window, dialog)
    assert window.settings.value(appearance.THEME_KEY) == "dark"
    assert window.controller.state is ReviewState.ANSWER  # the session went on

    # Back to light: the same card, light again.
    window.appearance.set_theme("light")
    assert not is_dark(qapp.palette())
    assert CODE_BACKGROUND in window.review.browser.toHtml()


def test_cancel_takes_a_previewed_theme_back(qtbot: QtBot, window: MainWindow, qapp) -> None:
    dialog = open_dialog(qtbot, window)
    dark = dialog.appearance_tab.findChild(QRadioButton, "theme_dark")
    qtbot.mouseClick(dark, Qt.MouseButton.LeftButton)
    assert is_dark(qapp.palette())
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not is_dark(qapp.palette())
    assert window.settings.value(appearance.THEME_KEY) is None  # nothing remembered


def test_saved_theme_is_what_start_up_applies(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    assert appearance.saved_theme(settings) == "system"
    settings.setValue(appearance.THEME_KEY, "dark")
    assert appearance.saved_theme(settings) == "dark"
    settings.setValue(appearance.THEME_KEY, "purple")  # a hand-edited file
    assert appearance.saved_theme(settings) == "system"


def test_text_size_changes_the_card_font_and_is_remembered(
    qtbot: QtBot, window: MainWindow, data_dir: Path, tmp_path: Path, now: datetime
) -> None:
    study_until(qtbot, window, "What is eta in XGBoost?")
    assert body_size(window, "learning rate") == BODY_SIZE_PT
    dialog = open_dialog(qtbot, window)
    spin = dialog.appearance_tab.text_size
    assert spin.value() == 100
    spin.selectAll()
    qtbot.keyClicks(spin, "150")
    assert body_size(window, "learning rate") == BODY_SIZE_PT * 1.5  # live
    save(qtbot, window, dialog)
    assert appearance.saved_text_size(window.settings) == 150
    window.close()

    again = make_window(qtbot, data_dir, tmp_path / "settings.ini", now)
    study_until(qtbot, again, "What is eta in XGBoost?")
    assert body_size(again, "learning rate") == BODY_SIZE_PT * 1.5
    again.close()


def test_ctrl_equal_and_minus_in_the_review_resize_the_card_text(
    qtbot: QtBot, window: MainWindow
) -> None:
    study_until(qtbot, window, "What is eta in XGBoost?")
    window.activateWindow()
    press(qtbot, window, Qt.Key.Key_Equal, CTRL)
    assert window.appearance.text_size == 110
    assert body_size(window, "learning rate") == pytest.approx(BODY_SIZE_PT * 1.1)
    press(qtbot, window, Qt.Key.Key_Equal, CTRL)
    assert body_size(window, "learning rate") == pytest.approx(BODY_SIZE_PT * 1.2)
    press(qtbot, window, Qt.Key.Key_Minus, CTRL)
    assert window.appearance.text_size == 110
    assert appearance.saved_text_size(window.settings) == 110
    press(qtbot, window, Qt.Key.Key_0, CTRL)  # still "clear the flag", not a size key
    assert window.appearance.text_size == 110
    assert window.controller.state is ReviewState.ANSWER
    dialog = open_dialog(qtbot, window)
    assert dialog.appearance_tab.text_size.value() == 110  # the dialog shows the same


def deck_item(dialog: PreferencesDialog, title: str) -> QTreeWidgetItem:
    items = dialog.scheduling.deck_list.findItems(
        title, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive
    )
    assert len(items) == 1
    return items[0]


def type_into(qtbot: QtBot, widget: Any, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    qtbot.keyClicks(widget, text)


def test_a_new_preset_is_saved_with_its_values_and_decks(qtbot: QtBot, window: MainWindow) -> None:
    from flashcards.gui.deck_tree import Scope as S

    assert window.sidebar.deck_model.counts_of(S("Tiny", deck="Tiny")).new == 4
    dialog = open_dialog(qtbot, window)
    dialog.tabs.setCurrentWidget(dialog.scheduling)
    options = dialog.scheduling
    options.ask_name = lambda title, default: "Exam cram"
    qtbot.mouseClick(options.buttons["Add"], Qt.MouseButton.LeftButton)
    assert options.chooser.currentText() == "Exam cram"
    form = options.form
    type_into(qtbot, form.field("new_per_day").widget, "2")
    type_into(qtbot, form.field("learning_steps").widget, "2m 15m 1h")
    type_into(qtbot, form.field("relearning_steps").widget, "")
    type_into(qtbot, form.field("desired_retention").widget, "0.85")
    type_into(qtbot, form.field("maximum_interval").widget, "180")
    for attr in ("new_gather", "new_sort"):  # the last choice of each: random
        combo = form.field(attr).widget
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_End)
    assert form.field("new_gather").widget.currentText() == "Random cards"
    assert form.field("new_gather").widget.itemData(0, Qt.ItemDataRole.ToolTipRole)
    item = deck_item(dialog, "Tiny")
    assert item.checkState(0) == Qt.CheckState.Unchecked and item.text(1) == "Default"
    item.setCheckState(0, Qt.CheckState.Checked)
    assert options.usage.text() == "Used by 1 of 2 decks"
    # The Default preset keeps its values; the rollover hour is the collection's.
    type_into(qtbot, dialog.review_tab.rollover, "5")
    save(qtbot, window, dialog)

    presets = ask(qtbot, window, lambda col: col.presets())
    cram_id, cram = next((i, p) for i, p in presets.items() if p.name == "Exam cram")
    assert cram.new_per_day == 2
    assert cram.learning_steps == (
        timedelta(minutes=2),
        timedelta(minutes=15),
        timedelta(hours=1),
    )
    assert cram.relearning_steps == ()
    assert cram.desired_retention == 0.85 and cram.maximum_interval == 180
    assert (cram.new_gather, cram.new_sort) == (NewGather.RANDOM, NewSort.RANDOM)
    assert presets[1].new_per_day == 20 and presets[1].learning_steps == (
        timedelta(minutes=1),
        timedelta(minutes=10),
    )
    decks = {d.key: d.preset_id for d in ask(qtbot, window, lambda col: col.deck_presets())}
    assert decks == {"tiny.md": cram_id, "data.md": 1}
    assert ask(qtbot, window, lambda col: col.setting("rollover_hour")) == 5
    # The sidebar counted again: Tiny now brings 2 new cards a day.
    qtbot.waitUntil(
        lambda: window.sidebar.deck_model.counts_of(S("Tiny", deck="Tiny")).new == 2,
        timeout=5000,
    )


def test_bad_steps_are_refused_with_a_message_and_nothing_is_saved(
    qtbot: QtBot, window: MainWindow
) -> None:
    before = ask(qtbot, window, lambda col: col.presets())
    dialog = open_dialog(qtbot, window)
    dialog.tabs.setCurrentWidget(dialog.appearance_tab)
    steps = dialog.scheduling.form.field("learning_steps").widget
    type_into(qtbot, steps, "1m 10x")
    type_into(qtbot, dialog.scheduling.form.field("new_per_day").widget, "7")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.tabs.currentWidget() is dialog.scheduling  # shown where the mistake is
    message = dialog.scheduling.error.text()
    assert dialog.scheduling.error.isVisible()
    assert "Learning steps" in message and "“10x” is not a step" in message
    assert ask(qtbot, window, lambda col: col.presets()) == before
    type_into(qtbot, steps, "1m 10m 1d")
    save(qtbot, window, dialog)
    after = ask(qtbot, window, lambda col: col.presets())
    assert after[1].learning_steps[-1] == timedelta(days=1) and after[1].new_per_day == 7


def test_clone_rename_and_delete_presets(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_dialog(qtbot, window)
    options = dialog.scheduling
    names = iter(["Cram", "Cram", "Weekend", ""])
    options.ask_name = lambda title, default: next(names)
    qtbot.mouseClick(options.buttons["Clone"], Qt.MouseButton.LeftButton)  # Default → Cram
    assert options.chooser.currentText() == "Cram"
    qtbot.mouseClick(options.buttons["Clone"], Qt.MouseButton.LeftButton)  # Cram again: taken
    assert "already a preset called “Cram”" in options.error.text()
    assert options.chooser.count() == 2
    qtbot.mouseClick(options.buttons["Rename"], Qt.MouseButton.LeftButton)  # → Weekend
    assert options.chooser.currentText() == "Weekend"
    qtbot.mouseClick(options.buttons["Rename"], Qt.MouseButton.LeftButton)  # empty: refused
    assert "needs a name" in options.error.text()
    deck_item(dialog, "Data").setCheckState(0, Qt.CheckState.Checked)
    save(qtbot, window, dialog)
    presets = ask(qtbot, window, lambda col: col.presets())
    assert sorted(p.name for p in presets.values()) == ["Default", "Weekend"]

    dialog = open_dialog(qtbot, window)
    options = dialog.scheduling
    options.chooser.setCurrentIndex(options.chooser.findText("Weekend"))
    assert deck_item(dialog, "Data").checkState(0) == Qt.CheckState.Checked
    assert deck_item(dialog, "Tiny").checkState(0) != Qt.CheckState.Checked
    qtbot.mouseClick(options.buttons["Delete"], Qt.MouseButton.LeftButton)
    assert options.chooser.currentText() == "Default"
    assert not options.buttons["Delete"].isEnabled()  # Default stays
    save(qtbot, window, dialog)
    assert [p.name for p in ask(qtbot, window, lambda col: col.presets()).values()] == ["Default"]
    assert {d.preset_id for d in ask(qtbot, window, lambda col: col.deck_presets())} == {1}


def test_open_tool_windows_follow_a_theme_switch(qtbot: QtBot, runner: Any, qapp) -> None:
    from flashcards.gui.concept_map.map_scene import MapScene
    from flashcards.gui.editor import CloseChoice, DeckEditor

    editor = DeckEditor(runner, key="tiny.md")
    editor.ask_close = lambda: CloseChoice.DISCARD
    qtbot.addWidget(editor)
    editor.show()
    editor.load()
    editor.whole.setChecked(True)
    qtbot.waitUntil(lambda: "early_stopping_rounds" in editor.preview.toPlainText(), timeout=5000)
    assert CODE_BACKGROUND in editor.preview.toHtml() and not editor.highlighter.dark
    scene = MapScene()
    light_background = scene.backgroundBrush().color()

    apply_theme(qapp, scheme="dark")  # what Preferences ▸ Appearance ▸ Dark does
    assert DARK_CODE_BACKGROUND in editor.preview.toHtml()
    assert editor.highlighter.dark
    assert scene.backgroundBrush().color().lightness() < 64 < light_background.lightness()
    apply_theme(qapp, scheme="light")
    assert CODE_BACKGROUND in editor.preview.toHtml() and not editor.highlighter.dark
    assert scene.backgroundBrush().color() == light_background


def test_follow_the_system_after_dark_is_the_systems_scheme_again(
    window: MainWindow, qapp: QApplication
) -> None:
    window.appearance.set_theme("dark")
    assert is_dark(qapp.palette()) and window.appearance.theme == "dark"
    window.appearance.set_theme("system")  # the offscreen platform's scheme is light
    assert not is_dark(qapp.palette()) and window.appearance.theme == "system"
    assert window.settings.value(appearance.THEME_KEY) == "system"


def test_cancel_with_unsaved_scheduling_changes_asks_first(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = open_dialog(qtbot, window)
    answers = iter([False, True])
    asked: list[bool] = []
    dialog.ask_discard = lambda: asked.append(True) or next(answers)
    type_into(qtbot, dialog.scheduling.form.field("new_per_day").widget, "55")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # "keep editing"
    assert dialog.isVisible() and len(asked) == 1
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # "discard"
    assert len(asked) == 2
    assert ask(qtbot, window, lambda col: col.presets()[1].new_per_day) == 20
