"""Force-directed graph layout (Fruchterman–Reingold in numpy), seeded and incremental.

`layout()` places nodes so linked ones sit close and everything else spreads out. Nodes
given in `fixed` keep their positions exactly; only the others move. That keeps the
concept map stable between openings: cards added since the last layout find a place
among their neighbours and nothing else shifts.

networkx's `spring_layout` needs scipy for graphs over 500 nodes and is O(n²) in Python
loops beyond that, so the forces here are vectorised in numpy: exact repulsion up to
`EXACT_LIMIT` nodes, and above it repulsion from the centroids of a grid of cells (a
one-level Barnes–Hut) plus exact repulsion within each node's own cell.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

K = TypeVar("K", bound=Hashable)

Point = tuple[float, float]
FloatArray = npt.NDArray[np.float64]

EXACT_LIMIT = 1000
"""Graphs up to this many nodes get exact pairwise repulsion."""

REPULSION = 1.0
_CHUNK = 512  # rows per block of the pairwise repulsion: bounds memory to a few MB


@dataclass(frozen=True)
class LayoutParams:
    """Tuning of the force model. `spacing` is the ideal edge length in output units."""

    spacing: float = 110.0
    iterations: int = 70
    incremental_iterations: int = 50
    group_pull: float = 0.6  # toward the centre of the node's group (domain)
    gravity: float = 1.0  # pull toward the centre, keeps separate components together
    seed: int = 0


DEFAULT_PARAMS = LayoutParams()


def layout(
    nodes: Sequence[K],
    edges: Sequence[tuple[K, K]],
    *,
    fixed: Mapping[K, Point] | None = None,
    groups: Mapping[K, str | None] | None = None,
    params: LayoutParams = DEFAULT_PARAMS,
) -> dict[K, Point]:
    """Positions for every node; nodes in `fixed` keep theirs, the rest are placed.

    `groups` (say, each card's exam domain) pull members toward their group's centre
    (`params.group_pull`), so groups read as regions and links between them stand out.
    Edges naming unknown nodes are ignored. The result is deterministic for the same
    input and `params.seed`.
    """
    n = len(nodes)
    if n == 0:
        return {}
    fixed = fixed or {}
    src, dst, movable = _arrays(nodes, edges, fixed)
    if not movable.any():
        return {node: (float(fixed[node][0]), float(fixed[node][1])) for node in nodes}

    rng = np.random.default_rng(params.seed)
    scale = _unit(n, params)
    pos = _initial(nodes, fixed, movable, src, dst, rng=rng, scale=scale)
    incremental = bool((~movable).any())
    iterations = params.incremental_iterations if incremental else params.iterations
    # Work in units where the ideal edge length is 1.
    pos /= scale
    group_ids = _group_ids(nodes, groups)
    _run(
        pos,
        movable,
        src,
        dst,
        group_ids,
        iterations=iterations,
        params=params,
        incremental=incremental,
    )
    pos *= scale
    if not incremental:
        pos -= pos.mean(axis=0)
        if len(src):
            # A fresh layout is scaled so its median edge is exactly `spacing`.
            lengths = np.sqrt(((pos[src] - pos[dst]) ** 2).sum(axis=1))
            pos *= params.spacing / max(float(np.median(lengths)), 1e-9)
    result: dict[K, Point] = {}
    for i, node in enumerate(nodes):
        if movable[i]:
            result[node] = (round(float(pos[i, 0]), 2), round(float(pos[i, 1]), 2))
        else:
            result[node] = (float(fixed[node][0]), float(fixed[node][1]))
    return result


def provisional_positions(
    nodes: Sequence[K],
    edges: Sequence[tuple[K, K]],
    *,
    fixed: Mapping[K, Point] | None = None,
    params: LayoutParams = DEFAULT_PARAMS,
) -> dict[K, Point]:
    """Where `layout()` starts: fixed nodes in place, new ones beside their placed
    neighbours or scattered around. Cheap; shows the map while the layout runs."""
    if not nodes:
        return {}
    fixed = fixed or {}
    src, dst, movable = _arrays(nodes, edges, fixed)
    rng = np.random.default_rng(params.seed)
    pos = _initial(nodes, fixed, movable, src, dst, rng=rng, scale=_unit(len(nodes), params))
    return {node: (float(pos[i, 0]), float(pos[i, 1])) for i, node in enumerate(nodes)}


def _arrays(
    nodes: Sequence[K], edges: Sequence[tuple[K, K]], fixed: Mapping[K, Point]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.bool_]]:
    """Edges as source and target index arrays (unknown nodes and loops dropped), and
    which nodes may move (those not in `fixed`)."""
    index = {node: i for i, node in enumerate(nodes)}
    pairs = [(index[a], index[b]) for a, b in edges if a in index and b in index and a != b]
    src = np.fromiter((a for a, _ in pairs), dtype=np.intp, count=len(pairs))
    dst = np.fromiter((b for _, b in pairs), dtype=np.intp, count=len(pairs))
    movable = np.array([node not in fixed for node in nodes], dtype=bool)
    return src, dst, movable


def _unit(n: int, params: LayoutParams) -> float:
    """Output length of one force-model unit. At equilibrium a typical edge is about
    1.2·n^0.52 units long (measured: the repulsion of all other nodes stretches it), so
    dividing by that keeps new nodes' edges near `spacing` for small and big graphs."""
    return float(params.spacing / (1.2 * max(n, 1) ** 0.52))


def _initial(
    nodes: Sequence[K],
    fixed: Mapping[K, Point],
    movable: npt.NDArray[np.bool_],
    src: npt.NDArray[np.intp],
    dst: npt.NDArray[np.intp],
    *,
    rng: np.random.Generator,
    scale: float,
) -> FloatArray:
    """Fixed nodes where they are; a new node beside its placed neighbours, else at a
    random point of a disc sized for the whole graph (just outside the fixed ones)."""
    n = len(nodes)
    pos = np.zeros((n, 2), dtype=np.float64)
    for i, node in enumerate(nodes):
        if not movable[i]:
            pos[i] = fixed[node]
    radius = scale * math.sqrt(n) * 0.6
    if (~movable).any():
        centre = pos[~movable].mean(axis=0)
        spread = float(np.sqrt(((pos[~movable] - centre) ** 2).sum(axis=1)).max())
        radius = max(spread, scale) * 1.05
    else:
        centre = np.zeros(2)
    angles = rng.uniform(0, 2 * math.pi, n)
    radii = radius * np.sqrt(rng.uniform(0, 1, n))
    random_points = centre + np.column_stack([np.cos(angles), np.sin(angles)]) * radii[:, None]
    placed = ~movable
    todo = movable.copy()
    # Place new nodes next to already placed neighbours, a few sweeps outward.
    for _ in range(3):
        if not todo.any():
            break
        fwd = placed[src] & todo[dst]
        back = placed[dst] & todo[src]
        sums = np.zeros((n, 2))
        counts = np.zeros(n)
        for a, b in ((src[fwd], dst[fwd]), (dst[back], src[back])):
            np.add.at(sums, b, pos[a])
            np.add.at(counts, b, 1)
        ready = todo & (counts > 0)
        if not ready.any():
            break
        jitter = rng.normal(0, 0.5 * scale, (int(ready.sum()), 2))
        pos[ready] = sums[ready] / counts[ready, None] + jitter
        placed = placed | ready
        todo = todo & ~ready
    pos[todo] = random_points[todo]
    return pos


def _group_ids(
    nodes: Sequence[K], groups: Mapping[K, str | None] | None
) -> npt.NDArray[np.intp] | None:
    """A small int per group name (-1: no group), or None without groups."""
    if not groups:
        return None
    names: dict[str, int] = {}
    ids = [
        -1 if (g := groups.get(node)) is None else names.setdefault(g, len(names)) for node in nodes
    ]
    return np.array(ids, dtype=np.intp) if names else None


def _run(
    pos: FloatArray,
    movable: npt.NDArray[np.bool_],
    src: npt.NDArray[np.intp],
    dst: npt.NDArray[np.intp],
    group_ids: npt.NDArray[np.intp] | None,
    *,
    iterations: int,
    params: LayoutParams,
    incremental: bool,
) -> None:
    n = len(pos)
    moving = np.flatnonzero(movable)
    # ForceAtlas2's degree-weighted repulsion: hubs push harder, so a hub's leaves
    # spread around it instead of piling into the centre.
    mass: FloatArray = (1.0 + np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)).astype(
        np.float64
    )
    start = 1.5 if incremental else max(2.0, math.sqrt(n) * 0.25)
    for step in range(iterations):
        temperature = start * (1.0 - step / iterations) + 0.02
        if n <= EXACT_LIMIT or len(moving) * n <= EXACT_LIMIT * EXACT_LIMIT:
            force = _repulsion_exact(pos, moving, mass)
        else:
            force = _repulsion_grid(pos, moving, mass)
        force *= REPULSION
        force += _attraction(pos, src, dst)[moving]
        centre = pos.mean(axis=0) if not incremental else pos[~movable].mean(axis=0)
        # Constant-strength gravity (per unit mass) keeps loose components near the rest.
        away = pos[moving] - centre
        dist = np.maximum(np.sqrt((away**2).sum(axis=1)), 1e-9)
        force -= (params.gravity * mass[moving] / dist)[:, None] * away
        if group_ids is not None:
            force -= params.group_pull * _to_group_centre(pos, group_ids)[moving]
        length = np.sqrt((force**2).sum(axis=1))
        limit = np.minimum(length, temperature) / np.maximum(length, 1e-9)
        pos[moving] += force * limit[:, None]


def _to_group_centre(pos: FloatArray, group_ids: npt.NDArray[np.intp]) -> FloatArray:
    """Each node's offset from its group's centroid (zero for ungrouped nodes)."""
    member = group_ids >= 0
    out = np.zeros_like(pos)
    if not member.any():
        return out
    ids = group_ids[member]
    count = np.bincount(ids).astype(np.float64)
    cx = np.bincount(ids, weights=pos[member, 0]) / count
    cy = np.bincount(ids, weights=pos[member, 1]) / count
    out[member, 0] = pos[member, 0] - cx[ids]
    out[member, 1] = pos[member, 1] - cy[ids]
    return out


def _repulsion_exact(pos: FloatArray, moving: npt.NDArray[np.intp], mass: FloatArray) -> FloatArray:
    """m_i · Σ_j m_j · d / |d|² for the moving rows (repulsion m_i·m_j / |d|)."""
    pts = pos.astype(np.float32)
    weights = mass.astype(np.float32)
    out = np.zeros((len(moving), 2), dtype=np.float64)
    for start in range(0, len(moving), _CHUNK):
        rows = moving[start : start + _CHUNK]
        dx = pts[rows, 0, None] - pts[None, :, 0]
        dy = pts[rows, 1, None] - pts[None, :, 1]
        d2 = dx * dx + dy * dy
        d2 += np.float32(0.01)  # softening: coincident nodes push apart without blowing up
        inv = np.reciprocal(d2) * weights[None, :]
        out[start : start + len(rows), 0] = (dx * inv).sum(axis=1)
        out[start : start + len(rows), 1] = (dy * inv).sum(axis=1)
    return out * mass[moving, None]


def _repulsion_grid(pos: FloatArray, moving: npt.NDArray[np.intp], mass: FloatArray) -> FloatArray:
    """Far field from cell centroids weighted by their counts; near field exact within
    the node's own cell (cells are small, so that block stays cheap)."""
    n = len(pos)
    # ~sqrt(n) cells balance the far field (n × cells) against the near (n × n / cells).
    side = max(2, round(n**0.25 * 1.2))
    cell = _balanced_cells(pos, side)
    cells = side * side
    weight = np.bincount(cell, weights=mass, minlength=cells)
    sums_x = np.bincount(cell, weights=pos[:, 0] * mass, minlength=cells)
    sums_y = np.bincount(cell, weights=pos[:, 1] * mass, minlength=cells)
    used = np.flatnonzero(weight)
    cx = (sums_x[used] / weight[used]).astype(np.float32)
    cy = (sums_y[used] / weight[used]).astype(np.float32)
    cell_mass = weight[used].astype(np.float32)
    pts = pos.astype(np.float32)
    out = np.zeros((len(moving), 2), dtype=np.float64)
    own_slot = np.searchsorted(used, cell)
    for start in range(0, len(moving), _CHUNK):
        rows = moving[start : start + _CHUNK]
        dx = pts[rows, 0, None] - cx[None, :]
        dy = pts[rows, 1, None] - cy[None, :]
        d2 = dx * dx + dy * dy + np.float32(0.25)
        w = cell_mass[None, :] / d2
        # The own cell's centroid is replaced by exact pairs below.
        w[np.arange(len(rows)), own_slot[rows]] = 0.0
        out[start : start + len(rows), 0] = (dx * w).sum(axis=1)
        out[start : start + len(rows), 1] = (dy * w).sum(axis=1)
    near = _near_field(pts, mass.astype(np.float32), cell, cells)
    out += near[moving]
    return out * mass[moving, None]


def _balanced_cells(pos: FloatArray, side: int) -> npt.NDArray[np.intp]:
    """Cell of each node in a `side` × `side` grid of equal-count cells: strips by x,
    then cells by y within each strip, so crowded regions get small cells."""
    n = len(pos)
    strip = np.empty(n, dtype=np.intp)
    strip[np.argsort(pos[:, 0], kind="stable")] = np.arange(n) * side // n
    order = np.lexsort((pos[:, 1], strip))
    strip_sizes = np.bincount(strip, minlength=side)
    starts = np.concatenate([[0], np.cumsum(strip_sizes)[:-1]])
    rank = np.arange(n) - starts[strip[order]]
    cell = np.empty(n, dtype=np.intp)
    cell[order] = strip[order] * side + rank * side // np.maximum(strip_sizes[strip[order]], 1)
    return cell


def _near_field(
    pts: npt.NDArray[np.float32],
    mass: npt.NDArray[np.float32],
    cell: npt.NDArray[np.intp],
    cells: int,
) -> FloatArray:
    """Exact repulsion between nodes sharing a cell, all cells as one padded block
    (balanced cells hold about the same number of nodes, so padding wastes little)."""
    n = len(pts)
    order = np.argsort(cell, kind="stable")
    counts = np.bincount(cell, minlength=cells)
    bounds = np.concatenate([[0], np.cumsum(counts)])
    sorted_cells = cell[order]
    rank = np.arange(n) - bounds[sorted_cells]
    width = int(counts.max())
    # Padding sits far away: its pull on real nodes is ~1e-6 and pad-pad pairs add 0.
    grid = np.full((cells, width, 2), np.float32(1e6), dtype=np.float32)
    grid[sorted_cells, rank] = pts[order]
    weights = np.zeros((cells, width), dtype=np.float32)
    weights[sorted_cells, rank] = mass[order]
    dx = grid[:, :, None, 0] - grid[:, None, :, 0]
    dy = grid[:, :, None, 1] - grid[:, None, :, 1]
    inv = np.reciprocal(dx * dx + dy * dy + np.float32(0.01)) * weights[:, None, :]
    out = np.zeros((n, 2), dtype=np.float64)
    out[order, 0] = (dx * inv).sum(axis=2)[sorted_cells, rank]
    out[order, 1] = (dy * inv).sum(axis=2)[sorted_cells, rank]
    return out


def _attraction(
    pos: FloatArray, src: npt.NDArray[np.intp], dst: npt.NDArray[np.intp]
) -> FloatArray:
    """Attraction along every edge, proportional to its length, on both ends."""
    n = len(pos)
    if len(src) == 0:
        return np.zeros((n, 2))
    pull = pos[dst] - pos[src]  # linear (ForceAtlas2): long edges do not dominate
    fx = np.bincount(src, weights=pull[:, 0], minlength=n) - np.bincount(
        dst, weights=pull[:, 0], minlength=n
    )
    fy = np.bincount(src, weights=pull[:, 1], minlength=n) - np.bincount(
        dst, weights=pull[:, 1], minlength=n
    )
    return np.column_stack([fx, fy])
