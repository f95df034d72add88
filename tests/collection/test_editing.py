"""Editing deck files through the collection: tags, move, delete, undo, save, new
decks and cards. History must survive every one of them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flashcards.collection import Collection
from flashcards.collection.authoring import append_note, card_markdown, new_deck
from flashcards.collection.browse import search_cards
from flashcards.collection.editing import (
    DeckChangedError,
    add_tags,
    delete_notes,
    move_notes,
    read_deck,
    remove_tags,
    save_deck_text,
    undo,
)
from flashcards.core.errors import DeckFormatError, FlashcardsError
from flashcards.core.model import CardKind, Rating

T0 = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)

A = """\
---
title: Alpha
---

## First {#aaa001}
One.
Tags: old

## Second {#aaa002}
Two.

## Third {#aaa003}
Three.
"""

B = "---\ntitle: Beta\n---\n\n## Other {#bbb001}\nOther.\n"


@pytest.fixture
def col(open_col: Callable[..., Collection], data_dir: Path) -> Collection:
    (data_dir / "decks" / "a.md").write_text(A, encoding="utf-8")
    (data_dir / "decks" / "b.md").write_text(B, encoding="utf-8")
    c = open_col()
    c.answer("aaa002", Rating.GOOD, now=T0)
    return c


def text_of(col: Collection, key: str) -> str:
    return (col.library / key).read_text(encoding="utf-8")


def test_add_and_remove_tags_edit_the_tags_line_and_undo(col: Collection) -> None:
    change = add_tags(col, ["aaa001", "aaa002"], ["exam", "old"])
    assert change.cards == {"aaa001", "aaa002"}
    text = text_of(col, "a.md")
    assert "## First {#aaa001}\nOne.\nTags: old, exam\n" in text
    assert "## Second {#aaa002}\nTwo.\nTags: exam, old\n" in text
    assert col.card("aaa002").card.tags == ("exam", "old")
    assert set(search_cards(col, "tag:exam")) == {"aaa001", "aaa002"}
    remove_tags(col, ["aaa001"], ["OLD"])
    assert "## First {#aaa001}\nOne.\nTags: exam\n" in text_of(col, "a.md")
    remove_tags(col, ["aaa001"], ["exam"])
    assert "## First {#aaa001}\nOne.\n\n## Second" in text_of(col, "a.md")
    undo(col)
    undo(col)
    undo(col)
    assert text_of(col, "a.md") == A
    assert col.card("aaa002").card.tags == ()
    assert col.card("aaa002").reps == 1  # history untouched


def test_move_keeps_id_and_history_and_undo_moves_back(col: Collection) -> None:
    change = move_notes(col, ["aaa002"], "b.md")
    assert change.cards == {"aaa002"}
    assert "aaa002" not in text_of(col, "a.md")
    assert text_of(col, "b.md").endswith(
        "## Other {#bbb001}\nOther.\n\n## Second {#aaa002}\nTwo.\n"
    )
    view = col.card("aaa002")
    assert view.deck == "Beta" and view.reps == 1 and view.present
    assert len(col.history("aaa002")) == 1
    assert "## First {#aaa001}\nOne.\nTags: old\n\n## Third" in text_of(col, "a.md")
    undo(col)
    assert text_of(col, "a.md") == A and text_of(col, "b.md") == B
    assert col.card("aaa002").deck == "Alpha"


def test_delete_hides_cards_keeps_history_and_undo_restores(col: Collection) -> None:
    delete_notes(col, ["aaa002", "aaa003"])
    assert "Second" not in text_of(col, "a.md") and "Third" not in text_of(col, "a.md")
    assert set(search_cards(col, "")) == {"aaa001", "bbb001"}
    assert not col.card("aaa002").present
    assert col.undo_label() == "Delete"
    change = undo(col)
    assert change is not None and change.label == "Undo Delete"
    assert text_of(col, "a.md") == A
    view = col.card("aaa002")
    assert view.present and view.reps == 1


def test_undo_refuses_when_the_file_changed_since(col: Collection) -> None:
    delete_notes(col, ["aaa003"])
    path = col.library / "a.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n## Late {#late01}\nx\n", encoding="utf-8")
    with pytest.raises(FlashcardsError, match="changed after"):
        undo(col)
    assert "Late" in text_of(col, "a.md")


def test_undo_falls_back_to_scheduling_undo(col: Collection) -> None:
    col.suspend(["aaa001"])
    change = undo(col)
    assert change is not None and not col.card("aaa001").suspended


def test_save_keeps_history_and_writes_ids(col: Collection) -> None:
    text, base = read_deck(col, "a.md")
    edited = text.replace("Two.", "Two, edited.") + "\n## Fourth\nFour.\n"
    saved = save_deck_text(col, "a.md", edited, base=base)
    assert b"Two, edited." in saved.data
    assert b"## Fourth {#" in saved.data  # id written back, visible to the editor
    view = col.card("aaa002")
    assert "edited" in view.card.answer and view.reps == 1
    assert len(saved.change.cards) == 4


def test_save_detects_external_change_and_bad_markdown(col: Collection) -> None:
    text, base = read_deck(col, "a.md")
    (col.library / "a.md").write_text(A + "\n## Ext {#ext001}\nx\n", encoding="utf-8")
    with pytest.raises(DeckChangedError) as info:
        save_deck_text(col, "a.md", text, base=base)
    assert b"Ext" in info.value.disk
    with pytest.raises(DeckFormatError):
        save_deck_text(col, "a.md", "## Broken {#a #b}\nx\n")
    assert "Ext" in text_of(col, "a.md")  # nothing written


def test_save_keeps_crlf(col: Collection) -> None:
    (col.library / "b.md").write_bytes(B.replace("\n", "\r\n").encode())
    col.sync()
    text, base = read_deck(col, "b.md")
    assert "\r" not in text
    saved = save_deck_text(col, "b.md", text.replace("Other.", "Changed."), base=base)
    assert b"Changed.\r\n" in saved.data and b"\n" not in saved.data.replace(b"\r\n", b"")


def test_new_deck_and_card(col: Collection) -> None:
    key = new_deck(col, title="SageMaker: basics", domain="Modeling", folder="aws")
    assert key == "aws/sagemaker-basics.md"
    assert new_deck(col, title="SageMaker: basics") == "sagemaker-basics.md"
    assert any(d.file == key and d.domain == "Modeling" for d in col.decks(now=T0))
    md = card_markdown(
        kind=CardKind.BASIC, front="What is a channel?", back="An input.", tags=["io"]
    )
    assert md == "## What is a channel?\nAn input.\nTags: io\n"
    nid = append_note(col, key, md)
    view = col.card(nid)
    assert view.card.title == "What is a channel?" and view.card.tags == ("io",)
    cloze = append_note(
        col, key, card_markdown(kind=CardKind.CLOZE, front="Pipe mode {{streams}} data.")
    )
    assert col.card(f"{cloze}:c1").card.kind is CardKind.CLOZE
    choice = card_markdown(
        kind=CardKind.CHOICE,
        title="Fraud metric",
        front="Which metric?",
        options=[("Accuracy", False), ("PR AUC", True)],
        back="Rare class.",
    )
    assert choice == (
        "## Fraud metric\nWhich metric?\n- [ ] Accuracy\n- [x] PR AUC\n?\nRare class.\n"
    )
    cid = append_note(col, key, choice)
    assert col.card(cid).card.kind is CardKind.CHOICE
    rev = append_note(col, key, card_markdown(kind=CardKind.REVERSE, front="Front", back="Back"))
    assert col.card(f"{rev}:r").card.kind is CardKind.REVERSE
    with pytest.raises(FlashcardsError):
        card_markdown(kind=CardKind.CHOICE, front="Q", options=[("a", False)])
    with pytest.raises(FlashcardsError):
        card_markdown(kind=CardKind.CLOZE, front="no deletion")


def test_the_collections_own_undo_restores_deleted_markdown(col: Collection) -> None:
    delete_notes(col, ["aaa002"])
    change = col.undo()  # the main window's Ctrl+Z goes here, not through editing.undo
    assert change is not None and change.label == "Undo Delete"
    assert text_of(col, "a.md") == A
    assert col.card("aaa002").present


def test_save_keeps_a_byte_order_mark_and_crlf_and_an_unchanged_save_writes_nothing(
    col: Collection,
) -> None:
    path = col.library / "b.md"
    raw = b"\xef\xbb\xbf" + B.replace("\n", "\r\n").encode()
    path.write_bytes(raw)
    col.sync()
    text, base = read_deck(col, "b.md")
    mtime = path.stat().st_mtime_ns
    saved = save_deck_text(col, "b.md", text, base=base)  # Ctrl+S, nothing changed
    assert saved.data == raw and path.stat().st_mtime_ns == mtime
    edited = text.replace("Other.", "Changed.") + "\n## New card\nNew.\n"
    saved = save_deck_text(col, "b.md", edited, base=saved.data)
    assert saved.data.startswith(b"\xef\xbb\xbf---\r\ntitle: Beta\r\n")
    assert b"Changed.\r\n" in saved.data and b"## New card {#" in saved.data
    assert b"\n" not in saved.data.replace(b"\r\n", b"")


def test_an_unchanged_save_of_mixed_line_endings_writes_nothing(col: Collection) -> None:
    path = col.library / "b.md"
    raw = B.encode().replace(b"title: Beta\n", b"title: Beta\r\n")
    path.write_bytes(raw)
    col.sync()
    text, base = read_deck(col, "b.md")
    assert save_deck_text(col, "b.md", text, base=base).data == raw
