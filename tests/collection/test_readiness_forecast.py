"""The readiness forecast over a small library with a fixed `now`."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from flashcards.collection import Collection
from flashcards.collection.exam import Exams
from flashcards.collection.readiness import (
    TREND_DAYS,
    TREND_KEY,
    first_look_prior,
    readiness,
    record_snapshot,
    sitting_prediction,
    trend,
)
from flashcards.collection.views import CardView
from flashcards.collection.weak_spots import weak_spots, weakest_cards
from flashcards.core.model import Rating
from flashcards.core.readiness import CardTable, expected_recall, new_card_prior
from tests.collection.col_helpers import T0, deck_text, note, write
from tests.collection.test_exam_profiles import make_library

EXAM_DAY = date(2026, 12, 21)  # 23 days after T0


@pytest.fixture
def col(data_dir: Path, open_col) -> Collection:  # type: ignore[no-untyped-def]
    make_library(data_dir)
    col = open_col(now=T0)
    Exams(col).set_exam_date(EXAM_DAY, "A-01")
    return col  # type: ignore[no-any-return]


def recalls(col: Collection, profile: str = "A-01") -> dict[str, float]:
    return {d.name: d.recall for d in readiness(col, profile, now=T0).domains}


def card_table(views: list[CardView]) -> CardTable:
    """The core model's table of `views`, to set the collection's SQL sums against."""
    m = [v.memory for v in views]
    return CardTable(
        studied=np.array([x.stability is not None for x in m]),
        stability=np.array([x.stability or 1.0 for x in m]),
        difficulty=np.array([x.difficulty or 5.0 for x in m]),
        due=np.array([x.due.timestamp() if x.due else 0.0 for x in m]),
        last_review=np.array([x.last_review.timestamp() if x.last_review else 0.0 for x in m]),
        suspended=np.array([v.suspended for v in views]),
        preset=np.zeros(len(views), dtype=np.int64),
    )


def test_a_library_never_studied_stands_at_the_prior(col: Collection) -> None:
    r = readiness(col, "A-01", now=T0)
    assert (r.exam_date, r.days_left) == (EXAM_DAY, 23)
    assert r.at.date() == EXAM_DAY and r.at.hour == 12
    assert [(d.name, d.cards, d.new) for d in r.domains] == [("Alpha", 2, 2), ("Beta", 2, 2)]
    assert all(d.recall == 0.3 for d in r.domains)
    assert r.score.share == pytest.approx(0.3)
    # 0.3 of a 100-1000 scale whose pass mark sits at 600/900: linear below it.
    assert r.score.score == pytest.approx(100 + 600 * 0.3 / (600 / 900))


def test_good_answers_raise_a_domain_and_again_answers_less(data_dir: Path, open_col) -> None:  # type: ignore[no-untyped-def]
    make_library(data_dir)
    col = open_col(now=T0)
    # The exam tomorrow: weeks of reviews at the desired retention would have relearnt
    # a failed card by the day (each card's recall then depends most on where its last
    # review falls), so the two answers are set against each other where they still tell.
    Exams(col).set_exam_date(T0.date() + timedelta(days=1), "A-01")
    before = readiness(col, "A-01", now=T0)
    for card in ("aone01", "atwo02"):
        col.answer(card, Rating.GOOD, now=T0)
    good = readiness(col, "A-01", now=T0)
    assert good.domains[0].recall > before.domains[0].recall
    # Beta's cards are still new: they move only with the prior (two right first looks).
    assert good.domains[1].recall == good.new_prior == new_card_prior(2, 2)
    assert good.score.score > before.score.score
    assert good.score.pass_chance > before.score.pass_chance
    for _ in range(2):
        col.undo()
    for card in ("aone01", "atwo02"):
        col.answer(card, Rating.AGAIN, now=T0)
    again = readiness(col, "A-01", now=T0)
    assert again.domains[0].recall < good.domains[0].recall
    assert again.score.score < good.score.score


def test_a_card_counts_for_two_exams(col: Collection) -> None:
    before_a, before_b = recalls(col, "A-01"), recalls(col, "B-01")
    col.answer("aone01", Rating.EASY, now=T0 - timedelta(days=1))
    after_a, after_b = recalls(col, "A-01"), recalls(col, "B-01")
    assert after_a["Alpha"] > before_a["Alpha"]
    assert after_b["Gamma"] > before_b["Gamma"]
    assert after_a["Beta"] == new_card_prior(1, 1)  # still new: only the prior moved


def test_sql_sums_agree_with_the_core_model_card_by_card(col: Collection) -> None:
    """The scan sums most cards in SQL: its means must be the core model's."""
    col.answer("aone01", Rating.GOOD, now=T0 - timedelta(days=40))  # due before the exam
    col.answer("atwo02", Rating.EASY, now=T0 - timedelta(days=2))
    col.answer("atwo02", Rating.GOOD, now=T0 - timedelta(days=1))  # due after it
    col.answer("bone01", Rating.HARD, now=T0 - timedelta(days=30))
    col.suspend(["bone01"])
    col.answer("share1", Rating.AGAIN, now=T0 - timedelta(hours=2))  # learning, same day
    r = readiness(col, "A-01", now=T0)
    prior = first_look_prior(col)
    presets = [col.presets()[i] for i in sorted(col.presets())]
    for domain, ids in Exams(col).domain_cards("A-01", now=T0).items():
        table = card_table(col.cards(ids, now=T0))
        expected = expected_recall(
            table, at=r.at.timestamp(), now=T0.timestamp(), presets=presets, new_prior=prior
        ).mean()
        got = next(d.recall for d in r.domains if d.name == domain)
        assert got == pytest.approx(float(expected), abs=1e-9), domain


def test_new_card_prior_comes_from_first_looks(col: Collection) -> None:
    assert first_look_prior(col) == 0.3
    col.answer("aone01", Rating.GOOD, now=T0)
    col.answer("atwo02", Rating.AGAIN, now=T0)
    col.answer("bone01", Rating.GOOD, now=T0)
    col.answer("bone01", Rating.GOOD, now=T0 + timedelta(minutes=20))  # not a first look
    assert first_look_prior(col) == pytest.approx(new_card_prior(2, 3))


def test_practice_answers_to_new_cards_count_as_first_looks(col: Collection) -> None:
    # As a practice exam logs them: a miss is an Again review, a hit is practice.
    col.answer("aone01", Rating.AGAIN, now=T0)
    col.practice("atwo02", Rating.GOOD, now=T0)
    col.practice("bone01", Rating.GOOD, now=T0)
    assert first_look_prior(col) == pytest.approx(new_card_prior(2, 3))


def test_without_a_date_or_after_it_the_forecast_is_for_now(col: Collection) -> None:
    r = readiness(col, "B-01", now=T0)
    assert (r.exam_date, r.days_left, r.at) == (None, None, T0)
    Exams(col).set_exam_date(date(2026, 11, 1), "B-01")
    gone = readiness(col, "B-01", now=T0)
    assert gone.days_left == -27 and gone.at == T0


def test_sitting_prediction_is_for_its_start(col: Collection) -> None:
    col.answer("aone01", Rating.GOOD, now=T0 - timedelta(days=3))
    at_start = sitting_prediction(col, "A-01", now=T0)
    assert at_start.at == T0
    assert at_start.score == readiness(col, "A-01", now=T0, at=T0).score
    # On the exam day the card will have had its scheduled reviews: not the same figure.
    assert at_start.domains[0].recall != readiness(col, "A-01", now=T0).domains[0].recall


def test_to_dict_has_the_cli_keys(col: Collection) -> None:
    data = readiness(col, "A-01", now=T0).to_dict()
    for key in ("profile", "date", "days_left", "predicted_score", "pass_mark", "pass_chance"):
        assert key in data
    assert data["profile"] == "A-01" and data["date"] == "2026-12-21"
    assert data["domains"][0] == {
        "name": "Alpha",
        "weight": 0.6,
        "cards": 2,
        "new": 2,
        "predicted_recall": 0.3,
    }


def test_trend_keeps_one_snapshot_a_day(col: Collection) -> None:
    r = readiness(col, "A-01", now=T0, record=True)
    assert record_snapshot(col, r, now=T0) is False  # the same again: nothing to write
    col.answer("aone01", Rating.GOOD, now=T0)
    readiness(col, "A-01", now=T0 + timedelta(hours=1), record=True)  # same day: replaced
    readiness(col, "A-01", now=T0 + timedelta(days=1), record=True)
    points = trend(col, "A-01")
    assert [p.day for p in points] == [date(2026, 11, 28), date(2026, 11, 29)]
    assert points[0].score > r.score.score - 1e-9
    assert points[0].exam_date == EXAM_DAY
    assert trend(col, "B-01") == []


def test_trend_is_capped(col: Collection) -> None:
    old = [
        [(date(2025, 1, 1) + timedelta(days=i)).isoformat(), 500, 450, 550, 0.1, None]
        for i in range(TREND_DAYS)
    ]
    col.set_setting(TREND_KEY, {"exam-a": old})
    readiness(col, "A-01", now=T0, record=True)
    points = trend(col, "A-01")
    assert len(points) == TREND_DAYS
    assert points[0].day == date(2025, 1, 2) and points[-1].day == date(2026, 11, 28)


def test_a_read_only_collection_forecasts_without_writing(data_dir: Path, col: Collection) -> None:
    col.close()
    ro = Collection.open(data_dir, readonly=True)
    try:
        r = readiness(ro, "A-01", now=T0, record=True)
        assert r.domains[0].cards == 2
        assert trend(ro, "A-01") == []
    finally:
        ro.close()


def test_weak_spots_and_their_weakest_cards(col: Collection) -> None:
    col.answer("bone01", Rating.GOOD, now=T0 - timedelta(days=2))
    col.answer("aone01", Rating.GOOD, now=T0 - timedelta(days=2))
    spots = weak_spots(col, "A-01", now=T0, min_cards=1)
    # shared.md's one card of the profile is new (at the prior): below alpha.md's mean of
    # a new and a studied card, below beta.md's one studied card.
    assert [s.key for s in spots.decks] == ["other/shared.md", "exam-a/alpha.md", "exam-a/beta.md"]
    assert (spots.decks[1].cards, spots.decks[1].new) == (2, 1)
    assert [s.key for s in spots.tags] == ["shared"]
    assert weakest_cards(col, spots.decks[1], "A-01", now=T0) == ["atwo02", "aone01"]
    assert weakest_cards(col, spots.tags[0], "A-01", now=T0) == ["share1"]


OVERLAP = """\
name = "Overlap"
code = "O-01"
questions = 10
minutes = 30
score = { min = 100, max = 1000, pass = 700 }
[[domains]]
name = "Alpha"
weight = 0.4
query = "tag:shared or deck:other/stray"
[[domains]]
name = "Words"
weight = 0.3
query = "answer or one"
[[domains]]
name = "Tagged"
weight = 0.3
query = "tag:shared or tag:extra"
"""


def test_query_domains_agree_with_the_core_model_per_domain_and_per_deck(
    data_dir: Path, open_col
) -> None:  # type: ignore[no-untyped-def]
    """Three overlapping query domains beside a front-matter one: each domain's mean and
    each deck's sum over its cards of the profile are the core model's, card by card,
    whether a card is simulated (reviewed before the day) or summed in SQL."""
    make_library(data_dir)
    write(data_dir / "decks" / "exam-a" / "overlap" / "exam.toml", OVERLAP)
    write(
        data_dir / "decks" / "exam-a" / "overlap" / "extra.md",
        deck_text(
            note("Extra one", "Answer\nTags: extra", nid="extra1"),
            note("Extra two", "Text\nTags: extra shared", nid="extra2"),
            note("Alone", "Nothing to find", nid="alone1"),
            domain="Alpha",
        ),
    )
    col = open_col(now=T0)
    exams = Exams(col)
    exams.set_exam_date(EXAM_DAY, "O-01")
    col.answer("aone01", Rating.GOOD, now=T0 - timedelta(days=40))  # due before the exam
    col.answer("stray1", Rating.EASY, now=T0 - timedelta(days=2))
    col.answer("stray1", Rating.GOOD, now=T0 - timedelta(days=1))  # due after it
    col.answer("extra1", Rating.HARD, now=T0 - timedelta(days=30))
    col.answer("extra2", Rating.GOOD, now=T0 - timedelta(days=3))
    col.suspend(["extra2"])
    col.answer("share1", Rating.AGAIN, now=T0 - timedelta(hours=2))  # learning, same day
    r = readiness(col, "O-01", now=T0)
    prior = first_look_prior(col)
    presets = [col.presets()[i] for i in sorted(col.presets())]
    members = exams.domain_cards("O-01", now=T0)
    assert [len(members[d.name]) for d in r.domains] == [d.cards for d in r.domains]
    assert all(d.cards for d in r.domains)

    def model(ids: list[str]) -> np.ndarray:
        table = card_table(col.cards(ids, now=T0))
        return expected_recall(
            table, at=r.at.timestamp(), now=T0.timestamp(), presets=presets, new_prior=prior
        )

    for d in r.domains:
        assert d.recall == pytest.approx(float(model(members[d.name]).mean()), abs=1e-9), d.name
    # Per deck: the sum over the deck's cards that are in any domain of the profile.
    from flashcards.collection.readiness_scan import scan

    sums = scan(col, exams.profile("O-01"), now=T0, at=r.at, prior=prior)
    every = sorted({i for ids in members.values() for i in ids})
    views = {v.card.id: v for v in col.cards(every, now=T0)}
    recall = dict(zip(every, model(every), strict=True))
    with col._read() as s:
        deck_of = dict(
            s.connection().exec_driver_sql("SELECT c.id, c.deck_id FROM cards c").fetchall()
        )
    expected: dict[int, list[float]] = {}
    for cid in every:
        expected.setdefault(deck_of[cid], []).append(float(recall[cid]))
    assert {k: v.cards for k, v in sums.groups.items()} == {k: len(v) for k, v in expected.items()}
    for deck, total in sums.groups.items():
        assert total.recall == pytest.approx(sum(expected[deck]), abs=1e-9), views


def test_only_first_looks_at_the_exams_own_cards_move_its_prior(col: Collection) -> None:
    """The app's tour, or a deck of another subject, says nothing about this exam: a run
    of easy first looks there must not lift the forecast (it rose from 370 to 550 after
    the 15 tour cards)."""
    ref = Exams(col).profile("A-01")
    col.answer("stray1", Rating.GOOD, now=T0)  # domain Alpha, but outside exam-a's folder
    col.answer("plain1", Rating.GOOD, now=T0)  # no domain, no query match
    assert first_look_prior(col, ref, now=T0) == 0.3
    assert first_look_prior(col) == pytest.approx(new_card_prior(2, 2))  # the whole library
    assert readiness(col, "A-01", now=T0).new_prior == 0.3
    col.answer("aone01", Rating.AGAIN, now=T0)  # front matter: Alpha
    col.answer("share1", Rating.GOOD, now=T0)  # the query domain Beta reaches it
    assert first_look_prior(col, ref, now=T0) == pytest.approx(new_card_prior(1, 2))
    r = readiness(col, "A-01", now=T0)
    assert r.new_prior == pytest.approx(new_card_prior(1, 2))


REVIEWS_A_DAY = 10


def learner_forecasts(root: Path, wrong: float) -> list[float]:
    """The forecast at the start of each of four days for a learner who answers a share
    `wrong` of everything Again, studying all that is due each day (deadline on, exam in
    six days, 60 exam cards, 10 reviews a day)."""
    from random import Random

    from flashcards.collection.deadline import Deadline
    from tests.collection.test_exam_deadline import PLAIN
    from tests.collection.test_exam_deadline import make_library as deadline_library

    root.mkdir()
    (root / "decks").mkdir()
    deadline_library(root)
    col = Collection.open(root, seed=False, now=T0)
    try:
        col.set_setting("timezone", "UTC")
        col.save_preset(replace(PLAIN, reviews_per_day=REVIEWS_A_DAY), preset_id=1)
        Exams(col).set_exam_date(T0.date() + timedelta(days=6))
        Deadline(col).turn(True)
        dice, out = Random(1), []
        for day in range(4):
            now = T0 + timedelta(days=day)
            out.append(readiness(col, now=now).score.score)
            end = now + timedelta(hours=10)
            while now < end:
                card = col.next_card(None, now=now)
                if card is None:
                    now += timedelta(minutes=10)
                    continue
                rating = Rating.AGAIN if dice.random() < wrong else Rating.GOOD
                col.answer(card.card.id, rating, now=now)
                now += timedelta(seconds=30)
        return out
    finally:
        col.close()


def test_a_learner_who_fails_more_is_forecast_lower(tmp_path: Path) -> None:
    """QA: a learner failing 60 % of answers was forecast as high as one always right (973
    against 958 three days before the exam), every review before the exam taken as done
    and passed, the day's review cap ignored."""
    strong, middling, weak = (
        learner_forecasts(tmp_path / name, wrong)
        for name, wrong in (("strong", 0.0), ("middling", 0.3), ("weak", 0.6))
    )
    assert strong[0] == middling[0] == weak[0]  # nothing answered yet
    for day in (1, 2, 3):
        assert strong[day] > middling[day] > weak[day], day
        assert strong[day] - weak[day] > 150, day
