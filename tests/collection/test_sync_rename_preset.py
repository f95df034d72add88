"""A deck file renamed or moved into a folder keeps its preset (Anki keeps a renamed
deck's options); its notes' ids are how the sync recognises it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from col_helpers import T0
from device_helpers import deliver, make_machine, open_machine

from flashcards.collection import Collection
from flashcards.collection.editing import move_notes
from flashcards.core.model import Rating
from flashcards.core.scheduling import Preset

ALPHA = "---\ntitle: Alpha\n---\n\n## One {#aaa001}\nOne.\n\n## Two {#aaa002}\nTwo.\n"
BETA = "---\ntitle: Beta\n---\n\n## Other {#bbb001}\nOther.\n"


def _setup(data_dir: Path, open_col: Callable[..., Collection]) -> tuple[Collection, int]:
    (data_dir / "decks" / "alpha.md").write_text(ALPHA, encoding="utf-8")
    (data_dir / "decks" / "beta.md").write_text(BETA, encoding="utf-8")
    col = open_col()
    cram = col.save_preset(Preset(name="Cram", new_per_day=60))
    col.set_deck_preset("alpha.md", cram)
    col.answer("aaa001", Rating.GOOD, now=T0)
    return col, cram


def _presets(col: Collection) -> dict[str, int]:
    return {d.key: d.preset_id for d in col.deck_presets()}


def test_a_renamed_deck_file_keeps_its_preset(
    data_dir: Path, open_col: Callable[..., Collection]
) -> None:
    col, cram = _setup(data_dir, open_col)
    lib = data_dir / "decks"
    os.rename(lib / "alpha.md", lib / "alpha-deck.md")
    col.sync()
    assert _presets(col) == {"alpha-deck.md": cram, "beta.md": 1}
    assert col.preset_for("alpha-deck.md").new_per_day == 60
    assert col.card("aaa001").reps == 1
    (lib / "exam").mkdir()
    os.rename(lib / "alpha-deck.md", lib / "exam" / "alpha.md")  # into a folder
    col.sync()
    assert _presets(col) == {"exam/alpha.md": cram, "beta.md": 1}


def test_a_deck_deleted_in_one_sync_and_back_under_a_new_name_in_the_next_keeps_it(
    data_dir: Path, open_col: Callable[..., Collection]
) -> None:
    col, cram = _setup(data_dir, open_col)
    lib = data_dir / "decks"
    (lib / "alpha.md").unlink()
    col.sync()
    (lib / "renamed.md").write_text(ALPHA, encoding="utf-8")
    col.sync()
    assert _presets(col) == {"renamed.md": cram, "beta.md": 1}


def test_notes_moved_into_a_deck_still_there_do_not_carry_a_preset(
    data_dir: Path, open_col: Callable[..., Collection]
) -> None:
    col, cram = _setup(data_dir, open_col)
    lib = data_dir / "decks"
    move_notes(col, ["aaa001"], "beta.md")  # Beta keeps its own (the default)
    assert _presets(col) == {"alpha.md": cram, "beta.md": 1}
    # A new deck made of notes from two decks, both gone: no single deck to follow.
    text = ALPHA.replace("## One {#aaa001}\nOne.\n\n", "") + "\n## Other {#bbb001}\nOther.\n"
    (lib / "alpha.md").unlink()
    (lib / "beta.md").unlink()
    (lib / "mixed.md").write_text(text, encoding="utf-8")
    col.sync()
    assert _presets(col) == {"mixed.md": 1}
    # A deck that has a preset of its own keeps it.
    (lib / "mixed.md").unlink()
    (lib / "beta.md").write_text(BETA, encoding="utf-8")
    col.sync()
    own = col.save_preset(Preset(name="Own", new_per_day=5))
    col.set_deck_preset("beta.md", own)
    (lib / "beta.md").unlink()
    (lib / "alpha.md").write_text(BETA.replace("Beta", "Alpha"), encoding="utf-8")
    col.sync()
    assert _presets(col) == {"alpha.md": cram}


def test_the_carried_preset_reaches_a_machine_that_renamed_before_it_learnt_the_preset(
    tmp_path: Path,
) -> None:
    laptop, desktop = make_machine(tmp_path, "laptop"), make_machine(tmp_path, "desktop")
    a, b = open_machine(laptop), open_machine(desktop)
    try:
        cram = a.save_preset(Preset(name="Cram", new_per_day=60))
        a.set_deck_preset("sync.md", cram)
        os.rename(laptop / "decks" / "sync.md", laptop / "decks" / "renamed.md")
        a.sync(now=T0)
        assert a.preset_for("renamed.md").name == "Cram"
        # The desktop gets the renamed file first (on the default preset there) ...
        os.rename(desktop / "decks" / "sync.md", desktop / "decks" / "renamed.md")
        b.sync(now=T0)
        assert b.preset_for("renamed.md").name == "Default"
        deliver(laptop, desktop)  # ... then the laptop's log
        b.sync(now=T0)
        assert b.preset_for("renamed.md").name == "Cram"
    finally:
        a.close()
        b.close()
