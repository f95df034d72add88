"""Bridges: the cards that tie exam domains together, and how well each is known.

The exam rewards connecting ideas across domains; a card with links into other domains
is where those connections live. A card bridges when it links (either way) to a card
of another domain; the more domains it reaches and the more links across it has, the
more it ties together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Bridge(Generic[K]):
    """A card with links across domains: its own domain, the domains it reaches (most
    links first), how many links cross, and its recall now (None: new)."""

    node: K
    domain: str
    reaches: tuple[str, ...]
    links: int
    recall: float | None


def bridges(
    nodes: Iterable[K],
    edges: Iterable[tuple[K, K]],
    *,
    domains: Mapping[K, str | None],
    recall: Mapping[K, float | None],
) -> list[Bridge[K]]:
    """Every card linked to a card of another domain, the strongest ties first (more
    domains reached, then more links across; ties keep the order of `nodes`)."""
    reached: dict[K, Counter[str]] = {}
    for a, b in edges:
        da, db = domains.get(a), domains.get(b)
        if a == b or not da or not db or da == db:
            continue
        reached.setdefault(a, Counter())[db] += 1
        reached.setdefault(b, Counter())[da] += 1
    out: list[Bridge[K]] = []
    for node in nodes:
        counts = reached.get(node)
        own = domains.get(node)
        if counts is None or not own:
            continue
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        out.append(
            Bridge(
                node=node,
                domain=own,
                reaches=tuple(name for name, _ in ranked),
                links=sum(counts.values()),
                recall=recall.get(node),
            )
        )
    out.sort(key=lambda b: (-len(b.reaches), -b.links))
    return out
