"""What the Today page shows, gathered on the worker thread (no Qt here)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flashcards.core.exam import domain_selection
from flashcards.core.study_time import Pace, estimate_minutes
from flashcards.gui import collection_extras as extras

TOUR_DECK = "getting-started.md"
"""The bundled tour of the app: a newcomer's Study starts there while it has new cards
and nothing beyond it has been studied yet."""


@dataclass(frozen=True)
class Today:
    decks: tuple[Any, ...]  # DeckInfo values
    new: int
    learning: int
    due: int
    reviews_today: int
    streak: int
    minutes: int  # estimated minutes for what is left today
    # (new, learning, review) left today per folder name prefix (and `domain:NAME` per
    # exam domain), None = all decks. A folder's or domain's new cards are capped by its
    # own limit, so they are not the decks' sum.
    folders: Mapping[str | None, tuple[int, int, int]] = field(default_factory=dict)
    next_due: datetime | None = None  # set when nothing is left today
    tour: Any = None  # the tour deck's DeckInfo while a newcomer should start there
    deadline: str | None = None  # the exam deadline's pace line while it applies
    pace: Any = None  # core.study_time.Pace: the user's seconds per card, for estimates
    # The study day (it runs to the rollover hour: at 1 a.m. it is still yesterday's).
    day: date | None = None

    @property
    def to_study(self) -> int:
        return self.new + self.learning + self.due

    def counts_for(self, deck: str | None, domain: str | None = None) -> tuple[int, int, int]:
        """(new, learning, review) a session of this selection would study today: a deck
        (or folder) name, an exam domain, or None for all decks. A folder's and a
        domain's are their own sessions' counts (capped by their limits), not the sum."""
        if domain is not None:
            key: str | None = domain_selection(domain)
        else:
            key = deck or None
        if key in self.folders:
            return self.folders[key]
        info = next((d for d in self.decks if d.name == deck), None)
        if info is None:
            return (0, 0, 0)
        return (int(info.new), int(info.learning), int(info.due))

    def minutes_for(self, counts: tuple[int, int, int]) -> int:
        """Estimated whole minutes for these counts, at the user's pace."""
        new, learning, due = counts
        return estimate_minutes(new=new, learning=learning, due=due, pace=self.pace or Pace())


def load_today(col: Any, *, now: datetime) -> Today:
    """Counts per deck and folder, totals, the study streak and a time estimate."""
    decks = tuple(col.decks(now=now))
    prefixes: set[str | None] = {None}
    for info in decks:
        for depth in range(1, len(info.folders) + 1):
            prefixes.add("::".join(info.folders[:depth]))
    # An exam domain is capped as a whole too (see review_ops.Scope); the exams' domains
    # are listed even when no deck's front matter names them (their queries take cards).
    prefixes.update(domain_selection(d.domain) for d in decks if d.domain)
    from flashcards.collection.exam import Exams

    prefixes.update(domain_selection(rule.name) for rule in Exams(col).domain_rules())
    folders = {prefix: tuple(col.counts(prefix, now=now)) for prefix in prefixes}
    new, learning, due = folders[None]
    reviews_today = int(col.stats(now=now).reviews_today)
    streak = extras.study_streak(col, now=now)
    # Imported here, on the worker: the window's start-up need not load SQLAlchemy.
    from flashcards.collection.study_pace import study_pace

    pace = study_pace(col)
    upcoming = None if new + learning + due else extras.next_due(col, decks=None, now=now)
    return Today(
        decks=decks,
        new=new,
        learning=learning,
        due=due,
        reviews_today=reviews_today,
        streak=streak,
        minutes=estimate_minutes(new=new, learning=learning, due=due, pace=pace),
        folders=folders,
        next_due=upcoming,
        tour=tour_deck(col, decks),
        deadline=deadline_line(col, now=now),
        pace=pace,
        day=date.fromordinal(col.today(now)),
    )


def deadline_line(col: Any, *, now: datetime) -> str | None:
    """The exam deadline's line ("24 new a day to finish by 5 Mar") while it applies."""
    from flashcards.collection.deadline import Deadline

    return Deadline(col).today_line(now=now)


def tour_deck(col: Any, decks: tuple[Any, ...]) -> Any:
    """The tour deck's DeckInfo while it has new cards and the user has studied nothing
    else (someone who went straight to other decks has chosen: Study takes them all)."""
    tour = next((d for d in decks if d.file == TOUR_DECK and d.new), None)
    if tour is None or extras.studied_beyond(col, TOUR_DECK):
        return None
    return tour


def deck_counts(
    col: Any, decks: frozenset[str], *, now: datetime, domains: frozenset[str] = frozenset()
) -> dict[str | None, tuple[int, int, int]]:
    """(new, learning, review) left today for `decks`, their folders, their exam
    `domains` and all decks: the few sidebar rows an answer moves, far cheaper than
    every deck's counts."""
    names: set[str | None] = {None}
    for deck in decks:
        parts = deck.split("::")
        names.update("::".join(parts[:depth]) for depth in range(1, len(parts) + 1))
    names.update(domain_selection(d) for d in domains)
    return {name: tuple(col.counts(name, now=now)) for name in names}
