"""The rows of an .apkg: Anki ids when ours clash, scheduling from stored seconds as from
datetimes, the card's data JSON as json.dumps writes it, errors of the inserting thread."""

from __future__ import annotations

import json
import math
import sqlite3
from datetime import UTC, datetime

import pytest

from flashcards.core.model import CardId, CardState, MemoryState, NoteId
from flashcards.interop import apkg_rows
from flashcards.interop.apkg_rows import (
    RowInserts,
    anki_ids,
    card_data,
    schedule,
    schedule_indexed,
)
from flashcards.interop.package_notes import (
    IndexedMemory,
    PackageCard,
    PackageNote,
    rendered,
)

CRT = int(datetime(2025, 11, 28, tzinfo=UTC).timestamp())


def _note(note_id: str, *cards: str) -> PackageNote:
    return PackageNote(
        NoteId(note_id),
        rendered("Basic", ["front", "back"], ()),
        "Deck",
        tuple(PackageCard(CardId(c), 0) for c in cards),
        "guid",
        "deck.md",
    )


def test_clashing_ids_move_up_in_note_then_card_order(monkeypatch: pytest.MonkeyPatch) -> None:
    notes = [_note("a", "a", "a:r"), _note("b", "b")]
    assert anki_ids(notes) == (
        [apkg_rows.stable_int("note:a"), apkg_rows.stable_int("note:b")],
        [apkg_rows.stable_int(f"card:{c}") for c in ("a", "a:r", "b")],
    )
    # Every id hashed to one value: each takes the next free one, note before its cards.
    monkeypatch.setattr(apkg_rows, "stable_int", lambda text: 100)
    assert anki_ids(notes) == ([100, 103], [101, 102, 104])


@pytest.mark.parametrize(
    ("state", "stability", "difficulty", "due", "last"),
    [
        (CardState.REVIEW, 12.345678, 4.2, 1_780_012_345, 1_779_000_000),
        (CardState.REVIEW, 0.1 + 0.2, 10.0, 1_780_000_000, None),
        (CardState.LEARNING, None, None, 1_779_999_000, 1_779_998_400),
        (CardState.RELEARNING, 2.5, 7.123456789, 1_779_999_999, 1_779_913_600),
        (CardState.REVIEW, 30.0, 5.0, 1_779_907_200, 1_779_000_000),  # 10.5 days
    ],
)
def test_stored_seconds_schedule_as_datetimes_do(
    state: CardState,
    stability: float | None,
    difficulty: float | None,
    due: int,
    last: int | None,
) -> None:
    def at(seconds: int | None) -> datetime | None:
        return None if seconds is None else datetime.fromtimestamp(seconds, UTC)

    memory = MemoryState(state, None, stability, difficulty, at(due), at(last))
    expected = schedule(PackageCard(CardId("c"), 0, memory), crt=CRT, position=7)
    indexed = IndexedMemory(state.value, stability, difficulty, due, last)
    assert schedule_indexed(indexed, crt=CRT) == expected
    assert schedule(PackageCard(CardId("c"), 0, indexed), crt=CRT, position=7) == expected


@pytest.mark.parametrize(
    "values",
    [(10.5, 5.2, 1_779_000_000), (1e-05, 1e22, None), (None, None, 1), (math.nan, 3.0, 5)],
)
def test_card_data_is_what_json_dumps_writes(values: tuple[float | None, ...]) -> None:
    stability, difficulty, last = values
    data: dict[str, float] = {}
    if stability is not None and difficulty is not None:
        data = {"s": round(stability, 4), "d": round(difficulty, 4)}
    if last is not None:
        data["lrt"] = int(last)
    got = card_data(stability, difficulty, None if last is None else int(last))
    assert got == json.dumps(data)


def test_an_error_in_the_inserting_thread_reaches_the_caller() -> None:
    db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    inserts = RowInserts(db)
    inserts.put("INSERT INTO t VALUES (?)", [(1,), (2,)])
    inserts.put("INSERT INTO t VALUES (?)", [(2,)])  # the same id again
    inserts.put("INSERT INTO t VALUES (?)", [(3,)])  # not run after the error
    with pytest.raises(sqlite3.IntegrityError):
        inserts.close()
    assert db.execute("SELECT id FROM t").fetchall() == [(1,), (2,)]
