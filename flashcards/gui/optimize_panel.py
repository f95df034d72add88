"""Preferences ▸ Scheduling: FSRS fitted to your reviews, and desired retention measured.

Two boxes under a preset's options. *Fit to your reviews* shows the preset's 21 FSRS
parameters (editable: Anki's can be pasted) and Optimise, which fits them to the review
history of the decks ticked for the preset on the collection's worker, with a progress
bar and Cancel, then shows log loss and RMSE (bins) of the current and the fitted
parameters; better ones replace the parameters in the form and are saved (and the
cards' memory states recomputed) with the dialog. *Desired retention, measured*
simulates a year of the preset's cards at retentions 0.70–0.97 and charts reviews and
minutes a day, with the preset's retention and the one that costs least per card
remembered marked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flashcards.core.errors import FlashcardsError
from flashcards.core.optimize import Fit, ParametersError
from flashcards.core.scheduling import Preset
from flashcards.gui.job_progress import JobLife, ProgressEmitter
from flashcards.gui.job_progress import JobProgress as JobProgress
from flashcards.gui.optimize_text import fit_summary as fit_summary
from flashcards.gui.optimize_text import format_parameters as format_parameters
from flashcards.gui.optimize_text import parse_parameters as parse_parameters
from flashcards.gui.optimize_text import workload_summary
from flashcards.gui.preset_form import FieldError
from flashcards.gui.workload_chart import WorkloadChart

Context = Callable[[], tuple[Preset, list[str]]]
"""The preset as edited and the keys of the decks ticked for it (FieldError if invalid)."""


@dataclass
class _Shown:
    """What the panel showed for one preset, restored when the preset is chosen again."""

    fit_text: str = ""
    workload: Any = None  # collection.optimize.SimulationReport


class OptimizerPanel(QWidget):
    """The two boxes; `load(preset, key)` shows a preset, `read(preset)` takes the
    parameters back. `run` is the worker's `run`, `context` the edited preset."""

    edited = Signal()
    finished = Signal()  # a fit or simulation came back (or failed): for tests and shots

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run: Callable[..., int] | None = None
        self.context: Context | None = None
        self.key: int | None = None
        self._shown: dict[int, _Shown] = {}
        self._job: JobProgress | None = None
        self._life = JobLife()
        self.destroyed.connect(self._life.end)
        self._emitter = ProgressEmitter(self)
        self._emitter.progressed.connect(self._on_progress)
        self.last_fit: Fit | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._build_fit_box())
        layout.addWidget(self._build_retention_box())

    # -- building ---------------------------------------------------------------------------

    def _build_fit_box(self) -> QGroupBox:
        box = QGroupBox("Fit to your reviews (FSRS)", self)
        column = QVBoxLayout(box)
        row = QHBoxLayout()
        caption = QLabel("Para&meters:", box)
        self.parameters = QLineEdit(box)
        self.parameters.setToolTip(
            "FSRS-6's 21 parameters. Optimise fits them to your reviews; you can also "
            "paste the parameters of an Anki preset."
        )
        self.parameters.textEdited.connect(self._on_typed)
        caption.setBuddy(self.parameters)
        self.defaults = QPushButton("Defaults", box)
        self.defaults.setToolTip("FSRS's default parameters (fitted to many users)")
        self.defaults.setAutoDefault(False)
        self.defaults.clicked.connect(self._use_defaults)
        row.addWidget(caption)
        row.addWidget(self.parameters, 1)
        row.addWidget(self.defaults)
        column.addLayout(row)
        actions = QHBoxLayout()
        self.optimise_button = QPushButton("&Optimise", box)
        self.optimise_button.setToolTip(
            "Fit the parameters to the review history of this preset's decks "
            "(at least 400 reviews a day or more apart)"
        )
        self.optimise_button.setAutoDefault(False)
        self.optimise_button.clicked.connect(self.optimise)
        self.progress = QProgressBar(box)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel", box)
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        actions.addWidget(self.optimise_button)
        actions.addWidget(self.progress, 1)
        actions.addWidget(self.cancel_button)
        actions.addStretch(1)
        column.addLayout(actions)
        self.fit_result = QLabel("", box)
        self.fit_result.setWordWrap(True)
        self.fit_result.setTextFormat(Qt.TextFormat.RichText)
        self.fit_result.setObjectName("muted")
        self.fit_result.setText(
            "Optimise fits FSRS to how you remember, from this preset's review history "
            "(imported Anki history counts)."
        )
        column.addWidget(self.fit_result)
        return box

    def _build_retention_box(self) -> QGroupBox:
        box = QGroupBox("Desired retention, measured", self)
        column = QVBoxLayout(box)
        row = QHBoxLayout()
        self.simulate_button = QPushButton("Simulate a &year", box)
        self.simulate_button.setToolTip(
            "Simulate a year of this preset's cards at each desired retention from 0.70 "
            "to 0.97, with these parameters and limits and your answer habits"
        )
        self.simulate_button.setAutoDefault(False)
        self.simulate_button.clicked.connect(self.simulate)
        row.addWidget(self.simulate_button)
        row.addStretch(1)
        column.addLayout(row)
        self.retention_result = QLabel("", box)
        self.retention_result.setWordWrap(True)
        self.retention_result.setTextFormat(Qt.TextFormat.RichText)
        column.addWidget(self.retention_result)
        self.chart = WorkloadChart(box)
        self.chart.hide()
        column.addWidget(self.chart)
        return box

    # -- the preset shown ----------------------------------------------------------------------

    def load(self, preset: Preset, key: int) -> None:
        """Show `preset` (the dialog's preset `key`), with what was found for it before."""
        if self.key is not None and self.key != key:
            self.cancel()
        self.key = key
        self._set_parameters(tuple(preset.parameters))
        shown = self._shown.get(key, _Shown())
        self.fit_result.setText(
            shown.fit_text
            or "Optimise fits FSRS to how you remember, from this preset's review history "
            "(imported Anki history counts)."
        )
        self._show_workload(shown.workload)

    def read(self, preset: Preset) -> Preset:
        """`preset` with the parameters typed; `FieldError` if they are not valid."""
        try:
            values = parse_parameters(self.parameters.text())
        except ParametersError as error:
            raise FieldError(f"FSRS parameters: {error}", self.parameters) from error
        return replace(preset, parameters=values)

    def _on_typed(self, _text: str) -> None:
        self.edited.emit()

    def _use_defaults(self) -> None:
        self._set_parameters(tuple(Preset().parameters))
        self.edited.emit()

    def _set_parameters(self, values: tuple[float, ...]) -> None:
        self.parameters.setText(format_parameters(values))
        self.parameters.setCursorPosition(0)  # the first ones, the initial stabilities

    # -- jobs -----------------------------------------------------------------------------------

    def _start(self, label: str) -> JobProgress | None:
        if self.run is None or self.context is None or self._job is not None:
            return None
        self._job = JobProgress(self._emitter, self._life)
        self.optimise_button.setEnabled(False)
        self.simulate_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setFormat(label)
        self.progress.show()
        self.cancel_button.show()
        return self._job

    def _stop(self) -> None:
        self._job = None
        self.progress.hide()
        self.cancel_button.hide()
        self.optimise_button.setEnabled(True)
        self.simulate_button.setEnabled(True)

    def cancel(self) -> None:
        """Ask the running job to stop (it ends at its next progress report)."""
        if self._job is not None:
            self._job.cancelled.set()

    def busy(self) -> bool:
        return self._job is not None

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if self._job is None:
            return
        self.progress.setRange(0, max(0, total) if done < total else total)
        if total:
            self.progress.setValue(min(done, total))
        self.progress.setFormat(text)

    def _edited_context(self) -> tuple[Preset, list[str]] | None:
        assert self.context is not None
        try:
            preset, decks = self.context()
            return self.read(preset), decks
        except FieldError as error:
            self._say(self.fit_result, str(error), error=True)
            error.widget.setFocus()
            return None

    def optimise(self) -> None:
        """Fit the parameters to the history of the decks ticked for this preset."""
        if self.context is None or (edited := self._edited_context()) is None:
            return
        preset, decks = edited
        job = self._start("Reading the review history…")
        if job is None:
            return
        key = self.key
        current = tuple(preset.parameters)
        relearning = len(preset.relearning_steps)

        def work(col: Any) -> Fit:
            from flashcards.collection.optimize import fit_decks

            return fit_decks(col, decks, current=current, relearning_steps=relearning, progress=job)

        def done(fit: Fit) -> None:
            if not self._life.alive:
                return
            self._stop()
            self.last_fit = fit
            text = fit_summary(fit)
            if fit.kept and key == self.key:
                self._set_parameters(fit.fitted)
                self.edited.emit()
            self._remember(key, fit_text=text)
            if key == self.key:
                self.fit_result.setText(text)
            self.finished.emit()
            if fit.kept and key == self.key:
                self.simulate()  # the workload follows the new parameters

        assert self.run is not None  # `_start` checked
        self.run(work, success=done, failure=self._failed(self.fit_result), label="optimise FSRS")

    def simulate(self) -> None:
        """Simulate a year of the preset's cards at each desired retention."""
        if self.context is None or (edited := self._edited_context()) is None:
            return
        preset, decks = edited
        job = self._start("Simulating…")
        if job is None:
            return
        key = self.key

        def work(col: Any) -> Any:
            from flashcards.collection.optimize import simulate_preset

            return simulate_preset(col, preset=preset, decks=decks, progress=job)

        def done(report: Any) -> None:
            if not self._life.alive:
                return
            self._stop()
            self._remember(key, workload=report)
            if key == self.key:
                self._show_workload(report)
            self.finished.emit()

        assert self.run is not None  # `_start` checked
        self.run(work, success=done, failure=self._failed(self.retention_result), label="simulate")

    def _failed(self, label: QLabel) -> Callable[[Any], None]:
        def failed(failure: Any) -> None:
            if not self._life.alive:
                return
            self._stop()
            if isinstance(failure.error, FlashcardsError):
                text = str(failure.error)
                self._say(label, text[:1].upper() + text[1:] + ".", error=True)
                if label is self.retention_result:
                    self.chart.hide()
            else:
                window = self.window()
                errors = getattr(getattr(window, "main_window", None), "errors", None)
                if errors is not None:
                    errors(failure)
                else:  # pragma: no cover - the panel always lives in the Preferences
                    self._say(label, str(failure.error), error=True)
            self.finished.emit()

        return failed

    def _say(self, label: QLabel, text: str, *, error: bool = False) -> None:
        from flashcards.core.model import Rating
        from flashcards.gui.theme import rating_colour

        label.setText(
            f'<span style="color:{rating_colour(Rating.AGAIN)}">{text}</span>' if error else text
        )

    def _remember(self, key: int | None, **values: Any) -> None:
        if key is None:
            return
        shown = self._shown.setdefault(key, _Shown())
        for name, value in values.items():
            setattr(shown, name, value)

    def _show_workload(self, report: Any) -> None:
        if report is None:
            self.retention_result.setText(
                "Simulate a year shows what each desired retention costs you in reviews "
                "and minutes a day, and which costs least per card remembered."
            )
            self.retention_result.setObjectName("muted")
            self.chart.hide()
            return
        self.retention_result.setObjectName("")
        self.retention_result.setText(workload_summary(report))
        self.chart.show()
        self.chart.show_report(report)
