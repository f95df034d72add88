"""Card statistics from plain rows: the due forecast, cards by state, and histograms of
stability, difficulty and recall.

The collection counts cards in SQL, grouped by day or bin, and hands the counts here;
`today` is a study-day number (core.days). Nothing here reads the clock.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# -- the forecast ---------------------------------------------------------------------------


class DueKind(enum.IntEnum):
    """What a due card is, for stacking the forecast."""

    LEARNING = 0
    YOUNG = 1
    MATURE = 2

    @property
    def label(self) -> str:
        return self.name.capitalize()


OVERDUE = -1
"""The day the SQL gives a card due before today (shown as due today)."""


@dataclass(frozen=True)
class Forecast:
    """Cards falling due on each of the next `days` study days, today first."""

    today: int
    days: int
    due: Mapping[DueKind, tuple[int, ...]]
    overdue: int  # of those due today, already due before today

    def on(self, index: int) -> int:
        return sum(v[index] for v in self.due.values())

    @property
    def per_day(self) -> tuple[int, ...]:
        return tuple(self.on(i) for i in range(self.days))

    @property
    def total(self) -> int:
        return sum(self.per_day)

    @property
    def average(self) -> float:
        return self.total / self.days if self.days else 0.0

    @property
    def tomorrow(self) -> int:
        return self.on(1) if self.days > 1 else 0


def forecast(rows: Iterable[tuple[int, int, int]], *, today: int, days: int) -> Forecast:
    """From (due day or OVERDUE, DueKind, cards) rows: cards due today (with the overdue
    ones) and on each following day, up to `days` days."""
    due = {k: [0] * days for k in DueKind}
    overdue = 0
    for day, kind, n in rows:
        if day == OVERDUE or day < today:
            overdue += n
            index = 0
        else:
            index = day - today
        if 0 <= index < days:
            due[DueKind(kind)][index] += n
    return Forecast(today, days, {k: tuple(v) for k, v in due.items()}, overdue)


# -- card states and histograms --------------------------------------------------------------


@dataclass(frozen=True)
class CardCounts:
    """Cards by state, as Anki's Card counts: suspended and buried cards count there only."""

    new: int = 0
    learning: int = 0
    relearning: int = 0
    young: int = 0
    mature: int = 0
    suspended: int = 0
    buried: int = 0

    @property
    def total(self) -> int:
        return sum(n for _label, n in self.parts())

    def parts(self) -> tuple[tuple[str, int], ...]:
        return (
            ("New", self.new),
            ("Learning", self.learning),
            ("Relearning", self.relearning),
            ("Young", self.young),
            ("Mature", self.mature),
            ("Suspended", self.suspended),
            ("Buried", self.buried),
        )


@dataclass(frozen=True)
class Histogram:
    """Counts in bins: bin i holds values from edges[i] up to edges[i+1] (the last bin of
    an open histogram holds everything from its lower edge up)."""

    edges: tuple[float, ...]
    counts: tuple[int, ...]
    open_ended: bool = False
    mean: float | None = None

    @property
    def total(self) -> int:
        return sum(self.counts)


PERCENT_BINS = 20


def percent_histogram(per_bin: Mapping[int, int], *, mean: float | None = None) -> Histogram:
    """20 bins of 5% from bin-index counts (0 = 0–5%, 19 = 95–100%); indexes outside are
    clamped in."""
    counts = [0] * PERCENT_BINS
    for index, n in per_bin.items():
        counts[min(PERCENT_BINS - 1, max(0, index))] += n
    edges = tuple(i / PERCENT_BINS for i in range(PERCENT_BINS + 1))
    return Histogram(edges, tuple(counts), mean=mean)


_NICE_STEPS = (1, 2, 3, 5, 7, 10, 14, 15, 20, 30, 50, 60, 90, 100, 180, 365, 730)


def stability_histogram(
    per_day: Mapping[int, int], *, bins: int = 20, mean: float | None = None
) -> Histogram:
    """Bins of whole days from counts of stability rounded down to days. The bins cover
    95% of the cards; the last one is open ("and more")."""
    total = sum(per_day.values())
    if total == 0:
        return Histogram((0.0, 1.0), (0,), mean=mean)
    cutoff_rank = math.ceil(total * 0.95)
    seen, reach = 0, 0
    for day in sorted(per_day):
        seen += per_day[day]
        if seen >= cutoff_rank:
            reach = day + 1
            break
    highest = max(per_day) + 1
    step = next((s for s in _NICE_STEPS if s * bins >= reach), _NICE_STEPS[-1])
    count = max(1, min(bins, math.ceil(reach / step)))
    open_ended = highest > count * step
    counts = [0] * count
    for day, n in per_day.items():
        counts[min(count - 1, max(0, day) // step)] += n
    edges = tuple(float(i * step) for i in range(count + 1))
    return Histogram(edges, tuple(counts), open_ended=open_ended, mean=mean)


def recall_thresholds(
    *, decay: float, factor: float, bins: int = PERCENT_BINS
) -> tuple[float, ...]:
    """For the forgetting curve R = (1 + factor·t/S)^decay: the ratio t/S at which recall
    falls to k/bins, for k = 1…bins-1 (a database can bin recall by these without pow)."""
    out = []
    for k in range(1, bins):
        r = k / bins
        out.append((r ** (1 / decay) - 1) / factor)
    return tuple(out)


def recall_mean(histogram: Histogram) -> float | None:
    """The average recall estimated from bin middles (within half a bin: 2.5 points)."""
    if histogram.total == 0:
        return None
    edges = histogram.edges
    weighted = sum(n * (edges[i] + edges[i + 1]) / 2 for i, n in enumerate(histogram.counts))
    return weighted / histogram.total


def merge_bins(parts: Sequence[Mapping[int, int]]) -> dict[int, int]:
    """Bin counts added together (one mapping per preset, say)."""
    out: dict[int, int] = {}
    for part in parts:
        for k, n in part.items():
            out[k] = out.get(k, 0) + n
    return out
