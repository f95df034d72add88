"""True retention by exam domain: for each domain of the filter's cards, the share of
review answers passed over the last month and the last year, young and mature apart, and
its leeches (cards tagged `leech`, as `tag:leech` finds them).

One query a domain (an exam has a handful), each reading only its own cards' answers
through the review log's card index, with sums rather than a grouping: no sort.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flashcards.collection.base import utc
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
from flashcards.core.stats import PassFail


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
    cards = f"c.present = 1 AND c.domain IS NOT NULL{chosen.cards()}"
    out = []
    with col._read() as s:
        domains = [
            d
            for (d,) in rows_of(
                s, f"SELECT DISTINCT c.domain FROM cards c WHERE {cards}", chosen.params
            )
        ]
        leeches = dict(
            rows_of(
                s,
                f"SELECT c.domain, COUNT(*) FROM cards c WHERE {cards} AND c.tags LIKE :like "
                "AND EXISTS (SELECT 1 FROM json_each(c.tags) WHERE lower(json_each.value) = "
                ":tag) GROUP BY c.domain",
                {**chosen.params, "like": f"%{LEECH_TAG}%", "tag": LEECH_TAG},
            )
        )
        for domain in sorted(domains, key=str.casefold):
            # LIMIT -1 keeps the inner query a co-routine: each answer's type is worked out
            # once, not once a sum.
            row = rows_of(
                s,
                f"SELECT {_SUMS} FROM (SELECT r.time_ms >= :month AS month, r.rating AS rating, "
                f"{ANSWER_TYPE} AS type FROM cards c JOIN reviews r ON r.card_id = c.id "
                f"WHERE {cards} AND c.domain = :domain AND r.kind = 'review' "
                "AND r.time_ms >= :year AND r.time_ms < :until LIMIT -1)",
                {**params, "domain": domain},
            )[0]
            n = [int(x or 0) for x in row]
            out.append(
                DomainRetention(
                    domain,
                    month_young=PassFail(n[0], n[1]),
                    month_mature=PassFail(n[2], n[3]),
                    year_young=PassFail(n[4], n[5]),
                    year_mature=PassFail(n[6], n[7]),
                    leeches=int(leeches.get(domain, 0)),
                )
            )
    return tuple(out)
