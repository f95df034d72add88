"""True retention by exam domain: for each domain of the filter's cards (an exam's domain
as `domain:NAME` finds it, query included), the share of review answers passed over the
last month and the last year, young and mature apart, and its leeches (cards tagged
`leech`, as `tag:leech` finds them).

One query a domain (an exam has a handful), each reading only its own cards' answers
through the review log's card index, with sums rather than a grouping: no sort.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flashcards.collection.base import utc
from flashcards.collection.browse import search_context
from flashcards.collection.stats import ANSWER_TYPE, LEARNING_GAP_MS
from flashcards.collection.stats_filter import (
    EVERYTHING,
    MATURE_S,
    StatsFilter,
    rows_of,
    selection,
)
from flashcards.core.days import day_start
from flashcards.core.leeches import LEECH_TAG
from flashcards.core.query_ast import FieldMatch, TextField
from flashcards.core.stats import PassFail
from flashcards.storage.card_search import where_sql

_PARAM = re.compile(r":(now|p\d+)\b")  # the search's own parameters, renamed per domain


@dataclass(frozen=True)
class DomainRetention:
    """One exam domain's true retention, young and mature answers apart."""

    domain: str
    month_young: PassFail
    month_mature: PassFail
    year_young: PassFail
    year_mature: PassFail
    leeches: int = 0  # cards tagged leech

    @property
    def month(self) -> PassFail:
        return self.month_young + self.month_mature

    @property
    def year(self) -> PassFail:
        return self.year_young + self.year_mature


# young pass, young fail, mature pass, mature fail: this month's, then the year's
_SUMS = ", ".join(
    f"SUM({when}type = {t} AND rating {op} 1)"
    for when in ("month AND ", "")
    for t in (1, 2)
    for op in (">", "=")
)


def domain_retention(
    col: Any, filt: StatsFilter = EVERYTHING, *, now: datetime | None = None
) -> tuple[DomainRetention, ...]:
    """True retention and leeches of each exam domain among the filter's cards, by domain
    name."""
    now = utc(now)
    today = col.today(now)
    cfg = col.day_config()
    chosen = selection(col, filt, now=now)
    params: dict[str, Any] = {
        **chosen.params,
        "year": round(day_start(today - 364, cfg.tz, cfg.rollover_hour).timestamp() * 1000),
        "month": round(day_start(today - 29, cfg.tz, cfg.rollover_hour).timestamp() * 1000),
        "until": round(day_start(today + 1, cfg.tz, cfg.rollover_hour).timestamp() * 1000),
        "mature_s": MATURE_S,
        "learning_gap": LEARNING_GAP_MS,
    }
    cards = f"c.present = 1{chosen.cards()}"
    # An exam's domain is its cards as `domain:NAME` finds them (collection/exam.py: its
    # decks by front matter and what its query takes); a front-matter domain no exam has,
    # the decks naming it.
    ctx = search_context(col, now=now, node=FieldMatch(TextField.DOMAIN, "*"))
    rules = {r.name.casefold(): r.name for r in ctx.domains}
    leech = (
        "c.tags LIKE :like AND EXISTS (SELECT 1 FROM json_each(c.tags) "
        "WHERE lower(json_each.value) = :tag)"
    )
    out = []
    with col._read() as s:
        named = rows_of(
            s,
            f"SELECT DISTINCT c.domain FROM cards c WHERE {cards} AND c.domain IS NOT NULL",
            chosen.params,
        )
        domains = {d.casefold(): d for (d,) in named if d.casefold() not in rules} | rules
        names = sorted(domains.values(), key=str.casefold)
        conditions: list[str] = []
        mine: dict[str, Any] = {**params, "like": f"%{LEECH_TAG}%", "tag": LEECH_TAG}
        for k, domain in enumerate(names):
            where, found = where_sql(FieldMatch(TextField.DOMAIN, domain), ctx)
            conditions.append(_PARAM.sub(rf":dom{k}_\1", where))
            mine.update({f"dom{k}_{key}": v for key, v in found.items()})
        held: tuple[Any, ...] = ()
        leeches: tuple[Any, ...] = ()
        if names:
            # Whether each domain has a card here (the first one found will do), and its
            # leeches, among the few cards tagged so.
            exists = ", ".join(
                f"EXISTS (SELECT 1 FROM cards c WHERE {cards} AND {c})" for c in conditions
            )
            held = rows_of(s, f"SELECT {exists}", mine)[0]
            counts = ", ".join(f"SUM({c})" for c in conditions)
            leeches = rows_of(s, f"SELECT {counts} FROM cards c WHERE {cards} AND {leech}", mine)[0]
        for k, domain in enumerate(names):
            where = conditions[k]
            if not held[k]:
                continue
            # LIMIT -1 keeps the inner query a co-routine: each answer's type is worked out
            # once, not once a sum.
            row = rows_of(
                s,
                f"SELECT {_SUMS} FROM (SELECT r.time_ms >= :month AS month, r.rating AS rating, "
                f"{ANSWER_TYPE} AS type FROM cards c JOIN reviews r ON r.card_id = c.id "
                f"WHERE {cards} AND {where} AND r.kind = 'review' "
                "AND r.time_ms >= :year AND r.time_ms < :until LIMIT -1)",
                mine,
            )[0]
            n = [int(x or 0) for x in row]
            out.append(
                DomainRetention(
                    domain,
                    month_young=PassFail(n[0], n[1]),
                    month_mature=PassFail(n[2], n[3]),
                    year_young=PassFail(n[4], n[5]),
                    year_mature=PassFail(n[6], n[7]),
                    leeches=int(leeches[k] or 0),
                )
            )
    return tuple(out)
