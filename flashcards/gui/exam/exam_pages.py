"""The practice exam's start page (the exam, timed or not, the sitting to resume, past
results) and its result page (pass or fail, scaled score, each domain, the time used)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from flashcards.collection.practice_exam import Sitting
from flashcards.core.practice_exam import format_clock, format_used
from flashcards.gui.exam.history_view import HistoryView
from flashcards.gui.exam.practice_ops import ExamLoad, Overview
from flashcards.gui.exam.question_page import button
from flashcards.gui.summary_page import Tile
from flashcards.gui.theme import is_dark, scaled_font


def _label(text: str, parent: QWidget, *, muted: bool = False, wrap: bool = True) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(wrap)
    if muted:
        label.setObjectName("muted")
    return label


class _Column(QScrollArea):
    """A page's column of text in a frameless scroll area: on a small screen (1024x600)
    it scrolls instead of being squeezed into overlapping lines. Never narrower than the
    column needs (nothing is cut off at the right), only less tall."""

    def __init__(self, page: QWidget, column: QVBoxLayout) -> None:
        super().__init__(page)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the page keeps its keys
        body = QWidget(self)
        body.setLayout(column)
        self.setWidget(body)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # rows came or went: the page asks for another width
        return super().eventFilter(watched, event)

    def _width(self, hint: QSize) -> int:
        return hint.width() + self.verticalScrollBar().sizeHint().width()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        body = self.widget()
        inner = body.minimumSizeHint() if body is not None else QSize(0, 0)
        return QSize(self._width(inner), min(inner.height(), 120))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        body = self.widget()
        inner = body.sizeHint() if body is not None else QSize(0, 0)
        return QSize(self._width(inner), inner.height())


class StartPage(QWidget):
    """`start_requested(timed)`, `resume_requested()`, `discard_requested()`."""

    start_requested = Signal(bool)
    resume_requested = Signal()
    discard_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.overview: Overview | None = None
        outer = QHBoxLayout(self)
        outer.setContentsMargins(40, 28, 40, 24)
        outer.setSpacing(40)
        left = QVBoxLayout()
        left.setSpacing(10)
        self.title = _label("Practice exam", self)
        self.title.setFont(scaled_font(self.font(), 1.9, weight=QFont.Weight.DemiBold))
        left.addWidget(self.title)
        self.format = _label("", self, muted=True)
        self.format.setFont(scaled_font(self.font(), 1.1))
        left.addWidget(self.format)
        left.addSpacing(8)
        self.domains = _label("", self)
        self.domains.setTextFormat(Qt.TextFormat.RichText)
        left.addWidget(self.domains)
        self.note = _label("", self, muted=True)
        left.addWidget(self.note)
        left.addSpacing(14)
        self.timed = QCheckBox("Timed", self)
        self.timed.setChecked(True)
        self.timed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        left.addWidget(self.timed)
        left.addSpacing(10)
        row = QHBoxLayout()
        self.start_button = button("Start exam", self, name="primary")
        self.start_button.setMinimumWidth(220)
        self.start_button.clicked.connect(self._primary)
        self.discard_button = button("Discard it", self, name="quiet")
        self.discard_button.clicked.connect(self.discard_requested)
        row.addWidget(self.start_button)
        row.addWidget(self.discard_button)
        row.addStretch(1)
        left.addLayout(row)
        self.resume_note = _label("", self, muted=True)
        left.addWidget(self.resume_note)
        self.hint = _label("Enter starts · Esc closes", self)
        self.hint.setObjectName("keyHint")
        left.addWidget(self.hint)
        left.addStretch(1)
        outer.addWidget(_Column(self, left), 5)
        self.history = HistoryView(self)
        outer.addWidget(self.history, 6)

    def set_overview(self, overview: Overview, *, today: date) -> None:
        self.overview = overview
        p = overview.profile
        self.title.setText(f"Practice exam: {p.name}")
        pass_share = round(p.raw_pass_share * 100)
        self.format.setText(
            f"{p.short_label} · {p.questions} questions · {p.minutes} minutes · pass mark "
            f"{p.score_pass} on a scale of {p.score_min}–{p.score_max} "
            f"(about {pass_share}% right)"
        )
        rows = "".join(
            f"<tr><td>{name}</td><td align=right style='padding-left:18px'>{asked}</td>"
            f"<td style='padding-left:18px; color:gray'>of {cards} cards</td></tr>"
            for name, (asked, cards) in overview.available.items()
        )
        self.domains.setText(
            "Questions by domain weight, from your multiple-choice cards:"
            f"<table style='margin-top:6px'>{rows}</table>"
        )
        notes = [
            "Questions you met in the last practice exam come back only after the others. "
            "Submitting feeds your answers to the schedule: a wrong answer counts as Again, "
            "a right one on a due card as Good."
        ]
        if overview.questions < p.questions:
            notes.insert(
                0,
                f"Your decks hold {overview.questions} multiple-choice questions for this exam, "
                f"so a sitting asks {overview.questions} instead of {p.questions}.",
            )
        if p.retired is not None:
            gone = "was retired" if p.retired_on(today) else "retires"
            successor = f"; its successor: {p.successors}" if p.successors else ""
            notes.append(f"This exam {gone} after {p.retired:%d %b %Y}{successor}.")
        self.note.setText("\n\n".join(notes))
        self.timed.setText(f"Timed: {p.minutes} minutes, as the real exam (untick: no clock)")
        unfinished = overview.unfinished
        self.timed.setVisible(unfinished is None)
        self.discard_button.setVisible(unfinished is not None)
        if unfinished is None:
            self.start_button.setText("Start exam")
            self.start_button.setEnabled(overview.questions > 0)
            self.resume_note.setText("")
            self.hint.setText("Enter starts · Esc closes")
        else:
            self.start_button.setText("Resume exam")
            self.start_button.setEnabled(True)
            self.resume_note.setText(resume_text(unfinished))
            self.hint.setText("Enter resumes · Esc closes (the exam waits)")
        self.history.set_history(overview.history)

    def _primary(self) -> None:
        if self.overview is not None and self.overview.unfinished is not None:
            self.resume_requested.emit()
        elif self.start_button.isEnabled():
            self.start_requested.emit(self.timed.isChecked())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self._primary()
            return
        super().keyPressEvent(event)


def resume_text(sitting: Sitting) -> str:
    """ "Started Mon 2 Mar · question 12 of 65 · 34 answered · 1:40:00 left"."""
    answered = sum(q.picked is not None for q in sitting.questions)
    local = sitting.started.astimezone()
    left = (
        "untimed"
        if sitting.limit_seconds is None
        else f"{format_clock(max(sitting.limit_seconds - sitting.used_seconds, 0))} left"
    )
    return (
        f"{sitting.exam} in progress since {local:%a} {local.day} {local:%b %H:%M} · question "
        f"{sitting.current + 1} of {len(sitting.questions)} · {answered} answered · {left}"
    )


class ResultPage(QWidget):
    """`review_requested()`; the window's Close closes it."""

    review_requested = Signal()
    close_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(40, 28, 40, 24)
        outer.setSpacing(40)
        left = QVBoxLayout()
        left.setSpacing(8)
        self.exam = _label("", self, muted=True)
        left.addWidget(self.exam)
        self.verdict = _label("", self, wrap=False)
        self.verdict.setFont(scaled_font(self.font(), 2.6, weight=QFont.Weight.Bold))
        left.addWidget(self.verdict)
        self.scaled = _label("", self)
        self.scaled.setFont(scaled_font(self.font(), 1.2))
        left.addWidget(self.scaled)
        left.addSpacing(10)
        tiles = QHBoxLayout()
        tiles.setSpacing(12)
        self.right_tile = Tile("right", self)
        self.time_tile = Tile("time used", self)
        self.predicted_tile = Tile("forecast at the start", self)
        for tile in (self.right_tile, self.time_tile, self.predicted_tile):
            tiles.addWidget(tile, 1)
        left.addLayout(tiles)
        left.addSpacing(12)
        heading = _label("By domain", self)
        heading.setFont(scaled_font(self.font(), 1.15, weight=QFont.Weight.DemiBold))
        left.addWidget(heading)
        self.domain_grid = QGridLayout()
        self.domain_grid.setHorizontalSpacing(14)
        self.domain_grid.setVerticalSpacing(6)
        left.addLayout(self.domain_grid)
        left.addSpacing(16)
        row = QHBoxLayout()
        self.review_button = button("Review answers", self, name="primary")
        self.review_button.clicked.connect(self.review_requested)
        self.close_button = button("Close", self)
        self.close_button.clicked.connect(self.close_requested)
        row.addWidget(self.review_button)
        row.addWidget(self.close_button)
        row.addStretch(1)
        left.addLayout(row)
        hint = _label("Enter or R reviews every question · Esc closes", self)
        hint.setObjectName("keyHint")
        left.addWidget(hint)
        left.addStretch(1)
        outer.addWidget(_Column(self, left), 5)
        self.history = HistoryView(self)
        outer.addWidget(self.history, 5)
        self._domain_widgets: list[QWidget] = []

    def set_result(self, load: ExamLoad) -> None:
        sitting = load.sitting
        score = sitting.score
        assert score is not None
        dark = is_dark(self.palette())
        colour = (
            ("#63c98f" if dark else "#2f8f57")
            if score.passed
            else ("#f07a7a" if dark else "#c93c3c")
        )
        local = (sitting.finished or sitting.started).astimezone()
        self.exam.setText(f"{sitting.exam} practice exam · {local:%a} {local.day} {local:%b %Y}")
        self.verdict.setText("Pass" if score.passed else "Fail")
        self.verdict.setStyleSheet(f"color: {colour};")
        unanswered = score.questions - score.answered
        self.scaled.setText(
            f"Scaled score <b>{score.scaled}</b> · pass mark {score.pass_mark} "
            f"(scale {sitting.score_min}–{sitting.score_max})"
            + (f" · {unanswered} unanswered" if unanswered else "")
        )
        self.right_tile.value.setText(f"{score.right} / {score.questions}")
        self.right_tile.caption.setText(f"right ({round(score.share * 100)}%)")
        limit = sitting.limit_seconds
        self.time_tile.value.setText(format_used(sitting.used_seconds))
        self.time_tile.caption.setText(
            f"used of {format_used(limit)}" if limit is not None else "used (untimed)"
        )
        predicted = sitting.predicted
        self.predicted_tile.setVisible(predicted is not None)
        if predicted is not None:
            self.predicted_tile.value.setText(str(round(predicted)))
        for widget in self._domain_widgets:
            widget.deleteLater()
        self._domain_widgets = []
        for row, domain in enumerate(d for d in score.domains if d.questions):
            name = _label(domain.name, self)  # a long domain name wraps on a small screen
            bar = QProgressBar(self)
            bar.setRange(0, max(domain.questions, 1))
            bar.setValue(domain.right)
            bar.setTextVisible(False)
            bar.setFixedHeight(10)
            bar.setMinimumWidth(140)
            figures = _label(
                f"{domain.right} of {domain.questions} · {round(domain.share * 100)}%",
                self,
                muted=True,
                wrap=False,
            )
            for column, widget in enumerate((name, bar, figures)):
                self.domain_grid.addWidget(widget, row, column)
                self._domain_widgets.append(widget)
        self.history.set_history(load.history)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_R):
            self.review_requested.emit()
            return
        super().keyPressEvent(event)
