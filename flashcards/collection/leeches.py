"""Leeches in the collection: tagging a card's note when an answer makes it one, and
counting them per exam domain (for the statistics).

`Collection.answer` decides (core.leeches.is_leech on the preset's threshold), suspends
the card in the answer's own transaction when the preset says so, and then calls
`mark_leech`: the note's `Tags:` line gets `leech`, written atomically like every other
edit of a deck file (collection.editing), review history kept. The answer's undo entry
becomes one that also takes the tag back, so one Undo restores card, suspension and file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from flashcards.collection import editing
from flashcards.collection.collection import Collection
from flashcards.collection.views import Change
from flashcards.core.errors import FlashcardsError
from flashcards.core.leeches import LEECH_TAG
from flashcards.core.model import CardId
from flashcards.storage.failures import write_file

__all__ = ["LeechUndoEntry", "leeches_by_domain", "mark_leech"]


@dataclass(frozen=True)
class LeechUndoEntry(editing.FileUndoEntry):
    """An answer that made a leech: the card's columns before it, the review row it
    added, and the deck file before and after the tag."""

    def undo_with(self, col: Collection) -> Change:
        """Undo the answer and the tag (the tag stays if its file was edited since)."""
        warnings: tuple[str, ...] = ()
        unchanged = all(
            (Path(f.path).read_bytes() if Path(f.path).exists() else None) == f.after
            for f in self.files
        )
        decks: frozenset[str] = frozenset()
        if unchanged:
            for state in self.files:
                if state.before is not None:
                    write_file(Path(state.path), state.before)
            if self.files:
                decks = frozenset(col.sync().files_changed)
        else:
            warnings = ("the leech tag stays: its deck file was changed after the answer",)
        change = col._restore(self)  # and the undo goes into the device log
        col._generation += 1
        return Change(
            cards=change.cards,
            decks=decks,
            structure=bool(decks),
            label=change.label,
            warnings=warnings,
        )


    def redo_files(self, col: Collection) -> tuple[frozenset[str], tuple[str, ...]]:
        """Redo the tag with the answer (the tag is left out if its file changed since)."""
        unchanged = all(
            (Path(f.path).read_bytes() if Path(f.path).exists() else None) == f.before
            for f in self.files
        )
        if not unchanged:
            return frozenset(), ("the leech tag was not added again: its deck file changed",)
        for state in self.files:
            if state.after is not None:
                write_file(Path(state.path), state.after)
        return (frozenset(col.sync().files_changed) if self.files else frozenset()), ()


def mark_leech(col: Collection, card_id: CardId, change: Change) -> Change:
    """Tag the note of `card_id` (just made a leech by the answer `change`) `leech` in its
    Markdown and fold the edit into the answer's undo entry, the newest on the stack."""
    answer = col._undo.pop()
    assert answer is not None, "mark_leech follows the answer's undo entry"
    depth = len(col._undo)
    warnings: tuple[str, ...] = ()
    try:
        tagged = editing.add_tags(col, [card_id], [LEECH_TAG])
    except (FlashcardsError, OSError) as error:
        tagged = Change()
        warnings = (f"card #{card_id} is a leech, but its deck file could not be tagged: {error}",)
    files: tuple[editing.FileState, ...] = ()
    if len(col._undo) > depth:
        edit = col._undo.pop()
        files = getattr(edit, "files", ())
    col._undo.push(
        LeechUndoEntry(
            answer.label, answer.snapshots, answer.review_ids, answer.events, files=files
        )
    )
    return Change(
        cards=change.cards | tagged.cards,
        decks=change.decks | tagged.decks,
        structure=change.structure or tagged.structure,
        label=change.label,
        leeches=frozenset({card_id}),
        warnings=warnings,
    )


_BY_DOMAIN_SQL = (
    "SELECT c.domain, COUNT(*) FROM cards c WHERE c.present = 1 "
    "AND c.tags LIKE :like AND EXISTS (SELECT 1 FROM json_each(c.tags) "
    "WHERE lower(json_each.value) = :tag){decks} GROUP BY c.domain"
)


def leeches_by_domain(col: Collection, *, deck: str | None = None) -> dict[str | None, int]:
    """Cards tagged `leech` per exam domain (None: decks without one), in the decks of
    `deck` (a deck, folder or `domain:NAME`; None: every deck). Only domains with leeches
    are listed. The same cards as the search `tag:leech`."""
    params: dict[str, object] = {"like": f"%{LEECH_TAG}%", "tag": LEECH_TAG}
    decks = ""
    if deck is not None:
        ids = [r.id for r in col._select(deck)]
        decks = f" AND c.deck_id IN ({','.join(f':d{i}' for i in range(len(ids)))})"
        params |= {f"d{i}": v for i, v in enumerate(ids)}
    with col._read() as s:
        rows = s.execute(text(_BY_DOMAIN_SQL.format(decks=decks)), params).all()
    return {domain: int(n) for domain, n in rows}
