"""The map's state without Qt: node arrays, filters, neighbourhoods, search, hit tests.

Positions live in one numpy array so filtering, hit-testing and label culling are
vectorised: nothing per frame loops over every node in Python.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from flashcards.collection.concept_map import EdgeKind, MapData, MapNode
from flashcards.core.graph_layout import DEFAULT_PARAMS, LayoutParams, provisional_positions
from flashcards.core.model import NoteId
from flashcards.core.suggest_links import Suggestion

BoolArray = npt.NDArray[np.bool_]


class StateFilter(enum.Enum):
    ALL = "All cards"
    DUE = "Due"
    NEW = "New"
    WEAK = "Weak (recall < 80%)"
    LEECH = "Leeches"


@dataclass(frozen=True)
class MapFilter:
    """What the map shows. Empty strings mean "any"."""

    domain: str = ""
    deck: str = ""
    tag: str = ""
    state: StateFilter = StateFilter.ALL
    focus: NoteId | None = None  # neighbourhood centre
    depth: int = 0  # 0: no neighbourhood, else 1 or 2 links away
    with_suggested: bool = False  # a neighbourhood also shows the focus's suggestions


def node_radius(links: int) -> float:
    """Scene radius of a node: grows with its links, slowly (sqrt), capped."""
    return min(4.0 + 1.6 * math.sqrt(links), 14.0)


class MapModel:
    """Nodes, edges and positions of one load of the map."""

    def __init__(self, data: MapData, *, params: LayoutParams = DEFAULT_PARAMS) -> None:
        self.data = data
        self.params = params
        self.nodes: tuple[MapNode, ...] = data.nodes
        self.ids: list[NoteId] = [n.note_id for n in data.nodes]
        self.index: dict[str, int] = {nid: i for i, nid in enumerate(self.ids)}
        n = len(self.ids)
        self.link_pairs = [
            (self.index[e.source], self.index[e.target])
            for e in data.edges
            if e.kind is EdgeKind.LINK
        ]
        self.neighbours: list[set[int]] = [set() for _ in range(n)]
        for a, b in self.link_pairs:
            self.neighbours[a].add(b)
            self.neighbours[b].add(a)
        self.radius = np.array([node_radius(node.links) for node in data.nodes], dtype=float)
        stored = {k: v for k, v in data.positions.items() if k in self.index}
        self.stored: dict[NoteId, tuple[float, float]] = stored
        # Nodes without a stored position get a provisional one at once, so the map is
        # usable while the layout runs.
        placed = provisional_positions(
            self.ids,
            [(self.ids[a], self.ids[b]) for a, b in self.link_pairs],
            fixed=stored,
            params=params,
        )
        self.pos = np.array([placed[i] for i in self.ids], dtype=float).reshape(n, 2)
        self.needs_layout = len(stored) < n
        self.suggestions: list[Suggestion[NoteId]] = []
        self._titles = [node.title.casefold() for node in data.nodes]

    def __len__(self) -> int:
        return len(self.ids)

    # -- positions --------------------------------------------------------------------

    def set_positions(self, positions: Mapping[NoteId, tuple[float, float]]) -> None:
        for nid, (x, y) in positions.items():
            i = self.index.get(nid)
            if i is not None:
                self.pos[i] = (x, y)
        self.needs_layout = False

    def positions(self) -> dict[NoteId, tuple[float, float]]:
        return {nid: (float(x), float(y)) for nid, (x, y) in zip(self.ids, self.pos, strict=True)}

    # -- filters ----------------------------------------------------------------------

    def visible(self, f: MapFilter) -> BoolArray:
        """Which nodes the filter shows."""
        mask = np.ones(len(self.ids), dtype=np.bool_)
        if f.domain:
            mask &= np.array([node.domain == f.domain for node in self.nodes], dtype=np.bool_)
        if f.deck:
            mask &= np.array([node.deck == f.deck for node in self.nodes], dtype=np.bool_)
        if f.tag:
            mask &= np.array([f.tag in node.tags for node in self.nodes], dtype=np.bool_)
        if f.state is not StateFilter.ALL:
            test: Callable[[MapNode], bool] = {
                StateFilter.DUE: lambda node: node.is_due,
                StateFilter.NEW: lambda node: node.is_new,
                StateFilter.WEAK: lambda node: node.is_weak,
                StateFilter.LEECH: lambda node: node.is_leech,
            }[f.state]
            mask &= np.array([test(node) for node in self.nodes], dtype=np.bool_)
        if f.focus is not None and f.depth > 0 and f.focus in self.index:
            near = np.zeros(len(self.ids), dtype=np.bool_)
            near[list(self.neighbourhood(self.index[f.focus], f.depth))] = True
            if f.with_suggested:
                for s in self.suggestions:
                    other = s.b if s.a == f.focus else s.a if s.b == f.focus else None
                    if other is not None and other in self.index:
                        near[self.index[other]] = True
            mask &= near
        return mask

    def neighbourhood(self, centre: int, depth: int) -> set[int]:
        """The node and every node within `depth` links of it."""
        seen = {centre}
        frontier = {centre}
        for _ in range(depth):
            frontier = {m for i in frontier for m in self.neighbours[i]} - seen
            seen |= frontier
        return seen

    def decks(self) -> list[str]:
        return sorted({node.deck for node in self.nodes})

    def tags(self) -> list[str]:
        return sorted({t for node in self.nodes for t in node.tags})

    # -- lookups ----------------------------------------------------------------------

    def search(self, text: str, *, among: BoolArray | None = None) -> list[int]:
        """Nodes whose title contains `text` (case-insensitive), prefix matches first."""
        wanted = text.strip().casefold()
        if not wanted:
            return []
        hits = [
            i
            for i, title in enumerate(self._titles)
            if wanted in title and (among is None or among[i])
        ]
        hits.sort(key=lambda i: (not self._titles[i].startswith(wanted), len(self._titles[i])))
        return hits

    def nearest(
        self, x: float, y: float, *, among: BoolArray | None = None, slack: float = 3.0
    ) -> int | None:
        """The node under scene point (x, y), if any (within its radius plus `slack`)."""
        if not len(self.ids):
            return None
        d2 = (self.pos[:, 0] - x) ** 2 + (self.pos[:, 1] - y) ** 2
        reach = (self.radius + slack) ** 2
        hit = d2 <= reach
        if among is not None:
            hit &= among
        if not hit.any():
            return None
        candidates = np.flatnonzero(hit)
        return int(candidates[np.argmin(d2[candidates])])

    def in_rect(
        self, left: float, top: float, right: float, bottom: float, among: BoolArray
    ) -> npt.NDArray[np.intp]:
        """Indexes of nodes of `among` inside a scene rectangle."""
        xs, ys = self.pos[:, 0], self.pos[:, 1]
        inside = among & (xs >= left) & (xs <= right) & (ys >= top) & (ys <= bottom)
        return np.flatnonzero(inside)

    def note_ids(self, indexes: Iterable[int]) -> list[NoteId]:
        return [self.ids[i] for i in indexes]

    def cross_domain(self, a: int, b: int) -> bool:
        da, db = self.nodes[a].domain, self.nodes[b].domain
        return da is not None and db is not None and da != db


def bounds(
    pos: npt.NDArray[np.float64], radius: Sequence[float] | npt.NDArray[np.float64], mask: BoolArray
) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) around the masked nodes (a unit box when none)."""
    if not mask.any():
        return (-50.0, -50.0, 50.0, 50.0)
    pts = pos[mask]
    pad = float(np.max(np.asarray(radius)[mask])) + 10.0
    return (
        float(pts[:, 0].min() - pad),
        float(pts[:, 1].min() - pad),
        float(pts[:, 0].max() + pad),
        float(pts[:, 1].max() + pad),
    )
