"""An import builds its decks' notes from the blocks it wrote (`deck_writer._read_back`)
rather than parsing each file back: what it builds is what the parser reads, always.

Blocks are written raw here (not through html_to_markdown's escaping), so bodies hold
lines the parser reads as headings, separators, tags, literal zones and bad ids: the
direct build must decline those (the parse takes over) and equal the parse elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from anki_factory import LAYOUTS, Sample
from hypothesis import example, given, settings
from hypothesis import strategies as st

from flashcards.core.errors import DeckFormatError
from flashcards.core.headings import parse_heading
from flashcards.core.model import NoteId
from flashcards.core.parser import parse_deck
from flashcards.interop import deck_writer
from flashcards.interop.anki_db import AnkiNote, AnkiNotetype, AnkiTemplate
from flashcards.interop.anki_notes import Shape, note_block
from flashcards.interop.anki_notetypes import definition
from flashcards.interop.anki_package import import_anki_package
from flashcards.interop.deck_writer import NoteBlock, build_deck, front_matter, stable_id

_PIECES = st.sampled_from(
    [
        "a", "b c", " ", "  ", "\t", "\n", "\n\n", "?", "??", "#", "# ", "## h", " ## h", "{", "}",
        "{{c1::", "{{c2::x}}", "::", "}}", "{#x}", "{#bad id}", " {.reverse}", "[[", "]]",
        "[[Link]]", "`", "```", "~~~", "<!--", "-->", "- [ ] ", "- [x] ", "Tags: t", "Tags:",
        "---", "*", "_", "|", "\\", "é", "\r", "\x00", "$x$", "<b>", "&#63;", "`{{c1::a}}`",
        "`[[x]]`", "\n```\n## h\n```\n", "<!-- {{c1::a}} -->", "\n~~~\n?\n~~~\n",
        "\n# h", "\n #x", "\n  ## h", "\n   ###", "\n    # code", "\n#######",
    ]
)  # fmt: skip
_TEXT = st.lists(_PIECES, max_size=10).map("".join)
_ID = st.sampled_from(["n1", "n2", "n3", "a-b_c", "bad id", "n1"])
_BLOCK = st.builds(
    NoteBlock,
    id=_ID,
    title=_TEXT,
    answer=_TEXT,
    prompt=_TEXT,
    reverse=st.booleans(),
    tags=st.lists(st.sampled_from(["t", "a::b", "c d", ""]), max_size=3).map(tuple),
)
# A note type's block: its key (good and bad) and `keep=` numbers (in order or not).
_KEYS = st.sampled_from(["vocab", "a.b+c-d_1", "_x", "bad key", "x}", "q'", "-x", "é", "{"])
_KEEP = st.sampled_from([(), (2,), (1, 3), (3, 1), (2, 2), (0,), (True,)])
_TYPED_BLOCK = st.builds(
    NoteBlock, id=_ID, title=_TEXT, answer=_TEXT, reverse=st.booleans(), notetype=_KEYS, keep=_KEEP
)


def _same_as_parse(path: str, built: deck_writer.BuiltDeck) -> None:
    assert built.result == parse_deck(built.text, path=path)
    assert built.notes == built.result.deck.notes


@settings(max_examples=400, deadline=None)
@given(st.lists(_BLOCK, min_size=1, max_size=6))
def test_built_notes_are_the_parse_of_the_written_deck(blocks: list[NoteBlock]) -> None:
    built = build_deck("d/deck.md", title="Deck", blocks=blocks)
    assert built.result is not None
    _same_as_parse("d/deck.md", built)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_TEXT, _TEXT, _TEXT), min_size=1, max_size=6))
def test_direct_notes_equal_the_parse_where_taken(texts: list[tuple[str, str, str]]) -> None:
    """`_read_back` itself, on decks whose blocks it may take or decline."""
    blocks = [
        NoteBlock(stable_id(str(i)), title, answer, prompt=prompt)
        for i, (title, answer, prompt) in enumerate(texts)
    ]
    head = front_matter("Deck")
    rendered = [b.render() for b in blocks]
    starts, line = [], head.count("\n") + 2
    for r in rendered:
        starts.append(line)
        line += r.count("\n") + 1
    text = head + "".join("\n" + r for r in rendered)
    direct = deck_writer._read_back("deck.md", head, text, blocks, starts)
    if direct is not None:
        assert direct == parse_deck(text, path="deck.md")


@settings(max_examples=400, deadline=None)
@given(st.lists(_BLOCK | _TYPED_BLOCK, min_size=1, max_size=6), st.booleans())
@example([NoteBlock(NoteId("n1"), "t", "   ### x")], False)  # indented headings
@example([NoteBlock(NoteId("n1"), "t", "  # x")], False)
@example([NoteBlock(NoteId("n1"), "t", " # x")], False)
@example([NoteBlock(NoteId("n1"), "t", "#x\n# y")], True)  # a heading on the first line
def test_heading_lines_are_counted_as_the_regex_counts_them(
    blocks: list[NoteBlock], first_line: bool
) -> None:
    body = "".join("\n" + b.render() for b in blocks)[1 if first_line else 0 :]
    by_regex = len(deck_writer._HEADING_LINES.findall(body)) == len(blocks)
    assert deck_writer._only_block_headings(body, len(blocks)) == by_regex


@settings(max_examples=600, deadline=None)
@given(_BLOCK | _TYPED_BLOCK)
def test_a_heading_built_directly_is_the_parsers(block: NoteBlock) -> None:
    line = block.render().split("\n")[0]
    try:
        parsed = parse_heading(line, line)
    except DeckFormatError:
        return
    assert deck_writer._heading(block, line) == parsed


BASIC = AnkiNotetype(1, "Basic", False, ("Front", "Back"), (AnkiTemplate("Card 1", "", ""),))
CLOZE = AnkiNotetype(2, "Cloze", True, ("Text", "Back Extra"), (AnkiTemplate("Cloze", "", ""),))
_HTML = st.sampled_from(
    [
        "word", "two words", "<b>bold</b>", "<i>it</i> and", "<br>", "<div>d</div>", "?", "#",
        "{{c1::x}}", "{{c2::y::hint}}", "<ul><li>a</li><li>b</li></ul>", "&lt;", "&amp;", "Tags:",
        "[[x]]", "- [ ] ", "<code>c</code>", "é", " ", "\n",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.booleans(), _HTML, _HTML, _HTML), min_size=1, max_size=8))
def test_imported_fields_are_built_as_parsed(notes: list[tuple[bool, str, str, str]]) -> None:
    blocks = []
    for i, (cloze, a, b, c) in enumerate(notes):
        notetype = CLOZE if cloze else BASIC
        note = AnkiNote(i, f"guid{i}", notetype.id, ("t", "x::y"), (a + b, c))
        blocks.append(note_block(note, notetype, rename=lambda name: None))
    _same_as_parse("deck.md", build_deck("deck.md", title="Deck", blocks=blocks))


VOCAB = AnkiNotetype(
    3,
    "Vocab",
    False,
    ("Front", "Back", "Extra"),
    (
        AnkiTemplate("Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}<br>{{Extra}}"),
        AnkiTemplate("Card 2", "{{#Extra}}{{Back}}{{/Extra}}", "{{FrontSide}}<hr>{{hint:Front}}"),
    ),
)
# Field names with a space inside, and one with spaces to strip (the deck's note type
# then names it without them: its notes are read from their lines).
SPACED = AnkiNotetype(
    4,
    "Spaced",
    False,
    ("Word Form", "Back Extra", " Note "),
    (AnkiTemplate("Card 1", "{{Word Form}}", "{{Back Extra}}"),),
)
TYPED = {"vocab": definition(VOCAB), "spaced": definition(SPACED)}
# Field HTML that writes label-like, tag-like, blank and multi-line values.
_FIELD_HTML = _HTML | st.sampled_from(
    [
        "Front: x", "Back:", "Extra: y", "<div>Back: z</div>", "Word Form: w", "Note: n",
        "<br>Tags: t", "Tags: a b", "&nbsp;", "<br><br>", "\t", "a\nb", "<div></div>",
        " lead", "trail ", "<div>a</div><div>b</div>", "<p>p</p><p>q</p>", "&#58;",
    ]
)  # fmt: skip
_TYPED_NOTE = st.tuples(
    st.sampled_from([VOCAB, SPACED]),
    st.lists(_FIELD_HTML, max_size=3).map("".join),
    st.lists(_FIELD_HTML, max_size=3).map("".join),
    st.lists(_FIELD_HTML, max_size=3).map("".join),
    st.sampled_from([(), ("t",), ("a::b", "c")]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_TYPED_NOTE, min_size=1, max_size=8))
def test_note_type_notes_are_built_as_parsed(
    notes: list[tuple[AnkiNotetype, str, str, str, tuple[str, ...]]],
) -> None:
    """Their fields, carried from the writer (NoteBlock.fields), are what the parser reads."""
    blocks = [
        note_block(
            AnkiNote(i, f"guid{i}", notetype.id, tags, (a, b, c)),
            notetype,
            rename=lambda name: None,
            shape=Shape.OTHER,
            key=notetype.name.lower(),
        )
        for i, (notetype, a, b, c, tags) in enumerate(notes)
    ]
    built = build_deck("deck.md", title="Deck", blocks=blocks, notetypes=TYPED)
    _same_as_parse("deck.md", built)


def test_field_values_travel_with_the_block_unless_a_name_has_spaces_to_strip() -> None:
    def block(notetype: AnkiNotetype, fields: tuple[str, ...]) -> NoteBlock:
        note = AnkiNote(1, "g", notetype.id, (), fields)
        return note_block(
            note, notetype, rename=lambda n: None, shape=Shape.OTHER, key=notetype.name.lower()
        )

    assert block(VOCAB, ("<b>w</b>", " ", "a<br>b")).fields == ("**w**", "", "a  \nb")
    assert block(VOCAB, ("w", "m", "")).fields == ("w", "m", "")  # the heading holds w
    assert block(VOCAB, ("", "m", "")).fields == ("", "m", "")  # the title is Back's
    assert block(SPACED, ("w", "b", "n")).fields == ()


def test_plain_imported_notes_take_the_direct_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """The usual Anki note is built directly: no parse of the written deck."""
    parsed: list[str] = []
    real = deck_writer.parse_deck

    def counting(text: str, *, path: str) -> object:
        parsed.append(text)
        return real(text, path=path)

    monkeypatch.setattr(deck_writer, "parse_deck", counting)
    typed = [
        note_block(
            AnkiNote(9 + i, f"v{i}", VOCAB.id, ("t",), fields),
            VOCAB,
            rename=lambda n: None,
            shape=Shape.OTHER,
            key="vocab",
        )
        for i, fields in enumerate([("<b>word</b>", "meaning", "<i>example</i>"), ("w", "m", "")])
    ]
    notes = [
        (BASIC, ("<b>Question</b> about <i>x</i>?", "Answer<br><ul><li>one</li><li>two</li></ul>")),
        (CLOZE, ("{{c1::Item::hint}} relates to {{c2::thing}}", "")),
        (BASIC, ("word", "mot")),
    ]
    blocks = [
        note_block(AnkiNote(i, f"g{i}", nt.id, ("t",), fields), nt, rename=lambda n: None)
        for i, (nt, fields) in enumerate(notes)
    ]
    built = build_deck("deck.md", title="Deck", blocks=blocks + typed, notetypes=TYPED)
    assert len(built.notes) == 5
    assert all(text.count("\n## ") == 0 for text in parsed)  # only the front matter was read
    monkeypatch.undo()
    _same_as_parse("deck.md", built)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_fixture_package_deck_is_built_as_parsed(
    layout: str, tmp_path: Path, anki_packages: dict[str, tuple[Path, Sample]]
) -> None:
    package, _ = anki_packages[layout]
    bundle = import_anki_package(package, workdir=tmp_path)
    assert bundle.parsed
    for path, text in bundle.decks.items():
        assert bundle.parsed[path] == parse_deck(text, path=path)
