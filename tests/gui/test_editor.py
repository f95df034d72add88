"""The deck editor on a real collection: load, highlight, preview off-thread, new
card template, link completion, save with history kept, changes on disk."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from flashcards.core.model import Rating
from flashcards.gui.editor import CloseChoice, ConflictChoice, DeckEditor
from flashcards.gui.editor.markdown_edit import NEW_CARD_TEMPLATE
from flashcards.gui.editor.preview_renderer import note_at, preview_html


@pytest.fixture
def editor(qtbot: Any, runner: Any) -> DeckEditor:
    window = DeckEditor(runner, key="tiny.md")
    window.ask_close = lambda: CloseChoice.DISCARD  # teardown must not block on a dialog
    qtbot.addWidget(window)
    window.show()
    window.load()
    return window


def deck_file(data_dir: Path) -> Path:
    return data_dir / "decks" / "tiny.md"


def line_of(editor: DeckEditor, text: str) -> int:
    lines = editor.edit.toPlainText().split("\n")
    return next(i for i, line in enumerate(lines) if text in line) + 1


def test_loads_the_file_and_previews_the_card_under_the_cursor(
    editor: DeckEditor, qtbot: Any
) -> None:
    assert "## Early stopping" in editor.edit.toPlainText()
    assert not editor.modified
    editor.go_to_line(line_of(editor, "## Early stopping"))
    qtbot.waitUntil(
        lambda: "validation loss stops improving" in editor.preview.toPlainText(), timeout=3000
    )
    assert "Metric for rare fraud" not in editor.preview.toPlainText()
    editor.whole.setChecked(True)
    qtbot.waitUntil(lambda: "Metric for rare fraud" in editor.preview.toPlainText(), timeout=3000)
    assert "Early stopping" in editor.preview.toPlainText()


def test_typing_updates_the_preview_after_a_pause(editor: DeckEditor, qtbot: Any) -> None:
    editor.go_to_line(line_of(editor, "Stop training when"))
    editor.edit.moveCursor(QTextCursor.MoveOperation.EndOfLine)
    qtbot.keyClicks(editor.edit, " Patience matters.")
    qtbot.waitUntil(lambda: "Patience matters" in editor.preview.toPlainText(), timeout=3000)
    assert editor.modified
    assert editor.windowTitle().startswith("•")


def test_preview_html_reports_parse_errors_and_finds_notes() -> None:
    page = preview_html("## A {#x #y}\nbody\n", key="d.md", line=1, whole=False, base_dir=None)
    assert "does not parse" in page
    from flashcards.core.parser import parse_deck

    notes = parse_deck("## A\na\n\n\n## B\nb\n", path="d.md").deck.notes
    assert note_at(notes, 3) is notes[0]
    assert note_at(notes, 6) is notes[1]


def test_highlighter_colours_headings_ids_and_fences(editor: DeckEditor) -> None:
    doc = editor.edit.document()
    block = doc.findBlockByNumber(line_of(editor, "## Early stopping") - 1)
    formats = block.layout().formats()
    assert formats and formats[0].format.fontWeight() > 400  # heading in bold
    fence = doc.findBlockByNumber(line_of(editor, "model.fit") - 1)
    assert fence.userState() == 1  # inside a code fence


def test_new_card_template_goes_after_the_current_card(editor: DeckEditor) -> None:
    editor.go_to_line(line_of(editor, "What is eta"))
    editor.edit.insert_new_card()
    text = editor.edit.toPlainText()
    assert NEW_CARD_TEMPLATE + "\n## Early stopping" in text
    assert editor.edit.textCursor().selectedText() == "New card"


def test_link_completion_from_card_titles(editor: DeckEditor, qtbot: Any) -> None:
    editor.edit.moveCursor(QTextCursor.MoveOperation.End)
    editor.edit.insertPlainText("\nSee ")
    qtbot.keyClicks(editor.edit, "[[early")
    assert editor.edit.link_prefix() == "early"
    assert editor.edit.completer.completionCount() >= 1
    editor.edit.insert_completion(editor.edit.completer.currentCompletion())
    assert editor.edit.toPlainText().endswith("See [[Early stopping]]")


def test_save_writes_ids_and_keeps_history(
    editor: DeckEditor, qtbot: Any, runner: Any, data_dir: Path, now: datetime
) -> None:
    col = runner.col
    eta = next(i for i in col.queue(now=now) if col.card(i).card.title.startswith("What is eta"))
    col.answer(eta, Rating.GOOD, now=now)
    editor.edit.moveCursor(QTextCursor.MoveOperation.End)
    editor.edit.insertPlainText("\n## Brand new card\nIts answer.\n")
    text = editor.edit.toPlainText().replace("The learning rate", "The step size")
    editor._replace_text(text)
    with qtbot.waitSignal(editor.saved, timeout=3000):
        editor.save_action.trigger()
    assert not editor.modified
    on_disk = deck_file(data_dir).read_text(encoding="utf-8")
    assert "The step size" in on_disk
    assert "## Brand new card {#" in on_disk
    assert "## Brand new card {#" in editor.edit.toPlainText()  # ids shown in the editor
    view = col.card(eta)
    assert "step size" in view.card.answer and view.reps == 1 and len(col.history(eta)) == 1


def test_external_change_reloads_an_unmodified_editor(
    editor: DeckEditor, qtbot: Any, data_dir: Path
) -> None:
    path = deck_file(data_dir)
    with qtbot.waitSignal(editor.changed, timeout=5000):
        path.write_text(
            path.read_text(encoding="utf-8") + "\n## From outside\nHello.\n", encoding="utf-8"
        )
    assert "From outside" in editor.edit.toPlainText()
    assert not editor.modified


@pytest.mark.parametrize("choice", list(ConflictChoice))
def test_external_change_while_editing_asks(
    editor: DeckEditor, qtbot: Any, data_dir: Path, choice: ConflictChoice
) -> None:
    asked: list[bool] = []

    def answer() -> ConflictChoice:
        asked.append(True)
        return choice

    editor.ask_conflict = answer
    editor.edit.moveCursor(QTextCursor.MoveOperation.End)
    editor.edit.insertPlainText("\n## Mine\nMy work.\n")
    path = deck_file(data_dir)
    outside = path.read_text(encoding="utf-8") + "\n## Theirs\nTheir work.\n"
    path.write_text(outside, encoding="utf-8")
    editor.check_disk(path.read_bytes())  # what the watcher does (timing-free)
    assert asked
    text = editor.edit.toPlainText()
    if choice is ConflictChoice.RELOAD:
        assert "Theirs" in text and "Mine" not in text and not editor.modified
        return
    assert "Mine" in text and editor.modified
    if choice is ConflictChoice.SHOW_BOTH:
        assert editor.others and "Theirs" in editor.others[0].toPlainText()
    with qtbot.waitSignal(editor.saved, timeout=3000):
        editor.save()  # the user saw both: saving now replaces the file knowingly
    assert "Mine" in path.read_text(encoding="utf-8")


def test_save_over_a_changed_file_asks_instead_of_overwriting(
    editor: DeckEditor, data_dir: Path
) -> None:
    editor.ask_conflict = lambda: ConflictChoice.RELOAD
    editor.watcher.removePaths(editor.watcher.files())  # only the save notices
    editor.edit.insertPlainText("x")
    path = deck_file(data_dir)
    path.write_text(path.read_text(encoding="utf-8") + "\n## Theirs\nT.\n", encoding="utf-8")
    editor.save()
    assert "Theirs" in editor.edit.toPlainText()
    assert "Theirs" in path.read_text(encoding="utf-8")


def test_close_with_unsaved_work_asks(editor: DeckEditor, qtbot: Any, data_dir: Path) -> None:
    editor.edit.moveCursor(QTextCursor.MoveOperation.End)
    editor.edit.insertPlainText("\n## Unsaved\nWork.\n")
    editor.ask_close = lambda: CloseChoice.CANCEL
    editor.close()
    assert editor.isVisible()
    editor.ask_close = lambda: CloseChoice.SAVE
    editor.close()
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=3000)
    assert "## Unsaved" in deck_file(data_dir).read_text(encoding="utf-8")


def test_bad_markdown_is_reported_and_not_written(
    editor: DeckEditor, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    before = deck_file(data_dir).read_bytes()
    editor.edit.moveCursor(QTextCursor.MoveOperation.End)
    editor.edit.insertPlainText("\n## Broken {#a #b}\nx\n")
    editor.save()
    assert warned and "two ids" in warned[0]
    assert deck_file(data_dir).read_bytes() == before
    assert editor.modified


_ = Qt
