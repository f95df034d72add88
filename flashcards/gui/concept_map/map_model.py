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
from flashcards.core.radial_layout import radial_layout
from flashcards.core.region_layout import NO_GROUP, Region, needs_fresh_layout
from flashcards.core.suggest_links import Suggestion

BoolArray = npt.NDArray[np.bool_]

RIGHT, LEFT, BELOW = 0, 1, 2
"""Where a node's label stands (`MapModel.label_side`)."""


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
        self.regions: dict[str, Region] = dict(data.regions)
        counts: dict[str, int] = {}
        for node in data.nodes:
            counts[node.domain or NO_GROUP] = counts.get(node.domain or NO_GROUP, 0) + 1
        # Stored positions count when they lie in their domain's stored region (a card
        # whose deck changed domain is placed again); none when a region grew too small.
        stored = {
            k: v
            for k, v in data.positions.items()
            if k in self.index
            and (r := self.regions.get(self.nodes[self.index[k]].domain or NO_GROUP)) is not None
            and r.contains(v)
        }
        if needs_fresh_layout(counts, self.regions, params=params):
            stored = {}
        if not stored:
            self.regions = {}
        self.stored: dict[NoteId, tuple[float, float]] = stored
        # Nodes without a stored position get a provisional one at once, so the map is
        # usable while the layout runs.
        placed = provisional_positions(
            self.ids,
            [(self.ids[a], self.ids[b]) for a, b in self.link_pairs],
            fixed=stored,
            params=params,
        )
        # `layout_pos` is the map's layout; `pos` what is drawn (a neighbourhood is
        # drawn laid out around its card, see `show_neighbourhood`).
        self.layout_pos = np.array([placed[i] for i in self.ids], dtype=float).reshape(n, 2)
        self.pos = self.layout_pos.copy()
        self.label_side = np.zeros(n, dtype=np.int8)  # LabelSide of each node
        self.local_bounds: tuple[float, float, float, float] | None = None
        self.tree: set[frozenset[int]] = set()  # a neighbourhood's links to its centre
        self.needs_layout = len(stored) < n
        self.suggestions: list[Suggestion[NoteId]] = []
        self._titles = [node.title.casefold() for node in data.nodes]

    def __len__(self) -> int:
        return len(self.ids)

    # -- positions --------------------------------------------------------------------

    def set_positions(
        self,
        positions: Mapping[NoteId, tuple[float, float]],
        regions: Mapping[str, Region] | None = None,
    ) -> None:
        """The layout's result (drawn once the scene refreshes)."""
        for nid, (x, y) in positions.items():
            i = self.index.get(nid)
            if i is not None:
                self.layout_pos[i] = (x, y)
        if regions is not None:
            self.regions = dict(regions)
        self.pos = self.layout_pos.copy()
        self.local_bounds = None
        self.needs_layout = False

    def positions(self) -> dict[NoteId, tuple[float, float]]:
        """The layout's positions (never a neighbourhood's)."""
        return {
            nid: (float(x), float(y)) for nid, (x, y) in zip(self.ids, self.layout_pos, strict=True)
        }

    def show_layout(self) -> None:
        """Draw every node where the map's layout put it."""
        if self.local_bounds is not None:
            self.pos = self.layout_pos.copy()
            self.label_side[:] = RIGHT
            self.local_bounds = None
            self.tree = set()

    def show_neighbourhood(
        self,
        focus: int,
        depth: int,
        shown: BoolArray,
        *,
        label_width: Callable[[int], float],
        label_height: float,
        outer_radius: Callable[[int], float],
    ) -> tuple[float, float, float, float]:
        """Draw the shown nodes laid out around `focus` (radial: one and two links
        away), centred where the focus stands on the map; the area they take, labels
        included, in scene units."""
        self.pos = self.layout_pos.copy()
        self.label_side[:] = RIGHT
        members = set(np.flatnonzero(shown).tolist()) - {focus}
        near = self.neighbours[focus] & members
        rings = [sorted(near, key=self._ring_order)]
        if depth > 1:
            rings.append(sorted(members - near, key=self._ring_order))
        else:
            rings[0] += sorted(members - near, key=self._ring_order)  # suggested ones
        every = [focus, *members]
        placed = radial_layout(
            focus,
            rings,
            links=lambda i: sorted(self.neighbours[i], key=self._ring_order),
            label_width={i: label_width(i) for i in every},
            label_height=label_height,
            radius={i: outer_radius(i) for i in every},
        )
        cx, cy = self.layout_pos[focus]
        for i, (x, y) in placed.positions.items():
            self.pos[i] = (cx + x, cy + y)
        self.label_side[list(placed.left)] = LEFT
        self.label_side[focus] = BELOW
        self.tree = {frozenset((i, p)) for i, p in placed.parent.items()}
        left, top, right, bottom = placed.bounds
        self.local_bounds = (cx + left, cy + top, cx + right, cy + bottom)
        return self.local_bounds

    def _ring_order(self, i: int) -> tuple[str, str]:
        """Neighbours by domain, then title: a domain's cards stand together."""
        node = self.nodes[i]
        return (node.domain or "~", self._titles[i])

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
