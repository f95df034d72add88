"""The deck editor while a save is on the worker (typing goes on), after the file was
deleted on disk, and the `[[` titles after a save; real collection, real keypresses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from flashcards.gui.editor import CloseChoice, ConflictChoice, DeckEditor
from flashcards.gui.editor.written_back import LineEdit, written_back


class HeldRunner:
    """Runs collection functions only on `release`: a save still on the worker."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.held: list[tuple[Callable[[Any], Any], dict[str, Any]]] = []

    def default_failure(self, failure: Any) -> None:
        self.inner.default_failure(failure)

    def run(self, fn: Callable[[Any], Any], **kwargs: Any) -> None:
        self.held.append((fn, kwargs))

    def release(self) -> None:
        while self.held:
            fn, kwargs = self.held.pop(0)
            self.inner.run(fn, **kwargs)


@pytest.fixture
def held(runner: Any) -> HeldRunner:
    return HeldRunner(runner)


@pytest.fixture
def editor(qtbot: Any, held: HeldRunner) -> DeckEditor:
    window = DeckEditor(held, key="tiny.md")
    window.ask_close = lambda: CloseChoice.DISCARD  # teardown must not block on a dialog
    qtbot.addWidget(window)
    window.show()
    window.load()
    held.release()
    window.watcher.removePaths(window.watcher.files())  # timing-free: the tests call it
    return window


def deck_file(data_dir: Path) -> Path:
    return data_dir / "decks" / "tiny.md"


def type_at_end(qtbot: Any, editor: DeckEditor, text: str) -> None:
    editor.edit.moveCursor(QTextCursor.MoveOperation.End)
    for number, line in enumerate(text.split("\n")):
        if number:
            qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
        qtbot.keyClicks(editor.edit, line)


def test_text_typed_while_saving_stays_with_the_ids_written_back(
    editor: DeckEditor, qtbot: Any, held: HeldRunner, data_dir: Path
) -> None:
    type_at_end(qtbot, editor, "\n## Brand new card\nIts answer.")
    editor.save()  # Ctrl+S: the save waits on the worker while the user types on
    type_at_end(qtbot, editor, " Typed after Ctrl+S.")
    held.release()
    text = editor.edit.toPlainText()
    assert text.endswith("Its answer. Typed after Ctrl+S.")
    on_disk = deck_file(data_dir).read_text(encoding="utf-8")
    assert on_disk.endswith("\nIts answer.") and "Typed after" not in on_disk
    heading = next(line for line in on_disk.split("\n") if line.startswith("## Brand new"))
    assert heading.endswith("}") and heading in text.split("\n")  # its id, merged
    assert editor.modified and editor.windowTitle().startswith("•")
    assert "not saved yet" in editor.status.text()
    asked: list[bool] = []
    editor.ask_close = lambda: asked.append(True) or CloseChoice.CANCEL  # type: ignore[func-returns-value]
    editor.close()
    assert asked and editor.isVisible()
    editor.save()
    held.release()
    on_disk = deck_file(data_dir).read_text(encoding="utf-8")
    assert heading in on_disk.split("\n") and "Typed after Ctrl+S." in on_disk
    assert not editor.modified


def test_a_heading_edited_while_saving_keeps_the_users_version(
    editor: DeckEditor, qtbot: Any, held: HeldRunner
) -> None:
    type_at_end(qtbot, editor, "\n## Brand new card\nIts answer.")
    editor.save()
    editor.edit.moveCursor(QTextCursor.MoveOperation.End)
    editor.edit.moveCursor(QTextCursor.MoveOperation.Up)
    editor.edit.moveCursor(QTextCursor.MoveOperation.EndOfLine)
    qtbot.keyClicks(editor.edit, "s")
    held.release()
    assert "\n## Brand new cards\nIts answer." in editor.edit.toPlainText()
    assert editor.modified


def test_closing_with_save_while_typing_on_keeps_the_window(
    editor: DeckEditor, qtbot: Any, held: HeldRunner, data_dir: Path
) -> None:
    type_at_end(qtbot, editor, "\nFirst.")
    editor.ask_close = lambda: CloseChoice.SAVE
    editor.close()  # saves, then would close
    type_at_end(qtbot, editor, " Second.")
    held.release()
    qtbot.wait(20)
    assert editor.isVisible() and editor.modified
    assert "First." in deck_file(data_dir).read_text(encoding="utf-8")
    editor.ask_close = lambda: CloseChoice.SAVE
    editor.close()
    held.release()
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=3000)
    assert "First. Second." in deck_file(data_dir).read_text(encoding="utf-8")


def test_save_writes_a_deleted_file_again_without_asking(
    editor: DeckEditor, qtbot: Any, held: HeldRunner, data_dir: Path
) -> None:
    asked: list[bool] = []
    editor.ask_conflict = lambda: asked.append(True) or ConflictChoice.RELOAD  # type: ignore[func-returns-value]
    path = deck_file(data_dir)
    path.unlink()
    editor._file_changed(str(path))  # what the watcher does
    assert "Save writes it again" in editor.status.text()
    type_at_end(qtbot, editor, "\nEdit.")
    editor.save()
    held.release()
    assert not asked
    assert path.read_text(encoding="utf-8").endswith("Edit.")
    assert "## Early stopping" in editor.edit.toPlainText() and not editor.modified


def test_titles_saved_are_offered_for_links(
    editor: DeckEditor, qtbot: Any, held: HeldRunner
) -> None:
    type_at_end(qtbot, editor, "\n## Gradient clipping\nCap the norm.\n")
    editor.save()
    held.release()
    type_at_end(qtbot, editor, "\nSee [[gradient")
    assert editor.edit.completer.completionCount() == 1
    assert editor.edit.completer.currentCompletion() == "Gradient clipping"


def test_written_back_places_ids_in_text_typed_since() -> None:
    sent = "## A\na\n\n## B\nb"
    saved = "## A {#aaaaaa}\na\n\n## B {#bbbbbb}\nb"
    current = "Top line.\n## A\na\n\n## B changed\nb and more"
    assert written_back(sent, saved, current) == [LineEdit(1, 4, 4, " {#aaaaaa}")]
    assert written_back(sent, saved, sent) == [
        LineEdit(3, 4, 4, " {#bbbbbb}"),
        LineEdit(0, 4, 4, " {#aaaaaa}"),
    ]
    assert written_back(sent, sent, current) == []
    assert written_back(sent, saved + "\nextra", current) is None
