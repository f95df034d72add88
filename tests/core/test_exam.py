"""exam.toml profiles."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashcards.core.errors import ExamProfileError
from flashcards.core.exam import load_exam

GOOD = """\
name = "AWS Certified Machine Learning – Specialty"
short_name = "AWS ML"
questions = 65
minutes = 180
score = { min = 100, max = 1000, pass = 750 }
[[domains]]
name = "Data Engineering"
weight = 0.20
[[domains]]
name = "Modeling"
weight = 0.80
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "exam.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_good_profile(tmp_path: Path) -> None:
    exam = load_exam(write(tmp_path, GOOD))
    assert exam.name == "AWS Certified Machine Learning – Specialty"
    assert exam.label == "AWS ML"
    assert (exam.questions, exam.minutes) == (65, 180)
    assert (exam.score_min, exam.score_max, exam.score_pass) == (100, 1000, 750)
    assert [(d.name, d.weight) for d in exam.domains] == [
        ("Data Engineering", 0.2),
        ("Modeling", 0.8),
    ]
    assert exam.domain("modeling") == exam.domains[1]


def test_bundled_profile_loads() -> None:
    bundled = Path(__file__).parents[2] / "decks" / "aws-ml-specialty" / "exam.toml"
    if not bundled.exists():
        pytest.skip("bundled decks not present")
    assert abs(sum(d.weight for d in load_exam(bundled).domains) - 1) <= 0.01


def test_weights_must_sum_to_one(tmp_path: Path) -> None:
    with pytest.raises(ExamProfileError, match="sum to 1"):
        load_exam(write(tmp_path, GOOD.replace("0.80", "0.70")))


def test_every_problem_in_one_error_naming_the_file(tmp_path: Path) -> None:
    bad = GOOD.replace("questions = 65", 'questions = "many"').replace("pass = 750", "pass = 5000")
    with pytest.raises(ExamProfileError) as err:
        load_exam(write(tmp_path, bad))
    message = str(err.value)
    assert str(tmp_path / "exam.toml") in message
    assert "questions must be a whole number" in message
    assert "score.pass 5000" in message


def test_toml_syntax_error_has_line(tmp_path: Path) -> None:
    with pytest.raises(ExamProfileError) as err:
        load_exam(write(tmp_path, 'name = "x"\nquestions = = 3\n'))
    assert err.value.line == 2


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ExamProfileError):
        load_exam(tmp_path / "exam.toml")
