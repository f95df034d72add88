"""Deadline-aware scheduling over a collection: the active exam profile's date shapes the
schedule while the deadline is on (the rules are `core/deadline.py`'s).

    deadline = Deadline(col)
    deadline.workload(now=t)          # the daily cost, estimated before turning it on
    deadline.set_options(DeadlineOptions(on=True, buffer_days=7))
    deadline.plan(now=t)              # DeadlinePlan while it applies, else None
    deadline.today_line(now=t)        # "24 new a day to finish by 5 Mar"

It applies to the cards of the active profile's domains (`Exams.domain_cards`: the
profile's decks by front matter, plus its query matches), from today until the day
before the exam. The options are per profile (setting `exam_deadline`, {profile key:
`DeadlineOptions.to_dict()`}); the day the final pass last ran is `exam_deadline_pass`.

The plan of the day (`deadline_plan.py`) moves due dates when it is made; the queue,
the deck counts, answers and the rating buttons' labels follow it. Turning the deadline
off leaves the due dates it moved where they are.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from flashcards.collection.base import utc
from flashcards.collection.deadline_plan import (
    SETTING,
    DeadlinePlan,
    exams_of,
    gather,
    options_for,
)
from flashcards.core.deadline import DeadlineOptions, Workload, estimate_workload, good_chain

if TYPE_CHECKING:
    from flashcards.collection.collection import Collection
    from flashcards.collection.exam import ProfileRef


class Deadline:
    """Deadline-aware scheduling of a collection's active exam profile."""

    def __init__(self, col: Collection) -> None:
        self.col = col

    def options(self, profile: ProfileRef | str | None = None) -> DeadlineOptions:
        """A profile's deadline options (the active profile's by default)."""
        return options_for(self.col, exams_of(self.col).profile(_name(profile)).key)

    def set_options(
        self, options: DeadlineOptions, profile: ProfileRef | str | None = None
    ) -> None:
        """Store a profile's options; the plan follows at the next queue or count."""
        key = exams_of(self.col).profile(_name(profile)).key
        stored = dict(self.col.setting(SETTING) or {})
        stored[key] = options.to_dict()
        self.col.set_setting(SETTING, stored)

    def turn(self, on: bool, profile: ProfileRef | str | None = None) -> DeadlineOptions:
        """Turn the deadline on or off, keeping its other options."""
        options = replace(self.options(profile), on=on)
        self.set_options(options, profile)
        return options

    def plan(self, *, now: datetime | None = None) -> DeadlinePlan | None:
        """Today's plan (None: off, no exam date, or the exam is today or past)."""
        window = self.col._window(utc(now))
        return self.col._deadline.plan(self.col, window)

    def today_line(self, *, now: datetime | None = None) -> str | None:
        plan = self.plan(now=now)
        return None if plan is None else plan.line()

    def workload(
        self,
        *,
        now: datetime | None = None,
        options: DeadlineOptions | None = None,
        profile: ProfileRef | str | None = None,
        exam_date: date | None = None,
    ) -> Workload | None:
        """Reviews and new cards a day until the exam, without and with the deadline
        (`options`, the stored ones by default, as if on), for a profile (the active
        one) and its exam date (or `exam_date`, a date being chosen); None without a
        date ahead. Reads only: nothing moves."""
        exams = exams_of(self.col)
        ref = exams.active() if profile is None else exams.profile(_name(profile))
        day = exam_date if exam_date is not None or ref is None else exams.exam_date(ref)
        window = self.col._window(utc(now))
        if ref is None or day is None or day.toordinal() - window.today < 1:
            return None
        options = replace(options or options_for(self.col, ref.key), on=True)
        gathered = gather(self.col, window, ref, day.toordinal(), options, pass_done=True)
        plan = gathered.plan
        with self.col.db.raw_read() as cur:
            (due_before,) = cur.execute(
                "SELECT COUNT(*) FROM cards WHERE present = 1 AND suspended = 0 "
                "AND state = 2 AND due < ?",
                (gathered.exam_start,),
            ).fetchone()
        return estimate_workload(
            days=plan.days_left,
            due_before_exam=int(due_before),
            pulled_in=plan.pulled_in,
            review_cards=gathered.review_cards,
            options=options,
            pace=plan.pace,
            own_new_per_day=plan.own_new,
            chain=good_chain(
                gathered.preset,
                now=datetime.fromtimestamp(window.now_s, UTC),
                horizon_days=plan.days_left,
            ),
        )


def _name(profile: ProfileRef | str | None) -> str | None:
    return profile if profile is None or isinstance(profile, str) else profile.key
