"""A damaged database (a few bad pages in the middle: it opens, and only the reads that
meet them fail) and backups: a clear error with what to do, never a traceback;
`rebuild` mends it; a backup checks its snapshot and never keeps (or rotates good ones
out for) a damaged one; a restore over it keeps the damaged file. And the folders used
where they are go into every backup and come back with a restore."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from col_helpers import T0, deck_text, note, write

from flashcards.cli import main as cli
from flashcards.collection import Collection
from flashcards.collection.backup import list_backups, restore_data_dir
from flashcards.core.backup_rotation import Rotation
from flashcards.core.model import Rating
from flashcards.storage.db_file import DatabaseDamagedError


def _library(data_dir: Path, cards: int = 150) -> None:
    notes = (note(f"Card {i}", f"answer {i} " * 20, nid=f"c{i:04d}") for i in range(cards))
    write(data_dir / "decks" / "deck.md", deck_text(*notes))


def _open(data_dir: Path) -> Collection:
    col = Collection.open(data_dir, seed=False, now=T0)
    col.set_setting("seeded", True)  # the CLI opens it too: no bundled decks
    return col


def _damage(data_dir: Path) -> None:
    """A bad sector: 8 kB of garbage in the middle of the file (its header intact)."""
    db = data_dir / "collection.sqlite3"
    with open(db, "r+b") as f:
        f.seek(db.stat().st_size // 2 // 4096 * 4096)
        f.write(bytes(range(256)) * 32)


def _run(data_dir: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = cli(["--data-dir", str(data_dir), *args], out=out)
    return code, out.getvalue() + capsys.readouterr().err


def test_a_damaged_database_is_a_clear_error_and_rebuild_mends_it(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _library(data_dir)
    with _open(data_dir) as col:
        for i in range(20):
            col.answer(f"c{i:04d}", Rating.GOOD, now=T0 + timedelta(seconds=i))
    _damage(data_dir)
    for command in (["check"], ["check", "--repair"]):
        code, said = _run(data_dir, *command, capsys=capsys)  # a traceback would raise here
        assert code == 1, said
        assert "collection.sqlite3 is damaged" in said and "flashcards rebuild" in said, said
        assert "flashcards restore FILE" in said
    code, said = _run(data_dir, "rebuild", capsys=capsys)
    assert code == 0, said
    assert "collection.sqlite3.damaged-1" in said
    assert (data_dir / "collection.sqlite3.damaged-1").is_file()
    code, said = _run(data_dir, "check", capsys=capsys)
    assert code == 0 and "no problems found" in said, said
    with _open(data_dir) as col:  # the history comes back from the device log
        assert len(col.history("c0000")) == 1
        assert len(col.cards([f"c{i:04d}" for i in range(150)])) == 150


def test_a_backup_of_a_damaged_database_is_refused_and_deletes_no_good_one(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _library(data_dir)
    with _open(data_dir) as col:
        col.backups.rotation = Rotation(frequent=2, daily=0, weekly=0)
        for i in range(2):
            col.answer(f"c{i:04d}", Rating.GOOD, now=T0 + timedelta(hours=i))
            col.backups.create(now=T0 + timedelta(hours=i), kind="auto")
    good = list_backups(data_dir)
    assert len(good) == 2
    _damage(data_dir)
    with Collection.open(data_dir, seed=False, sync=False, now=T0) as col:
        col.backups.rotation = Rotation(frequent=2, daily=0, weekly=0)
        with pytest.raises(DatabaseDamagedError, match="cannot make a backup"):
            col.backups.create(now=T0 + timedelta(hours=5), kind="auto")
    code, said = _run(data_dir, "backup", capsys=capsys)
    assert code == 1 and "is damaged" in said and "flashcards rebuild" in said, said
    assert list_backups(data_dir) == good  # nothing made, nothing rotated out
    assert not list((data_dir / "backups").glob(".*"))
    # A good backup goes back over the damaged database, which is kept aside.
    report, _note = restore_data_dir(data_dir, good[0].path, now=T0 + timedelta(hours=6))
    assert report.saved is None and report.damaged_kept is not None
    assert report.damaged_kept.name == "collection.sqlite3.damaged-1"
    with _open(data_dir) as col:
        assert len(col.history("c0001")) == 1
    code, said = _run(data_dir, "check", capsys=capsys)
    assert code == 0, said


def test_backups_hold_the_folders_used_where_they_are_and_restore_puts_them_back(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _library(data_dir, cards=3)
    vault = tmp_path / "vault"
    write(vault / "bio" / "dna.md", deck_text(note("What is DNA?", "An acid", nid="dna001")))
    with _open(data_dir) as col:
        col.add_folder(vault)
        col.answer("dna001", Rating.GOOD, now=T0)
        made = col.backups.create(now=T0, kind="manual")
    original = (vault / "bio" / "dna.md").read_bytes()
    with zipfile.ZipFile(made.path) as z:
        manifest = json.loads(z.read("backup.json"))
        (folder,) = manifest["folders"]
        assert folder["path"] == str(vault.resolve()) and folder["decks"] == ["bio/dna.md"]
        assert z.read(f"folders/{folder['id']}/bio/dna.md") == original
    (vault / "bio" / "dna.md").write_text("## Botched\nby hand\n", encoding="utf-8")
    write(vault / "later.md", deck_text(note("Later", "x", nid="late01")))
    code, said = _run(data_dir, "restore", str(made.path), capsys=capsys)
    assert code == 0, said
    assert (vault / "bio" / "dna.md").read_bytes() == original
    assert not (vault / "later.md").exists()  # as in the backup (kept in before-restore)
    with _open(data_dir) as col:
        assert len(col.history("dna001")) == 1
        before = col.backups.list()[0]
    with zipfile.ZipFile(before.path) as z:  # the restore's own backup kept the later file
        assert any(name.endswith("/later.md") for name in z.namelist())
    # The folder is gone (moved, a disk not connected): said, not made up anew.
    vault.rename(tmp_path / "moved")
    code, said = _run(data_dir, "restore", str(made.path), capsys=capsys)
    assert code == 0, said
    assert f"the folder {vault.resolve()} (vault) is not there" in said
    assert "not put back" in said and not vault.exists()
