"""`flashcards exam`: the active exam profile, its date and the readiness forecast.

flashcards exam [--json]                  where you stand for the active exam
flashcards exam --date 2026-12-21         set its date (--date none clears it)
flashcards exam --profile MLS-C01         make another profile the active one
flashcards exam --deadline on             schedule for the exam date (off: as before)
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

from flashcards.core.errors import FlashcardsError

if TYPE_CHECKING:
    from flashcards.collection import Collection
    from flashcards.collection.readiness import Readiness


def _exam_date(text: str) -> date | None:
    if text.strip().lower() in ("none", "clear", ""):
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD (or none)") from None


def add_parser(sub: Any) -> None:
    """The subcommand, on `build_parser`'s subparsers."""
    p = sub.add_parser(
        "exam",
        help="readiness for the active exam: predicted score, pass chance, domains",
        description="Where you stand for the active exam profile. --date and --profile "
        "change the settings first (both may be given).",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument(
        "--date",
        type=_exam_date,
        default=argparse.SUPPRESS,
        metavar="YYYY-MM-DD",
        help="set the active profile's exam date ('none' clears it)",
    )
    p.add_argument(
        "--profile",
        default=None,
        metavar="NAME",
        help="make this profile active (its code, short name, name or folder)",
    )
    p.add_argument(
        "--deadline",
        choices=("on", "off"),
        default=None,
        help="schedule the active profile's cards for its exam date: new cards paced to "
        "finish a week before, no review put off past it, a final pass (README)",
    )


def cmd_exam(col: Collection, args: argparse.Namespace, out: TextIO) -> int:
    from flashcards.collection.exam import Exams
    from flashcards.collection.readiness import readiness

    exams = Exams(col)
    changing = args.profile is not None or hasattr(args, "date") or args.deadline is not None
    if changing and col.db.readonly:
        raise FlashcardsError(
            "the collection is open in the app: set the exam there (Today page or "
            "Preferences ▸ Exam), or close the app first"
        )
    notes = []
    if args.profile is not None:
        ref = exams.set_active(args.profile)
        notes.append(f"Active exam: {ref.profile.short_label} ({ref.name})")
    if hasattr(args, "date"):
        exams.set_exam_date(args.date)
        label = exams.profile().profile.short_label
        notes.append(
            f"Exam date for {label}: {args.date.isoformat()}"
            if args.date
            else f"Exam date for {label} cleared"
        )
    if args.deadline is not None:  # deadline-aware scheduling (collection/deadline.py)
        from flashcards.collection.deadline import Deadline

        Deadline(col).turn(args.deadline == "on")
        notes.append(f"Scheduling for the exam date: {args.deadline}")
    result = readiness(col, record=not col.db.readonly)
    if args.json:
        data = {**result.to_dict(), "deadline": deadline_dict(col)}
        json.dump(data, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return 0
    for note in notes:
        out.write(note + "\n")
    out.write(describe(result))
    out.write(deadline_text(col))
    return 0


def deadline_dict(col: Collection) -> dict[str, Any]:
    """The deadline's options, today's line and workload estimate (JSON `deadline`)."""
    from flashcards.collection.deadline import Deadline

    deadline = Deadline(col)
    work = deadline.workload()
    return {
        **deadline.options().to_dict(),
        "today": deadline.today_line(),
        "workload": None if work is None else vars(work),
    }


def deadline_text(col: Collection) -> str:
    """Whether scheduling follows the exam date, and what it does or would cost a day."""
    from flashcards.collection.deadline import Deadline
    from flashcards.core.deadline import workload_line

    deadline = Deadline(col)
    plan = deadline.plan()
    if plan is not None:
        return f"Scheduling for the exam date: on — {plan.line()}\n"
    on = deadline.options().on
    work = deadline.workload()
    if work is None:
        state = "on, but no exam date ahead: the presets schedule as usual" if on else "off"
        return f"Scheduling for the exam date: {state}\n"
    exam_day = deadline.col.today() + work.days
    return (
        "Scheduling for the exam date: off (flashcards exam --deadline on)\n"
        f"  {workload_line(work, exam_day=exam_day)}\n"
    )


def _when(r: Readiness) -> str:
    if r.exam_date is None:
        return "Exam date: not set (flashcards exam --date YYYY-MM-DD); forecast for today"
    day = f"{r.exam_date:%a %d %b %Y}"
    if r.days_left is None or r.days_left < 0:
        return f"Exam date: {day} (passed); forecast for today"
    if r.days_left == 0:
        return f"Exam date: {day} (today)"
    return f"Exam date: {day} (in {r.days_left} day{'s' if r.days_left != 1 else ''})"


def describe(r: Readiness) -> str:
    """The forecast as the command prints it."""
    from flashcards.core.readiness import percent_text

    p = r.profile.profile
    s = r.score
    lines = [f"{p.short_label} — {p.name}"]
    if p.retired is not None:
        lines.append(
            f"  retired {p.retired:%d %b %Y}"
            + (f"; successor: {p.successors}" if p.successors else "")
        )
    lines.append(_when(r))
    if r.exam_date is not None and p.retired_on(r.exam_date):
        # As the Readiness window says: a date after the retirement is for an exam that
        # no longer exists (the date is still kept: the forecast and schedule follow it).
        successor = f" — take its successor: {p.successors}" if p.successors else ""
        lines.append(
            f"Warning: {p.short_label} was retired on {p.retired:%d %b %Y}: it can no "
            f"longer be sat on {r.exam_date:%d %b %Y}{successor}"
        )
    lines += [
        f"Predicted score: {s.score:.0f} ± {s.band:.0f} (pass mark {s.pass_mark}; "
        f"scale {p.score_min}–{p.score_max})",
        f"Chance to pass: {percent_text(s.pass_chance)}",
        "",
    ]
    # As wide as the longest name: "ML Solution Monitoring, Maintenance, and Security"
    # (MLA-C01) was cut mid-word at 47 characters.
    width = max([48, *(len(d.name) + 2 for d in r.domains)])
    lines.append(f"{'Domain':<{width}}{'weight':>7}{'cards':>8}{'new':>7}{'recall':>8}")
    for d in r.domains:
        lines.append(f"{d.name:<{width}}{d.weight:>7.0%}{d.cards:>8,}{d.new:>7,}{d.recall:>8.0%}")
    weakest = r.weakest
    if weakest is not None:
        lines.append(f"Weakest: {weakest.name}")
    lines.append(
        f'(A card never studied counts at {r.new_prior:.0%}; see README "Exam" for the model.)'
    )
    return "\n".join(lines) + "\n"
