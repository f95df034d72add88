"""Multiple-choice options shown in an order drawn per presentation (issue 13.2).

The order is a pure function of the card and a seed: the same seed gives the same order,
seeds spread the right answer over every position (on the bundled questions too, even with
every answer moved to B, as the files had it before issue 16), and the renderer letters the
options as shown while what was picked stays a file index.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flashcards.core.choice_order import (
    file_order,
    is_order_of,
    presentation_seed,
    shuffled_choices,
)
from flashcards.core.model import Card, CardId, CardKind, Choice, NoteId
from flashcards.core.parser import parse_file
from flashcards.core.render import Side, clear_render_cache, render_card

DECKS = Path(__file__).resolve().parents[2] / "decks"
T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
SEEDS = [presentation_seed(T0 + timedelta(seconds=7 * i), i) for i in range(60)]


def choice_card(count: int = 4, *, right: tuple[int, ...] = (1,), card_id: str = "q1") -> Card:
    return Card(
        id=CardId(card_id),
        note_id=NoteId(card_id),
        kind=CardKind.CHOICE,
        file="exam.md",
        title="Metric for rare fraud",
        prompt="Which metric should you watch?",
        answer="Accuracy is 99.9% for a model that flags nothing.",
        line_start=1,
        line_end=8,
        choices=tuple(Choice(f"Option {i}", i in right) for i in range(count)),
    )


@pytest.fixture(scope="module")
def bundled() -> list[Card]:
    cards = [
        card
        for file in sorted(DECKS.rglob("*.md"))
        for note in parse_file(file, root=DECKS).deck.notes
        for card in note.cards
        if card.choices
    ]
    assert len(cards) > 150
    return cards


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    clear_render_cache()


def test_the_same_seed_gives_the_same_order_and_is_pinned() -> None:
    card = choice_card()
    assert shuffled_choices(card, 7) == shuffled_choices(card, 7)
    # Pinned: the order for a seed must not drift between versions of the app.
    assert shuffled_choices(card, 7) == (1, 2, 3, 0)
    assert presentation_seed(T0, 0) == 6750903031022518292


def test_no_seed_and_single_options_keep_the_file_order() -> None:
    assert shuffled_choices(choice_card(), None) == (0, 1, 2, 3)
    assert shuffled_choices(choice_card(1, right=(0,)), 123) == (0,)
    assert file_order(3) == (0, 1, 2)


def test_a_seed_shuffles_each_card_differently() -> None:
    orders = {shuffled_choices(choice_card(card_id=f"q{i}"), 7) for i in range(30)}
    assert len(orders) > 10


def test_presentations_differ_even_in_the_same_instant() -> None:
    assert presentation_seed(T0, 1) != presentation_seed(T0, 2)
    assert presentation_seed(T0, 1) != presentation_seed(T0 + timedelta(microseconds=1), 1)


@given(
    count=st.integers(min_value=0, max_value=12),
    seed=st.integers(min_value=0, max_value=2**64),
    card_id=st.text(min_size=1, max_size=8),
)
def test_every_order_is_a_permutation(count: int, seed: int, card_id: str) -> None:
    order = shuffled_choices(choice_card(count, card_id=card_id), seed)
    assert is_order_of(order, count)
    assert sorted(order) == list(range(count))


def test_over_many_presentations_the_answer_visits_every_position() -> None:
    for right in ((0,), (1,), (3,), (1, 2)):
        card = choice_card(right=right)
        positions = Counter(
            position
            for seed in SEEDS
            for position, index in enumerate(shuffled_choices(card, seed))
            if index in right
        )
        assert set(positions) == {0, 1, 2, 3}, right


def leaning_on_b(card: Card) -> Card:
    """The card with its right options moved to the front from B on (B, then C...)."""
    right = [c for c in card.choices if c.correct]
    wrong = [c for c in card.choices if not c.correct]
    return replace(card, choices=(wrong[0], *right, *wrong[1:]))


def test_a_file_that_leans_on_b_is_spread_on_the_screen(bundled: list[Card]) -> None:
    # Before issue 16 the bundled files held the answer at B in 70 % of the questions; the
    # files are fair now (tests/test_bundled_decks.py), so lean them on B again here.
    leaning = [leaning_on_b(card) for card in bundled]
    in_files = Counter(i for card in leaning for i in card.correct if len(card.correct) == 1)
    assert set(in_files) == {1}  # every single answer at B
    for count in (4, 5):
        cards = [c for c in leaning if len(c.choices) == count]
        assert cards, count
        shown = Counter(
            position
            for card in cards
            for seed in SEEDS[:40]
            for position, index in enumerate(shuffled_choices(card, seed))
            if index in card.correct
        )
        total = sum(shown.values())
        shares = {chr(ord("A") + p): round(shown[p] / total, 3) for p in range(count)}
        assert all(0.15 <= share <= 0.35 for share in shares.values()), (count, shares)


def test_choose_two_cards_shuffle_both_answers(bundled: list[Card]) -> None:
    two = [c for c in bundled if len(c.correct) == 2]
    assert two
    for card in two[:5]:
        places = {
            tuple(
                sorted(p for p, i in enumerate(shuffled_choices(card, seed)) if i in card.correct)
            )
            for seed in SEEDS
        }
        assert len(places) > 3  # the pair lands at many different pairs of letters


LETTER = re.compile(r"&nbsp;([A-Z])&nbsp;</?(?:span|td)")


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr>.*?</tr>", html, re.DOTALL)


def test_render_letters_the_options_in_the_order_shown() -> None:
    card = choice_card()
    html = render_card(card, side=Side.FRONT, order=(2, 0, 3, 1))
    rows = _rows(html)
    assert [r.split("Option ")[1][0] for r in rows] == ["2", "0", "3", "1"]
    assert [LETTER.search(r).group(1) for r in rows] == ["A", "B", "C", "D"]  # type: ignore[union-attr]


def test_render_marks_picks_and_answers_by_file_index_whatever_the_order() -> None:
    card = choice_card(right=(1,))
    # The user picked the file's option 1, shown as D; it is right.
    back = render_card(
        card, side=Side.BACK, order=(2, 0, 3, 1), selected=frozenset({1}), reveal_choices=True
    )
    rows = _rows(back)
    assert "Option 1" in rows[3] and "✓" in rows[3]
    assert all("✓" not in r and "✗" not in r for r in rows[:3])
    wrong = render_card(card, side=Side.BACK, order=(2, 0, 3, 1), selected=frozenset({2}))
    assert "✗" in _rows(wrong)[0] and "✓" in _rows(wrong)[3]


def test_render_without_an_order_is_the_file_order_and_orders_are_cached_apart() -> None:
    card = choice_card()
    assert render_card(card, side=Side.FRONT) == render_card(
        card, side=Side.FRONT, order=(0, 1, 2, 3)
    )
    assert render_card(card, side=Side.FRONT, order=(1, 0, 2, 3)) != render_card(
        card, side=Side.FRONT
    )


def test_render_refuses_an_order_that_is_not_a_permutation() -> None:
    with pytest.raises(ValueError, match="not an order"):
        render_card(choice_card(), side=Side.FRONT, order=(0, 1, 1, 3))
    with pytest.raises(ValueError, match="not an order"):
        render_card(choice_card(), side=Side.FRONT, order=(0, 1, 2))
