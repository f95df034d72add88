"""Schema versions and the upgrade steps between them.

Each step upgrades the schema from version `n` to `n + 1`. On open, pending steps run
in one transaction after the database file has been copied to
`<name>.bak-v<old version>`; a database newer than this code is refused.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import cast

from sqlalchemy import Connection, Engine, Table, text

from flashcards.core.errors import SchemaTooNewError, StorageError
from flashcards.storage.card_search import BROWSE_INDEXES
from flashcards.storage.event_tables import EVENT_TABLES
from flashcards.storage.models import (
    EASY_DAYS,
    FTS_DDL,
    AnkiFields,
    Base,
    Card,
    LinkRow,
    Note,
    PracticeAnswer,
    PracticeSitting,
)

Upgrade = Callable[[Connection], None]

SCHEMA_VERSION = 10
"""The schema version this code writes."""


def _v1_to_v2(conn: Connection) -> None:
    """External folders can be switched off; covering queue indexes; bulk FTS inserts."""
    columns = {r[1] for r in conn.execute(text("PRAGMA table_info(roots)"))}
    if "enabled" not in columns:
        conn.execute(text("ALTER TABLE roots ADD COLUMN enabled BOOLEAN NOT NULL DEFAULT 1"))
    conn.execute(text("DROP INDEX IF EXISTS ix_cards_queue"))
    conn.execute(text("DROP INDEX IF EXISTS ix_cards_deck_new"))
    cards = cast(Table, Card.__table__)
    for index in cards.indexes:
        index.create(conn, checkfirst=True)
    for trigger in ("cards_fts_ai", "cards_fts_au", "cards_fts_ad"):
        conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
    for ddl in FTS_DDL:
        conn.execute(text(ddl))


def _v2_to_v3(conn: Connection) -> None:
    """Normalised title keys on notes and links, so a sync resolves links by index."""
    from flashcards.core.links import normalise_title

    for table, columns in (("notes", ("title_key",)), ("links", ("target_key", "alt_key"))):
        have = {r[1] for r in conn.execute(text(f"PRAGMA table_info({table})"))}
        for column in columns:
            if column not in have:
                default = "" if column != "alt_key" else None
                kind = "TEXT NOT NULL DEFAULT ''" if default == "" else "TEXT"
                conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {kind}"))
    notes = conn.execute(text("SELECT id, title FROM notes")).all()
    if notes:
        conn.execute(
            text("UPDATE notes SET title_key = :k WHERE id = :i"),
            [{"k": normalise_title(title), "i": nid} for nid, title in notes],
        )
    links = conn.execute(text("SELECT id, target, file FROM links")).all()
    if links:
        conn.execute(
            text("UPDATE links SET target_key = :t, alt_key = :a WHERE id = :i"),
            [
                {
                    "t": normalise_title(target),
                    "a": normalise_title(f"{file}#{target}") if file else None,
                    "i": lid,
                }
                for lid, target, file in links
            ],
        )
    for model in (Note, LinkRow):
        for index in cast(Table, model.__table__).indexes:
            index.create(conn, checkfirst=True)


def _v3_to_v4(conn: Connection) -> None:
    """Presets choose the new-card gather and sort orders."""
    have = {r[1] for r in conn.execute(text("PRAGMA table_info(presets)"))}
    for column, default in (("new_gather", "domains"), ("new_sort", "interleaved")):
        if column not in have:
            kind = f"VARCHAR NOT NULL DEFAULT '{default}'"
            conn.execute(text(f"ALTER TABLE presets ADD COLUMN {column} {kind}"))


def _v4_to_v5(conn: Connection) -> None:
    """Presets say when a card is a leech and what then happens, and balance due dates
    (load balancing, easy days)."""
    have = {r[1] for r in conn.execute(text("PRAGMA table_info(presets)"))}
    for column, kind in (
        ("leech_threshold", "INTEGER NOT NULL DEFAULT 8"),
        ("leech_action", "VARCHAR NOT NULL DEFAULT 'tag'"),
        ("load_balancing", "BOOLEAN NOT NULL DEFAULT 1"),
        ("easy_days", f"TEXT NOT NULL DEFAULT '{EASY_DAYS}'"),
    ):
        if column not in have:
            conn.execute(text(f"ALTER TABLE presets ADD COLUMN {column} {kind}"))


def _v5_to_v6(conn: Connection) -> None:
    """Practice exams: their sittings and answers."""
    for model in (PracticeSitting, PracticeAnswer):
        cast(Table, model.__table__).create(conn, checkfirst=True)


def _v6_to_v7(conn: Connection) -> None:
    """The browser's narrow index, made here rather than by the first search: a
    collection opened read-only (the app holds it, or the medium is read-only) can
    then be searched."""
    for ddl in BROWSE_INDEXES:
        conn.execute(text(ddl))


def _v7_to_v8(conn: Connection) -> None:
    """Notes rendered as Anki fields are kept, so an export renders only what changed."""
    cast(Table, AnkiFields.__table__).create(conn, checkfirst=True)


def _v8_to_v9(conn: Connection) -> None:
    """Device logs (docs/sync.md): the events cache, how far each log was read, and each
    card's last scheduling event."""
    for model in EVENT_TABLES:
        cast(Table, model.__table__).create(conn, checkfirst=True)
    have = {r[1] for r in conn.execute(text("PRAGMA table_info(cards)"))}
    if "head" not in have:
        conn.execute(text("ALTER TABLE cards ADD COLUMN head VARCHAR"))


def _v9_to_v10(conn: Connection) -> None:
    """Rendered notes keep the Anki ids of the note and its cards (an export hashed every
    id again); rows without them are rendered again by the next export."""
    have = {r[1] for r in conn.execute(text("PRAGMA table_info(anki_fields)"))}
    for column, kind in (("anki_id", "INTEGER"), ("card_ids", "BLOB")):
        if column not in have:
            conn.execute(text(f"ALTER TABLE anki_fields ADD COLUMN {column} {kind}"))


UPGRADES: Mapping[int, Upgrade] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
    5: _v5_to_v6,
    6: _v6_to_v7,
    7: _v7_to_v8,
    8: _v8_to_v9,
    9: _v9_to_v10,
}
"""`UPGRADES[n]` upgrades a version-`n` database to `n + 1`."""


def create_schema(conn: Connection, *, version: int = SCHEMA_VERSION) -> None:
    """Create every table of a fresh database at `version`."""
    Base.metadata.create_all(conn)
    for ddl in FTS_DDL:
        conn.execute(text(ddl))
    if version >= 7:
        for ddl in BROWSE_INDEXES:
            conn.execute(text(ddl))
    conn.execute(text("DELETE FROM schema_version"))
    conn.execute(text("INSERT INTO schema_version (id, version) VALUES (1, :v)"), {"v": version})


def read_version(conn: Connection) -> int | None:
    """The stored schema version, or None for an empty database."""
    exists = conn.execute(
        text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'")
    ).first()
    if exists is None:
        return None
    row = conn.execute(text("SELECT version FROM schema_version WHERE id = 1")).first()
    if row is None:
        raise StorageError("the database has no schema version; it is not a Flashcards collection")
    return int(row[0])


def migrate(
    engine: Engine,
    db_path: Path,
    *,
    target: int = SCHEMA_VERSION,
    upgrades: Mapping[int, Upgrade] = UPGRADES,
) -> int | None:
    """Bring the database to `target`; returns the version it had (None when new).

    Raises SchemaTooNewError for a database from a newer version of the app.
    """
    with engine.connect() as conn:
        version = read_version(conn)
    if version is None:
        with engine.begin() as conn:
            create_schema(conn, version=target)
        return None
    if version > target:
        raise SchemaTooNewError(
            f"{db_path} has schema version {version}, but this Flashcards understands up to "
            f"version {target}; update Flashcards to open it"
        )
    if version == target:
        return version
    missing = [v for v in range(version, target) if v not in upgrades]
    if missing:
        raise StorageError(f"no upgrade from schema version {missing[0]} for {db_path}")
    _backup(engine, db_path, version)
    with engine.begin() as conn:
        for v in range(version, target):
            upgrades[v](conn)
        conn.execute(text("UPDATE schema_version SET version = :v WHERE id = 1"), {"v": target})
    return version


def _backup(engine: Engine, db_path: Path, version: int) -> None:
    # Fold the WAL into the main file first so the copy is complete on its own.
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    backup = db_path.with_name(f"{db_path.name}.bak-v{version}")
    try:
        shutil.copy2(db_path, backup)
    except OSError as exc:
        raise StorageError(f"cannot back up {db_path} before upgrading: {exc.strerror}") from exc
