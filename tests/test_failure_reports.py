"""A failing property test reports its example: the suite's warning filters (every
warning an error) must not turn Hypothesis's own reporting into an INTERNALERROR."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FAILING = """
from hypothesis import given, strategies as st


@given(st.integers(min_value=0))
def test_small(x):
    assert x < 5
"""


def test_a_failing_hypothesis_test_shows_its_example(tmp_path: Path) -> None:
    (tmp_path / "test_prop.py").write_text(FAILING, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(tmp_path),
            "-p",
            "no:randomly",
            str(tmp_path / "test_prop.py"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = result.stdout + result.stderr
    assert result.returncode == 1, out  # tests failed; 3 would be an internal error
    assert "INTERNALERROR" not in out
    # "Falsifying example:" up to Hypothesis 6.16x, "Failing test case:" after
    assert re.search(r"(Falsifying example|Failing test case): test_small\(", out), out
    assert "x=5," in out
