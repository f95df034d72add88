"""A deck imported from an Anki collection, studied and edited here, exported and
imported back into that same collection with Anki's default options: Anki updates the
notes instead of calling every one 'conflicting', and adds no note type (no 'Basic+'),
its own templates and CSS kept. The package names each note's type by the Anki note
type it came from (its id, name, mtime, field and template names) where the note's type
here still has that shape. Real anki package, real files."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection as AnkiCollection
from anki.collection import ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageOptions
from anki_factory import export_package
from sample_deck import sql_equals_python

from flashcards import Rating
from flashcards.collection.collection import Collection

MADE = int(datetime(2026, 11, 1, 9, tzinfo=UTC).timestamp())  # the Anki notes' mod
STUDIED = datetime(2026, 11, 10, 9, tzinfo=UTC)
EXPORTED = STUDIED + timedelta(hours=2)
VOCAB_CSS = ".card { font-family: 'Noto Serif'; color: #123456; }"


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    collection = Collection.open(tmp_path / "data", seed=False)
    yield collection
    collection.close()


def _vocab(anki: AnkiCollection) -> dict[str, Any]:
    """A custom note type: three fields, two templates, its own CSS."""
    mm = anki.models
    model = mm.new("Vocab")
    for name in ("Word", "Meaning", "Example"):
        mm.add_field(model, mm.new_field(name))
    for name, q, a in (
        ("Recognize", "{{Word}}", "{{FrontSide}}<hr id=answer>{{Meaning}}<br>{{Example}}"),
        ("Recall", "{{Meaning}}", "{{FrontSide}}<hr id=answer>{{Word}}"),
    ):
        template = mm.new_template(name)
        template["qfmt"], template["afmt"] = q, a
        mm.add_template(model, template)
    model["css"] = VOCAB_CSS
    mm.add(model)
    return mm.by_name("Vocab")


def _renamed_basic(anki: AnkiCollection) -> dict[str, Any]:
    """Anki's Basic with its fields renamed, as a French user has it."""
    mm = anki.models
    model = mm.copy(mm.by_name("Basic"))
    model["name"] = "Vocabulaire"
    mm.rename_field(model, model["flds"][0], "Question")
    mm.rename_field(model, model["flds"][1], "Réponse")
    mm.save(model)
    return mm.by_name("Vocabulaire")


NOTES: list[tuple[str, dict[str, str]]] = [
    ("Basic", {"Front": "capital of France", "Back": "Paris"}),
    ("Cloze", {"Text": "{{c1::Rome}} is in Italy"}),
    ("Basic (and reversed card)", {"Front": "chien", "Back": "dog"}),
    ("Vocab", {"Word": "Haus", "Meaning": "house", "Example": "Das Haus ist alt."}),
    ("Vocabulaire", {"Question": "capital of Spain", "Réponse": "Madrid"}),
]


def _notetypes(anki: AnkiCollection) -> dict[int, tuple[Any, ...]]:
    """Every Anki note type as the user sees it: name, mtime, fields, templates, CSS."""
    return {
        m["id"]: (
            m["name"],
            m["mod"],
            [f["name"] for f in m["flds"]],
            [(t["name"], t["qfmt"], t["afmt"]) for t in m["tmpls"]],
            m["css"],
        )
        for m in anki.models.all()
    }


@pytest.fixture(params=[True, False], ids=["legacy", "anki21b"])
def anki_collection(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[Path, Path]:
    """(the user's Anki collection, the .apkg of its deck Geo in either layout)."""
    (tmp_path / "anki").mkdir()
    path = tmp_path / "anki" / "collection.anki2"
    anki = AnkiCollection(str(path))
    _vocab(anki)
    _renamed_basic(anki)
    for model, fields in NOTES:
        note = anki.new_note(anki.models.by_name(model))
        for name, value in fields.items():
            note[name] = value
        anki.add_note(note, anki.decks.id("Geo"))
    anki.db.execute("UPDATE notes SET mod = ?", MADE)  # made before the studying here
    package = tmp_path / "geo.apkg"
    export_package(anki, package, layout="anki21" if request.param else "anki21b")
    anki.close()
    return path, package


def _study_and_edit(col: Collection, package: Path) -> None:
    col.import_path(package)
    at = STUDIED
    while (card := col.next_card("Geo", now=at)) is not None:
        col.answer(card.id, Rating.GOOD, now=at, duration_ms=3000)
        at += timedelta(seconds=10)
    deck = col.library / "geo.md"
    text = deck.read_text(encoding="utf-8")
    assert text.count("Paris\n") == 1 and text.count("house\n") == 1
    text = text.replace("Paris\n", "Paris (Île-de-France)\n").replace("house\n", "the house\n")
    deck.write_text(text.replace("Madrid", "Madrid (capital)"), encoding="utf-8")
    col.sync()


def _import_back(anki_path: Path, package: Path) -> tuple[AnkiCollection, Any]:
    anki = AnkiCollection(str(anki_path))
    result = anki.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(package),
            options=ImportAnkiPackageOptions(with_scheduling=True),  # Anki's defaults
        )
    )
    return anki, result


def _field(anki: AnkiCollection, search: str, name: str) -> str:
    (nid,) = anki.find_notes(search)
    return str(anki.get_note(nid)[name])


def test_edits_go_back_to_the_anki_collection_they_came_from(
    col: Collection, anki_collection: tuple[Path, Path], tmp_path: Path
) -> None:
    anki_path, package = anki_collection
    anki = AnkiCollection(str(anki_path))
    before = _notetypes(anki)
    anki.close()
    _study_and_edit(col, package)
    out = tmp_path / "out"
    out.mkdir()
    sql_equals_python(col, out, now=EXPORTED)  # both ways write the same package
    anki, result = _import_back(anki_path, out / "sql.apkg")
    try:
        log = result.log
        assert (len(log.conflicting), len(log.new)) == (0, 0)
        # The three edited here are newer; the two others go with the Anki mod they came
        # with, the same copy Anki has (test_export_keeps_anki_mod.py).
        assert len(log.updated) == 3 and len(log.duplicate) == len(NOTES) - 3
        assert _field(anki, '"capital of France"', "Back") == "Paris (Île-de-France)"
        assert _field(anki, "Haus", "Meaning") == "the house"
        assert _field(anki, '"capital of Spain"', "Réponse") == "Madrid (capital)"
        assert _notetypes(anki) == before  # none added, none changed (templates, CSS)
        assert anki.card_count() == 7  # the notes' own cards, none added
    finally:
        anki.close()


def test_the_package_names_the_anki_note_types_and_works_elsewhere(
    col: Collection, anki_collection: tuple[Path, Path], tmp_path: Path
) -> None:
    """The package's note types carry the Anki ids, names and mtimes, and the renamed
    fields (Question/Réponse) with templates that name them: a fresh Anki collection
    shows the cards."""
    anki_path, package = anki_collection
    anki = AnkiCollection(str(anki_path))
    before = _notetypes(anki)
    anki.close()
    _study_and_edit(col, package)
    back = tmp_path / "back.apkg"
    col.export("Geo", back, now=EXPORTED)
    with zipfile.ZipFile(back) as z:
        (tmp_path / "back.anki21").write_bytes(z.read("collection.anki21"))
    with sqlite3.connect(tmp_path / "back.anki21") as db:
        (models,) = db.execute("SELECT models FROM col").fetchone()
    sent = {m["id"]: m for m in json.loads(models).values()}
    for mid, (name, mod, fields, _templates, _css) in before.items():
        if name in dict(NOTES):
            assert sent[mid]["name"] == name and sent[mid]["mod"] == mod
            assert [f["name"] for f in sent[mid]["flds"]] == fields
    (tmp_path / "fresh").mkdir()
    fresh = AnkiCollection(str(tmp_path / "fresh" / "collection.anki2"))
    try:
        fresh.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(back), options=ImportAnkiPackageOptions(with_scheduling=True)
            )
        )
        (cid,) = fresh.find_cards('"capital of Spain"')
        card = fresh.get_card(cid)
        assert "capital of Spain" in card.question()
        assert "Madrid (capital)" in card.answer()
    finally:
        fresh.close()


def test_a_note_type_changed_here_goes_as_a_new_one(
    col: Collection, anki_collection: tuple[Path, Path], tmp_path: Path
) -> None:
    """A declared note type given another field here no longer fits Anki's: its notes go
    with a note type of their own (as before), the others still update in place."""
    anki_path, package = anki_collection
    _study_and_edit(col, package)
    deck = col.library / "geo.md"
    text = deck.read_text(encoding="utf-8")
    text = text.replace("    - Example\n", "    - Example\n    - Notes\n", 1)
    deck.write_text(text, encoding="utf-8")
    col.sync()
    back = tmp_path / "back.apkg"
    col.export("Geo", back, now=EXPORTED)
    anki, result = _import_back(anki_path, back)
    try:
        assert len(result.log.updated) == 2  # the edited ones but Haus
        assert [n.fields[0] for n in result.log.conflicting] == ["Haus"]
        assert _field(anki, '"capital of France"', "Back") == "Paris (Île-de-France)"
        assert [f["name"] for f in anki.models.by_name("Vocab")["flds"]] == [
            "Word",
            "Meaning",
            "Example",
        ]
    finally:
        anki.close()
