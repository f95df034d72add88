"""Whatever a field holds, an import gives a deck our parser reads, or says what it left out."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.core.parser import parse_deck
from flashcards.interop.anki_db import AnkiNote, AnkiNotetype, AnkiTemplate
from flashcards.interop.anki_notes import note_block
from flashcards.interop.deck_writer import build_deck

_PIECES = st.sampled_from(
    [
        "a", " ", "\n", "?", "??", "#", "## h", "{{", "}}", "{{c1::", "::", "{#x}", "[[", "]]",
        "`", "```", "~~~", "<!--", "-->", "- [ ] ", "- [x] ", "Tags:", "---", "<b>", "</b>",
        "<div>", "</div>", "<br>", "&lt;", "&amp;", "<ul><li>", "</li></ul>", "*", "_", "|",
    ]
)  # fmt: skip
_FIELD = st.lists(_PIECES, max_size=12).map("".join)
BASIC = AnkiNotetype(1, "Basic", False, ("Front", "Back"), (AnkiTemplate("Card 1", "", ""),))
CLOZE = AnkiNotetype(2, "Cloze", True, ("Text", "Back Extra"), (AnkiTemplate("Cloze", "", ""),))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.booleans(), _FIELD, _FIELD), min_size=1, max_size=6))
def test_any_fields_give_a_readable_deck(notes: list[tuple[bool, str, str]]) -> None:
    blocks = []
    for i, (cloze, first, second) in enumerate(notes):
        notetype = CLOZE if cloze else BASIC
        note = AnkiNote(i, f"guid{i}", notetype.id, ("t",), (first, second))
        blocks.append(note_block(note, notetype, rename=lambda name: None))
    built = build_deck("deck.md", title="Deck", blocks=blocks)
    parsed = parse_deck(built.text, path="deck.md").deck.notes
    assert [n.id for n in parsed] == [n.id for n in built.notes]
    # every note is either in the deck or reported
    assert len(built.notes) + len(built.skipped) == len(blocks)
