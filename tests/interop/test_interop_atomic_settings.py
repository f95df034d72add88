"""An Anki import's guid and fingerprint maps are committed with the import, not after it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from anki_factory import Sample
from sqlalchemy import text
from sqlalchemy.orm import SessionTransaction

from flashcards.collection.collection import Collection
from flashcards.collection.interop_ops import GUID_SETTING, PRINT_SETTING
from flashcards.core.errors import CancelledError
from flashcards.interop.anki_notes import note_id_for_guid


class Crash(Exception):
    """Stands for the process dying at the commit."""


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    collection = Collection.open(tmp_path / "data", seed=False)
    collection.sync()  # the empty library's own sync happens before the snapshots
    yield collection
    collection.close()


def _library(col: Collection) -> dict[str, bytes]:
    return {
        p.relative_to(col.library).as_posix(): p.read_bytes()
        for p in sorted(col.library.rglob("*"))
        if p.is_file()
    }


def _dump(col: Collection) -> list[str]:
    """Every row of the database as SQL, read through a connection of its own."""
    conn = sqlite3.connect(col.db.path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _inside(trans: SessionTransaction, sql: str) -> int:
    return int(trans.session.execute(text(sql)).scalar() or 0)


def test_crash_at_the_commit_leaves_database_settings_and_library_as_before(
    col: Collection,
    anki_packages: dict[str, tuple[Path, Sample]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    package, _sample = anki_packages["anki21"]
    db_before, files_before = _dump(col), _library(col)
    real_commit = SessionTransaction.commit
    crashed: list[int] = []

    def commit(self: SessionTransaction, *args: object, **kwargs: object) -> None:
        # The first commit that would store cards is the import's: die there.
        if not crashed and _inside(self, "SELECT COUNT(*) FROM cards"):
            crashed.append(_inside(self, "SELECT COUNT(*) FROM settings WHERE key = 'anki_guids'"))
            raise Crash()
        real_commit(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SessionTransaction, "commit", commit)
    with pytest.raises(Crash):
        col.import_path(package)
    monkeypatch.undo()
    assert crashed == [1]  # the guids were written in the transaction that died
    assert _dump(col) == db_before
    assert _library(col) == files_before
    assert col.setting(GUID_SETTING) is None
    assert col.setting(PRINT_SETTING) is None


def test_cancel_at_the_last_step_leaves_everything_as_before(
    col: Collection, anki_packages: dict[str, tuple[Path, Sample]]
) -> None:
    package, _sample = anki_packages["anki21b"]
    db_before, files_before = _dump(col), _library(col)

    def progress(done: int, total: int, message: str) -> bool:
        return not message.startswith("moving files")  # after cards and settings are written

    with pytest.raises(CancelledError):
        col.import_path(package, progress=progress)
    assert _dump(col) == db_before
    assert _library(col) == files_before
    assert col.setting(GUID_SETTING) is None


def test_guids_are_stored_in_the_commit_that_stores_the_cards(
    col: Collection,
    anki_packages: dict[str, tuple[Path, Sample]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    package, sample = anki_packages["anki21"]
    real_commit = SessionTransaction.commit
    seen: list[tuple[int, int]] = []  # (cards, guid entries) as each commit stores them

    def commit(self: SessionTransaction, *args: object, **kwargs: object) -> None:
        cards = _inside(self, "SELECT COUNT(*) FROM cards")
        guids = _inside(
            self,
            "SELECT COUNT(*) FROM settings, json_each(settings.value) "
            "WHERE settings.key = 'anki_guids'",
        )
        seen.append((cards, guids))
        real_commit(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SessionTransaction, "commit", commit)
    report = col.import_path(package)
    monkeypatch.undo()
    assert report.cards_added == 9
    stored = col.setting(GUID_SETTING)
    assert len(stored) >= 5
    first_with_cards = next(s for s in seen if s[0])
    assert first_with_cards == (9, len(stored))  # every note's guid, in that very commit
    basic = str(note_id_for_guid(sample.basic_guid))
    assert col.setting(GUID_SETTING)[basic] == sample.basic_guid
    assert basic in col.setting(PRINT_SETTING)
    # Again: nothing added, the library and the maps unchanged.
    files, guids, prints = _library(col), col.setting(GUID_SETTING), col.setting(PRINT_SETTING)
    again = col.import_path(package)
    assert again.cards_added == 0
    assert _library(col) == files
    assert (col.setting(GUID_SETTING), col.setting(PRINT_SETTING)) == (guids, prints)
    # And from the database, not just the cache.
    col.close()
    reopened = Collection.open(col.data_dir, seed=False)
    try:
        assert reopened.setting(GUID_SETTING) == guids
    finally:
        reopened.close()


def test_reimport_restores_lost_maps_when_nothing_else_changed(
    col: Collection, anki_packages: dict[str, tuple[Path, Sample]]
) -> None:
    package, _sample = anki_packages["anki2"]
    col.import_path(package)
    guids, prints = col.setting(GUID_SETTING), col.setting(PRINT_SETTING)
    col.set_setting(GUID_SETTING, {})  # as an import by an older version that crashed left it
    col.set_setting(PRINT_SETTING, {})
    files = _library(col)
    report = col.import_path(package)
    assert report.cards_added == 0
    assert _library(col) == files
    assert (col.setting(GUID_SETTING), col.setting(PRINT_SETTING)) == (guids, prints)
