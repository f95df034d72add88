"""The browser's sort orders as SQL: a key per column over `cards c` (empty values
last whichever way), and the indexes that let a sorted first page read only its rows.
`card_search.search_ids` puts them in its ORDER BY."""

from __future__ import annotations

import enum

from sqlalchemy import text
from sqlalchemy.orm import Session


class SortColumn(enum.Enum):
    """Columns the browser can sort by (the names are its column keys)."""

    PROMPT = "prompt"
    DECK = "deck"
    DOMAIN = "domain"
    TAGS = "tags"
    STATE = "state"
    DUE = "due"
    INTERVAL = "interval"
    STABILITY = "stability"
    DIFFICULTY = "difficulty"
    RETRIEVABILITY = "retrievability"
    REVIEWS = "reviews"
    LAPSES = "lapses"
    ADDED = "added"
    MODIFIED = "modified"
    FILE_ORDER = "file"  # deck file, then position in it


# The interval and the recall ratio serve the search's `prop:` filters too (card_search).
_INTERVAL = (
    "(CASE WHEN c.state != 0 AND c.last_review IS NOT NULL "
    "THEN (c.due - c.last_review) / 86400.0 END)"
)
# Days since the last review over stability: retrievability falls as this grows.
_RATIO = (
    "(CASE WHEN c.stability > 0 AND c.last_review IS NOT NULL "
    "THEN MAX(:now - c.last_review, 0) / 86400.0 / c.stability END)"
)

_SORT_SQL: dict[SortColumn, str] = {
    SortColumn.PROMPT: "c.title COLLATE NOCASE",
    SortColumn.DECK: "d.name COLLATE NOCASE",  # `decks d` joins in when sorting by deck
    SortColumn.DOMAIN: "c.domain COLLATE NOCASE",
    SortColumn.TAGS: "NULLIF(c.tags, '[]') COLLATE NOCASE",
    SortColumn.STATE: "c.state",
    SortColumn.DUE: "(CASE WHEN c.state != 0 THEN c.due END)",
    SortColumn.INTERVAL: _INTERVAL,
    SortColumn.STABILITY: "c.stability",
    SortColumn.DIFFICULTY: "c.difficulty",
    SortColumn.RETRIEVABILITY: f"(-{_RATIO})",
    SortColumn.REVIEWS: "c.reps",
    SortColumn.LAPSES: "c.lapses",
    SortColumn.ADDED: "c.added",
    SortColumn.MODIFIED: "c.modified",
    SortColumn.FILE_ORDER: "c.deck_id",
}

# Keys that are never NULL need no `IS NULL` term in front: then an index in the key's
# order serves the sort, and a first page stops after its rows instead of sorting all.
_NEVER_NULL = frozenset(
    {
        SortColumn.PROMPT,
        SortColumn.DECK,
        SortColumn.STATE,
        SortColumn.REVIEWS,
        SortColumn.LAPSES,
        SortColumn.ADDED,
        SortColumn.MODIFIED,
    }
)

SORT_INDEXES: dict[SortColumn, str] = {
    # The text columns sort in an index of their own: reading 100,000 titles from the
    # wide card rows to sort them took 300 ms; walked in this index, a first page of a
    # sort by prompt reads 200 entries. Made by the first such sort (`ensure_sort_index`),
    # so a collection never sorted so does not keep it up.
    SortColumn.PROMPT: "CREATE INDEX IF NOT EXISTS ix_cards_title ON cards "
    "(present, title COLLATE NOCASE, deck_id, position, id)",
    # Decks in name order, each deck's cards then walked in the browse index.
    SortColumn.DECK: "CREATE INDEX IF NOT EXISTS ix_decks_name ON decks (name COLLATE NOCASE, id)",
}


def _sort_key(order: SortColumn, *, descending: bool) -> str:
    """The ORDER BY key for `order`: empty values (new cards' stability, no domain) sort
    last whichever way. In place of NULL stands a value beyond every other in the sort's
    direction (for text, a blob after it or a number before it), so the key is computed
    once per card, not also for an `IS NULL` term in front (half a sort by retrievability
    of 100,000 cards)."""
    key = _SORT_SQL[order]
    if order in _NEVER_NULL:
        return key
    if order in (SortColumn.DOMAIN, SortColumn.TAGS):
        value, collation = key.rsplit(" COLLATE ", 1)
        last = "0" if descending else "x''"  # numbers sort before text, blobs after it
        return f"COALESCE({value}, {last}) COLLATE {collation}"
    return f"COALESCE({key}, {'-9e999' if descending else '9e999'})"


def ensure_sort_index(session: Session, order: SortColumn) -> None:
    """Create the index that serves sorting by `order`, if it has one (idempotent)."""
    ddl = SORT_INDEXES.get(order)
    if ddl is not None:
        session.execute(text(ddl))
