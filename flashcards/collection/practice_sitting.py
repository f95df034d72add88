"""What a practice exam is, as `practice_exam.py`'s `PracticeExams` hands it out and takes
it back: a `Sitting` with its `Question`s (in progress or finished, with its score), an
`AnswerUpdate` the exam screen saves, a `SittingSummary` for the list of past results,
and `PracticeExamError`. All are importable from `flashcards.collection.practice_exam`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flashcards.core.errors import FlashcardsError
from flashcards.core.exam import ExamDomain, ExamProfile
from flashcards.core.model import CardId
from flashcards.core.practice_exam import ExamClock, ExamScore, Marked


class PracticeExamError(FlashcardsError):
    """A practice exam cannot be started, changed or submitted as asked."""


@dataclass(frozen=True)
class Question:
    """One question of a sitting. Options are the card's file indexes; `order` is how
    they are shown (A, B, C… in that order)."""

    position: int  # 0-based
    card_id: CardId
    domain: str
    order: tuple[int, ...]
    correct: frozenset[int]
    picked: frozenset[int] | None = None  # None: not answered
    flagged: bool = False
    seconds: float = 0.0  # time spent on it

    @property
    def choose(self) -> int:
        """How many options the answer has ("choose two" when 2)."""
        return len(self.correct)

    @property
    def right(self) -> bool:
        return Marked(self.domain, self.correct, self.picked).right


@dataclass(frozen=True)
class AnswerUpdate:
    """A question's new state, as the exam screen saves it."""

    position: int
    picked: frozenset[int] | None = None
    flagged: bool = False
    seconds: float = 0.0


@dataclass(frozen=True)
class Sitting:
    """A practice exam, in progress or finished."""

    id: int
    profile_key: str
    exam: str  # the exam's short label ("MLS-C01")
    started: datetime
    finished: datetime | None
    limit_seconds: int | None  # None: untimed
    used_seconds: float
    current: int
    score_min: int
    score_max: int
    pass_mark: int
    pass_share: float
    predicted: float | None
    questions: tuple[Question, ...]
    score: ExamScore | None = None  # once finished
    domains: tuple[str, ...] = field(default=(), compare=False)  # the profile's order

    @property
    def clock(self) -> ExamClock:
        """The sitting's clock, paused (start it when the exam is on screen)."""
        return ExamClock(self.limit_seconds, self.used_seconds)

    def profile(self) -> ExamProfile:
        """The scale and pass mark the sitting was taken under, as a profile to score with."""
        return ExamProfile(
            name=self.exam,
            questions=len(self.questions),
            minutes=(self.limit_seconds or 0) // 60,
            score_min=self.score_min,
            score_max=self.score_max,
            score_pass=self.pass_mark,
            domains=tuple(ExamDomain(name, 0.0) for name in self.domains),
            pass_share=self.pass_share,
        )


@dataclass(frozen=True)
class SittingSummary:
    """A finished sitting, for the list of past results and their trend."""

    id: int
    exam: str
    started: datetime
    finished: datetime
    questions: int
    right: int
    scaled: int
    passed: bool
    pass_mark: int
    score_min: int
    score_max: int
    predicted: float | None
    used_seconds: float
    limit_seconds: int | None
