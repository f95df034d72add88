"""A re-import updates a note only from a newer copy, as Anki's import does: an older
version of a package (an old download) leaves the newer text here, and so does a note
edited here after the package was made. Real Anki packages, real files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from anki.collection import Collection as AnkiCollection
from anki_factory import export_package

from flashcards.collection.collection import Collection
from flashcards.interop.anki_notes import note_id_for_guid

V1 = int(datetime(2026, 10, 1, 9, tzinfo=UTC).timestamp())  # the first version's `mod`
V2 = V1 + 3600  # the author fixes the typo an hour later
ANSWER = int(datetime(2026, 10, 1, 10, tzinfo=UTC).timestamp() * 1000)  # a revlog id
OLDER = "1 note was not updated because the package's copy is older than the one here"


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    collection = Collection.open(tmp_path / "data", seed=False)
    yield collection
    collection.close()


@pytest.fixture
def packages(tmp_path: Path) -> tuple[Path, Path, str]:
    """(v1, v2, note id): v1 holds the typo and an answer; v2, an hour newer, the fix
    and no scheduling (so the answer can only come from v1)."""
    (tmp_path / "anki").mkdir()
    anki = AnkiCollection(str(tmp_path / "anki" / "collection.anki2"))
    note = anki.new_note(anki.models.by_name("Basic"))
    note["Front"] = "boiling point of water"
    note["Back"] = "99 °C (typo)"
    anki.add_note(note, anki.decks.id("Sci"))
    card = note.cards()[0]
    anki.db.execute(
        "INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)", ANSWER, card.id, -1, 3, 1, 0, 2500, 4000, 0
    )
    anki.db.execute("UPDATE notes SET mod = ? WHERE id = ?", V1, note.id)
    v1 = export_package(anki, tmp_path / "deck-v1.apkg", layout="anki21")
    note = anki.get_note(note.id)
    note["Back"] = "100 °C"
    anki.update_note(note)
    anki.db.execute("UPDATE notes SET mod = ? WHERE id = ?", V2, note.id)
    v2 = export_package(anki, tmp_path / "deck-v2.apkg", layout="anki21", scheduling=False)
    anki.close()
    return v1, v2, note_id_for_guid(note.guid)


def _deck(col: Collection) -> Path:
    return col.library / "sci.md"


def test_an_older_package_leaves_the_newer_text_and_brings_its_history(
    col: Collection, packages: tuple[Path, Path, str]
) -> None:
    v1, v2, nid = packages
    col.import_path(v2)
    assert "100 °C" in _deck(col).read_text(encoding="utf-8")
    newer = _deck(col).read_bytes()
    report = col.import_path(v1)
    assert _deck(col).read_bytes() == newer  # the fix stays
    assert OLDER in report.warnings
    assert report.files == () and report.reviews == 1  # v1's answer merges all the same
    assert [e.time for e in col.history(nid)] == [datetime.fromtimestamp(ANSWER / 1000, UTC)]
    again = col.import_path(v1)
    assert _deck(col).read_bytes() == newer and OLDER in again.warnings
    assert again.reviews == 0 and len(col.history(nid)) == 1  # no duplicate
    # v2 again is as old as what is here: the same version, left as it is, said nothing of.
    same = col.import_path(v2)
    assert not any("older" in w for w in same.warnings) and _deck(col).read_bytes() == newer


def test_a_newer_package_updates_the_older_text(
    col: Collection, packages: tuple[Path, Path, str]
) -> None:
    v1, v2, nid = packages
    col.import_path(v1)
    assert "99 °C (typo)" in _deck(col).read_text(encoding="utf-8")
    report = col.import_path(v2)
    text = _deck(col).read_text(encoding="utf-8")
    assert "100 °C" in text and "typo" not in text
    assert report.files == ("sci.md",) and not any("older" in w for w in report.warnings)
    assert len(col.history(nid)) == 1
    # ...and v1 after it changes nothing back.
    assert OLDER in col.import_path(v1).warnings
    assert "100 °C" in _deck(col).read_text(encoding="utf-8")


def test_an_edit_here_outlives_the_same_package_and_an_older_one(
    col: Collection, packages: tuple[Path, Path, str]
) -> None:
    v1, v2, _nid = packages
    col.import_path(v2)
    edited = _deck(col).read_text(encoding="utf-8").replace("100 °C", "100 °C at sea level")
    _deck(col).write_text(edited, encoding="utf-8")
    col.sync()
    col.import_path(v2)
    assert _deck(col).read_text(encoding="utf-8") == edited
    assert OLDER in col.import_path(v1).warnings
    assert _deck(col).read_text(encoding="utf-8") == edited


def _edit_here(col: Collection, old: str, new: str, *, at: int) -> str:
    """Edit the note in its file, the file dated `at` (epoch seconds) as its edit time."""
    text = _deck(col).read_text(encoding="utf-8").replace(old, new)
    _deck(col).write_text(text, encoding="utf-8")
    os.utime(_deck(col), (at, at))
    col.sync()
    return text


def test_an_edit_here_after_the_package_was_made_is_newer_than_it(
    col: Collection, packages: tuple[Path, Path, str]
) -> None:
    v1, v2, _nid = packages
    col.import_path(v1)
    # Edited here after v2 was made: v2's fix is older than the edit, which stays.
    edited = _edit_here(col, "99 °C (typo)", "99.97 °C, edited here", at=V2 + 60)
    report = col.import_path(v2)
    assert _deck(col).read_text(encoding="utf-8") == edited
    assert OLDER in report.warnings


def test_a_package_made_after_the_edit_here_replaces_it(
    col: Collection, packages: tuple[Path, Path, str]
) -> None:
    v1, v2, _nid = packages
    col.import_path(v1)
    # Edited here before the author's fix (v2): the fix is newer and wins, as in Anki.
    _edit_here(col, "99 °C (typo)", "99 °C, edited here", at=V1 + 60)
    report = col.import_path(v2)
    text = _deck(col).read_text(encoding="utf-8")
    assert "100 °C" in text and "edited here" not in text
    assert not any("older" in w for w in report.warnings)
