"""A deck's counts in the deck list are the cards its session shows: one card of a note
a day (a cloze's other blanks and a reverse side wait for another day)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from col_helpers import T0, deck_text, note, write

from flashcards.collection import Collection
from flashcards.core.model import Rating


def test_deck_counts_match_the_queue_with_siblings(
    data_dir: Path, open_col: Callable[..., Collection]
) -> None:
    cloze = "## Blanks {#blanks}\nThe {{first}}, the {{c2::second}} and {{c3::third}}.\n"
    reverse = "## Term {#term01 .reverse}\nIts meaning.\n"
    write(data_dir / "decks" / "d.md", deck_text(cloze, reverse, note("Plain", nid="plain1")))
    col = open_col()
    (info,) = col.decks(now=T0)
    assert info.total == 6
    assert (info.new, info.learning, info.due) == col.counts("d.md", now=T0) == (3, 0, 0)
    assert len(col.queue("d.md", now=T0)) == 3
    col.answer("blanks:c1", Rating.EASY, now=T0)  # its siblings are buried for today
    (info,) = col.decks(now=T0)
    assert (info.new, info.learning, info.due) == col.counts("d.md", now=T0) == (2, 0, 0)
