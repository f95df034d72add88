"""Load balancing and easy days (Anki 24.11): which day, of those the fuzz allows, a
review card falls due on.

Fuzz spreads a card's due date over a few days around its interval so cards learnt
together drift apart. The load balancer picks among those days by weight instead of at
random: a day with fewer reviews already due weighs more, as does a nearer day, a day
next to a sibling's review weighs less, and easy days (weekdays set to *reduced* or
*minimum*) weigh less still. The pick is a weighted draw seeded by the card, so it is
the same every time for the same card and state (tests need no luck).

Pure: the caller counts the reviews due per coming day (`DayLoad`).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

MAX_BALANCED_INTERVAL = 90
"""Days: a card sent further out is fuzzed as usual (balancing it gains little)."""

HORIZON_DAYS = 99
"""Days from today whose due counts the balancer reads (the fuzz range of 90 days ends
at 96)."""

# Anki's weights: (1 / reviews due) ** 2.15 and (1 / days) ** 3; a sibling's day and its
# neighbours are nearly ruled out, a minimum easy day too (not quite 0: a range of only
# such days still has a pick). One change: Anki gives a day with no review at all the
# full weight 1, skipping the other factors, so an empty minimum easy day or a sibling's
# day would win over every busy one; here an empty day counts as half a review (4.4 times
# a day with one) and every factor applies to every day.
_COUNT_POWER = 2.15
_INTERVAL_POWER = 3
_SIBLING_STEPS = {0: 0.000001, 1: 0.2, 2: 0.4, 3: 0.6, 4: 0.8}
_MINIMUM_LOAD = 0.0001


class EasyDay(enum.Enum):
    """How much review a weekday should get (Anki's easy days)."""

    NORMAL = 1.0
    REDUCED = 0.5
    MINIMUM = 0.0

    @property
    def load(self) -> float:
        return _MINIMUM_LOAD if self is EasyDay.MINIMUM else float(self.value)


EASY_DAY_LABELS: dict[EasyDay, str] = {
    EasyDay.NORMAL: "Normal",
    EasyDay.REDUCED: "Reduced",
    EasyDay.MINIMUM: "Minimum",
}

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

NORMAL_WEEK: tuple[EasyDay, ...] = (EasyDay.NORMAL,) * 7


@dataclass(frozen=True)
class DayLoad:
    """Reviews already due on each coming study day of a preset's decks."""

    counts: Sequence[int]  # counts[i]: reviews due i study days after today
    first_weekday: int  # today's weekday, Monday = 0
    sibling_days: frozenset[int] = frozenset()  # days (after today) a sibling is due

    def count(self, days: int) -> int:
        return self.counts[days] if 0 <= days < len(self.counts) else 0

    def weekday(self, days: int) -> int:
        return (self.first_weekday + days) % 7


def fuzz_range(interval_days: int, maximum_interval: int) -> tuple[int, int] | None:
    """The days fuzz may move an interval to, as fsrs computes them (None below 3 days:
    such intervals are not fuzzed)."""
    if interval_days < 3:
        return None
    delta = 1.0
    for start, end, factor in ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, float("inf"), 0.05)):
        delta += factor * max(min(float(interval_days), end) - start, 0.0)
    high = min(round(interval_days + delta), maximum_interval)
    low = min(max(2, round(interval_days - delta)), high)
    return low, high


def easy_day_modifiers(
    easy_days: Sequence[EasyDay], weekdays: Sequence[int], counts: Sequence[int]
) -> list[float]:
    """Each day's weight factor from its weekday's setting.

    A reduced day counts as normal while its reviews stay at half what the other days of
    the range average, and as minimum once it has more (Anki's rule).
    """
    total_reviews = sum(counts)
    total_load = sum(easy_days[w].load for w in weekdays)
    out = []
    for weekday, count in zip(weekdays, counts, strict=True):
        day = easy_days[weekday]
        if day is EasyDay.REDUCED:
            others = total_load - 0.5
            threshold = (total_reviews - count) / others if others > 0 else float("inf")
            day = EasyDay.MINIMUM if count / 0.5 > threshold else EasyDay.NORMAL
        out.append(day.load)
    return out


def sibling_modifiers(low: int, high: int, sibling_days: frozenset[int]) -> list[float]:
    """Weight factors keeping a card off its siblings' days and, less so, their neighbours."""
    out = [1.0] * (high - low + 1)
    for sibling in sibling_days:
        for i in range(len(out)):
            distance = abs(low + i - sibling)
            out[i] *= _SIBLING_STEPS.get(distance, 1.0)
    return out


def day_weights(
    low: int,
    high: int,
    load: DayLoad,
    easy_days: Sequence[EasyDay],
    *,
    balance: bool,
) -> list[float]:
    """The weight of each day from `low` to `high` (days after today)."""
    days = range(low, high + 1)
    counts = [load.count(d) for d in days]
    if balance:
        weights = [
            (1 / max(count, 0.5)) ** _COUNT_POWER * (1 / max(day, 1)) ** _INTERVAL_POWER
            for day, count in zip(days, counts, strict=True)
        ]
    else:
        weights = [1.0] * len(counts)
    # The review loop's common case (a normal week, no sibling due soon) skips these.
    if tuple(easy_days) != NORMAL_WEEK:
        easy = easy_day_modifiers(easy_days, [load.weekday(d) for d in days], counts)
        weights = [w * e for w, e in zip(weights, easy, strict=True)]
    if load.sibling_days:
        siblings = sibling_modifiers(low, high, load.sibling_days)
        weights = [w * s for w, s in zip(weights, siblings, strict=True)]
    return weights


def choose_interval(
    interval_days: int,
    *,
    maximum_interval: int,
    load: DayLoad,
    easy_days: Sequence[EasyDay] = NORMAL_WEEK,
    balance: bool = True,
    seed: int,
) -> int:
    """The interval (days) a review card gets: one of the fuzz range's days, drawn by
    the weights of `day_weights` (plain fuzz, still seeded, past 90 days)."""
    bounds = fuzz_range(interval_days, maximum_interval)
    if bounds is None:
        return interval_days
    low, high = bounds
    draw = _uniform(seed)
    easy = tuple(easy_days) if len(easy_days) == 7 else NORMAL_WEEK
    if (
        interval_days > MAX_BALANCED_INTERVAL
        or low > MAX_BALANCED_INTERVAL
        or (not balance and easy == NORMAL_WEEK)
    ):
        return low + min(int(draw * (high - low + 1)), high - low)
    weights = day_weights(low, high, load, easy, balance=balance)
    point = draw * sum(weights)
    for day, weight in enumerate(weights, start=low):
        point -= weight
        if point < 0:
            return day
    return high


def _uniform(seed: int) -> float:
    """A number in [0, 1) that only `seed` decides (splitmix64: cheaper than seeding a
    `random.Random` on every answer, and as evenly spread)."""
    z = (seed + 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return ((z ^ (z >> 31)) >> 11) / (1 << 53)


_MASK = (1 << 64) - 1
