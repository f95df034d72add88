"""The optimiser: fsrs-rs's items and metrics, a fit to a history drawn from known
parameters, the refusal of a tiny history, and when a fit is kept."""

from __future__ import annotations

import math
import time

import fsrs_rs_python as rs
import pytest

from flashcards.core.errors import CancelledError
from flashcards.core.optimize import (
    MIN_ITEMS,
    Answer,
    Evaluation,
    Fit,
    NotEnoughHistory,
    ParametersError,
    check_parameters,
    clean_parameters,
    count_items,
    evaluate,
    fit,
)
from flashcards.core.scheduling import Preset
from flashcards.core.synthetic_history import synthetic_history

DEFAULTS = tuple(Preset().parameters)
# A learner unlike the defaults: weaker first answers but stronger Easy, faster growth,
# a flatter forgetting curve.
TRUE = (0.6, 1.8, 6.0, 18.0, *DEFAULTS[4:8], 1.3, *DEFAULTS[9:11], 1.2, *DEFAULTS[12:20], 0.3)


def recall(days: float, stability: float, w: tuple[float, ...]) -> float:
    """FSRS-6's forgetting curve, written out."""
    decay = w[20]
    factor = 0.9 ** (-1 / decay) - 1
    return float((1 + factor * days / stability) ** -decay)


def test_metrics_equal_hand_computed_values() -> None:
    # Three cards, each answered once and reviewed a few days later. After one answer
    # the stability is w[rating - 1]; items are ordered by the day of their review.
    histories = {
        "a": [Answer(0, 3), Answer(5, 3)],  # Good, then recalled after 5 days
        "b": [Answer(1, 1), Answer(3, 1)],  # Again, then forgotten after 2 days
        "c": [Answer(2, 4), Answer(12, 2)],  # Easy, then recalled (Hard) after 10 days
    }
    w = DEFAULTS
    # (days, stability, recalled), in review-day order: b (day 3), a (day 5), c (day 12)
    items = [(2, w[0], 0), (5, w[2], 1), (10, w[3], 1)]
    weights = [0.25 + 0.75 * (i / 2) ** 3 for i in range(3)]  # 0.25, 0.34375, 1.0
    predicted = [recall(t, s, w) for t, s, _y in items]
    losses = [
        -math.log(p) if y else -math.log(1 - p)
        for p, (_t, _s, y) in zip(predicted, items, strict=True)
    ]
    log_loss = sum(wt * loss for wt, loss in zip(weights, losses, strict=True)) / sum(weights)
    # Bins by interval: 2 days alone; 5 and 10 days share one (fsrs-rs's 3.62-fold bins).
    alone = (predicted[0] - 0) ** 2 * weights[0]
    shared = ((predicted[1] + predicted[2]) / 2 - 1) ** 2 * (weights[1] + weights[2])
    rmse = math.sqrt((alone + shared) / sum(weights))

    got = evaluate(w, histories)

    assert got.log_loss == pytest.approx(log_loss, abs=1e-6)
    assert got.rmse_bins == pytest.approx(rmse, abs=1e-6)
    assert round(log_loss, 4) == 0.3014 and round(rmse, 4) == 0.3040


def test_same_day_answers_are_history_not_items() -> None:
    histories = {
        "a": [Answer(0, 1), Answer(0, 3), Answer(2, 3), Answer(2, 3), Answer(9, 4)],
        "b": [Answer(4, 3)],
    }
    assert count_items(histories) == 2  # day 2 and day 9 of card a
    # The learning step on day 0 moves the memory the day-2 review is predicted from.
    without_step = {"a": [Answer(0, 1), Answer(2, 3)]}
    with_step = {"a": [Answer(0, 1), Answer(0, 3), Answer(2, 3)]}
    assert evaluate(DEFAULTS, with_step) != evaluate(DEFAULTS, without_step)


def test_fit_recovers_known_parameters_better_than_the_defaults() -> None:
    history = synthetic_history(TRUE, cards=900, reviews_per_card=6, seed=11)
    reviews = sum(len(h) for h in history.values())
    assert 5000 < reviews < 7000

    result = fit(history, current=DEFAULTS)

    assert result.reviews == reviews and result.cards == 900
    assert result.items == count_items(history) >= MIN_ITEMS
    assert result.fitted_eval.log_loss < result.current_eval.log_loss
    assert result.fitted_eval.rmse_bins < result.current_eval.rmse_bins
    assert result.kept and result.parameters == result.fitted
    # Close to what the true parameters score on the same history...
    truth = evaluate(TRUE, history)
    assert result.fitted_eval.log_loss < truth.log_loss + 0.005
    # ...and nearer the truth than the defaults where the two differ most.
    for i in (0, 3, 20):
        assert abs(result.fitted[i] - TRUE[i]) < abs(DEFAULTS[i] - TRUE[i]), i
    assert check_parameters(result.fitted) == result.fitted


def test_a_tiny_history_is_refused_with_what_is_needed() -> None:
    history = synthetic_history(TRUE, cards=12, reviews_per_card=4, seed=2)
    with pytest.raises(NotEnoughHistory) as caught:
        fit(history, current=DEFAULTS)
    message = str(caught.value)
    assert f"only {count_items(history)} reviews" in message
    assert "12 cards" in message and f"at least {MIN_ITEMS}" in message
    assert caught.value.items == count_items(history) < MIN_ITEMS


def test_a_fit_that_is_not_better_is_not_kept() -> None:
    history = synthetic_history(TRUE, cards=400, reviews_per_card=5, seed=5)
    first = fit(history, current=DEFAULTS)
    assert first.kept
    # Fitting again from the fitted parameters finds the same ones (fsrs-rs is seeded):
    # nothing better, so the current parameters stay.
    again = fit(history, current=first.fitted)
    assert again.fitted == first.fitted
    assert not again.kept and again.parameters == first.fitted
    # Better on one figure only is not better.
    mixed = Fit(
        reviews=10,
        cards=2,
        items=8,
        current=DEFAULTS,
        fitted=TRUE,
        current_eval=Evaluation(log_loss=0.40, rmse_bins=0.03),
        fitted_eval=Evaluation(log_loss=0.39, rmse_bins=0.04),
    )
    assert not mixed.kept and mixed.parameters == DEFAULTS


def test_cancel_returns_at_once() -> None:
    history = synthetic_history(TRUE, cards=3000, reviews_per_card=8, seed=3)
    started = time.perf_counter()
    with pytest.raises(CancelledError):
        fit(history, current=DEFAULTS, progress=lambda done, total, text: False)
    assert time.perf_counter() - started < 5


def test_parameters_are_checked_and_cleaned() -> None:
    with pytest.raises(ParametersError, match="needs 21 parameters, not 19"):
        check_parameters(DEFAULTS[:19])
    bad = list(DEFAULTS)
    bad[4], bad[20] = 11.0, float("nan")
    with pytest.raises(ParametersError) as caught:
        check_parameters(bad)
    assert "w[4] = 11.0 is not in 1.0–10.0" in str(caught.value)
    assert "w[20] = nan" in str(caught.value)
    raw = list(rs.DEFAULT_PARAMETERS)  # float32 values: 0.21199999749660492, …
    assert clean_parameters(raw)[:2] == (0.212, 1.2931)
    assert clean_parameters([0.0, *raw[1:]])[0] == 0.001  # the scheduler's lower bound
