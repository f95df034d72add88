"""Telling Obsidian Spaced Repetition notes from our decks, and saying why nothing came in."""

from __future__ import annotations

import pytest

from flashcards.interop.detect import (
    MARKDOWN,
    OBSIDIAN,
    clues,
    markdown_kind,
    no_cards_in_markdown,
)

OURS = "---\ntitle: Cells\n---\n\n## Mitochondria\nThe powerhouse of the cell.\n"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # The plugin's marks, even with headings our parser would make cards of.
        ("#flashcards\n\n## Cells\nMitochondria::Powerhouse\n", OBSIDIAN),
        ("## Cells\nMitochondria::Powerhouse <!--SR:!2026-11-30,3,250-->\n", OBSIDIAN),
        ("---\ntags: [biology, flashcards/cells]\n---\n\n## Cells\nA::B\n", OBSIDIAN),
        ("---\ntags:\n  - flashcards\n---\n\n## Cells\nA::B\n", OBSIDIAN),
        # No marks, no cards of ours: the SR syntax alone decides.
        ("Mitochondria::Powerhouse of the cell\nChat:::Cat\n", OBSIDIAN),
        ("What is ATP?\n?\nAdenosine triphosphate\n", OBSIDIAN),
        ("# Biology\n\nThe ==nucleus== holds ==DNA==.\n", OBSIDIAN),
        # Ours.
        (OURS, MARKDOWN),
        ("## std::vector\nA growable array; `std::vector<int>` holds ints.\n", MARKDOWN),
        ("## Card {#abc123}\nanswer\n\n#flashcards\n\nA::B\n", MARKDOWN),  # our ids settle it
        ("## Tag docs\n```\n#flashcards\n```\nA::B is how SR writes a card.\n", MARKDOWN),
        # Neither: ours, so that the import says why it found nothing.
        ("# Notes\nplain text\n", MARKDOWN),
        ("just some text\n", MARKDOWN),
    ],
)
def test_markdown_kind(text: str, kind: str) -> None:
    assert markdown_kind([text]) == kind


def test_a_folder_is_obsidian_only_when_no_file_is_ours() -> None:
    sr = "#flashcards\n\nA::B\n"
    assert markdown_kind([sr, "# Index\nLinks to notes.\n"]) == OBSIDIAN
    assert markdown_kind([sr, OURS]) == MARKDOWN


def test_clues_count_both_readers_cards() -> None:
    found = clues("#flashcards\n\n## Cells\nA::B\nC::D\n")
    assert (found.our_cards, found.sr_cards, found.sr_marks, found.our_ids) == (1, 2, True, False)
    assert found.headings == (2,)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("just some text\n", "it has no headings of level 2–6"),
        ("# Notes\n\ntext\n", "its headings are all of level 1"),
        ("## Empty\n## Also empty\n", "its headings have nothing below them"),
        ("A::B\n", "looks like Obsidian Spaced Repetition notes: try --format obsidian"),
    ],
)
def test_why_a_markdown_file_has_no_cards(text: str, reason: str) -> None:
    assert reason in no_cards_in_markdown(text)
