"""Schema v5: presets keep the leech threshold and action, load balancing and easy days;
a v4 file upgrades with Anki's defaults."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text

from flashcards.core.leeches import LeechAction
from flashcards.core.load_balance import EasyDay
from flashcards.core.scheduling import Preset, PresetError
from flashcards.storage import models as m
from flashcards.storage.convert import preset_columns, preset_of
from flashcards.storage.engine import DB_NAME, Database
from flashcards.storage.migrations import SCHEMA_VERSION

V5_COLUMNS = ("leech_threshold", "leech_action", "load_balancing", "easy_days")


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
        leech_threshold=row.leech_threshold,
        leech_action=row.leech_action,
        load_balancing=row.load_balancing,
        easy_days=row.easy_days,
    )


def test_leech_and_balancing_options_round_trip(tmp_path: Path) -> None:
    week = (EasyDay.NORMAL,) * 5 + (EasyDay.REDUCED, EasyDay.MINIMUM)
    chosen = Preset(
        name="Weekends off",
        leech_threshold=5,
        leech_action=LeechAction.SUSPEND,
        load_balancing=False,
        easy_days=week,
    )
    db = Database(tmp_path)
    try:
        with db.session() as s:
            s.execute(insert(m.Preset).values(**preset_columns(chosen)))
        with db.read() as s:
            row = s.execute(select(m.Preset).where(m.Preset.name == "Weekends off")).scalar_one()
            assert json.loads(row.easy_days) == [1.0] * 5 + [0.5, 0.0]
            assert (row.leech_threshold, row.leech_action) == (5, "suspend")
            assert _read(row) == chosen
    finally:
        db.close()


def test_version_4_presets_gain_anki_defaults(tmp_path: Path) -> None:
    Database(tmp_path).close()
    with sqlite3.connect(tmp_path / DB_NAME) as raw:  # make it look like a version-4 file
        for column in V5_COLUMNS:
            raw.execute(f"ALTER TABLE presets DROP COLUMN {column}")
        raw.execute("INSERT INTO presets (name, new_per_day) VALUES ('Old', 7)")
        raw.execute("UPDATE schema_version SET version = 4")
    db = Database(tmp_path)
    try:
        assert db.previous_version == 4
        assert (tmp_path / f"{DB_NAME}.bak-v4").is_file()
        with db.read() as s:
            assert s.execute(text("SELECT version FROM schema_version")).scalar() == SCHEMA_VERSION
            row = s.execute(select(m.Preset).where(m.Preset.name == "Old")).scalar_one()
            preset = _read(row)
        assert preset.new_per_day == 7  # what it had is kept
        assert preset.leech_threshold == 8
        assert preset.leech_action is LeechAction.TAG
        assert preset.load_balancing is True
        assert preset.easy_days == (EasyDay.NORMAL,) * 7
    finally:
        db.close()


def test_values_a_newer_version_wrote_read_as_the_defaults(tmp_path: Path) -> None:
    db = Database(tmp_path)
    try:
        with db.session() as s:
            values = preset_columns(Preset(name="Future"))
            values |= {"leech_action": "delete", "easy_days": "[0.25, 1, 1]"}
            s.execute(insert(m.Preset).values(**values))
        with db.read() as s:
            row = s.execute(select(m.Preset).where(m.Preset.name == "Future")).scalar_one()
            preset = _read(row)
        assert preset.leech_action is LeechAction.TAG
        assert preset.easy_days == (EasyDay.NORMAL,) * 7
    finally:
        db.close()


def test_a_preset_with_bad_leech_or_easy_day_values_names_them_all() -> None:
    with pytest.raises(PresetError) as caught:
        Preset(leech_threshold=-1, leech_action="delete", easy_days=(1.0, 0.5))
    message = str(caught.value)
    assert "leech threshold -1" in message
    assert "leech_action 'delete'" in message
    assert "easy days need one value per weekday, not 2" in message
