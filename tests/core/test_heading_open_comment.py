"""A heading that ends by opening an HTML comment (`## Title<!--`): its id goes before
the comment, where the parser can see it, and is written once, not at every sync."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from flashcards.collection.collection import Collection
from flashcards.core.ids import assign_ids
from flashcards.core.parser import parse_deck

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("## Title<!--", "## Title {#ab12cd}<!--"),
        ("## Title <!--", "## Title {#ab12cd} <!--"),
        ("## Title <!-- runs on", "## Title {#ab12cd} <!-- runs on"),
        ("## Title {.reverse}<!--", "## Title {#ab12cd .reverse}<!--"),
        # A comment closed on the line is not open: the id goes at the end as usual.
        ("## Title <!-- note -->", "## Title <!-- note --> {#ab12cd}"),
    ],
)
def test_the_id_goes_before_an_open_comment(heading: str, expected: str) -> None:
    data = f"{heading}\nbody\n".encode()
    result = parse_deck(data, path="c.md")
    note = result.deck.notes[0]
    assert note.title in ("Title", "Title <!-- note -->")
    out = assign_ids(data, result, taken=set(), reuse={note.line_start: "ab12cd"}).data
    assert out is not None
    assert out.decode().split("\n")[0] == expected
    again = parse_deck(out, path="c.md")
    assert [n.id for n in again.deck.notes] == ["ab12cd"]
    assert assign_ids(out, again, taken=set()).data is None  # nothing more to write


def test_syncs_and_edits_add_no_more_ids(tmp_path: Path) -> None:
    with Collection.open(tmp_path / "data", seed=False, now=NOW) as col:
        deck = col.library / "c.md"
        deck.write_text("## Title<!--\nbody\n\n## Other\nx\n", encoding="utf-8")
        first = col.sync(now=NOW)
        assert first.cards_added == 1
        written = deck.read_text(encoding="utf-8")
        assert written.startswith("## Title {#") and written.count("{#") == 1
        assert written.split("\n", 1)[0].endswith("}<!--")
        assert col.sync(now=NOW).files_changed == ()
        deck.write_text(written + "more\n", encoding="utf-8")  # an edit below
        col.sync(now=NOW)
        assert deck.read_text(encoding="utf-8") == written + "more\n"
        (view,) = col.cards(col.queue(None))
        assert view.card.title == "Title"
