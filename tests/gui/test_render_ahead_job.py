"""After a sync finds notes changed, the window renders them for the next export in the
background, a step at a time (gui/render_ahead_job.py); an export then renders nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from flashcards.collection import Collection
from flashcards.gui.main_window import WELCOME_KEY, MainWindow
from flashcards.gui.worker import CollectionWorker
from flashcards.storage.engine import DB_NAME

NEW_NOTE = "\n## Gradient clipping\nCap the gradient's norm so one batch cannot blow up.\n"


def _rows(data_dir: Path) -> dict[str, str]:
    """Present notes -> the content hash their stored Anki fields were rendered from."""
    with sqlite3.connect(data_dir / DB_NAME) as db:
        return dict(
            db.execute(
                "SELECT n.id, f.content_hash FROM notes n JOIN anki_fields f ON f.note_id = n.id "
                "WHERE n.present = 1 AND f.content_hash = n.content_hash"
            ).fetchall()
        )


def _notes(data_dir: Path) -> set[str]:
    with sqlite3.connect(data_dir / DB_NAME) as db:
        return {r[0] for r in db.execute("SELECT id FROM notes WHERE present = 1")}


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime) -> Iterator[MainWindow]:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(WELCOME_KEY, True)
    worker = CollectionWorker(lambda: Collection.open(data_dir, seed=False))
    win = MainWindow(worker, settings=settings, now=lambda: now)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def _idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(
        lambda: window.worker.pending == 0 and not window.render_ahead.running, timeout=10_000
    )


def test_a_sync_that_finds_notes_renders_them_for_the_export(
    qtbot: QtBot, window: MainWindow, data_dir: Path, tmp_path: Path
) -> None:
    window.start()  # the first sync finds every note new
    _idle(qtbot, window)
    assert set(_rows(data_dir)) == _notes(data_dir) != set()
    first = window.render_ahead.rendered
    deck = data_dir / "decks" / "data.md"
    deck.write_text(deck.read_text(encoding="utf-8") + NEW_NOTE, encoding="utf-8")
    window.sync()
    _idle(qtbot, window)
    assert window.render_ahead.rendered == first + 1  # the new note alone
    ahead = _rows(data_dir)
    assert set(ahead) == _notes(data_dir)
    done: list[object] = []
    window.worker.run(lambda col: col.export(None, tmp_path / "out.apkg"), success=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert _rows(data_dir) == ahead  # the export found every note rendered


def test_a_sync_that_changes_nothing_renders_nothing(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    window.start()
    _idle(qtbot, window)
    rendered = window.render_ahead.rendered
    window.sync()
    _idle(qtbot, window)
    assert window.render_ahead.rendered == rendered


def test_closing_the_window_queues_no_further_step(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    window.render_ahead.start()
    window.close()  # stops the worker once the step queued is done
    assert window.render_ahead.stopped
    window.render_ahead.start()  # after close: nothing is queued
    assert not window.render_ahead.running or window.worker.pending <= 1
