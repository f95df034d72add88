"""What the make_*_screenshot*.py scripts share: the command line, the app with its theme
and folders, the main window started on a collection, waiting for the worker, and the end.

The scripts run as `python tests/gui/make_x.py`, so this folder is on sys.path; each puts
the checkout's root there too, before anything of flashcards is imported.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def settle(app: Any, worker: Any = None, ms: int = 300) -> None:
    """Process events for `ms` and, given a worker, until it has nothing pending."""
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end or (worker is not None and worker.pending):
        app.processEvents()
        time.sleep(0.01)


def shot_arguments(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    """--out DIR for the shots that are only looked at; --no-doc leaves docs/ alone."""
    parser = parser or argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=None, help="folder for the other shots")
    parser.add_argument("--no-doc", action="store_true", help="leave docs/screenshots alone")
    return parser


@dataclass
class Shoot:
    """The app in a theme, a temporary folder with the collection's data folder in it and
    the folder the other shots go to (--out, or the temporary folder)."""

    app: Any
    tmp: Path
    out: Path
    data: Path
    kept: bool  # no --out: the temporary folder stays, to be looked at

    def finish(self) -> None:
        """Say where the shots are kept, or remove the temporary folder."""
        if self.kept:
            print("(temp folder kept for looking)")
        else:
            shutil.rmtree(self.tmp)


def begin(out: Path | None, *, theme: str = "light") -> Shoot:
    """A QApplication in `theme` (set before any widget exists) and the folders."""
    from PySide6.QtWidgets import QApplication

    from flashcards.gui.theme import apply_theme

    app = QApplication(sys.argv)
    apply_theme(app, scheme=theme)
    tmp = Path(tempfile.mkdtemp())
    folder = out or tmp
    folder.mkdir(parents=True, exist_ok=True)
    return Shoot(app=app, tmp=tmp, out=folder, data=tmp / "data", kept=out is None)


def main_window(
    app: Any,
    data: Path,
    settings_file: Path,
    *,
    now: Any = None,
    start: bool = True,
    **open_options: Any,
) -> tuple[Any, Any]:
    """The main window on the collection in `data` (opened with `open_options`), past the
    welcome, shown and, with `start`, started without a sync and settled: (worker, window)."""
    from PySide6.QtCore import QSettings

    from flashcards.collection import Collection
    from flashcards.gui.main_window import WELCOME_KEY, MainWindow
    from flashcards.gui.worker import CollectionWorker

    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    settings.setValue(WELCOME_KEY, True)
    worker = CollectionWorker(lambda: Collection.open(data, **open_options))
    window = MainWindow(worker, settings=settings, **({} if now is None else {"now": now}))
    window.show()
    if start:
        window.start(sync=False)
        settle(app, worker, 800)
    return worker, window
