"""A card editor's save that found the card's lines changed on disk since it opened (another
editor, a sync tool): nothing was written; the deck editor's question decides what stays.

Keep mine writes the editor's text over the lines on disk now; Reload from disk keeps the
file's version (the card on screen already shows it); Show both opens the editor again
with my text, unsaved, beside the version on disk (read-only), and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from flashcards.gui.editor.unsaved_questions import ConflictChoice
from flashcards.gui.review_models import EditConflict, NoteSource


def resolve_edit_conflict(
    view: Any,
    source: NoteSource | None,
    conflict: EditConflict,
    ask: Callable[[str], ConflictChoice],
) -> None:
    """Ask about `conflict` on `view` (a ReviewPage) and act on the answer."""
    editing = source if source is not None and source.note_id == conflict.note_id else None
    if not conflict.theirs:  # the card is gone from its file: keep the text in the editor
        view.show_message(
            f"This card is no longer in {conflict.deck} (deleted or renamed on disk); "
            "nothing was saved. Your text is still in the editor."
        )
        if editing is not None:
            reopen(view, replace(editing, text=conflict.mine, base=""))
        return
    choice = ask(f"This card in {conflict.deck}")
    if choice is ConflictChoice.RELOAD:
        view.show_message("Kept the card as it is on disk; your edit was not saved.")
    elif choice is ConflictChoice.KEEP_MINE or editing is None:
        view.controller.save_edit(conflict.note_id, conflict.mine, conflict.theirs)
    else:
        reopen(view, replace(editing, text=conflict.mine, base=conflict.theirs))
        view.disk_version = disk_version(view, editing.title, conflict.theirs)
        view.editor.raise_()  # typing goes on in the editor, the other window beside it
        view.editor.activateWindow()


def reopen(view: Any, source: NoteSource) -> None:
    """The card editor again on `source`, its text unsaved (closing it asks)."""
    view.show_editor(source)
    view.editor.edit.document().setModified(source.text != source.loaded)


def disk_version(parent: QWidget, title: str, text: str) -> QPlainTextEdit:
    """The card's lines as they are on disk, read-only, in a window of their own."""
    other = QPlainTextEdit()
    other.setWindowTitle(f"{title} — on disk (read-only)")
    other.setPlainText(text)
    other.setReadOnly(True)
    other.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    editor = getattr(parent, "editor", None)
    if editor is not None:
        other.setFont(editor.edit.font())
        frame = editor.frameGeometry()
        other.setGeometry(frame.x() + frame.width() // 2, frame.y() + 30, 560, frame.height())
    other.show()
    return other
