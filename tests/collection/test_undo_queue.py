"""Undo and redo keep the day's queue in its order: after an undo and a redo (or an undo
and the same answer again) the next card is the one that would have come had nothing been
undone, as in Anki. New cards of two exam domains take turns, so a queue built afresh after
an answer starts from the first domain again and shows another card (QA found it so)."""

from __future__ import annotations

from pathlib import Path

from col_helpers import T0, deck_text, note, write

from flashcards.core.model import Rating


def two_domains(data_dir: Path, open_col):
    for name, title, domain in (("a", "Alpha", "Modeling"), ("b", "Beta", "Data Engineering")):
        notes = [note(f"{title} {i}", f"{title} answer {i}") for i in range(6)]
        write(data_dir / "decks" / f"{name}.md", deck_text(*notes, title=title, domain=domain))
    return open_col()


def shown(col, *, now=T0) -> str:
    view = col.next_card(now=now)
    assert view is not None
    return str(view.id)


def answered_order(col, count: int, *, now=T0) -> list[str]:
    order = []
    for _ in range(count):
        order.append(shown(col, now=now))
        col.answer(order[-1], Rating.GOOD, now=now)
    return order


def test_redo_shows_the_card_that_came_next_before_the_undo(data_dir: Path, open_col) -> None:
    col = two_domains(data_dir, open_col)
    for _ in range(4):
        first = shown(col)
        col.answer(first, Rating.GOOD, now=T0)
        following = shown(col)
        col.undo()
        assert shown(col) == first
        col.redo()
        assert shown(col) == following


def test_several_undos_and_redos_keep_the_order(data_dir: Path, open_col) -> None:
    col = two_domains(data_dir, open_col)
    order = answered_order(col, 3)
    then = shown(col)
    for card in reversed(order):
        col.undo()
        assert shown(col) == card
    for _ in order:
        col.redo()
    assert shown(col) == then
    col.redo()  # nothing left to redo: the queue stays
    assert shown(col) == then


def test_an_undone_answer_given_again_leads_to_the_same_card(data_dir: Path, open_col) -> None:
    col = two_domains(data_dir, open_col)
    first = shown(col)
    col.answer(first, Rating.GOOD, now=T0)
    following = shown(col)
    col.undo()
    col.answer(first, Rating.EASY, now=T0)
    assert shown(col) == following


def test_a_change_between_undo_and_redo_builds_the_queue_afresh(data_dir: Path, open_col) -> None:
    col = two_domains(data_dir, open_col)
    col.answer(shown(col), Rating.GOOD, now=T0)
    col.undo()
    col.set_setting("learn_ahead_minutes", 30)  # not undoable: the kept queues may be stale
    col.redo()
    assert shown(col) == str(col.queue(now=T0)[0])
