"""The suite's property tests draw the same examples on every run (tests/conftest.py), so
the README's test command passes or fails alike on any machine and day; the `explore`
profile draws new ones."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

RECORDING = """
import os

from hypothesis import given, settings, strategies as st


@settings(max_examples=30)
@given(st.text(max_size=12))
def test_records(text):
    with open(os.environ["DRAWN"], "a", encoding="utf-8") as out:
        out.write(repr(text) + "\\n")
"""


# Hypothesis changes its defaults where a `CI` variable is set (its "ci" profile
# derandomizes); the profiles must behave alike with and without it.
CI_VARIABLES = ("CI", "TF_BUILD", "GITHUB_ACTIONS", "BUILD_NUMBER", "CODEBUILD_BUILD_ID")


def _drawn(
    folder: Path, run: int, profile: str | None, seed: int | None = None, ci: bool = False
) -> list[str]:
    drawn = folder / f"drawn-{run}.txt"
    env = {
        k: v for k, v in os.environ.items() if k != "HYPOTHESIS_PROFILE" and k not in CI_VARIABLES
    }
    if ci:
        env["CI"] = "true"
    env["DRAWN"] = str(drawn)
    if profile is not None:
        env["HYPOTHESIS_PROFILE"] = profile
    result = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-c", str(ROOT / "pyproject.toml"),
            "--rootdir", str(folder), str(folder / "test_prop.py"),
            *([f"--hypothesis-seed={seed}"] if seed is not None else []),
        ],
        cwd=folder, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return drawn.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("ci", [False, True], ids=["no-CI-variable", "CI=true"])
def test_runs_draw_the_same_examples_unless_exploring(tmp_path: Path, ci: bool) -> None:
    shutil.copy(ROOT / "tests" / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_prop.py").write_text(RECORDING, encoding="utf-8")
    first, second = _drawn(tmp_path, 1, None, ci=ci), _drawn(tmp_path, 2, None, ci=ci)
    assert len(first) >= 20
    assert first == second
    # Even a seed given on the command line does not move the repeatable draw...
    assert (
        _drawn(tmp_path, 3, None, seed=1, ci=ci)
        == _drawn(tmp_path, 4, None, seed=2, ci=ci)
        == first
    )
    # ...while exploring draws from the seed, also where CI is set: "explore" inherited
    # Hypothesis's "ci" profile there and drew alike whatever the seed (CI failed so on
    # 6d67624 and 5306560). Seeds are given so the two runs differ by construction.
    explored = [_drawn(tmp_path, 5 + n, "explore", seed=1 + n, ci=ci) for n in range(2)]
    assert explored[0] != explored[1]
    assert explored[0] != first
