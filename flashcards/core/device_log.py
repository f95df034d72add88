"""Device logs: the line format of each device's append-only event files (docs/sync.md).

A line is one JSON object ending in `\\n`: `i` the device's sequence number, `t` the wall
time (UTC epoch ms), `o` the order time when it differs from `t`, `k` the kind, `c` a card
id or a list of them, and the kind's payload. The device is the folder the file is in, so
an event's id is `<device>:<i>`. Pure: bytes in, values out; no files, no clock.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

try:  # twice as fast at reading a million lines (a rebuild); the standard library else
    from orjson import JSONDecodeError as _OrjsonError
    from orjson import loads as _loads

    _LOAD_ERRORS: tuple[type[Exception], ...] = (ValueError, UnicodeDecodeError, _OrjsonError)
    loads: Callable[[bytes | str], Any] = _loads
except ImportError:  # pragma: no cover - without orjson
    loads = json.loads
    _LOAD_ERRORS = (ValueError, UnicodeDecodeError)

# Kinds that change one or more cards, and kinds about the collection as a whole.
CARD_KINDS = frozenset(
    {
        "answer",
        "practice",
        "reset",
        "set-due",
        "suspend",
        "flag",
        "bury",
        "state",
        "history",
        "forget",
        "undo",
        "redo",
    }
)
GLOBAL_KINDS = frozenset({"scheduler", "preset", "preset-delete", "deck-preset", "setting"})
KINDS = CARD_KINDS | GLOBAL_KINDS
_HEADER = frozenset({"i", "t", "o", "k", "c"})


class LogLineError(ValueError):
    """A line that is not an event; `str()` names the file and line."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line


def event_id(device: str, seq: int) -> str:
    return f"{device}:{seq}"


def full_ref(ref: object, device: str) -> str | None:
    """An event reference as written (`812` for the writer's own, `"dev:77"` for
    another device's) as a full event id; None for no reference or a malformed one."""
    if isinstance(ref, bool):
        return None
    if isinstance(ref, int):
        return event_id(device, ref)
    if isinstance(ref, str) and ":" in ref:
        return ref
    return None


def short_ref(ident: str | None, device: str) -> int | str | None:
    """The shortest way `device`'s line can name event `ident`."""
    if ident is None:
        return None
    owner, _, seq = ident.rpartition(":")
    return int(seq) if owner == device else ident


@dataclass(frozen=True)
class Event:
    """One line of a device log. `data` is the payload (every key but i, t, o, k, c)."""

    device: str
    seq: int
    time_ms: int
    order_ms: int
    kind: str
    cards: tuple[str, ...] = ()
    data: Mapping[str, Any] = field(default_factory=dict)
    many: bool = False  # `c` was a list (a one-card list stays a list when written back)
    raw: bytes | None = field(default=None, compare=False, repr=False)  # the line as read

    @property
    def id(self) -> str:
        return event_id(self.device, self.seq)

    @property
    def key(self) -> tuple[int, str, int]:
        """The canonical order of events: order time, then device, then sequence."""
        return (self.order_ms, self.device, self.seq)

    def ref(self, name: str) -> str | None:
        """Payload key `name` (an event reference) as a full event id."""
        return full_ref(self.data.get(name), self.device)

    def refs(self, name: str) -> tuple[str, ...]:
        """Payload key `name` (a list of event references) as full event ids."""
        raw = self.data.get(name)
        if not isinstance(raw, list):
            return ()
        found = (full_ref(r, self.device) for r in raw)
        return tuple(r for r in found if r is not None)

    def payload_for(self, index: int) -> Mapping[str, Any]:
        """The payload as it applies to card `cards[index]`: an aligned `v` list (one
        value per card, as a `state` event for many cards has) gives that card's value."""
        values = self.data.get("v")
        if self.many and self.kind == "state" and isinstance(values, list):
            return {**self.data, "v": values[index] if index < len(values) else {}}
        return self.data

    def for_card(self, index: int) -> Event:
        """This event as it concerns card `cards[index]` alone (one row of the cache)."""
        return Event(
            self.device,
            self.seq,
            self.time_ms,
            self.order_ms,
            self.kind,
            (self.cards[index],),
            self.payload_for(index),
        )


_new = object.__new__
_set = object.__setattr__


def _event(
    device: str,
    seq: int,
    time_ms: int,
    order_ms: int,
    kind: str,
    cards: tuple[str, ...],
    data: Mapping[str, Any],
    many: bool = False,
    raw: bytes | None = None,
) -> Event:
    """`Event(...)` at half the cost (a frozen dataclass's __init__ sets each field
    through object.__setattr__; a million lines in a rebuild): the same fields, equal,
    still frozen."""
    event: Event = _new(Event)
    _set(
        event,
        "__dict__",
        {
            "device": device,
            "seq": seq,
            "time_ms": time_ms,
            "order_ms": order_ms,
            "kind": kind,
            "cards": cards,
            "data": data,
            "many": many,
            "raw": raw,
        },
    )
    return event


def encode(event: Event) -> bytes:
    """The event as one log line (with its newline)."""
    obj: dict[str, Any] = {"i": event.seq, "t": event.time_ms}
    if event.order_ms != event.time_ms:
        obj["o"] = event.order_ms
    obj["k"] = event.kind
    if event.cards:
        obj["c"] = list(event.cards) if event.many or len(event.cards) > 1 else event.cards[0]
    obj.update(event.data)
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def payload_json(event: Event) -> str:
    """What the cache stores of a one-card view of an event (`decode_stored` reads it
    back): the line itself when it names one card or none, else one without `c`."""
    if len(event.cards) <= 1 and not event.many:
        return (event.raw or encode(event)).decode().rstrip("\n")
    obj: dict[str, Any] = {"i": event.seq, "t": event.time_ms, "o": event.order_ms}
    obj["k"] = event.kind
    obj.update(event.data)
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def decode_stored(device: str, card_id: str, text: str) -> Event:
    """An event the cache stored with `payload_json` for `card_id` ("" for none)."""
    obj = loads(text)
    seq, time_ms, kind = obj.pop("i"), obj.pop("t"), obj.pop("k")
    order_ms = obj.pop("o", time_ms)
    obj.pop("c", None)
    return _event(device, seq, time_ms, order_ms, kind, (card_id,) if card_id else (), obj)


def decode(line: bytes | str, *, device: str, path: str = "", number: int = 0) -> Event:
    """One log line as an Event; LogLineError (naming `path` and line `number`) if it is
    not one. Unknown payload keys are kept (a newer version may add some)."""
    try:
        obj = loads(line)
    except _LOAD_ERRORS as exc:
        raise LogLineError(path, number, f"not a JSON event: {exc}") from exc
    if type(obj) is not dict:
        raise LogLineError(path, number, "not a JSON object")
    # The header keys come out of the object; what is left is the payload (a million
    # lines in a rebuild: no copies, no comprehension).
    seq, time_ms, kind = obj.pop("i", None), obj.pop("t", None), obj.pop("k", None)
    order_ms = obj.pop("o", time_ms)
    raw_cards = obj.pop("c", ())
    if not (
        type(seq) is int  # not a bool either
        and type(time_ms) is int
        and type(order_ms) is int
        and seq >= 0
        and time_ms >= 0
        and order_ms >= 0
    ):
        for name, value in (("i", seq), ("t", time_ms), ("o", order_ms)):
            if type(value) is not int or value < 0:
                raise LogLineError(path, number, f"{name!r} must be a whole number >= 0")
    if type(kind) is not str or not kind:
        raise LogLineError(path, number, "'k' (the kind) is missing")
    many = type(raw_cards) is list
    if type(raw_cards) is str:
        cards: tuple[Any, ...] = (raw_cards,) if raw_cards else ()
    else:
        cards = tuple(raw_cards) if many else ()
        if not many and raw_cards != ():
            raise LogLineError(path, number, "'c' must be a card id or a list of card ids")
        if many and not all(type(c) is str and c for c in cards):
            raise LogLineError(path, number, "'c' must be a card id or a list of card ids")
    if not cards and kind in CARD_KINDS:
        raise LogLineError(path, number, f"a {kind!r} event names no card")
    data = obj
    assert isinstance(seq, int) and isinstance(time_ms, int) and isinstance(order_ms, int)
    raw = line if isinstance(line, bytes) else line.encode()
    return _event(device, seq, time_ms, order_ms, kind, cards, data, many, raw)


@dataclass
class ReadResult:
    """What reading a stretch of a log found. `consumed` bytes were whole lines (a torn
    last line, without its newline, is left for the next read); `problems` name each
    line that is not an event (skipped)."""

    events: list[Event] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    consumed: int = 0
    lines: int = 0


def read_lines(
    data: bytes, *, device: str, path: str, first_line: int = 1, final: bool = False
) -> ReadResult:
    """The events in `data`, a log's bytes from a line boundary. A last line without a
    newline is torn (a write in progress, or a file copied mid-write) and not read,
    unless `final` (a compressed file, written whole)."""
    result = ReadResult()
    end = len(data) if final else data.rfind(b"\n") + 1
    number = first_line
    for raw in _split(data, end):
        if raw.strip():
            try:
                event = decode(raw, device=device, path=path, number=number)
            except LogLineError as exc:
                result.problems.append(str(exc))
            else:
                if event.kind in KINDS:
                    result.events.append(event)
        number += 1
    result.consumed = end
    result.lines = number - first_line
    return result


def _split(data: bytes, end: int) -> Iterator[bytes]:
    start = 0
    while start < end:
        stop = data.find(b"\n", start, end)
        if stop < 0:
            stop = end
        yield data[start:stop]
        start = stop + 1


def month_of(order_ms: int) -> str:
    """`YYYY-MM` (UTC) of an order time: the month file an event goes in."""
    import datetime as _dt

    moment = _dt.datetime.fromtimestamp(order_ms / 1000, tz=_dt.UTC)
    return f"{moment.year:04d}-{moment.month:02d}"


_last_month: tuple[int, int, str] = (0, 0, "")  # [start, end) in epoch ms, and its file


def log_name(order_ms: int) -> str:
    """The month file of an order time (the last month's bounds are kept: every answer
    asks, and almost always for the month it asked before)."""
    global _last_month
    start, end, name = _last_month
    if start <= order_ms < end:
        return name
    import datetime as _dt

    month = month_of(order_ms)
    year, number = int(month[:4]), int(month[5:])
    first = _dt.datetime(year, number, 1, tzinfo=_dt.UTC)
    after = _dt.datetime(year + number // 12, number % 12 + 1, 1, tzinfo=_dt.UTC)
    name = f"reviews-{month}.log"
    _last_month = (int(first.timestamp()) * 1000, int(after.timestamp()) * 1000, name)
    return name
