"""Readiness for an exam: each card's expected recall on the exam day, and from the
domains' recall a predicted scaled score, its band and the chance to pass. Pure: plain
numbers and numpy arrays in, values out; the caller passes every moment.

The model (README "Exam"):

- A card already studied recalls on the day as FSRS's forgetting curve says, `R = (1 +
  factor · days / stability) ^ decay`, from its memory state now (its stability and
  difficulty already carry every lapse so far), counting the reviews still to come
  before the exam. Those are played out day by day from `now`: a card is reviewed on its
  due date (today if overdue), at most the day's review cap a day (what is left of it
  today), the longest due first; the rest wait for the next day, decaying meanwhile. No
  review's outcome is taken as known: it is right (Good) with the card's recall at that
  moment, else a lapse relearnt the same day (Again, then Good), and the card goes on
  with the two outcomes' stability and difficulty (fsrs's formulas) weighted by their
  chance, due after fsrs's interval for that stability. Suspended cards get no more
  reviews.
  Known bias: it leans optimistic. Each review is right as often as the preset's FSRS
  parameters predict: a learner who fails more often than that is seen only through the
  lapses already made, until the parameters are optimised on their history (Preferences
  ▸ Scheduling ▸ Optimise); learning steps and the cards outside the exam do not take
  from the cap. Leaning the other way, the final pass and the deadline's shortened
  intervals are not played out. Carrying the weighted stability instead of following
  each outcome's own schedule is an approximation: against a simulation of every outcome
  (fsrs, thousands of runs) it was within 0.04 of a card's recall either way.
- A card never studied counts at a prior: the share of right answers on first looks,
  shrunk toward 0.3 as if ten looks at 0.3 were added (0.3 with no history), and never
  above 0.5 (a first look answered right is often a card just read, not one known).
- A domain's recall is the mean over its cards; the exam's expected share of right
  answers is the weight-averaged domain recall. The share maps to the scale piecewise
  linearly: 0 → min, the pass share → the pass mark, 1 → max (`scaled_score`).
- Each question is taken as answered right with its domain's recall, the questions split
  by weight (`allocate_questions`). The band is one standard deviation of that binomial
  draw either side of the expected share, mapped to the scale; the pass chance is the
  exact probability of at least the passing number of right answers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from flashcards.core.exam import ExamProfile, allocate_questions
from flashcards.core.scheduling import Preset

DAY = 86400.0
NEW_CARD_PRIOR = 0.3
PRIOR_LOOKS = 10  # the prior counts as this many first looks
# A first look answered right often means a card easy to learn, not one already known
# (many press Good having just read the answer): the prior never goes above this.
NEW_CARD_PRIOR_CAP = 0.5
STABILITY_MIN = 0.001  # fsrs's floor
_D_MIN, _D_MAX = 1.0, 10.0

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


def new_card_prior(right: int, looks: int) -> float:
    """Expected recall of a card never studied: right answers on first looks, shrunk
    toward `NEW_CARD_PRIOR` by `PRIOR_LOOKS` imaginary looks, at most
    `NEW_CARD_PRIOR_CAP`."""
    share = (right + NEW_CARD_PRIOR * PRIOR_LOOKS) / (looks + PRIOR_LOOKS)
    return min(share, NEW_CARD_PRIOR_CAP)


@dataclass(frozen=True)
class CardTable:
    """The memory of many cards as columns (one row a card). Times are epoch seconds;
    `stability` is NaN for a card never studied; `preset` indexes the presets list."""

    studied: Bools  # has a memory state (not new)
    stability: Floats
    difficulty: Floats
    due: Floats
    last_review: Floats
    suspended: Bools
    preset: Ints

    def __len__(self) -> int:
        return len(self.studied)


def _weights(preset: Preset) -> tuple[float, ...]:
    """FSRS-6's 21 parameters (an FSRS-5 list of 19 gets its fixed short-term power 0
    and decay 0.5)."""
    w = tuple(float(x) for x in preset.parameters)
    return w if len(w) >= 21 else (*w[:19], *(0.0, 0.5)[len(w) - 19 :])


def curve_constants(preset: Preset) -> tuple[float, float]:
    """(decay, factor) of the preset's forgetting curve: R = (1 + factor·t/S) ^ decay."""
    decay = -_weights(preset)[20]
    return decay, 0.9 ** (1 / decay) - 1


def forgetting_curve(days: Floats | float, stability: Floats | float, preset: Preset) -> Floats:
    """FSRS retrievability after `days` since the last review."""
    decay, factor = curve_constants(preset)
    ratio = np.maximum(np.asarray(days, dtype=np.float64), 0.0) / stability
    return np.asarray((1 + factor * ratio) ** decay, dtype=np.float64)


def _interval_days(stability: Floats, preset: Preset) -> Floats:
    """fsrs's next interval at the desired retention: whole days, 1..maximum (no fuzz)."""
    decay, factor = curve_constants(preset)
    raw = stability / factor * (preset.desired_retention ** (1 / decay) - 1)
    days: Floats = np.clip(np.round(raw), 1, preset.maximum_interval)
    return days


def _next_difficulty(difficulty: Floats, rating: int, w: tuple[float, ...]) -> Floats:
    """fsrs-6: the rating's step, damped toward 10, then mean reversion to Easy's start."""
    step = -w[6] * (rating - 3)
    moved = difficulty + (10 - difficulty) * step / 9
    easy_start = w[4] - math.exp(w[5] * 3) + 1
    out: Floats = np.clip(w[7] * easy_start + (1 - w[7]) * moved, _D_MIN, _D_MAX)
    return out


def _short_term(stability: Floats, rating: int, w: tuple[float, ...]) -> Floats:
    """fsrs-6's same-day stability (learning steps); Good or better never lowers it."""
    grow = math.exp(w[17] * (rating - 3 + w[18])) * stability ** -w[19]
    if rating >= 3:
        grow = np.maximum(grow, 1.0)
    out: Floats = np.maximum(stability * grow, STABILITY_MIN)
    return out


def _after_good(
    stability: Floats, difficulty: Floats, elapsed_days: Floats, preset: Preset
) -> tuple[Floats, Floats]:
    """Stability and difficulty after a Good answer (fsrs-6's formulas)."""
    w = _weights(preset)
    recall = forgetting_curve(elapsed_days, stability, preset)
    long_term = stability * (
        1
        + math.exp(w[8])
        * (11 - difficulty)
        * stability ** -w[9]
        * (np.exp((1 - recall) * w[10]) - 1)
    )
    short_term = _short_term(stability, 3, w)
    new_stability = np.maximum(np.where(elapsed_days < 1, short_term, long_term), STABILITY_MIN)
    return new_stability, _next_difficulty(difficulty, 3, w)


def _after_lapse(
    stability: Floats, difficulty: Floats, elapsed_days: Floats, preset: Preset
) -> tuple[Floats, Floats]:
    """Stability and difficulty after Again and then Good on relearning (same day)."""
    w = _weights(preset)
    recall = forgetting_curve(elapsed_days, stability, preset)
    long_term = np.minimum(
        w[11]
        * difficulty ** -w[12]
        * ((stability + 1) ** w[13] - 1)
        * np.exp((1 - recall) * w[14]),
        stability / math.exp(w[17] * w[18]),
    )
    forgot = np.maximum(
        np.where(elapsed_days < 1, _short_term(stability, 1, w), long_term), STABILITY_MIN
    )
    harder = _next_difficulty(difficulty, 1, w)
    return _short_term(forgot, 3, w), _next_difficulty(harder, 3, w)


def _review(
    stability: Floats, difficulty: Floats, elapsed_days: Floats, preset: Preset
) -> tuple[Floats, Floats]:
    """Expected stability and difficulty after one review whose outcome is not known:
    right (Good) with the card's recall at that moment, else a lapse relearnt the same
    day, each by fsrs's formulas, the two weighted by their chance."""
    right = forgetting_curve(elapsed_days, stability, preset)
    s_good, d_good = _after_good(stability, difficulty, elapsed_days, preset)
    s_lapse, d_lapse = _after_lapse(stability, difficulty, elapsed_days, preset)
    s_mean: Floats = right * s_good + (1 - right) * s_lapse
    d_mean: Floats = right * d_good + (1 - right) * d_lapse
    return s_mean, d_mean


def _recall_at(
    at: float, stability: Floats, last: Floats, preset_of: Ints, presets: Sequence[Preset]
) -> Floats:
    out = np.empty(len(stability), dtype=np.float64)
    for index in np.unique(preset_of).tolist():
        rows = preset_of == index
        out[rows] = forgetting_curve((at - last[rows]) / DAY, stability[rows], presets[index])
    return out


def expected_recall(
    cards: CardTable,
    *,
    at: float,
    now: float,
    presets: Sequence[Preset],
    new_prior: float = NEW_CARD_PRIOR,
    day_end: float | None = None,
    reviews_per_day: int | None = None,
    reviewed_today: int = 0,
) -> Floats:
    """Each card's expected recall at moment `at` (epoch s), counting the reviews due
    before it (from `now` on; see the module for the model). `day_end` is when today's
    study day ends (a day after `now` if not given); `reviews_per_day` caps the reviews
    a day (None: no cap), `reviewed_today` of them already answered today."""
    out = np.full(len(cards), new_prior, dtype=np.float64)
    rows = np.flatnonzero(cards.studied)
    if not rows.size:
        return out
    stability = cards.stability[rows].astype(np.float64)  # copies, changed below
    difficulty = cards.difficulty[rows].astype(np.float64)
    last = cards.last_review[rows].astype(np.float64)
    preset_of = cards.preset[rows]
    due = np.where(cards.suspended[rows], np.inf, np.maximum(cards.due[rows], now))
    if reviews_per_day is not None and reviews_per_day <= 0:
        due[:] = np.inf
    start, end = now, min(day_end if day_end is not None else now + DAY, at)
    cap_today = None if reviews_per_day is None else max(reviews_per_day - reviewed_today, 0)
    while start < at:
        first = float(due.min())
        if first >= at:
            break
        if first >= end:  # nothing due until a later day (no backlog either): skip to it
            skipped = math.floor((first - end) / DAY)
            start = end + skipped * DAY
            end, cap_today = min(start + DAY, at), reviews_per_day
        todo = np.flatnonzero(due < end)
        if cap_today is not None and todo.size > cap_today:
            # Over the day's cap: the longest due first, the rest wait for a later day.
            longest = np.argpartition(due[todo], cap_today - 1) if cap_today else todo[:0]
            todo = todo[longest[:cap_today]]
        moment = np.maximum(due[todo], start)
        for index in np.unique(preset_of[todo]).tolist():
            mine = preset_of[todo] == index
            sel, when, preset = todo[mine], moment[mine], presets[index]
            s, d = _review(stability[sel], difficulty[sel], (when - last[sel]) / DAY, preset)
            stability[sel], difficulty[sel], last[sel] = s, d, when
            due[sel] = when + _interval_days(s, preset) * DAY
        start, end, cap_today = end, min(end + DAY, at), reviews_per_day
    out[rows] = _recall_at(at, stability, last, preset_of, presets)
    return out


# -- from domain recall to a score ---------------------------------------------------------


def scaled_score(share: float, profile: ExamProfile) -> float:
    """The scaled score of a share of right answers: linear from min to the pass mark
    below the pass share, and from the pass mark to max above it."""
    share = min(max(share, 0.0), 1.0)
    cut = profile.raw_pass_share
    lo, mark, hi = profile.score_min, profile.score_pass, profile.score_max
    if share <= cut:
        return lo + (mark - lo) * (share / cut if cut > 0 else 1.0)
    return mark + (hi - mark) * (share - cut) / (1 - cut)


def questions_to_pass(profile: ExamProfile) -> int:
    """Right answers needed to pass: the pass share of the questions, rounded up."""
    return math.ceil(profile.raw_pass_share * profile.questions - 1e-9)


def _binomial(n: int, p: float) -> list[float]:
    return [math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(n + 1)]


def pass_chance(recalls: Sequence[float], counts: Sequence[int], need: int) -> float:
    """P(at least `need` right) when domain i's `counts[i]` questions are each right
    with probability `recalls[i]` (a sum of binomials, convolved exactly)."""
    dist = [1.0]
    for p, n in zip(recalls, counts, strict=True):
        part = _binomial(n, min(max(p, 0.0), 1.0))
        merged = [0.0] * (len(dist) + n)
        for i, a in enumerate(dist):
            if a:
                for j, b in enumerate(part):
                    merged[i + j] += a * b
        dist = merged
    return min(1.0, max(0.0, sum(dist[max(need, 0) :])))


def share_sd(recalls: Sequence[float], counts: Sequence[int]) -> float:
    """Standard deviation of the share right over the questions (binomial per domain)."""
    total = sum(counts)
    if not total:
        return 0.0
    variance = sum(n * p * (1 - p) for p, n in zip(recalls, counts, strict=True))
    return math.sqrt(variance) / total


@dataclass(frozen=True)
class DomainForecast:
    name: str
    weight: float
    cards: int
    new: int  # of them never studied
    recall: float  # expected recall on the day (the new-card prior when `cards` is 0)


@dataclass(frozen=True)
class ScoreForecast:
    """The predicted result of one sitting of the exam."""

    share: float  # expected share of right answers
    score: float  # on the exam's scale
    low: float  # one standard deviation below and above, on the scale
    high: float
    pass_mark: int
    pass_chance: float

    @property
    def band(self) -> float:
        """Half the band's width: the "± 40" of "810 ± 40"."""
        return (self.high - self.low) / 2


def score_forecast(profile: ExamProfile, recalls: Sequence[float]) -> ScoreForecast:
    """Combine per-domain recall (in the profile's domain order) into a score forecast."""
    weights = [d.weight for d in profile.domains]
    total = sum(weights) or 1.0
    share = sum(w * p for w, p in zip(weights, recalls, strict=True)) / total
    counts = allocate_questions(weights, profile.questions)
    sd = share_sd(recalls, counts)
    return ScoreForecast(
        share=share,
        score=scaled_score(share, profile),
        low=scaled_score(share - sd, profile),
        high=scaled_score(share + sd, profile),
        pass_mark=profile.score_pass,
        pass_chance=pass_chance(recalls, counts, questions_to_pass(profile)),
    )


def weakest(domains: Sequence[DomainForecast]) -> DomainForecast | None:
    """The domain with the lowest expected recall (the heavier one on a tie)."""
    weighted = [d for d in domains if d.weight > 0]
    if not weighted:
        return None
    return min(weighted, key=lambda d: (round(d.recall, 9), -d.weight))


def percent_text(p: float) -> str:
    """A probability as a whole percent that never claims certainty it lacks: `<1%`
    above 0, `>99%` below 1."""
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 <= p < 1:
        return ">99%"
    return f"{p:.0%}"
