"""Which reader a Markdown file or folder needs, and why an import found no cards.

Our deck format and Obsidian Spaced Repetition notes are both plain `.md`. A file is read
as Obsidian-SR when the SR reader finds cards in it and either our parser finds none or
the file bears the plugin's marks (a `<!--SR:…-->` scheduling comment, a `#flashcards`
tag); a card heading with our `{#id}` settles it as ours. A folder is Obsidian-SR when no
file in it is ours by those rules and at least one is SR.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flashcards.core.errors import DeckFormatError
from flashcards.core.headings import HEADING
from flashcards.core.literal import mask_text
from flashcards.core.parser import parse_deck
from flashcards.interop.bundle import ImportBundle
from flashcards.interop.obsidian import parse_sr

MARKDOWN = "markdown"
OBSIDIAN = "obsidian"
_OUR_ID = re.compile(r"^ {0,3}#{2,6}[ \t].*\{[ \t]*#[A-Za-z0-9_-]+", re.M)
_SR_TAG = re.compile(r"(?:^|\s)#flashcards(?:/[\w/-]*)?(?=\s|$)", re.M)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_FRONT_MATTER_TAG = re.compile(r"(?:^|[\s\[,'\"#-])flashcards(?:/[\w/-]*)?(?=[\s\],'\"]|$)", re.M)
_SR_SYNTAX = '"Question::Answer", or a line holding only "?" between question and answer'
_OUR_SYNTAX = 'a card is a "## Question" heading with its answer below it'


@dataclass(frozen=True)
class MarkdownClues:
    """What a Markdown file's text says about the reader it needs."""

    our_cards: int  # cards our parser finds (0 when it cannot parse the file)
    sr_cards: int  # cards the Obsidian-SR reader finds
    our_ids: bool  # a card heading carries our `{#id}`
    sr_marks: bool  # an SR scheduling comment or a `#flashcards` tag
    headings: tuple[int, ...]  # the levels of its headings, outside code and comments
    parse_error: str | None = None  # why our parser refused it

    @property
    def is_sr(self) -> bool:
        """Whether the file should be read as Obsidian Spaced Repetition notes."""
        if self.our_ids or self.sr_cards == 0:
            return False
        return self.our_cards == 0 or self.sr_marks


def _sr_tagged(text: str) -> bool:
    masked = mask_text(text)
    if _SR_TAG.search(masked):
        return True
    front = _FRONT_MATTER.match(text)
    if front is None:
        return False
    # Obsidian keeps a note's tags in its front matter too (`tags: [flashcards]`).
    block = front.group(1)
    tags = re.search(r"^tags[ \t]*:(.*(?:\n[ \t]+-.*)*)", block, re.M)
    return tags is not None and bool(_FRONT_MATTER_TAG.search(tags.group(1)))


def clues(text: str, *, name: str = "note.md") -> MarkdownClues:
    """The clues in one Markdown file's text (`name` only labels parse errors)."""
    sr = parse_sr(text)
    try:
        result = parse_deck(text, path=name)
        ours = sum(len(note.cards) for note in result.deck.notes)
        error = None
    except DeckFormatError as exc:
        ours, error = 0, str(exc)
    masked = mask_text(text)
    levels = tuple(
        len(m.group(1)) for line in masked.split("\n") if (m := HEADING.match(line)) is not None
    )
    return MarkdownClues(
        our_cards=ours,
        sr_cards=len(sr),
        our_ids=_OUR_ID.search(masked) is not None,
        sr_marks=any(card.schedule for card in sr) or _sr_tagged(text),
        headings=levels,
        parse_error=error,
    )


def markdown_kind(texts: Iterable[str]) -> str:
    """`OBSIDIAN` or `MARKDOWN` for a file's text (one) or a folder's files (several)."""
    found = [clues(text) for text in texts]
    if any(c.our_ids or (c.our_cards and not c.is_sr) for c in found):
        return MARKDOWN
    return OBSIDIAN if any(c.is_sr for c in found) else MARKDOWN


def no_cards_in_markdown(text: str) -> str:
    """Why our parser finds no card in `text`, and what to try (for `NoCardsError`)."""
    found = clues(text)
    if found.parse_error is not None:
        return found.parse_error
    levels = found.headings
    if found.sr_cards:
        # Only when told to read it as our format: left to guess, it would be SR.
        return (
            "it has no headings of level 2–6, but it looks like Obsidian Spaced Repetition "
            "notes: try --format obsidian"
        )
    if not levels:
        return (
            f"it has no headings of level 2–6 ({_OUR_SYNTAX}) and no Obsidian Spaced "
            f"Repetition cards ({_SR_SYNTAX})"
        )
    if all(level == 1 for level in levels):
        return f'its headings are all of level 1 ("# Title"), which only group cards; {_OUR_SYNTAX}'
    return f"its headings have nothing below them ({_OUR_SYNTAX})"


def no_cards_in_folder(count: int) -> str:
    """Why a folder of `count` Markdown files gave no card."""
    return (
        f"none of its {count} Markdown file(s) has a card ({_OUR_SYNTAX}; or, in "
        f"Obsidian Spaced Repetition notes, {_SR_SYNTAX})"
    )


def no_cards_in_bundle(kind: str, bundle: ImportBundle, texts: Sequence[str] = ()) -> str:
    """Why a reader of `kind` found no card; `texts`: the Markdown it read, if any."""
    if kind == OBSIDIAN:
        why = f'it has no Obsidian Spaced Repetition cards ({_SR_SYNTAX}, or "==cloze==")'
        if any(clues(text).our_cards for text in texts):
            why += "; it is a deck in Flashcards' own format: import it without --format obsidian"
        return why
    if kind == "csv":
        if bundle.skipped:
            return f"no row became a card (first problem: {bundle.skipped[0]})"
        return "it has no rows of cards"
    return "it holds no notes"
