"""`apply_import` at scale: bulk scheduling writes and reuse of the caller's parse."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from col_helpers import T0, deck_text, note

from flashcards.collection.collection import Collection
from flashcards.core.model import (
    CardId,
    CardState,
    Flag,
    MemoryState,
    Rating,
    ReviewEntry,
    ReviewKind,
)
from flashcards.core.parser import parse_deck

CARDS = 1200  # more than one 500-id chunk of every bulk statement


def _deck() -> bytes:
    notes = [note(f"Card {i}", f"answer {i}", nid=f"bulk{i:04d}") for i in range(CARDS)]
    return deck_text(*notes, title="Bulk").encode()


def _rows(data_dir: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        return raw.execute(
            "SELECT id, note_id, title, prompt, answer, tags, content_hash, state, stability, "
            "due, reps, suspended, flag FROM cards ORDER BY id"
        ).fetchall()


def test_states_flags_and_history_of_many_cards(data_dir: Path, open_col) -> None:
    col = open_col()
    when = T0 - timedelta(days=2)
    memory = MemoryState(
        state=CardState.REVIEW, stability=4.0, difficulty=6.0, due=T0, last_review=when
    )
    ids = [CardId(f"bulk{i:04d}") for i in range(CARDS)]
    report = col.apply_import(
        {"bulk.md": _deck()},
        reviews=[ReviewEntry(c, when, Rating.GOOD, 1000) for c in ids[::2]],
        states={c: memory for c in ids[::2]},
        card_flags={c: (True, Flag.RED) for c in ids[1::3]},
        now=T0,
    )
    assert report.cards_added == CARDS and report.reviews == CARDS // 2
    assert col.card("bulk0000").memory == memory and col.card("bulk0000").reps == 1
    assert col.card("bulk0001").memory.state is CardState.NEW
    assert col.card("bulk0001").suspended and col.card("bulk0001").flag is Flag.RED
    assert not col.card("bulk0002").suspended
    # A later import adds history: reps counts the card's old and new review entries.
    col.apply_import({}, reviews=[ReviewEntry(ids[0], T0, Rating.EASY)])
    assert col.card("bulk0000").reps == 2
    assert [h.rating for h in col.history("bulk0000")] == [Rating.GOOD, Rating.EASY]
    # Unknown cards are ignored, not inserted.
    col.apply_import({}, states={CardId("nosuch"): memory}, card_flags={})
    assert len(_rows(data_dir)) == CARDS


def test_callers_parse_gives_the_same_collection(tmp_path: Path) -> None:
    data = _deck()
    tables = []
    reused = {"bulk.md": parse_deck(data, path="bulk.md")}
    for name, parsed in (("plain", None), ("reused", reused)):
        folder = tmp_path / name
        col = Collection.open(folder, seed=False)
        try:
            report = col.apply_import({"bulk.md": data}, now=T0, parsed=parsed)
        finally:
            col.close()
        assert report.cards_added == CARDS
        assert (folder / "decks" / "bulk.md").read_bytes() == data
        tables.append(_rows(folder))
    assert tables[0] == tables[1] and len(tables[0]) == CARDS


def _scheduling(data_dir: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        return raw.execute(
            "SELECT id, state, step, stability, difficulty, due, last_review, reps, suspended, "
            "flag FROM cards ORDER BY id"
        ).fetchall()


def test_new_cards_get_scheduling_in_their_insert_as_updates_would_give(tmp_path: Path) -> None:
    """Cards an import inserts take their memory and reps in the INSERT; the same import
    applied to cards that already exist goes through the UPDATEs: the rows agree."""
    when = T0 - timedelta(days=3)
    ids = [CardId(f"bulk{i:04d}") for i in range(CARDS)]
    states = {
        c: MemoryState(
            state=CardState.LEARNING if i % 3 else CardState.REVIEW,
            step=0 if i % 3 else None,
            stability=1.0 + i,
            difficulty=5.5,
            due=T0 + timedelta(days=i % 7),
            last_review=when,
        )
        for i, c in enumerate(ids)
        if i % 4 != 1  # some cards with history but no state change
    }
    reviews = [
        ReviewEntry(c, when + timedelta(minutes=k), Rating(1 + k % 4), kind=kind)
        for i, c in enumerate(ids)
        if i % 4 != 3  # and some with a state but no history
        for k, kind in enumerate((ReviewKind.REVIEW, ReviewKind.PRACTICE, ReviewKind.REVIEW))
    ]
    flags = {c: (True, Flag.GREEN) for c in ids[::5]}
    tables = []
    for name in ("inserted", "updated"):
        folder = tmp_path / name
        col = Collection.open(folder, seed=False)
        try:
            if name == "updated":  # the cards exist, unscheduled, before the import
                col.apply_import({"bulk.md": _deck()}, now=T0)
            col.apply_import(
                {"bulk.md": _deck()},
                states=states,
                reviews=reviews,
                card_flags=flags,
                now=T0,
            )
            assert col.card("bulk0000").reps == 2
            assert col.card("bulk0003").reps == 0 and col.card("bulk0001").memory == MemoryState()
        finally:
            col.close()
        tables.append(_scheduling(folder))
    assert tables[0] == tables[1] and len(tables[0]) == CARDS


def _indexes(data_dir: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        return raw.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        ).fetchall()


def test_a_bulk_import_rebuilds_the_indexes_it_set_aside(data_dir: Path, open_col) -> None:
    from flashcards.collection import sync_apply

    assert CARDS >= sync_apply.BULK_ROWS // 2  # two imports below cross the threshold
    col = open_col()
    before = _indexes(data_dir)
    assert any(name == "ix_cards_queue" for name, _ in before)
    notes = [note(f"Card {i}", f"answer {i}", nid=f"big{i:05d}") for i in range(2 * CARDS)]
    col.apply_import({"big.md": deck_text(*notes, title="Big").encode()}, now=T0)
    assert _indexes(data_dir) == before
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        plan = raw.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM cards WHERE deck_id = 1 AND state = 0 "
            "ORDER BY position"
        ).fetchall()
    assert "ix_cards_deck_new" in str(plan)


def test_a_failed_bulk_write_keeps_indexes_and_changes_nothing(
    data_dir: Path, open_col, monkeypatch
) -> None:
    from flashcards.collection import sync_apply

    col = open_col()
    before = _indexes(data_dir)
    # Fault injection: the cards' insert (all new: a plain INSERT) fails after the
    # indexes were dropped.
    monkeypatch.setattr(sync_apply, "CARD_INSERT", "INSERT INTO no_such_table VALUES (?)")
    notes = [note(f"Card {i}", f"answer {i}", nid=f"big{i:05d}") for i in range(2 * CARDS)]
    with pytest.raises(Exception, match="no_such_table"):  # whatever the driver raises
        col.apply_import({"big.md": deck_text(*notes, title="Big").encode()}, now=T0)
    assert _indexes(data_dir) == before
    assert _rows(data_dir) == []
    assert not (data_dir / "decks" / "big.md").exists()


def test_a_bulk_history_import_rebuilds_the_history_indexes(data_dir: Path, open_col) -> None:
    from flashcards.collection import import_rows

    col = open_col()
    before = _indexes(data_dir)
    assert any(name == "ix_reviews_card" for name, _ in before)
    ids = [CardId(f"bulk{i:04d}") for i in range(CARDS)]
    reviews = [
        ReviewEntry(c, T0 - timedelta(days=d + 1), Rating.GOOD, 1000) for c in ids for d in range(2)
    ]
    assert len(reviews) >= import_rows.BULK_REVIEWS  # the indexes are set aside
    col.apply_import({"bulk.md": _deck()}, reviews=reviews, now=T0)
    assert _indexes(data_dir) == before
    assert col.card("bulk0007").reps == 2
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        plan = raw.execute(
            "EXPLAIN QUERY PLAN SELECT time_ms FROM reviews WHERE card_id = 'bulk0007' "
            "ORDER BY time_ms"
        ).fetchall()
        assert "ix_reviews_card" in str(plan)
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # A second import into that history keeps its indexes up row by row.
    col.apply_import({}, reviews=[ReviewEntry(ids[0], T0, Rating.EASY)])
    assert _indexes(data_dir) == before and col.card("bulk0000").reps == 3


def test_a_failed_bulk_history_write_keeps_indexes_and_changes_nothing(
    data_dir: Path, open_col, monkeypatch
) -> None:
    from flashcards.collection import import_rows

    col = open_col()
    before = _indexes(data_dir)
    # Fault injection: the history's insert fails after its indexes were dropped.
    monkeypatch.setattr(import_rows, "_REVIEW_INSERT", "INSERT INTO no_such_table VALUES (?)")
    ids = [CardId(f"bulk{i:04d}") for i in range(CARDS)]
    reviews = [
        ReviewEntry(c, T0 - timedelta(days=d + 1), Rating.GOOD) for c in ids for d in range(2)
    ]
    with pytest.raises(Exception, match="no_such_table"):  # whatever the driver raises
        col.apply_import({"bulk.md": _deck()}, reviews=reviews, now=T0)
    assert _indexes(data_dir) == before
    assert _rows(data_dir) == []
