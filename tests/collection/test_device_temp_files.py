"""Temp files of the device files' atomic writes (device.json, seen.json, compacted
months) that a kill left behind are removed when the collection opens (docs/sync.md)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from device_helpers import LOGS, make_machine, open_machine

from flashcards.collection import Collection
from flashcards.core.crash_point import CRASH_ENV

OPENER = """
import sys
from flashcards.collection import Collection
Collection.open(sys.argv[1], seed=False).close()
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_device_json_write_killed_before_its_rename_leaves_nothing_after_the_next_open(
    tmp_path: Path,
) -> None:
    data = make_machine(tmp_path, "laptop")
    env = {**os.environ, CRASH_ENV: "atomic-write-before-rename:device.json"}
    done = subprocess.run(
        [sys.executable, "-c", OPENER, str(data)], env=env, capture_output=True, timeout=120
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    left = sorted(p.name for p in data.glob(".device.json.*.tmp"))
    assert len(left) == 1 and not (data / "device.json").exists()  # what the kill left

    col = open_machine(data)
    try:
        assert list(data.glob(".device.json.*.tmp")) == []
        assert (data / "device.json").is_file()
        assert col.devices.device
    finally:
        col.close()


def test_own_temp_files_are_removed_on_open_and_nobody_elses(tmp_path: Path) -> None:
    data = make_machine(tmp_path, "laptop")
    col = open_machine(data)
    device = col.devices.device
    col.close()
    own = data / "decks" / LOGS / device
    other = data / "decks" / LOGS / "d2d2d2d2d2d2"
    own.mkdir(parents=True, exist_ok=True)
    other.mkdir(parents=True)
    ours = [
        data / ".device.json.k3j4h5g6.tmp",
        own / ".device.json.a1b2c3d4.tmp",
        own / ".seen.json.x_9y8z7w.tmp",
        own / ".reviews-2026-01.log.gz.qq11ww22.tmp",
        own / ".upgrade-20260302T090000.log.gz.ee33rr44.tmp",
    ]
    kept = [
        own / ".syncthing.reviews-2026-03.log.tmp",  # a sync engine's, not ours
        own / "notes.tmp",
        other / ".seen.json.abcdefgh.tmp",  # another device's folder is its own business
        data / ".collection.sqlite3.abcdefgh.tmp",  # not a device file
    ]
    for path in [*ours, *kept]:
        path.write_bytes(b'{"half": ')
    (own / ".seen.json.folder.tmp").mkdir()  # not a file: left alone

    col = open_machine(data)
    try:
        assert col.devices.device == device
        assert [p for p in ours if p.exists()] == []
        assert [p for p in kept if not p.exists()] == []
        assert (own / ".seen.json.folder.tmp").is_dir()
    finally:
        col.close()


def test_a_read_only_open_removes_nothing(tmp_path: Path) -> None:
    data = make_machine(tmp_path, "laptop")
    open_machine(data).close()
    stale = data / ".device.json.k3j4h5g6.tmp"
    stale.write_bytes(b"{")
    col = Collection.open(data, readonly=True)
    try:
        assert stale.exists()
    finally:
        col.close()
