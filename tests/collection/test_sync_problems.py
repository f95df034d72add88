"""`sync` says what it cannot read, naming the file (and line): an unreadable deck file
or folder, a deck that is not a regular file, a malformed exam.toml. Decks in a folder
that cannot be read are not taken for removed."""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flashcards.collection.collection import Collection

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

DECK = "## Card {#c1a2b3}\nq\n?\na\n"
PROFILE = """\
name = "Example exam"
questions = 10
minutes = 60
score = { min = 0, max = 100, pass = 70 }

[[domains]]
name = "Only"
weight = 1.0
"""


def _library(data_dir: Path) -> Path:
    library = data_dir / "decks"
    (library / "private").mkdir(parents=True)
    (library / "open.md").write_text(DECK.replace("c1a2b3", "d1a2b3"), encoding="utf-8")
    (library / "private" / "secret.md").write_text(DECK, encoding="utf-8")
    return library


def test_a_malformed_exam_toml_is_a_problem_with_its_line(tmp_path: Path) -> None:
    now = NOW
    with Collection.open(tmp_path / "data", seed=False, now=now) as col:
        exam = col.library / "ex" / "exam.toml"
        exam.parent.mkdir()
        exam.write_text(PROFILE.replace("minutes = 60", "minutes = ["), encoding="utf-8")
        report = col.sync(now=now)
        # The parser finds the open array's end missing where line 4 starts.
        assert report.errors == ("ex/exam.toml:4: not valid TOML: Invalid value",)
        exam.write_text(PROFILE.replace("questions = 10", "questions = 0"), encoding="utf-8")
        assert col.sync(now=now).errors == ("ex/exam.toml:2: questions must be positive",)
        exam.write_text(PROFILE.replace("weight = 1.0", "weight = 0.5"), encoding="utf-8")
        (problem,) = col.sync(now=now).errors
        assert problem.startswith("ex/exam.toml:6: domain weights must sum to 1")
        assert col.check().problems == (problem,)  # check names the line too
        exam.write_text(PROFILE.replace("minutes = 60\n", "minutes = 60\nminutes = 61\n"))
        assert col.check().problems[0].startswith("ex/exam.toml:4: not valid TOML")
        exam.write_text(PROFILE, encoding="utf-8")
        assert col.sync(now=now).errors == ()


def test_a_deck_that_is_not_a_regular_file_is_a_problem(tmp_path: Path) -> None:
    now = NOW
    with Collection.open(tmp_path / "data", seed=False, now=now) as col:
        os.mkfifo(col.library / "pipe.md")  # reading it would block the sync for ever
        (col.library / "gone.md").symlink_to(tmp_path / "nowhere.md")
        (col.library / "fine.md").write_text(DECK, encoding="utf-8")
        report = col.sync(now=now)
        assert sorted(report.errors) == [
            "gone.md: cannot read: No such file or directory",
            "pipe.md: cannot read: not a regular file",
        ]
        assert report.cards_added == 1
        assert sorted(col.check().problems) == sorted(report.errors)


# File modes do not stop root: this part runs without root's right to read anything.
AS_USER = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    from flashcards.collection.collection import Collection
    data = Path(sys.argv[1])
    library = data / "decks"
    out = {}
    with Collection.open(data, seed=False, sync=False) as col:
        first = col.sync()
        out["first_errors"] = list(first.errors)
        out["first_added"] = first.cards_added
        (library / "private").chmod(0o000)
        (library / "open.md").chmod(0o000)
        (library / "open.md").touch()  # changed: the sync reads it again
        try:
            second = col.sync()
            out["errors"] = sorted(second.errors)
            out["removed"] = second.cards_removed
            out["check"] = sorted(col.check().problems)
        finally:
            (library / "private").chmod(0o755)
            (library / "open.md").chmod(0o644)
        out["after"] = list(col.sync().errors)
        out["cards"] = len(col.queue(None))
    print(json.dumps(out))
    """
)


def _without_read_override() -> None:
    """In the child, before it runs Python: drop the capabilities that let root read
    any file (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) from its bounding set, so file
    modes bind it as they bind a user."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def _run_without_root_rights(data_dir: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", AS_USER, str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_without_read_override if os.geteuid() == 0 else None,  # noqa: PLW1509
    )
    if "cannot drop a capability" in done.stderr:
        pytest.skip("root here cannot drop CAP_DAC_OVERRIDE: file modes cannot be tested")
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_an_unreadable_deck_file_or_folder_is_a_problem(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    _library(data_dir)
    with Collection.open(data_dir, seed=False, sync=False):
        pass  # the database exists before the rights change
    out = _run_without_root_rights(data_dir)
    assert out["first_errors"] == [] and out["first_added"] == 2
    assert out["errors"] == [
        "open.md: cannot read: Permission denied",
        "private: cannot read the folder: Permission denied",
    ]
    assert out["check"] == [
        "open.md: cannot read: Permission denied",
        "private: cannot read the folder: Permission denied",
    ]
    assert out["removed"] == 0  # the folder's deck was not taken for deleted
    assert out["after"] == [] and out["cards"] == 2
