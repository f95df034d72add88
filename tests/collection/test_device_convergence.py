"""Two machines studying one library converge (issue 21, docs/sync.md): whatever each
does, in whatever interleaving, and whatever order, pieces and copies the sync engine
delivers the log files in, both end with identical card states and history; so does a
database rebuilt from the logs."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from device_helpers import (
    T0,
    deliver,
    exchange,
    log_files,
    make_machine,
    open_machine,
    rebuilt,
    snapshot,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashcards.collection import Collection
from flashcards.core.errors import FlashcardsError
from flashcards.core.model import Flag, Rating

CARD_IDS = ["c00000", "c00001", "c00002", "pair01", "pair01:r"]

_card = st.sampled_from(CARD_IDS)
_device = st.sampled_from("AB")
_gap = st.sampled_from([0, 1, 7, 60, 600, 1440, 3 * 1440])  # minutes to the next step
_action = st.one_of(
    st.tuples(st.just("answer"), _device, _card, st.sampled_from(list(Rating)), _gap),
    st.tuples(st.just("practice"), _device, _card, st.sampled_from(list(Rating)), _gap),
    st.tuples(st.just("suspend"), _device, _card, st.booleans(), _gap),
    st.tuples(st.just("flag"), _device, _card, st.sampled_from(list(Flag)), _gap),
    st.tuples(st.just("bury"), _device, _card, st.booleans(), _gap),
    st.tuples(st.just("reset"), _device, _card, st.none(), _gap),
    st.tuples(st.just("set_due"), _device, _card, st.integers(0, 30), _gap),
    st.tuples(st.just("undo"), _device, st.none(), st.none(), _gap),
    st.tuples(st.just("redo"), _device, st.none(), st.none(), _gap),
    # the engine delivers some of one side's files (maybe one caught half-written)
    st.tuples(st.just("deliver"), _device, st.integers(0, 7), st.integers(0, 400), _gap),
    st.tuples(st.just("merge"), _device, st.none(), st.none(), _gap),
)


class Machines:
    def __init__(self, root: Path) -> None:
        self.data = {name: make_machine(root, name) for name in "AB"}
        self.now = T0
        self.cols = {name: self._open(name) for name in "AB"}

    def _open(self, name: str, **kwargs: Any) -> Collection:
        col = open_machine(self.data[name], **kwargs)
        col.devices.wall = lambda: self.now
        return col

    def run(self, step: tuple[Any, ...]) -> None:
        kind, device, card, arg, gap = step
        self.now += timedelta(minutes=gap)
        col = self.cols[device]
        now = self.now
        try:
            if kind == "answer":
                col.answer(card, arg, now=now, duration_ms=1500)
            elif kind == "practice":
                col.practice(card, arg, now=now)
            elif kind == "suspend":
                (col.suspend if arg else col.unsuspend)([card])
            elif kind == "flag":
                col.set_flag([card], arg)
            elif kind == "bury":
                col.bury([card], now=now) if arg else col.unbury([card])
            elif kind == "reset":
                col.reset([card], now=now)
            elif kind == "set_due":
                col.set_due([card], days=arg, now=now)
            elif kind == "undo":
                col.undo()
            elif kind == "redo":
                col.redo()
            elif kind == "deliver":
                other = "B" if device == "A" else "A"
                files = log_files(self.data[device])
                chosen = [f for i, f in enumerate(files) if card >> (i % 3) & 1] or files
                cut = {chosen[-1]: arg} if arg and chosen else None
                deliver(self.data[device], self.data[other], files=chosen, cut=cut)
            elif kind == "merge":
                col.sync(now=now)
        except FlashcardsError as error:  # a refused redo (a file changed): fine
            assert "redo" in str(error) or "undo" in str(error)

    def converge(self) -> None:
        for col in self.cols.values():
            col.sync(now=self.now)
        exchange(self.data["A"], self.data["B"])
        for col in self.cols.values():
            col.sync(now=self.now)

    def close(self) -> None:
        for col in self.cols.values():
            col.close()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(_action, min_size=1, max_size=24))
def test_any_interleaving_converges_and_rebuilds_the_same(steps: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        machines = Machines(Path(tmp))
        try:
            for step in steps:
                machines.run(step)
            machines.converge()
            a, b = (snapshot(machines.cols[n]) for n in "AB")
        finally:
            machines.close()
        assert a == b
        assert rebuilt(machines.data["A"]) == a
        assert rebuilt(machines.data["B"]) == b


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_action.filter(lambda s: s[0] not in ("deliver", "merge")), max_size=30))
def test_one_machine_its_database_is_what_its_log_replays(steps: list[tuple[Any, ...]]) -> None:
    """Every local change writes exactly what replaying its events gives."""
    with tempfile.TemporaryDirectory() as tmp:
        machines = Machines(Path(tmp))
        try:
            for step in steps:
                machines.run(("merge", "A", None, None, 0) if step[1] == "B" else step)
            before = snapshot(machines.cols["A"])
        finally:
            machines.close()
        assert rebuilt(machines.data["A"]) == before


def test_a_rebuild_by_the_bulk_path_equals_one_row_by_row(tmp_path: Path, monkeypatch: Any) -> None:
    """A rebuild from many events takes the bulk path (indexes dropped and made again,
    rows in key order): the same cards, history and indexes as the path for a few."""
    from flashcards.collection import device_merge

    laptop, desktop = make_machine(tmp_path, "laptop"), make_machine(tmp_path, "desktop")
    a, b = open_machine(laptop), open_machine(desktop)
    try:
        for day in range(4):
            when = T0 + timedelta(days=day)
            a.answer(f"c0000{day}", Rating.GOOD, now=when)
            b.answer(f"c0000{day + 1}", Rating.AGAIN, now=when)
            b.answer("pair01", Rating.HARD, now=when + timedelta(minutes=1))
        a.undo()
        a.suspend(["c00007"])
        a.reset(["c00001"], now=T0 + timedelta(days=6))
    finally:
        a.close()
        b.close()
    exchange(laptop, desktop)
    few = rebuilt(laptop)
    monkeypatch.setattr(device_merge, "BULK_EVENTS", 0)
    assert rebuilt(laptop) == few
    assert len(few[1]) >= 8
    col = open_machine(laptop)
    try:
        with col.db.raw_read() as cur:
            indexes = {
                r[0]
                for r in cur.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'index' "
                    "AND tbl_name IN ('cards', 'reviews', 'events')"
                )
            }
        assert {"ix_cards_queue", "ix_reviews_card", "ix_events_device"} <= indexes
    finally:
        col.close()
