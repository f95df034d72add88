"""The practice-exam window: start (or resume) a sitting of the active exam, sit it
against the clock, see the result, review every question.

Keyboard first: A–E pick an option, ←/→ or P/N move, F flags, Ctrl+Enter submits
(after a confirmation naming the unanswered and flagged questions). Closing the
window mid-exam pauses it; the next opening offers to resume where it was left.
The window reads the time only through `now`, so tests drive the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QStackedWidget, QWidget

from flashcards.gui.close_keys import add_close_keys
from flashcards.gui.dialogs import ErrorReporter
from flashcards.gui.exam import practice_ops as ops
from flashcards.gui.exam.exam_pages import ResultPage, StartPage
from flashcards.gui.exam.navigator import navigator_style
from flashcards.gui.exam.practice_ops import ExamLoad, Overview
from flashcards.gui.exam.practice_session import ExamSession
from flashcards.gui.exam.question_page import QuestionPage
from flashcards.gui.exam.review_pane import ReviewPane
from flashcards.gui.exam.sitting_pane import SittingPane
from flashcards.gui.theme import is_dark
from flashcards.gui.window_geometry import fit_to_screen

SUBMIT_KEYS = "Ctrl+Return"


def _utc_now() -> datetime:
    return datetime.now(UTC)


class PracticeExamWindow(QMainWindow):
    """Runs on the app's collection worker (`runner.run(fn, success=…)`)."""

    changed = Signal(object)  # the Change a submission made to the schedule
    progress_changed = Signal(bool)  # whether a sitting is left in progress
    browse_requested = Signal(str)  # a search for the card browser
    edit_requested = Signal(str, int)  # deck key, line: the deck editor there

    def __init__(
        self,
        runner: Any,
        *,
        now: Callable[[], datetime] = _utc_now,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.runner = runner
        self.now = now
        self.settings = settings
        self.errors = ErrorReporter(self)
        self.setWindowTitle("Practice exam")
        self.overview: Overview | None = None
        self.result: ExamLoad | None = None  # the finished sitting shown

        self.stack = QStackedWidget(self)
        self.start_page = StartPage(self)
        self.exam_page = QuestionPage(self)
        self.result_page = ResultPage(self)
        self.review_page = QuestionPage(self)
        for page in (self.start_page, self.exam_page, self.result_page, self.review_page):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)
        self.setStyleSheet(navigator_style(dark=is_dark(self.palette())))
        self.sitting = SittingPane(self, self.exam_page)
        self.review = ReviewPane(self, self.review_page)

        self.start_page.start_requested.connect(self.start_exam)
        self.start_page.resume_requested.connect(self.resume)
        self.start_page.discard_requested.connect(self.discard)
        self.start_page.history.review_requested.connect(self.open_result)
        self.result_page.review_requested.connect(lambda: self.review.show(0))
        self.result_page.close_requested.connect(self.close)
        self.result_page.history.review_requested.connect(self.open_result)

        self.submit_action = QAction("Submit exam…", self)
        self.submit_action.setShortcut(QKeySequence(SUBMIT_KEYS))
        self.submit_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.submit_action.triggered.connect(lambda _=False: self.sitting.confirm_submit())
        self.submit_action.setEnabled(False)
        self.addAction(self.submit_action)
        add_close_keys(self, step_back=self._step_back)
        self.statusBar().setSizeGripEnabled(False)
        fit_to_screen(self, QSize(1280, 760), settings=settings, key="practice_exam")

    # -- loading --------------------------------------------------------------------------

    def load(self) -> None:
        """Show the start page of the active exam (and its past results)."""
        now = self.now()
        self.runner.run(
            lambda col: ops.overview(col, now=now),
            success=self._show_overview,
            failure=self.errors,
            label="practice exam",
        )

    def _show_overview(self, overview: Overview | None) -> None:
        self.overview = overview
        if overview is None:
            self.start_page.title.setText("No exam profile")
            self.start_page.format.setText(
                "Practice exams need an exam.toml beside your decks (see the README)."
            )
            self.start_page.start_button.setEnabled(False)
        else:
            self.setWindowTitle(f"Practice exam — {overview.profile.short_label}")
            self.start_page.set_overview(overview, today=self.now().astimezone().date())
            self.progress_changed.emit(overview.unfinished is not None)
        self.stack.setCurrentWidget(self.start_page)
        self.start_page.setFocus()

    def start_exam(self, timed: bool = True) -> None:
        now = self.now()
        self.runner.run(
            lambda col: ops.start(col, now=now, timed=timed),
            success=self._begin,
            failure=self.errors,
            label="start practice exam",
        )

    def resume(self) -> None:
        now = self.now()
        self.runner.run(
            lambda col: ops.resume(col, now=now),
            success=lambda load: self._begin(load) if load is not None else self.load(),
            failure=self.errors,
            label="resume practice exam",
        )

    def discard(self) -> None:
        """Throw the unfinished sitting away, after asking."""
        overview = self.overview
        if overview is None or overview.unfinished is None:
            return
        sitting_id = overview.unfinished.id
        answer = QMessageBox.question(
            self,
            "Discard practice exam",
            "Discard the practice exam in progress? Its answers are not kept.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Discard:
            return
        self.runner.run(
            lambda col: ops.discard(col, sitting_id),
            success=lambda _: self.load(),
            failure=self.errors,
            label="discard practice exam",
        )

    def open_result(self, sitting_id: int) -> None:
        """A past sitting's result (from the history table)."""
        now = self.now()
        self.runner.run(
            lambda col: ops.open_sitting(col, sitting_id, now=now),
            success=self._show_result,
            failure=self.errors,
            label="practice exam result",
        )

    # -- sitting the exam -------------------------------------------------------------------

    @property
    def session(self) -> ExamSession | None:
        """The sitting on screen (None once submitted or left)."""
        return self.sitting.session

    @property
    def confirm_box(self) -> QMessageBox | None:
        return self.sitting.confirm_box

    def go(self, position: int) -> None:
        self.sitting.go(position)

    def tick(self) -> None:
        self.sitting.tick()

    def _begin(self, load: ExamLoad) -> None:
        self.result = None
        self.review.reset()
        self.submit_action.setEnabled(True)
        self.stack.setCurrentWidget(self.exam_page)
        self.sitting.begin(load)
        self.exam_page.setFocus()
        self.progress_changed.emit(True)

    def submit(self) -> None:
        """Score the sitting and show the result (time up submits without asking)."""
        finished = self.sitting.finish()
        if finished is None:
            return
        sitting_id, used, answers = finished
        self.submit_action.setEnabled(False)
        now = self.now()

        def done(result: tuple[ExamLoad, Any]) -> None:
            load, change = result
            self.sitting.session = None
            self.progress_changed.emit(False)
            self.changed.emit(change)
            self._show_result(load)

        def failed(failure: Any) -> None:
            self.sitting.failed()
            self.submit_action.setEnabled(True)
            self.errors(failure)

        self.runner.run(
            lambda col: ops.submit(col, sitting_id, now=now, used_seconds=used, answers=answers),
            success=done,
            failure=failed,
            label="submit practice exam",
        )

    def _show_result(self, load: ExamLoad) -> None:
        self.result = load
        self.setWindowTitle(f"Practice exam — {load.sitting.exam}: result")
        self.result_page.set_result(load)
        self.stack.setCurrentWidget(self.result_page)
        self.result_page.setFocus()

    # -- leaving --------------------------------------------------------------------------

    def _step_back(self) -> bool:
        """Esc: from the review back to the result; elsewhere the window closes."""
        if self.stack.currentWidget() is self.review_page and self.result is not None:
            self.stack.setCurrentWidget(self.result_page)
            self.result_page.setFocus()
            return True
        if self.sitting.confirm_box is not None:
            self.sitting.confirm_box.reject()
            return True
        return False

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Leaving mid-exam pauses it: answers, the question and the time are kept."""
        if self.sitting.leave():
            self.progress_changed.emit(True)
        super().closeEvent(event)
