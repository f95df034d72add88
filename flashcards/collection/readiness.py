"""The readiness forecast over a collection: each domain's expected recall on the exam
day, the predicted score with its band and pass chance (the maths and the model are in
`core/readiness.py`, the pass over the cards in `readiness_scan.py`), and a daily trend.

    r = readiness(col, now=t)               # the active profile, on its exam date
    r.score.score, r.score.band, r.score.pass_chance, r.weakest
    sitting_prediction(col, now=t)          # the same for a sitting starting now
    trend(col)                              # one snapshot a day, oldest first

`weak_spots.py` has the weakest decks and tags.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from flashcards.collection.base import utc
from flashcards.collection.collection import Collection
from flashcards.collection.exam import Exams, ProfileRef
from flashcards.collection.readiness_scan import Membership, deck_rows, scan
from flashcards.core.readiness import (
    DomainForecast,
    ScoreForecast,
    new_card_prior,
    score_forecast,
    weakest,
)

EXAM_HOUR = 12  # the exam is taken as sat at noon, local time, on its date
FIRST_LOOKS = 1000  # new-card prior: the latest first looks at most...
FIRST_LOOKS_SCAN = 20000  # ...among this many latest answers (a bounded read)
TREND_KEY = "exam_trend"
TREND_DAYS = 400  # snapshots kept per profile


@dataclass(frozen=True)
class Readiness:
    """Where a learner stands for an exam, as predicted for one moment."""

    profile: ProfileRef
    exam_date: date | None
    days_left: int | None  # None without a date; negative once it has passed
    at: datetime  # the moment predicted for: the exam (noon on its date), else now
    domains: tuple[DomainForecast, ...]
    score: ScoreForecast
    new_prior: float  # the recall a card never studied counts at

    @property
    def weakest(self) -> DomainForecast | None:
        return weakest(self.domains)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values (the CLI's `flashcards exam --json`)."""
        p = self.profile.profile
        s = self.score
        return {
            "profile": p.short_label,
            "name": p.name,
            "key": self.profile.key,
            "retired": p.retired.isoformat() if p.retired else None,
            "successors": p.successors,
            "date": self.exam_date.isoformat() if self.exam_date else None,
            "days_left": self.days_left,
            "predicted_for": self.at.isoformat(),
            "predicted_share": round(s.share, 4),
            "predicted_score": round(s.score),
            "band": round(s.band),
            "low": round(s.low),
            "high": round(s.high),
            "pass_mark": s.pass_mark,
            "score_min": p.score_min,
            "score_max": p.score_max,
            "pass_chance": round(s.pass_chance, 4),
            "new_card_prior": round(self.new_prior, 4),
            "weakest": self.weakest.name if self.weakest else None,
            "domains": [
                {
                    "name": d.name,
                    "weight": d.weight,
                    "cards": d.cards,
                    "new": d.new,
                    "predicted_recall": round(d.recall, 4),
                }
                for d in self.domains
            ],
        }


def first_look_prior(
    col: Collection, ref: ProfileRef | None = None, *, now: datetime | None = None
) -> float:
    """The new-card prior from the latest first looks (answers to a new card); with `ref`,
    first looks at that exam's cards only (its domains' decks and query matches), so the
    tour of the app or another subject's deck does not move the exam's forecast.

    Practice answers count too: a practice exam logs a wrong answer on a new card as an
    Again review but a right one as practice, so reviews alone would see only the misses
    and the forecast would fall far below the sittings' scores."""
    recent = (
        "SELECT card_id, rating, state_before, kind FROM reviews "
        f"ORDER BY time_ms DESC LIMIT {FIRST_LOOKS_SCAN}"
    )
    looks = "r.state_before = 0 AND r.kind IN ('review', 'practice') AND r.rating > 0"
    with col._read() as s:
        raw = s.connection().connection.driver_connection
        assert raw is not None
        params: dict[str, Any] = {}
        if ref is None:
            source = f"({recent}) r WHERE {looks}"
        else:
            member = Membership(col, ref, utc(now))
            params = member.params
            decks = [d.id for d in deck_rows(raw) if member.front_matter(d.key, d.domain) >= 0]
            joined = ", ".join(map(str, decks)) or "NULL"
            source = (
                f"({recent}) r JOIN cards c ON c.id = r.card_id WHERE {looks} "
                f"AND (c.deck_id IN ({joined}) OR ({member.qbits}) > 0)"
            )
        right, count = raw.execute(
            "SELECT ifnull(sum(rating > 1), 0), count(*) FROM ("
            f"SELECT r.rating AS rating FROM {source} LIMIT {FIRST_LOOKS})",
            params,
        ).fetchone()
    return new_card_prior(int(right), int(count))


def exam_moment(col: Collection, day: date) -> datetime:
    """Noon of the exam date in the collection's time zone, as UTC."""
    local = datetime.combine(day, time(EXAM_HOUR), tzinfo=col.day_config().tz)
    return utc(local)


def prediction_moment(col: Collection, ref: ProfileRef, *, now: datetime) -> datetime:
    """The moment a forecast is for: the exam (noon on its date), else now — also once
    the date has gone by."""
    day = Exams(col).exam_date(ref)
    return now if day is None else max(exam_moment(col, day), now)


def _forecast(
    col: Collection, profile: ProfileRef | str | None, *, now: datetime, at: datetime | None
) -> Readiness:
    exams = Exams(col)
    ref = profile if isinstance(profile, ProfileRef) else exams.profile(profile)
    day = exams.exam_date(ref)
    days_left = None if day is None else day.toordinal() - col.today(now)
    if at is None:
        at = prediction_moment(col, ref, now=now)
    prior = first_look_prior(col, ref, now=now)
    sums = scan(col, ref, now=now, at=at, prior=prior)
    domains = tuple(
        DomainForecast(
            name=domain.name,
            weight=domain.weight,
            cards=total.cards,
            new=total.new,
            recall=total.mean(prior),
        )
        for domain, total in zip(ref.profile.domains, sums.domains, strict=True)
    )
    return Readiness(
        profile=ref,
        exam_date=day,
        days_left=days_left,
        at=at,
        domains=domains,
        score=score_forecast(ref.profile, [d.recall for d in domains]),
        new_prior=prior,
    )


def readiness(
    col: Collection,
    profile: ProfileRef | str | None = None,
    *,
    now: datetime | None = None,
    at: datetime | None = None,
    record: bool = False,
) -> Readiness:
    """The forecast for a profile (the active one by default) on its exam date (now
    without one, or once it has passed; `at` overrides). `record` keeps it as today's
    snapshot of the trend."""
    now = utc(now)
    result = _forecast(col, profile, now=now, at=utc(at) if at else None)
    if record:
        record_snapshot(col, result, now=now)
    return result


def sitting_prediction(
    col: Collection, profile: ProfileRef | str | None = None, *, now: datetime | None = None
) -> Readiness:
    """The prediction for a sitting that starts `now` (practice exams store it, to set
    predicted against actual afterwards)."""
    now = utc(now)
    return readiness(col, profile, now=now, at=now)


# -- the trend: one snapshot a day ----------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    day: date
    score: float
    low: float
    high: float
    pass_chance: float
    exam_date: date | None


def _snapshot_row(r: Readiness, day: date) -> list[Any]:
    s = r.score
    exam = r.exam_date.isoformat() if r.exam_date else None
    return [
        day.isoformat(),
        round(s.score, 1),
        round(s.low, 1),
        round(s.high, 1),
        round(s.pass_chance, 4),
        exam,
    ]


def record_snapshot(col: Collection, r: Readiness, *, now: datetime) -> bool:
    """Keep `r` as today's point of its profile's trend (the last one of a day wins;
    at most `TREND_DAYS` per profile). False when nothing had to change."""
    if col.db.readonly:
        return False
    day = date.fromordinal(col.today(now))
    row = _snapshot_row(r, day)
    stored = dict(col.setting(TREND_KEY) or {})
    points = [p for p in stored.get(r.profile.key, []) if p and p[0] != row[0]]
    if any(p == row for p in stored.get(r.profile.key, [])):
        return False
    points.append(row)
    points.sort(key=lambda p: str(p[0]))
    stored[r.profile.key] = points[-TREND_DAYS:]
    # Not col.set_setting: a snapshot must not invalidate the review queue's cache.
    from flashcards.collection.settings import set_setting

    with col._write() as s:
        set_setting(s, TREND_KEY, stored)
    col._settings[TREND_KEY] = stored
    return True


def trend(col: Collection, profile: ProfileRef | str | None = None) -> list[Snapshot]:
    """A profile's daily snapshots, oldest first."""
    ref = profile if isinstance(profile, ProfileRef) else Exams(col).profile(profile)
    out = []
    for p in (col.setting(TREND_KEY) or {}).get(ref.key, []):
        try:
            out.append(
                Snapshot(
                    day=date.fromisoformat(p[0]),
                    score=float(p[1]),
                    low=float(p[2]),
                    high=float(p[3]),
                    pass_chance=float(p[4]),
                    exam_date=date.fromisoformat(p[5]) if p[5] else None,
                )
            )
        except (TypeError, ValueError, IndexError):
            continue  # a damaged entry is skipped, not fatal
    return out


__all__ = [
    "Readiness",
    "Snapshot",
    "exam_moment",
    "first_look_prior",
    "prediction_moment",
    "readiness",
    "record_snapshot",
    "sitting_prediction",
    "trend",
]
