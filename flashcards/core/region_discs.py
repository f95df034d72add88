"""The regions of the concept map as discs: how big a group's disc is, a group's own
layout evened out to fill one, and discs packed side by side (`region_layout` decides
which cards go where). Scene units; edge lengths are `LayoutParams.spacing`."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from flashcards.core.graph_layout import FloatArray, LayoutParams, Point

K = TypeVar("K", bound=Hashable)

NEIGHBOUR_SPACING = 0.42
"""Median distance from a card to its nearest neighbour, in edge lengths (`spacing`)."""

MARGIN = 0.3  # a region's rim beyond its outermost card, in edge lengths
GAP = 0.45  # between two regions, in edge lengths
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


def radius_for(count: int, params: LayoutParams) -> float:
    """The disc `count` cards fill at the map's density, with its rim: a disc of n
    cards a neighbour spacing apart has a radius of about 0.6·√n spacings (hexagonal
    packing: 0.525), with some room for clumps."""
    step = NEIGHBOUR_SPACING * params.spacing
    return step * 0.71 * math.sqrt(max(count, 1)) + MARGIN * params.spacing


def fit_disc(
    group: Sequence[K], pos: Mapping[K, Point], params: LayoutParams
) -> tuple[dict[K, Point], float]:
    """The group's layout as a filled disc centred at the origin: scaled to the map's
    density, evened out radially (a force layout leaves clumps around hubs and lone
    cards far out), cards pushed apart where they would overlap; and the disc's radius."""
    pts = np.array([pos[n] for n in group], dtype=np.float64).reshape(len(group), 2)
    pts -= pts.mean(axis=0)
    rim = MARGIN * params.spacing
    n = len(group)
    if n == 1:
        return {group[0]: (0.0, 0.0)}, rim
    target = radius_for(n, params) - rim
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


def pack_discs(
    names: list[str], radii: Mapping[str, float], params: LayoutParams
) -> dict[str, Point]:
    """Disc centres: shelves of discs in `names` order (rows chosen so the whole is about
    `_ASPECT` times wider than tall), then drawn together towards the middle, more
    up and down than across, without overlaps (small discs settle in the gaps)."""
    k = len(names)
    r = np.array([radii[n] for n in names], dtype=np.float64)
    if k == 1:
        return {names[0]: (0.0, 0.0)}
    gap = GAP * params.spacing
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


def new_region(count: int, regions: Mapping[str, Region], params: LayoutParams) -> Region:
    """A disc for a group that had none, beside the existing ones (to their right)."""
    radius = radius_for(count, params)
    if not regions:
        return Region(0.0, 0.0, round(radius, 1))
    right = max(r.x + r.radius for r in regions.values())
    cy = sum(r.y for r in regions.values()) / len(regions)
    return Region(round(right + GAP * params.spacing + radius, 1), round(cy, 1), round(radius, 1))
