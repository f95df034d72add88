"""Whatever a field holds, an import gives a deck our parser reads, or says what it left out."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.core.errors import InteropError
from flashcards.core.parser import parse_deck
from flashcards.interop.anki_db import AnkiNote, AnkiNotetype, AnkiTemplate
from flashcards.interop.anki_notes import note_block
from flashcards.interop.deck_writer import build_deck
from flashcards.interop.obsidian import read_obsidian
from flashcards.interop.text_import import read_text_file

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


_SR_PIECES = st.sampled_from(
    [
        "a", " ", "\n", "\n\n", "?", "??", "::", ":::", "==", "{{", "}}", "#flashcards", "# h",
        "```", "`", "<!--SR:!2026-01-02,3,250-->", "<!--SR:!bad-->", "![[x.png]]", "---", "- [ ] ",
    ]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(_SR_PIECES, max_size=30).map("".join), st.booleans())
def test_any_obsidian_note_gives_a_readable_deck(text: str, curly: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        note = Path(tmp) / "n.md"
        note.write_text(text, encoding="utf-8")
        bundle = read_obsidian([note], root=Path(tmp), curly_cloze=curly)
        for path, deck in bundle.decks.items():
            notes = parse_deck(deck, path=path).deck.notes
            assert all(n.id is not None for n in notes)
            assert set(bundle.cards) <= {c.id for n in notes for c in n.cards}


_CSV_PIECES = st.sampled_from(
    ["a", " ", "\n", ",", ";", "\t", '"', '""', "#separator:Tab\n", "#html:true\n", "<b>",
     "{{c1::x}}", "#guid column:1\n", "#deck column:2\n", "?", "\n?\n", "é"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(_CSV_PIECES, max_size=30).map("".join))
def test_any_text_file_imports_or_says_why(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.csv"
        path.write_text(text, encoding="utf-8")
        try:
            bundle = read_text_file(path)
        except InteropError:
            return
        for deck_path, deck in bundle.decks.items():
            assert all(n.id is not None for n in parse_deck(deck, path=deck_path).deck.notes)
