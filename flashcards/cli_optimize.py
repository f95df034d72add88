"""`flashcards optimize` and `flashcards simulate`: FSRS fitted to a preset's history, and
a year of its cards simulated by desired retention.

    flashcards optimize [--preset N] [--json] [--dry-run]
    flashcards simulate [--preset N] [--json]
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from flashcards.collection import Collection


def add_parsers(sub: Any) -> None:
    """The two subcommands, on `build_parser`'s subparsers."""
    p = sub.add_parser(
        "optimize",
        help="fit a preset's FSRS parameters to its review history (kept if they fit better)",
    )
    p.add_argument("--preset", default=None, metavar="N", help="preset id or name (default: 1)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--dry-run", action="store_true", help="report the fit; change nothing")
    p = sub.add_parser(
        "simulate", help="a year of a preset's cards at each desired retention, and the best"
    )
    p.add_argument("--preset", default=None, metavar="N", help="preset id or name (default: 1)")
    p.add_argument("--json", action="store_true", help="print JSON")


def cmd_optimize(col: Collection, args: argparse.Namespace, out: TextIO) -> int:
    from flashcards.collection.optimize import find_preset, optimize_preset

    report = optimize_preset(col, find_preset(col, args.preset), save=not args.dry_run)
    if args.json:
        _print_json(report.to_json(), out)
        return 0
    fit = report.fit
    out.write(
        f"Preset {report.preset!r}: fitted to {fit.reviews:,} reviews of {fit.cards:,} cards "
        f"({fit.items:,} a day or more after the one before)\n"
        f"{'':14}{'current':>10}{'fitted':>10}\n"
        f"{'log loss':14}{fit.current_eval.log_loss:>10.4f}{fit.fitted_eval.log_loss:>10.4f}\n"
        f"{'RMSE (bins)':14}{fit.current_eval.rmse_bins:>10.2%}{fit.fitted_eval.rmse_bins:>10.2%}\n"
    )
    if report.saved:
        out.write(
            "Kept the fitted parameters (lower on both figures); the memory states of "
            f"{report.cards_updated:,} cards were recomputed with them.\n"
        )
    elif fit.kept:
        out.write("The fitted parameters are better; --dry-run: nothing was changed.\n")
    else:
        out.write("The fitted parameters are not better on both figures: kept the current ones.\n")
    out.write("parameters: " + ", ".join(f"{v:g}" for v in fit.parameters) + "\n")
    return 0


def cmd_simulate(col: Collection, args: argparse.Namespace, out: TextIO) -> int:
    from flashcards.collection.optimize import find_preset, simulate_preset

    report = simulate_preset(col, find_preset(col, args.preset))
    if args.json:
        _print_json(report.to_json(), out)
        return 0
    w = report.workload
    habits = "your answer habits" if w.habits.measured else "Anki's typical answer habits"
    out.write(
        f"Preset {report.preset!r}: {w.deck_size:,} cards learned at {w.new_per_day} new a day, "
        f"{w.days} days simulated with {habits}\n"
        f"{'retention':>9}  {'reviews/day':>11}  {'minutes/day':>11}  {'remembered':>10}  "
        f"{'min/card':>8}\n"
    )
    for p in w.points:
        marks = []
        if p.retention == w.best:
            marks.append("least time per card remembered")
        if abs(p.retention - report.desired_retention) < 0.005:
            marks.append("yours")
        out.write(
            f"{p.retention:>9.2f}  {p.reviews_per_day:>11.1f}  {p.minutes_per_day:>11.1f}  "
            f"{p.remembered:>10.0f}  {p.minutes_per_card:>8.2f}"
            + (f"  <- {', '.join(marks)}" if marks else "")
            + "\n"
        )
    out.write(
        f"Least time per card remembered at retention {w.best:.2f} (Anki's minimum recommended "
        f"retention); yours is {report.desired_retention:.2f}\n"
    )
    return 0


def _print_json(value: Any, out: TextIO) -> None:
    json.dump(value, out, indent=2, ensure_ascii=False)
    out.write("\n")
