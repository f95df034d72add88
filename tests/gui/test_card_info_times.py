"""Card info's answer times: the average and the total read on the same steps."""

from __future__ import annotations

import pytest

from flashcards.gui.card_info import answer_time


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (300, "0.3 s"),
        (900, "0.9 s"),  # three answers of 0.3 s: the total is not "0 s" (GUI QA)
        (9_940, "9.9 s"),
        (42_400, "42 s"),
        (60_000, "1 min"),
        (200_000, "3 min 20 s"),
        (3_599_400, "59 min 59 s"),
        (3_600_000, "1 h"),
        (3_900_000, "1 h 5 min"),
    ],
)
def test_answer_times_read_as_their_size_asks(ms: int, text: str) -> None:
    assert answer_time(ms) == text
