"""What the optimiser panel reads and says: FSRS parameters typed or pasted, a fit's
figures and a simulated year's workload in a sentence."""

from __future__ import annotations

from typing import Any

from flashcards.core.optimize import Fit, ParametersError, check_parameters


def format_parameters(values: tuple[float, ...]) -> str:
    """FSRS parameters as the box shows them (Anki's comma-separated list)."""
    return ", ".join(f"{v:g}" for v in values)


def parse_parameters(text: str) -> tuple[float, ...]:
    """Parameters typed or pasted: numbers separated by commas or spaces (Anki's list)."""
    words = text.replace("[", " ").replace("]", " ").replace(",", " ").split()
    try:
        values = [float(w) for w in words]
    except ValueError as error:
        raise ParametersError(f"{error.args[0].split(': ')[-1]} is not a number") from None
    return check_parameters(values)


def fit_summary(fit: Fit) -> str:
    """The fit's figures in a sentence or two (rich text)."""
    current, fitted = fit.current_eval, fit.fitted_eval
    figures = (
        f"Log loss {current.log_loss:.4f} → <b>{fitted.log_loss:.4f}</b>, "
        f"RMSE (bins) {current.rmse_bins:.2%} → <b>{fitted.rmse_bins:.2%}</b> "
        "(lower is better)."
    )
    head = (
        f"Fitted to {fit.reviews:,} reviews of {fit.cards:,} cards "
        f"({fit.items:,} a day or more after the one before). "
    )
    if fit.kept:
        verdict = "Better on both: the fitted parameters are in the box above, saved with Save."
    else:
        verdict = "Not better on both: the current parameters stay."
    return head + figures + "<br>" + verdict


def workload_summary(report: Any) -> str:
    """A simulated year (`collection.optimize.SimulationReport`) in a sentence (rich text)."""
    w = report.workload
    yours, best = w.at(report.desired_retention), w.at(w.best)
    habits = "your answer habits" if w.habits.measured else "typical answer habits"
    return (
        f"{w.deck_size:,} cards learned at {w.new_per_day} new a day for a year, with "
        f"{habits}. Least time per card remembered at <b>{w.best:.2f}</b> "
        f"({best.reviews_per_day:.0f} reviews, {best.minutes_per_day:.0f} min a day, "
        f"{best.remembered:,.0f} cards remembered); "
        f"yours, <b>{report.desired_retention:.2f}</b>: "
        f"{yours.reviews_per_day:.0f} reviews, {yours.minutes_per_day:.0f} min a day, "
        f"{yours.remembered:,.0f} remembered."
    )
