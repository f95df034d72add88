"""Card info (Anki's "Card Info"): one card's facts, memory state, recall, review
history and links, read in one call on the worker for the card-info window.

Recall on the exam date is the card's FSRS retrievability at noon of that date, for the
exam profile whose folder holds the card's deck (else the active profile), when the user
has set a date for it (collection.exam).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import text

from flashcards.collection.base import utc
from flashcards.collection.collection import Collection
from flashcards.collection.exam import Exams
from flashcards.collection.views import CardView
from flashcards.core.leeches import LEECH_TAG
from flashcards.core.model import CardId, CardState, Rating, ReviewKind
from flashcards.core.scheduling import retrievability
from flashcards.storage.convert import from_epoch, from_epoch_ms

EXAM_HOUR = 12
"""Recall on the exam date is judged at noon, local time (as the readiness forecast)."""


@dataclass(frozen=True)
class HistoryRow:
    """One row of a card's review log, as the card-info table shows it."""

    time: datetime
    kind: ReviewKind
    state_before: CardState
    state_after: CardState
    rating: Rating | None  # None for manual rows (reset, set due date)
    interval: timedelta | None  # until the due date it set; None for practice
    duration_ms: int
    stability: float | None  # after the answer
    difficulty: float | None

    @property
    def kind_label(self) -> str:
        """Learn, Review, Relearn, Practice, Reset or Rescheduled (Anki's review types)."""
        if self.kind is ReviewKind.PRACTICE:
            return "Practice"
        if self.kind is ReviewKind.MANUAL:
            return "Reset" if self.state_after is CardState.NEW else "Rescheduled"
        if self.state_before is CardState.REVIEW:
            return "Review"
        if self.state_before is CardState.RELEARNING:
            return "Relearn"
        return "Learn"


@dataclass(frozen=True)
class ExamRecall:
    """Recall of the card at the exam of a profile with a date set."""

    exam: str  # the profile's short label ("MLS-C01")
    day: date
    recall: float | None  # None: never reviewed


@dataclass(frozen=True)
class CardInfo:
    """Everything the card-info window shows about one card."""

    view: CardView
    added: datetime | None
    modified: datetime | None
    history: tuple[HistoryRow, ...]
    recall_now: float | None
    exam: ExamRecall | None
    links: tuple[CardView, ...]
    backlinks: tuple[CardView, ...]
    now: datetime

    @property
    def due(self) -> datetime | None:
        """When the card is next due (None for a new card)."""
        memory = self.view.memory
        return None if memory.state is CardState.NEW else memory.due

    @property
    def interval(self) -> timedelta | None:
        """The current interval: from the last review to the due date."""
        memory = self.view.memory
        if self.due is None or memory.last_review is None:
            return None
        return self.due - memory.last_review

    @property
    def answers(self) -> tuple[HistoryRow, ...]:
        """The rows that were answers (not manual changes)."""
        return tuple(r for r in self.history if r.kind is not ReviewKind.MANUAL)

    @property
    def total_ms(self) -> int:
        return sum(r.duration_ms for r in self.answers)

    @property
    def is_leech(self) -> bool:
        return any(t.casefold() == LEECH_TAG for t in self.view.card.tags)


_HISTORY_SQL = (
    "SELECT time_ms, kind, state_before, state_after, rating, scheduled_days, duration_ms, "
    "stability_after, difficulty_after FROM reviews WHERE card_id = :id ORDER BY time_ms, id"
)


def _history(col: Collection, card_id: str) -> tuple[HistoryRow, ...]:
    rows: list[HistoryRow] = []
    with col._read() as s:
        for r in s.execute(text(_HISTORY_SQL), {"id": card_id}):
            kind = ReviewKind(r[1]) if r[1] in {k.value for k in ReviewKind} else ReviewKind.REVIEW
            after = CardState(r[3])
            interval: timedelta | None = None
            if kind is not ReviewKind.PRACTICE and after is not CardState.NEW:
                interval = timedelta(days=float(r[5] or 0.0))
            rows.append(
                HistoryRow(
                    time=from_epoch_ms(r[0]),
                    kind=kind,
                    state_before=CardState(r[2]),
                    state_after=after,
                    rating=Rating(r[4]) if 1 <= r[4] <= 4 else None,
                    interval=interval,
                    duration_ms=int(r[6] or 0),
                    stability=r[7],
                    difficulty=r[8],
                )
            )
    return tuple(rows)


def _exam_recall(col: Collection, view: CardView) -> ExamRecall | None:
    exams = Exams(col)
    refs = exams.profiles()
    mine = [r for r in refs if r.key and r.covers_deck(view.card.file)]
    ref = max(mine, key=lambda r: len(r.key)) if mine else exams.active()
    if ref is None:
        return None
    day = exams.exam_date(ref)
    if day is None:
        return None
    noon = utc(datetime.combine(day, time(EXAM_HOUR), tzinfo=col.day_config().tz))
    recall = retrievability(view.memory, now=noon, preset=view.preset)
    return ExamRecall(ref.profile.short_label, day, recall)


def card_info(col: Collection, card_id: CardId | str, *, now: datetime | None = None) -> CardInfo:
    """One card's info as of `now` (UnknownCardError for an id the collection lacks)."""
    now = utc(now)
    view = col.card(card_id, now=now)
    with col._read() as s:
        row = s.execute(
            text("SELECT added, modified FROM cards WHERE id = :id"), {"id": str(card_id)}
        ).one()
    return CardInfo(
        view=view,
        added=from_epoch(row[0]) if row[0] else None,
        modified=from_epoch(row[1]) if row[1] else None,
        history=_history(col, str(card_id)),
        recall_now=view.retrievability(now),
        exam=_exam_recall(col, view),
        links=tuple(col.links_of(view.note_id, now=now)),
        backlinks=tuple(col.backlinks(view.note_id, now=now)),
        now=now,
    )
