"""Starting the app: a collection that cannot open gets one dialog and a non-zero exit;
the welcome waits for an open collection; a second start hands over to the first."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from flashcards.gui import app as app_module
from flashcards.gui.appearance import THEME_KEY
from flashcards.gui.single_instance import InstanceServer, hand_over, server_name
from flashcards.gui.theme import apply_theme, is_dark

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """QSettings(org, app) of the app under test write to tmp_path, not the real home."""
    ini = tmp_path / "settings.ini"
    monkeypatch.setattr(
        app_module, "QSettings", lambda *_: QSettings(str(ini), QSettings.Format.IniFormat)
    )
    return ini


@pytest.fixture
def dialogs() -> Iterator[list[tuple[str, str]]]:
    """While the test runs, poll the event loop for dialogs: note each once and close the
    message boxes (the app under test waits on them). The poll ends with the test."""
    seen: list[tuple[str, str]] = []
    running = [True]

    def poll() -> None:
        if not running[0]:
            return
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                key = (type(widget).__name__, widget.windowTitle())
                if isinstance(widget, QMessageBox):
                    seen.append((key[0], widget.text() + "\n" + widget.informativeText()))
                    widget.done(0)
                elif key not in seen:
                    seen.append(key)
        QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)
    yield seen
    running[0] = False


def test_a_collection_that_cannot_open_gets_one_dialog_and_exit_1(
    tmp_path: Path, qapp: Any, isolated_settings: Path, dialogs: list[tuple[str, str]]
) -> None:
    blocker = tmp_path / "home-is-a-file"
    blocker.write_text("")
    seen = dialogs
    code = app_module.main(["--data-dir", str(blocker / "flashcards"), "--no-sync"])
    assert code == 1
    boxes = [text for kind, text in seen if kind == "QMessageBox"]
    assert len(boxes) == 1, seen
    assert "could not open your collection" in boxes[0]
    assert "cannot create data folder" in boxes[0]
    assert all(kind != "WelcomeDialog" for kind, _ in seen), seen  # no welcome to nothing


def test_the_welcome_shows_once_the_collection_opened(
    tmp_path: Path, qapp: Any, isolated_settings: Path, dialogs: list[tuple[str, str]]
) -> None:
    seen = dialogs
    QSettings(str(isolated_settings), QSettings.Format.IniFormat).setValue(THEME_KEY, "dark")
    dark_while_running: list[bool] = []

    def quit_after_welcome() -> None:
        if any(kind == "WelcomeDialog" for kind, _ in seen):
            dark_while_running.append(is_dark())
            QApplication.exit(0)
        else:
            QTimer.singleShot(50, quit_after_welcome)

    QTimer.singleShot(50, quit_after_welcome)
    give_up = QTimer()  # never hang the suite; stopped before the next test
    give_up.setSingleShot(True)
    give_up.timeout.connect(lambda: QApplication.exit(3))
    give_up.start(30_000)
    try:
        code = app_module.main(["--data-dir", str(tmp_path / "fresh" / "data"), "--no-sync"])
    finally:
        give_up.stop()
    assert code == 0
    apply_theme(qapp, scheme="system")  # leave the look as other tests expect it
    assert dark_while_running == [True]  # the theme chosen in Preferences, applied at start
    assert [kind for kind, _ in seen if kind == "QMessageBox"] == []
    assert (tmp_path / "fresh" / "data" / "decks" / "getting-started.md").is_file()


def test_server_name_depends_on_the_folder(tmp_path: Path) -> None:
    assert server_name(tmp_path / "a") == server_name(tmp_path / "a")
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")


def test_nobody_to_hand_over_to(tmp_path: Path, qapp: Any) -> None:
    assert not hand_over(server_name(tmp_path / "nobody"))


def test_a_second_start_brings_the_first_forward_and_exits_0(
    tmp_path: Path, qtbot: Any
) -> None:
    data_dir = tmp_path / "data"
    first = InstanceServer(server_name(data_dir.absolute()))
    assert first.listen()
    try:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        }
        with qtbot.waitSignal(first.activation_requested, timeout=30_000):
            second = subprocess.Popen(
                [sys.executable, "-m", "flashcards", "--data-dir", str(data_dir)],
                env=env,
                stderr=subprocess.PIPE,
                text=True,
            )
            qtbot.waitUntil(lambda: second.poll() is not None, timeout=30_000)
        assert second.stderr is not None
        with second.stderr:
            message = second.stderr.read()
        assert second.returncode == 0, message
        assert "already open" in message
        # It handed over without opening the collection it could not have locked.
        assert not (data_dir / "collection.sqlite3").exists()
    finally:
        first.close()


def test_a_socket_left_by_a_crash_does_not_block_the_next_start(
    tmp_path: Path, qapp: Any
) -> None:
    name = server_name(tmp_path / "crashed")
    stale = InstanceServer(name)
    assert stale.listen()
    # A crashed process leaves its socket file behind: simulate by a second server that
    # must clear a name nobody answers on (here the first stopped answering).
    stale.server.close()
    fresh = InstanceServer(name)
    try:
        assert fresh.listen()
        assert hand_over(name)
    finally:
        fresh.close()
