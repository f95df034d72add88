"""Writing unnumbered cloze deletions' numbers back (deck-format rule 13): only `{{`
becomes `{{cN::`, with the number the parser gives; the cards stay the same."""

from __future__ import annotations

from flashcards.core.cloze_numbers import number_blanks
from flashcards.core.parser import parse_deck

DECK = """\
---
title: Clozes
---

## The {{Seine}} flows through {{c1::Paris}} {#riv001}
It is {{777 km::length}} long; `{{code}}` and {{C2::upper}} are text.
A deletion may {{span
two lines}}.
?
Extra: {{c1::Paris}} again, {{hinted::a word}} here.
Tags: {{not, a, cloze}}

## Plain {#pln001}
No deletion.

## Numbered {#num001}
Already {{c1::done}} and {{c2::done too}}.
"""

WRITTEN = """\
---
title: Clozes
---

## The {{c2::Seine}} flows through {{c1::Paris}} {#riv001}
It is {{c3::777 km::length}} long; `{{code}}` and {{C2::upper}} are text.
A deletion may {{c4::span
two lines}}.
?
Extra: {{c1::Paris}} again, {{c5::hinted::a word}} here.
Tags: {{not, a, cloze}}

## Plain {#pln001}
No deletion.

## Numbered {#num001}
Already {{c1::done}} and {{c2::done too}}.
"""


def _cards(data: bytes) -> list[tuple[str, str, str, str]]:
    notes = parse_deck(data, path="c.md").deck.notes
    return [(c.id, c.title, c.prompt, c.answer) for n in notes for c in n.cards]


def test_unnumbered_deletions_get_the_numbers_the_parser_gives() -> None:
    data = DECK.encode()
    written = number_blanks(data, parse_deck(data, path="c.md"))
    assert written is not None and written.decode() == WRITTEN
    assert _cards(written) == _cards(data)  # the same cards, byte for byte
    assert number_blanks(written, parse_deck(written, path="c.md")) is None


def test_crlf_bom_and_every_other_byte_are_kept() -> None:
    data = b"\xef\xbb\xbf" + DECK.replace("\n", "\r\n").encode() + b"  "
    written = number_blanks(data, parse_deck(data, path="c.md"))
    expected = b"\xef\xbb\xbf" + WRITTEN.replace("\n", "\r\n").encode() + b"  "
    assert written == expected


def test_nothing_to_write_without_an_unnumbered_deletion() -> None:
    for text in ("## A\nNo cloze.\n", "## A\n{{c1::x}} and {{c2::y}}\n", "## A\n`{{x}}`\n"):
        data = text.encode()
        assert number_blanks(data, parse_deck(data, path="c.md")) is None
