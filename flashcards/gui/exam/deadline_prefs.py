"""Preferences ▸ Exam ▸ Scheduling for the exam date: the deadline's switch and options
for the profile chosen on the tab, and what it would cost a day — estimated on the
worker for the profile and date shown, before Save turns it on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from flashcards.core.deadline import MAX_PACE, DeadlineOptions, Workload, workload_line

Runner = Callable[..., None]  # worker.run(fn, success=…, label=…)
TARGET_DEFAULT = 69  # the recall spin's "as the preset" value, below its 70 %


@dataclass(frozen=True)
class DeadlineChanges:
    """Options to store per profile key (Save)."""

    options: dict[str, DeadlineOptions]

    def apply(self, col: Any) -> None:
        from flashcards.collection.deadline import Deadline

        deadline = Deadline(col)
        for key, options in self.options.items():
            deadline.set_options(options, key)


def load_options(col: Any) -> dict[str, DeadlineOptions]:
    """Every profile's deadline options, by key (on the worker)."""
    from flashcards.collection.deadline_plan import options_for
    from flashcards.collection.exam import Exams

    return {ref.key: options_for(col, ref.key) for ref in Exams(col).profiles()}


def estimate(
    col: Any, *, key: str, day: date | None, options: DeadlineOptions, now: datetime
) -> Workload | None:
    """The workload for a profile and a date being chosen (on the worker)."""
    from flashcards.collection.deadline import Deadline

    if day is None:
        return None
    return Deadline(col).workload(now=now, options=options, profile=key, exam_date=day)


def _add_row(form: QFormLayout, text: str, field: QWidget) -> None:
    """A row whose field keeps its own width (not stretched across the form) and whose
    label's mnemonic reaches it."""
    label = QLabel(text, field.parentWidget())
    label.setBuddy(field)
    row = QHBoxLayout()
    row.addWidget(field)
    row.addStretch(1)
    form.addRow(label, row)


class DeadlineBox(QGroupBox):
    """Shown under the exam profile and date of `ExamTab`, which it follows."""

    def __init__(self, tab: Any, parent: QWidget | None = None) -> None:
        super().__init__("Scheduling for the exam date", parent)
        self.setObjectName("deadlineBox")
        self.tab = tab
        form = QFormLayout(self)
        self.on = QCheckBox("Sc&hedule for the exam date", self)
        self.on.setObjectName("deadlineOn")
        form.addRow(self.on)
        self.buffer = QSpinBox(self)
        self.buffer.setObjectName("deadlineBuffer")
        self.buffer.setRange(0, 60)
        self.buffer.setSuffix(" days before the exam")
        _add_row(form, "&New cards done", self.buffer)
        final = QHBoxLayout()
        self.final_days = QSpinBox(self)
        self.final_days.setObjectName("deadlineFinalDays")
        self.final_days.setRange(0, 14)
        self.final_days.setPrefix("last ")
        self.final_days.setSuffix(" days")
        self.final_cards = QSpinBox(self)
        self.final_cards.setObjectName("deadlineFinalCards")
        self.final_cards.setRange(0, 500)
        self.final_cards.setSuffix(" cards a day")
        final.addWidget(self.final_days)
        final.addWidget(self.final_cards)
        final.addStretch(1)
        label = QLabel("&Final pass", self)
        label.setBuddy(self.final_days)
        form.addRow(label, final)
        self.target = QSpinBox(self)
        self.target.setObjectName("deadlineTarget")
        self.target.setRange(TARGET_DEFAULT, 99)
        self.target.setSuffix(" %")
        self.target.setSpecialValueText("the preset's desired retention")
        _add_row(form, "Recall on the exam da&y", self.target)
        self.workload = QLabel("", self)
        self.workload.setObjectName("deadlineWorkload")
        self.workload.setWordWrap(True)
        form.addRow(self.workload)
        hint = QLabel(
            "For the cards of the exam's domains, until the exam day: new cards a day rise "
            f"(never fall; at most {MAX_PACE}) so every one is seen by the days before it; "
            "no review is put off past the exam while recall on the day would fall below "
            "the target; the final pass brings back the cards you would recall least. "
            "From the exam day on, the presets schedule as before.",
            self,
        )
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        form.addRow(hint)
        self.run: Runner | None = None
        self.now: Callable[[], datetime] = lambda: datetime.now().astimezone()
        self.stored: dict[str, DeadlineOptions] = {}
        self.staged: dict[str, DeadlineOptions] = {}
        self.key: str | None = None
        self._asked = 0  # the newest estimate's number: older answers are dropped
        self.setEnabled(False)  # until the options are in
        for spin in (self.buffer, self.final_days, self.final_cards, self.target):
            spin.valueChanged.connect(self._on_form)
        self.on.toggled.connect(self._on_form)
        # The tab fills its profiles with signals blocked: its date's signals say so too.
        tab.profile.currentIndexChanged.connect(lambda _i: self._follow_tab())
        tab.has_date.toggled.connect(lambda _on: self._follow_tab(keep=True))
        tab.date.dateChanged.connect(lambda _d: self._follow_tab(keep=True))

    def set_runner(self, run: Runner, now: Callable[[], datetime]) -> None:
        self.run = run
        self.now = now

    def load(self, options: dict[str, DeadlineOptions]) -> None:
        """Every profile's stored options (from `load_options`)."""
        self.stored = dict(options)
        self.staged = dict(options)
        self.key = None
        self.setEnabled(bool(options))
        self._follow_tab()

    def _follow_tab(self, *, keep: bool = False) -> None:
        """Show the options of the profile the tab shows (`keep`: if it is the one shown,
        only estimate again: its date changed)."""
        key = self.tab.profile.currentData()
        if key is None or key not in self.staged:
            return
        if keep and key == self.key:
            self._estimate()
            return
        self.key = None  # no staging while the form is filled
        options = self.staged[key]
        self.on.setChecked(options.on)
        self.buffer.setValue(options.buffer_days)
        self.final_days.setValue(options.final_days)
        self.final_cards.setValue(options.final_per_day)
        target = options.target
        self.target.setValue(TARGET_DEFAULT if target is None else round(target * 100))
        self.key = key
        self._estimate()

    def form_options(self) -> DeadlineOptions:
        target = self.target.value()
        return DeadlineOptions(
            on=self.on.isChecked(),
            buffer_days=self.buffer.value(),
            final_days=self.final_days.value(),
            final_per_day=self.final_cards.value(),
            target=None if target == TARGET_DEFAULT else target / 100,
        )

    def _on_form(self) -> None:
        if self.key is None:
            return
        self.staged[self.key] = self.form_options()
        self._estimate()

    def _estimate(self) -> None:
        if self.key is None or self.run is None:
            return
        day = self.tab.chosen_date()
        if day is None:
            self.workload.setText("Set the exam date above to see what this costs a day.")
            return
        self._asked += 1
        asked, key = self._asked, self.key
        options = replace(self.form_options(), on=True)
        now = self.now()
        self.workload.setText("Estimating the daily workload…")
        self.run(
            lambda col: estimate(col, key=key, day=day, options=options, now=now),
            success=lambda work: self._show(asked, work, day),
            label="deadline workload",
        )

    def _show(self, asked: int, work: Workload | None, day: date) -> None:
        if asked != self._asked:
            return  # an answer to an older question
        if work is None:
            self.workload.setText("The exam day is today or past: nothing to plan.")
            return
        text = workload_line(work, exam_day=day.toordinal())
        extra = []
        if work.pulled_in:
            extra.append(f"{work.pulled_in} cards now due after the exam come before it")
        if work.final_cards:
            extra.append(f"the final pass brings back up to {work.final_cards}")
        if extra:
            more = "; ".join(extra)
            text += ". " + more[0].upper() + more[1:] + " cards."
        self.workload.setText(text)

    def changes(self) -> DeadlineChanges | None:
        """The profiles whose options Save must write, or None."""
        changed = {k: v for k, v in self.staged.items() if self.stored.get(k) != v}
        return DeadlineChanges(changed) if changed else None


__all__ = ["DeadlineBox", "DeadlineChanges", "estimate", "load_options"]
