"""The shortcuts an import takes hold the same library as the long way round."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from anki_factory import Sample

from flashcards.collection import device_merge, sync
from flashcards.collection.collection import Collection
from flashcards.core.conflict_copies import merge_conflict_line
from flashcards.core.device_log import ReadResult
from flashcards.storage.event_log import LogFileInfo, list_logs, read_log


def test_after_an_import_the_deck_rows_hold_the_moved_files_stat(
    tmp_path: Path, anki_packages: dict[str, tuple[Path, Sample]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import records each deck file's stat as staged (a rename keeps it), so the
    sync after the move reads and hashes none of them; a later edit is still seen."""
    package, _ = anki_packages["anki21b"]
    read: list[bytes] = []  # every deck file a sync reads from the disk is checked here

    def conflict_line(data: bytes) -> int | None:
        read.append(data)
        return merge_conflict_line(data)

    monkeypatch.setattr(sync, "merge_conflict_line", conflict_line)
    with Collection.open(tmp_path / "data", seed=False) as col:
        report = col.import_path(package)
        assert read == []  # neither the import's sync (the files were its own) nor the one after
        assert report.files
        db = sqlite3.connect(col.data_dir / "collection.sqlite3")
        rows = {k: (t, s) for k, t, s in db.execute("SELECT key, mtime_ns, size FROM decks")}
        db.close()
        for rel in report.files:
            st = (col.library / rel).stat()
            assert rows[rel] == (st.st_mtime_ns, st.st_size)
        assert col.sync().files_changed == ()
        deck = col.library / report.files[0]
        deck.write_text(deck.read_text(encoding="utf-8") + "\n## Added later\n\nIts answer.\n")
        assert col.sync().files_changed == (report.files[0],)
        assert len(read) == 1


def test_the_merge_after_an_import_does_not_read_its_own_lines_back(
    tmp_path: Path, anki_packages: dict[str, tuple[Path, Sample]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import notes its own log file as read to the end it wrote (device_appended):
    what reading it back would have noted, line count and greatest sequence included."""
    package, _ = anki_packages["anki21b"]
    read: list[str] = []

    def spy_read_log(info: LogFileInfo, *, offset: int, first_line: int) -> ReadResult:
        read.append(info.key)
        return read_log(info, offset=offset, first_line=first_line)

    monkeypatch.setattr(device_merge, "read_log", spy_read_log)
    with Collection.open(tmp_path / "data", seed=False) as col:
        read.clear()
        col.import_path(package)
        ds = col.devices
        own = [i for i in list_logs(col.library) if i.device == ds.device]
        assert own and not any(i.key in read for i in own)
        for info in own:
            whole = read_log(info, offset=0, first_line=1)
            noted = ds.pending_files[info.key]
            top = max(e.seq for e in whole.events)
            assert noted == (info.key, info.size, info.mtime_ns, whole.consumed, whole.lines, top)
        # Reopened, the merge finds nothing new and the import's history is all there.
    with Collection.open(tmp_path / "data", seed=False) as again:
        assert again.devices.merge().events == 0
        with again.db.raw_read() as cur:
            assert cur.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] > 0
