"""Which option of an edited multiple-choice card each old option became, and the picks
and order carried over (QA pass: an edit from the review keeps the user's picks)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from flashcards.core.choice_order import (
    carried_options,
    carried_order,
    carried_picks,
    is_order_of,
    shuffled_choices,
)
from flashcards.core.model import Card, CardId, CardKind, Choice, NoteId


def card(*options: str) -> Card:
    """A card whose options are these texts; a leading '*' marks a right one."""
    choices = tuple(Choice(text=o.lstrip("*"), correct=o.startswith("*")) for o in options)
    return Card(
        id=CardId("c1"),
        note_id=NoteId("n1"),
        kind=CardKind.CHOICE,
        title="Q",
        prompt="Which?",
        answer="",
        file="deck.md",
        line_start=1,
        line_end=2 + len(choices),
        choices=choices,
    )


def test_an_unchanged_card_maps_each_option_to_itself() -> None:
    old = card("a", "*b", "c")
    assert carried_options(old, old) == {0: 0, 1: 1, 2: 2}


def test_options_keep_their_text_wherever_they_move() -> None:
    old = card("Granite", "*Banana", "*Cherry", "Slate")
    new = card("*Cherry", "Slate", "*Banana")  # Granite deleted, the rest moved
    assert carried_options(old, new) == {1: 2, 2: 0, 3: 1}
    assert carried_picks(frozenset({0, 1, 2}), carried_options(old, new)) == {0, 2}


def test_an_option_reworded_in_place_stays_itself() -> None:
    old = card("Alpha", "*Bravo", "Charlie")
    new = card("Alpha", "*Bravo!", "Charlie", "Delta")
    assert carried_options(old, new) == {0: 0, 1: 1, 2: 2}
    new = card("Alpha", "*Bravo 2", "Zulu")  # two rewordings: each in its place
    assert carried_options(old, new) == {0: 0, 1: 1, 2: 2}


def test_the_order_shown_holds_for_kept_options_and_a_new_one_takes_its_draw() -> None:
    old = card("a", "b", "c", "d")
    new = card("b", "c", "d", "e")  # a went, e came
    carried = carried_options(old, new)
    shown = (3, 0, 2, 1)  # d a c b
    drawn = (3, 1, 0, 2)  # the edited card's own draw: e b
    order = carried_order(shown, carried, drawn)
    assert is_order_of(order, 4)
    assert order == (3, 2, 1, 0)  # e where its draw puts it; then d c b as shown


@given(
    st.lists(st.sampled_from("abcdef"), min_size=1, max_size=6),
    st.lists(st.sampled_from("abcdefgh"), min_size=1, max_size=7),
    st.integers(min_value=0, max_value=2**63),
)
def test_the_carried_order_shows_every_new_option_once(
    before: list[str], after: list[str], seed: int
) -> None:
    old, new = card(*before), card(*after)
    carried = carried_options(old, new)
    assert len(set(carried.values())) == len(carried)  # never two old options on one
    assert all(0 <= j < len(after) for j in carried.values())
    order = carried_order(shuffled_choices(old, seed), carried, shuffled_choices(new, seed))
    assert is_order_of(order, len(after))
    if before == after:
        assert order == shuffled_choices(new, seed)
