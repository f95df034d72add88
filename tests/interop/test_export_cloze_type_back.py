"""A cloze note type with fields of its own (a copy of Cloze with Source and Mnemonic, as
users make them) goes back to the Anki collection it came from as that note type: the
notes, studied in Anki and here, one edited here (a cloze added), update in place — the
same note ids and note type, each field in its own, no note type added, no duplicates.
Real anki package, real files."""

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
from anki.scheduler_pb2 import CardAnswer
from anki_factory import export_package
from sample_deck import sql_equals_python

from flashcards import Rating
from flashcards.collection.collection import Collection
from flashcards.interop.export_notes import stable_int

MADE = int(datetime(2026, 11, 1, 9, tzinfo=UTC).timestamp())  # the Anki notes' mod
STUDIED = datetime(2026, 11, 10, 9, tzinfo=UTC)
EXPORTED = STUDIED + timedelta(hours=2)
FIELDS = ("Text", "Back Extra", "Source", "Mnemonic")
NOTES: list[tuple[str, ...]] = [
    ("{{c1::Paris}} is the capital of {{c2::France}}", "Big city", "Wikipedia", ""),
    ("{{c1::Rome}} is in Italy", "", "Atlas", "<b>SPQR</b>"),
    ("{{c1::H2O}} is water", "Chemistry", "Textbook", "wet"),
]


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    collection = Collection.open(tmp_path / "data", seed=False)
    yield collection
    collection.close()


def _cloze_plus(anki: AnkiCollection) -> dict[str, Any]:
    """Anki's Cloze copied as "Cloze+", two fields added, shown on the back."""
    mm = anki.models
    model = mm.copy(mm.by_name("Cloze"))
    model["name"] = "Cloze+"
    for name in FIELDS[2:]:
        mm.add_field(model, mm.new_field(name))
    model["tmpls"][0]["afmt"] += "<br>{{Source}}<br>{{Mnemonic}}"
    mm.save(model)
    return mm.by_name("Cloze+")


def _state(anki: AnkiCollection) -> dict[str, Any]:
    """What must not change but for the edits: notes (id, note type), note types, cards."""
    return {
        "notes": sorted(anki.db.list("SELECT id || ':' || mid FROM notes")),
        "notetypes": {
            m["id"]: (m["name"], m["mod"], [f["name"] for f in m["flds"]], m["tmpls"][0]["afmt"])
            for m in anki.models.all()
        },
        "cards": sorted(tuple(row) for row in anki.db.all("SELECT id, nid, ord FROM cards")),
    }


@pytest.fixture(params=[True, False], ids=["legacy", "anki21b"])
def anki_collection(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[Path, Path]:
    """(the user's Anki collection, the .apkg of its deck Geo), the notes studied there."""
    (tmp_path / "anki").mkdir()
    path = tmp_path / "anki" / "collection.anki2"
    anki = AnkiCollection(str(path))
    model = _cloze_plus(anki)
    for values in NOTES:
        note = anki.new_note(model)
        for name, value in zip(FIELDS, values, strict=True):
            note[name] = value
        anki.add_note(note, anki.decks.id("Geo"))
    stock = anki.new_note(anki.models.by_name("Cloze"))
    stock["Text"] = "{{c1::Madrid}} is in Spain"
    anki.add_note(stock, anki.decks.id("Geo"))
    for cid in anki.find_cards("Paris"):
        card = anki.get_card(cid)
        card.start_timer()
        states = anki._backend.get_scheduling_states(card.id)
        anki.sched.answer_card(
            anki.sched.build_answer(card=card, states=states, rating=CardAnswer.GOOD)
        )
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
    assert text.count("{{c2::France}}") == 1 and text.count("Chemistry") == 1
    text = text.replace("{{c2::France}}", "{{c2::France}} on the {{c3::Seine}}")
    deck.write_text(text.replace("Chemistry", "Chemistry, edited here"), encoding="utf-8")
    col.sync()


def _fields(anki: AnkiCollection, search: str) -> tuple[str, ...]:
    (nid,) = anki.find_notes(search)
    return tuple(anki.get_note(nid).fields)


def test_a_custom_cloze_type_goes_back_as_itself(
    col: Collection, anki_collection: tuple[Path, Path], tmp_path: Path
) -> None:
    anki_path, package = anki_collection
    anki = AnkiCollection(str(anki_path))
    before = _state(anki)
    reviews = anki.db.scalar("SELECT count() FROM revlog")
    anki.close()
    _study_and_edit(col, package)
    out = tmp_path / "out"
    out.mkdir()
    _, sql, python = sql_equals_python(col, out, now=EXPORTED)  # both ways, one package
    assert sql.fingerprints == python.fingerprints
    anki = AnkiCollection(str(anki_path))
    try:
        result = anki.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(out / "sql.apkg"),
                options=ImportAnkiPackageOptions(with_scheduling=True),  # Anki's defaults
            )
        )
        log = result.log
        assert (len(log.conflicting), len(log.new)) == (0, 0)
        assert len(log.updated) == 2  # the two edited here; the others as Anki has them
        after = _state(anki)
        assert after["notes"] == before["notes"]  # the same notes, of the same note types
        assert after["notetypes"] == before["notetypes"]  # none added, none changed
        # Each field in its own field; the edited ones show their edits.
        assert _fields(anki, "Seine") == (
            "{{c1::Paris}} is the capital of {{c2::France}} on the {{c3::Seine}}",
            "Big city",
            "Wikipedia",
            "",
        )
        assert _fields(anki, "Rome") == (NOTES[1][0], "", "Atlas", "<b>SPQR</b>")
        # A back edited here holds what the fields after the text made: it goes whole.
        assert _fields(anki, "H2O") == (
            NOTES[2][0],
            "<p>Chemistry, edited here</p>\n<p>Textbook</p>\n<p>wet</p>",
            "",
            "",
        )
        assert _fields(anki, "Madrid") == ("{{c1::Madrid}} is in Spain", "")
        # The cloze added here is a card of the note (its ordinal 2), the others kept.
        added = set(after["cards"]) - set(before["cards"])
        assert {(nid, ord_) for _, nid, ord_ in added} == {(anki.find_notes("Seine")[0], 2)}
        assert set(before["cards"]) <= set(after["cards"])
        # Anki keeps its own cards' scheduling and history (the two Paris reviews).
        assert anki.db.scalar("SELECT count() FROM revlog") == reviews == 2
        (seine,) = anki.find_cards("Seine card:3")
        assert 'data-ordinal="3">[...]</span>' in anki.get_card(seine).question()
    finally:
        anki.close()


def test_the_package_names_the_cloze_type_and_works_elsewhere(
    col: Collection, anki_collection: tuple[Path, Path], tmp_path: Path
) -> None:
    """The package's note type carries Cloze+'s id, name, mtime and fields, kind cloze; a
    fresh Anki collection shows the extra fields on the back."""
    anki_path, package = anki_collection
    anki = AnkiCollection(str(anki_path))
    plus = anki.models.by_name("Cloze+")
    anki.close()
    _study_and_edit(col, package)
    back = tmp_path / "back.apkg"
    col.export("Geo", back, now=EXPORTED)
    with zipfile.ZipFile(back) as z:
        (tmp_path / "back.anki21").write_bytes(z.read("collection.anki21"))
    with sqlite3.connect(tmp_path / "back.anki21") as db:
        (models,) = db.execute("SELECT models FROM col").fetchone()
        mids = {mid for (mid,) in db.execute("SELECT mid FROM notes")}
    sent = {m["id"]: m for m in json.loads(models).values()}[plus["id"]]
    assert (sent["name"], sent["mod"], sent["type"]) == ("Cloze+", plus["mod"], 1)
    assert [f["name"] for f in sent["flds"]] == list(FIELDS)
    assert len(mids) == 2  # Cloze+ and the stock Cloze
    (tmp_path / "fresh").mkdir()
    fresh = AnkiCollection(str(tmp_path / "fresh" / "collection.anki2"))
    try:
        fresh.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(back), options=ImportAnkiPackageOptions(with_scheduling=True)
            )
        )
        (cid,) = fresh.find_cards("Rome")
        card = fresh.get_card(cid)
        assert "[...]" in card.question() and "Atlas" in card.answer()
        assert "<strong>SPQR</strong>" in card.answer()
    finally:
        fresh.close()


def test_cloze_notes_without_their_fields_go_as_the_stock_cloze(
    col: Collection, anki_collection: tuple[Path, Path], tmp_path: Path
) -> None:
    """A cloze note made here, and one whose fields the import did not keep (imported
    before they were), go as the stock Cloze (Text, Back Extra), both ways alike."""
    _, package = anki_collection
    _study_and_edit(col, package)
    deck = col.library / "geo.md"
    text = deck.read_text(encoding="utf-8")
    deck.write_text(text + "\n## Lisbon {#lisbon1}\n{{c1::Lisbon}} is in Portugal\n")
    col.sync()
    kept = dict(col.setting("anki_cloze_fields"))
    rome = next(k for k, v in kept.items() if v == ["", "Atlas", "**SPQR**"])
    del kept[rome]
    col.set_setting("anki_cloze_fields", kept)
    out = tmp_path / "out"
    out.mkdir()
    rows, sql, python = sql_equals_python(col, out, now=EXPORTED)
    assert sql.fingerprints == python.fingerprints
    (col_row,) = rows["col"]
    names = {int(mid): m["name"] for mid, m in json.loads(col_row[9]).items()}
    sent = {row[6].split("\x1f")[0]: (row[2], row[6].count("\x1f") + 1) for row in rows["notes"]}
    ours = stable_int("notetype:Cloze")  # the stock Cloze as the export makes it
    assert sent["{{c1::Lisbon}} is in Portugal"] == (ours, 2)
    assert sent["{{c1::Rome}} is in Italy"] == (ours, 2)
    mid, count = sent["{{c1::H2O}} is water"]
    assert (names[mid], count) == ("Cloze+", 4)
