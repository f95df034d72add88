"""`flashcards optimize` and `flashcards simulate` on a collection with an imported history."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flashcards.cli import main
from flashcards.collection import Collection
from flashcards.core.days import day_number
from flashcards.core.scheduling import Preset
from flashcards.core.synthetic_history import deck_text, review_log, synthetic_history
from flashcards.interop.history import replay

T0 = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
DEFAULTS = tuple(Preset().parameters)
TRUE = (0.6, 1.8, 6.0, 18.0, *DEFAULTS[4:8], 1.3, *DEFAULTS[9:11], 1.2, *DEFAULTS[12:20], 0.3)


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def make_collection(data: Path, *, cards: int) -> None:
    with Collection.open(data, now=T0) as col:
        history = synthetic_history(
            TRUE,
            cards=cards,
            reviews_per_card=6,
            seed=1,
            first_day=day_number(T0, UTC, 4) - 500,
            spread_days=100,
            until=day_number(T0, UTC, 4) - 1,
        )
        log = review_log(history)
        col.apply_import(
            {"synthetic.md": deck_text(list(history)).encode()},
            reviews=log,
            states=replay(log),
            now=T0,
        )


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_optimize_json_reports_both_fits_and_keeps_the_better(data: Path) -> None:
    make_collection(data, cards=600)

    code, text = run("--data-dir", str(data), "optimize", "--json")

    assert code == 0
    report = json.loads(text)
    assert {"reviews", "parameters", "log_loss", "rmse_bins", "kept"} <= set(report)
    assert set(report["log_loss"]) == {"current", "optimized"}
    assert set(report["rmse_bins"]) == {"current", "optimized"}
    assert report["kept"] is True and report["reviews"] > 3000
    assert report["log_loss"]["optimized"] < report["log_loss"]["current"]
    assert len(report["parameters"]) == 21 and report["parameters"] != list(DEFAULTS)
    with Collection.open(data, sync=False) as col:
        assert list(col.presets()[1].parameters) == report["parameters"]

    # Again: the fit finds nothing better, so nothing changes.
    code, text = run("--data-dir", str(data), "optimize", "--preset", "Default", "--json")
    again = json.loads(text)
    assert code == 0 and again["kept"] is False
    assert again["parameters"] == report["parameters"]


def test_optimize_dry_run_and_the_text_report(data: Path) -> None:
    make_collection(data, cards=600)
    code, text = run("--data-dir", str(data), "optimize", "--dry-run")
    assert code == 0
    assert "Preset 'Default': fitted to" in text
    assert "log loss" in text and "RMSE (bins)" in text
    assert "--dry-run: nothing was changed" in text
    with Collection.open(data, sync=False) as col:
        assert col.presets()[1].parameters == DEFAULTS


def test_too_little_history_is_an_error_that_says_what_is_needed(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_collection(data, cards=10)
    code, _text = run("--data-dir", str(data), "optimize")
    assert code == 1
    err = capsys.readouterr().err
    assert "flashcards: error: only" in err and "needs at least 400" in err


def test_simulate_json(data: Path) -> None:
    make_collection(data, cards=200)
    code, text = run("--data-dir", str(data), "simulate", "--json")
    assert code == 0
    result = json.loads(text)
    assert {
        "preset",
        "cards",
        "new_per_day",
        "days",
        "desired_retention",
        "minimum_recommended_retention",
        "retentions",
    } <= set(result)
    reviews = [p["reviews_per_day"] for p in result["retentions"]]
    assert reviews == sorted(reviews) and result["days"] == 365
    code, text = run("--data-dir", str(data), "simulate")
    assert code == 0 and "<- yours" in text and "Least time per card remembered" in text


def test_an_unknown_preset_lists_the_presets(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_collection(data, cards=10)
    code, _text = run("--data-dir", str(data), "simulate", "--preset", "Exam")
    assert code == 1
    assert "no preset 'Exam'; the presets are: 1 'Default'" in capsys.readouterr().err
