"""An Anki note whose first field has no text (only an image, or a space) comes in with an
empty title, not the field's name: its question shows what the note shows, and the export
gives Anki back the field as it was, without a made-up `<strong>Front</strong>`."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from anki.collection import Collection as AnkiCollection
from anki_factory import anki_import, export_package

from flashcards.collection.collection import Collection
from flashcards.core.parser import parse_deck
from flashcards.core.render import Side, render_card
from flashcards.interop.anki_db import AnkiNote, AnkiNotetype, AnkiTemplate
from flashcards.interop.anki_notes import Shape, note_block
from flashcards.interop.anki_notetypes import definition
from flashcards.interop.deck_writer import build_deck

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
IMAGE = '<img src="leaf.png">'


def _package(folder: Path) -> Path:
    folder.mkdir(parents=True)
    col = AnkiCollection(str(folder / "collection.anki2"))
    col.media.write_data("leaf.png", PNG)
    deck = col.decks.id("Leaves")
    for model, front, back in (
        ("Basic", IMAGE, "maple"),
        ("Basic", "&nbsp;", "a blank front"),
        ("Basic (and reversed card)", IMAGE, "oak"),
        ("Basic (type in the answer)", IMAGE, "birch"),
    ):
        note = col.new_note(col.models.by_name(model))
        note["Front"], note["Back"] = front, back
        col.add_note(note, deck)
    out = export_package(col, folder / "leaves.apkg", layout="anki21")
    col.close()
    return out


def test_a_front_without_text_gets_no_title_and_goes_back_as_it_was(tmp_path: Path) -> None:
    package = _package(tmp_path / "anki")
    with Collection.open(tmp_path / "data", seed=False) as col:
        report = col.import_path(package)
        text = (col.library / report.files[0]).read_text(encoding="utf-8")
        assert "## Front" not in text
        notes = parse_deck(text, path="leaves.md").deck.notes
        # the type-in note's title (in lists only: its template shows the fields) is its
        # own Back's text
        assert [n.title for n in notes] == ["", "", "", "birch"]
        for note in notes:
            for card in note.cards:
                assert "Front" not in render_card(card, side=Side.FRONT)
                assert "Front" not in render_card(card, side=Side.BACK)
        out = tmp_path / "ours.apkg"
        col.export(None, out)
    anki = anki_import(out, tmp_path / "back" / "collection.anki2")
    try:
        notes = [anki.get_note(n) for n in anki.find_notes("")]
        fronts = {note["Back"]: note["Front"] for note in notes}
    finally:
        anki.close()
    image = '<img alt="" src="leaf.png" />'
    # (a lone &nbsp; reads as no text in Markdown: it goes back empty, not as "Front")
    assert fronts == {"maple": image, "a blank front": "", "oak": image, "birch": image}


BASIC = AnkiNotetype(
    1, "Basic", False, ("Front", "Back"), (AnkiTemplate("Card 1", "{{Front}}", "{{Back}}"),)
)
VOCAB = AnkiNotetype(
    2,
    "Vocab",
    False,
    ("Picture", "Word", "Note"),
    (AnkiTemplate("Card 1", "{{Picture}}", "{{FrontSide}}<hr id=answer>{{Word}}"),),
)


@pytest.mark.parametrize(
    ("notetype", "fields", "title"),
    [
        (BASIC, (IMAGE, "maple"), ""),
        (BASIC, ("&nbsp;", "x"), ""),
        (BASIC, ("<br>", "x"), ""),
        (BASIC, (f"{IMAGE} a leaf", "x"), "a leaf"),
        (VOCAB, (IMAGE, "", ""), ""),
        (VOCAB, (IMAGE, "maple", ""), "maple"),  # a list's name from the note's own text
        (VOCAB, (f"{IMAGE}<br>leaf", "maple", ""), "leaf"),
    ],
)
def test_the_title_is_text_of_the_note_or_none_and_reads_back_alike(
    notetype: AnkiNotetype, fields: tuple[str, ...], title: str
) -> None:
    """The import's direct build of the note equals the parse of the file it wrote."""
    shape = None if notetype is BASIC else Shape.OTHER
    block = note_block(
        AnkiNote(1, "g", notetype.id, (), fields),
        notetype,
        rename=lambda name: name,
        shape=shape,
        key="vocab",
    )
    assert block.title == title
    built = build_deck("d.md", title="D", blocks=[block], notetypes={"vocab": definition(VOCAB)})
    assert built.result == parse_deck(built.text, path="d.md")
    notes = built.notes
    assert [n.title for n in notes] == ([title] if notes else [])
