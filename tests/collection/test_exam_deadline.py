"""Deadline-aware scheduling on a small library: answers capped before the exam, cards
scheduled past it pulled in, the new-card pace in the day's counts, the final pass, the
workload estimate, and everything back to normal after the exam day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from flashcards.collection import Collection
from flashcards.collection.deadline import Deadline
from flashcards.collection.exam import Exams
from flashcards.core.deadline import DeadlineOptions, latest_day, recall_after
from flashcards.core.model import CardState, MemoryState, Rating
from flashcards.core.scheduling import Preset, review
from flashcards.storage.convert import memory_columns
from tests.collection.col_helpers import T0, deck_text, note, write

EXAM = """\
name = "Exam Alpha"
code = "A-01"
questions = 10
minutes = 30
score = { min = 100, max = 1000, pass = 700 }
[[domains]]
name = "Alpha"
weight = 0.5
[[domains]]
name = "Beta"
weight = 0.5
"""
TODAY = T0.date()
PLAIN = replace(Preset(), enable_fuzzing=False, new_per_day=5)


def make_library(data_dir: Path) -> None:
    lib = data_dir / "decks"
    write(lib / "ex" / "exam.toml", EXAM)
    for name, domain in (("alpha", "Alpha"), ("beta", "Beta")):
        notes = [note(f"{name} {i}", nid=f"{name[0]}{i:05d}") for i in range(30)]
        write(lib / "ex" / f"{name}.md", deck_text(*notes, domain=domain))
    notes = [note(f"outside {i}", nid=f"o{i:05d}") for i in range(10)]
    write(lib / "other" / "outside.md", deck_text(*notes))


@pytest.fixture
def col(data_dir: Path, open_col) -> Collection:  # type: ignore[no-untyped-def]
    make_library(data_dir)
    opened: Collection = open_col(now=T0)
    opened.save_preset(PLAIN, preset_id=1)
    return opened


def exam_in(col: Collection, days: int) -> date:
    day = TODAY + timedelta(days=days)
    Exams(col).set_exam_date(day)
    return day


def turn_on(col: Collection, **options: object) -> None:
    Deadline(col).set_options(DeadlineOptions(on=True, **options))  # type: ignore[arg-type]


def set_memory(col: Collection, card_id: str, memory: MemoryState) -> None:
    """Give a card a memory state as if reviewed (the test's starting point)."""
    cols = memory_columns(memory)
    with col.db.raw() as cur:
        cur.execute(
            "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
            "last_review = ? WHERE id = ?",
            (
                cols["state"],
                cols["step"],
                cols["stability"],
                cols["difficulty"],
                cols["due"],
                cols["last_review"],
                card_id,
            ),
        )
    col.set_setting("test_touch", str(memory))  # drop the cached queues


def reviewed(stability: float, *, days_ago: float, due_in: float) -> MemoryState:
    return MemoryState(
        CardState.REVIEW,
        stability=stability,
        difficulty=5.0,
        due=T0 + timedelta(days=due_in),
        last_review=T0 - timedelta(days=days_ago),
    )


# -- the interval cap ----------------------------------------------------------------------


def test_an_answer_whose_interval_passes_the_exam_is_capped(col: Collection) -> None:
    exam_in(col, 20)
    turn_on(col, target=0.97)
    memory = reviewed(30.0, days_ago=30, due_in=0)
    for cid in ("a00000", "o00000"):
        set_memory(col, cid, memory)
    # What FSRS alone gives: Good after 30 days at stability 30 is 85 days.
    plain = review(memory, Rating.GOOD, now=T0, preset=PLAIN, card_id="a00000").after
    assert plain.due is not None and plain.stability is not None
    assert (plain.due - T0).days == 85
    assert recall_after(20, plain.stability, PLAIN) < 0.97
    expected = latest_day(plain.stability, 0.97, PLAIN)
    assert expected == 18
    # The rating buttons say so before the answer...
    labels = col.next_intervals("a00000", now=T0)
    assert labels[Rating.GOOD] == timedelta(days=expected)
    col.answer("a00000", Rating.GOOD, now=T0)
    # ...and the card is due then: reviewed again before the exam.
    assert col.card("a00000").memory.due == T0 + timedelta(days=expected)
    with col.db.raw_read() as cur:
        logged = cur.execute("SELECT scheduled_days FROM reviews WHERE card_id = 'a00000'")
        assert logged.fetchall() == [(float(expected),)]
    # A card of no domain of the exam keeps FSRS's interval.
    assert col.next_intervals("o00000", now=T0)[Rating.GOOD] == timedelta(days=85)
    col.answer("o00000", Rating.GOOD, now=T0)
    assert col.card("o00000").memory.due == T0 + timedelta(days=85)


def violations(col: Collection, ids: list[str], exam: date) -> list[str]:
    """Domain cards due after the exam day whose recall on it is below 0.9."""
    exam_start = T0 + timedelta(days=(exam - TODAY).days)
    out = []
    for view in col.cards(ids):
        m = view.memory
        assert m.due is not None and m.last_review is not None and m.stability is not None
        after_exam = m.due >= exam_start + timedelta(days=1)
        days = (exam_start - m.last_review) / timedelta(days=1)
        if after_exam and recall_after(round(days), m.stability, PLAIN) < 0.9:
            out.append(view.card.id)
    return out


@pytest.mark.parametrize("on", [False, True])
def test_fuzz_never_carries_a_card_past_the_exam_below_the_desired_retention(
    data_dir: Path,
    open_col,
    on: bool,  # type: ignore[no-untyped-def]
) -> None:
    make_library(data_dir)
    col: Collection = open_col(now=T0)
    col.save_preset(replace(PLAIN, enable_fuzzing=True), preset_id=1)
    exam = exam_in(col, 30)
    if on:
        turn_on(col)
    ids = [f"a{i:05d}" for i in range(30)] + [f"b{i:05d}" for i in range(30)]
    for i, cid in enumerate(ids):  # Good from 27 days to ~33: some fuzz lands past the exam
        set_memory(col, cid, reviewed(9.0 + i * 0.05, days_ago=9, due_in=0))
    for cid in ids:
        col.answer(cid, Rating.GOOD, now=T0)
    if on:
        assert violations(col, ids, exam) == []
    else:  # without the deadline fuzz does carry some past it: the test can fail
        assert violations(col, ids, exam)


# -- cards already scheduled past the exam -------------------------------------------------


def test_turning_it_on_pulls_in_cards_scheduled_past_the_exam(col: Collection) -> None:
    exam_in(col, 20)
    far = reviewed(30.0, days_ago=5, due_in=30)  # recall on the exam day (25 days): 0.91
    for cid in ("a00001", "b00001", "o00001"):
        set_memory(col, cid, far)
    set_memory(col, "a00002", reviewed(30.0, days_ago=15, due_in=10))  # due before the exam
    # Before: how many would move.
    work = Deadline(col).workload(now=T0, options=DeadlineOptions(target=0.95))
    assert work is not None and work.pulled_in == 2
    assert col.card("a00001").memory.due == T0 + timedelta(days=30)
    turn_on(col, target=0.95)
    col.queue(now=T0)
    # Recall 0.95 lasts 12 days after the last review, 5 days ago: due in 7 days.
    for cid in ("a00001", "b00001"):
        assert col.card(cid).memory.due == T0 + timedelta(days=7)
    assert col.card("o00001").memory.due == T0 + timedelta(days=30)  # not the exam's
    assert col.card("a00002").memory.due == T0 + timedelta(days=10)
    plan = Deadline(col).plan(now=T0)
    assert plan is not None and plan.days_left == 20


def test_a_card_whose_day_has_passed_is_due_now(col: Collection) -> None:
    exam_in(col, 20)
    set_memory(col, "a00003", reviewed(30.0, days_ago=15, due_in=30))
    turn_on(col, target=0.95)
    assert col.counts("ex", now=T0)[2] == 1
    assert col.next_card("ex", now=T0).card.id == "a00003"  # type: ignore[union-attr]


# -- the new-card pace ---------------------------------------------------------------------


def test_the_pace_raises_the_days_new_cards(col: Collection) -> None:
    exam_in(col, 10)  # finish by day 3 after today: 4 days for 60 new cards = 15 a day
    assert col.counts("ex", now=T0)[0] == 5
    turn_on(col)
    assert col.counts("ex", now=T0)[0] == 15
    assert col.counts("ex/alpha.md", now=T0)[0] == 15
    assert col.counts("other", now=T0)[0] == 5  # not the exam's
    counts = {d.file: d.new for d in col.decks(now=T0)}
    assert counts == {"ex/alpha.md": 15, "ex/beta.md": 15, "other/outside.md": 5}
    assert Deadline(col).today_line(now=T0) == "15 new a day to finish by 1 Dec"
    # The pace holds through the day: three answered, twelve to go.
    for _ in range(3):
        card = col.next_card("ex", now=T0)
        assert card is not None and card.memory.state is CardState.NEW
        col.answer(card.card.id, Rating.GOOD, now=T0)
    col.set_setting("test_touch", 1)  # the queue built again, the plan too
    assert col.counts("ex", now=T0)[0] == 12


def _study(col: Collection, deck: str | None) -> int:
    """Answer Easy whatever `deck` serves until nothing is left; the new cards among them."""
    new = 0
    while (card := col.next_card(deck, now=T0)) is not None:
        new += card.memory.state is CardState.NEW
        col.answer(card.card.id, Rating.EASY, now=T0)
        assert new <= 60
    return new


def _exam_cards_seen(col: Collection) -> int:
    ids = [f"{p}{i:05d}" for p in "ab" for i in range(30)]
    return sum(v.memory.state is not CardState.NEW for v in col.cards(ids, now=T0))


def test_the_pace_is_one_budget_shared_by_every_selection(col: Collection) -> None:
    # QA: after Study now gave the day's pace, each exam deck on its own offered as many
    # again (600 new on one day against a pace of 100).
    exam_in(col, 10)  # 15 a day
    turn_on(col)
    first = _study(col, None)  # the pace's 15 and the other deck's: a cap of 15 in all
    assert first == 15
    left = 15 - _exam_cards_seen(col)
    assert col.counts("ex/alpha.md", now=T0)[0] == left
    assert {d.file: d.new for d in col.decks(now=T0)}["ex/beta.md"] == left
    assert _study(col, "ex/alpha.md") + _study(col, "ex/beta.md") + _study(col, "ex") == left
    assert _exam_cards_seen(col) == 15
    assert col.counts("ex/beta.md", now=T0)[0] == 0


def test_one_deck_alone_is_held_to_the_pace_and_leaves_the_others_what_is_left(
    col: Collection,
) -> None:
    exam_in(col, 10)
    turn_on(col)
    assert col.counts("ex/alpha.md", now=T0)[0] == 15
    for _ in range(10):
        card = col.next_card("ex/alpha.md", now=T0)
        assert card is not None
        col.answer(card.card.id, Rating.EASY, now=T0)
    assert col.counts("ex/beta.md", now=T0)[0] == 5
    assert col.counts("ex", now=T0)[0] == 5
    assert _study(col, "ex/alpha.md") == 5  # a single deck gets no more than the pace
    assert _study(col, "ex/beta.md") == 0
    assert _exam_cards_seen(col) == 15
    assert col.counts("other", now=T0)[0] == 5  # not the exam's: its own limit


def test_the_pace_never_lowers_the_presets_new_cards(col: Collection) -> None:
    exam_in(col, 200)  # 60 cards over 194 days: 1 a day
    turn_on(col)
    assert col.counts("ex", now=T0)[0] == 5
    assert Deadline(col).today_line(now=T0) == (
        "5 new a day finishes the new cards by 9 Dec (deadline 9 Jun)"
    )


# -- the final pass ------------------------------------------------------------------------


def test_the_final_pass_brings_the_weakest_cards_forward_once_a_day(col: Collection) -> None:
    exam_in(col, 2)
    # Recall on the exam day, all above 0.9 (nothing to pull in): a00010 lowest, then b00010.
    set_memory(col, "a00010", reviewed(40.0, days_ago=30, due_in=20))
    set_memory(col, "b00010", reviewed(60.0, days_ago=30, due_in=40))
    set_memory(col, "a00011", reviewed(200.0, days_ago=10, due_in=100))
    set_memory(col, "o00009", reviewed(40.0, days_ago=30, due_in=20))  # not the exam's
    turn_on(col, final_days=3, final_per_day=2)
    assert col.counts("ex", now=T0)[2] == 2
    assert set(col.queue("ex", now=T0)[:2]) == {"a00010", "b00010"}
    assert col.card("a00011").memory.due == T0 + timedelta(days=100)
    assert col.card("o00009").memory.due == T0 + timedelta(days=20)
    line = Deadline(col).today_line(now=T0)
    assert line is not None and line.endswith("final pass: 2 weakest cards brought forward today")
    # Made again the same day (a setting changed), it brings no more.
    col.set_setting("test_touch", 2)
    assert col.counts(now=T0)[2] == 2
    # The next day the pass takes the next weakest.
    tomorrow = T0 + timedelta(days=1)
    col.counts("ex", now=tomorrow)
    assert col.card("a00011").memory.due <= tomorrow  # type: ignore[operator]


# -- the workload, and after the exam ------------------------------------------------------


def test_the_workload_is_estimated_before_turning_it_on(col: Collection) -> None:
    assert Deadline(col).workload(now=T0) is None  # no exam date
    exam_in(col, 10)
    set_memory(col, "a00020", reviewed(30.0, days_ago=15, due_in=5))  # due before the exam
    work = Deadline(col).workload(now=T0)
    assert work is not None
    assert (work.days, work.new_now, work.new_on) == (10, 5, 15)
    assert work.reviews_on > work.reviews_now >= 1
    # Reading it moved nothing and turned nothing on.
    assert Deadline(col).plan(now=T0) is None
    assert col.counts("ex", now=T0)[0] == 5


def test_after_the_exam_scheduling_is_normal_again(col: Collection) -> None:
    exam_in(col, 10)
    turn_on(col, target=0.95)
    after = T0 + timedelta(days=11)
    assert Deadline(col).plan(now=after) is None
    assert col.counts("ex", now=after)[0] == 5
    memory = reviewed(30.0, days_ago=30, due_in=0)
    set_memory(col, "a00029", replace(memory, due=after, last_review=after - timedelta(days=30)))
    col.answer("a00029", Rating.GOOD, now=after)
    assert col.card("a00029").memory.due == after + timedelta(days=85)
    # On the exam day itself too.
    assert Deadline(col).plan(now=T0 + timedelta(days=10)) is None


def test_turning_it_off_restores_the_presets_new_cards(col: Collection) -> None:
    exam_in(col, 10)
    turn_on(col)
    assert col.counts("ex", now=T0)[0] == 15
    Deadline(col).turn(False)
    assert col.counts("ex", now=T0)[0] == 5
    assert Deadline(col).options() == DeadlineOptions(on=False)


def test_the_plan_covers_exactly_the_profiles_domain_cards(
    data_dir: Path,
    open_col,  # type: ignore[no-untyped-def]
) -> None:
    # Front matter under the profile's folder and query matches anywhere, as Exams has it.
    from tests.collection.test_exam_profiles import make_library as profiles_library

    profiles_library(data_dir)
    col: Collection = open_col(now=T0)
    for profile in ("A-01", "B-01"):
        Exams(col).set_active(profile)
        exam_in(col, 30)
        turn_on(col)
        plan = Deadline(col).plan(now=T0)
        assert plan is not None
        domains = Exams(col).domain_cards(now=T0)
        with col.db.raw_read() as cur:
            ids = plan.card_ids(cur)
            assert ids == {c for c_ids in domains.values() for c in c_ids}
            assert ids  # not vacuous
            assert all(plan.covers(cur, c) for c in ids)
            assert not any(plan.covers(cur, c) for c in ("stray1", "plain1") if c not in ids)
