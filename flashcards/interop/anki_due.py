"""An imported Anki card keeps Anki's schedule: its type, due date and interval.

Anki, when FSRS is turned on without "Reschedule cards on change", computes each card's
memory state (stability, difficulty) from its review log and leaves its due date and
interval as they were. An import does the same: the memory state comes from replaying
the log through our FSRS (`history.replay`), the card's state and due date from Anki's
card row. A replay alone would set the due date our scheduler would have chosen
for that history, which can be days before Anki's (a flood of overdue cards on the first
day) or after it.

Days: a review card's `due` counts days from the collection's creation (`crt`, epoch
seconds at the start of Anki's day, its rollover hour); day N runs from `crt + N * 86400`.
A review card is due here at the middle of that day, which stays inside it whatever the
daylight-saving shift or rollover hour; a day-learning card (queue 3) at its start, as
Anki shows it from then on; an intraday learning card at its epoch second.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flashcards.core.model import CardState, MemoryState
from flashcards.interop.anki_db import AnkiCard
from flashcards.interop.history import memory_from_interval

DAY = 86400
_NEW = MemoryState(state=CardState.NEW)  # frozen: every new card may share it
_TYPES = {1: CardState.LEARNING, 2: CardState.REVIEW, 3: CardState.RELEARNING}
# rslib's is_unix_epoch_timestamp: a learning card's due above this is epoch seconds
# (queue 1 or 4), below it a day number (queue 3); suspended or buried cards (queue < 0)
# lose the queue that said which.
_EPOCH_DUE = 1_000_000_000
_DAYS = 200_000  # anki_checks' bound on a review card's due day


def anki_due(card: AnkiCard) -> int:
    """The card's due as its home deck has it (a card in a filtered deck keeps it in
    `odue`)."""
    return card.odue if card.odid and card.odue else card.due


def review_due(crt: int, day: int) -> datetime:
    """The middle of Anki's day `day` of a collection created at `crt`."""
    return datetime.fromtimestamp(crt + day * DAY + DAY // 2, tz=UTC)


def _last_review(replayed: MemoryState, due: datetime) -> datetime:
    """The card's last answer (a due date set after it can be no earlier)."""
    last = replayed.last_review
    return due if last is None or last > due else last


def kept_memory(card: AnkiCard, replayed: MemoryState | None, crt: int) -> MemoryState:
    """The state an imported card starts with: Anki's card type and due date, the
    replay's stability, difficulty and last answer.

    A review card's interval (due date less last answer) is then Anki's `ivl`: Anki's
    day N is due at its middle, so the span from any time of the answer's day rounds to
    N days. After a due date set in Anki it is the span to the new date, as Anki with FSRS
    counts it (`ivl` without FSRS keeps the old interval; the last answer is what the
    next one's memory update needs).

    A new card (type 0) stays new whatever its log says. A card without a replayed state
    (its log pruned) keeps its due date with a memory guessed from its interval and ease
    (`memory_from_interval`), or starts new when it has neither."""
    state = _TYPES.get(card.type)
    if state is None:
        return _NEW
    due = anki_due(card)
    if state is CardState.REVIEW:
        when = review_due(crt, due)
        if replayed is None or replayed.stability is None:
            if card.ivl <= 0:
                return _NEW
            return memory_from_interval(
                interval_days=card.ivl, due=when, ease_percent=card.factor / 10 or 250
            )
        return MemoryState(
            state=CardState.REVIEW,
            step=None,
            stability=replayed.stability,
            difficulty=replayed.difficulty,
            due=when,
            last_review=_last_review(replayed, when),
        )
    if replayed is None or replayed.stability is None:
        return _NEW  # learning with no answer left in the log: nothing to go on
    if due > _EPOCH_DUE:
        when = datetime.fromtimestamp(due, tz=UTC)
    elif abs(due) <= _DAYS:
        when = datetime.fromtimestamp(crt + due * DAY, tz=UTC)
    else:  # no day Anki could mean (the package checks bound review cards' days only)
        when = replayed.due or datetime.fromtimestamp(crt, tz=UTC)
    return MemoryState(
        state=state,
        step=replayed.step if replayed.state is state and replayed.step is not None else 0,
        stability=replayed.stability,
        difficulty=replayed.difficulty,
        due=when,
        last_review=replayed.last_review,
    )
