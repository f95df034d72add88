"""The cards' figures for the statistics window: states, the due forecast, and
histograms of stability, difficulty and recall now (core.card_stats does the maths).

Functions of a collection, run on the GUI's worker thread; each is a few grouped scans
of the cards table, never a Python loop over the cards.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from flashcards.collection.base import utc
from flashcards.collection.stats_filter import (
    EVERYTHING,
    MATURE_S,
    StatsFilter,
    day_sql,
    rows_of,
    selection,
)
from flashcards.core.card_stats import (
    OVERDUE,
    PERCENT_BINS,
    CardCounts,
    Forecast,
    Histogram,
    forecast,
    merge_bins,
    percent_histogram,
    recall_mean,
    recall_thresholds,
    stability_histogram,
)
from flashcards.core.days import day_spans
from flashcards.core.scheduling import fsrs_scheduler
from flashcards.storage.card_search import ensure_browse_indexes


@dataclass(frozen=True)
class CardFigures:
    """What the filter's cards are now (see core.card_stats)."""

    today: int
    states: CardCounts
    forecast: Forecast
    stability: Histogram  # days
    difficulty: Histogram  # 0-1 (FSRS difficulty 1-10)
    retrievability: Histogram  # 0-1, recall now


def card_figures(
    col: Any, filt: StatsFilter = EVERYTHING, *, now: datetime | None = None
) -> CardFigures:
    """Card states, the due forecast and the memory histograms of the filter's cards."""
    now = utc(now)
    window = col._window(now)
    today = window.today
    cfg = col.day_config()
    chosen = selection(col, filt, now=now)
    where = f"c.present = 1{chosen.cards()}"
    days = filt.period.forecast_days
    spans = day_spans(today, today + days - 1, cfg.tz, cfg.rollover_hour)
    params: dict[str, Any] = {
        **chosen.params,
        "today": today,
        "today_start": spans[0].start_s,
        "horizon": spans[-1].end_s,
        "mature_s": MATURE_S,
        "now_s": window.now_s,
    }
    due_day = day_sql("c.due", spans, params, name="f")
    _ensure_indexes(col)
    with col._read() as s:
        states = _states(rows_of(s, _STATES_SQL.format(where=where), params))
        due_rows = rows_of(
            s,
            f"SELECT CASE WHEN c.due < :today_start THEN {OVERDUE} ELSE {due_day} END, "
            "CASE WHEN c.state IN (1, 3) THEN 0 WHEN c.due - COALESCE(c.last_review, c.due) "
            ">= :mature_s THEN 2 ELSE 1 END, COUNT(*) FROM cards c "
            f"WHERE {where} AND c.suspended = 0 AND c.state != 0 AND c.due < :horizon "
            "GROUP BY 1, 2",
            params,
        )
        reviewed = f"{where} AND c.state != 0 AND c.stability IS NOT NULL"
        stability = rows_of(
            s,
            f"SELECT CAST(c.stability AS INTEGER), COUNT(*), SUM(c.stability) FROM cards c "
            f"WHERE {reviewed} GROUP BY 1",
            params,
        )
        difficulty = rows_of(
            s,
            f"SELECT CAST((c.difficulty - 1) / 9.0 * {PERCENT_BINS} AS INTEGER), COUNT(*), "
            f"SUM((c.difficulty - 1) / 9.0) FROM cards c "
            f"WHERE {reviewed} AND c.difficulty IS NOT NULL GROUP BY 1",
            params,
        )
        recall = _recall_bins(col, s, reviewed, params)
    return CardFigures(
        today=today,
        states=states,
        forecast=forecast(
            [(int(d), int(k), int(n)) for d, k, n in due_rows if d is not None],
            today=today,
            days=days,
        ),
        stability=stability_histogram(
            {int(d): int(n) for d, n, _sum in stability}, mean=_mean(stability)
        ),
        difficulty=percent_histogram(
            {int(b): int(n) for b, n, _sum in difficulty}, mean=_mean(difficulty)
        ),
        retrievability=recall,
    )


_STATES_SQL = (
    "SELECT CASE WHEN c.suspended THEN 'suspended' WHEN c.buried_until >= :today THEN 'buried' "
    "WHEN c.state = 0 THEN 'new' WHEN c.state = 1 THEN 'learning' "
    "WHEN c.state = 3 THEN 'relearning' "
    "WHEN c.due - COALESCE(c.last_review, c.due) >= :mature_s THEN 'mature' ELSE 'young' END, "
    "COUNT(*) FROM cards c WHERE {where} GROUP BY 1"
)


def _states(rows: list[tuple[Any, ...]]) -> CardCounts:
    return CardCounts(**{str(name): int(n) for name, n in rows})


def _mean(rows: list[tuple[Any, ...]]) -> float | None:
    count = sum(int(r[1]) for r in rows)
    return sum(float(r[2] or 0) for r in rows) / count if count else None


def _recall_bins(col: Any, s: Any, reviewed: str, params: dict[str, Any]) -> Histogram:
    """Recall now in 5% bins, each deck's preset with its own forgetting curve. Binned by
    the elapsed/stability ratio at which recall crosses each 5% (SQLite need not have
    pow): a card's bin is how many of those ratios its own is within."""
    parts = []
    presets = col.presets()
    used = rows_of(s, "SELECT DISTINCT preset_id FROM decks WHERE present = 1", {})
    for (preset_id,) in used:
        preset = presets.get(preset_id) or presets[1]
        scheduler = fsrs_scheduler(preset)
        limits = recall_thresholds(decay=scheduler._DECAY, factor=scheduler._FACTOR)
        local = dict(params, preset=preset_id)
        local.update({f"lim{k}": limit for k, limit in enumerate(limits)})
        bucket = " + ".join(f"(x <= :lim{k})" for k in range(len(limits)))
        # LIMIT -1 keeps the inner query a co-routine: the ratio is computed once a card.
        rows = rows_of(
            s,
            f"SELECT {bucket}, COUNT(*) FROM ("
            "SELECT MAX(:now_s - c.last_review, 0) / 86400.0 / c.stability AS x FROM cards c "
            f"WHERE {reviewed} AND c.last_review IS NOT NULL AND c.stability > 0 "
            "AND c.deck_id IN (SELECT id FROM decks WHERE preset_id = :preset) LIMIT -1"
            ") GROUP BY 1",
            local,
        )
        parts.append({int(b): int(n) for b, n in rows})
    histogram = percent_histogram(merge_bins(parts))
    return replace(histogram, mean=recall_mean(histogram))


_indexed: weakref.WeakSet[Any] = weakref.WeakSet()


def _ensure_indexes(col: Any) -> None:
    """The browser's narrow index of the cards' scheduling columns (made on first use, by
    whichever of the two comes first): every query here then reads it, not the card
    rows with their text."""
    if col in _indexed or col.db.readonly:
        return
    with col._write() as s:
        ensure_browse_indexes(s)
    _indexed.add(col)
