"""The daily queue: order, limits, sibling burying, learning, exclusions, rollover."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from col_helpers import T0, deck_text, note, write

from flashcards.collection.base import UnknownDeckError
from flashcards.core.model import CardState, Rating

DAY = timedelta(days=1)


def setup_decks(data_dir: Path) -> None:
    write(
        data_dir / "decks" / "exam" / "data.md",
        deck_text(*(note(f"D{i}", "d", nid=f"data0{i}") for i in range(1, 4)), domain="Data"),
    )
    write(
        data_dir / "decks" / "exam" / "model.md",
        deck_text(*(note(f"M{i}", "m", nid=f"mode0{i}") for i in range(1, 4)), domain="Modeling"),
    )


def test_new_cards_in_file_order_interleaved_across_domains(data_dir: Path, open_col) -> None:
    setup_decks(data_dir)
    col = open_col()
    assert col.queue(now=T0) == ["data01", "mode01", "data02", "mode02", "data03", "mode03"]
    assert col.queue("exam/model.md", now=T0) == ["mode01", "mode02", "mode03"]
    assert col.queue("Exam::Model", now=T0) == ["mode01", "mode02", "mode03"]  # by deck name
    assert len(col.queue("exam", now=T0)) == 6  # a folder
    assert col.next_card(now=T0).id == "data01"


def test_order_learning_then_reviews_by_overdue_then_new(data_dir: Path, open_col) -> None:
    setup_decks(data_dir)
    col = open_col()
    # Two review cards: one reviewed 30 days ago, one 12 days ago (same stability).
    col.answer("data01", Rating.EASY, now=T0 - 30 * DAY)
    col.answer("data02", Rating.EASY, now=T0 - 12 * DAY)
    col.answer("mode01", Rating.AGAIN, now=T0 - timedelta(minutes=5))  # learning, due now
    q = col.queue(now=T0)
    assert q[:3] == ["mode01", "data01", "data02"]
    assert q[3:] == ["data03", "mode02", "mode03"]  # new: file order, domains alternating
    assert col.card("data01").retrievability(T0) < col.card("data02").retrievability(T0)
    assert col.next_card(now=T0).id == "mode01"


def test_new_per_day_limit_counts_todays_introductions(data_dir: Path, open_col) -> None:
    setup_decks(data_dir)
    col = open_col()
    col.save_preset(replace(col.presets()[1], new_per_day=2), preset_id=1)
    assert col.queue("exam/data.md", now=T0) == ["data01", "data02"]
    col.answer("data01", Rating.EASY, now=T0)
    assert col.queue("exam/data.md", now=T0) == ["data02"]
    col.answer("data02", Rating.EASY, now=T0)
    assert col.queue("exam/data.md", now=T0) == []
    assert col.next_card("exam/data.md", now=T0) is None
    assert col.queue("exam/data.md", now=T0 + DAY) == ["data03"]  # a new day
    # The whole selection is capped by the default preset too (2 already introduced).
    assert col.queue("exam/model.md", now=T0) == ["mode01", "mode02"]
    assert col.queue(now=T0) == []


def test_reviews_per_day_limit(data_dir: Path, open_col) -> None:
    setup_decks(data_dir)
    col = open_col()
    for nid in ("data01", "data02", "data03"):
        col.answer(nid, Rating.EASY, now=T0 - 40 * DAY)
    col.save_preset(replace(col.presets()[1], reviews_per_day=2, new_per_day=0), preset_id=1)
    due = col.queue("exam/data.md", now=T0)
    assert len(due) == 2
    col.answer(due[0], Rating.GOOD, now=T0)
    assert len(col.queue("exam/data.md", now=T0)) == 1
    assert col.counts("exam/data.md", now=T0) == (0, 0, 1)
    info = {d.file: d for d in col.decks(now=T0)}["exam/data.md"]
    assert (info.new, info.due, info.total) == (0, 1, 3)


def test_siblings_are_buried_for_the_day(data_dir: Path, open_col) -> None:
    write(
        data_dir / "decks" / "geo.md",
        deck_text(
            "## Capital of France {#fr0001 .reverse}\nParis\n",
            "## Cloze {#cl0001}\n{{one}} and {{two}}\n",
            note("Plain", "p", nid="plain1"),
        ),
    )
    col = open_col()
    q = col.queue(now=T0)
    assert q == ["fr0001", "cl0001:c1", "plain1"]  # one card per note a day
    change = col.answer("fr0001", Rating.GOOD, now=T0)
    assert "fr0001:r" in change.cards
    assert col.card("fr0001:r", now=T0).buried
    assert not col.card("fr0001:r", now=T0 + DAY).buried  # buried for the day only
    assert "fr0001:r" not in col.queue(now=T0 + timedelta(hours=1))
    col.suspend(["fr0001"])  # tomorrow its learning sibling would take the note's turn
    assert "fr0001:r" in col.queue(now=T0 + DAY)


def test_learning_card_returns_when_due_and_learn_ahead(data_dir: Path, open_col) -> None:
    write(data_dir / "decks" / "a.md", deck_text(note("Only", "o", nid="only01")))
    col = open_col()
    col.answer("only01", Rating.GOOD, now=T0)  # next step in 10 minutes
    assert col.card("only01").memory.state is CardState.LEARNING
    # Nothing else left: shown early within the 20-minute learn-ahead window.
    assert col.next_card(now=T0 + timedelta(minutes=1)).id == "only01"
    col.set_setting("learn_ahead_minutes", 0)
    assert col.next_card(now=T0 + timedelta(minutes=1)) is None
    assert col.next_card(now=T0 + timedelta(minutes=10)).id == "only01"


def test_learning_due_later_waits_behind_other_cards(data_dir: Path, open_col) -> None:
    write(
        data_dir / "decks" / "a.md",
        deck_text(note("L", "l", nid="lrn001"), note("N", "n", nid="new001")),
    )
    col = open_col()
    col.answer("lrn001", Rating.GOOD, now=T0)
    assert col.next_card(now=T0 + timedelta(minutes=1)).id == "new001"
    assert col.next_card(now=T0 + timedelta(minutes=11)).id == "lrn001"


def test_suspended_buried_and_hidden_cards_are_excluded(data_dir: Path, open_col) -> None:
    setup_decks(data_dir)
    col = open_col()
    col.suspend(["data01"])
    col.bury(["data02"], now=T0)
    q = col.queue("exam/data.md", now=T0)
    assert q == ["data03"]
    assert col.card("data01", now=T0).suspended and col.card("data02", now=T0).buried
    assert not col.card("data02", now=T0 + DAY).buried
    assert "data02" in col.queue("exam/data.md", now=T0 + DAY)  # burying lasts a day
    col.unsuspend(["data01"])
    assert "data01" in col.queue("exam/data.md", now=T0)


def test_answers_before_rollover_count_for_the_previous_day(data_dir: Path, open_col) -> None:
    setup_decks(data_dir)
    col = open_col()  # UTC zone, rollover 04:00
    col.save_preset(replace(col.presets()[1], new_per_day=1), preset_id=1)
    late = T0.replace(hour=3, minute=30) + DAY  # 03:30 next morning: still "today"
    col.answer("data01", Rating.GOOD, now=T0)
    assert "data02" not in col.queue("exam/data.md", now=late)
    assert "data02" in col.queue("exam/data.md", now=late + timedelta(hours=1))


def test_answer_then_next_uses_the_cached_queue_consistently(data_dir: Path, open_col) -> None:
    setup_decks(data_dir)
    col = open_col()
    seen = []
    t = T0
    while (card := col.next_card(now=t)) is not None and len(seen) < 20:
        seen.append(card.id)
        col.answer(card.id, Rating.EASY, now=t, duration_ms=999_999)
        t += timedelta(seconds=5)
    assert sorted(seen) == sorted(["data01", "data02", "data03", "mode01", "mode02", "mode03"])
    assert col.history("data01")[0].duration_ms == 60_000  # capped
    assert col.stats(now=t).reviews_today == 6


def test_new_day_starts_at_local_rollover_across_dst(data_dir: Path, open_col) -> None:
    from datetime import UTC, datetime

    setup_decks(data_dir)
    col = open_col()
    col.set_setting("timezone", "Europe/Berlin")
    col.save_preset(replace(col.presets()[1], new_per_day=1), preset_id=1)
    # 29 March 2026: clocks jump 02:00 → 03:00 in Berlin; the day starts 04:00 CEST = 02:00 UTC.
    before = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST: still the 28th
    col.answer("data01", Rating.EASY, now=before - timedelta(hours=3))  # 00:30 CET, the 28th
    assert col.queue("exam/data.md", now=before) == []  # the 28th's one new card is used
    after = datetime(2026, 3, 29, 2, 0, tzinfo=UTC)  # 04:00 CEST: a new study day
    assert col.queue("exam/data.md", now=after) == ["data02"]
    assert col.today(after) == col.today(before) + 1


def test_an_exam_domain_is_one_selection_capped_as_a_whole(data_dir: Path, open_col) -> None:
    setup_decks(data_dir)
    write(
        data_dir / "decks" / "exam" / "model2.md",
        deck_text(*(note(f"N{i}", "n", nid=f"mode1{i}") for i in range(1, 4)), domain="Modeling"),
    )
    col = open_col()
    col.save_preset(replace(col.presets()[1], new_per_day=2), preset_id=1)
    per_deck = sum(col.counts(d, now=T0)[0] for d in ("exam/model.md", "exam/model2.md"))
    assert per_deck == 4  # each deck's own limit
    assert col.queue("domain:Modeling", now=T0) == ["mode01", "mode02"]  # capped at 2
    assert col.queue("domain:modeling", now=T0) == ["mode01", "mode02"]  # any case
    assert col.counts("domain:Modeling", now=T0) == (2, 0, 0)
    col.answer(col.next_card("domain:Modeling", now=T0).id, Rating.GOOD, now=T0)
    assert col.counts("domain:Modeling", now=T0)[0] == 1
    assert col.queue("domain:Data", now=T0) == ["data01", "data02"]
    with pytest.raises(UnknownDeckError):
        col.queue("domain:Nowhere", now=T0)
