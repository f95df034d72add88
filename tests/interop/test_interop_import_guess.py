"""Imports through the Collection that guess the format, refuse to find nothing silently,
and take a CSV file's explicit choices."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flashcards.cli import main
from flashcards.collection.collection import Collection
from flashcards.core.errors import FlashcardsError, NoCardsError
from flashcards.core.model import CardState
from flashcards.interop.csv_layout import ColumnRole, CsvOptions

SR_NOTE = """\
#flashcards/biology

# Cells

Mitochondria::Powerhouse of the cell <!--SR:!2026-11-30,3,250-->

Big
??
Small
"""


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    collection = Collection.open(tmp_path / "data", seed=False)
    yield collection
    collection.close()


def _library(col: Collection) -> dict[str, bytes]:
    return {p.relative_to(col.library).as_posix(): p.read_bytes() for p in col.library.rglob("*")}


def test_an_obsidian_note_is_recognised_without_being_told(col: Collection, tmp_path: Path) -> None:
    note = tmp_path / "Cell biology.md"
    note.write_text(SR_NOTE, encoding="utf-8")
    report = col.import_path(note)
    assert report.format == "obsidian"
    assert report.files == ("cell-biology.md",) and report.cards_added == 3
    (deck,) = col.decks()
    assert (deck.name, deck.total) == ("Cell biology", 3)
    # The SR comment became the card's schedule: due on 30 November, not new.
    views = [v for v in col.cards(col.search("Mitochondria")) if v.card.title == "Mitochondria"]
    assert views[0].memory.state is CardState.REVIEW
    assert views[0].memory.due == datetime(2026, 11, 30, tzinfo=UTC)


def test_a_folder_of_obsidian_notes_without_dot_obsidian(col: Collection, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "cells.md").write_text(SR_NOTE, encoding="utf-8")
    (folder / "index.md").write_text("# Index\n\nSee the cells note.\n", encoding="utf-8")
    report = col.import_path(folder)
    assert report.format == "obsidian" and report.cards_added == 3


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Some prose.\n\nMore prose.\n", "it has no headings of level 2–6"),
        ("# Title\n\nProse under a section.\n", "its headings are all of level 1"),
    ],
)
def test_a_markdown_file_without_cards_is_refused_and_changes_nothing(
    col: Collection, tmp_path: Path, text: str, reason: str
) -> None:
    note = tmp_path / "notes.md"
    note.write_text(text, encoding="utf-8")
    before = _library(col)
    with pytest.raises(NoCardsError, match=f"found 0 cards in notes.md: {reason}") as caught:
        col.import_path(note)
    assert str(caught.value).endswith("Nothing was imported.")
    assert _library(col) == before and col.decks() == []


def test_a_folder_without_cards_is_refused(col: Collection, tmp_path: Path) -> None:
    folder = tmp_path / "prose"
    folder.mkdir()
    (folder / "a.md").write_text("# A\n\ntext\n", encoding="utf-8")
    with pytest.raises(NoCardsError, match="none of its 1 Markdown file"):
        col.import_path(folder)
    assert _library(col) == {}


def test_forced_formats_say_what_to_try(col: Collection, tmp_path: Path) -> None:
    sr = tmp_path / "sr.md"
    sr.write_text("A::B\n", encoding="utf-8")
    with pytest.raises(NoCardsError, match="try --format obsidian"):
        col.import_path(sr, format="markdown")
    ours = tmp_path / "ours.md"
    ours.write_text("## Card\nIts answer.\n", encoding="utf-8")
    with pytest.raises(NoCardsError, match="import it without --format obsidian"):
        col.import_path(ours, format="obsidian")
    empty = tmp_path / "empty.csv"
    empty.write_text("#separator:Comma\n\n", encoding="utf-8")
    with pytest.raises(NoCardsError, match="found 0 cards in empty.csv: it has no rows"):
        col.import_path(empty)
    assert _library(col) == {}


def test_csv_choices_drive_the_import(col: Collection, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Word;Meaning;Notes;Labels\nchat;cat;x;animal fr\n", encoding="utf-8")
    options = CsvOptions(
        separator=";",
        header_row=True,
        columns=(ColumnRole.FRONT, ColumnRole.BACK, ColumnRole.IGNORE, ColumnRole.TAGS),
        deck="Lang::French",
    )
    report = col.import_path(sheet, options=options)
    assert report.files == ("lang/french.md",) and report.cards_added == 1
    (view,) = col.cards(col.search("chat"))
    assert (view.card.title, view.card.answer, view.card.tags) == ("chat", "cat", ("animal", "fr"))
    with pytest.raises(FlashcardsError, match="apply to CSV files only"):
        col.import_path(tmp_path / "sheet.csv", format="markdown", options=options)


def test_cli_recognises_obsidian_and_refuses_an_empty_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    note = tmp_path / "bio.md"
    note.write_text(SR_NOTE, encoding="utf-8")
    out = io.StringIO()
    assert main(["--data-dir", data, "import", str(note)], out=out) == 0
    assert "as Obsidian Spaced Repetition notes" in out.getvalue()
    assert "3 new card(s)" in out.getvalue()
    prose = tmp_path / "notes.md"
    prose.write_text("Just prose.\n", encoding="utf-8")
    assert main(["--data-dir", data, "import", str(prose)], out=out) == 1
    err = capsys.readouterr().err
    assert "flashcards: error: found 0 cards in notes.md: it has no headings of level 2–6" in err
    assert not (tmp_path / "data" / "decks" / "notes.md").exists()


def test_cli_csv_flags(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    sheet = tmp_path / "sheet.txt"
    sheet.write_text("front|back|extra\nchat|cat|animal\n", encoding="utf-8")
    out = io.StringIO()
    args = ["--delimiter", "pipe", "--header", "--columns", "front,back,tags", "--deck", "FR"]
    assert main(["--data-dir", data, "import", *args, str(sheet)], out=out) == 0
    text = (tmp_path / "data" / "decks" / "fr.md").read_text(encoding="utf-8")
    assert "## chat" in text and "Tags: animal" in text
    assert "note: sheet.txt: the first row was read as column names" in out.getvalue()
