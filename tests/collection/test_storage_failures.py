"""Storage failures reach the user as a StorageError that says what to do, and no
acknowledged answer is ever lost: a full disk (a real small file system when this
machine lets the test mount one; SQLite's own page limit otherwise), a database deleted
or replaced under the running collection, and permissions (a real unprivileged
process when the tests run as root, who ignores permissions)."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from col_helpers import T0, deck_text, note, tree_bytes, write

from flashcards.collection import Collection
from flashcards.collection.library import bundled_decks_dir
from flashcards.core.errors import StorageError
from flashcards.core.model import Rating
from flashcards.storage.db_file import DatabaseLostError, DatabaseMissingError
from flashcards.storage.failures import FREE_SPACE

CARDS = 400


def _library(data_dir: Path) -> None:
    notes = [note(f"Card {i}", f"answer {i}", nid=f"c{i:05d}") for i in range(CARDS)]
    write(data_dir / "decks" / "deck.md", deck_text(*notes))


@contextlib.contextmanager
def small_disk(where: Path, size: str = "6m") -> Iterator[Path]:
    """A real small file system (tmpfs) mounted at `where`; skips where mounting is not
    allowed (the page-limit test below covers a full database there)."""
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(folder: Path) -> Path:
    """Take every free byte of `folder`'s file system; returns the filler to delete."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as out:
        for size in (1 << 20, 4096, 1):  # big blocks, then the last few bytes
            with contextlib.suppress(OSError):
                while True:
                    out.write(b"\0" * size)
    return filler


def test_full_disk_answering_is_a_storage_error_and_loses_no_acknowledged_answer(
    tmp_path: Path,
) -> None:
    with small_disk(tmp_path / "disk") as disk:
        data_dir = disk / "data"
        _library(data_dir)
        col = Collection.open(data_dir, seed=False, now=T0)
        filler = _fill(disk)
        acknowledged: list[str] = []
        failure: StorageError | None = None
        for i in range(CARDS):
            try:
                col.answer(f"c{i:05d}", Rating.GOOD, now=T0 + timedelta(seconds=i))
            except StorageError as exc:
                failure = exc
                break
            acknowledged.append(f"c{i:05d}")
        assert failure is not None, "the WAL should have needed room at some point"
        assert "the disk is full" in str(failure) and FREE_SPACE in str(failure)
        # Space again: the next answer goes through, and nothing acknowledged was lost.
        filler.unlink()
        col.answer(f"c{CARDS - 1:05d}", Rating.EASY, now=T0 + timedelta(hours=1))
        acknowledged.append(f"c{CARDS - 1:05d}")
        col.close()
        with Collection.open(data_dir, seed=False) as again:
            assert all(len(again.history(cid)) == 1 for cid in acknowledged)
            assert again.history(f"c{len(acknowledged) - 1:05d}") == []


def test_full_disk_import_and_note_edit_are_storage_errors_that_change_nothing(
    tmp_path: Path,
) -> None:
    source = tmp_path / "incoming"
    write(source / "big.md", deck_text(*(note(f"New {i}", "x" * 300) for i in range(3000))))
    with small_disk(tmp_path / "disk") as disk:
        data_dir = disk / "data"
        _library(data_dir)
        with Collection.open(data_dir, seed=False, now=T0) as col:
            col.answer("c00001", Rating.GOOD, now=T0)
            library = tree_bytes(data_dir / "decks")
            filler = _fill(disk)
            with pytest.raises(StorageError) as err:
                col.import_path(source)
            assert "No space left on device" in str(err.value) and FREE_SPACE in str(err.value)
            with pytest.raises(StorageError, match="cannot save .*deck.md: No space left"):
                col.update_note_source("c00002", "## Card 2 {#c00002}\n" + "long " * 2000)
            filler.unlink()
            assert tree_bytes(data_dir / "decks") == library
            assert list((data_dir / "tmp").iterdir()) == []
            assert len(col.history("c00001")) == 1
            assert col.cards(["c00002"])[0].card.title == "Card 2"


def test_full_disk_csv_import_and_a_start_are_storage_errors_not_tracebacks(
    tmp_path: Path,
) -> None:
    """A CSV import (interop stages in tmp/) on a full disk, and then starting on that
    full disk: the lock file's note of who holds it could not be written and every start,
    even `flashcards decks`, died with an OSError traceback."""
    rows = tmp_path / "rows.csv"
    rows.write_text("".join(f"front {i},{'x' * 200}\n" for i in range(3000)), encoding="utf-8")
    with small_disk(tmp_path / "disk") as disk:
        data_dir = disk / "data"
        _library(data_dir)
        with Collection.open(data_dir, seed=False, now=T0) as col:
            library = tree_bytes(data_dir / "decks")
            filler = _fill(disk)
            with pytest.raises(StorageError) as err:
                col.import_path(rows)
            assert FREE_SPACE in str(err.value)
            assert tree_bytes(data_dir / "decks") == library
        # A start on the full disk: of this library, and of a new one (which copies the
        # bundled decks on its first start; this library has decks of its own).
        fresh = disk / "fresh"
        for folder, command in (
            (data_dir, ["decks"]),
            (data_dir, ["import", str(rows)]),
            (fresh, ["decks"]),
        ):
            done = subprocess.run(
                [sys.executable, "-m", "flashcards", "--data-dir", str(folder), *command],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert "Traceback" not in done.stderr, done.stderr
            if done.returncode != 0:
                assert done.returncode == 1 and FREE_SPACE in done.stderr, done.stderr
        filler.unlink()
        with Collection.open(data_dir, sync=False) as col:
            assert len(col.cards([f"c{i:05d}" for i in range(CARDS)])) == CARDS
            assert not (data_dir / "decks" / "rows.md").exists()
        with Collection.open(fresh, sync=False):  # copies the bundled decks now
            pass
        # A copy the full disk cut short was not left half-written (and then kept).
        bundled = bundled_decks_dir()
        assert bundled is not None
        for deck in bundled.rglob("*.md"):
            copy = fresh / "decks" / deck.relative_to(bundled)
            assert copy.read_bytes() == deck.read_bytes()


def test_full_database_by_sqlite_page_limit_is_a_storage_error(data_dir: Path) -> None:
    """Where no small file system can be mounted: SQLite's own limit on the database's
    size gives the same SQLITE_FULL a full disk does."""
    _library(data_dir)
    with Collection.open(data_dir, seed=False, now=T0) as col:
        col.answer("c00000", Rating.GOOD, now=T0)
        with col.db.raw_read() as cur:
            (pages,) = cur.execute("PRAGMA page_count").fetchone()
            cur.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StorageError, match="the disk is full"):
            for i in range(1, CARDS):
                col.answer(f"c{i:05d}", Rating.GOOD, now=T0 + timedelta(seconds=i))
        # The failed transaction was rolled back cleanly: the connection still works.
        with col.db.raw_read() as cur:
            cur.execute(f"PRAGMA max_page_count = {pages * 100}")
        col.answer("c00000", Rating.EASY, now=T0 + timedelta(days=3))
        assert len(col.history("c00000")) == 2


def test_database_replaced_under_a_running_collection_stops_writing(data_dir: Path) -> None:
    _library(data_dir)
    col = Collection.open(data_dir, seed=False, now=T0)
    try:
        col.answer("c00000", Rating.GOOD, now=T0)
        db = data_dir / "collection.sqlite3"
        other = data_dir / "other.sqlite3"
        shutil.copyfile(db, other)
        os.replace(other, db)  # what a sync tool or a careless restore does
        with pytest.raises(DatabaseLostError, match="replaced by another file") as err:
            col.answer("c00001", Rating.GOOD, now=T0)
        assert isinstance(err.value, StorageError)
        assert "stopped saving" in str(err.value)
        with pytest.raises(DatabaseLostError):  # and it stays stopped
            col.suspend(["c00002"])
        with pytest.raises(DatabaseLostError):
            col.set_setting("rollover_hour", 5)
    finally:
        col.close()
    with Collection.open(data_dir, seed=False) as again:
        assert again.history("c00001") == []  # never acknowledged
        assert not again.card("c00002").suspended


def test_database_deleted_under_a_running_collection_then_missing_at_next_start(
    data_dir: Path,
) -> None:
    _library(data_dir)
    col = Collection.open(data_dir, seed=False, now=T0)
    try:
        col.answer("c00000", Rating.GOOD, now=T0)
        for name in ("collection.sqlite3", "collection.sqlite3-wal", "collection.sqlite3-shm"):
            (data_dir / name).unlink(missing_ok=True)
        with pytest.raises(DatabaseLostError, match="was deleted"):
            col.answer("c00001", Rating.GOOD, now=T0)
    finally:
        col.close()
    # A data folder that never logged (no device.json: an older version's) does not
    # silently start an empty collection.
    device = data_dir / "device.json"
    os.replace(device, data_dir / "device-aside")
    with pytest.raises(DatabaseMissingError) as err:
        Collection.open(data_dir, seed=False)
    assert "flashcards restore" in str(err.value) and "flashcards rebuild" in str(err.value)
    assert not (data_dir / "collection.sqlite3").exists()
    # With this device's log in the library, the database is only a cache: the next start
    # builds it anew from the deck files and the logs, no question asked.
    os.replace(data_dir / "device-aside", device)
    with Collection.open(data_dir, seed=False) as rebuilt:
        assert len(rebuilt.cards([f"c{i:05d}" for i in range(CARDS)])) == CARDS
        # The answer comes back from this device's log (docs/sync.md).
        assert [h.rating for h in rebuilt.history("c00000")] == [Rating.GOOD]


def test_a_first_start_still_creates_the_collection(tmp_path: Path) -> None:
    with Collection.open(tmp_path / "fresh", seed=False):
        pass
    assert (tmp_path / "fresh" / "collection.created").is_file()


# -- permissions (a real unprivileged process when the tests run as root) ---------------

PERMISSION_SCRIPT = """
import sys
from datetime import UTC, datetime
from flashcards.collection import Collection
from flashcards.collection.library import bundled_decks_dir
from flashcards.core.errors import StorageError
from flashcards.core.model import Rating

data_dir, what = sys.argv[1], sys.argv[2]
now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
try:
    with Collection.open(data_dir, seed=False, sync=False) as col:
        if what == "answer":
            col.answer("c00000", Rating.GOOD, now=now)
        else:
            col.update_note_source("c00000", "## Changed {#c00000}\\nx\\n")
except StorageError as exc:
    print("StorageError:", exc)
    sys.exit(3)
print("no error")
"""


def _without_privileges(data_dir: Path, what: str) -> subprocess.CompletedProcess[str]:
    """Run the script as a process the permissions apply to: root ignores them, so as
    root it runs without the capabilities that override them (setpriv)."""
    command = [sys.executable, "-c", PERMISSION_SCRIPT, str(data_dir), what]
    if os.name == "posix" and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be tested")
        command = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_read_only_deck_folder_note_edit_is_a_storage_error(data_dir: Path) -> None:
    _library(data_dir)
    Collection.open(data_dir, seed=False, now=T0).close()
    (data_dir / "decks").chmod(0o555)
    done = _without_privileges(data_dir, "edit")
    assert done.returncode == 3, done.stdout + done.stderr
    assert "cannot save" in done.stdout and "Permission denied" in done.stdout
    assert "Check the permissions and owner" in done.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_read_only_database_file_answer_is_a_storage_error(data_dir: Path) -> None:
    _library(data_dir)
    Collection.open(data_dir, seed=False, now=T0).close()
    (data_dir / "collection.sqlite3").chmod(0o444)
    done = _without_privileges(data_dir, "answer")
    assert done.returncode == 3, done.stdout + done.stderr
    assert "read-only" in done.stdout and "Traceback" not in done.stderr


def test_full_disk_backup_and_start_say_the_disk_is_full_once(tmp_path: Path) -> None:
    """A backup with less room than its snapshot ended in an OperationalError traceback;
    a start on a disk full to the last byte said "the disk reported an error. The disk
    reported an error. …restore your collection from a backup" (SQLite's IOERR_SHMSIZE)."""
    with small_disk(tmp_path / "disk") as disk:
        data_dir = disk / "data"
        _library(data_dir)
        with Collection.open(data_dir, seed=False, now=T0) as col:
            col.set_setting("seeded", True)
            filler = _fill(disk)
            with open(filler, "r+b") as f:  # 64 kB free: less than the snapshot needs
                f.truncate(filler.stat().st_size - 65536)
            with pytest.raises(StorageError) as err:
                col.backups.create(now=T0, kind="manual")
            said = str(err.value)
            assert f"cannot make a backup in {data_dir / 'backups'}: the disk is full (" in said
            assert f"MB free on {disk})" in said and FREE_SPACE in said
            assert not [p for p in (data_dir / "backups").iterdir()]
        _fill(disk)
        done = subprocess.run(
            [sys.executable, "-m", "flashcards", "--data-dir", str(data_dir), "decks"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert "Traceback" not in done.stderr, done.stderr
        if done.returncode != 0:
            assert "the disk is full (0.0 MB free on" in done.stderr, done.stderr
            assert "disk reported an error" not in done.stderr
            assert "restore" not in done.stderr


def test_a_disk_error_is_said_once() -> None:
    from flashcards.storage.failures import sqlite_failure

    exc = sqlite3.OperationalError("disk I/O error")
    exc.sqlite_errorcode = 10  # type: ignore[attr-defined]
    failure = sqlite_failure(exc, Path("/") / "collection.sqlite3")
    assert failure is not None
    assert str(failure).lower().count("the disk reported an error") == 1, str(failure)
