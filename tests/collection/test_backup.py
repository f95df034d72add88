"""Backups: a consistent snapshot of the database plus the library's Markdown, made
every 30 minutes of use with changes and on close, rotated; restore round trips (the
state before it backed up first); check --repair; the rescue when the file vanishes."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
import zstandard
from col_helpers import T0, deck_text, note, tree_bytes, write

from flashcards.cli import main as cli
from flashcards.collection import Collection
from flashcards.collection.backup import BackupError, list_backups, restore, restore_data_dir
from flashcards.collection.repair import repair
from flashcards.core.backup_rotation import Rotation
from flashcards.core.errors import CollectionLockedError
from flashcards.core.model import Rating
from flashcards.storage.db_file import DatabaseLostError

EXAM = """name = "ML"
questions = 10
minutes = 30
score = { min = 100, max = 1000, pass = 750 }
[[domains]]
name = "Modeling"
weight = 1.0
"""


def _library(data_dir: Path) -> None:
    write(
        data_dir / "decks" / "aws" / "ml.md",
        deck_text(*(note(f"Card {i}", f"a{i}", nid=f"ml{i:04d}") for i in range(20))),
    )
    write(data_dir / "decks" / "aws" / "exam.toml", EXAM)
    (data_dir / "decks" / "aws" / "pic.png").write_bytes(b"png")


def _open(data_dir: Path) -> Collection:
    col = Collection.open(data_dir, seed=False, now=T0)
    col.set_setting("timezone", "UTC")
    col.set_setting("seeded", True)  # the CLI opens it too: no bundled decks
    return col


def test_backup_holds_a_snapshot_and_the_markdown(data_dir: Path) -> None:
    _library(data_dir)
    with _open(data_dir) as col:
        col.answer("ml0000", Rating.GOOD, now=T0)
        made = col.backups.create(now=T0, kind="manual")
    assert made.path.parent == data_dir / "backups"
    assert made.path.name == "2026-11-28T120000Z-manual.zip"
    assert (made.cards, made.reviews) == (20, 1)
    with zipfile.ZipFile(made.path) as z:
        names = set(z.namelist())
        assert {"backup.json", "decks/aws/ml.md", "decks/aws/exam.toml"} <= names
        assert "decks/aws/pic.png" not in names  # media stay in the library
        assert z.read("decks/aws/ml.md") == (data_dir / "decks" / "aws" / "ml.md").read_bytes()
        snapshot = zstandard.ZstdDecompressor().decompress(
            z.read("collection.sqlite3.zst"), max_output_size=1 << 30
        )
    copy = data_dir.parent / "copy.sqlite3"
    copy.write_bytes(snapshot)
    with sqlite3.connect(copy) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert raw.execute("SELECT card_id FROM reviews").fetchall() == [("ml0000",)]


def test_restore_round_trip_and_back_again(data_dir: Path) -> None:
    _library(data_dir)
    deck = data_dir / "decks" / "aws" / "ml.md"
    col = _open(data_dir)
    col.answer("ml0000", Rating.GOOD, now=T0)
    made = col.backups.create(now=T0)
    at_backup = tree_bytes(data_dir / "decks")
    # Later: more answers, an edited deck, a new deck, a new image.
    later = T0 + timedelta(hours=2)
    col.answer("ml0001", Rating.EASY, now=later)
    col.update_note_source("ml0002", "## Card 2 renamed {#ml0002}\na2\n")
    write(data_dir / "decks" / "new.md", deck_text(note("Fresh", "f", nid="fresh1")))
    (data_dir / "decks" / "aws" / "later.png").write_bytes(b"later")
    col.sync(now=later)
    edited = deck.read_bytes()
    col, report = restore(col, made.path, now=later + timedelta(minutes=1))
    try:
        assert report.restored.path == made.path and report.saved.kind == "before-restore"
        assert report.decks_removed == 1  # new.md: it is in the backup just made
        assert len(col.history("ml0000")) == 1 and col.history("ml0001") == []
        assert col.card("ml0002").card.title == "Card 2"
        assert col.cards(["fresh1"]) == [] or not col.card("fresh1").present
        library = tree_bytes(data_dir / "decks")

        def decks(tree: dict[str, bytes]) -> dict[str, bytes]:
            # Media stay; the device logs (.flashcards/) record the restore (docs/sync.md).
            return {
                k: v for k, v in tree.items() if not k.endswith(".png") and ".flashcards" not in k
            }

        assert decks(library) == decks(at_backup)
        assert library["aws/later.png"] == b"later"  # media are never removed
        # The state before the restore was backed up: restoring it brings it all back.
        col, again = restore(col, report.saved.path, now=later + timedelta(minutes=2))
        assert deck.read_bytes() == edited
        assert (data_dir / "decks" / "new.md").is_file()
        assert [h.rating for h in col.history("ml0001")] == [Rating.EASY]
        assert col.card("fresh1").present
        assert again.saved.kind == "before-restore"
    finally:
        col.close()


def test_periodic_backups_every_thirty_minutes_of_use_with_changes(data_dir: Path) -> None:
    _library(data_dir)
    with _open(data_dir) as col:
        col.backups.create(now=T0)  # what the settings change above did is in it
        assert col.backups.maybe(now=T0 + timedelta(hours=5)) is None  # no change
        col.answer("ml0000", Rating.GOOD, now=T0 + timedelta(minutes=10))
        assert col.backups.maybe(now=T0 + timedelta(minutes=20)) is None  # too soon
        made = col.backups.maybe(now=T0 + timedelta(minutes=31))
        assert made is not None and made.kind == "auto" and made.reviews == 1
        assert col.backups.maybe(now=T0 + timedelta(hours=3)) is None  # nothing new
        assert col.backups.on_close(now=T0 + timedelta(hours=3)) is None
        col.answer("ml0001", Rating.GOOD, now=T0 + timedelta(minutes=40))
        closing = col.backups.on_close(now=T0 + timedelta(minutes=41))
        assert closing is not None and closing.reviews == 2
    assert [b.kind for b in list_backups(data_dir)] == ["auto", "auto", "manual"]


def test_backups_are_rotated(data_dir: Path) -> None:
    _library(data_dir)
    with _open(data_dir) as col:
        col.backups.rotation = Rotation(frequent=3, daily=2, weekly=1)
        col.backups.create(now=T0 - timedelta(days=90), kind="before-restore")  # never rotated
        t = T0 - timedelta(days=20)
        while t <= T0:
            col.answer("ml0000", Rating.GOOD, now=t)
            col.backups.maybe(now=t)
            t += timedelta(hours=12)
        backups = list_backups(data_dir)
    auto = [b.created for b in backups if b.kind == "auto"]
    assert auto[:3] == [T0 - timedelta(hours=12 * i) for i in range(3)]
    assert auto[3:5] == [T0 - timedelta(days=2), T0 - timedelta(days=3)]  # a day each
    assert len(auto) == 3 + 2 + 1
    assert [b.kind for b in backups].count("before-restore") == 1


def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(
    data_dir: Path, tmp_path: Path
) -> None:
    _library(data_dir)
    col = _open(data_dir)
    try:
        col.answer("ml0000", Rating.GOOD, now=T0)
        before = tree_bytes(data_dir / "decks")
        junk = tmp_path / "junk.zip"
        with zipfile.ZipFile(junk, "w") as z:
            z.writestr("hello.txt", "hi")
        with pytest.raises(BackupError, match="not a Flashcards backup"):
            restore(col, junk, now=T0)
        bad = tmp_path / "bad.zip"
        with zipfile.ZipFile(bad, "w") as z:
            z.writestr("backup.json", "{}")
            z.writestr("collection.sqlite3", b"not a database" * 100)
        with pytest.raises(BackupError, match="cannot be read|damaged"):
            restore(col, bad, now=T0)
        with pytest.raises(BackupError, match="no such backup"):
            restore(col, "nothing-here.zip", now=T0)
        assert tree_bytes(data_dir / "decks") == before
        assert len(col.history("ml0000")) == 1
        assert list_backups(data_dir) == []  # refused before anything was backed up
    finally:
        col.close()


def test_cli_backup_list_restore_and_the_lock(data_dir: Path) -> None:
    _library(data_dir)
    with _open(data_dir) as col:
        col.answer("ml0000", Rating.GOOD, now=T0)
    out = io.StringIO()
    assert cli(["--data-dir", str(data_dir), "backup"], out=out) == 0
    assert "backed up 20 card(s) and 1 answer(s) to" in out.getvalue()
    (made,) = list_backups(data_dir)
    out = io.StringIO()
    assert cli(["--data-dir", str(data_dir), "backup", "--list"], out=out) == 0
    assert made.path.name in out.getvalue() and "made by you" in out.getvalue()
    with _open(data_dir) as col:
        col.answer("ml0001", Rating.GOOD, now=T0)
        # The app holds the collection: restore is refused, nothing changes.
        with pytest.raises(CollectionLockedError):
            restore_data_dir(data_dir, made.path.name, now=T0)
        assert cli(["--data-dir", str(data_dir), "restore", made.path.name], out=io.StringIO())
    out = io.StringIO()
    assert cli(["--data-dir", str(data_dir), "restore", made.path.name], out=out) == 0
    assert "the collection as it was is backed up in" in out.getvalue()
    with _open(data_dir) as col:
        assert col.history("ml0001") == [] and len(col.history("ml0000")) == 1


def test_a_vanished_database_is_rescued_and_restored_at_the_next_start(data_dir: Path) -> None:
    _library(data_dir)
    col = _open(data_dir)
    try:
        for i in range(5):
            col.answer(f"ml{i:04d}", Rating.GOOD, now=T0 + timedelta(seconds=i))
        for name in ("collection.sqlite3", "collection.sqlite3-wal", "collection.sqlite3-shm"):
            (data_dir / name).unlink(missing_ok=True)
        with pytest.raises(DatabaseLostError) as err:
            col.answer("ml0005", Rating.GOOD, now=T0)
    finally:
        col.close()
    (rescued,) = list_backups(data_dir)
    assert rescued.kind == "rescue" and rescued.path.name in str(err.value)
    # This device's log holds the answers: the next start builds the database anew from it.
    with Collection.open(data_dir, seed=False) as col:
        assert all(len(col.history(f"ml{i:04d}")) == 1 for i in range(5))
    out = io.StringIO()  # and the rescue backup restores the same
    assert cli(["--data-dir", str(data_dir), "restore", rescued.path.name], out=out) == 0
    with _open(data_dir) as col:  # every acknowledged answer is back
        assert all(len(col.history(f"ml{i:04d}")) == 1 for i in range(5))
        assert col.history("ml0005") == []


def test_rebuild_from_the_deck_files(data_dir: Path) -> None:
    _library(data_dir)
    with _open(data_dir) as col:
        col.answer("ml0000", Rating.GOOD, now=T0)
    out = io.StringIO()
    assert cli(["--data-dir", str(data_dir), "rebuild"], out=io.StringIO()) == 1  # it is fine
    (data_dir / "collection.sqlite3").write_bytes(b"garbage" * 1000)  # damaged
    assert cli(["--data-dir", str(data_dir), "rebuild"], out=out) == 0
    assert "20 card(s)" in out.getvalue() and "collection.sqlite3.damaged-1" in out.getvalue()
    assert (data_dir / "collection.sqlite3.damaged-1").read_bytes() == b"garbage" * 1000
    with _open(data_dir) as col:
        # The history comes back from this device's log (docs/sync.md).
        assert len(col.history("ml0000")) == 1
        assert len(col.cards([f"ml{i:04d}" for i in range(20)])) == 20


def test_check_repair_removes_orphans_and_rebuilds_the_search_index(data_dir: Path) -> None:
    _library(data_dir)
    with _open(data_dir) as col:
        col.answer("ml0000", Rating.GOOD, now=T0)
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        raw.execute("PRAGMA foreign_keys = OFF")
        raw.execute(
            "INSERT INTO reviews (card_id, time_ms, rating, state_before, state_after) "
            "VALUES ('gone01', 1, 3, 0, 1)"
        )
        raw.execute("DELETE FROM cards_fts")  # the search index lost
        raw.execute("DROP INDEX ix_reviews_card")
    with _open(data_dir) as col:
        assert col.check().problems  # the orphan
        assert col.search("Card") == []
        done = repair(col, now=T0 + timedelta(hours=1))
        assert done.ok and done.backup.kind == "before-repair"
        assert "removed 1 answer pointing nowhere" in done.fixed
        assert col.check().problems == ()
        assert len(col.search("Card")) == 20
        assert len(col.history("ml0000")) == 1
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "ix_reviews_card" in names
    out = io.StringIO()
    assert cli(["--data-dir", str(data_dir), "check", "--repair"], out=out) == 0
    assert "the database is sound" in out.getvalue()


def test_a_backup_in_its_thread_is_one_consistent_state_while_answers_go_on(
    data_dir: Path,
) -> None:
    write(
        data_dir / "decks" / "big.md",
        deck_text(*(note(f"Big {i}", "x " * 40, nid=f"bg{i:04d}") for i in range(1500))),
    )
    with _open(data_dir) as col:
        for i in range(1500):
            col.answer(f"bg{i:04d}", Rating.GOOD, now=T0)
        before = 1500
        assert col.backups.start(now=T0 + timedelta(hours=1))
        answered = 0
        while col.backups.running and answered < 1500:
            col.answer(f"bg{answered:04d}", Rating.EASY, now=T0 + timedelta(days=3))
            answered += 1
        col.backups.wait()
        assert col.backups.last_error is None
        assert not col.backups.start(now=T0 + timedelta(hours=1, minutes=5))  # just made
        (made,) = list_backups(data_dir, details=True)
    assert made.kind == "auto" and before <= (made.reviews or 0) <= before + answered
    with zipfile.ZipFile(made.path) as z:
        data = zstandard.ZstdDecompressor().decompress(
            z.read("collection.sqlite3.zst"), max_output_size=1 << 30
        )
    copy = data_dir.parent / "snap.sqlite3"
    copy.write_bytes(data)
    with sqlite3.connect(copy) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # Every answer in the copy moved its card: the log and the cards agree.
        (logged,) = raw.execute("SELECT COUNT(*) FROM reviews WHERE rating = 4").fetchone()
        (moved,) = raw.execute("SELECT COUNT(*) FROM cards WHERE reps = 2").fetchone()
    assert logged == moved == (made.reviews or 0) - before


def test_two_backups_in_one_second_keep_the_newer_first(data_dir: Path) -> None:
    _library(data_dir)
    with _open(data_dir) as col:
        col.backups.rotation = Rotation(frequent=1, daily=0, weekly=0)
        first = col.backups.create(now=T0)
        col.answer("ml0000", Rating.GOOD, now=T0)
        second = col.backups.create(now=T0)
    assert second.path.name == "2026-11-28T120000Z-manual-2.zip"
    assert [b.path for b in list_backups(data_dir)] == [second.path]  # the newer stays
    assert not first.path.exists()
