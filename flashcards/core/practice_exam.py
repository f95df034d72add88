"""Practice exams, the pure part: which questions a sitting draws, how it is scored, and
its clock. Plain values in and out; the caller passes every moment and every seed.

Drawing (`draw_questions`): each domain gets its share of the questions
(`core.exam.allocate_questions`), taken from its multiple-choice cards. Cards the
learner has not met in a practice exam come first, then those met longest ago: the
last sitting's questions return only once every other card of the domain has been
asked. Within one freshness, cards are ordered by a hash of the sitting's seed and
their id, so a seed always draws the same exam. A domain with too few cards leaves
its shortfall to the domains with cards to spare (in proportion to their shares);
the questions are then shuffled together, as a real exam mixes its domains.

Scoring (`score_exam`): a question is right when exactly the right options were picked
(all-or-nothing, as AWS scores "choose two"); an unanswered question is wrong. The
scaled score is `core.readiness.scaled_score` of the share right — the same mapping
the readiness forecast uses: the pass share maps to the pass mark, 0 and 1 to the
ends of the scale, linear in between.

The clock (`ExamClock`): the time used so far plus, while the exam is on screen, the
time since it was (re)opened. Leaving the exam pauses it; a practice exam resumed
the next day has the time it had left.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from flashcards.core.exam import ExamProfile
from flashcards.core.model import CardId
from flashcards.core.readiness import scaled_score

WARN_AT_SECONDS = (600, 60)
"""Moments (seconds left) at which a timed exam warns that time is running out."""


# -- drawing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DomainPool:
    """An exam domain's multiple-choice cards and how many questions it gets."""

    name: str
    cards: tuple[CardId, ...]
    questions: int


@dataclass(frozen=True)
class Drawn:
    """One question of a sitting: a card, asked for a domain."""

    card_id: CardId
    domain: str


def _key(seed: int, salt: str, card_id: str) -> bytes:
    """A card's place in an order drawn by `seed` (`salt` names the order)."""
    return hashlib.blake2b(f"{seed}|{salt}|{card_id}".encode(), digest_size=8).digest()


def draw_questions(
    pools: Sequence[DomainPool],
    *,
    seed: int,
    recent: Sequence[Collection[str]] = (),
) -> tuple[Drawn, ...]:
    """The questions of one sitting, in the order they are asked.

    `recent` holds the card ids of past sittings, the most recent first: a card is
    drawn again only once the domain has no card met less recently. A card in two
    domains is asked once, for the first domain that draws it. Fewer questions than
    asked for come back only when the pools hold fewer cards.
    """
    last_met: dict[str, int] = {}
    for age, cards in enumerate(recent):
        for card in cards:
            last_met.setdefault(str(card), age)
    never = len(recent)
    salt = f"{seed}|draw|".encode()

    def rank(card: CardId) -> tuple[int, bytes]:
        # Never met first, then the least recently met; the seed orders each group.
        key = hashlib.blake2b(salt + card.encode(), digest_size=8).digest()
        return (-last_met.get(card, never), key)

    taken: set[CardId] = set()
    ranked: list[list[CardId]] = []
    got: list[list[CardId]] = []
    for pool in pools:
        candidates = sorted((c for c in dict.fromkeys(pool.cards) if c not in taken), key=rank)
        mine = candidates[: max(pool.questions, 0)]
        taken.update(mine)
        ranked.append(candidates)
        got.append(mine)
    wanted = sum(max(p.questions, 0) for p in pools)
    short = wanted - sum(len(g) for g in got)
    while short > 0:
        # The next spare question goes where it is most under-represented (D'Hondt).
        best: int | None = None
        for i, pool in enumerate(pools):
            if not any(c not in taken for c in ranked[i]):
                continue
            if best is None or pool.questions * (len(got[best]) + 1) > pools[best].questions * (
                len(got[i]) + 1
            ):
                best = i
        if best is None:
            break
        card = next(c for c in ranked[best] if c not in taken)
        got[best].append(card)
        taken.add(card)
        short -= 1
    drawn = [Drawn(card, pools[i].name) for i, cards in enumerate(got) for card in cards]
    return tuple(sorted(drawn, key=lambda d: _key(seed, "order", str(d.card_id))))


# -- scoring ------------------------------------------------------------------------------


def is_right(picked: Collection[int] | None, correct: Collection[int]) -> bool:
    """All-or-nothing: exactly the right options, no more and no fewer."""
    return picked is not None and frozenset(picked) == frozenset(correct)


@dataclass(frozen=True)
class Marked:
    """One question as answered: its domain, the right options and the picked ones
    (None: not answered). Options are the card's file indexes."""

    domain: str
    correct: frozenset[int]
    picked: frozenset[int] | None

    @property
    def right(self) -> bool:
        return is_right(self.picked, self.correct)


@dataclass(frozen=True)
class DomainScore:
    name: str
    questions: int
    right: int

    @property
    def share(self) -> float:
        return self.right / self.questions if self.questions else 0.0


@dataclass(frozen=True)
class ExamScore:
    """The result of a sitting."""

    questions: int
    right: int
    answered: int
    scaled: int  # on the exam's scale, a whole number as exams report it
    pass_mark: int
    passed: bool
    domains: tuple[DomainScore, ...]

    @property
    def share(self) -> float:
        return self.right / self.questions if self.questions else 0.0


def scaled_result(right: int, questions: int, profile: ExamProfile) -> tuple[int, bool]:
    """The scaled score (a whole number) and whether it passes, for `right` of
    `questions`: a pass needs the pass share of right answers, and a score shown
    below the pass mark never passes (nor one at it fails)."""
    share = right / questions if questions else 0.0
    passed = questions > 0 and share >= profile.raw_pass_share - 1e-9
    scaled = round(scaled_score(share, profile))
    scaled = max(scaled, profile.score_pass) if passed else min(scaled, profile.score_pass - 1)
    return max(profile.score_min, min(profile.score_max, scaled)), passed


def score_exam(marks: Sequence[Marked], profile: ExamProfile) -> ExamScore:
    """Score a sitting: right answers overall and per domain (the profile's domains in
    its order, then any other domain a question was asked for)."""
    right = sum(m.right for m in marks)
    names = [d.name for d in profile.domains]
    names += [n for n in dict.fromkeys(m.domain for m in marks) if n not in names]
    domains = tuple(
        DomainScore(
            name,
            sum(1 for m in marks if m.domain == name),
            sum(1 for m in marks if m.domain == name and m.right),
        )
        for name in names
    )
    scaled, passed = scaled_result(right, len(marks), profile)
    return ExamScore(
        questions=len(marks),
        right=right,
        answered=sum(m.picked is not None for m in marks),
        scaled=scaled,
        pass_mark=profile.score_pass,
        passed=passed,
        domains=domains,
    )


# -- the clock ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExamClock:
    """Time used by a sitting. `limit` is None for an untimed exam; `running_since`
    is when the exam was last put on screen (None while it is paused)."""

    limit: float | None  # seconds
    used: float = 0.0  # seconds used before `running_since`
    running_since: datetime | None = None

    def used_at(self, now: datetime) -> float:
        """Seconds used by `now` (never more than the limit)."""
        used = self.used
        if self.running_since is not None:
            used += max((now - self.running_since).total_seconds(), 0.0)
        return min(used, self.limit) if self.limit is not None else used

    def left_at(self, now: datetime) -> float | None:
        """Seconds left at `now` (None when untimed)."""
        if self.limit is None:
            return None
        return max(self.limit - self.used_at(now), 0.0)

    def is_up(self, now: datetime) -> bool:
        left = self.left_at(now)
        return left is not None and left <= 0

    def started(self, now: datetime) -> ExamClock:
        """Running from `now` on (the exam is on screen)."""
        if self.running_since is not None:
            return self
        return replace(self, running_since=now)

    def paused(self, now: datetime) -> ExamClock:
        """Stopped at `now`, the time used kept."""
        return ExamClock(self.limit, self.used_at(now), None)


def warnings_crossed(
    left_before: float | None, left_now: float | None, marks: Sequence[int] = WARN_AT_SECONDS
) -> tuple[int, ...]:
    """The warning marks (seconds left) passed between two readings of the clock,
    largest first: (600,) when 10 minutes left was crossed."""
    if left_before is None or left_now is None:
        return ()
    return tuple(m for m in sorted(marks, reverse=True) if left_now <= m < left_before)


def format_clock(seconds: float) -> str:
    """A countdown's face: "2:59:59", "9:05", "0:42" (whole seconds, rounded up so it
    reads 0:00 only when time is up)."""
    whole = max(math.ceil(seconds - 1e-9), 0)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_used(seconds: float) -> str:
    """Time used in words: "2 h 14 min", "3 h", "38 min", "45 s"."""
    whole = max(round(seconds), 0)
    if whole < 60:
        return f"{whole} s"
    hours, rest = divmod(whole // 60, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"
