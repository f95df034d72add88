"""Bulk changes as device-log events (docs/sync.md): an import's history and states, the
optimiser's recomputed memory states.

Each card an import touched gets, in order, a `forget` (its history replaced), a `history`
event with the rows the import added, and a `state` event with the columns the import
left it with: replaying them gives what the import wrote, whatever it computed.
"""

from __future__ import annotations

import contextlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from flashcards.collection.device_sync import Batch
from flashcards.core.card_fold import COLUMNS
from flashcards.core.device_log import Event
from flashcards.core.device_log import _event as new_event  # Event(...) at half the cost
from flashcards.core.model import CardId, Flag, MemoryState, ReviewEntry
from flashcards.storage.convert import to_epoch_ms

_orjson: Any
try:
    import orjson as _orjson
except ImportError:  # pragma: no cover - without orjson
    _orjson = None

_CHUNK = 500
_STATE_BATCH = 200  # cards per `state` line of recomputed memory states


def _columns(cur: Any, ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
    found: dict[str, tuple[Any, ...]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start : start + _CHUNK])
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT id, {', '.join(COLUMNS[:-1])} FROM cards WHERE id IN ({marks})"
        for row in cur.execute(sql, chunk):
            found[row[0]] = tuple(row[1:])
    return found


def record_import(
    log: Batch,
    session: Session,
    *,
    states: Mapping[CardId, MemoryState],
    card_flags: Mapping[CardId, tuple[bool, Flag]],
    replace_history_for: Iterable[CardId],
    reviews: Sequence[ReviewEntry],
    lapses: Iterable[CardId] = (),
) -> None:
    """The scheduling half of an import (import_rows.write_scheduling, just run in
    `session`) as events of `log`; cards the collection does not have are left out.
    `lapses`: cards whose lapse count alone the import may have set."""
    cur = log.cursor(session)
    rows: dict[str, list[list[Any]]] = defaultdict(list)
    for entry in reviews:
        rows[str(entry.card_id)].append(_import_row(entry))
    forget = {str(c) for c in replace_history_for}
    asked = sorted({*map(str, states), *map(str, card_flags), *forget, *rows, *map(str, lapses)})
    if not asked:
        return
    found = _columns(cur, asked)
    owner = log.owner
    events: list[Event] = []
    when = log.order_ms
    cards = [c for c in asked if c in found]
    with_heads: list[tuple[str, str]] = []
    for card in cards:
        if card in forget:
            events.append(_event(owner, when, "forget", card, {}))
        if card in rows:
            events.append(_event(owner, when, "history", card, {"v": rows[card]}))
        values = dict(zip(COLUMNS[:-1], found[card], strict=True))
        values["suspended"] = bool(values["suspended"])
        state = _event(owner, when, "state", card, {"v": values}, plain=_plain(values.values()))
        events.append(state)
        with_heads.append((state.id, card))
    log.add_many(session, events)
    cur.executemany("UPDATE cards SET head = ? WHERE id = ?", with_heads)


def record_memory(
    log: Batch, cur: Any, updates: Sequence[tuple[float, float | None, str]]
) -> None:
    """Stability and difficulty the optimiser recomputed, (stability, difficulty, card)
    for cards it updated: `state` events of many cards each. They do not become the
    cards' heads: an answer made meanwhile elsewhere is not a conflict."""
    owner = log.owner
    events: list[Event] = []
    for start in range(0, len(updates), _STATE_BATCH):
        chunk = updates[start : start + _STATE_BATCH]
        events.append(
            Event(
                owner.device,
                owner.next_seq(),
                log.order_ms,
                log.order_ms,
                "state",
                tuple(c for _s, _d, c in chunk),
                {"v": [{"stability": s, "difficulty": d} for s, d, _c in chunk]},
                True,
            )
        )
    log.add_many(cur, events)


def _event(
    owner: Any, when: int, kind: str, card: str, data: dict[str, Any], *, plain: bool = True
) -> Event:
    """A one-card event with its line: the cache row and the log share the bytes.
    `plain`: orjson writes `data` as json.dumps does (see `_line`)."""
    seq = owner.next_seq()
    line = _line(seq, when, kind, card, data, plain=plain)
    return new_event(owner.device, seq, when, when, kind, (card,), data, False, line)


def _line(
    seq: int, when: int, kind: str, card: str, data: dict[str, Any], *, plain: bool
) -> bytes:
    """`device_log.encode` of the event, with orjson where it writes the same bytes: an
    import writes thousands of these, and json.dumps was a tenth of the import's time.
    orjson writes the bytes json.dumps writes (compact, UTF-8) for strings, 64-bit ints
    and floats in [1e-4, 1e15); a float outside (1e-05 written 0.00001) goes to json."""
    obj = {"i": seq, "t": when, "k": kind, "c": card, **data}
    if plain and _orjson is not None:
        with contextlib.suppress(TypeError):  # orjson.JSONEncodeError: a lone surrogate
            return _orjson.dumps(obj) + b"\n"  # type: ignore[no-any-return]
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def _plain(values: Iterable[Any]) -> bool:
    """Whether every float of `values` (a card's columns: SQLite's ints, floats, text
    and NULLs) is written alike by orjson and json: 0 or in [1e-4, 1e15)."""
    for value in values:
        if type(value) is float and value != 0.0 and not 1e-4 <= abs(value) < 1e15:
            return False
    return True


def _import_row(entry: ReviewEntry) -> list[Any]:
    """As import_rows inserts an imported answer (no before/after state, device
    'import'), in core.card_fold.REVIEW_COLUMNS order."""
    return [
        to_epoch_ms(entry.time),
        int(entry.rating),
        max(0, int(entry.duration_ms)),
        entry.kind.value,
        0,
        None,
        None,
        None,
        0,
        None,
        0,
        None,
        None,
        0.0,
        0.0,
        "import",
    ]
