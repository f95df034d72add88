"""The parser builds Cards and Notes without their constructors: they must be exactly
what the constructors would build, for every kind of card."""

from __future__ import annotations

from dataclasses import fields

from flashcards.core.model import Card, CardKind, Note
from flashcards.core.parser import parse_deck

DECK = """---
title: Kinds
---

# Section

## Basic {#b1}
front
?
back

Tags: a, b

## Reversed {#r1 .reverse}
word
?
mot

## Cloze {#c1}
The {{c1::sun}} and the {{c2::moon::sky}}.

## Choice {#m1}
Pick one
- [x] right
- [ ] wrong
?
because

## No id yet
just an answer
"""


def test_parsed_cards_and_notes_equal_their_constructors_values() -> None:
    deck = parse_deck(DECK, path="kinds.md").deck
    kinds = {c.kind for c in deck.cards}
    assert kinds == {CardKind.BASIC, CardKind.REVERSE, CardKind.CLOZE, CardKind.CHOICE}
    for value, cls in [*((c, Card) for c in deck.cards), *((n, Note) for n in deck.notes)]:
        assert set(value.__dict__) == {f.name for f in fields(cls)}
        assert cls(**value.__dict__) == value
        assert repr(cls(**value.__dict__)) == repr(value)
