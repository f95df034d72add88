"""A submitted practice exam's answers fed to the schedule: a wrong answer is a lapse
(Again) on its card, a right answer on a card due today a review (Good), any other right
answer is logged as practice; unanswered questions touch no card. All of one submission
is one undo step ("Practice exam")."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flashcards.collection.collection import Collection
from flashcards.collection.practice_sitting import Question
from flashcards.collection.undo import CardSnapshot, UndoEntry, UndoStack
from flashcards.collection.views import CardView, Change
from flashcards.core.model import CardId, CardState, Rating
from flashcards.storage.convert import to_epoch

UNDO_LABEL = "Practice exam"


def feed_schedule(col: Collection, questions: Sequence[Question], *, now: datetime) -> Change:
    """Again for wrong answers, Good for right ones on due cards, practice otherwise;
    one undo step for all of them."""
    answered = [q for q in questions if q.picked is not None]
    if not answered:
        return Change(label=UNDO_LABEL)
    views: dict[str, CardView] = {v.id: v for v in col.cards([q.card_id for q in answered])}
    end_of_day = col._window(now).end_s
    kept, col._undo = col._undo, UndoStack(limit=len(answered) + 1)
    touched: set[CardId] = set()
    try:
        for q in answered:
            view = views.get(q.card_id)
            if view is None or not view.present:
                continue
            duration = round(q.seconds * 1000)
            if not q.right:
                change = col.answer(q.card_id, Rating.AGAIN, now=now, duration_ms=duration)
            elif _due_today(view, end_of_day):
                change = col.answer(q.card_id, Rating.GOOD, now=now, duration_ms=duration)
            else:
                change = col.practice(q.card_id, Rating.GOOD, now=now, duration_ms=duration)
            touched |= change.cards
    finally:
        steps, col._undo = col._undo, kept
    snapshots: list[CardSnapshot] = []
    reviews: list[int] = []
    events: list[str] = []  # the answers' device-log events, undone together
    while (entry := steps.pop()) is not None:
        snapshots[:0] = entry.snapshots
        reviews[:0] = entry.review_ids
        events[:0] = entry.events
    if snapshots:
        col._undo.push(UndoEntry(UNDO_LABEL, tuple(snapshots), tuple(reviews), tuple(events)))
    return Change(cards=frozenset(touched), label=UNDO_LABEL)


def _due_today(view: CardView, end_of_day_s: int) -> bool:
    """Whether the day's queue would show the card: studied and due before the day ends."""
    due = view.memory.due
    return view.state is not CardState.NEW and due is not None and to_epoch(due) < end_of_day_s
