"""The concept map's layout by region: each domain in a disc of its own."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np

from flashcards.core.region_layout import (
    NO_GROUP,
    Region,
    needs_fresh_layout,
    region_layout,
)

DOMAINS = ("Data", "Analysis", "Modeling", "Operations")


def _library(
    n: int = 240, seed: int = 1
) -> tuple[list[str], list[tuple[str, str]], dict[str, str | None], dict[str, str]]:
    """n cards over four domains (two decks each) and a few without a domain; links
    mostly within a deck, some within a domain, a fifth across domains."""
    rng = random.Random(seed)
    nodes = [f"c{i}" for i in range(n)]
    groups: dict[str, str | None] = {}
    decks: dict[str, str] = {}
    for i, node in enumerate(nodes):
        d = i % 5
        groups[node] = DOMAINS[d] if d < 4 else None
        decks[node] = f"{groups[node]}-{(i // 5) % 2}"
    edges: set[tuple[str, str]] = set()
    while len(edges) < n * 2:
        a = rng.choice(nodes)
        roll = rng.random()
        if roll < 0.55:
            pool = [x for x in nodes if decks[x] == decks[a]]
        elif roll < 0.8:
            pool = [x for x in nodes if groups[x] == groups[a]]
        else:
            pool = nodes
        b = rng.choice(pool)
        if a != b:
            edges.add((a, b))
    return nodes, sorted(edges), groups, decks


def _inside(result: object, groups: dict[str, str | None]) -> list[str]:
    positions = result.positions  # type: ignore[attr-defined]
    regions = result.regions  # type: ignore[attr-defined]
    return [n for n, p in positions.items() if not regions[groups[n] or NO_GROUP].contains(p)]


def test_every_card_lies_in_its_domains_region_and_regions_do_not_overlap() -> None:
    nodes, edges, groups, decks = _library()
    result = region_layout(nodes, edges, groups=groups, subgroups=decks, order=DOMAINS)
    assert set(result.positions) == set(nodes)
    assert set(result.regions) == {*DOMAINS, NO_GROUP}
    assert _inside(result, groups) == []
    for a, b in itertools.combinations(result.regions.values(), 2):
        assert not a.overlaps(b)
    # The same input gives the same map.
    again = region_layout(nodes, edges, groups=groups, subgroups=decks, order=DOMAINS)
    assert again == result


def test_regions_fill_a_wide_screen_and_follow_the_order() -> None:
    nodes, edges, groups, decks = _library()
    regions = region_layout(nodes, edges, groups=groups, subgroups=decks, order=DOMAINS).regions
    left = min(r.x - r.radius for r in regions.values())
    right = max(r.x + r.radius for r in regions.values())
    top = min(r.y - r.radius for r in regions.values())
    bottom = max(r.y + r.radius for r in regions.values())
    assert (right - left) > (bottom - top) * 1.15
    # Cards fill their region: most of the disc is used, not a clump in its middle.
    result = region_layout(nodes, edges, groups=groups, subgroups=decks, order=DOMAINS)
    for name in DOMAINS:
        region = result.regions[name]
        far = max(
            math.dist(result.positions[n], (region.x, region.y)) for n in nodes if groups[n] == name
        )
        assert far > region.radius * 0.6


def test_cards_of_a_deck_stand_together_within_their_domain() -> None:
    nodes, edges, groups, decks = _library()
    pos = region_layout(nodes, edges, groups=groups, subgroups=decks, order=DOMAINS).positions
    for name in DOMAINS:
        members = [n for n in nodes if groups[n] == name]
        same = [
            math.dist(pos[a], pos[b])
            for a, b in itertools.combinations(members, 2)
            if decks[a] == decks[b]
        ]
        other = [
            math.dist(pos[a], pos[b])
            for a, b in itertools.combinations(members, 2)
            if decks[a] != decks[b]
        ]
        assert np.mean(same) < np.mean(other)


def test_cards_linked_across_face_the_region_they_link_to() -> None:
    # Two domains, one card of each linked to the other: it stands on the facing side.
    left = [f"a{i}" for i in range(30)]
    right = [f"b{i}" for i in range(30)]
    groups: dict[str, str | None] = {**dict.fromkeys(left, "A"), **dict.fromkeys(right, "B")}
    edges = [(g[i], g[(i + 1) % 30]) for g in (left, right) for i in range(30)]
    edges += [(g[i], g[(i + 7) % 30]) for g in (left, right) for i in range(30)]
    edges += [("a3", "b17"), ("a4", "b17"), ("a3", "b18")]
    result = region_layout(left + right, edges, groups=groups)
    ra, rb = result.regions["A"], result.regions["B"]
    towards_b = np.array([rb.x - ra.x, rb.y - ra.y])
    towards_b /= np.linalg.norm(towards_b)

    def reach(node: str, region: Region, direction: np.ndarray) -> float:
        x, y = result.positions[node]
        return float(np.dot((x - region.x, y - region.y), direction))

    bridges = np.mean([reach(n, ra, towards_b) for n in ("a3", "a4")])
    others = np.mean([reach(n, ra, towards_b) for n in left if n not in ("a3", "a4")])
    assert bridges > others


def test_stored_cards_stay_and_new_ones_land_in_their_region() -> None:
    nodes, edges, groups, decks = _library()
    first = region_layout(nodes, edges, groups=groups, subgroups=decks, order=DOMAINS)
    new = ["new-model", "new-ops", "new-domain"]
    groups2 = {**groups, "new-model": "Modeling", "new-ops": "Operations", "new-domain": "Vision"}
    decks2 = {**decks, "new-model": "Modeling-0", "new-ops": "Operations-1", "new-domain": "V"}
    linked = next(n for n in nodes if groups[n] == "Modeling")
    edges2 = [*edges, ("new-model", linked), ("new-domain", linked)]
    # A card whose deck moved to another domain is placed again, in its new region.
    moved = next(n for n in nodes if groups[n] == "Data")
    groups2[moved] = "Analysis"
    second = region_layout(
        [*nodes, *new],
        edges2,
        groups=groups2,
        subgroups=decks2,
        fixed=first.positions,
        regions=first.regions,
        order=DOMAINS,
    )
    assert all(second.positions[n] == first.positions[n] for n in nodes if n != moved)
    assert _inside(second, groups2) == []
    assert second.positions[moved] != first.positions[moved]
    for name in DOMAINS:
        assert second.regions[name] == first.regions[name]
    # A new domain gets a region of its own beside the others.
    for name in DOMAINS:
        assert not second.regions["Vision"].overlaps(second.regions[name])
    # A new card stands near the card it links to (well within its region).
    region = second.regions["Modeling"]
    assert math.dist(second.positions["new-model"], second.positions[linked]) < region.radius


def test_a_region_grown_too_small_asks_for_a_fresh_layout() -> None:
    nodes, edges, groups, decks = _library()
    regions = region_layout(nodes, edges, groups=groups, subgroups=decks).regions
    counts = {name: sum(1 for n in nodes if (groups[n] or NO_GROUP) == name) for name in regions}
    assert not needs_fresh_layout(counts, regions)
    assert not needs_fresh_layout({**counts, "Modeling": counts["Modeling"] + 5}, regions)
    assert needs_fresh_layout({**counts, "Modeling": counts["Modeling"] * 3}, regions)
    assert not needs_fresh_layout({**counts, "New": 500}, regions)  # it gets a region


def test_region_round_trips_as_a_list_and_rejects_nonsense() -> None:
    region = Region(1.25, -3.0, 40.0)
    assert Region.from_list(region.to_list()) == Region(1.2, -3.0, 40.0)
    for bad in (None, [1, 2], [1, 2, 0], [1, 2, "x"], [1, 2, float("nan")], "1,2,3"):
        assert Region.from_list(bad) is None


def test_small_and_empty_inputs() -> None:
    assert region_layout([], [], groups={}).positions == {}
    one = region_layout(["x"], [], groups={"x": "A"})
    assert one.regions["A"].contains(one.positions["x"])
    pair = region_layout(["x", "y"], [("x", "y")], groups={"x": "A", "y": None})
    assert not pair.regions["A"].overlaps(pair.regions[NO_GROUP])
