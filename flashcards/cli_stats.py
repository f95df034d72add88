"""`flashcards stats`: card and review counts, and true retention; with --json every
figure of the statistics window (true_retention, forecast, heatmap, reviews, …).

flashcards stats [--json]                       the whole collection
flashcards stats --domain Modeling              true retention of one exam domain
flashcards stats --deck NAME --period month     a deck or folder, the last 30 days
flashcards stats --search "tag:aws is:review"   the cards a browser search finds
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from typing import TYPE_CHECKING, Any, TextIO

from flashcards.core.errors import FlashcardsError

if TYPE_CHECKING:
    from flashcards.collection import Collection
    from flashcards.core.stats import RetentionRow

PERIODS = {"month": "month", "3months": "3 months", "year": "year", "all": "all"}


def add_parser(sub: Any) -> None:
    """The subcommand, on `build_parser`'s subparsers."""
    p = sub.add_parser(
        "stats",
        help="collection statistics: counts, true retention (--json: every chart's figures)",
        description="Card and review counts of the collection, then true retention (the "
        "share of review answers passed: Hard, Good or Easy) of the cards chosen. --deck, "
        "--domain, --search and --period choose the cards and days the figures count "
        "(the counts are always the whole collection's).",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--deck", default=None, metavar="NAME", help="a deck (file or name) or folder")
    p.add_argument("--domain", default=None, metavar="NAME", help="an exam domain's decks")
    p.add_argument("--search", default="", metavar="QUERY", help="cards the browser's search finds")
    p.add_argument(
        "--period",
        choices=tuple(PERIODS),
        default="year",
        help="days of history the charts count (default: year; true retention always "
        "shows today, yesterday, week, month and year)",
    )


def cmd_stats(col: Collection, args: argparse.Namespace, out: TextIO) -> int:
    from flashcards.collection.domain_retention import domain_retention
    from flashcards.collection.stats import statistics
    from flashcards.collection.stats_filter import StatsFilter
    from flashcards.collection.stats_json import domains_json, figures_json
    from flashcards.core.stats import Period

    if args.deck and args.domain:
        raise FlashcardsError("give --deck or --domain, not both")
    deck = f"domain:{args.domain}" if args.domain else args.deck
    filt = StatsFilter(deck=deck, search=args.search or "", period=Period(PERIODS[args.period]))
    counts = col.stats()
    figures = statistics(col, filt)
    domains = domain_retention(col, filt)
    if args.json:
        json.dump(
            {
                **dataclasses.asdict(counts),
                **figures_json(figures),
                "true_retention_by_domain": domains_json(domains),
            },
            out,
            indent=2,
            ensure_ascii=False,
            default=str,
        )
        out.write("\n")
        return 0
    rows = [
        ("Decks", counts.decks),
        ("Cards", counts.cards),
        ("  new", counts.new),
        ("  learning", counts.learning),
        ("  review", counts.review),
        ("  suspended", counts.suspended),
        ("Hidden (removed from files)", counts.hidden),
        ("Due today", counts.due_today),
        ("Reviews today", counts.reviews_today),
        ("Reviews in total", counts.reviews_total),
    ]
    for label, value in rows:
        out.write(f"{label:<28}{value:>8}\n")
    chosen = args.domain and f"domain {args.domain}" or args.deck or "all decks"
    if args.search:
        chosen += f", cards matching {args.search!r}"
    out.write(f"\nTrue retention ({chosen}): review answers passed (Hard, Good or Easy)\n")
    out.write(retention_text(figures.history.true_retention))
    if len(domains) > 1:
        width = max(len("By exam domain") + 1, *(len(d.domain) + 2 for d in domains))
        out.write(f"\n{'By exam domain':<{width}}{'Last month':<19}{'Last year':<19}Leeches\n")
        for row in domains:
            month, year = row.month, row.year
            out.write(
                f"{row.domain:<{width}}{_share(month.passed, month.failed)}"
                f"{_share(year.passed, year.failed)}{row.leeches:>7,}\n"
            )
    heat = figures.history.heatmap
    out.write(
        f"\nStreak: {heat.current_streak} day(s); studied {heat.days_studied} of the last "
        f"{heat.days} days. Due tomorrow: {figures.cards.forecast.tomorrow}.\n"
    )
    return 0


def _share(passed: int, failed: int) -> str:
    total = passed + failed
    return f"{passed / total:6.1%} of {total:<9,}" if total else f"{'—':>6}{'':<13}"


def retention_text(rows: tuple[RetentionRow, ...]) -> str:
    """The table as text: a row a period, young, mature and total as `90.0% of 120`."""

    lines = [f"{'':<12}{'Young':>6}{'':<13}{'Mature':>6}{'':<13}{'Total':>6}"]
    for row in rows:
        parts = (row.young, row.mature, row.total)
        lines.append(
            f"{row.label:<12}" + "".join(_share(p.passed, p.failed) for p in parts).rstrip()
        )
    return "\n".join(lines) + "\n"
