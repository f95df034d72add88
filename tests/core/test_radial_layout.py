"""A card's neighbourhood around it: every neighbour placed, no label over another."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.core.radial_layout import LABEL_OFFSET, radial_layout


def _boxes(result, widths, height, radius):  # type: ignore[no-untyped-def]
    """Each card's label box as the map draws it (centre: under its disc)."""
    boxes = {}
    for i, (x, y) in result.positions.items():
        r, w = radius[i], widths[i]
        if i == 0:
            boxes[i] = (x - w / 2, y + r + LABEL_OFFSET, x + w / 2, y + r + LABEL_OFFSET + height)
        elif i in result.left:
            boxes[i] = (
                x - r - LABEL_OFFSET - w,
                y - height / 2,
                x - r - LABEL_OFFSET,
                y + height / 2,
            )
        else:
            boxes[i] = (
                x + r + LABEL_OFFSET,
                y - height / 2,
                x + r + LABEL_OFFSET + w,
                y + height / 2,
            )
    return boxes


def _overlap(a, b) -> bool:  # type: ignore[no-untyped-def]
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _discs_clear(result, widths, height, radius) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Pairs where a label covers another card's disc or two discs touch."""
    boxes = _boxes(result, widths, height, radius)
    bad = []
    for i, (x, y) in result.positions.items():
        disc = (x - radius[i], y - radius[i], x + radius[i], y + radius[i])
        for j, box in boxes.items():
            if i != j and _overlap(disc, box):
                bad.append((i, j))
    return bad


def _case(first: int, second: int, seed: int):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    ring1 = list(range(1, first + 1))
    ring2 = list(range(first + 1, first + second + 1))
    links = {i: [0] for i in ring1}
    for j in ring2:
        links[j] = rng.sample(ring1, k=min(len(ring1), rng.choice((1, 2)))) if ring1 else []
    every = [0, *ring1, *ring2]
    widths = {i: rng.uniform(30, 220) for i in every}
    radius = {i: rng.uniform(6.6, 16.6) for i in every}
    result = radial_layout(
        0,
        [ring1, ring2],
        links=lambda i: links.get(i, []),
        label_width=widths,
        label_height=18.0,
        radius=radius,
    )
    return result, widths, radius


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 20), st.integers(0, 60), st.integers(0, 10_000))
def test_no_two_labels_overlap_and_no_label_covers_a_disc(
    first: int, second: int, seed: int
) -> None:
    result, widths, radius = _case(first, second, seed)
    assert set(result.positions) == set(range(first + second + 1))
    assert result.positions[0] == (0.0, 0.0)
    boxes = _boxes(result, widths, 18.0, radius)
    for (i, a), (j, b) in itertools.combinations(boxes.items(), 2):
        assert not _overlap(a, b), (i, j)
    assert _discs_clear(result, widths, 18.0, radius) == []
    # The bounds hold every label.
    left, top, right, bottom = result.bounds
    for box in boxes.values():
        assert left <= box[0] + 1e-6 and box[2] <= right + 1e-6
        assert top <= box[1] + 1e-6 and box[3] <= bottom + 1e-6


def test_second_ring_cards_stand_beside_the_neighbour_that_links_to_them() -> None:
    result, _widths, _radius = _case(6, 18, seed=3)
    for j in range(7, 25):
        parent = result.parent[j]
        assert 1 <= parent <= 6
        px, py = result.positions[parent]
        x, y = result.positions[j]
        assert (x > 0) == (px > 0)  # the same side
        assert abs(x) > abs(px)  # further out
    assert all(result.parent[i] == 0 for i in range(1, 7))
    # Labels read outwards: left-hand cards are labelled on their left.
    assert result.left == {i for i, (x, _y) in result.positions.items() if x < 0}


def test_cards_not_linked_to_the_first_ring_still_get_a_place() -> None:
    result = radial_layout(
        0,
        [[1, 2], [3]],
        links=lambda i: [],  # 3 came in as a suggestion, linked to nothing shown
        label_width={0: 50.0, 1: 50.0, 2: 50.0, 3: 50.0},
        label_height=16.0,
        radius={0: 8.0, 1: 8.0, 2: 8.0, 3: 8.0},
    )
    assert set(result.positions) == {0, 1, 2, 3} and 3 in result.left
