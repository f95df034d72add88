"""Preferences ▸ Scheduling: Optimise runs on the worker and shows its figures, Save keeps
the fit and the memory states that follow it, the simulation charts a year, and a job
cancelled or outlived by its dialog leaves nothing behind.

A real window, worker and collection (the conftest's small library plus a deck with a
history drawn from known parameters, brought in as an import brings an Anki log).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from flashcards.collection import Collection
from flashcards.core.days import day_number
from flashcards.core.scheduling import Preset
from flashcards.core.synthetic_history import deck_text, review_log, synthetic_history
from flashcards.gui.main_window import WELCOME_KEY, MainWindow
from flashcards.gui.optimize_panel import OptimizerPanel, parse_parameters
from flashcards.gui.preferences import PreferencesDialog
from flashcards.gui.review_models import ReviewState
from flashcards.gui.worker import CollectionWorker
from flashcards.interop.history import replay

CTRL = Qt.KeyboardModifier.ControlModifier
DEFAULTS = tuple(Preset().parameters)
TRUE = (0.6, 1.8, 6.0, 18.0, *DEFAULTS[4:8], 1.3, *DEFAULTS[9:11], 1.2, *DEFAULTS[12:20], 0.3)


def add_history(data_dir: Path, now: datetime, *, cards: int) -> None:
    with Collection.open(data_dir, seed=False, now=now) as col:
        col.set_setting("timezone", "UTC")
        today = day_number(now, UTC, 4)
        history = synthetic_history(
            TRUE,
            cards=cards,
            reviews_per_card=6,
            seed=1,
            first_day=today - 500,
            spread_days=150,
            until=today - 1,
        )
        log = review_log(history)
        col.apply_import(
            {"synthetic.md": deck_text(list(history)).encode()},
            reviews=log,
            states=replay(log),
            now=now,
        )


def make_window(qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(WELCOME_KEY, True)
    worker = CollectionWorker(lambda: Collection.open(data_dir, seed=False))
    window = MainWindow(worker, settings=settings, now=lambda: now)
    qtbot.addWidget(window)
    window.resize(1100, 720)
    window.show()
    window.start(sync=False)
    qtbot.waitUntil(lambda: worker.pending == 0 and window.home.today is not None, timeout=10_000)
    return window


@pytest.fixture
def window(
    qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime, request: Any
) -> Iterator[MainWindow]:
    add_history(data_dir, now, cards=getattr(request, "param", 600))
    win = make_window(qtbot, data_dir, tmp_path, now)
    yield win
    win.close()


def open_scheduling(qtbot: QtBot, window: MainWindow) -> tuple[PreferencesDialog, OptimizerPanel]:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.stack.currentWidget(), Qt.Key.Key_Comma, CTRL)  # Ctrl+,
    dialog = window.findChild(PreferencesDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=10_000)
    dialog.tabs.setCurrentWidget(dialog.scheduling)
    return dialog, dialog.scheduling.optimizer


def ask(qtbot: QtBot, window: MainWindow, fn: Any) -> Any:
    box: list[Any] = []
    window.worker.run(fn, success=box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return box[0]


def idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(
        lambda: window.worker.pending == 0 and window.controller.state is not ReviewState.LOADING,
        timeout=10_000,
    )


def test_optimise_runs_in_the_background_and_save_keeps_the_fit(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog, panel = open_scheduling(qtbot, window)
    assert parse_parameters(panel.parameters.text()) == DEFAULTS

    with qtbot.waitSignal(panel.finished, timeout=30_000):
        qtbot.mouseClick(panel.optimise_button, Qt.MouseButton.LeftButton)
        # The click returned at once: the fit is the worker's, with a bar and Cancel.
        assert panel.busy() and not panel.optimise_button.isEnabled()
        assert panel.progress.isVisible() and panel.cancel_button.isVisible()

    fit = panel.last_fit
    assert fit is not None and fit.kept
    text = panel.fit_result.text()
    assert f"Fitted to {fit.reviews:,} reviews of {fit.cards:,} cards" in text
    assert f"Log loss {fit.current_eval.log_loss:.4f} → <b>{fit.fitted_eval.log_loss:.4f}" in text
    assert "RMSE (bins)" in text and "Better on both" in text
    assert parse_parameters(panel.parameters.text()) == fit.fitted

    # A better fit simulates the year with it at once.
    assert panel.busy() and panel.progress.format() == "Simulating…"
    qtbot.waitUntil(lambda: not panel.busy() and panel.chart.isVisible(), timeout=30_000)
    assert "Least time per card remembered at" in panel.retention_result.text()
    assert panel.chart.report.workload.points

    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    preset = ask(qtbot, window, lambda col: col.presets()[1])
    assert preset.parameters == fit.fitted
    # Memory states were recomputed with the saved parameters.
    card = ask(qtbot, window, lambda col: col.card("c0"))
    log = ask(qtbot, window, lambda col: col.history("c0"))
    expected = replay(log, preset=replace(preset, enable_fuzzing=False))["c0"]
    assert card.memory.stability == pytest.approx(expected.stability)


@pytest.mark.parametrize("window", [12], indirect=True)
def test_too_little_history_is_said_and_nothing_changes(qtbot: QtBot, window: MainWindow) -> None:
    dialog, panel = open_scheduling(qtbot, window)
    with qtbot.waitSignal(panel.finished, timeout=30_000):
        qtbot.mouseClick(panel.optimise_button, Qt.MouseButton.LeftButton)
    text = panel.fit_result.text()
    assert "Only " in text and "fitting needs at least 400" in text
    assert parse_parameters(panel.parameters.text()) == DEFAULTS
    assert panel.optimise_button.isEnabled() and not panel.busy()
    assert not dialog.has_changes()
    dialog.reject()


def hold_the_worker(window: MainWindow) -> threading.Event:
    """Keep the worker busy until the returned event is set (so a job waits its turn)."""
    gate = threading.Event()
    window.worker.run(lambda col: gate.wait(10), label="hold")
    return gate


def test_cancel_stops_the_fit(qtbot: QtBot, window: MainWindow) -> None:
    dialog, panel = open_scheduling(qtbot, window)
    gate = hold_the_worker(window)
    qtbot.mouseClick(panel.optimise_button, Qt.MouseButton.LeftButton)
    assert panel.busy()
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.finished, timeout=30_000):
        gate.set()
    assert "cancelled; the parameters are unchanged" in panel.fit_result.text()
    assert parse_parameters(panel.parameters.text()) == DEFAULTS
    assert not panel.busy() and panel.optimise_button.isEnabled()
    dialog.reject()


def test_a_job_outlived_by_its_dialog_is_dropped(qtbot: QtBot, window: MainWindow) -> None:
    dialog, panel = open_scheduling(qtbot, window)
    gate = hold_the_worker(window)
    qtbot.mouseClick(panel.simulate_button, Qt.MouseButton.LeftButton)
    dialog.reject()  # closed and deleted with the job still queued
    qtbot.waitUntil(lambda: window.findChild(PreferencesDialog) is None, timeout=10_000)
    gate.set()
    idle(qtbot, window)  # the job ends at its first report; its callback finds no panel
    preset = ask(qtbot, window, lambda col: col.presets()[1])
    assert preset.parameters == DEFAULTS


def test_bad_parameters_are_refused_with_the_field_named(qtbot: QtBot, window: MainWindow) -> None:
    dialog, panel = open_scheduling(qtbot, window)
    panel.parameters.setFocus()
    panel.parameters.selectAll()
    qtbot.keyClicks(panel.parameters, "1, 2, 3")
    assert dialog.has_changes() is False  # not taken: the form reports the mistake
    assert "FSRS parameters: FSRS needs 21 parameters, not 3" in dialog.scheduling.error.text()
    qtbot.mouseClick(panel.defaults, Qt.MouseButton.LeftButton)
    assert parse_parameters(panel.parameters.text()) == DEFAULTS
    dialog.reject()
