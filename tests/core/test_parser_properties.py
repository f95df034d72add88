"""Property tests: the parser never raises anything but DeckFormatError, is
deterministic, and id write-back followed by a parse gives the same cards with ids."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashcards.core.errors import DeckFormatError
from flashcards.core.ids import assign_ids
from flashcards.core.model import Card, Note
from flashcards.core.parser import ParseResult, parse_deck

# Characters that mean something to the deck format, plus a little plain text.
SYNTAX = "#?{}[]|`~<!->:.xXc12 \t\n\r\ufeffTagsé"
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parse_or_none(data: bytes | str) -> ParseResult | None:
    try:
        return parse_deck(data, path="p.md")
    except DeckFormatError as error:
        assert error.path == "p.md"
        assert error.line is None or error.line >= 1
        return None


@SETTINGS
@given(st.text())
def test_arbitrary_text_only_raises_deck_format_error(text: str) -> None:
    parse_or_none(text)


@SETTINGS
@given(st.text(alphabet=SYNTAX))
def test_syntax_soup_only_raises_deck_format_error(text: str) -> None:
    parse_or_none(text)


@SETTINGS
@given(st.binary())
def test_arbitrary_bytes_only_raise_deck_format_error(data: bytes) -> None:
    parse_or_none(data)


# --- generated decks ---------------------------------------------------------------

words = st.text(alphabet="abcdefghij ", min_size=1, max_size=12).map(str.strip).filter(bool)
plain_line = st.one_of(
    words,
    words.map(lambda w: f"`{w}` and ``{{{{not}}}} [[code]]``"),
    words.map(lambda w: f"see [[{w}]] or [[other#{w}|label]]"),
    words.map(lambda w: f"<!-- {w} ## not a heading -->"),
    st.just(""),
    st.just("  trailing spaces  "),
)
cloze_line = st.one_of(
    words.map(lambda w: f"{w} {{{{{w}}}}}"),
    words.map(lambda w: f"{w} {{{{c2::{w}::hint}}}}"),
    words.map(lambda w: f"{{{{{w}::h}}}} {w}"),
)
code_block = st.tuples(st.sampled_from(["```", "~~~", "````"]), words).map(
    lambda t: f"{t[0]}python\n# {t[1]}\n?\n{{{{x}}}}\n{t[0]}"
)


@st.composite
def note(draw: st.DrawFn) -> str:
    level = draw(st.integers(2, 6))
    title = draw(words)
    attrs = draw(st.sampled_from(["", " {.reverse}", " {: .reverse}", " {#%s}", " {#%s .x}"]))
    if "%s" in attrs:
        attrs = attrs % draw(st.sampled_from(["aaa111", "bbb222", "ccc333"]))
    closing = draw(st.sampled_from(["", " ##"]))
    kind = draw(st.sampled_from(["basic", "split", "cloze", "choice", "code"]))
    body: list[str] = []
    if kind == "basic":
        body = draw(st.lists(plain_line, min_size=1, max_size=4))
        body.append(draw(words))
    elif kind == "split":
        body = [draw(words), "?", *draw(st.lists(plain_line, max_size=3)), draw(words)]
    elif kind == "cloze":
        body = draw(st.lists(cloze_line, min_size=1, max_size=3))
    elif kind == "choice":
        n = draw(st.integers(1, 4))
        marks = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        marks[0] = True
        body = [draw(words), *(f"- [{'x' if m else ' '}] {draw(words)}" for m in marks), "?"]
        body.append(draw(words))
    else:
        body = [draw(words), draw(code_block), draw(words)]
    if draw(st.booleans()):
        body.append("Tags: " + ", ".join(draw(st.lists(words, min_size=1, max_size=3))))
    return "\n".join([f"{'#' * level} {title}{attrs}{closing}", *body])


@st.composite
def deck_bytes(draw: st.DrawFn) -> bytes:
    parts: list[str] = []
    if draw(st.booleans()):
        parts.append(f"---\ntitle: {draw(words)}\ntags: [a, b]\n---\n")
    parts.append(draw(words))
    for n in draw(st.lists(note(), max_size=8)):
        if draw(st.booleans()):
            parts.append(f"# {draw(words)}")
        parts.append(n)
    text = "\n\n".join(parts)
    if draw(st.booleans()):
        text += "\n"
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    data = text.encode()
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return data


def without_ids(note: Note) -> Note:
    cards = tuple(without_card_id(c) for c in note.cards)
    return replace(note, id=None, cards=cards)


def without_card_id(card: Card) -> Card:
    return replace(card, id=card.id.replace(card.note_id, "", 1), note_id="")  # type: ignore[arg-type]


@SETTINGS
@given(deck_bytes())
def test_write_back_then_parse_gives_same_cards_with_ids(data: bytes) -> None:
    before = parse_or_none(data)
    if before is None:  # the same id drawn twice in one file
        return
    out = assign_ids(data, before, taken=set())
    if out.data is None:
        assert all(n.id for n in before.deck.notes)
        return
    after = parse_deck(out.data, path="p.md")
    assert all(n.id for n in after.deck.notes)
    assert [without_ids(n) for n in after.deck.notes] == [without_ids(n) for n in before.deck.notes]
    assert [n.content_hash for n in after.deck.notes] == [n.content_hash for n in before.deck.notes]
    changed = {
        i + 1
        for i, (a, b) in enumerate(zip(data.split(b"\n"), out.data.split(b"\n"), strict=True))
        if a != b
    }
    assert changed == set(out.assigned)
    for n in after.deck.notes:
        assert all(c.id.split(":")[0] == n.id for c in n.cards)


@SETTINGS
@given(st.text(alphabet=SYNTAX))
def test_write_back_on_syntax_soup_keeps_notes(text: str) -> None:
    data = text.encode()
    before = parse_or_none(data)
    if before is None:
        return
    out = assign_ids(data, before, taken={"aaa111"})
    if out.data is None:
        return
    after = parse_deck(out.data, path="p.md")
    assert [n.title for n in after.deck.notes] == [n.title for n in before.deck.notes]
    assert [n.cards and n.cards[0].kind for n in after.deck.notes] == [
        n.cards and n.cards[0].kind for n in before.deck.notes
    ]
    assert all(n.id and n.id != "aaa111" for n in after.deck.notes)


@SETTINGS
@given(deck_bytes())
def test_parse_is_deterministic(data: bytes) -> None:
    first = parse_or_none(data)
    second = parse_or_none(data)
    assert first == second


@SETTINGS
@given(deck_bytes())
def test_a_notes_own_lines_parse_to_the_same_note(data: bytes) -> None:
    # The collection edits a note by rewriting lines line_start..line_end; those lines
    # alone must be that note.
    result = parse_or_none(data)
    if result is None:
        return
    lines = data.decode("utf-8-sig").replace("\r\n", "\n").split("\n")
    for note in result.deck.notes:
        source = "\n".join(lines[note.line_start - 1 : note.line_end])
        (alone,) = parse_deck(source, path="p.md").deck.notes
        assert (alone.title, alone.prompt, alone.answer, alone.tags, alone.id) == (
            note.title,
            note.prompt,
            note.answer,
            note.tags,
            note.id,
        )
        assert [c.kind for c in alone.cards] == [c.kind for c in note.cards]
        assert alone.content_hash == note.content_hash
