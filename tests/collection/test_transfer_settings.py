"""`apply_import(merge_settings=)`: settings merged in the import's own transaction."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from col_helpers import T0, deck_text, note

from flashcards.core.errors import CancelledError, DeckFormatError


def _stored(data_dir: Path, key: str) -> str | None:
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        row = raw.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def _deck(nid: str) -> bytes:
    return deck_text(note(f"Card {nid}", "answer", nid=nid), title=nid).encode()


def test_entries_merge_into_the_stored_map(data_dir: Path, open_col) -> None:
    col = open_col()
    col.set_setting("my_map", {"a": "1", "b": "2"})
    col.apply_import(
        {"one.md": _deck("one")}, now=T0, merge_settings={"my_map": {"b": "3", "c": "4"}}
    )
    assert col.setting("my_map") == {"a": "1", "b": "3", "c": "4"}
    assert _stored(data_dir, "my_map") == '{"a": "1", "b": "3", "c": "4"}'
    col.close()
    assert open_col().setting("my_map") == {"a": "1", "b": "3", "c": "4"}


def test_a_failed_import_merges_nothing(data_dir: Path, open_col) -> None:
    col = open_col()
    col.set_setting("my_map", {"a": "1"})
    with pytest.raises(DeckFormatError):
        col.apply_import({"bad.md": b"\xff\xfe not utf-8"}, merge_settings={"my_map": {"a": "x"}})

    def cancel_at_the_end(done: int, total: int, message: str) -> bool:
        return done < total  # the last tick comes after cards and settings are written

    with pytest.raises(CancelledError):
        col.apply_import(
            {"two.md": _deck("two")},
            now=T0,
            merge_settings={"my_map": {"a": "y"}},
            progress=cancel_at_the_end,
        )
    assert col.setting("my_map") == {"a": "1"}
    assert _stored(data_dir, "my_map") == '{"a": "1"}'
    assert not (col.library / "two.md").exists()
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        assert raw.execute("SELECT COUNT(*) FROM cards").fetchone() == (0,)
