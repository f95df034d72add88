"""Pure new-card ordering rules: where questions go, the interleaved sort, random keys."""

from __future__ import annotations

import pytest

from flashcards.core.queue_order import (
    NEW_GATHER_HELP,
    NEW_GATHER_ORDERS,
    NEW_SORT_HELP,
    NEW_SORT_ORDERS,
    NewGather,
    NewSort,
    after_anchors,
    interleave_kinds,
    question_keys,
    random_key,
)
from flashcards.core.scheduling import Preset, PresetError


def test_every_order_has_a_label_and_a_tooltip() -> None:
    assert set(NEW_GATHER_ORDERS) == set(NEW_GATHER_HELP) == set(NewGather)
    assert set(NEW_SORT_ORDERS) == set(NEW_SORT_HELP) == set(NewSort)
    assert NEW_GATHER_ORDERS[NewGather.DECKS] == "Deck order"
    # The first entry is the default, as a combo box would list it.
    assert next(iter(NEW_GATHER_ORDERS)) is Preset().new_gather is NewGather.DOMAINS
    assert next(iter(NEW_SORT_ORDERS)) is Preset().new_sort is NewSort.INTERLEAVED


def test_a_question_sorts_after_its_anchor_and_unlinked_ones_spread() -> None:
    # Notes sit at positions 0..9; four questions written at the end (10..13).
    keys = question_keys(
        [("q1", 10, 7), ("q2", 11, None), ("q3", 12, 2), ("q4", 13, None)], notes=(0, 9)
    )
    # q2 and q4 spread at 1/3 and 2/3 of the notes; q3 after note 2, q1 after note 7.
    assert keys == [("q3", 2.0), ("q2", 3.0), ("q4", 6.0), ("q1", 7.0)]
    # Without notes, questions keep their file order.
    assert question_keys([("a", 5, None), ("b", 6, None)], notes=None) == [
        ("a", 5.0),
        ("b", 6.0),
    ]


def test_study_order_puts_each_question_right_after_its_note_lazily() -> None:
    pulled: list[int] = []

    def notes():  # positions 0, 1, 3, 4 (2 was studied already)
        for p in (0, 1, 3, 4):
            pulled.append(p)
            yield f"n{p}", p

    order = after_anchors(notes(), [("early", -1.0), ("q1", 1.0), ("q2", 2.0), ("late", 9.0)])
    # "q2" tests the studied note 2: it comes before note 3.
    first = [next(order) for _ in range(5)]
    assert first == ["early", "n0", "n1", "q1", "q2"]
    assert pulled == [0, 1, 3]  # the notes are read no further than needed
    assert list(order) == ["n3", "n4", "late"]


def test_interleaved_sort_follows_links_then_spreads_the_rest() -> None:
    items = [
        ("n1", "a", None),
        ("n2", "b", None),
        ("n3", "c", None),
        ("n4", "d", None),
        ("qa", "x", {"a"}),  # tests note a: right after n1
        ("qbc", "y", {"c", "b"}),  # tests b and c: after the later one, n3
        ("q?", "z", {"elsewhere"}),  # tests nothing of today's: spread
        ("q-", "w", set()),  # links to nothing: spread
    ]
    assert interleave_kinds(items) == ["n1", "qa", "n2", "q?", "n3", "qbc", "q-", "n4"]
    # Questions only, or notes only, keep their order.
    assert interleave_kinds([("q1", "x", set()), ("q2", "y", set())]) == ["q1", "q2"]
    assert interleave_kinds([("n1", "a", None), ("n2", "b", None)]) == ["n1", "n2"]


def test_random_key_is_fixed_by_day_and_card_and_shuffles() -> None:
    ids = [f"card{i:03d}" for i in range(200)]
    day1 = sorted(ids, key=lambda c: random_key(20_000, c))
    assert day1 == sorted(ids, key=lambda c: random_key(20_000, c))  # same day, same order
    day2 = sorted(ids, key=lambda c: random_key(20_001, c))
    assert day1 != day2 and day1 != ids
    # Not a near-identity: few cards keep their neighbour from one day to the next.
    pairs1 = set(zip(day1, day1[1:], strict=False))
    pairs2 = set(zip(day2, day2[1:], strict=False))
    assert len(pairs1 & pairs2) < 10


def test_preset_takes_orders_by_value_and_reports_bad_ones() -> None:
    preset = Preset(new_gather="random", new_sort="gathered")  # type: ignore[arg-type]
    assert (preset.new_gather, preset.new_sort) == (NewGather.RANDOM, NewSort.GATHERED)
    with pytest.raises(PresetError) as err:
        Preset(new_gather="sideways", new_sort="upwards", new_per_day=-1)  # type: ignore[arg-type]
    message = str(err.value)
    assert "new_gather 'sideways'" in message and "domains, decks" in message
    assert "new_sort 'upwards'" in message and "new cards per day" in message
