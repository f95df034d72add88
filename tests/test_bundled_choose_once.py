"""A bundled question says how many options to pick once: the app adds "Choose 2." above a
multiple-response question's options, so its text must not say "(Choose two.)" as well
(QA found 48 that said both)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from flashcards.core.model import Card, CardKind
from flashcards.core.parser import parse_file
from flashcards.core.render import Side, render_card

DECKS = Path(__file__).resolve().parents[1] / "decks"

# "Choose two", "choose 2", "Select TWO", "(Pick three.)": how exam questions ask.
_HOW_MANY = re.compile(r"\b(choose|select|pick)\s+(\d+|one|two|three|four|five)\b", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def bundled_questions() -> list[tuple[Path, Card]]:
    return [
        (file, card)
        for file in sorted(DECKS.rglob("*.md"))
        for card in parse_file(file, root=DECKS).deck.cards
        if card.kind is CardKind.CHOICE
    ]


def said(card: Card, base_dir: Path) -> list[str]:
    """Each "choose N" the question's front shows, as the review and the exam show it."""
    front = render_card(card, side=Side.FRONT, base_dir=base_dir, media_root=DECKS)
    text = html.unescape(_TAG.sub(" ", front))
    return [m.group() for m in _HOW_MANY.finditer(text)]


def test_no_bundled_question_says_how_many_to_choose_twice() -> None:
    questions = bundled_questions()
    assert sum(sum(c.correct for c in card.choices) > 1 for _, card in questions) >= 40
    twice = [
        f"{file.relative_to(DECKS)}: {card.title}: {found}"
        for file, card in questions
        if len(found := said(card, file.parent)) > 1
    ]
    assert twice == []


def test_a_multiple_response_question_says_it_once() -> None:
    file, card = next(
        (f, c) for f, c in bundled_questions() if sum(ch.correct for ch in c.choices) == 2
    )
    assert said(card, file.parent) == ["Choose 2"]


@pytest.mark.parametrize("stem", ["Which two? (Choose two.)", "Which two? Select TWO."])
def test_the_check_sees_a_question_that_says_it_twice(stem: str, tmp_path: Path) -> None:
    deck = tmp_path / "q.md"
    deck.write_text(f"## Q {{#q1}}\n{stem}\n- [x] A\n- [x] B\n- [ ] C\n?\nWhy.\n", "utf-8")
    (card,) = parse_file(deck, root=tmp_path).deck.cards
    assert len(said(card, tmp_path)) == 2
