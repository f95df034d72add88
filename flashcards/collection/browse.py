"""Browsing: search the collection with the query language and fetch table rows.

Functions of a `Collection` (run them on the GUI's worker thread). `search_cards`
returns ordered ids only; `card_rows` fetches the handful of rows a table shows.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from flashcards.collection.base import utc
from flashcards.collection.collection import Collection
from flashcards.collection.library import root_holding
from flashcards.collection.views import CardView
from flashcards.core.errors import QueryError
from flashcards.core.model import CardId, CardKind, CardState, Flag, NoteId, ReviewEntry
from flashcards.core.query import parse_query
from flashcards.core.query_ast import And, FieldMatch, Node, Not, Or, TextField
from flashcards.core.scheduling import retrievability
from flashcards.storage.card_search import (
    DomainRule,
    SearchContext,
    SortColumn,
    count,
    ensure_browse_indexes,
    ensure_sort_index,
    search_ids,
)
from flashcards.storage.convert import from_epoch, memory_of

__all__ = [
    "CardDetails",
    "CardRow",
    "SearchStart",
    "SortColumn",
    "card_details",
    "card_rows",
    "card_titles",
    "count_cards",
    "search_cards",
    "search_context",
    "search_start",
]


@dataclass(frozen=True)
class CardRow:
    """One line of the browser's table (plain values; the view formats them)."""

    id: CardId
    note_id: NoteId
    kind: CardKind
    prompt: str  # the card's title
    deck: str
    file: str  # deck key
    domain: str | None
    tags: tuple[str, ...]
    state: CardState
    suspended: bool
    buried: bool
    flag: Flag
    due: datetime | None  # None for new cards
    interval_days: float | None
    stability: float | None
    difficulty: float | None
    retrievability: float | None  # at the moment the row was fetched
    reviews: int
    lapses: int
    added: datetime | None
    modified: datetime | None


@dataclass(frozen=True)
class CardDetails:
    """What the browser's preview pane shows for one card."""

    view: CardView
    history: tuple[ReviewEntry, ...]
    base_dir: str  # the deck file's folder, for relative images
    media_root: str = ""  # the library folder images must stay inside ("": the deck's folder)


def search_context(
    col: Collection, *, now: datetime | None = None, node: Node | None = None
) -> SearchContext:
    """Today's boundaries in the collection's day settings, for evaluating a query `node`,
    and the exam domains its `domain:` terms mean (`collection.exam` says what a domain
    covers; read only when it names one)."""
    window = col._window(utc(now))
    domains: tuple[DomainRule, ...] = ()
    if node is not None and names_domain(node):
        from flashcards.collection.exam import Exams  # it imports this module

        domains = Exams(col).domain_rules()
    return SearchContext(
        now_s=window.now_s,
        today=window.today,
        day_start_s=window.start_ms // 1000,
        day_end_s=window.end_s,
        domains=domains,
    )


def names_domain(node: Node) -> bool:
    """Whether a query holds a `domain:` term."""
    if isinstance(node, FieldMatch):
        return node.field is TextField.DOMAIN
    if isinstance(node, Not):
        return names_domain(node.node)
    if isinstance(node, And | Or):
        return any(names_domain(n) for n in node.nodes)
    return False


def _parse(query: str | Node) -> Node:
    return parse_query(query) if isinstance(query, str) else query


def search_cards(
    col: Collection,
    query: str | Node,
    *,
    order: SortColumn = SortColumn.FILE_ORDER,
    descending: bool = False,
    now: datetime | None = None,
    limit: int | None = None,
) -> list[CardId]:
    """Ids of the cards matching `query`, sorted by `order`; raises `QueryError`."""
    node = _parse(query)
    ctx = search_context(col, now=now, node=node)
    _ensure_indexes(col, order)
    with col._read() as s:
        try:
            ids = search_ids(s, node, ctx, order=order, descending=descending, limit=limit)
        except OperationalError as exc:  # FTS5 rejects some inputs the parser lets through
            raise QueryError(f"cannot search for that text: {exc.orig}", position=0) from exc
    return cast(list[CardId], ids)  # NewType: no per-id call for 100,000 ids


FIRST_PAGE = 200  # ids in a search's first answer: several screens of rows
FIRST_ROWS = 60  # rows fetched with them: the first screen at any window height


@dataclass(frozen=True)
class SearchStart:
    """The head of a search's results, for painting the first screen at once."""

    ids: list[CardId]  # the first matches, in order
    rows: list[CardRow]  # table rows of the first of them
    complete: bool  # True when `ids` are all the matches


def search_start(
    col: Collection,
    query: str | Node,
    *,
    order: SortColumn = SortColumn.FILE_ORDER,
    descending: bool = False,
    now: datetime | None = None,
    limit: int = FIRST_PAGE,
    rows: int = FIRST_ROWS,
) -> SearchStart:
    """The first `limit` matches of `query` and the rows of the first `rows` of them.

    SQLite stops early (file order walks an index) or keeps only the best `limit` rows
    while it scans (any other order), so this costs a fraction of `search_cards` when
    many cards match; the browser shows it and then asks for the whole list."""
    ids = search_cards(col, query, order=order, descending=descending, now=now, limit=limit + 1)
    head = ids[:limit]
    return SearchStart(head, card_rows(col, head[:rows], now=now), len(ids) <= limit)


_indexed: weakref.WeakKeyDictionary[Collection, set[SortColumn | None]] = (
    weakref.WeakKeyDictionary()
)


def _ensure_indexes(col: Collection, order: SortColumn) -> None:
    # Schema v7 makes the browse index; this only brings back one a bulk write set aside
    # and a crash kept from coming back. A sort's own index is made by its first use. A
    # read-only collection cannot, and searches without (sorting by scanning instead).
    if col.db.readonly:
        return
    done = _indexed.setdefault(col, set())
    if None not in done or order not in done:
        with col._write() as s:
            ensure_browse_indexes(s)
            ensure_sort_index(s, order)
        done.update((None, order))


def count_cards(col: Collection, query: str | Node, *, now: datetime | None = None) -> int:
    """How many cards match `query`."""
    node = _parse(query)
    with col._read() as s:
        return count(s, node, search_context(col, now=now, node=node))


_ROWS_SQL = (
    "SELECT c.id, c.note_id, c.kind, c.title, d.name, d.key, c.domain, c.tags, c.state, "
    "c.suspended, c.buried_until, c.flag, c.step, c.stability, c.difficulty, c.due, "
    "c.last_review, c.reps, c.lapses, c.added, c.modified, d.preset_id "
    "FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.id IN ({marks})"
)


def card_rows(
    col: Collection, ids: Sequence[CardId | str], *, now: datetime | None = None
) -> list[CardRow]:
    """Table rows for `ids`, in the order given (ids no longer known are skipped)."""
    now = utc(now)
    today = col.today(now)
    presets = col.presets()
    found: dict[str, CardRow] = {}
    wanted = [str(i) for i in ids]
    with col._read() as s:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join(f":i{k}" for k in range(len(chunk)))
            params: dict[str, Any] = {f"i{k}": v for k, v in enumerate(chunk)}
            for r in s.execute(text(_ROWS_SQL.format(marks=marks)), params):
                found[r[0]] = _row(r, today, now, presets)
    return [found[i] for i in wanted if i in found]


def _row(r: Any, today: int, now: datetime, presets: dict[int, Any]) -> CardRow:
    memory = memory_of(r[8], r[12], r[13], r[14], r[15], r[16])
    preset = presets.get(r[21]) or presets[1]
    interval = None
    if memory.state is not CardState.NEW and r[16] is not None:
        interval = (r[15] - r[16]) / 86400
    return CardRow(
        id=CardId(r[0]),
        note_id=NoteId(r[1]),
        kind=CardKind(r[2]),
        prompt=r[3],
        deck=r[4],
        file=r[5],
        domain=r[6],
        tags=tuple(json.loads(r[7] or "[]")),
        state=memory.state,
        suspended=bool(r[9]),
        buried=r[10] >= today,
        flag=Flag(r[11]),
        due=memory.due if memory.state is not CardState.NEW else None,
        interval_days=interval,
        stability=memory.stability,
        difficulty=memory.difficulty,
        retrievability=retrievability(memory, now=now, preset=preset),
        reviews=r[17],
        lapses=r[18],
        added=from_epoch(r[19]) if r[19] else None,
        modified=from_epoch(r[20]) if r[20] else None,
    )


def card_details(col: Collection, card_id: CardId | str) -> CardDetails:
    """The card, its review history and its deck folder, for a preview."""
    view = col.card(card_id)
    history = tuple(col.history(card_id))
    folder = col.deck_path(view.card.file).parent
    root = root_holding(col.roots(), folder)
    return CardDetails(view, history, str(folder), str(root) if root is not None else "")


def card_titles(col: Collection) -> list[str]:
    """Every visible note's title, sorted, for completing `[[links]]`."""
    with col._read() as s:
        rows = s.execute(
            text("SELECT DISTINCT title FROM notes WHERE present = 1 ORDER BY title COLLATE NOCASE")
        )
        return [r[0] for r in rows]
