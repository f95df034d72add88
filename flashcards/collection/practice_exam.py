"""Practice exams over a collection: start a sitting from the active exam profile, keep
its progress, submit it (the answers feed the schedule) and list past results.

    exams = PracticeExams(col)
    sitting = exams.start(now=t)                  # the active profile's questions, timed
    exams.save_progress(sitting.id, current=3, used_seconds=620.0,
                        answers=[AnswerUpdate(0, picked=frozenset({2}))])
    result = exams.submit(sitting.id, now=t2, used_seconds=9800.0)
    exams.history()                               # finished sittings, oldest first

A sitting draws as many questions as the exam has from the multiple-choice cards of
each domain (`core/practice_exam.py`: by weight, the last sittings' questions last),
skipping suspended cards. Only one sitting is in progress at a time: `unfinished()`
finds it to resume. Submitting scores it and then, for each answered question: a wrong
answer is a lapse (Again) on the card, a right answer on a card due today a review
(Good), any other right answer is logged as practice and leaves the schedule alone.
Unanswered questions count as wrong in the score and touch no card. The schedule
changes of one submission are one undo step ("Practice exam").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from flashcards.collection.base import utc
from flashcards.collection.collection import Collection
from flashcards.collection.exam import Exams, ProfileRef
from flashcards.collection.practice_feed import UNDO_LABEL as UNDO_LABEL
from flashcards.collection.practice_feed import feed_schedule
from flashcards.collection.practice_pool import domain_pools, recent_questions
from flashcards.collection.practice_read import (
    moment,
    read_sitting,
    sitting_history,
    unfinished_sitting_id,
)
from flashcards.collection.practice_sitting import (
    AnswerUpdate,
    PracticeExamError,
    Question,
    Sitting,
    SittingSummary,
)
from flashcards.collection.views import Change
from flashcards.core.choice_order import file_order, presentation_seed, shuffled_choices
from flashcards.core.errors import FlashcardsError
from flashcards.core.practice_exam import DomainPool, Marked, draw_questions, score_exam
from flashcards.storage import models as m
from flashcards.storage.convert import to_epoch

__all__ = [
    "AnswerUpdate",
    "PracticeExamError",
    "PracticeExams",
    "Question",
    "Sitting",
    "SittingSummary",
]

SEED_MASK = (1 << 63) - 1  # SQLite integers are signed 64-bit


def _ints(value: str | None) -> frozenset[int] | None:
    return None if value is None else frozenset(int(x) for x in json.loads(value))


def _json(values: frozenset[int] | None) -> str | None:
    return None if values is None else json.dumps(sorted(values))


class PracticeExams:
    """Practice exams of one collection (cheap to make; the database holds the state)."""

    def __init__(self, col: Collection) -> None:
        self.col = col
        self.exams = Exams(col)

    # -- starting -------------------------------------------------------------------------

    def start(
        self,
        profile: ProfileRef | str | None = None,
        *,
        now: datetime | None = None,
        timed: bool = True,
        seed: int | None = None,
        predicted: float | None = None,
        predict: bool = True,
    ) -> Sitting:
        """Start a sitting of `profile` (the active one by default). `seed` fixes the
        draw (default: from `now` and the sittings before). `predicted` is the forecast
        score to set the result against; without it, and with `predict`, the readiness
        forecast for a sitting now is stored. Raises PracticeExamError while another
        sitting is unfinished, or when the exam's domains hold no multiple-choice card."""
        now = utc(now)
        ref = profile if isinstance(profile, ProfileRef) else self.exams.profile(profile)
        exam = ref.profile
        if self.unfinished_id() is not None:
            raise PracticeExamError(
                "a practice exam is still in progress: resume or discard it first"
            )
        pools = self._pools(ref, now=now)
        recent = recent_questions(self.col, ref)
        if seed is None:
            seed = presentation_seed(now, len(recent))
        seed &= SEED_MASK
        drawn = draw_questions(pools, seed=seed, recent=recent)
        if not drawn:
            raise PracticeExamError(
                f"{exam.short_label} has no multiple-choice questions to ask: write cards "
                "with a task list (- [x] right, - [ ] wrong) in its decks"
            )
        if predicted is None and predict:
            predicted = self._predicted(ref, now=now)
        views = {v.id: v for v in self.col.cards([d.card_id for d in drawn], now=now)}
        shuffle = bool(self.col.setting("shuffle_choices") is not False)
        rows_out = []
        for position, question in enumerate(drawn):
            card = views[question.card_id].card
            order = shuffled_choices(card, seed) if shuffle else file_order(len(card.choices))
            rows_out.append(
                {
                    "position": position,
                    "card_id": str(question.card_id),
                    "domain": question.domain,
                    "choice_order": json.dumps(list(order)),
                    "correct": json.dumps(sorted(card.correct)),
                }
            )
        with self.col._write() as s:
            sitting_id = s.execute(
                insert(m.PracticeSitting)
                .values(
                    profile_key=ref.key,
                    exam=exam.short_label,
                    started=to_epoch(now),
                    limit_seconds=exam.minutes * 60 if timed else None,
                    seed=seed,
                    score_min=exam.score_min,
                    score_max=exam.score_max,
                    pass_mark=exam.score_pass,
                    pass_share=exam.raw_pass_share,
                    predicted=predicted,
                )
                .returning(m.PracticeSitting.id)
            ).scalar_one()
            s.execute(
                insert(m.PracticeAnswer), [{"sitting_id": sitting_id, **row} for row in rows_out]
            )
        return self.sitting(int(sitting_id))

    def _pools(self, ref: ProfileRef, *, now: datetime) -> list[DomainPool]:
        """Each domain's multiple-choice cards (not suspended) and its questions."""
        return domain_pools(self.col, ref, now=now)

    def _predicted(self, ref: ProfileRef, *, now: datetime) -> float | None:
        """The readiness forecast's score for a sitting now (None if it has none)."""
        from flashcards.collection.readiness import sitting_prediction

        try:
            return float(sitting_prediction(self.col, ref, now=now).score.score)
        except FlashcardsError:
            return None

    def record_prediction(self, sitting_id: int) -> float | None:
        """Store the forecast for a sitting started without one (`predict=False`), as
        made for the moment it started; the app does this after showing the first
        question (the forecast takes ~0.2 s at 100,000 cards). Returns it."""
        with self.col._read() as s:
            row = s.execute(
                select(
                    m.PracticeSitting.profile_key,
                    m.PracticeSitting.started,
                    m.PracticeSitting.predicted,
                ).where(m.PracticeSitting.id == sitting_id)
            ).first()
        if row is None:
            raise PracticeExamError(f"no practice exam {sitting_id}")
        if row.predicted is not None:
            return float(row.predicted)
        try:
            ref = self.exams.profile(row.profile_key)
        except FlashcardsError:
            return None  # the profile is gone
        predicted = self._predicted(ref, now=moment(row.started))
        if predicted is not None:
            with self.col._write() as s:
                s.execute(
                    update(m.PracticeSitting)
                    .where(m.PracticeSitting.id == sitting_id)
                    .values(predicted=predicted)
                )
        return predicted

    def available(
        self, profile: ProfileRef | str | None = None, *, now: datetime | None = None
    ) -> dict[str, tuple[int, int]]:
        """Per domain: (questions a sitting asks, multiple-choice cards to draw from)."""
        ref = profile if isinstance(profile, ProfileRef) else self.exams.profile(profile)
        return {p.name: (p.questions, len(p.cards)) for p in self._pools(ref, now=utc(now))}

    # -- reading --------------------------------------------------------------------------

    def sitting(self, sitting_id: int) -> Sitting:
        """A sitting with its questions (and its score once finished)."""
        return read_sitting(self.col, self.exams, sitting_id)

    def unfinished_id(self) -> int | None:
        """The id of the sitting in progress, if any (cheap: for a menu's label)."""
        return unfinished_sitting_id(self.col)

    def unfinished(self) -> Sitting | None:
        """The sitting in progress, if any (to resume)."""
        found = self.unfinished_id()
        return None if found is None else self.sitting(found)

    def history(self, profile: ProfileRef | str | None = None) -> list[SittingSummary]:
        """Finished sittings of `profile` (the active one by default), oldest first."""
        ref = profile if isinstance(profile, ProfileRef) else self.exams.profile(profile)
        return sitting_history(self.col, ref)

    # -- progress -------------------------------------------------------------------------

    def save_progress(
        self,
        sitting_id: int,
        *,
        current: int | None = None,
        used_seconds: float | None = None,
        answers: Sequence[AnswerUpdate] = (),
    ) -> None:
        """Keep what the exam screen has: answers and flags, the question on screen and
        the time used. A finished sitting cannot change (PracticeExamError)."""
        with self.col._write() as s:
            self._open_row(s, sitting_id)
            values: dict[str, object] = {}
            if current is not None:
                values["current"] = current
            if used_seconds is not None:
                values["used_seconds"] = float(used_seconds)
            if values:
                s.execute(
                    update(m.PracticeSitting)
                    .where(m.PracticeSitting.id == sitting_id)
                    .values(**values)
                )
            for answer in answers:
                s.execute(
                    update(m.PracticeAnswer)
                    .where(
                        m.PracticeAnswer.sitting_id == sitting_id,
                        m.PracticeAnswer.position == answer.position,
                    )
                    .values(
                        picked=_json(answer.picked),
                        flagged=answer.flagged,
                        seconds=float(answer.seconds),
                    )
                )

    def _open_row(self, s: Session, sitting_id: int) -> None:
        """Raise unless the sitting exists and is still in progress."""
        finished = s.execute(
            select(m.PracticeSitting.finished).where(m.PracticeSitting.id == sitting_id)
        ).first()
        if finished is None:
            raise PracticeExamError(f"no practice exam {sitting_id}")
        if finished[0] is not None:
            raise PracticeExamError("this practice exam was already submitted")

    def discard(self, sitting_id: int) -> None:
        """Throw away an unfinished sitting (a finished one is history: refused)."""
        with self.col._write() as s:
            self._open_row(s, sitting_id)
            s.execute(delete(m.PracticeAnswer).where(m.PracticeAnswer.sitting_id == sitting_id))
            s.execute(delete(m.PracticeSitting).where(m.PracticeSitting.id == sitting_id))

    # -- submitting -----------------------------------------------------------------------

    def submit(
        self,
        sitting_id: int,
        *,
        now: datetime | None = None,
        used_seconds: float | None = None,
        answers: Sequence[AnswerUpdate] = (),
    ) -> tuple[Sitting, Change]:
        """Score the sitting, store its result and feed its answers to the schedule
        (see the module). Returns the finished sitting and what changed."""
        now = utc(now)
        self.save_progress(sitting_id, used_seconds=used_seconds, answers=answers)
        sitting = self.sitting(sitting_id)
        marks = [Marked(q.domain, q.correct, q.picked) for q in sitting.questions]
        score = score_exam(marks, sitting.profile())
        with self.col._write() as s:
            s.execute(
                update(m.PracticeSitting)
                .where(m.PracticeSitting.id == sitting_id)
                .values(
                    finished=to_epoch(now),
                    right=score.right,
                    scaled=score.scaled,
                    passed=score.passed,
                )
            )
        change = feed_schedule(self.col, sitting.questions, now=now)
        return self.sitting(sitting_id), change
