"""Which cards and days a statistics view counts, as SQL.

A `StatsFilter` names the cards (a deck, a folder or an exam domain, and a search in the
browser's query language) and the period. `selection()` turns it into a condition over
`cards c` with its parameters; `day_sql` and `hour_sql` give the study day and the local
hour of an epoch-time column as plain arithmetic (core.days.day_spans), so SQLite can
group a million reviews by day without a calendar.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flashcards.core.days import UNIX_EPOCH_DAY, DaySpan
from flashcards.core.query import parse_query
from flashcards.core.stats import MATURE_DAYS, Period
from flashcards.storage.card_search import where_sql

MATURE_S = MATURE_DAYS * 86400 - 43200
"""A card is mature from an interval of 21 days: intervals are whole days, so round."""


@dataclass(frozen=True)
class StatsFilter:
    """The cards and period a statistics view shows (every field optional)."""

    deck: str | None = None  # deck key or name, folder, or "domain:NAME" (as select_decks)
    search: str = ""  # the browser's query language
    period: Period = Period.YEAR


EVERYTHING = StatsFilter()


def rows_of(session: Any, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Rows of `sql` as plain tuples, straight from the DB-API (no ORM on the way)."""
    raw = session.connection().connection.driver_connection
    return list(raw.execute(sql, params).fetchall())


@dataclass(frozen=True)
class Selection:
    """A filter's cards as SQL: `where` is a condition over `cards c` ("" = every card)."""

    where: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def everything(self) -> bool:
        return not self.where

    def cards(self) -> str:
        """` AND …` for a query over `cards c` (visible cards only)."""
        return f" AND {self.where}" if self.where else ""

    def reviews(self, alias: str = "r") -> str:
        """` AND …` for a query over the review log `reviews r`."""
        if not self.where:
            return ""
        return f" AND {alias}.card_id IN (SELECT c.id FROM cards c WHERE {self.where})"


def selection(col: Any, filt: StatsFilter, *, now: datetime) -> Selection:
    """The filter's cards; raises UnknownDeckError for a deck that is not there and
    QueryError for a search that does not parse."""
    parts: list[str] = []
    params: dict[str, Any] = {}
    if filt.deck:
        # An exam domain: the decks holding its cards, and which cards of those its
        # query takes only in part (collection/domain_scope.py).
        decks, scope = col._selection(filt.deck, now=now)
        marks = []
        for i, ref in enumerate(decks):
            params[f"sel_deck{i}"] = ref.id
            marks.append(f":sel_deck{i}")
        parts.append(f"c.deck_id IN ({', '.join(marks)})")
        if scope is not None:
            params["sel_split"] = json.dumps(sorted(scope.cards))
            params["sel_part"] = json.dumps(sorted(c for ids in scope.cards.values() for c in ids))
            parts.append(
                "(c.deck_id NOT IN (SELECT value FROM json_each(:sel_split)) "
                "OR c.id IN (SELECT value FROM json_each(:sel_part)))"
            )
    if filt.search.strip():
        from flashcards.collection.browse import search_context  # it imports the facade

        node = parse_query(filt.search)
        where, search_params = where_sql(node, search_context(col, now=now, node=node))
        parts.append(f"({where})")
        params.update(search_params)
    return Selection(" AND ".join(parts), params)


SMALL_SHARE = 0.2
"""A selection of at most this share of the cards is counted card by card (the review
log's card index); a bigger one day by day (its time index)."""


def is_small(session: Any, chosen: Selection) -> bool:
    """Whether the selection holds few enough cards to read their answers card by card."""
    if chosen.everything:
        return False
    total = rows_of(session, "SELECT COUNT(*) FROM cards WHERE present = 1", {})[0][0]
    picked = rows_of(
        session, f"SELECT COUNT(*) FROM cards c WHERE c.present = 1{chosen.cards()}", chosen.params
    )[0][0]
    return bool(picked <= total * SMALL_SHARE)


def days_cte(bounds: Sequence[tuple[int, int, int]], *, rollover_hour: int) -> str:
    """`WITH days(d, a, b, o)`: each study day, its start and end in epoch ms, and the UTC
    offset it started with in ms (numbers we made, written in the SQL: no parameter
    limit for a long history)."""
    rows = ",".join(
        f"({day},{start * 1000},{end * 1000},"
        f"{((day - UNIX_EPOCH_DAY) * 86400 + rollover_hour * 3600 - start) * 1000})"
        for day, start, end in bounds
    )
    return f"WITH days(d, a, b, o) AS (VALUES {rows}) "


def unpack(packed: str | None) -> list[tuple[int, int, int]]:
    """The (key, answers, ms) rows a per-day subquery packed into "k,n,ms;k,n,ms"."""
    if not packed:
        return []
    numbers = [int(x) for x in packed.replace(";", ",").split(",")]
    return list(zip(numbers[0::3], numbers[1::3], numbers[2::3], strict=True))


def day_sql(
    column: str, spans: Sequence[DaySpan], params: dict[str, Any], *, name: str, unit: int = 1
) -> str:
    """The study day (a day number) of `column`, an epoch time in seconds (`unit` 1) or
    milliseconds (1000), for times inside `spans`; NULL after them. Adds its parameters."""
    whens = []
    for i, span in enumerate(spans):
        key = f"{name}{i}"
        params[f"{key}_end"] = span.end_s * unit
        params[f"{key}_shift"] = span.shift_s * unit
        params[f"{key}_first"] = span.first_day
        params[f"{key}_last"] = span.last_day
        whens.append(
            f"WHEN {column} < :{key}_end THEN MIN(:{key}_last, MAX(:{key}_first, "
            f"({column} + :{key}_shift) / {86400 * unit} + {UNIX_EPOCH_DAY}))"
        )
    return "(CASE " + " ".join(whens) + " END)" if whens else "NULL"


def hour_offset_sql(
    column: str, spans: Sequence[DaySpan], params: dict[str, Any], *, name: str, unit: int = 1
) -> str:
    """The UTC offset (in `unit`s of a second) that the study day of `column` began with:
    add it to an epoch time for the local clock. (On the day the clocks change, the hours
    after the change are off by one until the next day begins.)"""
    whens = []
    for i, span in enumerate(spans):
        key = f"{name}{i}"
        params[f"{key}_end"] = span.end_s * unit
        params[f"{key}_offset"] = span.offset_s * unit
        whens.append(f"WHEN {column} < :{key}_end THEN :{key}_offset")
    return "(CASE " + " ".join(whens) + " END)" if whens else "0"
