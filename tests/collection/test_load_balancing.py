"""Load balancing in the collection: an answered review card falls due on the least
loaded day its fuzz range allows (counted per preset, kept up to date answer by answer),
and easy days keep reviews off the weekdays set to minimum."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from col_helpers import T0, deck_text, note, write

from flashcards.collection import Collection
from flashcards.core.load_balance import EasyDay, fuzz_range
from flashcards.core.model import Rating

START = T0 - timedelta(days=20)


def make(data_dir: Path, open_col, *, cards: int = 6, fillers: int = 250) -> Collection:
    write(
        data_dir / "decks" / "main.md",
        deck_text(*(note(f"Card {i}", nid=f"card{i:02}") for i in range(cards)), title="Main"),
    )
    write(
        data_dir / "decks" / "filler.md",
        deck_text(*(note(f"Filler {i}", nid=f"fill{i:02}") for i in range(fillers)), title="Fill"),
    )
    col: Collection = open_col()
    # Every card of Main was last seen 20 days before T0 and is due at T0, all alike.
    col.set_due([f"card{i:02}" for i in range(cards)], days=20, now=START)
    return col


def due_day(col: Collection, cid: str) -> int:
    """Study days from T0's to the card's due date."""
    due = col.card(cid).memory.due
    assert due is not None
    return col.today(due) - col.today(T0)


def load_days(col: Collection, days: list[int], *, per_day: int = 20) -> None:
    """Make `per_day` filler cards review cards due on each of `days` (after T0's day)."""
    fillers = iter(f"fill{i:02}" for i in range(250))
    for day in days:
        col.set_due([next(fillers) for _ in range(per_day)], days=day, now=T0)


def good_range(col: Collection) -> tuple[int, int]:
    interval = col.next_intervals("card00", now=T0)[Rating.GOOD].days
    bounds = fuzz_range(interval, 36500)
    assert bounds is not None and 3 <= interval <= 90
    return bounds


def test_the_answer_takes_the_least_loaded_day_of_its_fuzz_range(data_dir: Path, open_col) -> None:
    col = make(data_dir, open_col)
    low, high = good_range(col)
    light = high - 1  # not the nearest day: only the load can pick it
    load_days(col, [d for d in range(low, high + 1) if d != light])
    col.answer("card00", Rating.GOOD, now=T0)
    assert due_day(col, "card00") == light


def test_each_answer_counts_for_the_next_one(data_dir: Path, open_col) -> None:
    col = make(data_dir, open_col)
    low, high = good_range(col)
    free = {low + 1, high}
    load_days(col, [d for d in range(low, high + 1) if d not in free])
    col.answer("card00", Rating.GOOD, now=T0)
    col.answer("card01", Rating.GOOD, now=T0 + timedelta(seconds=10))
    # Both alike, so both would take the same day if the first answer were not counted.
    assert {due_day(col, "card00"), due_day(col, "card01")} == free


def test_without_balancing_the_load_is_ignored(data_dir: Path, open_col) -> None:
    col = make(data_dir, open_col, cards=12)
    col.save_preset(replace(col.presets()[1], load_balancing=False), preset_id=1)
    low, high = good_range(col)
    light = high - 1
    load_days(col, [d for d in range(low, high + 1) if d != light])
    days = set()
    for i in range(12):
        col.answer(f"card{i:02}", Rating.GOOD, now=T0 + timedelta(seconds=i))
        days.add(due_day(col, f"card{i:02}"))
    assert days - {light}  # plain fuzz lands on loaded days too


def test_the_same_answer_gives_the_same_day_after_an_undo(data_dir: Path, open_col) -> None:
    col = make(data_dir, open_col)
    col.answer("card00", Rating.GOOD, now=T0)
    first = col.card("card00").memory.due
    col.undo()
    col.answer("card00", Rating.GOOD, now=T0)
    assert col.card("card00").memory.due == first


def test_easy_days_keep_reviews_off_a_minimum_weekday(data_dir: Path, open_col) -> None:
    col = make(data_dir, open_col, cards=24)
    low, high = good_range(col)
    today = col.today(T0)
    off_day = low + 2
    weekday = date.fromordinal(today + off_day).weekday()
    easy = [EasyDay.NORMAL] * 7
    easy[weekday] = EasyDay.MINIMUM
    relaxed = col.save_preset(replace(col.presets()[1], name="Easy days", easy_days=tuple(easy)))
    col.set_deck_preset("Main", relaxed)
    for i in range(24):
        col.answer(f"card{i:02}", Rating.GOOD, now=T0 + timedelta(seconds=i))
    days = [due_day(col, f"card{i:02}") for i in range(24)]
    assert off_day not in days
    assert len(set(days)) >= 7  # spread over the other days


def test_a_normal_week_spreads_over_every_day(data_dir: Path, open_col) -> None:
    col = make(data_dir, open_col, cards=24)
    low, high = good_range(col)
    for i in range(24):
        col.answer(f"card{i:02}", Rating.GOOD, now=T0 + timedelta(seconds=i))
    days = [due_day(col, f"card{i:02}") for i in range(24)]
    assert days.count(low + 2) >= 1  # the day an easy day keeps free, above
    counts = [days.count(d) for d in range(low, high + 1)]
    assert max(counts) <= 4  # evened out: 24 cards on 11 days
