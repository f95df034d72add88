"""Secondary indexes set aside for a bulk write and built again, on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine

from flashcards.storage.bulk_indexes import indexes_built_after


def _indexes(conn: object) -> list[tuple[str, str]]:
    return list(
        conn.exec_driver_sql(  # type: ignore[attr-defined]
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "ORDER BY name"
        ).all()
    )


def test_non_unique_indexes_are_dropped_for_the_block_and_built_after(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (a INTEGER, b TEXT, c TEXT)")
        conn.exec_driver_sql("CREATE INDEX ix_t_a ON t (a)")
        conn.exec_driver_sql("CREATE INDEX ix_t_bc ON t (b, c) WHERE a > 0")
        conn.exec_driver_sql("CREATE UNIQUE INDEX ux_t_c ON t (c)")
        before = _indexes(conn)
        with indexes_built_after(conn, ("t",), bulk=True):
            assert [name for name, _ in _indexes(conn)] == ["ux_t_c"]  # unique ones stay
            conn.exec_driver_sql(
                "INSERT INTO t VALUES (?, ?, ?)", [(i, "x", str(i)) for i in range(50)]
            )
        assert _indexes(conn) == before  # the very statements the schema held
        with indexes_built_after(conn, ("t",), bulk=False):
            assert _indexes(conn) == before
        with pytest.raises(RuntimeError), indexes_built_after(conn, ("t",), bulk=True):
            raise RuntimeError("the write failed")
        assert _indexes(conn) == before
    engine.dispose()
