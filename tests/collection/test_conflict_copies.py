"""Sync engines' conflict copies of deck files are found, shown, never read as decks
(issue 21, docs/sync.md); a deck git could not merge is named, not read."""

from __future__ import annotations

from pathlib import Path

import pytest
from device_helpers import T0, make_machine, open_machine

from flashcards.collection.conflict_copies import read_both, resolve_conflict
from flashcards.core.conflict_copies import conflict_original, merge_conflict_line
from flashcards.core.model import Rating
from flashcards.storage.failures import StorageFailure


@pytest.mark.parametrize(
    ("name", "original", "engine"),
    [
        ("sync.sync-conflict-20260301-101112-ABCDEFG.md", "sync.md", "Syncthing"),
        ("sync.sync-conflict-20260301-101112.md", "sync.md", "Syncthing"),
        ("sync (Jane's conflicted copy 2026-03-01).md", "sync.md", "Dropbox"),
        ("sync (conflicted copy 2026-03-01 (1)).md", "sync.md", "Dropbox"),
        ("sync (Jane's MacBook Pro's conflicted copy 2026-03-01).md", "sync.md", "Dropbox"),
        ("sync-DESKTOP-AB12CD3.md", "sync.md", "OneDrive"),
    ],
)
def test_conflict_copy_names(name: str, original: str, engine: str) -> None:
    found = conflict_original(name, {"sync.md", name})
    assert found is not None and (found.original, found.engine) == (original, engine)


@pytest.mark.parametrize(
    "name", ["sync.md", "sync-advanced.md", "notes-AWS.md", "sync (copy).md", "sync-2.md"]
)
def test_ordinary_names_are_decks(name: str) -> None:
    assert conflict_original(name, {"sync.md", "ml.md", name}) is None


def test_git_conflict_markers() -> None:
    text = b"## A {#aaaaaa}\nx\n<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> origin/main\n"
    assert merge_conflict_line(text) == 3
    assert merge_conflict_line(b"## A\n<<<<<<< not a conflict without the rest\n") is None


def test_a_syncthing_copy_is_shown_not_read_and_resolved(tmp_path: Path) -> None:
    data = make_machine(tmp_path, "laptop")
    col = open_machine(data)
    try:
        col.answer("c00000", Rating.GOOD, now=T0)
        deck = data / "decks" / "sync.md"
        edited = deck.read_text().replace("Answer 1\n", "Answer 1, edited elsewhere\n")
        copy = deck.with_name("sync.sync-conflict-20260302-101112-ABCDEFG.md")
        copy.write_text(edited)
        report = col.sync(now=T0)
        (found,) = report.conflicts
        assert (found.path, found.original, found.engine) == (str(copy), str(deck), "Syncthing")
        assert [d.file for d in col.decks(now=T0)] == ["sync.md"]  # not a second deck
        assert copy.read_text() == edited  # its ids were not renamed
        original_text, copy_text = read_both(found)
        assert "edited elsewhere" in copy_text and "edited elsewhere" not in original_text
        # Keep the copy: it becomes the deck; the original goes aside; history stays.
        after = resolve_conflict(col, found, keep="copy")
        assert after.conflicts == () and not copy.exists()
        assert "edited elsewhere" in deck.read_text()
        assert (data / "conflicts" / "sync.md").is_file()
        assert col.card("c00001").card.answer.startswith("Answer 1, edited")
        assert len(col.history("c00000")) == 1
        with pytest.raises(Exception, match="no longer there"):
            resolve_conflict(col, found, keep="original")
    finally:
        col.close()


def test_a_onedrive_copy_needs_its_original_and_the_same_cards(tmp_path: Path) -> None:
    data = make_machine(tmp_path, "laptop")
    col = open_machine(data)
    try:
        deck = data / "decks" / "sync.md"
        (data / "decks" / "sync-LAPTOP-XYZ.md").write_bytes(deck.read_bytes())
        # A name like a copy's beside a deck of its own cards is a deck.
        (data / "decks" / "ml.md").write_text("## One {#ml0001}\nq\n?\na\n")
        (data / "decks" / "ml-AWS.md").write_text("## Own deck {#own001}\nq\n?\na\n")
        report = col.sync(now=T0)
        assert [Path(c.path).name for c in report.conflicts] == ["sync-LAPTOP-XYZ.md"]
        assert {d.file for d in col.decks(now=T0)} == {"sync.md", "ml.md", "ml-AWS.md"}
        (keep,) = report.conflicts
        resolve_conflict(col, keep, keep="original")
        assert (data / "conflicts" / "sync-LAPTOP-XYZ.md").is_file()
    finally:
        col.close()


def test_a_deck_git_could_not_merge_is_named_and_left_alone(tmp_path: Path) -> None:
    data = make_machine(tmp_path, "laptop")
    col = open_machine(data)
    try:
        col.answer("c00000", Rating.GOOD, now=T0)
        deck = data / "decks" / "sync.md"
        text = deck.read_text()
        conflicted = text.replace(
            "Answer 0\n", "<<<<<<< HEAD\nAnswer 0\n=======\nAnswer zero\n>>>>>>> theirs\n"
        )
        deck.write_text(conflicted)
        report = col.sync(now=T0)
        line = conflicted.splitlines().index("<<<<<<< HEAD") + 1
        assert report.errors == (
            f"sync.md:{line}: an unresolved git merge conflict (<<<<<<<): resolve it, then sync",
        )
        assert deck.read_text() == conflicted  # nothing written into it
        assert col.card("c00000").present and len(col.history("c00000")) == 1
    finally:
        col.close()


def test_resolving_in_a_folder_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    data = make_machine(tmp_path, "laptop")
    col = open_machine(data)
    try:
        copy = data / "decks" / "sync (conflicted copy 2026-03-01).md"
        copy.write_bytes((data / "decks" / "sync.md").read_bytes())
        (found,) = col.sync(now=T0).conflicts
        (data / "conflicts").write_text("in the way")  # a file where the folder goes
        with pytest.raises(StorageFailure, match="cannot resolve the conflict copy"):
            resolve_conflict(col, found, keep="original")
        assert copy.is_file()
    finally:
        col.close()
