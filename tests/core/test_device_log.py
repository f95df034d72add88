"""The device-log line format (core/device_log.py, docs/sync.md)."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flashcards.core.device_log import (
    Event,
    LogLineError,
    decode,
    decode_stored,
    encode,
    log_name,
    payload_json,
    read_lines,
    short_ref,
)

DEV = "a1b2c3d4e5f6"


def answer(seq: int, card: str = "k3f9q2", t: int = 1_741_860_000_123) -> Event:
    data = {"r": 3, "d": 4200, "p": seq - 1, "h": "6f1c09ab", "a": [2, None, 12.7, 5.3, t + 9]}
    return Event(DEV, seq, t, t, "answer", (card,), data)


def test_a_line_is_compact_json_and_reads_back() -> None:
    event = answer(812)
    line = encode(event)
    assert line.endswith(b"\n") and b" " not in line
    assert json.loads(line) == {
        "i": 812,
        "t": 1_741_860_000_123,
        "k": "answer",
        "c": "k3f9q2",
        "r": 3,
        "d": 4200,
        "p": 811,
        "h": "6f1c09ab",
        "a": [2, None, 12.7, 5.3, 1_741_860_000_132],
    }
    back = decode(line, device=DEV)
    assert back == event and back.id == f"{DEV}:812" and back.ref("p") == f"{DEV}:811"


def test_order_time_is_written_only_when_it_differs() -> None:
    late = Event(DEV, 3, 1000, 5000, "flag", ("x", "y"), {"v": 1}, True)
    obj = json.loads(encode(late))
    assert obj["o"] == 5000 and obj["c"] == ["x", "y"]
    assert decode(encode(late), device=DEV).key == (5000, DEV, 3)


def test_references_to_other_devices_stay_full() -> None:
    assert short_ref(f"{DEV}:9", DEV) == 9
    assert short_ref("ffffffffffff:9", DEV) == "ffffffffffff:9"
    event = decode(b'{"i":2,"t":5,"k":"undo","c":["x"],"u":[1,"ffffffffffff:4"]}', device=DEV)
    assert event.refs("u") == (f"{DEV}:1", "ffffffffffff:4")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b"{not json", "not a JSON event"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"t":5,"k":"answer","c":"x"}', "'i' must be a whole number"),
        (b'{"i":1,"t":-5,"k":"answer","c":"x"}', "'t' must be a whole number"),
        (b'{"i":1,"t":5,"c":"x"}', "'k' (the kind) is missing"),
        (b'{"i":1,"t":5,"k":"answer"}', "names no card"),
        (b'{"i":1,"t":5,"k":"flag","c":[1]}', "'c' must be a card id"),
    ],
)
def test_a_bad_line_names_its_file_and_line(line: bytes, message: str) -> None:
    with pytest.raises(LogLineError, match=re.escape(message)) as err:
        decode(line, device=DEV, path="devices/x/reviews-2025-03.log", number=7)
    assert str(err.value).startswith("devices/x/reviews-2025-03.log:7: ")


def test_reading_skips_bad_lines_and_leaves_a_torn_last_line() -> None:
    good = encode(answer(1)) + encode(answer(2))
    data = good + b"garbage\n" + encode(answer(3)) + b'{"i":4,"t":1,"k":"ans'
    result = read_lines(data, device=DEV, path="f.log")
    assert [e.seq for e in result.events] == [1, 2, 3]
    assert len(result.problems) == 1 and result.problems[0].startswith("f.log:3: not a JSON")
    assert result.consumed == data.rfind(b"\n") + 1 and result.lines == 4
    # Read on from where it stopped, once the line is complete:
    rest = data[result.consumed :] + b'wer","c":"x","r":3}\n'
    more = read_lines(rest, device=DEV, path="f.log", first_line=1 + result.lines)
    assert [e.seq for e in more.events] == [4] and more.problems == []


def test_a_compressed_file_is_read_whole() -> None:
    data = encode(answer(1)) + encode(answer(2)).rstrip(b"\n")
    assert [e.seq for e in read_lines(data, device=DEV, path="f", final=True).events] == [1, 2]


def test_the_cache_keeps_one_card_per_row() -> None:
    many = Event(DEV, 5, 10, 12, "state", ("a", "b"), {"v": [{"flag": 1}, {"flag": 2}]}, True)
    rows = [payload_json(many.for_card(i)) for i in range(2)]
    back = [decode_stored(DEV, card, row) for card, row in zip("ab", rows, strict=True)]
    assert [e.data["v"] for e in back] == [{"flag": 1}, {"flag": 2}]
    assert all(e.key == (12, DEV, 5) and e.time_ms == 10 for e in back)


def test_month_files_by_order_time_utc() -> None:
    assert log_name(1_741_860_000_123) == "reviews-2025-03.log"
    assert log_name(1_735_689_599_999) == "reviews-2024-12.log"  # 31 Dec 23:59:59.999 UTC


@given(
    st.integers(0, 2**40),
    st.integers(0, 2**45),
    st.lists(st.text(alphabet="abc0123:", min_size=1, max_size=9), max_size=3),
    st.dictionaries(
        st.sampled_from(["r", "d", "v", "u", "x"]),
        st.one_of(
            st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text(), st.none()
        ),
    ),
)
def test_any_event_round_trips(seq: int, t: int, cards: list[str], data: dict) -> None:  # type: ignore[type-arg]
    event = Event(
        DEV, seq, t, t, "flag" if cards else "setting", tuple(cards), data, len(cards) > 1
    )
    assert decode(encode(event), device=DEV) == event
