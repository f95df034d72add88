"""The concept map's layout by region: each group (exam domain) gets a disc of its own.

`region_layout()` lays out each group's cards with the force model of `graph_layout`
(links inside the group, cards of one subgroup — a deck — pulled together), packs the
groups' discs side by side so groups that share many links touch, and turns each group
so its cards with links to other groups face them. Every card of a group lies inside its
region, so a domain reads as a place, and the links between regions — the ties across
domains — are the long lines between them.

Incremental: given the stored positions and regions, cards still inside their group's
region keep their place; the others (new cards, a card whose deck changed domain) are
placed inside their region beside the cards they link to. A group without a region yet
gets a new disc beside the others. `needs_fresh_layout()` says when the stored regions
no longer fit (a domain grew well past its disc), so the caller lays out afresh.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

import numpy as np

from flashcards.core.graph_layout import DEFAULT_PARAMS, FloatArray, LayoutParams, Point, layout

K = TypeVar("K", bound=Hashable)

NO_GROUP = ""
"""The region of nodes without a group."""

NEIGHBOUR_SPACING = 0.42
"""Median distance from a card to its nearest neighbour, in edge lengths (`spacing`)."""

_MARGIN = 0.3  # a region's rim beyond its outermost card, in edge lengths
_GAP = 0.45  # between two regions, in edge lengths
_GROWTH_LIMIT = 1.3  # a region whose cards need a disc this much wider is laid out afresh
_ASPECT = 1.5  # regions spread this much wider than tall: screens are wide
_DRIFT = np.array([0.002, 0.04])  # the pull of the middle per step: mostly up and down


@dataclass(frozen=True)
class Region:
    """A group's disc on the map (scene units)."""

    x: float
    y: float
    radius: float

    def contains(self, point: Point, *, slack: float = 0.0) -> bool:
        return math.hypot(point[0] - self.x, point[1] - self.y) <= self.radius + slack

    def overlaps(self, other: Region) -> bool:
        return math.hypot(self.x - other.x, self.y - other.y) < self.radius + other.radius

    def to_list(self) -> list[float]:
        return [round(self.x, 1), round(self.y, 1), round(self.radius, 1)]

    @classmethod
    def from_list(cls, value: object) -> Region | None:
        """A stored `[x, y, radius]`; None when it is not one."""
        if not isinstance(value, list) or len(value) != 3:
            return None
        try:
            x, y, r = (float(v) for v in value)
        except (TypeError, ValueError):
            return None
        return cls(x, y, r) if r > 0 and all(map(math.isfinite, (x, y, r))) else None


@dataclass(frozen=True)
class RegionLayout(Generic[K]):
    positions: dict[K, Point]
    regions: dict[str, Region]  # by group name; NO_GROUP for cards without one


def group_of(groups: Mapping[K, str | None], node: K) -> str:
    return groups.get(node) or NO_GROUP


def region_layout(
    nodes: Sequence[K],
    edges: Sequence[tuple[K, K]],
    *,
    groups: Mapping[K, str | None],
    subgroups: Mapping[K, str | None] | None = None,
    fixed: Mapping[K, Point] | None = None,
    regions: Mapping[str, Region] | None = None,
    order: Sequence[str] = (),
    params: LayoutParams = DEFAULT_PARAMS,
) -> RegionLayout[K]:
    """Positions for every node, each inside its group's region.

    `fixed` and `regions` are a previous result: nodes of `fixed` inside their group's
    region keep their positions and the regions stay; without them the layout is fresh.
    `order` lists group names in the order their regions go round the map (others by
    name). Deterministic for the same input and `params.seed`.
    """
    if not nodes:
        return RegionLayout({}, {})
    members: dict[str, list[K]] = {}
    for node in nodes:
        members.setdefault(group_of(groups, node), []).append(node)
    names = _ordered(members, order)
    inside, across = _split_edges(edges, groups, set(nodes))
    stored = dict(regions or {})
    known = set(nodes)
    keep = {
        node: point
        for node, point in (fixed or {}).items()
        if node in known
        and (r := stored.get(group_of(groups, node))) is not None
        and r.contains(point)
    }
    if not stored or not keep:
        return _fresh(members, names, inside, across, subgroups, params)
    return _incremental(members, names, inside, across, subgroups, keep, stored, params)


def needs_fresh_layout(
    counts: Mapping[str, int],
    regions: Mapping[str, Region],
    *,
    params: LayoutParams = DEFAULT_PARAMS,
) -> bool:
    """Whether some group's stored region is too small for its cards now (or missing
    while others exist is fine: it gets a new disc)."""
    for name, count in counts.items():
        region = regions.get(name)
        if region is not None and _radius_for(count, params) > region.radius * _GROWTH_LIMIT:
            return True
    return False


def _radius_for(count: int, params: LayoutParams) -> float:
    """The disc `count` cards fill at the map's density, with its rim: a disc of n
    cards a neighbour spacing apart has a radius of about 0.6·√n spacings (hexagonal
    packing: 0.525), with some room for clumps."""
    step = NEIGHBOUR_SPACING * params.spacing
    return step * 0.71 * math.sqrt(max(count, 1)) + _MARGIN * params.spacing


def _ordered(members: Mapping[str, list[K]], order: Sequence[str]) -> list[str]:
    rank = {name: i for i, name in enumerate(order)}
    return sorted(members, key=lambda g: (g == NO_GROUP, rank.get(g, len(rank)), g))


def _split_edges(
    edges: Sequence[tuple[K, K]], groups: Mapping[K, str | None], known: set[K]
) -> tuple[dict[str, list[tuple[K, K]]], list[tuple[K, K]]]:
    """Edges within each group, and edges across groups."""
    inside: dict[str, list[tuple[K, K]]] = {}
    across: list[tuple[K, K]] = []
    for a, b in edges:
        if a == b or a not in known or b not in known:
            continue
        ga, gb = group_of(groups, a), group_of(groups, b)
        if ga == gb:
            inside.setdefault(ga, []).append((a, b))
        else:
            across.append((a, b))
    return inside, across


# -- a fresh layout ------------------------------------------------------------------------


def _fresh(
    members: Mapping[str, list[K]],
    names: list[str],
    inside: Mapping[str, list[tuple[K, K]]],
    across: list[tuple[K, K]],
    subgroups: Mapping[K, str | None] | None,
    params: LayoutParams,
) -> RegionLayout[K]:
    local: dict[str, dict[K, Point]] = {}
    radii: dict[str, float] = {}
    for name in names:
        group = members[name]
        sub = {n: (subgroups or {}).get(n) for n in group} if subgroups else None
        pos = layout(group, inside.get(name, []), groups=sub, params=_round(params))
        local[name], radii[name] = _fit_disc(group, pos, params)
    group_of_node = {n: name for name, group in members.items() for n in group}
    centres = _pack(names, radii, params)
    positions: dict[K, Point] = {}
    regions: dict[str, Region] = {}
    for name in names:
        cx, cy = centres[name]
        turn = _facing_angle(name, local[name], across, group_of_node, centres)
        cos, sin = math.cos(turn), math.sin(turn)
        for node, (x, y) in local[name].items():
            positions[node] = (
                round(cx + x * cos - y * sin, 2),
                round(cy + x * sin + y * cos, 2),
            )
        # Rounded as stored, so a reopened map compares equal.
        regions[name] = Region(round(cx, 1), round(cy, 1), round(radii[name], 1))
    return RegionLayout(positions, regions)


def _round(params: LayoutParams) -> LayoutParams:
    """A group's own layout: more pull to its middle than a whole map's, so it comes
    out round (loose components stay near the rest)."""
    return replace(params, gravity=max(params.gravity, 2.0))


def _fit_disc(
    group: Sequence[K], pos: Mapping[K, Point], params: LayoutParams
) -> tuple[dict[K, Point], float]:
    """The group's layout as a filled disc centred at the origin: scaled to the map's
    density, evened out radially (a force layout leaves clumps around hubs and lone
    cards far out), cards pushed apart where they would overlap; and the disc's radius."""
    pts = np.array([pos[n] for n in group], dtype=np.float64).reshape(len(group), 2)
    pts -= pts.mean(axis=0)
    rim = _MARGIN * params.spacing
    n = len(group)
    if n == 1:
        return {group[0]: (0.0, 0.0)}, rim
    target = _radius_for(n, params) - rim
    dist = np.sqrt((pts**2).sum(axis=1))
    pts *= 0.8 * target / max(float(np.quantile(dist, 0.9)), 1e-9)
    dist = np.sqrt((pts**2).sum(axis=1))
    # Half the way to an even spread: each card keeps its direction and the order of
    # distances from the centre, but lone cards come in and clumps open up.
    rank = np.argsort(np.argsort(dist, kind="stable"), kind="stable")
    even = target * 0.95 * np.sqrt((rank + 0.5) / n)
    wanted = np.minimum(0.5 * dist + 0.5 * even, target)
    pts *= (wanted / np.maximum(dist, 1e-9))[:, None]
    _separate(pts, NEIGHBOUR_SPACING * params.spacing * 0.5)
    radius = float(np.sqrt((pts**2).sum(axis=1)).max()) + rim
    return {n: (float(x), float(y)) for n, (x, y) in zip(group, pts.tolist(), strict=True)}, radius


def _separate(pts: FloatArray, gap: float, *, iterations: int = 12) -> None:
    """Push apart cards closer than `gap` (in place), comparing each card only with
    those in its own and the eight cells around it of a grid of `gap`-sized cells."""
    n = len(pts)
    index = np.arange(n)
    ties = np.column_stack([np.cos(index), np.sin(index)])
    for _ in range(iterations):
        cell = np.floor(pts / gap).astype(np.int64)
        cell -= cell.min(axis=0)
        stride = int(cell[:, 1].max()) + 3
        key = (cell[:, 0] + 1) * stride + cell[:, 1] + 1
        keys, slot = np.unique(key, return_inverse=True)
        order = np.argsort(slot, kind="stable")
        counts = np.bincount(slot)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        grid = np.full((len(keys), int(counts.max())), -1, dtype=np.intp)
        grid[slot[order], index - starts[slot[order]]] = order
        push = np.zeros_like(pts)
        moved = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                near = key + dx * stride + dy
                at = np.clip(np.searchsorted(keys, near), 0, len(keys) - 1)
                others = np.where((keys[at] == near)[:, None], grid[at], -1)
                real = (others >= 0) & (others != index[:, None])
                d = pts[:, None, :] - pts[np.maximum(others, 0)]
                dist = np.sqrt((d**2).sum(axis=2))
                overlap = np.where(real, np.clip(gap - dist, 0.0, None), 0.0)
                if overlap.any():
                    moved = True
                    # Coincident cards part along a direction fixed by their index.
                    tie = real & (dist < 1e-9)
                    d[tie] = np.broadcast_to(ties[:, None, :], d.shape)[tie]
                    unit = d / np.maximum(np.sqrt((d**2).sum(axis=2)), 1e-9)[:, :, None]
                    push += (overlap[:, :, None] * unit).sum(axis=1) * 0.5
        if not moved:
            return
        pts += push


def _pack(names: list[str], radii: Mapping[str, float], params: LayoutParams) -> dict[str, Point]:
    """Disc centres: shelves of discs in `names` order (rows chosen so the whole is about
    `_ASPECT` times wider than tall), then drawn together towards the middle, more
    up and down than across, without overlaps (small discs settle in the gaps)."""
    k = len(names)
    r = np.array([radii[n] for n in names], dtype=np.float64)
    if k == 1:
        return {names[0]: (0.0, 0.0)}
    gap = _GAP * params.spacing
    best: tuple[float, FloatArray] | None = None
    for rows in range(1, k + 1):
        pos = _shelves(r, rows, gap)
        width = float((pos[:, 0] + r).max() - (pos[:, 0] - r).min())
        height = float((pos[:, 1] + r).max() - (pos[:, 1] - r).min())
        score = abs(math.log(width / height / _ASPECT))
        if best is None or score < best[0]:
            best = (score, pos)
    assert best is not None
    pos = best[1]
    contact = r[:, None] + r[None, :] + gap
    for _ in range(150):
        pos -= pos * _DRIFT
        for _inner in range(4):
            d = pos[:, None, :] - pos[None, :, :]
            dist = np.maximum(np.sqrt((d**2).sum(axis=2)), 1e-9)
            np.fill_diagonal(dist, np.inf)
            overlap = np.clip(contact - dist, 0, None)
            if not overlap.any():
                break
            pos += ((overlap / 2)[:, :, None] * d / dist[:, :, None]).sum(axis=1)
    pos -= (pos.max(axis=0) + pos.min(axis=0)) / 2
    return {n: (float(x), float(y)) for n, (x, y) in zip(names, pos.tolist(), strict=True)}


def _shelves(r: FloatArray, rows: int, gap: float) -> FloatArray:
    """Discs side by side in rows (in order, each row about as wide), rows stacked,
    every row centred."""
    widths = 2 * r + gap
    target = float(widths.sum()) / rows
    pos = np.zeros((len(r), 2))
    row_of: list[list[int]] = [[]]
    run = 0.0
    for i, w in enumerate(widths.tolist()):
        if row_of[-1] and run + w / 2 > target and len(row_of) < rows:
            row_of.append([])
            run = 0.0
        row_of[-1].append(i)
        run += w
    y = 0.0
    for members in row_of:
        half = float(r[members].max())
        x = -float(widths[members].sum()) / 2
        for i in members:
            pos[i] = (x + widths[i] / 2, y + half)
            x += widths[i]
        y += 2 * half + gap
    return pos


def _facing_angle(
    name: str,
    local: Mapping[K, Point],
    across: list[tuple[K, K]],
    group_of_node: Mapping[K, str],
    centres: Mapping[str, Point],
) -> float:
    """The turn that points the group's cards with links out of it at the groups they
    link to (their mean direction onto the mean direction of those groups)."""
    have = np.zeros(2)
    want = np.zeros(2)
    cx, cy = centres[name]
    for a, b in across:
        for mine, other in ((a, b), (b, a)):
            if group_of_node[mine] != name:
                continue
            x, y = local[mine]
            have += (x, y)
            ox, oy = centres[group_of_node[other]]
            d = math.hypot(ox - cx, oy - cy) or 1.0
            want += ((ox - cx) / d, (oy - cy) / d)
    if np.linalg.norm(have) < 1e-9 or np.linalg.norm(want) < 1e-9:
        return 0.0
    return math.atan2(want[1], want[0]) - math.atan2(have[1], have[0])


# -- adding to a stored layout -------------------------------------------------------------


def _incremental(
    members: Mapping[str, list[K]],
    names: list[str],
    inside: Mapping[str, list[tuple[K, K]]],
    across: list[tuple[K, K]],
    subgroups: Mapping[K, str | None] | None,
    keep: Mapping[K, Point],
    stored: Mapping[str, Region],
    params: LayoutParams,
) -> RegionLayout[K]:
    regions = {name: stored[name] for name in names if name in stored}
    for name in names:
        if name not in regions:
            regions[name] = _new_region(len(members[name]), regions, params)
    positions: dict[K, Point] = {}
    for name in names:
        group = members[name]
        region = regions[name]
        fixed = {n: keep[n] for n in group if n in keep}
        if len(fixed) == len(group):
            positions.update(fixed)
            continue
        # Lay the group out around its fixed cards; a group with none starts at the
        # region's centre (its stored cards all left).
        shifted = {n: (x - region.x, y - region.y) for n, (x, y) in fixed.items()}
        sub = {n: (subgroups or {}).get(n) for n in group} if subgroups else None
        if shifted:
            local = layout(group, inside.get(name, []), fixed=shifted, groups=sub, params=params)
        else:
            fresh, _ = _fit_disc(
                group, layout(group, inside.get(name, []), groups=sub, params=params), params
            )
            local = fresh
        limit = region.radius - _MARGIN * params.spacing * 0.5
        for node in group:
            if node in fixed:
                positions[node] = fixed[node]
                continue
            x, y = local[node]
            d = math.hypot(x, y)
            if d > limit:  # keep new cards inside their region
                x, y = x * limit / d, y * limit / d
            positions[node] = (round(region.x + x, 2), round(region.y + y, 2))
    return RegionLayout(positions, regions)


def _new_region(count: int, regions: Mapping[str, Region], params: LayoutParams) -> Region:
    """A disc for a group that had none, beside the existing ones (to their right)."""
    radius = _radius_for(count, params)
    if not regions:
        return Region(0.0, 0.0, round(radius, 1))
    right = max(r.x + r.radius for r in regions.values())
    cy = sum(r.y for r in regions.values()) / len(regions)
    return Region(round(right + _GAP * params.spacing + radius, 1), round(cy, 1), round(radius, 1))
