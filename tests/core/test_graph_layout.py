from __future__ import annotations

import math

import numpy as np
import pytest

from flashcards.core.graph_layout import EXACT_LIMIT, LayoutParams, layout


def _ring(n: int) -> tuple[list[str], list[tuple[str, str]]]:
    nodes = [f"n{i}" for i in range(n)]
    return nodes, [(nodes[i], nodes[(i + 1) % n]) for i in range(n)]


def _dist(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def test_same_seed_same_layout_and_every_node_placed() -> None:
    nodes, edges = _ring(30)
    first = layout(nodes, edges, params=LayoutParams(seed=3))
    assert first == layout(nodes, edges, params=LayoutParams(seed=3))
    assert set(first) == set(nodes)
    assert first != layout(nodes, edges, params=LayoutParams(seed=4))


def test_linked_nodes_end_closer_than_unlinked_ones() -> None:
    # Two dense groups joined by one edge: within-group distances beat across-group ones.
    a = [f"a{i}" for i in range(12)]
    b = [f"b{i}" for i in range(12)]
    edges = [(x, y) for g in (a, b) for i, x in enumerate(g) for y in g[i + 1 :]]
    edges.append((a[0], b[0]))
    pos = layout(a + b, edges)
    within = sum(_dist(pos[x], pos[y]) for x, y in edges[:-1]) / (len(edges) - 1)
    across = sum(_dist(pos[x], pos[y]) for x in a for y in b) / (len(a) * len(b))
    assert within < across * 0.6


def test_fixed_nodes_keep_positions_and_new_ones_land_near_neighbours() -> None:
    nodes, edges = _ring(40)
    first = layout(nodes, edges)
    fixed = {n: first[n] for n in nodes}
    nodes2 = [*nodes, "new"]
    edges2 = [*edges, ("new", "n5"), ("new", "n6")]
    second = layout(nodes2, edges2, fixed=fixed)
    assert all(second[n] == first[n] for n in nodes)
    spread = max(_dist(first[x], first[y]) for x in nodes for y in nodes)
    assert _dist(second["new"], first["n5"]) < spread / 3


def test_nothing_moves_when_everything_is_fixed_and_empty_is_empty() -> None:
    assert layout([], []) == {}
    fixed = {"a": (1.0, 2.0), "b": (3.0, 4.0)}
    assert layout(["a", "b"], [("a", "b")], fixed=fixed) == fixed


def test_big_graph_uses_grid_repulsion_and_spreads_nodes() -> None:
    n = EXACT_LIMIT + 200
    nodes = list(range(n))
    edges = [(i, (i * 7 + 1) % n) for i in range(n)]
    pos = layout(nodes, edges)
    pts = np.array([pos[i] for i in nodes])
    d2 = ((pts[:, None, :] - pts[None, :, :]) ** 2).sum(axis=2)
    np.fill_diagonal(d2, np.inf)
    nearest = np.sqrt(d2.min(axis=1))
    spacing = LayoutParams().spacing
    # Repulsion keeps nodes apart: no pile-ups, neighbours a good fraction of an edge away.
    assert float(np.median(nearest)) > spacing / 6
    lengths = [math.dist(pos[a], pos[b]) for a, b in edges]
    assert float(np.median(lengths)) == pytest.approx(spacing, rel=0.01)


def test_groups_pull_their_members_together() -> None:
    # A ring with alternating groups: with the pull, members of a group sit closer.
    nodes, edges = _ring(40)
    groups = {n: ("even" if i % 2 == 0 else "odd") for i, n in enumerate(nodes)}

    def spread(pos: dict[str, tuple[float, float]]) -> float:
        total = 0.0
        for name in ("even", "odd"):
            pts = np.array([pos[n] for n in nodes if groups[n] == name])
            total += float(np.linalg.norm(pts - pts.mean(axis=0), axis=1).mean())
        return total

    plain = layout(nodes, edges)
    pulled = layout(nodes, edges, groups=groups, params=LayoutParams(group_pull=3.0))
    assert spread(pulled) < spread(plain) * 0.9
