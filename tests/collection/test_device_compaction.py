"""Compacting a month that was compacted before (docs/sync.md, "Compaction"): the clock
was once months ahead, so March was compacted; set right, the device wrote March again.
The second compaction merges into the archive: no answer leaves the logs."""

from __future__ import annotations

import gzip
import json
from datetime import timedelta
from pathlib import Path

from device_helpers import T0, make_machine, open_machine, rebuilt, snapshot

from flashcards.core.model import Rating


def _answers(folder: Path) -> list[int]:
    seqs = []
    for path in sorted(folder.glob("reviews-*")):
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        seqs += [json.loads(line)["i"] for line in data.splitlines() if b'"answer"' in line]
    return sorted(seqs)


def test_a_month_compacted_twice_keeps_every_answer(tmp_path: Path) -> None:
    data = make_machine(tmp_path, "laptop")
    ahead = T0 + timedelta(days=110)  # June: March has been over for more than a month
    col = open_machine(data)
    try:
        col.answer("c00000", Rating.GOOD, now=T0)
        col.answer("c00001", Rating.GOOD, now=T0 + timedelta(minutes=1))
        col.devices.writer.close()  # the file open for appending is never compacted
        col.devices.compacted_day = 0
        col.sync(now=ahead)  # the clock wrongly ahead: March compacted
        folder = col.devices.folder
        assert [p.name for p in folder.glob("reviews-*")] == ["reviews-2026-03.log.gz"]
        # the clock set right: March again, in a new plain file
        col.devices.clock = 0
        col.answer("c00002", Rating.GOOD, now=T0 + timedelta(days=1))
        col.answer("c00003", Rating.GOOD, now=T0 + timedelta(days=1, minutes=1))
        col.devices.writer.close()
        assert (folder / "reviews-2026-03.log").exists()
        col.devices.compacted_day = 0
        col.sync(now=ahead + timedelta(days=1))  # months later: March compacted again
        assert [p.name for p in folder.glob("reviews-*")] == ["reviews-2026-03.log.gz"]
        assert not list(folder.glob(".*.tmp"))
        assert len(_answers(folder)) == 4
        # compacting the same lines once more adds nothing (each line kept once)
        packed = (folder / "reviews-2026-03.log.gz").read_bytes()
        (folder / "reviews-2026-03.log").write_bytes(
            gzip.decompress(packed).splitlines(keepends=True)[-1]
        )
        col.devices.compacted_day = 0
        col.sync(now=ahead + timedelta(days=2))
        assert len(_answers(folder)) == 4
        assert not (folder / "reviews-2026-03.log").exists()
        expected = snapshot(col)
    finally:
        col.close()
    again = rebuilt(data)  # the database lost: the logs bring every answer back
    assert again == expected
    assert len(again[1]) == 4
