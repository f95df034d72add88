"""The study pace read from a real review log: each kind of look timed on its own,
practice and untimed answers left out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from col_helpers import T0, deck_text, note, write

from flashcards.collection import Collection
from flashcards.collection.study_pace import study_pace
from flashcards.core.model import Rating
from flashcards.core.study_time import MIN_LOOKS, Pace


def test_pace_times_first_looks_learning_steps_and_reviews_apart(
    data_dir: Path, open_col: Callable[..., Collection]
) -> None:
    count = MIN_LOOKS
    write(data_dir / "decks" / "d.md", deck_text(*(note(f"Card {i}") for i in range(count))))
    col = open_col()
    assert study_pace(col) == Pace()  # no history: the defaults
    ids = col.queue(now=T0)
    assert len(ids) == count
    for card_id in ids:  # first look: 30 s, Good (to the 10-minute step)
        col.answer(card_id, Rating.GOOD, now=T0, duration_ms=30_000)
    later = T0 + timedelta(minutes=15)
    for card_id in ids:  # the learning step: 6 s, Good (learnt)
        col.answer(card_id, Rating.GOOD, now=later, duration_ms=6_000)
    for card_id in ids[:5]:  # practice is not study time of the day's cards
        col.practice(card_id, Rating.GOOD, now=later, duration_ms=50_000)
    for card_id in ids[:5]:  # no time recorded (as imported history)
        col.answer(card_id, Rating.GOOD, now=later + timedelta(days=9), duration_ms=0)
    pace = study_pace(col)
    assert pace.first_look == 30.0
    assert pace.learning_look == 6.0
    assert pace.looks_per_new == 2.0
    assert pace.review == Pace().review  # too few timed reviews yet
    assert study_pace(col, recent=count).first_look == Pace().first_look  # only steps
