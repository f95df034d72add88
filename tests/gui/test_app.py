"""`flashcards` (no subcommand) opens the window: run it in a subprocess that quits
after the first card is painted."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_app(
    args: list[str], *, env_extra: dict[str, str], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),  # QSettings land here, not in ~
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        **env_extra,
    )
    code = "import sys; from flashcards.gui.app import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_main_opens_the_collection_and_shows_a_card(data_dir: Path, tmp_path: Path) -> None:
    started = time.time()
    result = run_app(
        ["--data-dir", str(data_dir), "--exit-after-first-card"], env_extra={}, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stderr
    painted = [line for line in result.stdout.splitlines() if line.startswith("first-card-painted")]
    assert painted, result.stdout + result.stderr
    assert started < float(painted[0].split()[1]) < time.time()
    assert (data_dir / "collection.sqlite3").exists()


def test_main_honours_the_data_dir_variable(data_dir: Path, tmp_path: Path) -> None:
    result = run_app(
        ["--exit-after-first-card", "--no-sync"],
        env_extra={"FLASHCARDS_DATA_DIR": str(data_dir)},
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "first-card-painted" in result.stdout
    assert (data_dir / "collection.sqlite3").exists()
