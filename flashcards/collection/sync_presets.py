"""A renamed or moved deck file keeps its preset, as a renamed deck keeps its options
in Anki.

The deck→preset link is stored by file key, so a deck file renamed (or moved into a
folder) would come back under the default preset, its limits and retention changed
without a word. Its notes keep their ids across the move, and that is how a sync
recognises it: a deck that is new to the index (or still on the default preset) whose
already known notes all come from one deck that is gone after this sync takes that
deck's preset. Cards and history follow the ids anyway (`sync_ids`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from flashcards.collection.device_travel import preset_uid
from flashcards.collection.sync_ids import _chunks
from flashcards.storage import models as m

if TYPE_CHECKING:
    from flashcards.collection.base import CollectionBase

DEFAULT_PRESET = 1  # the default preset's id (collection.queue.DEFAULT_PRESET_ID)


def inherited_presets(
    session: Session,
    rows: Mapping[str, Any],
    claims: Mapping[str, Sequence[str]],
    removed: Sequence[str],
) -> dict[str, int]:
    """Deck key -> the preset id it takes over from the deck file it was renamed from.
    Call before the sync moves the notes (their rows still name the old deck)."""
    candidates = {
        key: ids
        for key, ids in claims.items()
        if ids and (key not in rows or not rows[key].present)
    }
    if not candidates:
        return {}
    wanted = sorted({nid for ids in candidates.values() for nid in ids})
    deck_of: dict[str, int] = {}
    for chunk in _chunks(wanted):
        deck_of.update(
            (nid, deck_id)
            for nid, deck_id in session.execute(
                select(m.Note.id, m.Note.deck_id).where(m.Note.id.in_(chunk))
            )
        )
    gone = set(removed)
    decks = {
        r.id: r
        for r in session.execute(select(m.Deck.id, m.Deck.key, m.Deck.present, m.Deck.preset_id))
    }
    out: dict[str, int] = {}
    for key, ids in candidates.items():
        sources = {deck_of[nid] for nid in ids if nid in deck_of}
        if len(sources) != 1:
            continue  # all new notes, or gathered from several decks: nothing to carry
        old = decks.get(sources.pop())
        if old is None or old.key == key or old.preset_id == DEFAULT_PRESET:
            continue
        if old.key in gone or (not old.present and old.key not in claims):
            out[key] = old.preset_id
    return out


def carry_presets(session: Session, inherited: Mapping[str, int]) -> dict[str, int]:
    """Give each deck of `inherited` its preset, unless it has one of its own already;
    the decks that took theirs (for the device log, so other machines follow)."""
    carried: dict[str, int] = {}
    for key, preset_id in inherited.items():
        result = session.execute(
            update(m.Deck)
            .where(m.Deck.key == key, m.Deck.preset_id == DEFAULT_PRESET)
            .values(preset_id=preset_id)
        )
        if getattr(result, "rowcount", 0):
            carried[key] = preset_id
    return carried


def log_carried(col: CollectionBase, presets: Mapping[str, int]) -> None:
    """Log the deck -> preset links a sync carried over (`carry_presets`), as
    `set_deck_preset` logs a choice, so other machines and a rebuilt database follow."""
    with col.devices.batch() as log, col._write() as s:
        for key, preset_id in sorted(presets.items()):
            uid = preset_uid(log.cursor(s), preset_id)
            log.add(s, "deck-preset", (), {"deck": key, "u": uid}, time_ms=log.order_ms)
