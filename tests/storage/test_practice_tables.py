"""Schema v6: practice exams' sittings and answers; a v5 file upgrades."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import delete, func, insert, select, text

from flashcards.storage import models as m
from flashcards.storage.engine import DB_NAME, Database
from flashcards.storage.migrations import SCHEMA_VERSION

SITTING = {
    "profile_key": "aws-ml-specialty",
    "exam": "MLS-C01",
    "started": 1_772_460_000,
    "limit_seconds": 10_800,
    "seed": (1 << 63) - 1,  # the largest seed a sitting keeps
    "score_min": 100,
    "score_max": 1000,
    "pass_mark": 750,
    "pass_share": 650 / 900,
}


def test_a_sitting_and_its_answers_round_trip_and_go_together(tmp_path: Path) -> None:
    db = Database(tmp_path)
    try:
        with db.session() as s:
            sitting_id = s.execute(
                insert(m.PracticeSitting).values(**SITTING).returning(m.PracticeSitting.id)
            ).scalar_one()
            s.execute(
                insert(m.PracticeAnswer),
                [
                    {
                        "sitting_id": sitting_id,
                        "position": i,
                        "card_id": f"card{i}",
                        "domain": "Modeling",
                        "choice_order": "[2, 0, 1]",
                        "correct": "[1]",
                    }
                    for i in range(3)
                ],
            )
        with db.read() as s:
            row = s.execute(select(m.PracticeSitting)).scalar_one()
            assert (row.seed, row.finished, row.used_seconds, row.current) == (
                SITTING["seed"],
                None,
                0.0,
                0,
            )
            answer = s.execute(select(m.PracticeAnswer).limit(1)).scalar_one()
            assert (answer.picked, answer.flagged, answer.seconds) == (None, False, 0.0)
        with db.session() as s:  # answers go with their sitting (foreign keys are on)
            s.execute(delete(m.PracticeSitting))
        with db.read() as s:
            assert s.execute(select(func.count()).select_from(m.PracticeAnswer)).scalar() == 0
    finally:
        db.close()


def test_version_5_files_gain_the_practice_tables(tmp_path: Path) -> None:
    Database(tmp_path).close()
    with sqlite3.connect(tmp_path / DB_NAME) as raw:  # make it look like a version-5 file
        raw.execute("DROP TABLE practice_answers")
        raw.execute("DROP TABLE practice_sittings")
        raw.execute("UPDATE schema_version SET version = 5")
    db = Database(tmp_path)
    try:
        assert db.previous_version == 5
        assert (tmp_path / f"{DB_NAME}.bak-v5").is_file()
        with db.session() as s:
            assert s.execute(text("SELECT version FROM schema_version")).scalar() == SCHEMA_VERSION
            s.execute(insert(m.PracticeSitting).values(**SITTING))
        with db.read() as s:
            assert s.execute(select(func.count()).select_from(m.PracticeSitting)).scalar() == 1
            indexes = {r[1] for r in s.execute(text("PRAGMA index_list(practice_sittings)"))}
            assert "ix_practice_sittings_profile" in indexes
    finally:
        db.close()
