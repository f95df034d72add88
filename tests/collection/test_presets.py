"""Presets: create, rename, delete; which decks use each; names stay unique."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from col_helpers import T0, deck_text, note, write

from flashcards.core.errors import FlashcardsError
from flashcards.core.scheduling import Preset


def setup_decks(data_dir: Path) -> None:
    write(data_dir / "decks" / "exam" / "data.md", deck_text(note("D1", "d", nid="data01")))
    write(data_dir / "decks" / "exam" / "model.md", deck_text(note("M1", "m", nid="mode01")))


def test_deck_presets_follow_assignments(data_dir: Path, open_col) -> None:
    setup_decks(data_dir)
    col = open_col()
    assert [(d.key, d.preset_id) for d in col.deck_presets()] == [
        ("exam/data.md", 1),
        ("exam/model.md", 1),
    ]
    cram = col.save_preset(Preset(name="Cram", new_per_day=50))
    col.set_deck_preset("exam/model.md", cram)
    assert {d.key: d.preset_id for d in col.deck_presets()} == {
        "exam/data.md": 1,
        "exam/model.md": cram,
    }
    assert col.preset_for("exam/model.md").new_per_day == 50


def test_deleting_a_preset_moves_its_decks_to_the_default(data_dir: Path, open_col) -> None:
    setup_decks(data_dir)
    col = open_col()
    cram = col.save_preset(Preset(name="Cram", new_per_day=50))
    col.set_deck_preset("exam", cram)
    col.delete_preset(cram)
    assert set(col.presets()) == {1}
    assert {d.preset_id for d in col.deck_presets()} == {1}
    assert len(col.queue("exam/data.md", now=T0)) == 1


def test_the_default_preset_cannot_be_deleted(data_dir: Path, open_col) -> None:
    col = open_col()
    with pytest.raises(FlashcardsError, match="default preset"):
        col.delete_preset(1)
    assert set(col.presets()) == {1}


def test_preset_names_are_unique_but_a_preset_keeps_its_own(data_dir: Path, open_col) -> None:
    col = open_col()
    cram = col.save_preset(Preset(name="Cram"))
    with pytest.raises(FlashcardsError, match="already a preset called 'default'"):
        col.save_preset(Preset(name="default"))
    col.save_preset(replace(col.presets()[cram], new_per_day=5), preset_id=cram)  # same name
    col.save_preset(replace(col.presets()[cram], name="Exam week"), preset_id=cram)  # rename
    assert sorted(p.name for p in col.presets().values()) == ["Default", "Exam week"]
