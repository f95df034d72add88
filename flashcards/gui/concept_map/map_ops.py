"""Functions of the collection the map runs on the worker thread (no Qt).

Each takes the collection first and returns frozen values.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flashcards.collection.concept_map import (
    COMMON_TAG_FRACTION,
    MapData,
    map_data,
    save_positions,
    save_regions,
)
from flashcards.collection.concept_map_actions import add_link, study_cards, suggested_links
from flashcards.core.bridges import Bridge
from flashcards.core.bridges import bridges as find_bridges
from flashcards.core.clusters import Cluster, weak_clusters
from flashcards.core.math_tex import plain_math
from flashcards.core.model import CardId, NoteId
from flashcards.core.region_layout import Region
from flashcards.core.render import Side, render_card
from flashcards.core.suggest_links import Suggestion
from flashcards.gui import review_ops


@dataclass(frozen=True)
class NoteLink:
    note_id: NoteId
    title: str
    domain: str | None


@dataclass(frozen=True)
class CardPanel:
    """What the side panel shows for one note."""

    note_id: NoteId
    title: str
    deck: str
    domain: str | None
    html: str
    links: tuple[NoteLink, ...]
    backlinks: tuple[NoteLink, ...]
    deck_file: str
    line: int


def _links(views: list[Any]) -> tuple[NoteLink, ...]:
    return tuple(NoteLink(NoteId(v.note_id), v.card.title, v.domain) for v in views)


def card_panel(col: Any, note_id: NoteId) -> CardPanel:
    """The note's first card rendered (answer side), its links and backlinks."""
    cards = study_cards(col, [note_id]) or [CardId(note_id)]
    view = col.card(cards[0])
    card = view.card
    html = render_card(
        card,
        side=Side.BACK,
        base_dir=review_ops.base_dir_of(col, card.file),
        media_root=review_ops.media_root_of(col, card.file),
    )
    return CardPanel(
        note_id=note_id,
        title=card.title,
        deck=view.deck,
        domain=view.domain,
        html=html,
        links=_links(col.links_of(note_id)),
        backlinks=_links(col.backlinks(note_id)),
        deck_file=card.file,
        line=card.line_start,
    )


def load(col: Any, *, now: datetime, tag_edges: bool) -> MapData:
    return map_data(col, now=now, tag_edges=tag_edges)


def link_and_reload(
    col: Any, source: NoteId, target: NoteId, *, now: datetime, tag_edges: bool
) -> MapData:
    """Add `[[target]]` to the source note's Markdown, then the map afresh."""
    add_link(col, source, target)
    return map_data(col, now=now, tag_edges=tag_edges)


def suggestions(col: Any) -> list[Suggestion[NoteId]]:
    return suggested_links(col)


def store_positions(
    col: Any, positions: dict[NoteId, tuple[float, float]], regions: dict[str, Region]
) -> None:
    save_positions(col, positions)
    save_regions(col, regions)


def clusters(data: MapData) -> list[Cluster[NoteId]]:
    """Weak clusters of the map's link graph, the least known first, named by their
    central cards and a tag most of them share (not one most of the library carries)."""
    nodes = [n.note_id for n in data.nodes]
    edges = [(e.source, e.target) for e in data.edges if e.kind.value == "link"]
    carried = Counter(t for n in data.nodes for t in n.tags)
    common = {t for t, k in carried.items() if k > max(3, COMMON_TAG_FRACTION * len(nodes))}
    return weak_clusters(
        nodes,
        edges,
        recall={n.note_id: n.recall for n in data.nodes},
        domains={n.note_id: n.domain for n in data.nodes},
        titles={n.note_id: plain_math(n.title) for n in data.nodes},
        tags={n.note_id: [t for t in n.tags if t not in common] for n in data.nodes},
        min_size=3,
    )


def bridges(data: MapData) -> list[Bridge[NoteId]]:
    """The cards linked across domains, the strongest ties first."""
    return find_bridges(
        [n.note_id for n in data.nodes],
        [(e.source, e.target) for e in data.edges if e.kind.value == "link"],
        domains={n.note_id: n.domain for n in data.nodes},
        recall={n.note_id: n.recall for n in data.nodes},
    )


def cards_of(col: Any, note_ids: list[NoteId]) -> list[CardId]:
    return study_cards(col, note_ids)
