"""Schema v8: notes rendered as Anki fields, kept by note; a v7 file upgrades."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from flashcards.storage import models as m
from flashcards.storage.engine import DB_NAME, Database
from flashcards.storage.migrations import SCHEMA_VERSION

NOTE = {
    "id": "k3f9q2",
    "deck_id": 1,
    "title": "XGBoost eta",
    "position": 0,
    "line_start": 3,
    "line_end": 5,
}
FIELDS = {
    "note_id": "k3f9q2",
    "content_hash": "ab" * 20,
    "renderer": "1",
    "notetype": "Basic",
    "fields": "<strong>XGBoost eta</strong>\x1fEach tree adds less.",
    "tags": "xgboost boosting",
    "sort_field": "XGBoost eta",
    "checksum": 1234,
    "fingerprint": "0123456789abcdef",
}


def _deck(s: Session) -> None:
    s.execute(insert(m.Preset).values(id=1, name="Default"))
    s.execute(insert(m.Root).values(id=1, path="/lib", label=""))
    s.execute(insert(m.Deck).values(id=1, key="a.md", root_id=1, rel="a.md", name="A", title="A"))


def test_rendered_fields_round_trip_and_go_with_their_note(tmp_path: Path) -> None:
    db = Database(tmp_path)
    try:
        with db.session() as s:
            _deck(s)
            s.execute(insert(m.Note).values(**NOTE))
            s.execute(insert(m.AnkiFields).values(**FIELDS))
        with db.read() as s:
            row = s.execute(select(m.AnkiFields)).scalar_one()
            assert row.fields.split("\x1f") == [
                "<strong>XGBoost eta</strong>",
                "Each tree adds less.",
            ]
            assert (row.content_hash, row.notetype, row.tags) == (
                "ab" * 20,
                "Basic",
                FIELDS["tags"],
            )
        with db.session() as s:  # deleted with the note (foreign keys are on)
            s.execute(delete(m.Note))
        with db.read() as s:
            assert s.execute(select(func.count()).select_from(m.AnkiFields)).scalar() == 0
    finally:
        db.close()


def test_version_7_files_gain_the_table(tmp_path: Path) -> None:
    Database(tmp_path).close()
    with sqlite3.connect(tmp_path / DB_NAME) as raw:  # make it look like a version-7 file
        raw.execute("DROP TABLE anki_fields")
        raw.execute("UPDATE schema_version SET version = 7")
    db = Database(tmp_path)
    try:
        assert db.previous_version == 7
        assert (tmp_path / f"{DB_NAME}.bak-v7").is_file()
        with db.session() as s:
            assert s.execute(text("SELECT version FROM schema_version")).scalar() == SCHEMA_VERSION
            _deck(s)
            s.execute(insert(m.Note).values(**NOTE))
            s.execute(insert(m.AnkiFields).values(**FIELDS))
        with db.read() as s:
            assert s.execute(select(func.count()).select_from(m.AnkiFields)).scalar() == 1
    finally:
        db.close()


def test_version_9_files_gain_the_anki_ids(tmp_path: Path) -> None:
    Database(tmp_path).close()
    with sqlite3.connect(tmp_path / DB_NAME) as raw:  # make it look like a version-9 file
        raw.execute("ALTER TABLE anki_fields DROP COLUMN anki_id")
        raw.execute("ALTER TABLE anki_fields DROP COLUMN card_ids")
        raw.execute("UPDATE schema_version SET version = 9")
    db = Database(tmp_path)
    try:
        assert db.previous_version == 9
        with db.session() as s:
            _deck(s)
            s.execute(insert(m.Note).values(**NOTE))
            s.execute(
                insert(m.AnkiFields).values(**FIELDS, anki_id=7, card_ids=";n1=1000000000001")
            )
        with db.read() as s:
            row = s.execute(select(m.AnkiFields)).scalar_one()
            assert (row.anki_id, row.card_ids) == (7, ";n1=1000000000001")
    finally:
        db.close()
