"""Exam profiles over a collection: profiles found, the active one, dates per profile,
and each domain's cards (front matter under the profile's folder, plus query matches)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from flashcards.collection import Collection
from flashcards.collection.exam import Exams, UnknownProfileError
from tests.collection.col_helpers import T0, deck_text, note, write

EXAM_A = """\
name = "Exam Alpha Specialty"
short_name = "Alpha Specialty"
code = "A-01"
questions = 10
minutes = 30
score = { min = 100, max = 1000, pass = 700 }
retired = 2026-03-31
successors = "B-01"
[[domains]]
name = "Alpha"
weight = 0.6
[[domains]]
name = "Beta"
weight = 0.4
query = "tag:shared"
"""

EXAM_B = """\
name = "Exam Beta Associate"
code = "B-01"
questions = 20
minutes = 60
score = { min = 0, max = 100, pass = 70 }
[[domains]]
name = "Gamma"
weight = 1.0
query = "deck:exam-a/alpha or tag:shared"
"""


def make_library(data_dir: Path) -> None:
    lib = data_dir / "decks"
    write(lib / "exam-a" / "exam.toml", EXAM_A)
    write(lib / "exam-b" / "exam.toml", EXAM_B)
    write(
        lib / "exam-a" / "alpha.md",
        deck_text(note("A one", nid="aone01"), note("A two", nid="atwo02"), domain="Alpha"),
    )
    write(lib / "exam-a" / "beta.md", deck_text(note("B one", nid="bone01"), domain="Beta"))
    # Outside exam-a's folder: its front matter does not join exam A's domain...
    write(lib / "other" / "stray.md", deck_text(note("Stray", nid="stray1"), domain="Alpha"))
    # ...but a query reaches any card of the library.
    write(
        lib / "other" / "shared.md",
        deck_text(
            note("Shared", "Answer\nTags: shared", nid="share1"), note("Plain", nid="plain1")
        ),
    )
    write(lib / ".hidden" / "exam.toml", EXAM_B.replace("B-01", "H-01"))
    write(lib / "broken" / "exam.toml", 'name = "Broken"\n')


@pytest.fixture
def col(data_dir: Path, open_col) -> Collection:  # type: ignore[no-untyped-def]
    make_library(data_dir)
    return open_col(now=T0)  # type: ignore[no-any-return]


def test_profiles_found_in_the_library_skip_hidden_and_invalid(col: Collection) -> None:
    refs = Exams(col).profiles()
    assert [(r.key, r.profile.short_label) for r in refs] == [
        ("exam-a", "A-01"),
        ("exam-b", "B-01"),
    ]
    a = refs[0].profile
    assert a.retired == date(2026, 3, 31) and a.successors == "B-01"


def test_active_profile_defaults_to_the_first_current_exam_and_can_be_set_by_any_name(
    col: Collection,
) -> None:
    exams = Exams(col)
    active = exams.active()
    # exam-a comes first but has a retirement date: a newcomer gets the exam they can sit.
    assert exams.profile("exam-a").profile.retired is not None
    assert active is not None and active.key == "exam-b"
    assert exams.set_active("alpha specialty").key == "exam-a"
    assert exams.active().key == "exam-a"  # type: ignore[union-attr]
    assert exams.set_active("exam beta associate").key == "exam-b"
    assert exams.active().key == "exam-b"  # type: ignore[union-attr]
    assert exams.set_active("alpha specialty").key == "exam-a"
    assert exams.set_active("exam-b").key == "exam-b"
    with pytest.raises(UnknownProfileError, match="A-01, B-01"):
        exams.set_active("C-03")


def test_with_every_exam_retired_the_first_is_active(data_dir: Path, col: Collection) -> None:
    (data_dir / "decks" / "exam-b" / "exam.toml").unlink()
    active = Exams(col).active()
    assert active is not None and active.key == "exam-a"


def test_active_profile_and_dates_survive_reopening(data_dir: Path, open_col) -> None:  # type: ignore[no-untyped-def]
    make_library(data_dir)
    col = open_col(now=T0)
    exams = Exams(col)
    exams.set_active("B-01")
    exams.set_exam_date(date(2026, 12, 21))
    col.close()
    again = Exams(open_col(now=T0))
    assert again.active().key == "exam-b"  # type: ignore[union-attr]
    assert again.exam_date() == date(2026, 12, 21)


def test_exam_date_is_per_profile(col: Collection) -> None:
    exams = Exams(col)
    exams.set_active("A-01")
    exams.set_exam_date(date(2026, 12, 21), "A-01")
    exams.set_exam_date(date(2027, 2, 1), "B-01")
    assert exams.exam_date("A-01") == date(2026, 12, 21)
    assert exams.exam_date("B-01") == date(2027, 2, 1)
    assert exams.exam_date() == date(2026, 12, 21)  # the active profile's
    assert exams.days_left(now=T0) == 23  # 28 Nov → 21 Dec
    exams.set_exam_date(None, "A-01")
    assert exams.exam_date("A-01") is None and exams.days_left(now=T0) is None
    assert exams.exam_date("B-01") == date(2027, 2, 1)


def test_the_bundled_file_is_never_written(data_dir: Path, col: Collection) -> None:
    before = (data_dir / "decks" / "exam-a" / "exam.toml").read_bytes()
    exams = Exams(col)
    exams.set_exam_date(date(2026, 12, 21))
    exams.set_active("B-01")
    assert (data_dir / "decks" / "exam-a" / "exam.toml").read_bytes() == before


def test_domain_cards_front_matter_under_the_folder_and_query(col: Collection) -> None:
    exams = Exams(col)
    a = exams.domain_cards("A-01", now=T0)
    assert a == {"Alpha": ["aone01", "atwo02"], "Beta": ["bone01", "share1"]}
    b = exams.domain_cards("B-01", now=T0)
    assert b == {"Gamma": ["aone01", "atwo02", "share1"]}
    # The same card counts for two exams.
    assert "aone01" in a["Alpha"] and "aone01" in b["Gamma"]
    assert "stray1" not in a["Alpha"]
