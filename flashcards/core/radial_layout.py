"""A card's neighbourhood laid out around it, every neighbour labelled.

The centre card sits in the middle, its label under it; the cards one link away stand
in two arcs, right and left of it, and the cards two links away in two wider arcs
beyond, each beside the neighbour that links to it. Labels go outwards — to the right
of the cards on the right, to the left of those on the left — and the rows and arcs are
spaced by the labels' own sizes and the discs', so no two labels overlap, nor a label a
disc, when the map is drawn at scale 1 (a scene unit a pixel).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

Point = tuple[float, float]

LABEL_OFFSET = 3.0
"""A label starts this far beyond its disc's edge."""
ROW_GAP = 4.0  # between two labels above each other
COLUMN_GAP = 24.0  # between a label's end and the next arc's discs
ARC = 0.1  # how far an arc's ends bend back towards the centre, per unit of its height


@dataclass(frozen=True)
class RadialLayout:
    """Offsets from the centre card (scene units at scale 1); `left` holds the cards
    labelled on their left (the centre is labelled under its disc); `bounds` is (left,
    top, right, bottom), labels included;
    `parent` the card each one stands beside (the centre for the first ring)."""

    positions: dict[int, Point]
    left: frozenset[int]
    bounds: tuple[float, float, float, float]
    parent: dict[int, int]


def radial_layout(
    centre: int,
    rings: Sequence[Sequence[int]],
    *,
    links: Callable[[int], Sequence[int]],
    label_width: Mapping[int, float],
    label_height: float,
    radius: Mapping[int, float],
) -> RadialLayout:
    """Place `centre` at the origin and `rings[d]` (the cards d + 1 links away, in the
    order to show them) around it. `links(i)` lists a card's neighbours: a card of the
    second ring stands beside the first-ring card it links to (one not linked to any
    stands at the end of the left side). `label_width` is each label's whole box and
    `radius` each disc's outer radius."""
    first = list(dict.fromkeys(rings[0])) if rings else []
    in_first = set(first)
    second = [j for j in dict.fromkeys(rings[1]) if j not in in_first] if len(rings) > 1 else []
    children: dict[int, list[int]] = {i: [] for i in first}
    orphans: list[int] = []
    parents = dict.fromkeys(first, centre)
    for j in second:
        parent = next((p for p in links(j) if p in in_first), None)
        (children[parent] if parent is not None else orphans).append(j)
        if parent is not None:
            parents[j] = parent
    # Two sides, balanced by the rows they need (a first-ring card or its children).
    sides: tuple[list[int], list[int]] = ([], [])
    load = [0, 0]
    for i in sorted(first, key=lambda i: -len(children[i])):
        side = 0 if load[0] <= load[1] else 1
        sides[side].append(i)
        load[side] += max(1, len(children[i]))
    order = {i: k for k, i in enumerate(first)}
    geometry = _Geometry(label_width, label_height, radius)
    positions: dict[int, Point] = {centre: (0.0, 0.0)}
    left: set[int] = set()
    for side, members in enumerate(sides):
        members.sort(key=order.__getitem__)
        outer = [j for i in members for j in children[i]] + (orphans if side == 1 else [])
        sign = 1.0 if side == 0 else -1.0
        ys_outer = geometry.rows(outer)
        at = dict(zip(outer, ys_outer, strict=True))
        wanted = [
            sum(at[j] for j in children[i]) / len(children[i]) if children[i] else None
            for i in members
        ]
        ys_inner = geometry.spread(members, wanted)
        # The first arc clears the centre's disc and the label under it.
        widest = max((geometry.disc(i) for i in members), default=0.0)
        start = max(geometry.disc(centre) + COLUMN_GAP, geometry.width(centre) / 2 + 8 + widest)
        x_inner = start + ARC * _half_height(ys_inner)
        reach = x_inner
        for i, (x, y) in zip(members, _arc(x_inner, ys_inner), strict=True):
            positions[i] = (sign * x, y)
            reach = max(reach, x + geometry.disc(i) + LABEL_OFFSET + geometry.width(i))
        x_outer = reach + COLUMN_GAP + ARC * _half_height(ys_outer)
        for j, (x, y) in zip(outer, _arc(x_outer, ys_outer), strict=True):
            positions[j] = (sign * x, y)
        if side == 1:
            left.update(members, outer)
    boxes = [geometry.box(i, x, y, i in left) for i, (x, y) in positions.items() if i != centre]
    boxes.append(geometry.under(centre))
    bounds = (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
    return RadialLayout(positions, frozenset(left), bounds, parents)


def _half_height(ys: Sequence[float]) -> float:
    return max((abs(y) for y in ys), default=0.0)


def _arc(x: float, ys: Sequence[float]) -> list[Point]:
    """A column bent into an arc: its ends come back towards the centre."""
    half = _half_height(ys) or 1.0
    return [(x - ARC * half * (y / half) ** 2, y) for y in ys]


@dataclass(frozen=True)
class _Geometry:
    widths: Mapping[int, float]
    height: float
    radii: Mapping[int, float]

    def width(self, i: int) -> float:
        return self.widths.get(i, 0.0)

    def disc(self, i: int) -> float:
        return self.radii.get(i, 6.0)

    def gap(self, a: int, b: int) -> float:
        """Distance between the rows of `a` and `b`, one above the other: their labels
        clear each other, and neither disc touches the other or the other's label."""
        ra, rb = self.disc(a), self.disc(b)
        return max(self.height + ROW_GAP, ra + rb + 2.0, self.height / 2 + max(ra, rb) + 2.0)

    def rows(self, cards: Sequence[int]) -> list[float]:
        """Rows for `cards` in order, as close as they may be, centred on 0."""
        ys = [0.0]
        for a, b in zip(cards, cards[1:], strict=False):
            ys.append(ys[-1] + self.gap(a, b))
        mid = (ys[0] + ys[-1]) / 2 if cards else 0.0
        return [y - mid for y in ys[: len(cards)]]

    def spread(self, cards: Sequence[int], wanted: Sequence[float | None]) -> list[float]:
        """Rows as near the wanted heights as they may be, in order (cards without a
        wish evenly between), then moved together to centre on what was wanted."""
        if not cards:
            return []
        even = self.rows(cards)
        ys = [even[k] if w is None else w for k, w in enumerate(wanted)]
        for k in range(1, len(ys)):
            ys[k] = max(ys[k], ys[k - 1] + self.gap(cards[k - 1], cards[k]))
        target = [e if w is None else w for e, w in zip(even, wanted, strict=True)]
        shift = (sum(ys) - sum(target)) / len(ys)
        return [y - shift for y in ys]

    def under(self, i: int) -> tuple[float, float, float, float]:
        """A disc at the origin with its label centred under it."""
        r, half = self.disc(i), self.width(i) / 2
        return (-max(r, half), -r, max(r, half), r + LABEL_OFFSET + self.height)

    def box(self, i: int, x: float, y: float, on_left: bool) -> tuple[float, float, float, float]:
        """The disc and its label, as (left, top, right, bottom)."""
        r = self.disc(i)
        reach = r + LABEL_OFFSET + self.width(i)
        half = max(r, self.height / 2)
        if on_left:
            return (x - reach, y - half, x + r, y + half)
        return (x - r, y - half, x + reach, y + half)
