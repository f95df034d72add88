"""Optimising a preset on a real collection: which answers count, the fit saved with the
memory states replayed, the refusal, and the simulation of the preset's cards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import pytest
from col_helpers import T0, deck_text, note, write

from flashcards.collection import Collection
from flashcards.collection.optimize import (
    find_preset,
    optimize_preset,
    preset_decks,
    read_history,
    recompute_memory,
    simulate_preset,
)
from flashcards.core.days import day_number
from flashcards.core.errors import FlashcardsError
from flashcards.core.model import Rating
from flashcards.core.optimize import Answer
from flashcards.core.scheduling import Preset
from flashcards.core.synthetic_history import deck_text as synthetic_deck
from flashcards.core.synthetic_history import review_log, synthetic_history
from flashcards.interop.history import replay

DEFAULTS = tuple(Preset().parameters)
TRUE = (0.6, 1.8, 6.0, 18.0, *DEFAULTS[4:8], 1.3, *DEFAULTS[9:11], 1.2, *DEFAULTS[12:20], 0.3)

Opener = Callable[..., Collection]


def with_imported_history(col: Collection, *, cards: int, seed: int = 1) -> dict[str, list[Answer]]:
    """A deck whose cards have a history drawn from TRUE, brought in as an Anki import
    brings its review log: entries of the device 'import', memory states replayed."""
    start = day_number(T0, UTC, 4) - 400
    history = synthetic_history(
        TRUE, cards=cards, reviews_per_card=6, seed=seed, first_day=start, spread_days=120
    )
    log = review_log(history)
    col.apply_import(
        {"synthetic.md": synthetic_deck(list(history)).encode()},
        reviews=log,
        states=replay(log),
        now=T0,
    )
    return history


def test_answers_count_practice_does_not_and_a_reset_starts_afresh(
    open_col: Opener, data_dir: Path
) -> None:
    write(
        data_dir / "decks" / "d.md", deck_text(note("One", nid="one001"), note("Two", nid="two002"))
    )
    col = open_col()
    col.sync(now=T0)
    day = timedelta(days=1)
    col.answer("one001", Rating.GOOD, now=T0, duration_ms=7000)
    col.practice("one001", Rating.AGAIN, now=T0 + day)  # cramming: not a scheduled answer
    col.answer("one001", Rating.HARD, now=T0 + 3 * day)
    # 02:00 is before the 4:00 rollover: it belongs to the study day before.
    col.answer("one001", Rating.GOOD, now=T0 + 6 * day - timedelta(hours=10))
    col.answer("two002", Rating.AGAIN, now=T0)
    col.reset(["two002"], now=T0 + day)  # Forget: its history starts again
    col.answer("two002", Rating.EASY, now=T0 + 2 * day)
    col.set_due(["two002"], days=5, now=T0 + 2 * day)  # a manual row, skipped

    history = read_history(col, ["d.md"])

    today = day_number(T0, UTC, 4)
    assert history["one001"] == [
        Answer(today, 3, 7.0),
        Answer(today + 3, 2, 0.0),
        Answer(today + 5, 3, 0.0),
    ]
    assert history["two002"] == [Answer(today + 2, 4, 0.0)]


def test_a_preset_is_fitted_to_imported_history_and_memory_follows(open_col: Opener) -> None:
    col = open_col()
    history = with_imported_history(col, cards=700)
    before = {c.id: c for c in col.cards(list(history), now=T0)}

    report = optimize_preset(col, 1)

    assert report.kept and report.saved
    assert report.fit.reviews == sum(len(h) for h in history.values())
    assert report.fit.fitted_eval.log_loss < report.fit.current_eval.log_loss
    saved = col.presets()[1]
    assert saved.parameters == report.fit.fitted != DEFAULTS
    # Memory states are what replaying each history with the new parameters gives;
    # due dates and states are left as they were (nothing is rescheduled).
    expected = replay(review_log(history), preset=replace(saved, enable_fuzzing=False))
    after = {c.id: c for c in col.cards(list(history), now=T0)}
    assert report.cards_updated == len(history)
    for card_id in history:
        assert after[card_id].memory.stability == pytest.approx(expected[card_id].stability)
        assert after[card_id].memory.difficulty == pytest.approx(expected[card_id].difficulty)
        assert after[card_id].memory.due == before[card_id].memory.due
        assert after[card_id].memory.state == before[card_id].memory.state
    changed = [c for c in history if after[c].memory.stability != before[c].memory.stability]
    assert len(changed) > len(history) / 2
    assert col.undo_label() is None  # undo held the old memory states


def test_a_fit_that_is_not_better_changes_nothing(open_col: Opener) -> None:
    col = open_col()
    with_imported_history(col, cards=500, seed=4)
    first = optimize_preset(col, 1)
    assert first.kept
    stored = col.presets()[1]

    again = optimize_preset(col, 1)

    assert not again.kept and not again.saved and again.cards_updated == 0
    assert col.presets()[1] == stored
    assert again.to_json()["parameters"] == list(stored.parameters)


def test_too_little_history_is_refused(open_col: Opener) -> None:
    col = open_col()
    with_imported_history(col, cards=15)
    with pytest.raises(FlashcardsError, match=r"only \d+ reviews to learn from \(15 cards\)"):
        optimize_preset(col, 1)
    assert col.presets()[1].parameters == DEFAULTS


def test_only_the_presets_own_decks_count(open_col: Opener, data_dir: Path) -> None:
    col = open_col()
    with_imported_history(col, cards=30)
    write(data_dir / "decks" / "other.md", deck_text(note("Else", nid="else01")))
    col.sync(now=T0)
    second = col.save_preset(Preset(name="Exam"))
    col.set_deck_preset("other.md", second)
    assert preset_decks(col, second) == ["other.md"]
    assert preset_decks(col, 1) == ["synthetic.md"]
    assert read_history(col, preset_decks(col, second)) == {}
    assert find_preset(col, "exam") == second == find_preset(col, str(second))
    with pytest.raises(FlashcardsError, match="no preset 'Nope'; the presets are: 1 'Default'"):
        find_preset(col, "Nope")


def test_recompute_keeps_new_and_reset_cards_as_they_are(open_col: Opener, data_dir: Path) -> None:
    write(
        data_dir / "decks" / "d.md", deck_text(note("One", nid="one001"), note("Two", nid="two002"))
    )
    col = open_col()
    col.sync(now=T0)
    col.answer("one001", Rating.GOOD, now=T0)
    col.reset(["one001"], now=T0 + timedelta(days=1))
    col.save_preset(replace(col.presets()[1], parameters=TRUE), preset_id=1)
    assert recompute_memory(col, 1) == 0
    assert col.card("one001").memory.stability is None


def test_the_presets_cards_are_simulated(open_col: Opener) -> None:
    col = open_col()
    with_imported_history(col, cards=300)
    report = simulate_preset(col, 1)
    data = report.to_json()
    assert data["cards"] == 300 and data["new_per_day"] == 20 and data["days"] == 365
    assert data["habits"] == "measured"
    assert data["desired_retention"] == 0.9
    retentions = [p["retention"] for p in data["retentions"]]
    assert 0.9 in retentions and retentions == sorted(retentions)
    assert data["minimum_recommended_retention"] in retentions
    # The options being edited stand in for the saved preset.
    edited = replace(col.presets()[1], desired_retention=0.85, new_per_day=5)
    other = simulate_preset(col, 1, preset=edited)
    assert other.workload.new_per_day == 5 and 0.85 in [p.retention for p in other.workload.points]


def test_study_days_follow_the_local_rollover_across_clock_changes(
    open_col: Opener, data_dir: Path
) -> None:
    from zoneinfo import ZoneInfo

    from flashcards.core.model import CardId, ReviewEntry

    write(data_dir / "decks" / "d.md", deck_text(note("One", nid="one001")))
    col = open_col()
    col.set_setting("timezone", "America/New_York")
    col.sync(now=T0)
    zone = ZoneInfo("America/New_York")
    # Around the rollover (4:00 local) on both sides of the spring and autumn changes.
    local = [
        (2026, 3, 7, 3, 59),
        (2026, 3, 8, 4, 1),
        (2026, 3, 9, 3, 30),
        (2026, 3, 9, 4, 30),
        (2026, 10, 31, 23, 0),
        (2026, 11, 1, 1, 30),
        (2026, 11, 1, 3, 59),
        (2026, 11, 1, 4, 0),
        (2026, 11, 2, 12, 0),
    ]
    times = [datetime_in(zone, *parts) for parts in local]
    col.apply_import(
        {}, reviews=[ReviewEntry(CardId("one001"), t, Rating.GOOD) for t in times], now=T0
    )

    days = [a.day for a in read_history(col, ["d.md"])["one001"]]

    assert days == [day_number(t, zone, 4) for t in times]
    assert days[0] + 2 == days[1] == days[2] and days[3] == days[2] + 1


def datetime_in(zone: Any, *parts: int) -> Any:
    from datetime import datetime

    return datetime(*parts, tzinfo=zone).astimezone(UTC)


def test_habits_can_be_read_from_a_sample_of_cards(open_col: Opener) -> None:
    col = open_col()
    with_imported_history(col, cards=50)
    sample = read_history(col, ["synthetic.md"], cards=10)
    everything = read_history(col, ["synthetic.md"])
    assert len(sample) == 10 and len(everything) == 50
    assert all(everything[card] == answers for card, answers in sample.items())
