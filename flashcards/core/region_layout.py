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

from flashcards.core.graph_layout import DEFAULT_PARAMS, LayoutParams, Point, layout
from flashcards.core.region_discs import MARGIN, fit_disc, new_region, pack_discs, radius_for

# The discs' geometry lives in region_discs; these names stay importable here.
from flashcards.core.region_discs import NEIGHBOUR_SPACING as NEIGHBOUR_SPACING
from flashcards.core.region_discs import Region as Region

K = TypeVar("K", bound=Hashable)

NO_GROUP = ""
"""The region of nodes without a group."""

_GROWTH_LIMIT = 1.3  # a region whose cards need a disc this much wider is laid out afresh


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
        if region is not None and radius_for(count, params) > region.radius * _GROWTH_LIMIT:
            return True
    return False


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
        local[name], radii[name] = fit_disc(group, pos, params)
    group_of_node = {n: name for name, group in members.items() for n in group}
    centres = pack_discs(names, radii, params)
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
            regions[name] = new_region(len(members[name]), regions, params)
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
            fresh, _ = fit_disc(
                group, layout(group, inside.get(name, []), groups=sub, params=params), params
            )
            local = fresh
        limit = region.radius - MARGIN * params.spacing * 0.5
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
