"""A day's limits hold across selections: cards answered in one deck's session count
against every selection holding that deck (a folder's, all decks'), even when their
queues were cached before (QA: after the 15-card tour "All decks" still offered 16 new)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from col_helpers import T0, deck_text, note, write

from flashcards.core.model import CardState, Rating

DAY = timedelta(days=1)


def _library(data_dir: Path, open_col, decks: dict[str, tuple[str, int]], **limits: int):
    """A collection of `decks` (path: (id prefix, notes)), its default preset set to
    `limits` (new_per_day=…, reviews_per_day=…)."""
    for path, (prefix, n) in decks.items():
        notes = (note(f"{prefix} {i}", "a", nid=f"{prefix}{i:02d}") for i in range(1, n + 1))
        write(data_dir / "decks" / path, deck_text(*notes))
    col = open_col()
    col.save_preset(replace(col.presets()[1], **limits), preset_id=1)
    return col


def _study(col, deck: str | None, now: datetime, rating: Rating = Rating.EASY) -> list[str]:
    """Answer what `next_card` serves until nothing is left; the ids it served."""
    served: list[str] = []
    while (view := col.next_card(deck, now=now)) is not None:
        served.append(view.id)
        col.answer(view.id, rating, now=now)
        now += timedelta(seconds=5)
        assert len(served) < 100
    return served


def test_a_tour_then_all_decks_stays_within_the_daily_new_limit(data_dir: Path, open_col) -> None:
    decks = {"tour.md": ("tour", 5), "exam/data.md": ("data", 8), "exam/model.md": ("mode", 8)}
    col = _library(data_dir, open_col, decks, new_per_day=6)
    # The Today page and the sidebar count every selection before the tour starts.
    assert col.counts(None, now=T0) == (6, 0, 0)
    assert col.counts("Exam", now=T0) == (6, 0, 0)
    assert col.counts("Exam::Data", now=T0) == (6, 0, 0)
    # Good, not Easy: the tour's cards go on learning, as a newcomer's do.
    tour = _study(col, "Tour", T0, Rating.GOOD)
    assert {cid for cid in tour if cid.startswith("tour")} == {f"tour{i:02d}" for i in range(1, 6)}
    now = T0 + timedelta(hours=1)
    assert col.counts(None, now=now) == (1, 0, 0)  # 6 a day, 5 introduced by the tour
    assert col.counts("Exam", now=now) == (6, 0, 0)  # the folder's own cap: none used yet
    assert col.counts("Exam::Data", now=now) == (6, 0, 0)
    served = _study(col, None, now)
    assert [c for c in served if not c.startswith("tour")] == ["data01"]
    every = [
        f"{p}{i:02d}" for p, n in (("tour", 5), ("data", 8), ("mode", 8)) for i in range(1, n + 1)
    ]
    new_today = sum(1 for c in col.cards(every) if c.state is not CardState.NEW)
    assert new_today == 6
    assert col.counts(None, now=now) == (0, 0, 0)
    # The folder's and the deck's queues were cached before the session: they count it.
    assert col.counts("Exam", now=now) == (5, 0, 0)
    assert col.counts("Exam::Data", now=now) == (5, 0, 0)


def test_a_parent_caps_its_children_together(data_dir: Path, open_col) -> None:
    decks = {"exam/data.md": ("data", 6), "exam/model.md": ("mode", 6), "other.md": ("othe", 6)}
    col = _library(data_dir, open_col, decks, new_per_day=4)
    for selection in (None, "Exam", "Exam::Data", "Exam::Model", "Other"):
        assert col.counts(selection, now=T0)[0] == 4
    assert len(_study(col, "Exam::Data", T0)) == 4  # the deck's own limit
    assert col.counts("Exam", now=T0) == (0, 0, 0)  # the folder's 4 are used up
    assert col.next_card("Exam", now=T0) is None
    assert col.counts(None, now=T0) == (0, 0, 0)
    # A child studied on its own keeps its own limit (as in Anki, the parent's applies
    # when the parent is studied) ...
    assert col.counts("Exam::Model", now=T0) == (4, 0, 0)
    assert col.counts("Other", now=T0) == (4, 0, 0)
    # ... and what it introduces counts against the parent from then on.
    assert len(_study(col, "Exam::Model", T0)) == 4
    assert col.counts("Exam", now=T0) == (0, 0, 0)
    # All decks' session, cached before, took the data cards from its count too.
    assert _study(col, None, T0) == []
    # The next day every limit is whole again.
    assert col.counts("Exam", now=T0 + DAY) == (4, 0, 0)


def test_studying_everything_counts_against_each_deck(data_dir: Path, open_col) -> None:
    col = _library(data_dir, open_col, {"a.md": ("aaaa", 6), "b.md": ("bbbb", 6)}, new_per_day=3)
    assert col.counts("B", now=T0) == (3, 0, 0)  # cached before the session
    served = _study(col, None, T0)
    assert len(served) == 3
    done_b = sum(1 for c in served if c.startswith("bbbb"))
    assert col.counts("B", now=T0) == (3 - done_b, 0, 0)
    assert len(_study(col, "B", T0)) == 3 - done_b


def test_the_review_limit_holds_across_decks_too(data_dir: Path, open_col) -> None:
    decks = {"a.md": ("aaaa", 3), "b.md": ("bbbb", 3)}
    col = _library(data_dir, open_col, decks, new_per_day=0, reviews_per_day=3)
    for i in range(1, 4):  # b's reviews are the more overdue: all decks' queue takes them
        col.answer(f"aaaa{i:02d}", Rating.EASY, now=T0 - 30 * DAY)
        col.answer(f"bbbb{i:02d}", Rating.EASY, now=T0 - 60 * DAY)
    assert col.counts(None, now=T0) == (0, 0, 3)
    assert len(_study(col, "A", T0)) == 3
    assert col.counts(None, now=T0) == (0, 0, 0)
    assert _study(col, None, T0) == []
