"""parse_deck / parse_file on realistic decks: structure, cards, errors, encodings."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashcards.core.errors import DeckFormatError
from flashcards.core.model import CardKind, Choice, Link
from flashcards.core.parser import ParseResult, parse_deck, parse_file

DECK = """\
---
title: Modeling
domain: Modeling
tags: [sagemaker, algorithms]
level: 2
---

Text before the first heading describes the deck.

# Gradient boosting

## XGBoost eta {#k3f9q2}
What happens when you lower `eta` and keep `num_round` fixed?
?
Each tree adds less, so the model underfits unless `num_round` grows.
See also [[Early stopping]].

## Precision and recall {#p8d2m1}
Precision = {{TP / (TP + FP)}}; recall = {{c2::TP / (TP + FN)::formula}}.

## Metric for rare fraud {#q1w2e3}
A model flags 0.1% of transactions as fraud. Which metric should you watch?
- [ ] Accuracy
- [x] Area under the precision-recall curve
- [ ] Mean squared error
?
Accuracy is 99.9% for a model that flags nothing.
Tags: metrics, imbalance

# Deployment

## Endpoints

### Serverless inference {#srv001 .reverse}
Endpoints that scale to zero
"""


def parse(text: str, path: str = "deck.md") -> ParseResult:
    return parse_deck(text, path=path)


def test_deck_fields_from_front_matter() -> None:
    deck = parse(DECK).deck
    assert deck.title == "Modeling"
    assert deck.domain == "Modeling"
    assert deck.tags == ("sagemaker", "algorithms")
    assert deck.meta == {"level": 2}
    assert deck.description == "Text before the first heading describes the deck."
    assert deck.file == "deck.md"


def test_section_tree_and_paths() -> None:
    deck = parse(DECK).deck
    assert [s.title for s in deck.sections] == ["Gradient boosting", "Deployment"]
    assert [c.title for c in deck.sections[1].children] == ["Endpoints"]
    paths = {n.title: n.section_path for n in deck.notes}
    assert paths["XGBoost eta"] == ("Gradient boosting",)
    assert paths["Serverless inference"] == ("Deployment", "Endpoints")


def test_basic_card_with_separator() -> None:
    note = parse(DECK).deck.notes[0]
    assert note.id == "k3f9q2"
    assert (note.line_start, note.line_end) == (12, 16)
    (card,) = note.cards
    assert card.id == "k3f9q2"
    assert card.kind is CardKind.BASIC
    assert card.title == "XGBoost eta"
    assert card.prompt == "What happens when you lower `eta` and keep `num_round` fixed?"
    assert card.answer.startswith("Each tree adds less")
    assert card.links == (Link(target="Early stopping", line=16),)


def test_cloze_cards_numbered() -> None:
    note = parse(DECK).deck.notes[1]
    assert note.cloze_numbers == (1, 2)
    assert [c.id for c in note.cards] == ["p8d2m1:c1", "p8d2m1:c2"]
    card = note.cards[0]
    assert card.kind is CardKind.CLOZE
    assert card.prompt == (
        "Precision = {{c1::TP / (TP + FP)}}; recall = {{c2::TP / (TP + FN)::formula}}."
    )


def test_choice_card_and_tags() -> None:
    note = parse(DECK).deck.notes[2]
    (card,) = note.cards
    assert card.kind is CardKind.CHOICE
    assert card.choices == (
        Choice("Accuracy", False),
        Choice("Area under the precision-recall curve", True),
        Choice("Mean squared error", False),
    )
    assert card.correct == frozenset({1})
    assert "[ ]" not in card.prompt
    assert card.answer == "Accuracy is 99.9% for a model that flags nothing."
    assert card.tags == ("metrics", "imbalance")
    assert "Tags:" not in card.answer


def test_reverse_makes_two_cards() -> None:
    note = parse(DECK).deck.notes[3]
    assert note.reverse
    front, back = note.cards
    assert (front.id, back.id) == ("srv001", "srv001:r")
    assert back.kind is CardKind.REVERSE
    assert back.prompt == front.answer == "Endpoints that scale to zero"


def test_crlf_and_bom_give_same_cards_and_lines() -> None:
    plain = parse(DECK).deck
    crlf = parse_deck(b"\xef\xbb\xbf" + DECK.replace("\n", "\r\n").encode(), path="deck.md").deck
    assert crlf == plain


def test_not_utf8_names_the_line() -> None:
    with pytest.raises(DeckFormatError) as err:
        parse_deck(b"# A\n\n## B\n\xff\xfe\n", path="bad.md")
    assert err.value.path == "bad.md"
    assert err.value.line == 4


def test_parse_file_uses_relative_posix_path(tmp_path: Path) -> None:
    folder = tmp_path / "aws" / "ml"
    folder.mkdir(parents=True)
    (folder / "modeling-basics.md").write_text("## Q\nA\n", encoding="utf-8")
    result = parse_file(folder / "modeling-basics.md", root=tmp_path)
    assert result.deck.file == "aws/ml/modeling-basics.md"
    assert result.deck.title == "Modeling basics"
    assert result.deck.notes[0].cards[0].file == "aws/ml/modeling-basics.md"


def test_parse_file_missing_is_deck_format_error(tmp_path: Path) -> None:
    with pytest.raises(DeckFormatError):
        parse_file(tmp_path / "gone.md", root=tmp_path)


def test_same_id_twice_in_one_file() -> None:
    with pytest.raises(DeckFormatError) as err:
        parse("## A {#abc123}\nx\n## B {#abc123}\ny\n")
    assert err.value.line == 3


def test_content_hash_ignores_id_but_not_text() -> None:
    a = parse("## Q {.reverse}\nA\n").deck.notes[0]
    b = parse("## Q {#abc123 .reverse}\nA\n").deck.notes[0]
    c = parse("## Q {#abc123 .reverse}\nB\n").deck.notes[0]
    assert a.content_hash == b.content_hash != c.content_hash


def test_iter_clozes_reads_card_text_back() -> None:
    from flashcards.core.cloze import iter_clozes

    note = parse("## Q\nA {{x}} `{{c9::code}}` {{c3::y::hint}} {{z}}\n").deck.notes[0]
    found = [(c.number, c.text, c.hint) for c in iter_clozes(note.cards[0].prompt)]
    assert found == [(1, "x", None), (3, "y", "hint"), (2, "z", None)]
    assert sorted(n for n, _, _ in found) == list(note.cloze_numbers)
