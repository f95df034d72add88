"""Sitting a practice exam on the question page: picking options, moving, flagging,
the countdown and its warnings, saving as you go, and the confirmation before
submitting. The window starts a sitting here (`begin`) and submits it (`finish`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from flashcards.collection.practice_exam import AnswerUpdate
from flashcards.core.practice_exam import format_clock
from flashcards.gui.exam import practice_ops as ops
from flashcards.gui.exam.navigator import Cell
from flashcards.gui.exam.practice_ops import ExamLoad
from flashcards.gui.exam.practice_session import ExamSession
from flashcards.gui.exam.question_page import QuestionPage, button
from flashcards.gui.review_models import BACKGROUND

if TYPE_CHECKING:
    from flashcards.gui.exam.practice_window import PracticeExamWindow

TICK_MS = 250
_CTRL = Qt.KeyboardModifier.ControlModifier
_ALT = Qt.KeyboardModifier.AltModifier
_MOVE_KEYS = {
    Qt.Key.Key_Left: -1,
    Qt.Key.Key_P: -1,
    Qt.Key.Key_Right: 1,
    Qt.Key.Key_N: 1,
}


class SittingPane:
    """The sitting on the exam page (`session`, None between sittings)."""

    def __init__(self, window: PracticeExamWindow, page: QuestionPage) -> None:
        self.window = window
        self.page = page
        self.session: ExamSession | None = None
        self.confirm_box: QMessageBox | None = None
        self.submitting = False
        page.key_handler = self._key
        page.option_clicked.connect(self.pick)
        page.navigator.picked.connect(self.go)
        self.prev_button = button("◀ Previous", page, tip="← or P")
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.flag_button = button("Flag for review", page, tip="F")
        self.flag_button.clicked.connect(self.toggle_flag)
        self.next_button = button("Next ▶", page, tip="→ or N")
        self.next_button.clicked.connect(lambda: self.step(1))
        self.submit_button = button("Submit exam…", page, name="primary", tip="Ctrl+Enter")
        self.submit_button.clicked.connect(self.confirm_submit)
        for widget in (self.prev_button, self.flag_button, self.next_button):
            page.buttons.addWidget(widget)
        page.buttons.addStretch(1)
        page.buttons.addWidget(self.submit_button)
        page.hint.setText(
            "A–E pick an option · ← → or P N move · F flag · Del clears the answer · "
            "Ctrl+Enter submit · Esc leaves (the exam waits to be resumed)"
        )
        self.timer = QTimer(page)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)

    def begin(self, load: ExamLoad) -> None:
        """Put a sitting on the page and start its clock."""
        session = self.session = ExamSession(load, now=self.window.now())
        self.submitting = False
        page = self.page
        page.navigator.set_count(len(session))
        for position in range(len(session)):
            self._paint_cell(position)
        page.side_heading.setText(f"{load.sitting.exam} · {len(session)} questions")
        page.show_banner("", urgent=False)
        self.show_question()
        self.tick()
        self.timer.start()
        # While this question is read: the other questions' text, and the forecast to
        # set the result against (made for the moment the sitting started).
        self.window.runner.run(
            lambda _col: ops.warm_renders(load), label="render questions", priority=BACKGROUND
        )
        if load.sitting.predicted is None:
            sitting_id = load.sitting.id
            self.window.runner.run(
                lambda col: ops.predict(col, sitting_id),
                label="forecast for the practice exam",
                priority=BACKGROUND,
            )

    def show_question(self) -> None:
        session = self.session
        if session is None:
            return
        page = self.page
        question = session.question
        page.options = session.choices()
        page.show_html(session.html())
        page.title.setText(f"Question {session.current + 1} of {len(session)}")
        detail = f"Choose {question.choose}" if question.choose > 1 else "Choose one"
        if session.flagged(session.current):
            detail += " · ⚑ flagged for review"
        page.detail.setText(detail)
        page.navigator.set_current(session.current)
        flagged_now = session.flagged(session.current)
        self.flag_button.setText("Unflag" if flagged_now else "Flag for review")
        self.prev_button.setEnabled(session.current > 0)
        self.next_button.setEnabled(session.current < len(session) - 1)
        answered = len(session) - len(session.unanswered_numbers())
        page.side_note.setText(
            f"{answered} answered · {len(session) - answered} to go · "
            f"{len(session.flagged_numbers())} flagged\n\n"
            "Filled: answered · orange edge: flagged · dark edge: this question"
        )

    def _paint_cell(self, position: int) -> None:
        session = self.session
        assert session is not None
        state = Cell.ANSWERED if session.answered(position) else Cell.EMPTY
        self.page.navigator.set_cell(position, state, flagged=session.flagged(position))

    def _changed(self) -> None:
        """The question's answer or flag changed: show it and keep it."""
        assert self.session is not None
        self._paint_cell(self.session.current)
        self.show_question()
        self.save()

    # -- answering and moving -------------------------------------------------------------

    def pick(self, shown: int) -> None:
        """Pick the option at letter `shown` (0 = A)."""
        if self.session is not None and self.session.pick(shown):
            self._changed()

    def clear_answer(self) -> None:
        if self.session is not None and self.session.clear():
            self._changed()

    def toggle_flag(self) -> None:
        if self.session is not None:
            self.session.toggle_flag()
            self._changed()

    def step(self, by: int) -> None:
        """The question `by` places on (−1 the previous one)."""
        if self.session is not None:
            self.go(self.session.current + by)

    def go(self, position: int) -> None:
        session = self.session
        if session is not None and session.go(position, now=self.window.now()):
            self.show_question()

    def _key(self, event: QKeyEvent) -> bool:
        session = self.session
        if session is None:
            return False
        key = Qt.Key(event.key())
        if event.modifiers() & (_CTRL | _ALT):
            return False
        if key in _MOVE_KEYS:
            self.step(_MOVE_KEYS[key])
        elif key == Qt.Key.Key_Home:
            self.go(0)
        elif key == Qt.Key.Key_End:
            self.go(len(session) - 1)
        elif key == Qt.Key.Key_F:
            self.toggle_flag()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear_answer()
        elif Qt.Key.Key_A <= key <= Qt.Key.Key_Z:
            self.pick(int(key) - int(Qt.Key.Key_A))
        else:
            return self.page.scroll_card(key)
        return True

    # -- the clock ------------------------------------------------------------------------

    def tick(self) -> None:
        """Read the clock: the countdown, warnings at 10 and 1 minutes, time up."""
        session = self.session
        if session is None or self.submitting:
            return
        reading = session.tick(self.window.now())
        page = self.page
        if reading.left is None:
            page.clock.setText(f"{format_clock(reading.used)} (untimed)")
        else:
            page.clock.setText(f"{format_clock(reading.left)} left")
        for mark in reading.warnings:
            minutes = mark // 60
            page.show_banner(
                f"{minutes} minute{'s' if minutes != 1 else ''} left — check your flagged "
                "and unanswered questions",
                urgent=mark <= 60,
            )
            QApplication.beep()
        if reading.time_up:
            self.window.statusBar().showMessage("Time is up: your answers were submitted", 8000)
            self.window.submit()

    # -- saving, submitting, leaving ------------------------------------------------------

    def save(self) -> None:
        """Keep the answers, the question on screen and the time used."""
        session = self.session
        if session is None or self.submitting:
            return
        now = self.window.now()
        sitting_id = session.sitting.id
        current, used = session.current, session.used(now)
        answers = session.take_updates(now)
        self.window.runner.run(
            lambda col: ops.save(
                col, sitting_id, current=current, used_seconds=used, answers=answers
            ),
            failure=self.window.errors,
            label="save practice exam",
            priority=BACKGROUND,
        )

    def confirm_submit(self) -> None:
        """Ask before submitting, naming the unanswered and flagged questions."""
        session = self.session
        if session is None or self.submitting or not self.page.isVisible():
            return
        unanswered, flagged = session.unanswered_numbers(), session.flagged_numbers()
        lines = []
        if unanswered:
            lines.append(f"{len(unanswered)} unanswered: {_numbers(unanswered)}")
        if flagged:
            lines.append(f"{len(flagged)} flagged for review: {_numbers(flagged)}")
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Submit exam",
            "Submit your answers? You cannot change them afterwards.",
            QMessageBox.StandardButton.NoButton,
            self.window,
        )
        box.setInformativeText("\n".join(lines) or "Every question is answered.")
        submit = box.addButton("Submit", QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton("Keep working", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(submit)
        box.setEscapeButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _: self._confirm_closed(box.clickedButton() is submit))
        self.confirm_box = box
        box.open()

    def _confirm_closed(self, submit: bool) -> None:
        self.confirm_box = None
        if submit:
            self.window.submit()
        elif self.session is not None and not self.submitting:
            self.page.setFocus()

    def finish(self) -> tuple[int, float, tuple[AnswerUpdate, ...]] | None:
        """Stop the sitting for submission: its id, the time used and every answer."""
        session = self.session
        if session is None or self.submitting:
            return None
        self.submitting = True
        self.timer.stop()
        if self.confirm_box is not None:  # time ran out while it asked
            self.confirm_box.reject()
        now = self.window.now()
        session.pause(now)
        return session.sitting.id, session.used(now), session.take_updates(now, every=True)

    def failed(self) -> None:
        """The submission failed: the sitting goes on."""
        self.submitting = False
        if self.session is not None:
            self.session.resume(self.window.now())
            self.timer.start()

    def leave(self) -> bool:
        """The window closes: pause and keep the sitting. True if one was left waiting."""
        self.timer.stop()
        session = self.session
        waiting = session is not None and not self.submitting
        if waiting:
            assert session is not None
            session.pause(self.window.now())
            self.save()
        self.session = None
        return waiting


def _numbers(numbers: list[int], *, most: int = 20) -> str:
    """'3, 7, 12' (and 'and 4 more' past `most`)."""
    shown = ", ".join(str(n) for n in numbers[:most])
    return shown if len(numbers) <= most else f"{shown} and {len(numbers) - most} more"
