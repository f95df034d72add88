"""`flashcards exam`: the forecast as text and JSON, --date, --profile."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from flashcards.cli import main
from flashcards.collection import Collection

SECOND = """\
name = "Second Exam"
code = "SEC-01"
questions = 10
minutes = 20
score = { min = 0, max = 100, pass = 70 }
[[domains]]
name = "Everything SageMaker"
weight = 1.0
query = "sagemaker"
"""


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A collection with the bundled decks and a second profile over the same cards."""
    data = tmp_path / "data"
    Collection.open(data).close()
    second = data / "decks" / "second"
    second.mkdir()
    (second / "exam.toml").write_text(SECOND, encoding="utf-8")
    return data


def study_day(data: Path) -> date:
    with Collection.open(data) as col:
        return date.fromordinal(col.today())


def test_json_has_the_documented_keys(data: Path) -> None:
    code, text = run("--data-dir", str(data), "exam", "--json")
    assert code == 0
    got = json.loads(text)
    for key in ("profile", "date", "days_left", "predicted_score", "pass_mark", "pass_chance"):
        assert key in got
    # A newcomer's active exam is the one they can still sit, not the retired MLS-C01.
    assert got["profile"] == "MLA-C01" and got["date"] is None and got["days_left"] is None
    assert got["pass_mark"] == 720 and got["retired"] is None
    got = json.loads(run("--data-dir", str(data), "exam", "--profile", "MLS-C01", "--json")[1])
    assert got["profile"] == "MLS-C01"
    assert got["pass_mark"] == 750 and got["retired"] == "2026-03-31"
    assert [d["name"] for d in got["domains"]] == [
        "Data Engineering",
        "Exploratory Data Analysis",
        "Modeling",
        "Machine Learning Implementation and Operations",
    ]
    assert set(got["domains"][0]) >= {"name", "weight", "cards", "predicted_recall"}
    assert got["domains"][2]["weight"] == 0.36 and got["domains"][2]["cards"] > 100
    assert 100 <= got["predicted_score"] <= 1000 and 0 <= got["pass_chance"] <= 1


def test_date_sets_and_clears_the_active_profiles_date(data: Path) -> None:
    day = study_day(data) + timedelta(days=30)
    code, text = run("--data-dir", str(data), "exam", "--date", day.isoformat())
    assert code == 0
    assert f"Exam date for MLA-C01: {day.isoformat()}" in text
    assert "(in 30 days)" in text and "Predicted score:" in text and "Chance to pass:" in text
    got = json.loads(run("--data-dir", str(data), "exam", "--json")[1])
    assert got["date"] == day.isoformat() and got["days_left"] == 30
    assert run("--data-dir", str(data), "exam", "--date", "none")[0] == 0
    assert json.loads(run("--data-dir", str(data), "exam", "--json")[1])["date"] is None


def test_a_bad_date_is_a_usage_error(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        run("--data-dir", str(data), "exam", "--date", "21/12/2026")
    assert exit_.value.code == 2
    assert "not a date YYYY-MM-DD" in capsys.readouterr().err


def test_profile_switches_and_dates_stay_per_profile(data: Path) -> None:
    day = study_day(data) + timedelta(days=10)
    run("--data-dir", str(data), "exam", "--date", day.isoformat())
    code, text = run("--data-dir", str(data), "exam", "--profile", "sec-01", "--json")
    assert code == 0
    got = json.loads(text)
    assert got["profile"] == "SEC-01" and got["date"] is None and got["pass_mark"] == 70
    # The query domain reaches the bundled decks' SageMaker cards.
    assert got["domains"][0]["cards"] > 50
    back = json.loads(run("--data-dir", str(data), "exam", "--profile", "MLA-C01", "--json")[1])
    assert back["date"] == day.isoformat()


def test_an_unknown_profile_is_an_error(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--data-dir", str(data), "exam", "--profile", "XYZ")[0] == 1
    err = capsys.readouterr().err
    assert "no exam profile called 'XYZ' (profiles: MLS-C01, MLA-C01, SEC-01)" in err


def test_while_the_app_holds_the_collection_reading_works_and_changes_are_refused(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Collection.open(data):  # the app, say
        code, text = run("--data-dir", str(data), "exam", "--json")
        assert code == 0 and json.loads(text)["profile"] == "MLA-C01"
        assert run("--data-dir", str(data), "exam", "--date", "2027-01-05")[0] == 1
    assert "open in the app" in capsys.readouterr().err


def test_long_domain_names_are_printed_whole_in_one_column(data: Path) -> None:
    """MLA-C01's 'ML Solution Monitoring, Maintenance, and Security' was cut at 47
    characters; the column is as wide as the longest name, the figures aligned."""
    assert run("--data-dir", str(data), "exam", "--profile", "MLA-C01")[0] == 0
    code, out = run("--data-dir", str(data), "exam")
    assert code == 0
    rows = out.splitlines()
    head = next(i for i, line in enumerate(rows) if line.startswith("Domain"))
    table = rows[head : head + 5]
    assert table[4].startswith("ML Solution Monitoring, Maintenance, and Security ")
    assert len({len(line) for line in table}) == 1  # the columns line up
    assert {line.index("%") for line in table[1:]} == {table[0].index("weight") + 5}


def test_a_date_after_the_exams_retirement_is_warned_about(data: Path) -> None:
    """QA: `exam --profile MLS-C01 --date 2026-12-21 --deadline on` set a date eight
    months after MLS-C01's retirement without a word; the Readiness window says it."""
    argv = ("--data-dir", str(data), "exam", "--profile", "MLS-C01", "--deadline", "on")
    code, text = run(*argv, "--date", "2026-12-21")
    assert code == 0 and "Exam date for MLS-C01: 2026-12-21" in text
    assert (
        "Warning: MLS-C01 was retired on 31 Mar 2026: it can no longer be sat on 21 Dec 2026"
        in text
    )
    assert "take its successor: AWS Certified Machine Learning Engineer – Associate (MLA-C01)" in (
        text
    )
    assert "Warning" in run("--data-dir", str(data), "exam")[1]  # every time it is shown
    # On or before the last day it could be sat, and for the successor: no warning.
    assert "Warning" not in run(*argv, "--date", "2026-03-31")[1]
    code, text = run(
        "--data-dir", str(data), "exam", "--profile", "MLA-C01", "--date", "2026-12-21"
    )
    assert code == 0 and "Warning" not in text
