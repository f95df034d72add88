"""`{{C2::x}}` with an uppercase C: Anki's cloze `c` is lowercase, so the real `anki` package
shows it as written and makes no card of it. Imported here it made a card of its own and went
back to Anki as `{{c2::x}}` (interop QA: 15 cards here where Anki made 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection as AnkiCollection
from anki_factory import anki_import, export_package

from flashcards.collection.collection import Collection

TEXTS = ["{{c1::x}} and {{C2::upper}}", "{{c1::a}} {{c2::b}} {{C3::c::hint}}", "{{C1::up}} only"]


@pytest.mark.parametrize("layout", ["anki2", "anki21b"])
def test_an_uppercase_c_makes_no_card_as_in_anki(tmp_path: Path, layout: str) -> None:
    (tmp_path / "anki").mkdir()
    anki = AnkiCollection(str(tmp_path / "anki" / "collection.anki2"))
    for text in TEXTS:
        note = anki.new_note(anki.models.by_name("Cloze"))
        note["Text"] = text
        anki.add_note(note, anki.decks.id("D"))
    in_anki = anki.card_count()
    assert in_anki == 4  # 1 + 2 + Anki's card of a cloze note with no deletion
    package = export_package(anki, tmp_path / f"t-{layout}.apkg", layout=layout)
    anki.close()

    with Collection.open(tmp_path / "data", seed=False) as col:
        report = col.import_path(package)
        assert report.cards_added == in_anki
        text = (col.library / "d.md").read_text(encoding="utf-8")
        assert "{{C2::upper}}" in text and "{{C3::c::hint}}" in text
        col.export("D", tmp_path / "back.apkg")

    back = anki_import(tmp_path / "back.apkg", tmp_path / "back" / "collection.anki2")
    try:
        assert back.card_count() == in_anki
        fields = {f for n in back.find_notes("") for f in back.get_note(n).fields}
        assert "{{c1::x}} and {{C2::upper}}" in fields  # as written, not `{{c2::upper}}`
        assert "{{c1::a}} {{c2::b}} {{C3::c::hint}}" in fields
    finally:
        back.close()
