"""Learning steps typed as text ("1m 10m 1h 1d") and back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flashcards.core.steps import StepsError, format_steps, parse_steps


def test_units_and_separators() -> None:
    assert parse_steps("1m 10m, 1h  1d 30s") == (
        timedelta(minutes=1),
        timedelta(minutes=10),
        timedelta(hours=1),
        timedelta(days=1),
        timedelta(seconds=30),
    )


def test_bare_number_is_minutes_and_decimals_work() -> None:
    assert parse_steps("5 1.5h") == (timedelta(minutes=5), timedelta(minutes=90))


def test_empty_text_is_no_steps() -> None:
    assert parse_steps("  ") == ()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("1m 10x", "“10x” is not a step"),
        ("ten minutes", "“ten” is not a step"),
        ("-5m", "“-5m” is not a step"),
        ("0m", "“0m” is too short"),
        ("400d", "“400d” is too long"),
        (" ".join(["1m"] * 21), "too many"),
    ],
)
def test_bad_steps_name_the_step(text: str, words: str) -> None:
    with pytest.raises(StepsError, match=words):
        parse_steps(text)


@pytest.mark.parametrize("text", ["1m 10m", "90s 1h 2d", "", "25m 36h"])
def test_format_reads_back(text: str) -> None:
    assert format_steps(parse_steps(text)) == text
