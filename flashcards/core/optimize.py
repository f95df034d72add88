"""FSRS parameters fitted to a review history and judged on it (fsrs-rs, Anki's own FSRS).

fsrs-rs-python does the fitting and the evaluation; this module turns plain answer
histories into its training items the way Anki does (`fsrs_items_for_training` in
Anki's rslib) and its results back into plain values. Pure: no clock, no database.

**Items.** A card's answers in time order, each with the study days since the one
before (0 for the first). Every answer after the first that comes a day or more after
the previous one is an *item*: the history up to it, and whether it was recalled (any
rating but Again) is what the model predicts. Answers on the same day stay in the
history (they move the short-term memory) but are not predicted. Items are ordered by
the day of their last answer: fsrs-rs weighs later items more (0.25 → 1.0).

**Metrics** (fsrs-rs's `evaluate`, the figures Anki shows): *log loss* is the
recency-weighted mean of −[y·ln R + (1−y)·ln(1−R)] over the items, R the predicted
recall and y = 1 when recalled; *RMSE (bins)* puts the items into bins by interval,
number of earlier day-apart reviews and lapses, and is the square root of the mean of
(mean predicted R − share recalled)² over the bins, each bin weighted by its items'
weights. Both are computed for the current and the fitted parameters on the same items;
the fitted ones are kept only when both figures are lower.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple, TypeVar

import fsrs_rs_python as rs
from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

from flashcards.core.errors import CancelledError, FlashcardsError
from flashcards.core.gc_pause import gc_paused

Progress = Callable[[int, int, str], bool]
"""(done, total, message) -> False to cancel."""

MIN_ITEMS = 400
"""Reviews to learn from before fitting: Anki's rule of thumb (fewer items fit noise)."""
FSRS_RS_MIN_ITEMS = 8
"""fsrs-rs's own floor: with fewer items it returns the default parameters; below 64 it
fits only the first answers' stabilities."""
PARAMETER_COUNT = 21  # FSRS-6
DECIMALS = 4  # as Anki shows and stores them

_POLL_SECONDS = 0.05  # how often a cancel is looked for while fsrs-rs works


class NotEnoughHistory(FlashcardsError):
    """Too few reviews to fit parameters to; says how many there are and are needed."""

    def __init__(self, items: int, *, cards: int, needed: int = MIN_ITEMS) -> None:
        self.items = items
        self.needed = needed
        super().__init__(
            f"only {items} review{'' if items == 1 else 's'} to learn from ({cards} "
            f"card{'' if cards == 1 else 's'}); fitting needs at least {needed}: reviews "
            "of a card a day or more after its previous answer, as Anki counts them. "
            "Keep reviewing for a few weeks (or import your Anki history) and try again; "
            "until then the default parameters are the better guess"
        )


class ParametersError(FlashcardsError):
    """A list of FSRS parameters that the scheduler cannot use; says which and why."""


class Answer(NamedTuple):
    """One answer in a card's history: its study day, rating 1–4 and seconds taken.

    A named tuple rather than a dataclass: a history of a million answers is built in
    a second."""

    day: int
    rating: int
    seconds: float = 0.0


Histories = Mapping[str, Sequence[Answer]]
"""Card id -> its answers in time order (since its last reset)."""


@dataclass(frozen=True)
class Evaluation:
    """How well parameters predict a history: lower is better for both."""

    log_loss: float
    rmse_bins: float

    def better_than(self, other: Evaluation) -> bool:
        return self.log_loss < other.log_loss and self.rmse_bins < other.rmse_bins


@dataclass(frozen=True)
class Fit:
    """Fitted parameters beside the current ones, each judged on the same items."""

    reviews: int  # answers in the history
    cards: int
    items: int  # answers predicted (a day or more after the previous one)
    current: tuple[float, ...]
    fitted: tuple[float, ...]
    current_eval: Evaluation
    fitted_eval: Evaluation

    @property
    def kept(self) -> bool:
        """True when the fitted parameters predict the history better on both figures."""
        return self.fitted != self.current and self.fitted_eval.better_than(self.current_eval)

    @property
    def parameters(self) -> tuple[float, ...]:
        """The parameters to use: the fitted ones if kept, else the current ones."""
        return self.fitted if self.kept else self.current


def check_parameters(values: Sequence[float]) -> tuple[float, ...]:
    """`values` as FSRS-6 parameters, or `ParametersError` naming every bad one."""
    if len(values) != PARAMETER_COUNT:
        raise ParametersError(
            f"FSRS needs {PARAMETER_COUNT} parameters, not {len(values)} "
            "(FSRS-6, as in Anki 25.07 and later)"
        )
    problems = []
    for index, (value, low, high) in enumerate(
        zip(values, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
    ):
        if not math.isfinite(value) or not low <= value <= high:
            problems.append(f"w[{index}] = {value} is not in {low}–{high}")
    if problems:
        raise ParametersError("; ".join(problems))
    return tuple(float(v) for v in values)


def clean_parameters(values: Sequence[float]) -> tuple[float, ...]:
    """fsrs-rs's float32 output rounded to 4 places and kept inside the scheduler's bounds."""
    return tuple(
        min(max(round(float(v), DECIMALS), low), high)
        for v, low, high in zip(
            values, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True
        )
    )


def _items(histories: Histories) -> tuple[list[rs.FSRSItem], int]:
    """fsrs-rs training items in the order of their last answer's day; and the answers."""
    dated: list[tuple[int, rs.FSRSItem]] = []
    answers = 0
    with gc_paused():  # hundreds of thousands of small objects, none in a cycle
        for history in histories.values():
            answers += len(history)
            reviews: list[rs.FSRSReview] = []
            previous: int | None = None
            for answer in history:
                delta = 0 if previous is None else max(0, answer.day - previous)
                reviews.append(rs.FSRSReview(int(answer.rating), delta))
                if previous is not None and delta > 0:
                    dated.append((answer.day, rs.FSRSItem(reviews)))
                previous = answer.day
        dated.sort(key=itemgetter(0))  # stable: a day's items keep their order
    return [item for _day, item in dated], answers


def count_items(histories: Histories) -> int:
    """Answers that would be predicted: those a day or more after the card's previous one."""
    count = 0
    for history in histories.values():
        for before, after in zip(history, history[1:], strict=False):
            if after.day > before.day:
                count += 1
    return count


def evaluate(parameters: Sequence[float], histories: Histories) -> Evaluation:
    """Log loss and RMSE (bins) of `parameters` on `histories` (see the module's doc)."""
    items, _answers = _items(histories)
    if not items:
        raise NotEnoughHistory(0, cards=len(histories), needed=1)
    return _evaluate(tuple(parameters), items)


def _evaluate(parameters: tuple[float, ...], items: list[rs.FSRSItem]) -> Evaluation:
    result = rs.FSRS(list(parameters)).evaluate(items)
    return Evaluation(float(result.log_loss), float(result.rmse_bins))


T = TypeVar("T")


def _wait(future: Future[T], progress: Progress | None, done: int, total: int, text: str) -> T:
    """The future's result, asking `progress` meanwhile; `CancelledError` if it says stop."""
    while True:
        if progress is not None and not progress(done, total, text):
            future.cancel()
            raise CancelledError("optimising cancelled; the parameters are unchanged")
        try:
            return future.result(timeout=_POLL_SECONDS)
        except TimeoutError:
            continue


def fit(
    histories: Histories,
    *,
    current: Sequence[float],
    relearning_steps: int = 1,
    progress: Progress | None = None,
    minimum: int = MIN_ITEMS,
) -> Fit:
    """Fit FSRS parameters to `histories` and judge them and `current` on the same items.

    Raises `NotEnoughHistory` below `minimum` items and `CancelledError` when `progress`
    returns False. fsrs-rs runs on worker threads (it releases the interpreter), the
    fitting beside the evaluation of the current parameters.
    """
    current = tuple(current)
    items, answers = _items(histories)
    if len(items) < max(minimum, FSRS_RS_MIN_ITEMS):
        raise NotEnoughHistory(len(items), cards=len(histories), needed=max(minimum, 1))
    started = time.perf_counter()
    total = 3
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="fsrs")
    try:
        fitting = pool.submit(
            rs.FSRS([]).compute_parameters,  # fsrs-rs starts from its own defaults
            items,
            enable_short_term=True,
            num_relearning_steps=max(0, relearning_steps),
        )
        judging = pool.submit(_evaluate, current, items)
        text = f"Fitting FSRS to {len(items):,} reviews…"
        current_eval = _wait(judging, progress, 0, total, text)
        raw: list[float] = _wait(fitting, progress, 1, total, text)
        fitted = clean_parameters(raw)
        checking = pool.submit(_evaluate, fitted, items)
        fitted_eval = _wait(checking, progress, 2, total, "Checking the fitted parameters…")
    finally:
        # On a cancel, return at once: fsrs-rs cannot be interrupted, its thread finishes
        # on its own and the result is dropped.
        pool.shutdown(wait=False, cancel_futures=True)
    if progress is not None:
        progress(total, total, f"Fitted in {time.perf_counter() - started:.1f} s")
    return Fit(
        reviews=answers,
        cards=len(histories),
        items=len(items),
        current=current,
        fitted=fitted,
        current_eval=current_eval,
        fitted_eval=fitted_eval,
    )
