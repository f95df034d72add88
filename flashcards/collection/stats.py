"""Counts for `flashcards stats`, a health check for `flashcards check`, and the
statistics window's figures from the review log: the heatmap, true retention, reviews
per day, answer buttons and hours (the cards' own figures: card_stats.py).

The figure functions take the collection and a `StatsFilter`; run them on the GUI's
worker thread. Each is one grouped SQL scan of the log (a few thousand rows back
however long the history), then core.stats does the arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from flashcards.collection.base import CollectionBase, utc
from flashcards.collection.card_stats import CardFigures, card_figures
from flashcards.collection.library import LibraryRoot, walk_decks
from flashcards.collection.media_check import missing_media
from flashcards.collection.stats_filter import (
    EVERYTHING,
    MATURE_S,
    Selection,
    StatsFilter,
    day_sql,
    days_cte,
    hour_offset_sql,
    is_small,
    rows_of,
    selection,
    unpack,
)
from flashcards.collection.sync import exam_problems
from flashcards.collection.views import CheckReport, DeckStats, Stats
from flashcards.core.days import day_bounds, day_number, day_spans
from flashcards.core.errors import DeckFormatError
from flashcards.core.parser import parse_deck
from flashcards.core.stats import (
    AnswerCount,
    AnswerType,
    ButtonCounts,
    Heatmap,
    HourBreakdown,
    Period,
    RetentionRow,
    ReviewSeries,
    answer_buttons,
    daily_totals,
    heatmap,
    hour_breakdown,
    review_series,
    series_range,
    true_retention,
)


class StatsMixin(CollectionBase):
    """Statistics and checks."""

    def stats(self, *, now: datetime | None = None) -> Stats:
        """Card counts by state, due today, and review counts."""
        now = utc(now)
        window = self._window(now)
        params = {"today": window.today, "end": window.end_s, "start": window.start_ms}
        per_deck = []
        with self._read() as s:
            rows = s.execute(
                text(
                    "SELECT d.name, COUNT(c.id), SUM(c.state = 0), SUM(c.state IN (1, 3)), "
                    "SUM(c.state = 2), SUM(c.suspended), "
                    "SUM(c.state != 0 AND c.suspended = 0 AND c.buried_until < :today "
                    "AND c.due < :end) "
                    "FROM decks d LEFT JOIN cards c ON c.deck_id = d.id AND c.present = 1 "
                    "WHERE d.present = 1 GROUP BY d.id ORDER BY d.key"
                ),
                params,
            ).all()
            for name, total, new, learning, review, suspended, due in rows:
                per_deck.append(
                    DeckStats(
                        name,
                        int(total or 0),
                        int(new or 0),
                        int(learning or 0),
                        int(review or 0),
                        int(suspended or 0),
                        int(due or 0),
                    )
                )
            hidden = s.execute(text("SELECT COUNT(*) FROM cards WHERE present = 0")).scalar_one()
            today_n = s.execute(
                text("SELECT COUNT(*) FROM reviews WHERE time_ms >= :start AND kind = 'review'"),
                params,
            ).scalar_one()
            total_n = s.execute(
                text("SELECT COUNT(*) FROM reviews WHERE kind = 'review'")
            ).scalar_one()
        return Stats(
            decks=len(per_deck),
            cards=sum(d.total for d in per_deck),
            new=sum(d.new for d in per_deck),
            learning=sum(d.learning for d in per_deck),
            review=sum(d.review for d in per_deck),
            suspended=sum(d.suspended for d in per_deck),
            hidden=int(hidden),
            due_today=sum(d.due_today for d in per_deck),
            reviews_today=int(today_n),
            reviews_total=int(total_n),
            per_deck=tuple(per_deck),
        )

    def check(self) -> CheckReport:
        """Parse every deck file and exam profile, and check the database's integrity.

        Problems are things to fix (a deck that does not parse, a damaged database);
        warnings are worth a look (unresolved links, headings without a body).
        """
        problems: list[str] = []
        warnings: list[str] = []
        for root in self.roots():
            if not root.path.is_dir():
                if root.external:
                    problems.append(f"external folder {root.path} is missing")
                continue
            exams: list[tuple[Path, str]] = []

            def problem(rel: str, reason: str, root: LibraryRoot = root) -> None:
                problems.append(f"{root.key(rel) if rel else root.path}: {reason}")

            def exam(rel: str, root: LibraryRoot = root, found: list[Any] = exams) -> None:
                found.append((root.path / rel, root.key(rel)))

            decks = walk_decks(root.path, on_problem=problem, on_exam=exam)
            for rel, _st in sorted(decks):
                key = root.key(rel)
                try:
                    data = (root.path / rel).read_bytes()
                    result = parse_deck(data, path=key)
                except DeckFormatError as exc:
                    problems.append(str(exc))
                    continue
                except OSError as exc:
                    problems.append(f"{key}: cannot read: {exc.strerror}")
                    continue
                warnings.extend(str(w) for w in result.warnings)
                warnings.extend(missing_media(data, root.path, rel, key))
            problems.extend(exam_problems(sorted(exams)))
        with self._read() as s:
            for (row,) in s.execute(text("PRAGMA integrity_check")):
                if row != "ok":
                    problems.append(f"database: {row}")
            for row in s.execute(text("PRAGMA foreign_key_check")):
                problems.append(f"database: row {row[1]} of {row[0]} points to a missing {row[2]}")
            orphans = s.execute(
                text(
                    "SELECT COUNT(*) FROM cards c LEFT JOIN notes n ON n.id = c.note_id "
                    "WHERE n.id IS NULL"
                )
            ).scalar_one()
            if orphans:
                problems.append(f"database: {orphans} cards have no note")
        warnings.extend(self.unresolved_links())  # type: ignore[attr-defined]
        return CheckReport(tuple(problems), tuple(warnings))


# -- the statistics window's figures: functions of a collection (run on the worker) -------

LEARNING_GAP_MS = 12 * 3600 * 1000

# What a card was when answered (core.stats.AnswerType). An answer from an imported
# history has no "before" state: it is judged by the time since the card's previous
# answer (the first answer, or one within 12 hours, is learning; then young or mature by
# that gap, as the interval the card was shown after). Any earlier row counts: the card
# index alone then answers, with no look at the rows.
ANSWER_TYPE = (
    "CASE WHEN r.device_id = 'import' THEN ("
    "SELECT CASE WHEN MAX(p.time_ms) IS NULL OR r.time_ms - MAX(p.time_ms) < :learning_gap "
    "THEN 0 WHEN r.time_ms - MAX(p.time_ms) >= :mature_s * 1000 THEN 2 ELSE 1 END "
    "FROM reviews p WHERE p.card_id = r.card_id AND p.time_ms < r.time_ms) "
    "WHEN r.state_before = 2 THEN (CASE WHEN r.due_before - "
    "COALESCE(r.last_review_before, r.due_before) >= :mature_s THEN 2 ELSE 1 END) "
    "WHEN r.state_before = 3 THEN 3 ELSE 0 END"
)


@dataclass(frozen=True)
class HistoryFigures:
    """What the review log says about the filter's cards (see core.stats)."""

    today: int
    first_day: int  # the period's first day (for All history, the first answer's)
    heatmap: Heatmap  # at least the past year
    true_retention: tuple[RetentionRow, ...]
    reviews: ReviewSeries
    buttons: tuple[ButtonCounts, ...]
    hours: HourBreakdown  # over the period


@dataclass(frozen=True)
class Statistics:
    filter: StatsFilter
    history: HistoryFigures
    cards: CardFigures


def period_first_day(col: Any, period: Period, *, today: int) -> int:
    """The first study day of `period` (All history: the day of the first answer)."""
    if period.days is not None:
        return today - period.days + 1
    with col._read() as s:
        first = s.execute(text("SELECT MIN(time_ms) FROM reviews WHERE kind = 'review'")).scalar()
    if first is None:
        return today
    cfg = col.day_config()
    return min(
        today, day_number(datetime.fromtimestamp(first / 1000, UTC), cfg.tz, cfg.rollover_hour)
    )


def history_figures(
    col: Any, filt: StatsFilter = EVERYTHING, *, now: datetime | None = None
) -> HistoryFigures:
    """The heatmap, true retention, reviews per day, answer buttons and hours of the
    filter's cards: one pass over the review log."""
    now = utc(now)
    today = col.today(now)
    chosen = selection(col, filt, now=now)
    first_day = period_first_day(col, filt.period, today=today)
    heat_first = min(first_day, today - 364)
    since = min(heat_first, series_range(first_day, today)[0])
    params: dict[str, Any] = {
        **chosen.params,
        "mature_s": MATURE_S,
        "learning_gap": LEARNING_GAP_MS,
    }
    # One key for the answer's type, rating and local hour: one grouping serves all.
    key = f"(({ANSWER_TYPE}) * 8 + r.rating) * 24 + ((r.time_ms + {{offset}}) / 3600000) % 24"
    answers: dict[tuple[int, int], list[int]] = {}
    hours: dict[int, list[int]] = {h: [0, 0] for h in range(24)}
    with col._read() as s:
        for day, k, n, ms in _by_day(col, s, chosen, key, since, today, params):
            type_rating, hour = divmod(k, 24)
            tally = answers.setdefault((day, type_rating), [0, 0])
            tally[0] += n
            tally[1] += ms
            if day >= first_day:
                hours[hour][0] += n
                hours[hour][1] += n if type_rating % 8 > 1 else 0
    rows = [
        AnswerCount(day, AnswerType(tr // 8), tr % 8, n, ms)
        for (day, tr), (n, ms) in answers.items()
    ]
    return HistoryFigures(
        today=today,
        first_day=first_day,
        heatmap=heatmap(daily_totals(rows), first_day=heat_first, today=today),
        true_retention=true_retention(rows, today=today),
        reviews=review_series(rows, first_day=first_day, today=today),
        buttons=answer_buttons(rows, first_day=first_day, today=today),
        hours=hour_breakdown((h, ok, n) for h, (n, ok) in hours.items()),
    )


def _by_day(
    col: Any,
    session: Any,
    chosen: Selection,
    key: str,
    first_day: int,
    today: int,
    params: dict[str, Any],
) -> list[tuple[int, int, int, int]]:
    """(day, key, answers, milliseconds) for the answers of the selection's cards from
    `first_day` to `today`, grouped by study day and `key` (an expression over `reviews r`;
    `{offset}` in it stands for the day's UTC offset in ms).

    SQLite groups by sorting, and sorting a year of a big collection's answers (half a
    million) costs most of a second, so a big selection is counted day by day along the
    time index (a small sort each); a small one is read card by card (its card index)."""
    cfg = col.day_config()
    if is_small(session, chosen):
        spans = day_spans(first_day, today, cfg.tz, cfg.rollover_hour)
        params["since"] = spans[0].start_s * 1000
        params["until"] = spans[-1].end_s * 1000
        day = day_sql("r.time_ms", spans, params, name="d", unit=1000)
        offset = hour_offset_sql("r.time_ms", spans, params, name="o", unit=1000)
        sql = (
            f"SELECT {day}, {key.format(offset=offset)}, COUNT(*), SUM(r.duration_ms) "
            "FROM reviews r WHERE r.kind = 'review' AND r.time_ms >= :since "
            f"AND r.time_ms < :until{chosen.reviews()} GROUP BY 1, 2"
        )
        return [
            (int(d), int(k), int(n), int(ms or 0))
            for d, k, n, ms in rows_of(session, sql, params)
            if d is not None
        ]
    bounds = day_bounds(first_day, today, cfg.tz, cfg.rollover_hour)
    sql = (
        days_cte(bounds, rollover_hour=cfg.rollover_hour)
        + "SELECT d, (SELECT group_concat(k || ',' || n || ',' || ms, ';') FROM ("
        f"SELECT {key.format(offset='days.o')} AS k, COUNT(*) AS n, "
        "SUM(r.duration_ms) AS ms FROM reviews r INDEXED BY ix_reviews_time "
        "WHERE r.time_ms >= days.a AND r.time_ms < days.b AND r.kind = 'review'"
        f"{chosen.reviews()} GROUP BY 1)) FROM days"
    )
    out: list[tuple[int, int, int, int]] = []
    for d, packed in rows_of(session, sql, params):
        out.extend((int(d), k, n, ms) for k, n, ms in unpack(packed))
    return out


def statistics(
    col: Any, filt: StatsFilter = EVERYTHING, *, now: datetime | None = None
) -> Statistics:
    """Every figure of the statistics window at once (the CLI's `stats --json`)."""
    now = utc(now)
    return Statistics(
        filter=filt,
        history=history_figures(col, filt, now=now),
        cards=card_figures(col, filt, now=now),
    )
