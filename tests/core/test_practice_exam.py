"""Practice exams, the pure part: drawing by domain weight with avoidance of past
sittings, all-or-nothing scoring, the scaled mapping and the clock."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from flashcards.core.exam import ExamDomain, ExamProfile, allocate_questions
from flashcards.core.model import CardId
from flashcards.core.practice_exam import (
    DomainPool,
    ExamClock,
    Marked,
    draw_questions,
    format_clock,
    format_used,
    is_right,
    scaled_result,
    score_exam,
    warnings_crossed,
)

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)

MLS = ExamProfile(
    name="AWS Certified Machine Learning – Specialty",
    questions=65,
    minutes=180,
    score_min=100,
    score_max=1000,
    score_pass=750,
    domains=(
        ExamDomain("Data Engineering", 0.20),
        ExamDomain("Exploratory Data Analysis", 0.24),
        ExamDomain("Modeling", 0.36),
        ExamDomain("Machine Learning Implementation and Operations", 0.20),
    ),
)


def ids(prefix: str, n: int) -> tuple[CardId, ...]:
    return tuple(CardId(f"{prefix}{i:03d}") for i in range(n))


def mls_pools(per_domain: int = 40) -> list[DomainPool]:
    counts = allocate_questions([d.weight for d in MLS.domains], MLS.questions)
    return [
        DomainPool(d.name, ids(f"d{i}-", per_domain), n)
        for i, (d, n) in enumerate(zip(MLS.domains, counts, strict=True))
    ]


# -- drawing ----------------------------------------------------------------------------


def test_a_full_exam_draws_each_domain_its_weighted_share() -> None:
    drawn = draw_questions(mls_pools(), seed=7)
    assert len(drawn) == 65
    assert len({d.card_id for d in drawn}) == 65
    per_domain = Counter(d.domain for d in drawn)
    assert [per_domain[d.name] for d in MLS.domains] == [13, 16, 23, 13]
    # Each card was asked for the domain it belongs to.
    for d in drawn:
        index = [x.name for x in MLS.domains].index(d.domain)
        assert d.card_id.startswith(f"d{index}-")


def test_the_same_seed_draws_the_same_exam_and_another_seed_another() -> None:
    first = draw_questions(mls_pools(), seed=7)
    assert draw_questions(mls_pools(), seed=7) == first
    other = draw_questions(mls_pools(), seed=8)
    assert {d.card_id for d in other} != {d.card_id for d in first}


def test_domains_are_mixed_not_asked_one_after_another() -> None:
    drawn = draw_questions(mls_pools(), seed=3)
    first_thirteen = Counter(d.domain for d in drawn[:13])
    assert len(first_thirteen) >= 3


def test_the_last_sittings_questions_wait_while_unseen_ones_remain() -> None:
    pools = mls_pools(per_domain=50)
    first = draw_questions(pools, seed=1)
    second = draw_questions(pools, seed=2, recent=[{d.card_id for d in first}])
    assert not {d.card_id for d in first} & {d.card_id for d in second}
    # 50 cards a domain: after two sittings the Modeling pool (23 a sitting) has 4 cards
    # never asked; a third sitting asks those, then the first sitting's (met longest ago).
    recent = [{d.card_id for d in second}, {d.card_id for d in first}]
    third = draw_questions(pools, seed=3, recent=recent)
    modeling = {d.card_id for d in third if d.domain == "Modeling"}
    seen_first = {d.card_id for d in first if d.domain == "Modeling"}
    seen_second = {d.card_id for d in second if d.domain == "Modeling"}
    never = set(ids("d2-", 50)) - seen_first - seen_second
    assert len(never) == 4
    assert never <= modeling
    assert modeling - never <= seen_first
    assert not modeling & seen_second


def test_a_domain_short_of_cards_leaves_its_questions_to_the_others() -> None:
    pools = [
        DomainPool("A", ids("a", 2), 5),  # needs 5, has 2
        DomainPool("B", ids("b", 30), 10),
        DomainPool("C", ids("c", 30), 5),
    ]
    drawn = draw_questions(pools, seed=5)
    per_domain = Counter(d.domain for d in drawn)
    assert len(drawn) == 20
    assert per_domain["A"] == 2
    # The 3 spare questions go by share: B (10) gets 2, C (5) gets 1.
    assert (per_domain["B"], per_domain["C"]) == (12, 6)


def test_fewer_cards_than_questions_makes_a_shorter_exam() -> None:
    pools = [DomainPool("A", ids("a", 3), 4), DomainPool("B", ids("b", 2), 4)]
    drawn = draw_questions(pools, seed=1)
    assert len(drawn) == 5
    assert {d.card_id for d in drawn} == set(ids("a", 3)) | set(ids("b", 2))


def test_a_card_in_two_domains_is_asked_once() -> None:
    shared = CardId("shared")
    pools = [DomainPool("A", (shared, CardId("a1")), 2), DomainPool("B", (shared, CardId("b1")), 2)]
    drawn = draw_questions(pools, seed=1)
    assert sorted(d.card_id for d in drawn) == ["a1", "b1", "shared"]
    assert [d.domain for d in drawn if d.card_id == shared] == ["A"]


# -- scoring ----------------------------------------------------------------------------


def test_choose_two_is_all_or_nothing() -> None:
    right = frozenset({0, 2})
    assert is_right({0, 2}, right)
    assert not is_right({0}, right)  # half right is wrong
    assert not is_right({0, 1, 2}, right)  # one too many is wrong
    assert not is_right(None, right)  # unanswered
    assert is_right({1}, {1})


def test_the_scaled_mapping_puts_the_pass_share_on_the_pass_mark() -> None:
    # MLS-C01: the pass share is (750 - 100) / 900 = 0.7222; 47 of 65 is the first pass.
    assert scaled_result(65, 65, MLS) == (1000, True)
    assert scaled_result(0, 65, MLS) == (100, False)
    assert scaled_result(47, 65, MLS) == (751, True)  # 750 + 250 · (47/65 - 0.7222) / 0.2778
    assert scaled_result(46, 65, MLS) == (737, False)  # 100 + 650 · (46/65) / 0.7222
    # An exam's own pass share (from exam.toml) moves the cut.
    easy = ExamProfile(**{**MLS.__dict__, "pass_share": 0.5})
    assert scaled_result(33, 65, easy) == (754, True)
    assert scaled_result(32, 65, easy) == (740, False)


def test_a_score_is_never_shown_at_the_pass_mark_and_failed() -> None:
    for questions in range(1, 70):
        for right in range(questions + 1):
            scaled, passed = scaled_result(right, questions, MLS)
            assert passed == (scaled >= MLS.score_pass)


def test_score_exam_counts_per_domain() -> None:
    marks = [
        Marked("Modeling", frozenset({1}), frozenset({1})),
        Marked("Modeling", frozenset({0, 2}), frozenset({0})),  # choose two, half: wrong
        Marked("Modeling", frozenset({3}), None),
        Marked("Data Engineering", frozenset({0, 1}), frozenset({1, 0})),
    ]
    score = score_exam(marks, MLS)
    assert (score.questions, score.right, score.answered) == (4, 2, 3)
    assert score.share == 0.5
    assert [(d.name, d.questions, d.right) for d in score.domains] == [
        ("Data Engineering", 1, 1),
        ("Exploratory Data Analysis", 0, 0),
        ("Modeling", 3, 1),
        ("Machine Learning Implementation and Operations", 0, 0),
    ]
    assert score.scaled == 550  # 100 + 650 · 0.5 / 0.7222
    assert not score.passed


# -- the clock --------------------------------------------------------------------------


def test_the_clock_runs_on_screen_and_pauses_off_it() -> None:
    clock = ExamClock(limit=180 * 60).started(T0)
    assert clock.left_at(T0 + timedelta(minutes=30)) == 150 * 60
    paused = clock.paused(T0 + timedelta(minutes=30))
    # A day away: nothing used while the exam was closed.
    assert paused.left_at(T0 + timedelta(days=1)) == 150 * 60
    resumed = paused.started(T0 + timedelta(days=1))
    assert resumed.used_at(T0 + timedelta(days=1, minutes=10)) == 40 * 60
    assert not resumed.is_up(T0 + timedelta(days=1, minutes=149))
    assert resumed.is_up(T0 + timedelta(days=1, minutes=150))
    assert resumed.left_at(T0 + timedelta(days=2)) == 0


def test_an_untimed_exam_has_no_time_left_and_is_never_up() -> None:
    clock = ExamClock(limit=None).started(T0)
    assert clock.left_at(T0 + timedelta(hours=9)) is None
    assert clock.used_at(T0 + timedelta(hours=9)) == 9 * 3600
    assert not clock.is_up(T0 + timedelta(hours=99))


def test_warnings_at_ten_and_one_minutes_left() -> None:
    assert warnings_crossed(601, 600) == (600,)
    assert warnings_crossed(600, 599) == ()  # already warned
    assert warnings_crossed(700, 30) == (600, 60)  # both passed while away
    assert warnings_crossed(61, 60) == (60,)
    assert warnings_crossed(None, None) == ()


def test_clock_faces() -> None:
    assert format_clock(180 * 60) == "3:00:00"
    assert format_clock(599.2) == "10:00"
    assert format_clock(42) == "0:42"
    assert format_clock(0) == "0:00"
    assert format_used(2 * 3600 + 14 * 60 + 20) == "2 h 14 min"
    assert format_used(38 * 60) == "38 min"
    assert format_used(3 * 3600) == "3 h"
    assert format_used(45) == "45 s"
