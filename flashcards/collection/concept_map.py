"""The concept map's data: notes as nodes, `[[links]]` (and optionally shared tags) as
edges, recall now, and the stored layout (what the map's actions do — study these
notes, add or suggest a link — is in `concept_map_actions`).

Functions of a `Collection` (run them on the GUI's worker thread); they return frozen
values. One node per note: a note's cards (reverse, cloze numbers) share its node.

A note's domain is the active exam's domain its cards belong to (`Exams.domain_cards`:
its decks by front matter and what its `query` takes from other decks, as the browser's
`domain:` search and `--deck domain:NAME` read it): the one its deck's front matter names
when that is one of them, else the first in exam.toml's order whose query takes it. A note
of none of them keeps its deck's front-matter `domain:`, spelt as the exam profiles spell
it when they differ only in case. The domains are ordered as the active exam profile lists
them, then the other profiles' and any other deck domain: that order gives the colours and
the regions.
"""

from __future__ import annotations

import enum
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from flashcards.collection.base import utc
from flashcards.collection.collection import Collection
from flashcards.collection.exam import Exams
from flashcards.collection.queue import DEFAULT_PRESET_ID
from flashcards.core.model import CardId, CardState, NoteId
from flashcards.core.query_ast import LEECH_LAPSES
from flashcards.core.region_layout import Region
from flashcards.core.scheduling import Preset, retrievability
from flashcards.storage.convert import from_epoch, memory_of

POSITIONS_KEY = "concept_map.positions"
"""Settings key: {note id: [x, y]} of the last layout."""

REGIONS_KEY = "concept_map.regions"
"""Settings key: {"version": LAYOUT_VERSION, "regions": {domain: [x, y, radius]}}."""

LAYOUT_VERSION = 2
"""Positions stored by another version of the layout are laid out afresh (version 1
mixed the domains in one cloud and stored no regions)."""

WEAK_RECALL = 0.8
"""Notes recalled with a lower probability than this count as weak."""

COMMON_TAG_FRACTION = 0.15
"""Tags on more than this share of notes ("aws", "practice") make no tag edges."""

MAX_TAG_GROUP = 40  # a tag shared by more notes than this would draw a hairball


class EdgeKind(enum.Enum):
    LINK = "link"  # a [[link]] in either direction
    TAG = "tag"  # a shared, uncommon tag


@dataclass(frozen=True)
class MapNode:
    """One note on the map."""

    note_id: NoteId
    title: str
    deck: str  # full deck name
    deck_file: str  # library key of the deck file
    domain: str | None
    tags: tuple[str, ...]
    card_ids: tuple[CardId, ...]  # present cards, file order
    recall: float | None  # mean retrievability now of its reviewed cards; None: all new
    due: datetime | None  # earliest due of its reviewed cards
    is_due: bool  # a card can be reviewed now
    is_new: bool  # every card is new
    is_leech: bool
    suspended: bool  # every card suspended
    links: int = 0  # link edges touching it

    @property
    def is_weak(self) -> bool:
        return self.recall is not None and self.recall < WEAK_RECALL


@dataclass(frozen=True)
class MapEdge:
    source: NoteId
    target: NoteId
    kind: EdgeKind = EdgeKind.LINK
    cross_domain: bool = False


@dataclass(frozen=True)
class MapData:
    """Everything the map draws, with the positions stored by the last layout."""

    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]
    domains: tuple[str, ...]  # exam-profile order first, then others by name
    positions: Mapping[NoteId, tuple[float, float]] = field(default_factory=dict)
    now: datetime | None = None
    regions: Mapping[str, Region] = field(default_factory=dict)  # by domain ("": none)

    def node(self, note_id: str) -> MapNode | None:
        for n in self.nodes:
            if n.note_id == note_id:
                return n
        return None


# Plain SQL strings run with exec_driver_sql: a map of thousands of notes is read in half
# the time the compiled-statement path takes.
_NODE_SQL = (
    "SELECT n.id, n.title, d.name, d.key, c.domain, c.tags, c.id, c.state, c.step, "
    "c.stability, c.difficulty, c.due, c.last_review, c.suspended, c.buried_until, "
    "c.lapses, d.preset_id "
    "FROM notes n JOIN decks d ON d.id = n.deck_id "
    "JOIN cards c ON c.note_id = n.id AND c.present = 1 "
    "WHERE n.present = 1 AND d.present = 1 ORDER BY d.key, n.position, c.position"
)

_LINK_SQL = (
    "SELECT DISTINCT l.from_note, l.to_note FROM links l "
    "JOIN notes a ON a.id = l.from_note AND a.present = 1 "
    "JOIN notes b ON b.id = l.to_note AND b.present = 1 "
    "WHERE l.to_note IS NOT NULL AND l.from_note != l.to_note"
)


def map_data(col: Collection, *, now: datetime | None = None, tag_edges: bool = False) -> MapData:
    """The map's nodes and edges as the collection stands at `now`."""
    now = utc(now)
    window = col._window(now)
    presets = col.presets()
    grouped: dict[str, list[tuple[Any, ...]]] = {}
    with col._read() as s:
        conn = s.connection()
        for row in conn.exec_driver_sql(_NODE_SQL).fetchall():
            grouped.setdefault(row[0], []).append(tuple(row))
        link_rows = [(r[0], r[1]) for r in conn.exec_driver_sql(_LINK_SQL).fetchall()]
    order, active = domain_order(col)
    spelling = {name.casefold(): name for name in order}
    taken = exam_domains(col, now)
    domain_of: dict[str, str | None] = {}
    for nid, rows in grouped.items():
        own = None if rows[0][4] is None else spelling.get(rows[0][4].casefold(), rows[0][4])
        domain_of[nid] = one_domain(own, taken.get(rows[0][6], ()))
    seen: set[frozenset[str]] = set()
    edges: list[MapEdge] = []
    degree: Counter[str] = Counter()
    for a, b in link_rows:
        key = frozenset((a, b))
        if key in seen or a not in domain_of or b not in domain_of:
            continue
        seen.add(key)
        degree[a] += 1
        degree[b] += 1
        edges.append(
            MapEdge(NoteId(a), NoteId(b), EdgeKind.LINK, _cross(domain_of[a], domain_of[b]))
        )
    nodes = [
        _node(
            note_id,
            rows,
            now=now,
            window_end=window.end_s,
            today=window.today,
            presets=presets,
            links=degree[note_id],
            domain=domain_of[note_id],
        )
        for note_id, rows in grouped.items()
    ]
    if tag_edges:
        edges.extend(_tag_edges(nodes, seen))
    regions = load_regions(col)
    present = {n.domain for n in nodes}
    return MapData(
        nodes=tuple(nodes),
        edges=tuple(edges),
        domains=(
            # The active exam's domains always (their colours stay put), the others'
            # when a deck has them.
            *(d for i, d in enumerate(order) if i < active or d in present),
            *sorted(d for d in present if d and d not in spelling.values()),
        ),
        # Positions of an older layout are not kept: the map is laid out afresh.
        positions=load_positions(col) if regions else {},
        now=now,
        regions=regions,
    )


def _cross(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a != b


def _node(
    note_id: str,
    rows: list[tuple[Any, ...]],
    *,
    now: datetime,
    window_end: int,
    today: int,
    presets: Mapping[int, Preset],
    links: int,
    domain: str | None,
) -> MapNode:
    first = rows[0]
    recalls: list[float] = []
    dues: list[int] = []
    is_due = False
    all_new = True
    leech = False
    all_suspended = True
    tags: dict[str, None] = {}
    for r in rows:
        (
            _n,
            _t,
            _dn,
            _dk,
            _dom,
            raw_tags,
            _cid,
            state,
            step,
            stab,
            diff,
            due,
            last,
            susp,
            buried,
            lapses,
            preset_id,
        ) = r
        tags.update(dict.fromkeys(_tags(raw_tags)))
        leech = leech or int(lapses) >= LEECH_LAPSES
        active = not susp and int(buried) < today
        all_suspended = all_suspended and bool(susp)
        if int(state) == CardState.NEW:
            continue
        all_new = False
        memory = memory_of(state, step, stab, diff, due, last)
        preset = presets.get(int(preset_id)) or presets[DEFAULT_PRESET_ID]
        value = retrievability(memory, now=now, preset=preset)
        if value is not None:
            recalls.append(value)
        dues.append(int(due))
        is_due = is_due or (active and int(due) < window_end)
    return MapNode(
        note_id=NoteId(note_id),
        title=str(first[1]),
        deck=str(first[2]),
        deck_file=str(first[3]),
        domain=domain,
        tags=tuple(tags),
        card_ids=tuple(CardId(str(r[6])) for r in rows),
        recall=sum(recalls) / len(recalls) if recalls else None,
        due=from_epoch(min(dues)) if dues else None,
        is_due=is_due,
        is_new=all_new,
        is_leech=leech,
        suspended=all_suspended,
        links=links,
    )


@lru_cache(maxsize=4096)
def _tags(raw: str) -> tuple[str, ...]:
    """A card's JSON tag list (cards of a deck share a handful of distinct lists)."""
    return tuple(json.loads(raw))


def _tag_edges(nodes: Sequence[MapNode], linked: set[frozenset[str]]) -> list[MapEdge]:
    """Weak edges between notes sharing a tag that few notes carry (chained along the
    group rather than all pairs, so a tag of 30 notes adds 29 edges, not 435)."""
    by_tag: dict[str, list[MapNode]] = {}
    for n in nodes:
        for tag in n.tags:
            by_tag.setdefault(tag, []).append(n)
    ceiling = max(3, int(len(nodes) * COMMON_TAG_FRACTION))
    out: list[MapEdge] = []
    seen = set(linked)
    for tag in sorted(by_tag):
        group = by_tag[tag]
        if len(group) < 2 or len(group) > min(ceiling, MAX_TAG_GROUP):
            continue
        for a, b in zip(group, group[1:], strict=False):
            key = frozenset((a.note_id, b.note_id))
            if key in seen:
                continue
            seen.add(key)
            out.append(MapEdge(a.note_id, b.note_id, EdgeKind.TAG, _cross(a.domain, b.domain)))
    return out


def one_domain(own: str | None, taken: tuple[str, ...]) -> str | None:
    """The one domain a note is shown in (see the module): `own`, its deck's front-matter
    domain, if one of `taken` (the active exam's domains that take it) or if none do."""
    return own if own in taken or not taken else taken[0]


def exam_domains(col: Collection, now: datetime) -> dict[str, tuple[str, ...]]:
    """Each card of the active exam's domains: those domains, in exam.toml's order."""
    exams = Exams(col)
    active = exams.active()
    if active is None:
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for name, ids in exams.domain_cards(active, now=now).items():
        for cid in ids:
            out[cid] = (*out.get(cid, ()), name)
    return out


def domain_order(col: Collection) -> tuple[tuple[str, ...], int]:
    """The exam profiles' domains: the active profile's (in its order), then the other
    profiles' (each in its order); and how many of them are the active profile's."""
    exams = Exams(col)
    active = exams.active()
    others = [r for r in exams.profiles() if active is None or r.key != active.key]
    ordered: dict[str, str] = {}  # casefolded -> as the first profile spells it
    for ref in [*([active] if active is not None else []), *others]:
        for domain in ref.profile.domains:
            ordered.setdefault(domain.name.casefold(), domain.name)
    return tuple(ordered.values()), len(active.profile.domains) if active is not None else 0


# -- positions and regions ------------------------------------------------------------------


def load_positions(col: Collection) -> dict[NoteId, tuple[float, float]]:
    """Positions saved by the last layout (empty before the first)."""
    raw = col.setting(POSITIONS_KEY)
    if not isinstance(raw, dict):
        return {}
    out: dict[NoteId, tuple[float, float]] = {}
    for key, value in raw.items():
        if isinstance(value, list) and len(value) == 2:
            out[NoteId(key)] = (float(value[0]), float(value[1]))
    return out


def save_positions(
    col: Collection,
    positions: Mapping[NoteId, tuple[float, float]] | Mapping[str, tuple[float, float]],
    *,
    keep: Iterable[str] = (),
) -> None:
    """Store positions; notes no longer on the map are dropped unless in `keep`."""
    old = load_positions(col)
    kept = set(keep)
    merged: dict[str, tuple[float, float]] = {k: v for k, v in old.items() if k in kept}
    merged.update((str(k), v) for k, v in positions.items())
    col.set_setting(POSITIONS_KEY, {k: [round(x, 1), round(y, 1)] for k, (x, y) in merged.items()})


def load_regions(col: Collection) -> dict[str, Region]:
    """The domains' regions of the last layout (empty before the first, or when it was
    made by another version of the layout)."""
    raw = col.setting(REGIONS_KEY)
    if not isinstance(raw, dict) or raw.get("version") != LAYOUT_VERSION:
        return {}
    regions = raw.get("regions")
    if not isinstance(regions, dict):
        return {}
    out: dict[str, Region] = {}
    for name, value in regions.items():
        region = Region.from_list(value)
        if isinstance(name, str) and region is not None:
            out[name] = region
    return out


def save_regions(col: Collection, regions: Mapping[str, Region]) -> None:
    col.set_setting(
        REGIONS_KEY,
        {"version": LAYOUT_VERSION, "regions": {k: r.to_list() for k, r in regions.items()}},
    )
