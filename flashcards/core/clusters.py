"""Weak clusters: groups of linked notes, ranked by how well they are known.

A well-linked library is one big connected component, which says nothing about where
the weak spots are; components larger than `max_size` are split into communities
(networkx's Louvain, seeded), each still a connected group of links.

A group is as well known as the share of it you would recall now: new notes count as
unknown, not as strong, so a group with one card reviewed a minute ago is not "100 %".
Each group is named by its most central notes (most links inside it), and by a tag
most of its notes share when there is one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

K = TypeVar("K", bound=Hashable)


SHARED_TAG = 0.6
"""A tag names a group when at least this share of its notes carry it."""


@dataclass(frozen=True)
class Cluster(Generic[K]):
    """A connected group of notes. `mean_recall` averages the reviewed notes (None when
    every note is new); `known` is the share of the group recalled now, new notes
    counting as unknown; `domains` lists the group's domains, most notes first; `hubs`
    its most central notes; `name` says what it is about."""

    nodes: tuple[K, ...]
    mean_recall: float | None
    reviewed: int
    domains: tuple[str, ...] = ()
    known: float = 0.0
    hubs: tuple[K, ...] = ()
    name: str = ""
    tag: str | None = None

    @property
    def size(self) -> int:
        return len(self.nodes)

    @property
    def new(self) -> int:
        return self.size - self.reviewed

    @property
    def forgotten(self) -> float:
        """The share of the group reviewed but not recalled now."""
        return max(0.0, self.reviewed / self.size - self.known) if self.size else 0.0


def connected_groups(nodes: Sequence[K], edges: Iterable[tuple[K, K]]) -> list[list[K]]:
    """Connected components (union–find), each in the order of `nodes`, biggest first."""
    parent = {node: node for node in nodes}

    def root(x: K) -> K:
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # path halving keeps trees flat
            x = parent[x]
        return x

    for a, b in edges:
        if a in parent and b in parent:
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[rb] = ra
    groups: dict[K, list[K]] = {}
    for node in nodes:
        groups.setdefault(root(node), []).append(node)
    return sorted(groups.values(), key=len, reverse=True)


if TYPE_CHECKING:
    import networkx as nx


def split_groups(
    nodes: Sequence[K], edges: Sequence[tuple[K, K]], *, max_size: int, seed: int = 0
) -> list[list[K]]:
    """Connected groups, the ones over `max_size` split into Louvain communities."""
    out: list[list[K]] = []
    for group in connected_groups(nodes, edges):
        if len(group) <= max_size:
            out.append(group)
            continue
        import networkx as nx  # a third of a second to import: only when a group is big

        graph = nx.Graph()
        graph.add_nodes_from(group)
        members = set(group)
        graph.add_edges_from((a, b) for a, b in edges if a in members and b in members)
        order = {node: i for i, node in enumerate(group)}
        parts: list[set[K]] = _split(graph, max_size, seed)
        out.extend(sorted(part, key=order.__getitem__) for part in parts)
    return sorted(out, key=len, reverse=True)


def _split(graph: nx.Graph, max_size: int, seed: int, depth: int = 0) -> list[set[K]]:
    import networkx as nx

    parts: list[set[K]] = []
    for community in nx.community.louvain_communities(graph, seed=seed):
        sub = graph.subgraph(community)
        # A community may be disconnected in rare cases: keep its connected parts.
        part: set[K]
        for part in nx.connected_components(sub):
            if len(part) > max_size and depth < 3 and len(part) < len(graph):
                parts.extend(_split(graph.subgraph(part), max_size, seed, depth + 1))
            else:
                parts.append(set(part))
    return parts


def weak_clusters(
    nodes: Sequence[K],
    edges: Iterable[tuple[K, K]],
    *,
    recall: Mapping[K, float | None],
    domains: Mapping[K, str | None] | None = None,
    titles: Mapping[K, str] | None = None,
    tags: Mapping[K, Sequence[str]] | None = None,
    min_size: int = 2,
    max_size: int = 40,
    min_reviewed: int = 1,
    seed: int = 0,
) -> list[Cluster[K]]:
    """Groups of `min_size`..about `max_size` linked notes with `min_reviewed` reviewed
    ones, the least known first (ties: bigger groups first). `titles` and `tags` name
    the groups."""
    edge_list = list(edges)
    out: list[Cluster[K]] = []
    for group in split_groups(nodes, edge_list, max_size=max_size, seed=seed):
        if len(group) < min_size:
            continue
        values = [v for v in (recall.get(n) for n in group) if v is not None]
        if len(values) < min_reviewed:
            continue
        mean = sum(values) / len(values) if values else None
        names: Counter[str] = Counter()
        if domains is not None:
            names.update(d for d in (domains.get(n) for n in group) if d)
        hubs = _hubs(group, edge_list)
        tag = _shared_tag(group, tags or {})
        out.append(
            Cluster(
                nodes=tuple(group),
                mean_recall=mean,
                reviewed=len(values),
                domains=tuple(name for name, _ in names.most_common()),
                known=sum(values) / len(group),
                hubs=hubs,
                name=_name(hubs, tag, titles or {}),
                tag=tag,
            )
        )
    out.sort(key=lambda c: (c.known, -c.size))
    return out


def _hubs(group: Sequence[K], edges: Sequence[tuple[K, K]], count: int = 2) -> tuple[K, ...]:
    """The group's most central notes: most links inside it (ties: file order)."""
    members = set(group)
    degree: Counter[K] = Counter()
    for a, b in edges:
        if a in members and b in members and a != b:
            degree[a] += 1
            degree[b] += 1
    order = {n: i for i, n in enumerate(group)}
    return tuple(sorted(group, key=lambda n: (-degree[n], order[n]))[:count])


def _shared_tag(group: Sequence[K], tags: Mapping[K, Sequence[str]]) -> str | None:
    """A tag most of the group carries (the most carried; ties: by name)."""
    counts: Counter[str] = Counter(t for n in group for t in dict.fromkeys(tags.get(n, ())))
    best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if best and best[0][1] >= SHARED_TAG * len(group) and best[0][1] >= 2:
        return best[0][0]
    return None


def _name(hubs: Sequence[K], tag: str | None, titles: Mapping[K, str]) -> str:
    """'Title · Title', with the shared tag after it: '… (#tag)'."""
    words = " · ".join(titles[h] for h in hubs if h in titles)
    if tag is not None:
        return f"{words} (#{tag})" if words else f"#{tag}"
    return words
