"""What the practice-exam window runs on the worker thread: functions of the collection
that return frozen values (sittings, card views, HTML). No Qt here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from flashcards.collection.exam import Exams
from flashcards.collection.practice_exam import (
    AnswerUpdate,
    PracticeExams,
    Sitting,
    SittingSummary,
)
from flashcards.collection.views import CardView, Change
from flashcards.core.choice_order import file_order, is_order_of
from flashcards.core.errors import FlashcardsError
from flashcards.core.exam import ExamProfile
from flashcards.core.model import CardId
from flashcards.gui.review_ops import base_dir_of, media_root_of


@dataclass(frozen=True)
class Overview:
    """What the start page shows: the exam, what a sitting draws, the one in progress
    and the results so far."""

    key: str
    profile: ExamProfile
    available: dict[str, tuple[int, int]]  # domain: (questions asked, cards to draw from)
    unfinished: Sitting | None
    history: tuple[SittingSummary, ...]

    @property
    def questions(self) -> int:
        """Questions a sitting will ask (fewer than the exam's when cards are short)."""
        return min(self.profile.questions, sum(cards for _, cards in self.available.values()))


@dataclass(frozen=True)
class ExamLoad:
    """A sitting with everything its screens show: each question's card and the folder
    its media resolve against, and the past results (for the trend)."""

    sitting: Sitting
    views: dict[CardId, CardView]
    base_dirs: dict[CardId, Path | None]
    history: tuple[SittingSummary, ...] = ()
    media_roots: dict[CardId, Path | None] = field(default_factory=dict)  # library folders

    def order(self, position: int) -> tuple[int, ...]:
        """The options of a question as shown; the file's order if the card has changed
        since (an edit added or removed options)."""
        question = self.sitting.questions[position]
        count = len(self.views[question.card_id].card.choices)
        return question.order if is_order_of(question.order, count) else file_order(count)


def overview(col: Any, *, now: datetime) -> Overview | None:
    """The active exam profile's start page (None: the library has no exam.toml)."""
    ref = Exams(col).active()
    if ref is None:
        return None
    exams = PracticeExams(col)
    return Overview(
        key=ref.key,
        profile=ref.profile,
        available=exams.available(ref, now=now),
        unfinished=exams.unfinished(),
        history=tuple(exams.history(ref)),
    )


def unfinished_id(col: Any) -> int | None:
    """The sitting in progress, if any (the Go menu offers to resume it)."""
    return PracticeExams(col).unfinished_id()


def _load(col: Any, sitting: Sitting, *, now: datetime | None = None) -> ExamLoad:
    views = {v.id: v for v in col.cards([q.card_id for q in sitting.questions], now=now)}
    missing = [q.card_id for q in sitting.questions if q.card_id not in views]
    if missing:
        raise FlashcardsError(f"the card {missing[0]} of this practice exam no longer exists")
    base_dirs = {cid: base_dir_of(col, view.card.file) for cid, view in views.items()}
    roots = {cid: media_root_of(col, view.card.file) for cid, view in views.items()}
    history: tuple[SittingSummary, ...] = ()
    if sitting.finished is not None:
        try:
            history = tuple(PracticeExams(col).history(sitting.profile_key))
        except FlashcardsError:  # the profile is gone: the sitting still shows
            history = ()
    return ExamLoad(sitting, views, base_dirs, history, roots)


def start(col: Any, *, now: datetime, timed: bool) -> ExamLoad:
    """A new sitting of the active profile; its forecast comes later (`predict`), so
    the first question is not kept waiting for it."""
    return _load(col, PracticeExams(col).start(now=now, timed=timed, predict=False), now=now)


def predict(col: Any, sitting_id: int) -> float | None:
    """Store the readiness forecast for the moment the sitting started."""
    return PracticeExams(col).record_prediction(sitting_id)


def resume(col: Any, *, now: datetime) -> ExamLoad | None:
    """The sitting in progress, if any."""
    sitting = PracticeExams(col).unfinished()
    return None if sitting is None else _load(col, sitting, now=now)


def open_sitting(col: Any, sitting_id: int, *, now: datetime) -> ExamLoad:
    """A sitting, finished or not (a past result's review)."""
    return _load(col, PracticeExams(col).sitting(sitting_id), now=now)


def discard(col: Any, sitting_id: int) -> None:
    PracticeExams(col).discard(sitting_id)


def save(
    col: Any,
    sitting_id: int,
    *,
    current: int,
    used_seconds: float,
    answers: tuple[AnswerUpdate, ...],
) -> None:
    PracticeExams(col).save_progress(
        sitting_id, current=current, used_seconds=used_seconds, answers=answers
    )


def submit(
    col: Any,
    sitting_id: int,
    *,
    now: datetime,
    used_seconds: float,
    answers: tuple[AnswerUpdate, ...],
) -> tuple[ExamLoad, Change]:
    """Score and store the sitting, feed the schedule; the finished sitting to review."""
    sitting, change = PracticeExams(col).submit(
        sitting_id, now=now, used_seconds=used_seconds, answers=answers
    )
    return _load(col, sitting, now=now), change


def warm_renders(load: ExamLoad) -> int:
    """Render every question's front ahead (the cache keeps them): moving to the next
    question then costs a cache hit. Needs no collection; returns the count rendered."""
    from flashcards.core import render

    for position, question in enumerate(load.sitting.questions):
        view = load.views[question.card_id]
        render.render_card(
            view.card,
            side=render.Side.FRONT,
            base_dir=load.base_dirs.get(question.card_id),
            selected=question.picked or frozenset(),
            order=load.order(position),
            media_root=load.media_roots.get(question.card_id),
        )
    return len(load.sitting.questions)
