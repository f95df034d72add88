"""Markdown import and export, and the atomic `apply_import` interop builds on."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from col_helpers import T0, deck_text, note, tree_bytes, write

from flashcards.core.errors import CancelledError, DeckFormatError, StorageError
from flashcards.core.model import CardId, CardState, Flag, MemoryState, Rating, ReviewEntry


def dump(data_dir: Path) -> list[str]:
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        return list(raw.iterdump())


def test_import_file_copies_into_library(tmp_path: Path, data_dir: Path, open_col) -> None:
    src = write(
        tmp_path / "in" / "networking.md",
        deck_text(note("VPC", "private network"), title="Networking"),
    )
    original = src.read_bytes()
    col = open_col()
    report = col.import_path(src)
    assert report.files == ("networking.md",) and report.cards_added == 1
    assert src.read_bytes() == original  # the user's file is not touched
    copy = data_dir / "decks" / "networking.md"
    assert b"{#" in copy.read_bytes()
    assert [d.name for d in col.decks(now=T0)] == ["Networking"]


def test_import_folder_with_media_and_exam_profile(
    tmp_path: Path, data_dir: Path, open_col
) -> None:
    src = tmp_path / "sec-exam"
    write(src / "exam.toml", 'name = "Security Specialty"\nshort_name = "Security"\n')
    write(src / "iam.md", deck_text(note("Policy", "![diagram](img/policy.png)"), title="IAM"))
    (src / "img").mkdir()
    (src / "img" / "policy.png").write_bytes(b"\x89PNG fake")
    col = open_col()
    report = col.import_path(src)
    assert "sec-exam/img/policy.png" in report.media
    assert (data_dir / "decks" / "sec-exam" / "img" / "policy.png").read_bytes() == b"\x89PNG fake"
    assert [d.name for d in col.decks(now=T0)] == ["Security::IAM"]


def test_malformed_import_changes_nothing(tmp_path: Path, data_dir: Path, open_col) -> None:
    write(data_dir / "decks" / "mine.md", deck_text(note("Mine", "m", nid="mine01")))
    src = tmp_path / "broken"
    write(src / "ok.md", deck_text(note("Fine", "f")))
    write(src / "bad.md", "## A {#same01}\nx\n\n## B {#same01}\ny\n")
    col = open_col()
    library, db = tree_bytes(data_dir / "decks"), dump(data_dir)
    with pytest.raises(DeckFormatError) as err:
        col.import_path(src)
    assert str(err.value).startswith(f"{src / 'bad.md'}:4:")
    assert tree_bytes(data_dir / "decks") == library
    assert dump(data_dir) == db


def test_reimport_updates_the_same_deck_and_keeps_history(
    tmp_path: Path, data_dir: Path, open_col
) -> None:
    src = write(tmp_path / "deck.md", deck_text(note("Q", "old", nid="q00001")))
    col = open_col()
    col.import_path(src)
    col.answer("q00001", Rating.GOOD, now=T0)
    write(src, deck_text(note("Q", "new", nid="q00001"), note("Added", "a")))
    report = col.import_path(src)
    assert report.files == ("deck.md",) and report.cards_added == 1
    assert col.card("q00001").card.answer == "new" and len(col.history("q00001")) == 1
    other = write(tmp_path / "x" / "deck.md", deck_text(note("Unrelated", "u")))
    assert col.import_path(other).files == ("deck-2.md",)


def test_cancel_during_import_changes_nothing(tmp_path: Path, data_dir: Path, open_col) -> None:
    src = write(tmp_path / "d.md", deck_text(note("Q", "a")))
    col = open_col()
    library, db = tree_bytes(data_dir / "decks"), dump(data_dir)
    with pytest.raises(CancelledError):
        col.import_path(src, progress=lambda done, total, msg: False)
    assert tree_bytes(data_dir / "decks") == library and dump(data_dir) == db


def test_export_deck_file_folder_and_library(tmp_path: Path, data_dir: Path, open_col) -> None:
    write(data_dir / "decks" / "exam" / "exam.toml", 'name = "Exam"\n')
    write(data_dir / "decks" / "exam" / "a.md", deck_text(note("A", "![x](pic.png)", nid="aaaa01")))
    (data_dir / "decks" / "exam" / "pic.png").write_bytes(b"png")
    write(data_dir / "decks" / "b.md", deck_text(note("B", "b", nid="bbbb01")))
    col = open_col()
    one = col.export("exam/a.md", tmp_path / "out" / "single.md")
    assert one.cards == 1 and one.media == 1
    assert (tmp_path / "out" / "single.md").read_bytes() == (
        data_dir / "decks" / "exam" / "a.md"
    ).read_bytes()
    assert (tmp_path / "out" / "pic.png").read_bytes() == b"png"
    folder = col.export("Exam", tmp_path / "folder")
    assert folder.files == (str(tmp_path / "folder" / "exam" / "a.md"),)
    assert (tmp_path / "folder" / "exam" / "exam.toml").is_file()
    everything = col.export(None, tmp_path / "all")
    assert len(everything.files) == 2 and everything.cards == 2
    with pytest.raises(Exception, match="holds 2 decks"):
        col.export(None, tmp_path / "x.md")


def test_apply_import_sets_states_flags_and_history(data_dir: Path, open_col) -> None:
    col = open_col()
    when = T0 - timedelta(days=3)
    memory = MemoryState(
        state=CardState.REVIEW,
        stability=10.0,
        difficulty=5.0,
        due=T0 + timedelta(days=7),
        last_review=when,
    )
    report = col.apply_import(
        {
            "imported/anki.md": deck_text(
                note("From Anki", "x", nid="anki01"), note("Other", "y", nid="anki02")
            ).encode()
        },
        media={"imported/media/a.png": b"png"},
        reviews=[ReviewEntry(CardId("anki01"), when, Rating.GOOD, 3000)],
        states={CardId("anki01"): memory},
        card_flags={CardId("anki02"): (True, Flag.BLUE)},
        source="deck.apkg",
    )
    assert report.cards_added == 2 and report.reviews == 1
    view = col.card("anki01")
    assert view.memory == memory and view.reps == 1
    assert col.card("anki02").suspended and col.card("anki02").flag is Flag.BLUE
    assert [h.time for h in col.history("anki01")] == [when]
    col.apply_import(
        {},
        reviews=[ReviewEntry(CardId("anki01"), T0, Rating.EASY)],
        replace_history_for={CardId("anki01")},
    )
    assert [h.rating for h in col.history("anki01")] == [Rating.EASY]


def test_apply_import_failure_while_moving_rolls_back(data_dir: Path, open_col) -> None:
    write(data_dir / "decks" / "keep.md", deck_text(note("Keep", "k", nid="keep01")))
    col = open_col()
    # A media path under an existing plain file fails after the decks were moved in.
    (data_dir / "decks" / "notes.txt").write_bytes(b"x")
    library, db = tree_bytes(data_dir / "decks"), dump(data_dir)
    with pytest.raises(StorageError, match="a file is in the way"):
        col.apply_import(
            {
                "new/deck.md": deck_text(note("N", "n", nid="newd01")).encode(),
                "keep.md": deck_text(note("Keep changed", "k", nid="keep01")).encode(),
            },
            media={"notes.txt/pic.png": b"png"},
        )
    assert tree_bytes(data_dir / "decks") == library
    assert dump(data_dir) == db
    assert col.card("keep01").card.title == "Keep"


def test_apply_import_refuses_unsafe_paths(data_dir: Path, open_col) -> None:
    col = open_col()
    with pytest.raises(Exception, match="unsafe path"):
        col.apply_import({"../escape.md": b"## X\ny\n"})


def test_export_snapshot_has_what_exporters_need(data_dir: Path, open_col) -> None:
    write(data_dir / "decks" / "a.md", deck_text(note("A", "a", nid="aaaa01"), domain="D"))
    col = open_col()
    col.answer("aaaa01", Rating.GOOD, now=T0)
    col.set_flag(["aaaa01"], Flag.GREEN)
    snap = col.export_snapshot("a.md")
    (deck,) = snap.decks
    assert deck.deck.notes[0].id == "aaaa01" and deck.info.domain == "D"
    assert deck.media_dir == data_dir / "decks"
    assert snap.states[CardId("aaaa01")].state is CardState.LEARNING
    assert snap.flags[CardId("aaaa01")] == (False, Flag.GREEN)
    assert len(snap.history[CardId("aaaa01")]) == 1


def test_search_finds_card_text(data_dir: Path, open_col) -> None:
    write(
        data_dir / "decks" / "a.md",
        deck_text(
            note("XGBoost eta", "shrinkage of each tree", nid="xgb001"),
            note("Other", "nothing", nid="oth001"),
        ),
    )
    col = open_col()
    assert col.search("shrink") == ["xgb001"]
    assert col.search("xgboost ETA") == ["xgb001"]
    assert col.search("") == []
