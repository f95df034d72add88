"""exam.toml profiles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from flashcards.core.errors import ExamProfileError
from flashcards.core.exam import allocate_questions, load_exam

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


def test_retired_successors_code_and_queries(tmp_path: Path) -> None:
    text = GOOD.replace(
        'short_name = "AWS ML"\n',
        'short_name = "AWS ML"\ncode = "MLS-C01"\nretired = 2026-03-31\n'
        'successors = "MLA-C01"\n',
    ).replace('name = "Modeling"\n', 'name = "Modeling"\nquery = "tag:sagemaker or deck:x"\n')
    exam = load_exam(write(tmp_path, text))
    assert exam.short_label == "MLS-C01"
    assert exam.retired == date(2026, 3, 31)
    assert exam.successors == "MLA-C01"
    assert exam.retired_on(date(2026, 4, 1)) and not exam.retired_on(date(2026, 3, 31))
    assert exam.domains[1].query == "tag:sagemaker or deck:x"
    assert exam.domains[0].query is None


def test_retired_may_be_a_string_date(tmp_path: Path) -> None:
    exam = load_exam(write(tmp_path, 'retired = "2026-03-31"\n' + GOOD))
    assert exam.retired == date(2026, 3, 31)


def test_bad_new_fields_are_reported_together(tmp_path: Path) -> None:
    text = (
        'retired = "soon"\ncode = 7\n'
        + GOOD.replace("pass = 750 }", "pass = 750, pass_share = 1.5 }").replace(
            'name = "Modeling"\n', 'name = "Modeling"\nquery = "tag:(x"\n'
        )
    )
    with pytest.raises(ExamProfileError) as err:
        load_exam(write(tmp_path, text))
    message = str(err.value)
    for part in ("retired must be a date", "code must be a string", "pass_share", "domain 2 query"):
        assert part in message


def test_raw_pass_share_defaults_to_the_pass_marks_place_on_the_scale(tmp_path: Path) -> None:
    exam = load_exam(write(tmp_path, GOOD))
    assert exam.raw_pass_share == pytest.approx(650 / 900)
    text = GOOD.replace("pass = 750 }", "pass = 750, pass_share = 0.7 }")
    assert load_exam(write(tmp_path, text)).raw_pass_share == 0.7


def test_allocate_questions_by_weight() -> None:
    assert allocate_questions([0.20, 0.24, 0.36, 0.20], 65) == (13, 16, 23, 13)
    assert allocate_questions([0.5, 0.5], 3) == (2, 1)  # a tie goes to the earlier domain
    assert allocate_questions([1 / 3, 1 / 3, 1 / 3], 10) == (4, 3, 3)
    assert sum(allocate_questions([0.1, 0.2, 0.3, 0.4], 7)) == 7
    assert allocate_questions([0.5, 0.5], 0) == (0, 0)
