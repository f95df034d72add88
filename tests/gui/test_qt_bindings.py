"""The Qt bindings the project installs keep their references to None and True.

PySide6 6.12.0 returns None from void methods (`QLabel.setText`, `processEvents`) and
True from `Signal.emit()` without taking a reference; on Python 3.11, where None and
True are not immortal, the count reaches zero after some thousands of calls and the
interpreter aborts ("none_dealloc: deallocating None"). Tried on Python 3.11 with the
repro below: 6.6.0, 6.7.0, 6.7.3, 6.8.0, 6.8.3, 6.9.0, 6.9.3, 6.10.0, 6.10.3, 6.11.0–6.11.3
keep their references; 6.12.0 crashes. pyproject.toml keeps pip below 6.12 on 3.11.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
CALLS = 20_000

REPRO = f"""
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel

class Emitter(QObject):
    fired = Signal()

app = QApplication([])
label = QLabel()
emitter = Emitter()
emitter.fired.connect(lambda: None)
before = sys.getrefcount(None)
for _ in range({CALLS}):
    label.setText("x")
none_lost = before - sys.getrefcount(None)
before = sys.getrefcount(True)
for _ in range({CALLS}):
    emitter.fired.emit()
true_lost = before - sys.getrefcount(True)
print(none_lost, true_lost)
"""


def test_the_installed_bindings_keep_their_references_to_none_and_true() -> None:
    # In a fresh interpreter: nothing of ours runs first, and a crash stays there.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", REPRO], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    none_lost, true_lost = (int(n) for n in result.stdout.split())
    # A leaking build loses one a call (20,000); a sound one a handful at most either way.
    assert none_lost < 100 and true_lost < 100


def _pyside_requirements() -> list[Requirement]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        dependencies = tomllib.load(handle)["project"]["dependencies"]
    return [r for r in map(Requirement, dependencies) if r.name.lower() == "pyside6"]


def _allowed(version: str, python: str) -> bool:
    env = {"python_version": python, "python_full_version": f"{python}.0"}
    wanted = [r for r in _pyside_requirements() if r.marker is None or r.marker.evaluate(env)]
    assert len(wanted) == 1, f"one PySide6 requirement applies on Python {python}"
    return wanted[0].specifier.contains(version)


def test_pip_never_picks_the_leaking_bindings_on_python_3_11() -> None:
    assert not _allowed("6.12.0", "3.11")
    assert not _allowed("6.12.1", "3.11")  # until a later one is tried with the repro
    assert _allowed("6.11.3", "3.11")
    assert _allowed("6.12.0", "3.12")  # None and True are immortal there
    assert _allowed("6.12.0", "3.13")
