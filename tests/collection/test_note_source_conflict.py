"""The card editor's save (update_note_source) never overwrites lines changed on disk
since the editor read them: as the deck editor's save, it raises a DeckChangedError."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashcards.collection.editing import DeckChangedError
from flashcards.core.errors import FlashcardsError, NoteChangedError

DECK = "---\ntitle: A\n---\n## First {#frst01}\n1\n\n## Second {#scnd02}\n2\n"


def test_a_save_over_lines_changed_on_disk_is_refused(data_dir: Path, open_col) -> None:
    deck = data_dir / "decks" / "a.md"
    deck.write_text(DECK, encoding="utf-8")
    col = open_col()
    loaded = col.note_source("scnd02")
    deck.write_text(DECK.replace("\n2\n", "\nTwo, from the desktop.\n"), encoding="utf-8")
    before = deck.read_bytes()
    for base in (loaded, None):  # None: the lines note_source handed out are the base
        with pytest.raises(NoteChangedError) as raised:
            col.update_note_source("scnd02", loaded + "\nMine.", base=base)
        assert isinstance(raised.value, DeckChangedError)  # the deck editor's kind
        assert raised.value.current == "## Second {#scnd02}\nTwo, from the desktop."
        assert raised.value.disk == before and raised.value.key == "a.md"
        assert deck.read_bytes() == before
    # Keep mine: the lines on disk now are the base; the save goes through.
    col.update_note_source("scnd02", loaded + "\nMine.", base=raised.value.current)
    assert deck.read_text().endswith("## Second {#scnd02}\n2\nMine.\n")


def test_a_change_elsewhere_in_the_file_is_no_conflict(data_dir: Path, open_col) -> None:
    deck = data_dir / "decks" / "a.md"
    deck.write_text(DECK, encoding="utf-8")
    col = open_col()
    loaded = col.note_source("scnd02")
    # Another card edited and a card added above: the note moved down, its lines the same.
    deck.write_text(DECK.replace("\n1\n", "\n## Zero\n0\n\none, edited\n"), encoding="utf-8")
    col.update_note_source("scnd02", "## Second {#scnd02}\nTwo.", base=loaded)
    text = deck.read_text()
    assert "one, edited" in text and text.endswith("## Second {#scnd02}\nTwo.\n")


def test_a_note_gone_from_its_file_is_not_written_over_another(data_dir: Path, open_col) -> None:
    deck = data_dir / "decks" / "a.md"
    deck.write_text(DECK, encoding="utf-8")
    col = open_col()
    loaded = col.note_source("scnd02")
    deck.write_text(DECK.split("## Second")[0] + "## Third {#thrd03}\n3\n", encoding="utf-8")
    before = deck.read_bytes()
    with pytest.raises(NoteChangedError) as raised:
        col.update_note_source("scnd02", loaded + "\nMine.", base=loaded)
    assert raised.value.current == ""
    col.close()
    col = open_col()  # no editor read it: no base, still not written over ## Third
    with pytest.raises(FlashcardsError, match="no longer in a.md"):
        col.update_note_source("scnd02", "## Second {#scnd02}\nMine.")
    assert deck.read_bytes() == before
