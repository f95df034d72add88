"""`flashcards exam --deadline on|off`: scheduling for the exam date from the command
line, with the workload it would cost shown while it is off."""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from flashcards.cli import main
from flashcards.collection import Collection


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The bundled decks, with the exam 30 study days ahead."""
    data = tmp_path / "data"
    with Collection.open(data) as col:
        day = date.fromordinal(col.today()) + timedelta(days=30)
    assert run("--data-dir", str(data), "exam", "--date", day.isoformat())[0] == 0
    return data


def exam_new(data: Path) -> int:
    """New cards today in the exam's decks, as `decks --json` counts them."""
    decks = json.loads(run("--data-dir", str(data), "decks", "--json")[1])
    return max(d["new"] for d in decks if d["file"].startswith("aws-ml-specialty/"))


def test_off_shows_what_turning_it_on_would_cost(data: Path) -> None:
    code, text = run("--data-dir", str(data), "exam")
    assert code == 0
    assert "Scheduling for the exam date: off (flashcards exam --deadline on)" in text
    found = re.search(r"With the deadline on: ~(\d+) reviews/day and (\d+) new/day until", text)
    assert found is not None and int(found.group(2)) > 20  # the bundled decks' 20 a day
    assert "(now: " in text and " and 20)" in text
    got = json.loads(run("--data-dir", str(data), "exam", "--json")[1])["deadline"]
    assert got["on"] is False and got["buffer_days"] == 7 and got["today"] is None
    assert got["workload"]["new_on"] == int(found.group(2)) and got["workload"]["new_now"] == 20


def test_on_paces_the_new_cards_and_off_restores_them(data: Path) -> None:
    assert exam_new(data) == 20
    code, text = run("--data-dir", str(data), "exam", "--deadline", "on")
    assert code == 0
    assert "Scheduling for the exam date: on\n" in text  # the change, first
    found = re.search(r"Scheduling for the exam date: on — (\d+) new a day to finish by", text)
    assert found is not None
    pace = int(found.group(1))
    assert pace > 20
    assert exam_new(data) > 20  # a deck with more new cards than 20 gets up to the pace
    got = json.loads(run("--data-dir", str(data), "exam", "--json")[1])["deadline"]
    assert got["on"] is True and got["today"].startswith(f"{pace} new a day to finish by ")
    assert run("--data-dir", str(data), "exam", "--deadline", "off")[0] == 0
    assert exam_new(data) == 20


def test_a_bad_value_is_a_usage_error(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run("--data-dir", str(data), "exam", "--deadline", "maybe")
    assert exit_info.value.code == 2
    assert "invalid choice: 'maybe'" in capsys.readouterr().err
