"""Where a deck's practice (multiple-choice) questions go among its notes: each right
after the notes of the deck it links to, the unlinked ones spread evenly (the rule is
`core.queue_order.question_keys`). Read from the deck's cards and links, and kept per
deck while its file is unchanged; `new_cards.DeckOrder` walks a deck in this order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.orm import Session

from flashcards.core.model import CardId
from flashcards.core.queue_order import question_keys

if TYPE_CHECKING:
    from flashcards.collection.queue import DeckRef

CHOICE = "choice"  # core CardKind.CHOICE: a practice (multiple-choice) question


# A deck's questions, studied ones too (they keep the spread of the unlinked ones the
# same from day to day). The index is named: left to itself SQLite walks the queue
# index's `present` column, the whole collection.
_QUESTIONS_SQL = text(
    "SELECT id, note_id, position FROM cards INDEXED BY ix_cards_deck_new "
    f"WHERE deck_id = :deck AND present = 1 AND kind = '{CHOICE}' ORDER BY position"
)
# (question note, the first card position of a note of the same deck it links to).
_ANCHORS_SQL = text(
    "SELECT l.from_note, MIN(t.position) FROM cards q INDEXED BY ix_cards_deck_new "
    "CROSS JOIN links l INDEXED BY ix_links_from_note ON l.from_note = q.note_id "
    "CROSS JOIN cards t INDEXED BY ix_cards_note_id ON t.note_id = l.to_note "
    f"WHERE q.deck_id = :deck AND q.present = 1 AND q.kind = '{CHOICE}' "
    f"AND t.deck_id = :deck AND t.present = 1 AND t.kind != '{CHOICE}' "
    "GROUP BY l.from_note, l.to_note"
)
_NOTES_RANGE_SQL = text(
    "SELECT MIN(position), MAX(position) FROM cards INDEXED BY ix_cards_deck_new "
    f"WHERE deck_id = :deck AND present = 1 AND kind != '{CHOICE}'"
)


@dataclass(frozen=True)
class DeckQuestions:
    """Where a deck's practice questions go among its notes, as `question_keys` puts
    them: (card, note, sort key on the notes' positions), earliest first."""

    placed: tuple[tuple[CardId, str, float], ...] = ()
    ids: frozenset[CardId] = frozenset()


def read_questions(session: Session, deck_id: int) -> DeckQuestions:
    """A deck's questions and where they go, from its cards and links."""
    params = {"deck": deck_id}
    questions = session.execute(_QUESTIONS_SQL, params).all()
    if not questions:
        return DeckQuestions()
    anchors: dict[str, int] = {}
    for note, position in session.execute(_ANCHORS_SQL, params):
        anchors[note] = max(int(position), anchors.get(note, -1))
    notes_range: tuple[int, int] | None = None
    if any(note not in anchors for _, note, _ in questions):
        first, last = session.execute(_NOTES_RANGE_SQL, params).one()
        notes_range = None if first is None else (int(first), int(last))
    keyed = question_keys(
        [((CardId(c), str(n)), int(p), anchors.get(n)) for c, n, p in questions],
        notes=notes_range,
    )
    return DeckQuestions(
        tuple((cid, note, key) for (cid, note), key in keyed),
        frozenset(CardId(c) for c, _, _ in questions),
    )


class QuestionLayouts:
    """`DeckQuestions` per deck, kept while the deck file's hash (`DeckRef.stamp`) stays
    the same: they depend on the file alone (its notes and its links to its own notes),
    and reading them is most of what a deck's study order costs."""

    def __init__(self) -> None:
        self._decks: dict[int, tuple[str, DeckQuestions]] = {}

    def of(self, session: Session, deck: DeckRef) -> DeckQuestions:
        kept = self._decks.get(deck.id)
        if kept is not None and deck.stamp and kept[0] == deck.stamp:
            return kept[1]
        layout = read_questions(session, deck.id)
        if deck.stamp:
            self._decks[deck.id] = (deck.stamp, layout)
        return layout
