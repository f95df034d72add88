"""Schema v4: presets keep their new-card gather and sort orders; a v3 file upgrades."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import insert, select, text

from flashcards.core.queue_order import NewGather, NewSort
from flashcards.core.scheduling import Preset
from flashcards.storage import models as m
from flashcards.storage.convert import preset_columns, preset_of
from flashcards.storage.engine import DB_NAME, Database
from flashcards.storage.migrations import SCHEMA_VERSION


def _read(row: m.Preset) -> Preset:
    return preset_of(
        name=row.name,
        desired_retention=row.desired_retention,
        learning_steps=row.learning_steps,
        relearning_steps=row.relearning_steps,
        maximum_interval=row.maximum_interval,
        enable_fuzzing=row.enable_fuzzing,
        new_per_day=row.new_per_day,
        reviews_per_day=row.reviews_per_day,
        parameters=row.parameters,
        new_gather=row.new_gather,
        new_sort=row.new_sort,
    )


def test_orders_round_trip_through_the_presets_table(tmp_path: Path) -> None:
    db = Database(tmp_path)
    try:
        chosen = Preset(name="Shuffled", new_gather=NewGather.RANDOM, new_sort=NewSort.RANDOM)
        with db.session() as s:
            s.execute(insert(m.Preset).values(**preset_columns(chosen)))
        with db.read() as s:
            row = s.execute(select(m.Preset).where(m.Preset.name == "Shuffled")).scalar_one()
            assert (row.new_gather, row.new_sort) == ("random", "random")
            assert _read(row) == chosen
    finally:
        db.close()


def test_an_order_this_version_does_not_know_reads_as_the_default(tmp_path: Path) -> None:
    db = Database(tmp_path)
    try:
        with db.session() as s:
            values = preset_columns(Preset(name="Future"))
            values |= {"new_gather": "spiral", "new_sort": "sideways"}
            s.execute(insert(m.Preset).values(**values))
        with db.read() as s:
            row = s.execute(select(m.Preset).where(m.Preset.name == "Future")).scalar_one()
            preset = _read(row)
        assert (preset.new_gather, preset.new_sort) == (NewGather.DOMAINS, NewSort.INTERLEAVED)
    finally:
        db.close()


def test_version_3_presets_gain_the_default_orders(tmp_path: Path) -> None:
    Database(tmp_path).close()
    with sqlite3.connect(tmp_path / DB_NAME) as raw:  # make it look like a version-3 file
        raw.execute("ALTER TABLE presets DROP COLUMN new_gather")
        raw.execute("ALTER TABLE presets DROP COLUMN new_sort")
        raw.execute("INSERT INTO presets (name) VALUES ('Old')")
        raw.execute("UPDATE schema_version SET version = 3")
    db = Database(tmp_path)
    try:
        assert db.previous_version == 3
        assert (tmp_path / f"{DB_NAME}.bak-v3").is_file()
        with db.read() as s:
            assert s.execute(text("SELECT version FROM schema_version")).scalar() == SCHEMA_VERSION
            row = s.execute(select(m.Preset).where(m.Preset.name == "Old")).scalar_one()
            assert (row.new_gather, row.new_sort) == ("domains", "interleaved")
    finally:
        db.close()
