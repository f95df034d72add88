"""`flashcards check --repair` and the app's Check and repair database: indexes and the
search index rebuilt, rows that point nowhere removed, the file compacted.

A backup is made first (kind "before-repair"), since removing orphans deletes rows. What a
repair cannot mend (a damaged table) is reported, with the advice to restore a backup.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from flashcards.collection.backup import BackupInfo
from flashcards.storage.card_search import ensure_browse_indexes
from flashcards.storage.models import FTS_DDL, REBUILD_FTS, Base

if TYPE_CHECKING:
    from flashcards.collection.collection import Collection

# What a row of each table is, for the report.
_ROW_NAMES = {
    "reviews": "answer",
    "cards": "card",
    "notes": "note",
    "links": "link",
    "decks": "deck",
    "practice_answers": "practice exam answer",
}


@dataclass(frozen=True)
class RepairReport:
    """What a repair did, and what it could not mend."""

    fixed: tuple[str, ...]
    remaining: tuple[str, ...]
    backup: BackupInfo

    @property
    def ok(self) -> bool:
        return not self.remaining


def repair(col: Collection, *, now: datetime | None = None) -> RepairReport:
    """Back up, remove orphaned rows, rebuild every index and the search index, compact."""
    backup = col.backups.create(now=now, kind="before-repair")
    fixed: list[str] = []
    with col._write() as s:
        conn = s.connection()
        # Orphans go children first; deferring the foreign keys lets a parent row go
        # before the rows that point to it, which the next pass then finds.
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        removed: dict[str, int] = {}
        for _ in range(10):
            orphans = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
            if not orphans:
                break
            for table, rowid, _parent, _fk in orphans:
                conn.exec_driver_sql(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))
                removed[table] = removed.get(table, 0) + 1
        for table, count in sorted(removed.items()):
            what = _ROW_NAMES.get(table, f"{table} row")
            fixed.append(f"removed {count} {what}{'s' if count != 1 else ''} pointing nowhere")
        Base.metadata.create_all(conn)  # a table missing is made again, and an index
        for table in Base.metadata.sorted_tables:
            for index in table.indexes:
                index.create(conn, checkfirst=True)
        for ddl in FTS_DDL:
            conn.exec_driver_sql(ddl)
        ensure_browse_indexes(s)
        conn.exec_driver_sql("DELETE FROM fts_pause")  # a crash in a bulk write left it off
        for statement in REBUILD_FTS:
            conn.exec_driver_sql(statement)
        fixed.append("rebuilt the search index")
        conn.exec_driver_sql("REINDEX")
        fixed.append("rebuilt every index")
    col._generation += 1
    with col.db.raw_read() as cur:
        with contextlib.suppress(sqlite3.Error):  # room for a copy of the file is needed
            cur.execute("VACUUM")
            fixed.append("compacted the database")
        cur.execute("ANALYZE")
        remaining = [
            f"database: {row[0]}"
            for row in cur.execute("PRAGMA integrity_check").fetchall()
            if row[0] != "ok"
        ]
    if remaining:
        remaining.append(
            f"the database is damaged beyond repair: restore a backup ({backup.path.parent})"
        )
    return RepairReport(tuple(fixed), tuple(remaining), backup)
