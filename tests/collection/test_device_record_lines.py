"""An import's device-log lines, written with orjson for speed, are the bytes
`device_log.encode` writes (json.dumps), floats that orjson writes otherwise included."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from flashcards.collection.device_record import _event, _import_row, _plain
from flashcards.core.card_fold import COLUMNS
from flashcards.core.device_log import Event, encode
from flashcards.core.model import CardId, Rating, ReviewEntry, ReviewKind


def _owner() -> Any:
    owner = SimpleNamespace(device="dev1", seq=41)

    def next_seq() -> int:
        owner.seq += 1
        return int(owner.seq)

    owner.next_seq = next_seq
    return owner


FLOATS = [0.0, -0.0, 1e-4, 0.00012, 1e-05, 2.5e-08, 3.7, 10.53, 36500.0, 1e15, 1e16, 1.5e300]


@pytest.mark.parametrize("value", FLOATS)
def test_a_state_line_is_what_encode_writes(value: float) -> None:
    values: dict[str, Any] = dict.fromkeys(COLUMNS[:-1], 0)
    values.update(stability=value, difficulty=5.25, suspended=False, due=1_764_331_200_000)
    values["step"] = None
    plain = _plain(values.values())
    event = _event(_owner(), 1_764_331_200_000, "state", "card-é", {"v": values}, plain=plain)
    assert event.raw == encode(event)
    assert event.raw is not None and event.raw.endswith(b"\n")


def test_a_history_and_a_forget_line_are_what_encode_writes() -> None:
    when = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    entry = ReviewEntry(CardId("c1"), when, Rating.GOOD, 5123, ReviewKind.REVIEW)
    owner = _owner()
    history = {"v": [_import_row(entry), _import_row(entry)]}
    for kind, data in (("history", history), ("forget", {})):
        event = _event(owner, 1_764_331_200_000, kind, "c1", data)
        assert isinstance(event, Event) and event.raw == encode(event)
