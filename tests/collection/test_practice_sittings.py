"""Practice exams over a real collection with a fixed `now`: the draw, stored progress,
the result, and what submitting does to the schedule."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from flashcards.collection import Collection
from flashcards.collection.practice_exam import AnswerUpdate, PracticeExamError, PracticeExams
from flashcards.core.model import CardId, CardState, Rating, ReviewKind
from tests.collection.col_helpers import T0
from tests.collection.practice_library import write_exam_library


@pytest.fixture
def col(data_dir: Path, open_col) -> Collection:  # type: ignore[no-untyped-def]
    write_exam_library(data_dir)
    return open_col(now=T0)  # type: ignore[no-any-return]


def pick_right(exams: PracticeExams, sitting_id: int) -> list[AnswerUpdate]:
    sitting = exams.sitting(sitting_id)
    return [AnswerUpdate(q.position, picked=q.correct) for q in sitting.questions]


def test_a_sitting_draws_the_exams_questions_by_domain_weight(col: Collection) -> None:
    exams = PracticeExams(col)
    sitting = exams.start(now=T0, seed=11)
    assert sitting.exam == "PSE-01"
    assert sitting.limit_seconds == 720
    assert len(sitting.questions) == 6
    assert Counter(q.domain for q in sitting.questions) == {"Alpha": 3, "Beta": 3}
    kinds = {v.card.kind.value for v in col.cards([q.card_id for q in sitting.questions])}
    assert kinds == {"choice"}  # the plain cards are never asked
    for q in sitting.questions:
        card = col.card(q.card_id).card
        assert sorted(q.order) == list(range(len(card.choices)))
        assert q.correct == card.correct
        assert q.picked is None and not q.flagged
    # The same seed draws the same exam (time is an input: the seed defaults from `now`).
    exams.discard(sitting.id)
    assert [q.card_id for q in exams.start(now=T0, seed=11).questions] == [
        q.card_id for q in sitting.questions
    ]


def test_options_keep_the_file_order_when_shuffling_is_off(col: Collection) -> None:
    col.set_setting("shuffle_choices", False)
    sitting = PracticeExams(col).start(now=T0, seed=3)
    assert all(q.order == tuple(range(len(q.order))) for q in sitting.questions)


def test_untimed_sittings_have_no_limit(col: Collection) -> None:
    assert PracticeExams(col).start(now=T0, timed=False).limit_seconds is None


def test_only_one_sitting_at_a_time_and_it_can_be_resumed(col: Collection) -> None:
    exams = PracticeExams(col)
    assert exams.unfinished() is None
    sitting = exams.start(now=T0, seed=1)
    with pytest.raises(PracticeExamError, match="in progress"):
        exams.start(now=T0)
    first, second = sitting.questions[0], sitting.questions[1]
    exams.save_progress(
        sitting.id,
        current=1,
        used_seconds=125.5,
        answers=[
            AnswerUpdate(0, picked=frozenset({first.order[0]}), seconds=40.0),
            AnswerUpdate(1, picked=None, flagged=True, seconds=12.0),
        ],
    )
    col.close()
    reopened = Collection.open(col.data_dir, seed=False, now=T0)
    try:
        resumed = PracticeExams(reopened).unfinished()
        assert resumed is not None and resumed.id == sitting.id
        assert (resumed.current, resumed.used_seconds) == (1, 125.5)
        assert resumed.questions[0].picked == frozenset({first.order[0]})
        assert resumed.questions[0].seconds == 40.0
        assert resumed.questions[1].flagged and resumed.questions[1].picked is None
        assert resumed.questions[1].card_id == second.card_id
        assert resumed.clock.left_at(T0) == 720 - 125.5
    finally:
        reopened.close()


def test_the_next_sitting_avoids_the_last_ones_questions(col: Collection) -> None:
    exams = PracticeExams(col)
    first = exams.start(now=T0)
    exams.submit(first.id, now=T0 + timedelta(minutes=9), answers=pick_right(exams, first.id))
    second = exams.start(now=T0 + timedelta(hours=1))
    # Six cards a domain, three a sitting: the second sitting asks the other three.
    assert not {q.card_id for q in first.questions} & {q.card_id for q in second.questions}


def test_submitting_scores_stores_and_lists_the_result(col: Collection) -> None:
    exams = PracticeExams(col)
    sitting = exams.start(now=T0, seed=5, predicted=812.0)
    answers = pick_right(exams, sitting.id)
    wrong = sitting.questions[0]
    answers[0] = AnswerUpdate(0, picked=frozenset(set(range(len(wrong.order))) - wrong.correct))
    answers[5] = AnswerUpdate(5, picked=None, flagged=True)  # left unanswered
    finished, _ = exams.submit(
        sitting.id, now=T0 + timedelta(minutes=8), used_seconds=480.0, answers=answers
    )
    score = finished.score
    assert score is not None
    assert (score.questions, score.right, score.answered) == (6, 4, 5)
    # 4 of 6 with a pass share of 600/900: 100 + 600 · (4/6) / (2/3) = 700, a pass.
    assert (score.scaled, score.passed) == (700, True)
    assert finished.finished == T0 + timedelta(minutes=8)
    assert sorted((d.name, d.questions) for d in score.domains) == [("Alpha", 3), ("Beta", 3)]
    with pytest.raises(PracticeExamError, match="already submitted"):
        exams.save_progress(sitting.id, current=2)
    (summary,) = exams.history()
    assert (summary.right, summary.questions, summary.scaled, summary.passed) == (4, 6, 700, True)
    assert summary.predicted == 812.0
    assert summary.used_seconds == 480.0
    assert exams.unfinished() is None


def test_a_choose_two_half_right_is_wrong(col: Collection) -> None:
    exams = PracticeExams(col)
    sitting = exams.start(now=T0, seed=2)
    answers = pick_right(exams, sitting.id)
    two = [q for q in sitting.questions if q.choose == 2]
    if not two:
        pytest.skip("this seed drew no choose-two question")
    q = two[0]
    answers[q.position] = AnswerUpdate(q.position, picked=frozenset({min(q.correct)}))
    finished, _ = exams.submit(sitting.id, now=T0, answers=answers)
    assert finished.score is not None and finished.score.right == 5
    assert not finished.questions[q.position].right


def _due_review_card(col: Collection, card_id: str) -> None:
    """Make `card_id` a review card due at T0."""
    col.answer(card_id, Rating.EASY, now=T0 - timedelta(days=40))
    assert col.card(card_id).memory.due is not None
    assert col.card(card_id).memory.due <= T0  # type: ignore[operator]


def test_answers_feed_the_schedule_when_submitted(col: Collection) -> None:
    exams = PracticeExams(col)
    sitting = exams.start(now=T0, seed=9)
    q_wrong, q_due, q_new, q_skipped = sitting.questions[:4]
    _due_review_card(col, q_due.card_id)
    due_before = col.card(q_due.card_id).memory
    answers = [
        AnswerUpdate(q_wrong.position, picked=frozenset({99})),
        AnswerUpdate(q_due.position, picked=q_due.correct, seconds=30.0),
        AnswerUpdate(q_new.position, picked=q_new.correct),
    ]
    when = T0 + timedelta(minutes=9)
    _, change = exams.submit(sitting.id, now=when, answers=answers)
    assert change.cards == {q_wrong.card_id, q_due.card_id, q_new.card_id}

    def log(card_id: CardId) -> list[tuple[int, str]]:
        return [(int(e.rating), e.kind.value) for e in col.history(card_id) if e.time == when]

    # Wrong: a lapse (Again) on a new card puts it into learning.
    assert log(q_wrong.card_id) == [(Rating.AGAIN, ReviewKind.REVIEW.value)]
    assert col.card(q_wrong.card_id).state is CardState.LEARNING
    # Right on a due card: a review (Good) that moves it further out.
    assert log(q_due.card_id) == [(Rating.GOOD, ReviewKind.REVIEW.value)]
    after = col.card(q_due.card_id).memory
    assert after.due is not None and due_before.due is not None and after.due > due_before.due
    durations = [e.duration_ms for e in col.history(q_due.card_id) if e.time == when]
    assert durations == [30000]
    # Right on a card not due: practice, the schedule untouched.
    assert log(q_new.card_id) == [(Rating.GOOD, ReviewKind.PRACTICE.value)]
    assert col.card(q_new.card_id).state is CardState.NEW
    # Unanswered: nothing logged.
    assert log(q_skipped.card_id) == []
    # One undo step puts every card back.
    assert col.undo_label() == "Practice exam"
    col.undo()
    assert col.card(q_wrong.card_id).state is CardState.NEW
    assert col.card(q_due.card_id).memory == due_before
    assert all(log(q.card_id) == [] for q in (q_wrong, q_due, q_new))


def test_discarding_removes_an_unfinished_sitting_only(col: Collection) -> None:
    exams = PracticeExams(col)
    sitting = exams.start(now=T0)
    exams.discard(sitting.id)
    assert exams.unfinished() is None
    with col._read() as s:
        assert s.execute(text("SELECT COUNT(*) FROM practice_answers")).scalar() == 0
    done = exams.start(now=T0)
    exams.submit(done.id, now=T0)
    with pytest.raises(PracticeExamError):
        exams.discard(done.id)


def test_an_exam_without_choice_cards_cannot_start(data_dir: Path, open_col) -> None:  # type: ignore[no-untyped-def]
    folder = write_exam_library(data_dir)
    for deck in ("alpha.md", "beta.md"):
        (folder / deck).write_text("---\ndomain: Alpha\n---\n\n## Plain {#plain1}\nNo.\n")
    col = open_col(now=T0)
    with pytest.raises(PracticeExamError, match="no multiple-choice questions"):
        PracticeExams(col).start(now=T0)


def test_the_forecast_at_the_start_is_kept_to_set_against_the_result(col: Collection) -> None:
    exams = PracticeExams(col)
    sitting = exams.start(now=T0)
    assert sitting.predicted is not None
    assert 100 <= sitting.predicted <= 1000
    exams.discard(sitting.id)
    assert exams.start(now=T0, predict=False).predicted is None


def test_available_questions_per_domain(col: Collection) -> None:
    assert PracticeExams(col).available(now=T0) == {"Alpha": (3, 6), "Beta": (3, 6)}


def test_a_forecast_left_for_later_is_made_for_the_start(col: Collection) -> None:
    exams = PracticeExams(col)
    sitting = exams.start(now=T0, predict=False)
    assert sitting.predicted is None
    later = exams.record_prediction(sitting.id)
    assert later is not None
    assert exams.sitting(sitting.id).predicted == later
    exams.discard(sitting.id)
    # The same moment gives the same forecast, whenever it is made.
    assert exams.start(now=T0).predicted == later


def test_a_domain_query_adds_choice_cards_from_anywhere(data_dir: Path, open_col) -> None:  # type: ignore[no-untyped-def]
    folder = write_exam_library(data_dir)
    exam = (folder / "exam.toml").read_text(encoding="utf-8")
    (folder / "exam.toml").write_text(exam + 'query = "tag:extra"\n', encoding="utf-8")
    other = data_dir / "decks" / "other"
    other.mkdir()
    (other / "extra.md").write_text(
        "---\ndomain: Alpha\n---\n\n"
        "## Extra choice {#extra1}\nWhich?\n- [x] This\n- [ ] That\n?\nThis.\nTags: extra\n\n"
        "## Extra plain {#extra2}\nNot a question.\nTags: extra\n\n"
        "## Extra suspended {#extra3}\nWhich?\n- [x] This\n- [ ] That\n?\nThis.\nTags: extra\n",
        encoding="utf-8",
    )
    col = open_col(now=T0)
    col.suspend(["extra3"])
    exams = PracticeExams(col)
    # Beta's query reaches the choice card outside the exam's folder; Alpha's front
    # matter does not (the deck is not under the profile's folder).
    assert exams.available(now=T0) == {"Alpha": (3, 6), "Beta": (3, 7)}
    # The same cards as the profile's domains, narrowed to questions not suspended.
    domain_cards = exams.exams.domain_cards(now=T0)
    pools = {p.name: list(p.cards) for p in exams._pools(exams.exams.profile(), now=T0)}
    for name, cards in domain_cards.items():
        views = {v.id: v for v in col.cards(cards)}
        expected = [
            c for c in cards if views[c].card.kind.value == "choice" and not views[c].suspended
        ]
        assert pools[name] == expected
