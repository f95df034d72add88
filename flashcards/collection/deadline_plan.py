"""The exam deadline's plan of the day: what the active profile's exam date changes in
the schedule today, made once a study day (see `collection/deadline.py` for the API and
`core/deadline.py` for the rules).

The review mixin holds one `DeadlineDays`: the plan is made once per study day and again
when the settings it reads or a deck file change (`plan()` is cheap otherwise). Making it
pulls in the domain cards scheduled past the exam day whose recall on it would fall
short, and on the final days brings the final pass's cards forward to today (due now).
The queue and the deck counts take its new-card pace, answers and the rating buttons'
labels its cap.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from flashcards.collection.queue import DEFAULT_PRESET_ID, DeckRef, Window, done_today, limits
from flashcards.core.days import day_start
from flashcards.core.deadline import (
    DeadlineOptions,
    DeckPace,
    NewPace,
    Scheduled,
    cap_interval,
    capped_intervals,
    exam_target,
    final_pass,
    in_final_days,
    new_pace,
    pace_line,
    pulled_in_due,
)
from flashcards.core.model import CardState, MemoryState, Rating
from flashcards.core.scheduling import Outcome, Preset
from flashcards.storage.convert import to_epoch

if TYPE_CHECKING:
    from flashcards.collection.base import CollectionBase
    from flashcards.collection.exam import ProfileRef

SETTING = "exam_deadline"
PASS_SETTING = "exam_deadline_pass"
_WATCHED = ("exam_profile", "exam_dates", SETTING, "timezone", "rollover_hour")

# The profile's cards as `Exams.domain_cards` finds them, without listing them: the decks
# under its folder whose front matter names one of its domains (all their cards), and the
# cards its domain queries match elsewhere. Counted per deck by the deck index, so
# making the plan reads no card row it does not need (listing 100k ids costs ~0.2 s).
_MEMBER_DECKS_SQL = (
    "SELECT id FROM decks WHERE present = 1 "
    "AND domain IN (SELECT value FROM json_each(:domains)) COLLATE NOCASE "
    "AND (:prefix = '' OR substr(key, 1, length(:prefix)) = :prefix)"
)
_IN_DECKS = "c.deck_id IN (SELECT value FROM json_each(:decks))"
_IN_EXTRA = f"c.id IN (SELECT value FROM json_each(:extra)) AND NOT {_IN_DECKS}"
_COUNTS_SQL = (
    "SELECT c.deck_id, SUM(c.state = 0 AND c.suspended = 0), "
    "SUM(c.state = 2 AND c.suspended = 0) FROM cards c WHERE c.present = 1 AND {which} "
    "GROUP BY c.deck_id"
)
# Review cards not due before the exam day: the ones to pull in or to pass over finally.
_LATE_SQL = (
    "SELECT c.id, c.buried_until, c.due, c.last_review, c.stability, d.preset_id "
    "FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.present = 1 AND c.state = 2 "
    "AND c.suspended = 0 AND c.due >= :exam_start AND c.last_review IS NOT NULL "
    "AND c.stability > 0 AND {which}"
)


@dataclass(frozen=True)
class DeadlinePlan:
    """What the exam date changes today (made by `DeadlineDays`)."""

    profile_key: str
    exam_day: int  # study day number (date ordinal)
    today: int
    options: DeadlineOptions
    member_decks: frozenset[int]  # decks whose every card is the profile's (front matter)
    extra: frozenset[str]  # other cards its domain queries match
    decks: frozenset[int]  # the decks holding its cards: the pace raises their new cards
    pace: NewPace
    own_new: int  # new cards a day those decks take without the pace
    pulled_in: int  # cards the cap brought before the exam when the plan was made
    final_today: int  # cards the final pass brought forward today (0 off its days)

    @property
    def days_left(self) -> int:
        return self.exam_day - self.today

    @property
    def deck_pace(self) -> DeckPace:
        return DeckPace(self.decks, self.pace.per_day)

    def covers(self, cur: sqlite3.Cursor, card_id: str) -> bool:
        """Is the card one of the profile's domain cards (one indexed look-up)?"""
        if card_id in self.extra:
            return True
        row = cur.execute("SELECT deck_id FROM cards WHERE id = ?", (card_id,)).fetchone()
        return row is not None and int(row[0]) in self.member_decks

    def card_ids(self, cur: sqlite3.Cursor) -> set[str]:
        """Every card of the profile's domains (for checks; the plan never needs them all)."""
        params = {"decks": json.dumps(sorted(self.member_decks))}
        rows = cur.execute(f"SELECT c.id FROM cards c WHERE c.present = 1 AND {_IN_DECKS}", params)
        return {r[0] for r in rows} | set(self.extra)

    def cap(self, outcome: Outcome, *, now: datetime, preset: Preset) -> Outcome:
        """An answer's outcome with its interval capped (see `core.deadline.cap_interval`);
        for a card the plan `covers`."""
        after = outcome.after
        if after.state is not CardState.REVIEW:
            return outcome
        if after.due is None or after.stability is None:
            return outcome
        interval = round((after.due - now) / timedelta(days=1))
        capped = cap_interval(
            interval,
            days_to_exam=self.days_left,
            stability=after.stability,
            preset=preset,
            target=exam_target(preset, self.options),
        )
        if capped == interval:
            return outcome
        due = now + timedelta(days=capped)
        return replace(outcome, after=replace(after, due=due), scheduled_days=float(capped))

    def labels(
        self,
        intervals: Mapping[Rating, timedelta],
        memory: MemoryState,
        card_id: str,
        *,
        now: datetime,
        preset: Preset,
    ) -> dict[Rating, timedelta]:
        """The rating buttons' intervals with the cap, for a card the plan `covers`."""
        return capped_intervals(
            memory,
            intervals,
            now=now,
            preset=preset,
            card_id=card_id,
            days_to_exam=self.days_left,
            target=exam_target(preset, self.options),
        )

    def line(self) -> str:
        """The Today page's sentence: the pace, and the final pass on its days."""
        text = pace_line(self.pace, self.own_new, today=self.today)
        if self.final_today:
            text += f" · final pass: {self.final_today} weakest cards brought forward today"
        return text


@dataclass(frozen=True)
class _Gathered:
    """The profile's cards as the plan and the workload estimate read them."""

    plan: DeadlinePlan
    pulls: dict[str, int]  # card id -> new due (epoch s)
    finals: list[str]  # the final pass's cards for today (empty off its days)
    review_cards: int
    exam_start: int
    preset: Preset  # the exam decks' (the first one's) preset


def options_for(col: CollectionBase, key: str) -> DeadlineOptions:
    """The deadline options of the profile with key `key`."""
    stored = col.setting(SETTING) or {}
    return DeadlineOptions.from_dict(stored.get(key) if isinstance(stored, dict) else None)


def exams_of(col: CollectionBase) -> Any:
    # Imported late: collection.exam imports the facade, which imports the review mixin.
    from flashcards.collection.exam import Exams

    return Exams(col)  # type: ignore[arg-type]  # the facade is a CollectionBase


def gather(
    col: CollectionBase,
    window: Window,
    ref: ProfileRef,
    exam_day: int,
    options: DeadlineOptions,
    *,
    pass_done: bool,
) -> _Gathered:
    now = datetime.fromtimestamp(window.now_s, UTC)
    cfg = col.day_config()
    exam_start = to_epoch(day_start(exam_day, cfg.tz, cfg.rollover_hour))
    exam_end = to_epoch(day_start(exam_day + 1, cfg.tz, cfg.rollover_hour))
    extra = _query_matches(col, ref, now)
    params = {
        "domains": json.dumps([d.name for d in ref.profile.domains]),
        "prefix": ref.key + "/" if ref.key else "",
        "extra": json.dumps(extra),
        "exam_start": exam_start,
    }
    presets = col.presets()
    default = presets[DEFAULT_PRESET_ID]
    decks: set[int] = set()
    new_now = review_cards = 0
    pulls: dict[str, int] = {}
    candidates: list[Scheduled] = []
    late: list[Any] = []
    with col.db.raw_read() as cur:
        member_decks = frozenset(int(r[0]) for r in cur.execute(_MEMBER_DECKS_SQL, params))
        params["decks"] = json.dumps(sorted(member_decks))
        for which in (_IN_DECKS, _IN_EXTRA) if extra else (_IN_DECKS,):
            for deck, new, reviews in cur.execute(_COUNTS_SQL.format(which=which), params):
                decks.add(int(deck))
                new_now += int(new or 0)
                review_cards += int(reviews or 0)
            late += cur.execute(_LATE_SQL.format(which=which), params).fetchall()
    for cid, buried, due, last, stability, pid in late:
        preset = presets.get(pid) or default
        card = Scheduled(cid, int(due), int(last), float(stability), preset)
        if due >= exam_end:
            target = exam_target(preset, options)
            pulled = pulled_in_due(card, exam_start=exam_start, now=window.now_s, target=target)
            if pulled is not None:
                pulls[cid] = pulled
                continue
        if buried < window.today:
            candidates.append(card)
    refs = [r for r in col._deck_refs() if r.id in decks]
    done = done_today_of(col, window)
    done_new = sum(done.get(r.id, (0, 0))[0] for r in refs)
    pace = new_pace(
        new_now + done_new,
        today=window.today,
        exam_day=exam_day,
        buffer_days=options.buffer_days,
    )
    finals: list[str] = []
    final_day = in_final_days(today=window.today, exam_day=exam_day, final_days=options.final_days)
    if final_day and not pass_done:
        finals = final_pass(candidates, exam_start=exam_start, per_day=options.final_per_day)
    plan = DeadlinePlan(
        profile_key=ref.key,
        exam_day=exam_day,
        today=window.today,
        options=options,
        member_decks=member_decks,
        extra=frozenset(extra),
        decks=frozenset(decks),
        pace=pace,
        own_new=_own_new(refs, presets),
        pulled_in=len(pulls),
        final_today=len(finals),
    )
    first = presets.get(refs[0].preset_id, default) if refs else default
    return _Gathered(plan, pulls, finals, review_cards, exam_start, first)


def _query_matches(col: CollectionBase, ref: ProfileRef, now: datetime) -> list[str]:
    """Cards the profile's domain queries match (the browser's search language)."""
    from flashcards.collection.browse import search_cards

    found: set[str] = set()
    if col.db.readonly:  # the search makes its indexes first: a read-only copy counts decks
        return []
    for domain in ref.profile.domains:
        if domain.query:
            found.update(search_cards(col, domain.query, now=now))  # type: ignore[arg-type]
    return sorted(found)


def deck_stamps(col: CollectionBase) -> tuple[tuple[int, str], ...]:
    """(id, sha1) of every present deck by key, as `col._deck_refs()` has them: whether
    a deck file changed (checked after every change; no DeckRef built)."""
    with col.db.raw_read() as cur:
        rows = cur.execute("SELECT id, sha1 FROM decks WHERE present = 1 ORDER BY key")
        return tuple((int(i), str(h)) for i, h in rows)


def done_today_of(col: CollectionBase, window: Window) -> dict[int, tuple[int, int]]:
    with col._read() as s:
        return done_today(s, window)


def _own_new(refs: list[DeckRef], presets: dict[int, Preset]) -> int:
    """New cards a day the exam's decks take together without the pace."""
    if not refs:
        return 0
    lim = limits(refs, presets, {})
    total = sum(lim.new.values())
    return total if lim.new_cap is None else min(total, lim.new_cap)


class DeadlineDays:
    """The collection's deadline plan of the day, cached (one per collection)."""

    def __init__(self) -> None:
        self._fast: tuple[int, int] | None = None  # (today, generation)
        self._slow: tuple[Any, ...] | None = None  # (today, settings, deck files)
        self._plan: DeadlinePlan | None = None

    def plan(self, col: CollectionBase, window: Window) -> DeadlinePlan | None:
        """Today's plan, or None when the deadline does not apply. Call it outside any
        open transaction: making the plan may move due dates (see the module)."""
        fast = (window.today, col._generation)
        if self._fast == fast:
            return self._plan
        slow = (
            window.today,
            json.dumps([col.setting(k) for k in _WATCHED], sort_keys=True, default=str),
            deck_stamps(col),
        )
        if self._slow != slow:
            self._plan = self._make(col, window)
            self._slow = slow
        self._fast = (window.today, col._generation)
        return self._plan

    def _make(self, col: CollectionBase, window: Window) -> DeadlinePlan | None:
        exams = exams_of(col)
        ref = exams.active()
        if ref is None:
            return None
        options = options_for(col, ref.key)
        day = exams.exam_date(ref)
        if not options.on or day is None or day.toordinal() - window.today < 1:
            return None
        stored = col.setting(PASS_SETTING) or {}
        done_pass = stored.get("day") == window.today and stored.get("profile") == ref.key
        gathered = gather(col, window, ref, day.toordinal(), options, pass_done=done_pass)
        plan = gathered.plan
        if done_pass:  # made again later the same day: say what the pass did
            plan = replace(plan, final_today=int(stored.get("cards", 0)))
        if col.db.readonly:
            return plan
        moves = dict(gathered.pulls)
        moves.update(dict.fromkeys(gathered.finals, window.now_s))
        if moves:
            with col.db.raw() as cur:
                cur.executemany(
                    "UPDATE cards SET due = ? WHERE id = ?", [(d, c) for c, d in moves.items()]
                )
            col._generation += 1
        if gathered.finals:
            col.set_setting(
                PASS_SETTING,
                {"day": window.today, "profile": ref.key, "cards": len(gathered.finals)},
            )
        return plan
