"""No two note types of an exported package share a name (interop QA: a deck declaring a note
type named "Basic" went out beside the stock Basic, two "Basic"s, which Anki's importer
called Basic_ and Basic__). As Anki names a note type added under a taken name, the later
one is `Basic-xxxxx`, the same on every export, by SQL and the Python way alike."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from anki_factory import anki_import
from sample_deck import sql_equals_python

from flashcards.collection.collection import Collection
from flashcards.interop.apkg_schema import distinct_names

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)

DECK = """---
title: D
notetypes:
  extra:
    name: Basic
    fields: [Front, Back, Extra]
    templates:
      - name: Card 1
        front: "{{Front}}"
        back: "{{Back}} {{Extra}}"
  plain:
    name: Basic
    fields: [Front, Back]
    templates:
      - name: Card 1
        front: "{{Front}}"
        back: "{{Back}}"
---

## Plain
q
?
a

## Typed {#typ001 notetype=extra}
Front: f
Back: b
Extra: e

## Same {#sam001 notetype=plain}
Front: f2
Back: b2
"""


@pytest.fixture
def col(tmp_path: Path) -> Collection:
    collection = Collection.open(tmp_path / "data", seed=False)
    (collection.library / "d.md").write_text(DECK, encoding="utf-8")
    collection.sync(now=NOW)
    yield collection
    collection.close()


def _names(package: dict[str, object]) -> list[str]:
    models = json.loads(package["col"][0][9])  # type: ignore[index]
    return sorted(m["name"] for m in models.values())


def test_a_declared_basic_beside_the_stock_one_gets_a_name_of_its_own(
    col: Collection, tmp_path: Path
) -> None:
    package = sql_equals_python(col, tmp_path, now=NOW)[0]
    names = _names(package)
    assert len(names) == len(set(names)) == 5
    assert names.count("Basic") == 1
    renamed = [n for n in names if n.startswith("Basic-")]
    assert len(renamed) == 2 and all(len(n) == len("Basic-") + 5 for n in renamed)
    (tmp_path / "again").mkdir()
    again = sql_equals_python(col, tmp_path / "again", now=NOW)[0]
    assert _names(again) == names  # a re-export names them the same

    anki = anki_import(tmp_path / "sql.apkg", tmp_path / "anki" / "collection.anki2")
    try:
        by_text = {
            anki.get_note(n).fields[0]: anki.get_note(n).note_type()["name"]
            for n in anki.find_notes("")
        }
        # three note types, the renamed ones as the package names them (the one still
        # called Basic Anki calls Basic+, its own Basic holding the name)
        assert len(set(by_text.values())) == 3
        assert by_text["f"] in renamed
        assert not any("_" in name for name in by_text.values())
    finally:
        anki.close()


def test_distinct_names_keeps_the_first_and_names_the_rest_as_anki_does() -> None:
    models = {str(i): {"id": i, "name": "Basic"} for i in (1, 2, 3)}
    models["4"] = {"id": 4, "name": "Cloze"}
    named = distinct_names(models)
    assert named["3"]["name"] == "Basic" and named["4"]["name"] == "Cloze"  # the last keeps it
    assert list(named) == list(models)  # in the order given
    assert len({m["name"] for m in named.values()}) == 4
    assert named == distinct_names(models)  # stable
    assert models["2"]["name"] == "Basic"  # the input is left as it is
