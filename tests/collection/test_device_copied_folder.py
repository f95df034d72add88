"""A data folder copied whole (docs/sync.md, "Device id"): each installation writing to a
library has its own device id, whatever the machine name and path; and a library where
two installations already wrote under one id (a sync engine's conflict copy of the log)
heals: both machines end with both answers."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from device_helpers import T0, make_machine, open_machine, snapshot

import flashcards.collection.device_id as device_id_module
from flashcards.core.model import Rating

LOGS = Path("decks") / ".flashcards" / "devices"


def _home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str) -> None:
    """This user's home (and state folder): another machine, or another account."""
    home = tmp_path / "homes" / name
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))


def _sync(a: Path, b: Path) -> None:
    """The libraries' device logs exchanged as a sync engine does: a file only one side
    changed is copied; a file both changed keeps the newer, and the other as a
    `.sync-conflict-…` copy on both sides."""
    ra, rb = a / LOGS, b / LOGS
    names = {p.relative_to(ra) for p in ra.rglob("*") if p.is_file()}
    names |= {p.relative_to(rb) for p in rb.rglob("*") if p.is_file()}
    for rel in sorted(names):
        pa, pb = ra / rel, rb / rel
        if pa.exists() and pb.exists():
            da, db = pa.read_bytes(), pb.read_bytes()
            if da == db:
                continue
            if not (da.startswith(db) or db.startswith(da)) and rel.suffix == ".log":
                win, lose = (pa, pb) if pa.stat().st_mtime_ns >= pb.stat().st_mtime_ns else (pb, pa)
                copy = rel.with_name(rel.stem + ".sync-conflict-20260302-120000-ABCDEFG.log")
                for root in (ra, rb):
                    (root / copy).write_bytes(lose.read_bytes())
                (pa if lose is pa else pb).write_bytes(win.read_bytes())
                continue
            longer = da if len(da) >= len(db) else db
            pa.write_bytes(longer)
            pb.write_bytes(longer)
        elif pa.exists():
            pb.parent.mkdir(parents=True, exist_ok=True)
            pb.write_bytes(pa.read_bytes())
        else:
            pa.parent.mkdir(parents=True, exist_ok=True)
            pa.write_bytes(pb.read_bytes())


def _session(place: Path, store: Path, card: str, when: object) -> str:
    """Put a machine's data folder at `place` (the same path on both machines), study,
    and take it back."""
    shutil.rmtree(place, ignore_errors=True)
    shutil.copytree(store, place)
    col = open_machine(place)
    try:
        if card:
            col.answer(card, Rating.GOOD, now=when)  # type: ignore[arg-type]
        device = col.devices.device
    finally:
        col.close()
    shutil.rmtree(store)
    shutil.copytree(place, store)
    return device


def _answered(place: Path, store: Path) -> list[str]:
    shutil.rmtree(place, ignore_errors=True)
    shutil.copytree(store, place)
    col = open_machine(place)
    try:
        with col.db.raw_read() as cur:
            return [r[0] for r in cur.execute("SELECT id FROM cards WHERE reps > 0 ORDER BY id")]
    finally:
        col.close()


def test_a_copied_data_folder_gets_its_own_id_at_the_same_path_and_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(device_id_module, "machine_name", lambda: "MacBook-Pro")  # both
    place = make_machine(tmp_path, "alice-data")  # /home/alice/.local/share/flashcards
    _home(monkeypatch, tmp_path, "laptop")
    open_machine(place).close()
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    shutil.copytree(place, laptop)
    shutil.copytree(place, desktop)  # byte for byte, as the README's "copy the folder"
    _home(monkeypatch, tmp_path, "laptop")
    dev_a = _session(place, laptop, "c00000", T0 + timedelta(hours=1))
    _home(monkeypatch, tmp_path, "desktop")
    dev_b = _session(place, desktop, "c00001", T0 + timedelta(hours=2))
    assert dev_a != dev_b
    _home(monkeypatch, tmp_path, "laptop")
    assert _session(place, laptop, "", T0) == dev_a  # the laptop keeps its id
    _sync(laptop, desktop)
    assert not [p for p in (laptop / LOGS).rglob("*conflict*")]
    _home(monkeypatch, tmp_path, "laptop")
    seen_a = _answered(place, laptop)
    _home(monkeypatch, tmp_path, "desktop")
    seen_b = _answered(place, desktop)
    assert seen_a == seen_b == ["c00000", "c00001"]


def test_two_accounts_on_one_machine_copying_the_folder_get_two_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _home(monkeypatch, tmp_path, "alice")
    first = make_machine(tmp_path, "alice-data")
    with open_machine(first) as col:
        alice = col.devices.device
    second = tmp_path / "bob-data"
    shutil.copytree(first, second)
    _home(monkeypatch, tmp_path, "bob")
    with open_machine(second) as col:
        bob = col.devices.device
    assert alice != bob
    _home(monkeypatch, tmp_path, "alice")
    with open_machine(first) as col:
        assert col.devices.device == alice


def test_two_machines_that_shared_an_id_heal_from_the_conflict_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _home(monkeypatch, tmp_path, "laptop")
    laptop = make_machine(tmp_path, "laptop")
    with open_machine(laptop) as col:
        col.answer("c00005", Rating.GOOD, now=T0)  # history both share
        shared = col.devices.device
    desktop = tmp_path / "desktop"
    shutil.copytree(laptop, desktop)
    # as an older version left it: the copy kept the id (no claim, its own path)
    info = json.loads((desktop / "device.json").read_text())
    info.pop("claimed", None)
    info["folder"] = str(desktop.resolve())
    (desktop / "device.json").write_text(json.dumps(info))
    _home(monkeypatch, tmp_path, "desktop")
    with open_machine(desktop) as col:
        assert col.devices.device == shared  # the state the library is already in
        col.answer("c00001", Rating.GOOD, now=T0 + timedelta(hours=2))
    _home(monkeypatch, tmp_path, "laptop")
    with open_machine(laptop) as col:
        col.answer("c00000", Rating.GOOD, now=T0 + timedelta(hours=1))
    _sync(laptop, desktop)
    assert [p.name for p in (laptop / LOGS / shared).glob("*conflict*")]
    snaps = []
    for machine, home in ((laptop, "laptop"), (desktop, "desktop"), (laptop, "laptop")):
        _home(monkeypatch, tmp_path, home)
        with open_machine(machine) as col:
            assert col.devices.device != shared  # a new id from now on
            with col.db.raw_read() as cur:
                rows = cur.execute("SELECT id, reps FROM cards WHERE reps > 0 ORDER BY id")
                assert rows.fetchall() == [("c00000", 1), ("c00001", 1), ("c00005", 1)]
            snaps.append(snapshot(col))
    assert snaps[0][0] == snaps[1][0]
    assert [len(s[1]) for s in snaps] == [3, 3, 3]
