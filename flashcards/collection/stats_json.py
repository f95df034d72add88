"""The statistics window's figures as plain JSON values (`flashcards stats --json`):
dates as ISO strings, shares as fractions 0-1 (None when there was nothing to count)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flashcards.collection.domain_retention import DomainRetention
from flashcards.collection.stats import Statistics
from flashcards.core.card_stats import DueKind, Histogram
from flashcards.core.stats import AnswerType, PassFail


def iso(day: int) -> str:
    """A study-day number as the date it began on."""
    return date.fromordinal(day).isoformat()


def _pass_fail(part: PassFail) -> dict[str, Any]:
    return {"passed": part.passed, "failed": part.failed, "retention": part.retention}


def _histogram(hist: Histogram) -> dict[str, Any]:
    return {
        "edges": list(hist.edges),
        "counts": list(hist.counts),
        "open_ended": hist.open_ended,
        "mean": hist.mean,
        "total": hist.total,
    }


def figures_json(figures: Statistics) -> dict[str, Any]:
    """Every figure: true retention by period, the forecast, the heatmap, reviews per day,
    answer buttons, hours, card states and the three histograms."""
    history, cards = figures.history, figures.cards
    heat, series, fc = history.heatmap, history.reviews, cards.forecast
    types = (AnswerType.LEARNING, AnswerType.RELEARNING, AnswerType.YOUNG, AnswerType.MATURE)
    return {
        "filter": {
            "deck": figures.filter.deck,
            "search": figures.filter.search,
            "period": figures.filter.period.value,
            "first_day": iso(history.first_day),
            "today": iso(history.today),
        },
        "true_retention": {
            row.key: {
                "first_day": iso(row.first_day),
                "last_day": iso(row.last_day),
                "young": _pass_fail(row.young),
                "mature": _pass_fail(row.mature),
                "total": _pass_fail(row.total),
            }
            for row in history.true_retention
        },
        "forecast": {
            "days": fc.days,
            "total": fc.total,
            "average": fc.average,
            "tomorrow": fc.tomorrow,
            "overdue": fc.overdue,
            "per_day": [
                {
                    "date": iso(fc.today + i),
                    **{k.name.lower(): fc.due[k][i] for k in DueKind},
                    "total": fc.on(i),
                }
                for i in range(fc.days)
            ],
        },
        "heatmap": {
            "first_day": iso(heat.first_day),
            "last_day": iso(heat.last_day),
            "total": heat.total,
            "days_studied": heat.days_studied,
            "daily_average": heat.daily_average,
            "current_streak": heat.current_streak,
            "longest_streak": heat.longest_streak,
            "days": {iso(heat.first_day + i): n for i, n in enumerate(heat.counts) if n},
        },
        "reviews": {
            "days_per_bar": series.bucket_days,
            "total": series.total_answers,
            "minutes": series.total_minutes,
            "bars": [
                {
                    "first_day": iso(series.bucket_start(i)),
                    "last_day": iso(series.bucket_end(i)),
                    **{t.name.lower(): series.counts[t][i] for t in types},
                    "minutes": {t.name.lower(): series.minutes[t][i] for t in types},
                }
                for i in range(series.buckets)
            ],
        },
        "answer_buttons": {
            group.label.lower(): {
                **dict(zip(("again", "hard", "good", "easy"), group.counts, strict=True)),
                "correct": group.correct,
            }
            for group in history.buttons
        },
        "hours": [
            {"hour": h, "answers": history.hours.counts[h], "passed": history.hours.passed[h]}
            for h in range(24)
        ],
        "card_states": {
            **{name.lower(): n for name, n in cards.states.parts()},
            "total": cards.states.total,
        },
        "stability": _histogram(cards.stability),
        "difficulty": _histogram(cards.difficulty),
        "retrievability": _histogram(cards.retrievability),
    }


def domains_json(rows: tuple[DomainRetention, ...]) -> list[dict[str, Any]]:
    """True retention by exam domain: `month` and `year`, each young, mature and total,
    and the domain's `leeches`."""
    return [
        {
            "domain": row.domain,
            "month": {
                "young": _pass_fail(row.month_young),
                "mature": _pass_fail(row.month_mature),
                "total": _pass_fail(row.month),
            },
            "year": {
                "young": _pass_fail(row.year_young),
                "mature": _pass_fail(row.year_mature),
                "total": _pass_fail(row.year),
            },
            "leeches": row.leeches,
        }
        for row in rows
    ]
