"""Readers hand the collection their check parse of each deck they write."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki_factory import LAYOUTS, Sample

from flashcards.core.parser import parse_deck
from flashcards.interop.anki_package import import_anki_package
from flashcards.interop.text_import import read_text_file


@pytest.mark.parametrize("layout", LAYOUTS)
def test_anki_bundle_carries_the_parse_of_each_deck(
    layout: str, tmp_path: Path, anki_packages: dict[str, tuple[Path, Sample]]
) -> None:
    package, _ = anki_packages[layout]
    bundle = import_anki_package(package, workdir=tmp_path)
    assert set(bundle.parsed) == set(bundle.decks)
    for path, text in bundle.decks.items():
        assert bundle.parsed[path] == parse_deck(text.encode("utf-8"), path=path)


def test_text_import_bundle_carries_the_parse(tmp_path: Path) -> None:
    source = tmp_path / "words.csv"
    source.write_text("#separator:comma\n#html:false\nfront one,back one\nfront two,back two\n")
    bundle = read_text_file(source)
    assert set(bundle.parsed) == set(bundle.decks) and bundle.parsed
    for path, text in bundle.decks.items():
        assert bundle.parsed[path] == parse_deck(text, path=path)
        assert len(bundle.parsed[path].deck.notes) == 2
