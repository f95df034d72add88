"""Exporting a deck takes its sub-decks, as Anki's export of a deck does (QA: `export --deck A`
left out A::B and A::B::C, which live in the folder `a/` beside `a.md`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from anki_factory import anki_import

from flashcards.collection.collection import Collection


@pytest.fixture
def col(tmp_path: Path) -> Collection:
    collection = Collection.open(tmp_path / "data", seed=False)
    lib = collection.library
    (lib / "a" / "b").mkdir(parents=True)
    for rel, title in [("a.md", "A"), ("a/b.md", "B"), ("a/b/c.md", "C"), ("ab.md", "AB")]:
        (lib / rel).write_text(f"---\ntitle: {title}\n---\n\n## In {title}\nx\n", encoding="utf-8")
    collection.sync()
    yield collection
    collection.close()


def _anki_decks(package: Path, tmp_path: Path) -> tuple[int, set[str]]:
    anki = anki_import(package, tmp_path / "anki" / "collection.anki2")
    try:
        names = {d.name for d in anki.decks.all_names_and_ids()} - {"Default"}
        return anki.card_count(), names
    finally:
        anki.close()


def test_a_deck_exports_with_its_sub_decks_as_in_anki(col: Collection, tmp_path: Path) -> None:
    report = col.export("A", tmp_path / "a.apkg")
    assert report.cards == 3
    assert _anki_decks(tmp_path / "a.apkg", tmp_path) == (3, {"A", "A::B", "A::B::C"})
    assert col.export("A::B", tmp_path / "b.csv").cards == 2  # a sub-deck takes its own children
    assert "In AB" not in (tmp_path / "b.csv").read_text(encoding="utf-8")
    assert col.export("a.md", tmp_path / "by-key.apkg").cards == 3  # by its file, the same


def test_a_deck_to_a_folder_takes_its_sub_decks_and_to_one_md_file_its_own(
    col: Collection, tmp_path: Path
) -> None:
    col.export("A", tmp_path / "out")
    assert sorted(
        p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.md")
    ) == [
        "a.md",
        "a/b.md",
        "a/b/c.md",
    ]
    report = col.export("A", tmp_path / "one.md")  # one file holds one deck: the deck's own
    assert report.cards == 1


def test_cli_export_of_a_deck_takes_its_sub_decks(col: Collection, tmp_path: Path) -> None:
    data = col.library.parent
    col.close()
    out = tmp_path / "cli.apkg"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "flashcards",
            "--data-dir",
            str(data),
            "export",
            "--deck",
            "A",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "exported 3 card(s)" in done.stdout
    assert _anki_decks(out, tmp_path) == (3, {"A", "A::B", "A::B::C"})
