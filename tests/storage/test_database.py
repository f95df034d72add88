"""The database file: pragmas, the writer lock, migrations, unusable folders."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from flashcards.core.errors import CollectionLockedError, SchemaTooNewError, StorageError
from flashcards.storage.engine import DB_NAME, Database, make_engine
from flashcards.storage.migrations import SCHEMA_VERSION, migrate


def test_fresh_database_has_schema_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = Database(tmp_path)
    try:
        with db.session() as s:
            assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert s.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
            assert s.execute(text("SELECT version FROM schema_version")).scalar() == SCHEMA_VERSION
            names = {r[0] for r in s.execute(text("SELECT name FROM sqlite_master"))}
        assert {
            "cards",
            "notes",
            "decks",
            "reviews",
            "links",
            "presets",
            "settings",
            "cards_fts",
            "ix_cards_queue",
        } <= names
        assert db.previous_version is None
    finally:
        db.close()


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    db = Database(tmp_path)
    try:
        with pytest.raises(Exception, match="FOREIGN KEY"), db.session() as s:
            s.execute(
                text(
                    "INSERT INTO reviews (card_id, time_ms, rating, state_before, "
                    "state_after) VALUES ('nope', 0, 3, 0, 1)"
                )
            )
    finally:
        db.close()


def test_queue_query_uses_the_index(tmp_path: Path) -> None:
    db = Database(tmp_path)
    try:
        with db.read() as s:
            plan = " ".join(
                str(r[-1])
                for r in s.execute(
                    text(
                        "EXPLAIN QUERY PLAN SELECT id FROM cards WHERE present = 1 "
                        "AND suspended = 0 AND state = 2 AND due < 100"
                    )
                )
            )
        assert "ix_cards_queue" in plan
    finally:
        db.close()


def test_fts_follows_card_text(tmp_path: Path) -> None:
    db = Database(tmp_path)
    try:
        with db.session() as s:
            s.execute(text("INSERT INTO roots (id, path, label, external) VALUES (1, '/x', '', 0)"))
            s.execute(text("INSERT INTO presets (id, name) VALUES (1, 'Default')"))
            s.execute(
                text(
                    "INSERT INTO decks (id, key, root_id, rel, name, title, description, tags, "
                    "folders, mtime_ns, size, sha1, present, preset_id) VALUES "
                    "(1, 'a.md', 1, 'a.md', 'A', 'A', '', '[]', '[]', 0, 0, '', 1, 1)"
                )
            )
            s.execute(
                text(
                    "INSERT INTO notes (id, deck_id, title, position, line_start, line_end, "
                    "section_path, links, content_hash, text, present) VALUES "
                    "('n1', 1, 't', 0, 1, 2, '[]', '[]', '', '', 1)"
                )
            )
            s.execute(
                text(
                    "INSERT INTO cards (id, note_id, deck_id, position, kind, title, prompt, "
                    "answer) VALUES ('n1', 'n1', 1, 0, 'basic', 'Gradient boosting', '', "
                    "'eta shrinks each tree')"
                )
            )
        with db.session() as s:
            hit = s.execute(text("SELECT card_id FROM cards_fts WHERE cards_fts MATCH 'shrinks'"))
            assert [r[0] for r in hit] == ["n1"]
            s.execute(text("UPDATE cards SET answer = 'learning rate' WHERE id = 'n1'"))
        with db.read() as s:
            assert (
                s.execute(
                    text("SELECT COUNT(*) FROM cards_fts WHERE cards_fts MATCH 'shrinks'")
                ).scalar()
                == 0
            )
            assert (
                s.execute(
                    text("SELECT COUNT(*) FROM cards_fts WHERE cards_fts MATCH 'rate'")
                ).scalar()
                == 1
            )
    finally:
        db.close()


def test_second_writer_in_this_process_is_refused(tmp_path: Path) -> None:
    db = Database(tmp_path)
    try:
        with pytest.raises(CollectionLockedError, match="open in another"):
            Database(tmp_path)
    finally:
        db.close()
    Database(tmp_path).close()  # released on close


def test_second_writer_process_is_refused(tmp_path: Path) -> None:
    db = Database(tmp_path)
    try:
        code = (
            "import sys; from pathlib import Path\n"
            "from flashcards.storage.engine import Database\n"
            "from flashcards.core.errors import CollectionLockedError\n"
            "try:\n    Database(Path(sys.argv[1]))\n"
            "except CollectionLockedError:\n    sys.exit(7)\n"
        )
        repo = Path(__file__).resolve().parents[2]
        env = {**os.environ, "PYTHONPATH": str(repo)}
        result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], env=env, timeout=60)
        assert result.returncode == 7
    finally:
        db.close()


def test_missing_parents_are_created(tmp_path: Path) -> None:
    # A fresh home folder has no ~/.local/share: the data folder comes with its parents.
    folder = tmp_path / "home" / ".local" / "share" / "flashcards"
    db = Database(folder)
    try:
        assert (folder / "collection.sqlite3").is_file()
    finally:
        db.close()


def test_parent_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "share").write_text("not a folder")
    with pytest.raises(StorageError, match=r"cannot create data folder .*share.*Not a directory"):
        Database(tmp_path / "share" / "flashcards")
    assert (tmp_path / "share").read_text() == "not a folder"


@pytest.mark.skipif(
    os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root ignores file permissions"
)
def test_read_only_folder_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(StorageError, match="read-only"):
            Database(folder)
    finally:
        folder.chmod(0o700)


def test_read_only_folder_check_without_permissions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As root the chmod test above is skipped; check the same path through os.access.
    from flashcards.storage import engine

    folder = tmp_path / "ro"
    folder.mkdir()
    monkeypatch.setattr(engine.os, "access", lambda _p, _m: False)
    with pytest.raises(StorageError, match="read-only"):
        engine.check_data_dir(folder)


def _add_column(conn: Connection) -> None:
    conn.execute(text("ALTER TABLE settings ADD COLUMN note TEXT"))


def test_migration_backs_up_then_upgrades(tmp_path: Path) -> None:
    Database(tmp_path).close()
    db_path = tmp_path / DB_NAME
    with sqlite3.connect(db_path) as raw:
        raw.execute("INSERT INTO settings (key, value) VALUES ('kept', '1')")
    engine = make_engine(db_path)
    try:
        old = migrate(
            engine, db_path, target=SCHEMA_VERSION + 1, upgrades={SCHEMA_VERSION: _add_column}
        )
        assert old == SCHEMA_VERSION
        backup = tmp_path / f"{DB_NAME}.bak-v{SCHEMA_VERSION}"
        assert backup.is_file()
        with engine.connect() as conn:
            assert (
                conn.execute(text("SELECT version FROM schema_version")).scalar()
                == SCHEMA_VERSION + 1
            )
            cols = {r[1] for r in conn.execute(text("PRAGMA table_info(settings)"))}
            assert "note" in cols
            assert conn.execute(text("SELECT value FROM settings WHERE key='kept'")).scalar() == "1"
        with sqlite3.connect(backup) as raw:
            assert raw.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        engine.dispose()


def test_failed_migration_leaves_database_as_it_was(tmp_path: Path) -> None:
    Database(tmp_path).close()
    db_path = tmp_path / DB_NAME

    def broken(conn: Connection) -> None:
        conn.execute(text("ALTER TABLE settings ADD COLUMN half TEXT"))
        raise RuntimeError("boom")

    engine = make_engine(db_path)
    try:
        with pytest.raises(RuntimeError):
            migrate(engine, db_path, target=SCHEMA_VERSION + 1, upgrades={SCHEMA_VERSION: broken})
        with engine.connect() as conn:
            assert (
                conn.execute(text("SELECT version FROM schema_version")).scalar() == SCHEMA_VERSION
            )
            assert "half" not in {r[1] for r in conn.execute(text("PRAGMA table_info(settings)"))}
    finally:
        engine.dispose()


def test_newer_database_is_refused_naming_both_versions(tmp_path: Path) -> None:
    Database(tmp_path).close()
    with sqlite3.connect(tmp_path / DB_NAME) as raw:
        raw.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(SchemaTooNewError, match=rf"version 99.*version {SCHEMA_VERSION}"):
        Database(tmp_path)
    # The lock was released: once the file is fixed it opens again.
    with sqlite3.connect(tmp_path / DB_NAME) as raw:
        raw.execute(f"UPDATE schema_version SET version = {SCHEMA_VERSION}")
    Database(tmp_path).close()


def test_version_1_database_is_upgraded(tmp_path: Path) -> None:
    Database(tmp_path).close()
    with sqlite3.connect(tmp_path / DB_NAME) as raw:  # make it look like a version-1 file
        raw.execute("DROP TRIGGER cards_fts_ai")
        raw.execute("DROP TABLE fts_pause")
        raw.execute("ALTER TABLE roots DROP COLUMN enabled")
        raw.execute("INSERT INTO roots (path, label, external) VALUES ('/x', '', 0)")
        raw.execute("UPDATE schema_version SET version = 1")
    db = Database(tmp_path)
    try:
        assert db.previous_version == 1
        assert (tmp_path / f"{DB_NAME}.bak-v1").is_file()
        with db.read() as s:
            assert s.execute(text("SELECT version FROM schema_version")).scalar() == SCHEMA_VERSION
            assert s.execute(text("SELECT enabled FROM roots")).scalar() == 1
            names = {r[0] for r in s.execute(text("SELECT name FROM sqlite_master"))}
        assert {"fts_pause", "cards_fts_ai", "ix_cards_queue"} <= names
    finally:
        db.close()


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"this is not SQLite" * 100)
    with pytest.raises(StorageError, match=r"is damaged \(file is not a database\).*rebuild"):
        Database(tmp_path)
    (tmp_path / DB_NAME).unlink()
    Database(tmp_path).close()  # and the lock was let go
