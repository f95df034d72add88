"""Anki note types whose fields are named like a template's special names (`Type`, `Tags`,
`Deck`, `Card`, `Subdeck`): Anki accepts them (a part of speech in a field `Type` is
common in language decks), and its renderer shows the field where a template names it,
the special value only where the note has no such field. So do we, through the import,
the review's card and the export back to Anki. A note type the deck format cannot
declare is an error naming the package and the Anki note type, not a staged deck file."""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from anki.collection import Collection as AnkiCollection
from anki_factory import anki_import, export_package

from flashcards.collection.collection import Collection
from flashcards.core.errors import InteropError
from flashcards.core.model import CardKind
from flashcards.core.parser import parse_deck
from flashcards.interop.anki_db import AnkiNote, AnkiNotetype, AnkiTemplate
from flashcards.interop.anki_notes import Shape, note_block
from flashcards.interop.anki_notetypes import definition
from flashcards.interop.deck_writer import build_deck

FIELDS = ("Word", "Meaning", "Type", "Tags", "Deck", "Card", "Subdeck")
BACK = "{{FrontSide}}<hr id=answer>{{Meaning}} [{{Type}}|{{Tags}}|{{Deck}}|{{Card}}|{{Subdeck}}]"
NOTES = {
    # Word: (fields, note tags)
    "chien": ({"Meaning": "dog", "Type": "noun", "Tags": "animal", "Deck": "A1"}, ["french"]),
    "manger": ({"Meaning": "to eat", "Type": "verb", "Card": "c", "Subdeck": "s"}, []),
    "vite": ({"Meaning": "fast", "Tags": "adverb"}, []),  # its Tags field, no tags
}


def _anki_vocab(folder: Path) -> tuple[AnkiCollection, dict[str, str]]:
    """An Anki collection of the note type and its notes, and Anki's answer per word."""
    folder.mkdir(parents=True)
    col = AnkiCollection(str(folder / "collection.anki2"))
    models = col.models
    model = models.new("Vocab")
    for name in FIELDS:
        models.add_field(model, models.new_field(name))
    template = models.new_template("Recognise")
    template["qfmt"], template["afmt"] = "{{Word}}", BACK
    models.add_template(model, template)
    reverse = models.new_template("Kind")  # a card only where the field Type is not empty
    reverse["qfmt"], reverse["afmt"] = "{{Type}}", "{{FrontSide}}<hr id=answer>{{Word}}"
    models.add_template(model, reverse)
    models.add(model)
    answers: dict[str, str] = {}
    for word, (fields, tags) in NOTES.items():
        note = col.new_note(models.by_name("Vocab"))
        note["Word"] = word
        for name, value in fields.items():
            note[name] = value
        note.tags = tags
        col.add_note(note, col.decks.id("French::Words"))
        answers[word] = _text(note.cards()[0].answer())
    return col, answers


def _text(html: str) -> str:
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_anki_shows_the_field_where_a_template_names_a_special_name(tmp_path: Path) -> None:
    """What the rest of these tests hold us to, checked against the real Anki."""
    col, answers = _anki_vocab(tmp_path / "anki")
    col.close()
    assert answers["chien"] == "chien dog [noun|animal|A1||]"  # not "Vocab", not the tags
    assert answers["vite"] == "vite fast [|adverb|||]"  # an empty field, not the deck


def test_fields_named_type_tags_deck_card_subdeck_come_in_and_go_back(tmp_path: Path) -> None:
    anki, answers = _anki_vocab(tmp_path / "anki")
    package = export_package(anki, tmp_path / "vocab.apkg", layout="anki21")
    anki_cards = anki.card_count()
    anki.close()
    with Collection.open(tmp_path / "data", seed=False) as col:
        report = col.import_path(package)
        assert report.cards_added == anki_cards == 5  # "vite" has no Type: no "Kind" card
        deck = (col.library / report.files[0]).read_text(encoding="utf-8")
        parsed = {n.title: n for n in parse_deck(deck, path="french.md").deck.notes}
        for word, (fields, tags) in NOTES.items():
            note = parsed[word]
            assert dict(note.fields) == {name: fields.get(name, "") for name in FIELDS} | {
                "Word": word
            }
            assert note.tags == tuple(tags)
            card = note.cards[0]
            assert card.kind is CardKind.TEMPLATE
            assert _text(card.answer.replace("---", " ")) == answers[word]
        out = tmp_path / "ours.apkg"
        col.export(None, out)
    back = anki_import(out, tmp_path / "back" / "collection.anki2")
    try:
        model = back.models.by_name("Vocab")
        assert model is not None and [f["name"] for f in model["flds"]] == list(FIELDS)
        assert back.card_count() == anki_cards
        for nid in back.find_notes(""):
            note = back.get_note(nid)
            word = note["Word"]
            fields, tags = NOTES[word]
            assert {n: note[n] for n in FIELDS} == {n: fields.get(n, "") for n in FIELDS} | {
                "Word": word
            }
            assert note.tags == tags
            first = next(c for c in note.cards() if c.ord == 0)
            assert _text(first.answer()) == answers[word]
    finally:
        back.close()


SPECIAL = AnkiNotetype(
    7,
    "Special",
    False,
    ("Word", "Type", "Tags"),
    (AnkiTemplate("Card 1", "{{Word}}", "{{FrontSide}}<hr id=answer>{{Type}} {{Tags}}"),),
)


@pytest.mark.parametrize(
    ("fields", "tags"),
    [
        (("w", "noun", "animal"), ()),
        (("w", "noun", "animal"), ("french",)),
        (("w", "", "Tags: x"), ()),
        (("w", "noun", "a<br>b"), ()),
        (("w", "noun", "Tags: x"), ("t",)),
        (("w", "", ""), ("t",)),
    ],
)
def test_a_tags_field_is_written_so_it_reads_back_as_the_field(
    fields: tuple[str, str, str], tags: tuple[str, ...]
) -> None:
    """`Tags: …` as a note's last line is its tags (rule 16): the field goes below its
    label, and the direct build of the import equals the parse of the file."""
    block = note_block(
        AnkiNote(1, "g", SPECIAL.id, tags, fields),
        SPECIAL,
        rename=lambda name: None,
        shape=Shape.OTHER,
        key="special",
    )
    declared = {"special": definition(SPECIAL)}
    built = build_deck("d.md", title="D", blocks=[block], notetypes=declared)
    assert built.result == parse_deck(built.text, path="d.md")
    (note,) = built.notes
    assert note.tags == tags
    assert [value for _, value in note.fields] == [
        "w" if fields[0] == "w" else "",
        fields[1],
        {"Tags: x": "Tags&#58; x", "a<br>b": "a  \nb"}.get(fields[2], fields[2]),
    ]


def _tampered(package: Path, out: Path) -> Path:
    """`package` (legacy layout) with the note type's first template's front holding no
    field, as only a hand-made package can (Anki refuses to save one)."""
    work = out.parent / "tamper"
    work.mkdir()
    with zipfile.ZipFile(package) as src:
        src.extractall(work)
        names = src.namelist()
    db = sqlite3.connect(work / "collection.anki21")
    models = json.loads(db.execute("SELECT models FROM col").fetchone()[0])
    for model in models.values():
        if model["name"] == "Vocab":
            model["tmpls"][0]["qfmt"] = "Only text"
    db.execute("UPDATE col SET models = ?", (json.dumps(models),))
    db.commit()
    db.close()
    with zipfile.ZipFile(out, "w") as dst:
        for name in names:
            dst.write(work / name, name)
    return out


def test_a_note_type_that_cannot_be_declared_names_the_package_and_changes_nothing(
    tmp_path: Path,
) -> None:
    anki, _ = _anki_vocab(tmp_path / "anki")
    package = export_package(anki, tmp_path / "vocab.apkg", layout="anki21")
    anki.close()
    bad = _tampered(package, tmp_path / "hand-made.apkg")
    with Collection.open(tmp_path / "data", seed=False) as col:
        with pytest.raises(InteropError) as caught:
            col.import_path(bad)
        message = str(caught.value)
        assert message.startswith("hand-made.apkg: Anki note type 'Vocab': template 1")
        assert ".md" not in message
        assert not list(col.library.rglob("*.md"))
