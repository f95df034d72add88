"""Bulk writes into small tables: drop their secondary indexes, build them once after.

Keeping an index up row by row costs more than building it once when a write adds
more rows than a table holds (a first sync, an import into a new collection).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence

from sqlalchemy import Connection


def drop_secondary_indexes(conn: Connection, tables: Sequence[str]) -> list[str]:
    """`drop_indexes` through an SQLAlchemy connection (the same SQLite transaction)."""
    driver = conn.connection.driver_connection
    assert driver is not None
    return drop_indexes(driver, tables)


def drop_indexes(db: sqlite3.Connection | sqlite3.Cursor, tables: Sequence[str]) -> list[str]:
    """Drop the non-unique secondary indexes of `tables` in the open transaction; the
    statements that create them again, exactly as the schema holds them. DDL is
    transactional in SQLite: a rollback restores them, and other connections see the
    tables with their indexes throughout."""
    marks = ",".join("?" * len(tables))
    rows = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY name",
        tuple(tables),
    ).fetchall()
    rebuild = []
    for name, sql in rows:
        if sql.lstrip().upper().startswith("CREATE INDEX"):  # never a UNIQUE one
            db.execute(f'DROP INDEX "{name}"')
            rebuild.append(sql)
    return rebuild


@contextlib.contextmanager
def indexes_built_after(conn: Connection, tables: Sequence[str], *, bulk: bool) -> Iterator[None]:
    """Run the block with `tables`' secondary indexes dropped when `bulk`, and build
    them again after it, even when it fails (the caller's rollback restores them too;
    this keeps the transaction whole should anyone commit it, without hiding the error)."""
    rebuild = drop_secondary_indexes(conn, tables) if bulk else []
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):
            for sql in rebuild:
                conn.exec_driver_sql(sql)
        raise
    for sql in rebuild:
        conn.exec_driver_sql(sql)
