"""A deck imported from an Anki collection goes back to it without undoing edits made in
Anki since: Anki's import replaces a note only with a newer copy, so a note still as the
import wrote it goes with the Anki `mod` it came with, a note edited here with the time
of that edit (its deck file's modification time), a note made here with the export's
time. Real anki package, real files; both ways of writing the package."""

from __future__ import annotations

import os
import sqlite3
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from anki.collection import Collection as AnkiCollection
from anki.collection import ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageOptions
from anki_factory import export_package
from sample_deck import sql_equals_python

from flashcards.collection.collection import Collection

MADE = int(datetime(2026, 11, 1, 9, tzinfo=UTC).timestamp())  # the Anki notes' mod
EDITED_HERE = int(datetime(2026, 11, 5, 9, tzinfo=UTC).timestamp())  # the deck file's mtime
NOTES = {
    "edited here": "Paris",
    "edited in Anki": "Rome",
    "edited in both": "Madrid",
    "untouched": "Berlin",
}


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    collection = Collection.open(tmp_path / "data", seed=False)
    yield collection
    collection.close()


def _anki_collection(tmp_path: Path) -> tuple[Path, Path]:
    """(the user's Anki collection of the four Basic notes, an .apkg of its deck Geo)."""
    (tmp_path / "anki").mkdir()
    path = tmp_path / "anki" / "collection.anki2"
    anki = AnkiCollection(str(path))
    for front, back in NOTES.items():
        note = anki.new_note(anki.models.by_name("Basic"))
        note["Front"], note["Back"] = front, back
        anki.add_note(note, anki.decks.id("Geo"))
    anki.db.execute("UPDATE notes SET mod = ?", MADE)
    package = tmp_path / "geo.apkg"
    export_package(anki, package, layout="anki21b")
    anki.close()
    return path, package


def _edit_in_anki(anki_path: Path, at: int) -> None:
    """Two notes edited in Anki at `at` (after the import here)."""
    anki = AnkiCollection(str(anki_path))
    try:
        for front in ("edited in Anki", "edited in both"):
            (nid,) = anki.find_notes(f'"front:{front}"')
            note = anki.get_note(nid)
            note["Back"] = f"{NOTES[front]} (Anki)"
            anki.update_note(note)
            anki.db.execute("UPDATE notes SET mod = ? WHERE id = ?", at, nid)
    finally:
        anki.close()


def _backs(anki: AnkiCollection) -> dict[str, str]:
    return {anki.get_note(nid)["Front"]: anki.get_note(nid)["Back"] for nid in anki.find_notes("")}


def _mods(package: Path, tmp_path: Path) -> dict[str, int]:
    """The package's notes' mod, by front."""
    db_file = tmp_path / "mods.anki21"
    with zipfile.ZipFile(package) as z:
        db_file.write_bytes(z.read("collection.anki21"))
    with sqlite3.connect(db_file) as db:
        rows = db.execute("SELECT flds, mod FROM notes").fetchall()
    db.close()
    db_file.unlink()
    return {flds.split("\x1f")[0]: mod for flds, mod in rows}


def test_an_edit_made_in_anki_since_the_import_survives_the_export_back(
    col: Collection, tmp_path: Path
) -> None:
    anki_path, package = _anki_collection(tmp_path)
    col.import_path(package)
    deck = col.library / "geo.md"
    text = deck.read_text(encoding="utf-8")
    for front in ("edited here", "edited in both"):
        back = NOTES[front]
        assert text.count(f"{back}\n") == 1
        text = text.replace(f"{back}\n", f"{back} (here)\n")
    deck.write_text(text + "\n## made here\nLisbon\n", encoding="utf-8")
    os.utime(deck, (EDITED_HERE, EDITED_HERE))
    col.sync()
    # The times as this process reads them (under faketime, file times shift too).
    edited = int(deck.stat().st_mtime)
    in_anki = edited + 3600  # Anki's edits come after the one here
    exported = in_anki + 3600
    _edit_in_anki(anki_path, in_anki)

    out = tmp_path / "out"
    out.mkdir()
    sql_equals_python(col, out, "Geo", now=datetime.fromtimestamp(exported, UTC))

    anki = AnkiCollection(str(anki_path))
    try:
        result = anki.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(out / "sql.apkg"),
                options=ImportAnkiPackageOptions(with_scheduling=True),  # Anki's defaults
            )
        )
        assert [n.fields[0] for n in result.log.updated] == ["edited here"]
        assert [n.fields[0] for n in result.log.new] == ["made here"]
        assert _backs(anki) == {
            "edited here": "Paris (here)",
            "edited in Anki": "Rome (Anki)",  # the export's copy is the older one
            "edited in both": "Madrid (Anki)",  # Anki's edit is the later one
            "untouched": "Berlin",
            "made here": "Lisbon",
        }
    finally:
        anki.close()
    # Unchanged: the Anki mod; edited here: the deck file's time; made here: the export's.
    assert _mods(out / "sql.apkg", tmp_path) == {
        "edited here": edited,
        "edited in Anki": MADE,
        "edited in both": edited,
        "untouched": MADE,
        "made here": exported,
    }


def test_a_note_edited_here_with_an_older_file_time_still_goes_as_newer(
    col: Collection, tmp_path: Path
) -> None:
    """A deck file whose time is older than the Anki copy (copied with its time kept):
    an edit here still replaces the copy it was made from."""
    anki_path, package = _anki_collection(tmp_path)
    col.import_path(package)
    deck = col.library / "geo.md"
    text = deck.read_text(encoding="utf-8").replace("Paris\n", "Paris (here)\n")
    deck.write_text(text, encoding="utf-8")
    os.utime(deck, (MADE - 86400, MADE - 86400))
    col.sync()
    out = tmp_path / "out"
    out.mkdir()
    now = datetime.fromtimestamp(MADE + 7 * 86400, UTC)
    sql_equals_python(col, out, "Geo", now=now)
    assert _mods(out / "sql.apkg", tmp_path)["edited here"] == MADE + 1
    anki = AnkiCollection(str(anki_path))
    try:
        anki.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(out / "sql.apkg"),
                options=ImportAnkiPackageOptions(with_scheduling=True),
            )
        )
        assert _backs(anki)["edited here"] == "Paris (here)"
        assert _backs(anki)["untouched"] == "Berlin"
    finally:
        anki.close()


def test_later_exports_follow_each_edit_and_its_undoing(col: Collection, tmp_path: Path) -> None:
    """An export remembers the digests of an unchanged deck file's notes (a later export
    reads them, not the notes' lines): an edit here since, and the edit undone, still
    give the note its file's time and then the Anki `mod` again."""
    _, package = _anki_collection(tmp_path)
    col.import_path(package)
    deck = col.library / "geo.md"
    imported = deck.read_text(encoding="utf-8")
    now = datetime.fromtimestamp(MADE + 30 * 86400, UTC)

    def mods(name: str) -> dict[str, int]:
        col.export("Geo", tmp_path / f"{name}.apkg", now=now)  # (it syncs first)
        return _mods(tmp_path / f"{name}.apkg", tmp_path)

    assert set(mods("first").values()) == {MADE}
    assert set(mods("again").values()) == {MADE}
    deck.write_text(imported.replace("Berlin\n", "Berlin (here)\n"), encoding="utf-8")
    os.utime(deck, (EDITED_HERE, EDITED_HERE))
    edited = int(deck.stat().st_mtime)  # (under faketime, file times shift too)
    assert mods("edited") == {**dict.fromkeys(NOTES, MADE), "untouched": edited}
    deck.write_text(imported, encoding="utf-8")
    assert set(mods("undone").values()) == {MADE}
    out = tmp_path / "both"
    out.mkdir()
    sql_equals_python(col, out, "Geo", now=now)
