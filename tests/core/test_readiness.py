"""Readiness maths: expected recall on the day, the score mapping, band and pass chance."""

from __future__ import annotations

import math
from copy import copy
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import fsrs
import numpy as np
import pytest

from flashcards.core.exam import ExamDomain, ExamProfile
from flashcards.core.readiness import (
    DAY,
    CardTable,
    DomainForecast,
    expected_recall,
    forgetting_curve,
    new_card_prior,
    pass_chance,
    percent_text,
    questions_to_pass,
    scaled_score,
    score_forecast,
    share_sd,
    weakest,
)
from flashcards.core.scheduling import Preset

PRESET = replace(Preset(), enable_fuzzing=False)
DECAY = -PRESET.parameters[20]
FACTOR = 0.9 ** (1 / DECAY) - 1


def table(*rows: tuple[float | None, float, float, float, bool]) -> CardTable:
    """Rows of (stability or None for new, difficulty, due day, last review day, suspended)."""
    return CardTable(
        studied=np.array([r[0] is not None for r in rows]),
        stability=np.array([math.nan if r[0] is None else r[0] for r in rows]),
        difficulty=np.array([r[1] for r in rows]),
        due=np.array([r[2] * DAY for r in rows]),
        last_review=np.array([r[3] * DAY for r in rows]),
        suspended=np.array([r[4] for r in rows]),
        preset=np.zeros(len(rows), dtype=np.int64),
    )


def profile(
    weights: tuple[float, ...] = (0.5, 0.5),
    *,
    questions: int = 4,
    score: tuple[int, int, int] = (0, 100, 50),
    pass_share: float | None = None,
) -> ExamProfile:
    return ExamProfile(
        name="Test",
        questions=questions,
        minutes=60,
        score_min=score[0],
        score_max=score[1],
        score_pass=score[2],
        domains=tuple(ExamDomain(f"D{i}", w) for i, w in enumerate(weights)),
        pass_share=pass_share,
    )


def test_forgetting_curve_is_fsrs_retrievability() -> None:
    assert forgetting_curve(7.0, 7.0, PRESET) == pytest.approx(0.9)  # R(S) = 90 %
    assert forgetting_curve(0.0, 3.0, PRESET) == 1.0
    assert forgetting_curve(30.0, 100.0, PRESET) == pytest.approx((1 + FACTOR * 0.3) ** DECAY)


def test_card_not_due_before_the_exam_just_decays() -> None:
    cards = table((100.0, 5.0, 100, 0, False))
    got = expected_recall(cards, at=30 * DAY, now=2 * DAY, presets=[PRESET])
    assert got[0] == pytest.approx((1 + FACTOR * 30 / 100) ** DECAY, abs=1e-12)


def test_new_cards_count_at_the_prior() -> None:
    cards = table((None, 0.0, 0, 0, False))
    assert expected_recall(cards, at=30 * DAY, now=0.0, presets=[PRESET])[0] == 0.3
    got = expected_recall(cards, at=30 * DAY, now=0.0, presets=[PRESET], new_prior=0.45)
    assert got[0] == 0.45
    assert new_card_prior(0, 0) == 0.3
    assert new_card_prior(2, 10) == pytest.approx(0.25)  # (2 + 3) / (10 + 10)
    assert new_card_prior(8, 10) == 0.5  # (8 + 3) / 20 = 0.55, capped


def fsrs_expected(stability: float, difficulty: float, due: int, last: int, exam: int) -> float:
    """The same model through fsrs itself: each review on its due day is right with the
    recall then, else Again and Good at once; the card goes on with the two outcomes'
    stability and difficulty weighted by their chance, due after fsrs's interval."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    scheduler = fsrs.Scheduler(enable_fuzzing=False, relearning_steps=())
    exam_day = start + timedelta(days=exam)

    def card(s: float, d: float, when: datetime, before: datetime) -> fsrs.Card:
        return fsrs.Card(
            card_id=1,
            state=fsrs.State.Review,
            stability=s,
            difficulty=d,
            due=when,
            last_review=before,
        )

    c = card(stability, difficulty, start + timedelta(days=due), start + timedelta(days=last))
    while c.due < exam_day:
        right = scheduler.get_card_retrievability(c, c.due)
        good, _ = scheduler.review_card(copy(c), fsrs.Rating.Good, c.due)
        lapsed, _ = scheduler.review_card(copy(c), fsrs.Rating.Again, c.due)
        relearnt, _ = scheduler.review_card(lapsed, fsrs.Rating.Good, c.due)
        s = right * good.stability + (1 - right) * relearnt.stability
        d = right * good.difficulty + (1 - right) * relearnt.difficulty
        interval = timedelta(days=scheduler._next_interval(stability=s))
        c = card(s, d, c.due + interval, c.due)
    return scheduler.get_card_retrievability(c, exam_day)


def test_reviews_due_before_the_exam_follow_fsrs() -> None:
    cards = table((3.0, 6.0, 3, 0, False), (10.0, 2.0, 10, 0, False), (2.0, 8.0, 20, 0, False))
    got = expected_recall(cards, at=60 * DAY, now=1 * DAY, presets=[PRESET])
    assert got[0] == pytest.approx(fsrs_expected(3.0, 6.0, 3, 0, 60), abs=1e-9)
    assert got[1] == pytest.approx(fsrs_expected(10.0, 2.0, 10, 0, 60), abs=1e-9)
    assert got[2] == pytest.approx(fsrs_expected(2.0, 8.0, 20, 0, 60), abs=1e-9)  # overdue-ish


def test_suspended_cards_get_no_more_reviews() -> None:
    cards = table((3.0, 6.0, 3, 0, True), (3.0, 6.0, 3, 0, False))
    got = expected_recall(cards, at=60 * DAY, now=1 * DAY, presets=[PRESET])
    assert got[0] == pytest.approx((1 + FACTOR * 60 / 3) ** DECAY)
    assert got[1] > 0.9 > got[0]


def test_an_overdue_card_is_reviewed_now_not_in_the_past() -> None:
    overdue = table((3.0, 6.0, 3, 0, False))
    got = expected_recall(overdue, at=12 * DAY, now=10 * DAY, presets=[PRESET])
    # Reviewed on day 10 (now): S grows from R(10 days) and the exam is 2 days later.
    assert got[0] > (1 + FACTOR * 2 / 3) ** DECAY


def test_each_card_uses_its_presets_curve() -> None:
    slow = replace(PRESET, desired_retention=0.95)
    cards = table((3.0, 6.0, 3, 0, False), (3.0, 6.0, 3, 0, False))
    cards = replace(cards, preset=np.array([0, 1]))
    got = expected_recall(cards, at=60 * DAY, now=1 * DAY, presets=[PRESET, slow])
    assert got[1] > got[0]  # reviewed more often at 95 %


def test_scaled_score_is_linear_on_both_sides_of_the_pass_share() -> None:
    exam = profile(score=(100, 1000, 750), pass_share=0.7)
    assert scaled_score(0.0, exam) == 100
    assert scaled_score(0.7, exam) == 750
    assert scaled_score(1.0, exam) == 1000
    assert scaled_score(0.35, exam) == pytest.approx(425)
    assert scaled_score(0.85, exam) == pytest.approx(875)
    assert scaled_score(1.5, exam) == 1000 and scaled_score(-1, exam) == 100
    plain = profile(score=(100, 1000, 750))  # no pass_share: one straight line
    assert scaled_score(0.5, plain) == pytest.approx(550)


def test_questions_to_pass_rounds_up() -> None:
    assert questions_to_pass(profile(questions=65, score=(100, 1000, 750))) == 47  # 46.9
    assert questions_to_pass(profile(questions=4, pass_share=0.5)) == 2


def test_pass_chance_is_exact() -> None:
    assert pass_chance([0.5], [2], 1) == pytest.approx(0.75)
    assert pass_chance([0.5, 0.2], [1, 1], 2) == pytest.approx(0.1)
    assert pass_chance([0.5, 0.2], [1, 1], 1) == pytest.approx(0.6)
    assert pass_chance([0.5], [4], 2) == pytest.approx(11 / 16)
    assert pass_chance([0.1], [3], 0) == 1.0
    assert pass_chance([1.0, 0.0], [3, 3], 4) == 0.0


def test_share_sd_is_binomial() -> None:
    assert share_sd([0.5], [4]) == pytest.approx(0.25)
    assert share_sd([0.5, 1.0], [2, 2]) == pytest.approx(math.sqrt(0.5) / 4)
    assert share_sd([0.5], [0]) == 0.0


def test_score_forecast_combines_domains_by_weight() -> None:
    exam = profile(pass_share=0.5)
    got = score_forecast(exam, [0.5, 1.0])
    assert got.share == pytest.approx(0.75)
    assert got.score == pytest.approx(75)
    sd = math.sqrt(0.5) / 4
    assert got.low == pytest.approx(50 + 100 * (0.25 - sd))
    assert got.high == pytest.approx(50 + 100 * (0.25 + sd))
    assert got.band == pytest.approx(100 * sd)
    assert got.pass_chance == pytest.approx(1.0)  # two sure answers are enough
    even = score_forecast(exam, [0.5, 0.5])
    assert (even.score, even.pass_chance) == (pytest.approx(50), pytest.approx(11 / 16))


def test_weakest_domain_is_the_lowest_recall() -> None:
    a = DomainForecast("A", 0.2, 10, 0, 0.8)
    b = DomainForecast("B", 0.5, 10, 0, 0.6)
    c = DomainForecast("C", 0.3, 10, 0, 0.6)
    assert weakest([a, b, c]) == b  # tie on recall: the heavier domain
    assert weakest([]) is None


def test_percent_text_never_rounds_to_certainty() -> None:
    assert [percent_text(p) for p in (0.0, 0.001, 0.42, 0.996, 1.0)] == [
        "0%",
        "<1%",
        "42%",
        ">99%",
        "100%",
    ]


def review_table(n: int, stability: float, difficulty: float, due: float) -> CardTable:
    rows = [(stability, difficulty, due + i / 100, due - 1, False) for i in range(n)]
    return table(*rows)


def test_a_days_review_cap_leaves_the_rest_to_decay() -> None:
    """Reviews due before the exam happen at most the day's cap a day, the longest due
    first; what is left waits and decays (no review is taken as done because it is due)."""
    cards = review_table(10, 1.0, 8.0, 1.0)
    at, now, end = 4.5 * DAY, 1 * DAY, 1.5 * DAY
    free = expected_recall(cards, at=at, now=now, presets=[PRESET])
    capped = expected_recall(
        cards, at=at, now=now, presets=[PRESET], reviews_per_day=2, day_end=end
    )
    assert capped.mean() < free.mean() - 0.05
    spent = expected_recall(
        cards, at=at, now=now, presets=[PRESET], reviews_per_day=2, reviewed_today=2, day_end=end
    )
    assert spent.mean() < capped.mean()
    # One review today: the card due longest goes first, the others wait.
    today = expected_recall(
        cards, at=1.4 * DAY, now=now, presets=[PRESET], reviews_per_day=1, day_end=end
    )
    assert today[0] > 0.95 > today[1] == today[2]
    none = expected_recall(cards, at=at, now=now, presets=[PRESET], reviews_per_day=0)
    assert none == pytest.approx(np.full(10, forgetting_curve(4.5, 1.0, PRESET)))


def sure_pass(stability: float, difficulty: float, due: int, last: int, exam: int) -> float:
    """The old model's figure: every review on its due day answered Good (fsrs)."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    scheduler = fsrs.Scheduler(enable_fuzzing=False, relearning_steps=())
    c = fsrs.Card(
        card_id=1,
        state=fsrs.State.Review,
        stability=stability,
        difficulty=difficulty,
        due=start + timedelta(days=due),
        last_review=start + timedelta(days=last),
    )
    while c.due < start + timedelta(days=exam):
        c, _ = scheduler.review_card(c, fsrs.Rating.Good, c.due)
    return scheduler.get_card_retrievability(c, start + timedelta(days=exam))


def test_a_review_to_come_is_not_a_sure_pass() -> None:
    """A card its learner keeps failing (tiny stability, difficulty 10) is not forecast
    as if every review before the exam were answered right, and the weaker the memory
    now, the lower the forecast."""
    cards = table(
        (0.05, 10.0, 1, 0, False),  # failed again and again
        (0.5, 9.0, 1, 0, False),
        (2.0, 6.0, 1, 0, False),
        (8.0, 3.0, 1, 0, False),  # always right
    )
    got = expected_recall(cards, at=4 * DAY, now=1 * DAY, presets=[PRESET])
    assert got[0] < sure_pass(0.05, 10.0, 1, 0, 4) - 0.025
    assert list(got) == sorted(got)
    assert got[3] - got[0] > 0.08
