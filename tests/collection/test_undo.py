"""Undo restores the exact previous state and removes the review-log rows."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from col_helpers import T0, deck_text, note, write

from flashcards.core.model import CardState, Flag, Rating, ReviewKind


def card_rows(data_dir: Path) -> list[tuple]:
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        cards = raw.execute("SELECT * FROM cards ORDER BY id").fetchall()
        reviews = raw.execute("SELECT * FROM reviews ORDER BY id").fetchall()
    return cards + reviews


def make(data_dir: Path, open_col):
    write(
        data_dir / "decks" / "a.md",
        deck_text(
            "## Rev {#rev001 .reverse}\nback\n",
            note("Two", "2", nid="two002"),
            note("Three", "3", nid="thr003"),
        ),
    )
    return open_col()


def test_undo_answers_step_by_step(data_dir: Path, open_col) -> None:
    col = make(data_dir, open_col)
    states = [card_rows(data_dir)]
    t = T0
    for rating in (Rating.GOOD, Rating.AGAIN, Rating.GOOD, Rating.EASY):
        col.answer("rev001", rating, now=t, duration_ms=1500)
        states.append(card_rows(data_dir))
        t += timedelta(minutes=15)
    assert col.undo_label() == "Answer"
    assert len(col.history("rev001")) == 4
    for expected in reversed(states[:-1]):
        change = col.undo()
        assert change is not None and "rev001" in change.cards
        assert card_rows(data_dir) == expected
    assert col.undo() is None and col.undo_label() is None
    assert col.card("rev001").memory.state is CardState.NEW
    assert not col.card("rev001:r").buried  # the sibling's burial was undone too
    assert col.history("rev001") == []


def test_undo_suspend_bury_flag(data_dir: Path, open_col) -> None:
    col = make(data_dir, open_col)
    start = card_rows(data_dir)
    col.suspend(["two002", "thr003"])
    col.bury(["rev001"], now=T0)
    col.set_flag(["two002"], Flag.RED)
    assert col.card("two002").flag is Flag.RED
    assert [col.undo().label for _ in range(3)] == ["Undo Flag", "Undo Bury", "Undo Suspend"]
    assert card_rows(data_dir) == start


def test_toggle_suspend_reads_the_cards_state(data_dir: Path, open_col) -> None:
    """Anki's Toggle Suspend: all suspended → unsuspend, else suspend (from the stored
    state, not what a browser has shown); one undo step each, labelled by what it did."""
    col = make(data_dir, open_col)
    ids = ["two002", "thr003"]
    col.suspend(["two002"])
    assert col.toggle_suspend(ids).label == "Suspend"
    assert all(c.suspended for c in col.cards(ids))
    assert col.toggle_suspend(ids).label == "Unsuspend"
    assert not any(c.suspended for c in col.cards(ids))
    assert col.undo().label == "Undo Unsuspend"
    assert all(c.suspended for c in col.cards(ids))


def test_undo_reset_and_set_due_removes_manual_rows(data_dir: Path, open_col) -> None:
    col = make(data_dir, open_col)
    col.answer("two002", Rating.EASY, now=T0)
    before = card_rows(data_dir)
    col.reset(["two002"], now=T0)
    assert col.card("two002").memory.state is CardState.NEW
    assert col.history("two002")[-1].kind is ReviewKind.MANUAL
    col.undo()
    assert card_rows(data_dir) == before
    col.set_due(["thr003"], days=3, now=T0)
    view = col.card("thr003")
    assert view.memory.state is CardState.REVIEW
    assert col.queue(now=T0 + timedelta(days=3)).count("thr003") == 1
    assert "thr003" not in col.queue(now=T0 + timedelta(days=2))
    col.undo()
    assert card_rows(data_dir) == before


def test_undo_practice_and_practice_keeps_schedule(data_dir: Path, open_col) -> None:
    col = make(data_dir, open_col)
    col.answer("two002", Rating.GOOD, now=T0)
    memory = col.card("two002").memory
    col.practice("two002", Rating.AGAIN, now=T0 + timedelta(minutes=1))
    assert col.card("two002").memory == memory
    assert [h.kind for h in col.history("two002")] == [ReviewKind.REVIEW, ReviewKind.PRACTICE]
    col.undo()
    assert [h.kind for h in col.history("two002")] == [ReviewKind.REVIEW]


def test_undoing_an_answer_puts_the_card_back_in_the_queue(data_dir: Path, open_col) -> None:
    col = make(data_dir, open_col)
    first = col.next_card(now=T0)
    col.answer(first.id, Rating.EASY, now=T0)
    assert col.next_card(now=T0).id != first.id
    col.undo()
    assert col.next_card(now=T0).id == first.id


# -- redo ----------------------------------------------------------------------------------


def scheduling(data_dir: Path) -> list[tuple]:
    """Cards' rows and the log without its row ids (a redone answer gets a new id)."""
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        cards = raw.execute("SELECT * FROM cards ORDER BY id").fetchall()
        reviews = raw.execute("SELECT * FROM reviews ORDER BY id").fetchall()
    return cards + [r[1:] for r in reviews]


def test_redo_puts_back_what_undo_took_step_by_step(data_dir: Path, open_col) -> None:
    col = make(data_dir, open_col)
    states = [scheduling(data_dir)]
    t = T0
    for rating in (Rating.GOOD, Rating.AGAIN, Rating.GOOD):
        col.answer("rev001", rating, now=t, duration_ms=1500)
        states.append(scheduling(data_dir))
        t += timedelta(minutes=15)
    col.suspend(["two002"])
    states.append(scheduling(data_dir))
    assert col.redo_label() is None and col.redo() is None
    for _ in range(4):
        col.undo()
    assert scheduling(data_dir) == states[0]
    assert col.redo_label() == "Answer"
    for expected in states[1:]:
        change = col.redo()
        assert change is not None and change.label.startswith("Redo ")
        assert scheduling(data_dir) == expected
    assert change.label == "Redo Suspend" and change.cards == {"two002"}
    assert col.redo() is None
    # Redone steps undo again, exactly.
    col.undo()
    col.undo()
    assert scheduling(data_dir) == states[2]
    assert [h.rating for h in col.history("rev001")] == [Rating.GOOD, Rating.AGAIN]


def test_a_new_change_clears_redo(data_dir: Path, open_col) -> None:
    col = make(data_dir, open_col)
    col.answer("rev001", Rating.GOOD, now=T0)
    col.undo()
    assert col.redo_label() == "Answer"
    col.set_flag(["thr003"], Flag.RED)
    assert col.redo_label() is None and col.redo() is None
    assert col.history("rev001") == []
    assert col.undo_label() == "Flag"


def test_a_redone_answer_leaves_the_queue_again(data_dir: Path, open_col) -> None:
    col = make(data_dir, open_col)
    first = col.next_card(now=T0)
    assert first is not None
    col.answer(first.id, Rating.EASY, now=T0)
    col.undo()
    assert col.next_card(now=T0).id == first.id
    col.redo()
    shown = col.next_card(now=T0)
    assert shown is None or shown.id != first.id
    assert col.card(first.id).memory.state is CardState.REVIEW


def test_redo_of_a_deck_file_edit_and_its_refusal(data_dir: Path, open_col) -> None:
    from flashcards.collection.editing import add_tags
    from flashcards.core.errors import FlashcardsError

    col = make(data_dir, open_col)
    path = data_dir / "decks" / "a.md"
    original = path.read_bytes()
    add_tags(col, ["two002"], ["exam"])
    tagged = path.read_bytes()
    col.undo()
    assert path.read_bytes() == original and col.redo_label() == "Add Tags"
    change = col.redo()
    assert path.read_bytes() == tagged and col.card("two002").card.tags == ("exam",)
    assert change is not None and "a.md" in change.decks
    col.undo()
    path.write_bytes(original + b"\n## Added elsewhere\nx\n")  # another editor
    try:
        col.redo()
    except FlashcardsError as exc:
        assert "changed after the undo" in str(exc)
    else:
        raise AssertionError("redo over a changed file must be refused")
    assert b"Tags: exam" not in path.read_bytes()
    assert col.redo_label() == "Add Tags"  # still there once the file is put back
