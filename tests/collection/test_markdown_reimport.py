"""Importing a hand-written Markdown file (no `{#id}`s) again: unchanged, it is "nothing
new"; changed, it updates the deck it landed as, its cards found again by their text.
The import remembers each source's landing and digest (setting MARKDOWN_IMPORTS)."""

from __future__ import annotations

import re
from pathlib import Path

from col_helpers import T0

from flashcards.core.model import Rating

NOTES = (
    "---\ntitle: Networking notes\n---\n"
    "## What is BGP?\nBorder gateway protocol.\n\n"
    "## What is OSPF?\nOpen shortest path first.\n"
)


def decks(data_dir: Path) -> list[str]:
    return sorted(
        p.relative_to(data_dir / "decks").as_posix() for p in (data_dir / "decks").rglob("*.md")
    )


def test_an_unchanged_file_is_nothing_new_a_changed_one_updates_its_deck(
    data_dir: Path, open_col, tmp_path: Path
) -> None:
    source = tmp_path / "notes" / "networking.md"
    source.parent.mkdir()
    source.write_text(NOTES, encoding="utf-8")
    col = open_col()
    first = col.import_path(source)
    assert first.files == ("networking.md",) and first.cards_added == 2
    landed = (data_dir / "decks" / "networking.md").read_text()
    ids = dict(re.findall(r"## (.+?) \{#(\w+)\}", landed))
    col.answer(ids["What is BGP?"], Rating.GOOD, now=T0)

    again = col.import_path(source)
    assert again.files == () and again.cards_added == 0  # the report's "nothing new"
    assert decks(data_dir) == ["networking.md"]
    assert (data_dir / "decks" / "networking.md").read_text() == landed

    source.write_text(
        NOTES.replace("Border gateway protocol.", "Border gateway protocol, v4.")
        + "\n## What is RIP?\nRouting information protocol.\n",
        encoding="utf-8",
    )
    changed = col.import_path(source)
    assert changed.files == ("networking.md",)
    assert (changed.cards_added, changed.cards_updated) == (1, 1)
    assert decks(data_dir) == ["networking.md"]
    text = (data_dir / "decks" / "networking.md").read_text()
    assert f"## What is BGP? {{#{ids['What is BGP?']}}}\nBorder gateway protocol, v4." in text
    assert len(col.history(ids["What is BGP?"])) == 1  # the same card: its history kept
    assert col.import_path(source).files == ()
    col.close()
    # Another program's session remembers it too (it is a setting of the collection).
    col = open_col()
    assert col.import_path(source).files == ()


def test_a_folder_is_recognised_and_another_file_of_the_same_name_is_not(
    data_dir: Path, open_col, tmp_path: Path
) -> None:
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "week1.md").write_text(NOTES, encoding="utf-8")
    other = tmp_path / "elsewhere" / "networking.md"
    other.parent.mkdir()
    other.write_text(NOTES.replace("BGP", "EIGRP"), encoding="utf-8")
    col = open_col()
    col.import_path(folder)
    assert col.import_path(folder).files == ()
    (folder / "week2.md").write_text("## What is NAT?\nAddress translation.\n", encoding="utf-8")
    report = col.import_path(folder)
    assert report.files == ("course/week1.md", "course/week2.md") and report.cards_added == 1
    assert decks(data_dir) == ["course/week1.md", "course/week2.md"]
    (tmp_path / "networking.md").write_text(NOTES, encoding="utf-8")
    col.import_path(tmp_path / "networking.md")
    col.import_path(other)  # the same name, another file: beside it, not over it
    assert decks(data_dir)[-2:] == ["networking-2.md", "networking.md"]
