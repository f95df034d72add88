"""What the exam line on Today, the Readiness window and the Preferences' Exam tab ask
of the collection, run on the app's worker (no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flashcards.collection.exam import Exams, ProfileRef
from flashcards.collection.readiness import Readiness, Snapshot, readiness, trend
from flashcards.collection.weak_spots import WeakSpot, WeakSpots, weak_spots, weakest_cards
from flashcards.core.model import CardId
from flashcards.core.readiness import percent_text


@dataclass(frozen=True)
class ProfileChoice:
    key: str
    label: str  # "MLS-C01 — AWS Certified Machine Learning – Specialty"
    short: str  # "MLS-C01"
    exam_date: date | None
    note: str  # retired / successor, or ""


@dataclass(frozen=True)
class ExamSettings:
    """The profiles, the active one and each one's date (Preferences, the date dialog)."""

    profiles: tuple[ProfileChoice, ...]
    active: str | None  # key
    today: date


@dataclass(frozen=True)
class ReadinessPage:
    """Everything the Readiness window shows."""

    settings: ExamSettings
    readiness: Readiness | None
    trend: tuple[Snapshot, ...]
    spots: WeakSpots | None


def profile_note(ref: ProfileRef) -> str:
    """ "Retired 31 Mar 2026 — successor: …", or ""."""
    p = ref.profile
    if p.retired is None:
        return ""
    successor = f" — successor: {p.successors}" if p.successors else ""
    return f"Retired {day_text(p.retired)}{successor}"


def load_settings(col: Any, *, now: datetime) -> ExamSettings:
    exams = Exams(col)
    refs = exams.profiles()
    active = exams.active()
    return ExamSettings(
        profiles=tuple(
            ProfileChoice(
                key=r.key,
                label=f"{r.profile.short_label} — {r.name}"
                if r.profile.short_label != r.name
                else r.name,
                short=r.profile.short_label,
                exam_date=exams.exam_date(r),
                note=profile_note(r),
            )
            for r in refs
        ),
        active=active.key if active else None,
        today=date.fromordinal(col.today(now)),
    )


def load_summary(col: Any, *, now: datetime) -> Readiness | None:
    """The active profile's forecast, kept as today's point of its trend (None without
    a profile)."""
    ref = Exams(col).active()
    return None if ref is None else readiness(col, ref, now=now, record=True)


def load_page(col: Any, *, now: datetime) -> ReadinessPage:
    settings = load_settings(col, now=now)
    ref = Exams(col).active()
    if ref is None:
        return ReadinessPage(settings, None, (), None)
    result = readiness(col, ref, now=now, record=True)
    return ReadinessPage(
        settings=settings,
        readiness=result,
        trend=tuple(trend(col, ref)),
        spots=weak_spots(col, ref, now=now),
    )


def save_exam(col: Any, *, key: str | None, day: date | None, set_day: bool = True) -> None:
    """Make `key` the active profile (None: leave it) and set its date (`set_day`)."""
    exams = Exams(col)
    if key is not None and (active := exams.active()) is not None and active.key != key:
        exams.set_active(key)
    if set_day:
        exams.set_exam_date(day)


def study_cards(col: Any, spot: WeakSpot, *, now: datetime) -> list[CardId]:
    return weakest_cards(col, spot, now=now)


def summary_text(r: Readiness) -> str:
    """The Today line: "MLS-C01 in 23 days · predicted 810 ± 40 · weakest: Modeling"."""
    p = r.profile.profile
    s = r.score
    parts = []
    label = p.short_label
    if p.retired_on(r.exam_date or r.at.date()):
        label += " (retired)"  # the note and successor are in the tooltip and on the page
    if r.exam_date is None:
        parts.append(f"{label} · predicted {s.score:.0f} ± {s.band:.0f} today")
    elif r.days_left is not None and r.days_left < 0:
        was = day_text(r.exam_date, year=False)
        parts.append(f"{label} was on {was} · predicted {s.score:.0f} ± {s.band:.0f} today")
    else:
        when = {0: "today", 1: "tomorrow"}.get(r.days_left or 0, f"in {r.days_left} days")
        parts.append(f"{label} {when} · predicted {s.score:.0f} ± {s.band:.0f}")
    parts.append(f"pass {percent_text(s.pass_chance)}")
    weakest = r.weakest
    if weakest is not None and r.domains and any(d.cards for d in r.domains):
        parts.append(f"weakest: {short_domain(weakest.name)}")
    return " · ".join(parts)


def short_domain(name: str, limit: int = 32) -> str:
    """A long domain name cut at a word ("Machine Learning Implementation…")."""
    if len(name) <= limit:
        return name
    cut = name[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,–-") + "…"


def day_text(day: date, *, year: bool = True) -> str:
    """ "31 Mar 2026" (no leading zero, on every platform)."""
    return f"{day.day} {day:%b}" + (f" {day.year}" if year else "")
