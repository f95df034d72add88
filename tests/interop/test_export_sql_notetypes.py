"""Notes of note types their decks declare go into an .apkg by SQL too
(collection/export_sql.py, collection/export_models.py): the store of rendered notes names
their type by its `declared_key`, the package gets the declared types' Anki note types
from the decks' front matter, and the package equals, row by row, the one the Python way
builds (`read_package_data` + `write_package`) and a fresh render, in a library that
mixes them with plain decks; the real `anki` package imports it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from anki_factory import anki_import, export_package
from notetype_factory import build_notetype_collection
from sample_deck import package_rows, python_export, sql_equals_python, write_modeling

from flashcards.collection import export_ops, export_rows
from flashcards.collection.collection import Collection
from flashcards.collection.export_rows import package_decks
from flashcards.collection.export_sql import export_by_sql, write_package_sql
from flashcards.core.model import Flag, Rating
from flashcards.interop.apkg_export import write_apkg

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)

# The vocabulary type: a card per template whose front shows a field (Pronounce: only
# with an IPA). French and German declare it alike: one Anki note type for both.
VOCAB = """  vocab:
    name: Vocabulary (+IPA)
    fields: [Word, IPA, Meaning]
    templates:
      - name: Recognise
        front: "{{Word}}"
        back: "{{FrontSide}}\\n\\n---\\n\\n{{IPA}} {{Meaning}}"
      - name: Recall
        front: "{{Meaning}}"
        back: "{{FrontSide}}\\n\\n---\\n\\n**{{Word}}**"
      - name: Pronounce
        front: "{{#IPA}}Say: {{IPA}}{{/IPA}}"
        back: "{{Word}}"
"""
# A declared type named as a stock one, beside plain (stock Basic) notes in its deck.
FRENCH = f"""---
title: French
notetypes:
{VOCAB}  extra:
    name: Basic
    fields: [Front, Back, Extra]
    templates:
      - name: Card 1
        front: "{{{{Front}}}}"
        back: "{{{{FrontSide}}}}\\n\\n---\\n\\n{{{{Back}}}}\\n\\n{{{{Extra}}}}"
---

## maison {{#fr0001 notetype=vocab}}
IPA: /mɛ.zɔ̃/
Meaning: *house*
Tags: french

## chat {{#fr0002 notetype=vocab}}
Meaning: cat

## Pain {{#fr0003 notetype=extra}}
Front: le **pain**
Back: bread
Extra: ![loaf](img/loaf.png)

## Plain {{#fr0004}}
A *plain* note beside them.
?
Its answer.
"""
GERMAN = f"""---
title: German
notetypes:
{VOCAB}---

## Haus {{#de0001 notetype=vocab}}
IPA: /haʊ̯s/
Meaning: house

## Hund {{#de0002 notetype=vocab}}
Meaning: dog
"""


@pytest.fixture
def col(tmp_path: Path) -> Collection:
    collection = Collection.open(tmp_path / "data", seed=False)
    library = collection.library
    write_modeling(library)  # stock Basic, reversed, Cloze, a choice note, an image
    (library / "words" / "img").mkdir(parents=True)
    (library / "words" / "img" / "loaf.png").write_bytes(b"\x89PNG loaf")
    (library / "words" / "french.md").write_text(FRENCH, encoding="utf-8")
    (library / "words" / "german.md").write_text(GERMAN, encoding="utf-8")
    collection.sync(now=NOW)
    collection.answer("fr0001", Rating.GOOD, now=NOW - timedelta(days=6), duration_ms=4000)
    collection.answer("fr0001:t2", Rating.AGAIN, now=NOW - timedelta(days=5))
    collection.answer("fr0001:t3", Rating.EASY, now=NOW - timedelta(days=4))
    collection.answer("de0001:t3", Rating.GOOD, now=NOW - timedelta(hours=3))
    collection.answer("k3f9q2", Rating.GOOD, now=NOW - timedelta(days=2))
    collection.reset(["fr0001:t2"], now=NOW - timedelta(days=1))
    collection.set_flag(["fr0002:t2", "rev001"], Flag.GREEN)
    collection.suspend(["de0002"])
    yield collection
    collection.close()


def _both_equal(col: Collection, tmp_path: Path, deck: str | None = None) -> dict[str, Any]:
    """The package by SQL (which must apply), checked equal to the Python way's."""
    return sql_equals_python(col, tmp_path, deck, now=NOW)[0]


def _models(package: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {int(k): v for k, v in json.loads(package["col"][0][9]).items()}


def test_declared_note_types_go_by_sql_as_the_python_way_and_a_fresh_render(
    col: Collection, tmp_path: Path
) -> None:
    package = _both_equal(col, tmp_path)  # the first: renders into the store
    write_apkg(export_ops.export_data(col, None), tmp_path / "fresh.apkg", now=NOW)
    assert package == package_rows(tmp_path / "fresh.apkg", indexes=True)
    assert _both_equal(col, tmp_path) == package  # a later one: all from the store
    words = _both_equal(col, tmp_path, deck="words")  # a folder of its own
    assert len(words["notes"]) == 6 and len(_models(words)) == 5
    models = _models(package)
    # the three stock types, one vocabulary type for both decks, the "Basic" with Extra,
    # named as Anki names a note type added under a taken name (Basic-xxxxx)
    named = sorted((m["name"], len(m["flds"])) for m in models.values())
    (stock,) = [n for n, count in named if n.startswith("Basic-") and count == 2]
    assert named == [
        ("Basic", 3),
        ("Basic (and reversed card)", 2),
        (stock, 2),
        ("Cloze", 2),
        ("Vocabulary (+IPA)", 3),
    ]
    by_note = {row[0]: models[row[2]] for row in package["notes"]}
    vocab = {n for n, m in by_note.items() if m["name"] == "Vocabulary (+IPA)"}
    assert len(vocab) == 4
    (pain,) = [row for row in package["notes"] if by_note[row[0]]["name"] == "Basic"]
    # its image renamed as the package has it
    assert pain[6] == 'le <strong>pain</strong>\x1fbread\x1f<img alt="loaf" src="loaf.png" />'
    assert json.loads(package["entries"]["media"])["1"] == "loaf.png"
    assert package["entries"]["1"] == b"\x89PNG loaf"
    # Recognise, Recall and (with an IPA) Pronounce: ordinals 0, 1, 2
    ords = sorted(row[3] for row in package["cards"] if row[1] in vocab)
    assert ords == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2]
    # first answers (Anki's learning rows): four on template cards, one on a plain note;
    # and the Forget of Recall (type 4)
    assert sorted(row[8] for row in package["revlog"]) == [0, 0, 0, 0, 0, 4]
    template_cards = {row[0] for row in package["cards"] if row[1] in vocab}
    assert sum(row[1] in template_cards for row in package["revlog"]) == 5


def test_a_later_export_reads_the_front_matter_alone(
    col: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _both_equal(col, tmp_path)

    def no_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a deck file parsed whole")

    monkeypatch.setattr(export_rows, "parse_deck", no_parse)
    report = export_by_sql(col, None, tmp_path / "later.apkg", now=NOW)
    assert report is not None and report.notes == 10
    assert package_rows(tmp_path / "later.apkg", indexes=True) == first


def test_an_edited_note_type_is_a_new_anki_note_type(col: Collection, tmp_path: Path) -> None:
    before = _models(_both_equal(col, tmp_path))
    french = col.library / "words" / "french.md"
    french.write_text(
        FRENCH.replace('back: "{{Word}}"', 'back: "{{Word}} ({{Meaning}})"'), encoding="utf-8"
    )
    col.sync(now=NOW)
    after = _models(_both_equal(col, tmp_path))
    names = sorted(m["name"] for m in after.values())
    # German's as it was, French's edited: two note types, named apart as Anki would
    assert len([n for n in names if n.startswith("Vocabulary (+IPA)")]) == 2
    assert len(set(names)) == len(names)
    assert {m["id"] for m in before.values()} < {m["id"] for m in after.values()}


def test_a_front_matter_changed_since_the_sync_takes_the_python_way(
    col: Collection, tmp_path: Path
) -> None:
    _both_equal(col, tmp_path)
    refs, paths = package_decks(col, None)
    german = col.library / "words" / "german.md"
    german.write_text(GERMAN.replace("name: Recall", "name: Remember"), encoding="utf-8")
    assert write_package_sql(col, refs, paths, tmp_path / "none.apkg", now=NOW) is None
    assert not (tmp_path / "none.apkg").exists()
    col.export(None, tmp_path / "export.apkg", now=NOW)  # synced: by SQL again
    write_apkg(export_ops.export_data(col, None), tmp_path / "fresh.apkg", now=NOW)
    assert package_rows(tmp_path / "export.apkg") == package_rows(tmp_path / "fresh.apkg")


def test_anki_imports_the_package(col: Collection, tmp_path: Path) -> None:
    col.export(None, tmp_path / "first.apkg", now=NOW)
    col.export(None, tmp_path / "ours.apkg", now=NOW)
    package = package_rows(tmp_path / "ours.apkg")
    anki = anki_import(tmp_path / "ours.apkg", tmp_path / "back.anki2")
    try:
        assert anki.note_count() == len(package["notes"]) == 10
        assert anki.card_count() == len(package["cards"])
        assert anki.db.scalar("SELECT count() FROM revlog") == len(package["revlog"])
        vocab = anki.models.by_name("Vocabulary (+IPA)")
        assert vocab is not None
        assert [f["name"] for f in vocab["flds"]] == ["Word", "IPA", "Meaning"]
        assert [t["name"] for t in vocab["tmpls"]] == ["Recognise", "Recall", "Pronounce"]
        house = anki.get_note(anki.find_notes("Word:maison")[0])
        assert house["IPA"] == "/mɛ.zɔ̃/" and house["Meaning"] == "<em>house</em>"
        assert sorted(c.ord for c in house.cards()) == [0, 1, 2]
        pronounce = next(c for c in house.cards() if c.ord == 2)
        assert pronounce.question().endswith("Say: /mɛ.zɔ̃/")
        (pain,) = [anki.get_note(n) for n in anki.find_notes("Extra:_*")]
        assert pain.keys() == ["Front", "Back", "Extra"] and pain["Back"] == "bread"
    finally:
        anki.close()


def test_answer_templates_give_anki_its_rule_not_a_dashes_paragraph(
    col: Collection, tmp_path: Path
) -> None:
    """A back's `---` between question and answer is Anki's `<hr id=answer>`, by SQL as
    the Python way; Anki's own answer shows the rule, not the text "---"."""
    models = _models(_both_equal(col, tmp_path))
    vocab = next(m for m in models.values() if m["name"] == "Vocabulary (+IPA)")
    backs = [t["afmt"] for t in vocab["tmpls"]]
    assert backs[0] == "<p>{{FrontSide}}</p>\n<hr id=answer>\n<p>{{IPA}} {{Meaning}}</p>"
    assert all("---" not in t["afmt"] + t["qfmt"] for m in models.values() for t in m["tmpls"])
    anki = anki_import(tmp_path / "sql.apkg", tmp_path / "back.anki2")
    try:
        house = anki.get_note(anki.find_notes("Word:maison")[0])
        answer = next(c for c in house.cards() if c.ord == 0).answer()
        assert "<hr id=answer>" in answer and "---" not in answer
    finally:
        anki.close()


def test_note_types_anki_made_go_back_by_sql(tmp_path: Path) -> None:
    folder = tmp_path / "anki"
    folder.mkdir()
    source, _ = build_notetype_collection(folder / "collection.anki2")
    package = export_package(source, folder / "notetypes.apkg", layout="anki21b")
    cards = source.card_count()
    source.close()
    col = Collection.open(tmp_path / "data", seed=False)
    try:
        col.import_path(package)
        rows = _both_equal(col, tmp_path)
        assert len(rows["cards"]) == cards
        anki = anki_import(tmp_path / "sql.apkg", tmp_path / "back.anki2")
        try:
            assert anki.card_count() == cards
            assert anki.models.by_name("Chinese (17 fields)") is not None
        finally:
            anki.close()
    finally:
        col.close()


def test_read_only_goes_by_sql_where_the_store_holds_every_note(
    col: Collection, tmp_path: Path
) -> None:
    data_dir = col.data_dir
    col.close()
    with Collection.open(data_dir, readonly=True) as ro:  # nothing stored yet: Python
        assert export_by_sql(ro, None, tmp_path / "none.apkg", now=NOW) is None
        assert not (tmp_path / "none.apkg").exists()
    with Collection.open(data_dir, seed=False) as rw:
        written = _both_equal(rw, tmp_path)  # renders into the store
    with Collection.open(data_dir, readonly=True) as ro:
        assert export_by_sql(ro, None, tmp_path / "ro.apkg", now=NOW) is not None
        python_export(ro, tmp_path / "ro-python.apkg", now=NOW)
        report = ro.export(None, tmp_path / "export.apkg", now=NOW)
    assert package_rows(tmp_path / "ro.apkg", indexes=True) == written
    assert package_rows(tmp_path / "ro-python.apkg", indexes=True) == written
    assert package_rows(tmp_path / "export.apkg", indexes=True) == written
    assert any("read-only" in w for w in report.warnings)
