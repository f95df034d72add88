"""The exam line on the Today page: "MLS-C01 in 23 days · predicted 810 ± 40 · pass 64% ·
weakest: Modeling", or "Set your exam date", with its two buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from flashcards.collection.readiness import Readiness
from flashcards.gui.exam.readiness_ops import day_text, profile_note, summary_text


def _link_button(text: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName("link")
    button.setFlat(True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space and Enter stay Study's
    return button


class ExamLine(QWidget):
    """`date_requested` (set or change the date), `readiness_requested` (open the page),
    `practice_requested` (a practice exam: gui/exam/practice_launcher.py connects it)."""

    date_requested = Signal()
    readiness_requested = Signal()
    practice_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("examLine")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(10)
        self.text = QLabel("", self)
        self.text.setObjectName("examSummary")
        self.text.setWordWrap(True)
        self.text.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.date_button = _link_button("Set your exam date…", self)
        self.date_button.setObjectName("examDateButton")
        self.date_button.setToolTip("Set or change the exam date")
        self.open_button = _link_button("Readiness", self)
        self.open_button.setObjectName("readinessButton")
        self.open_button.setToolTip("Go ▸ Readiness (Ctrl+Shift+R)")
        self.practice_button = _link_button("Practice exam", self)
        self.practice_button.setObjectName("practiceExamButton")
        self.practice_button.setToolTip("Go ▸ Practice exam (Ctrl+Shift+P)")
        self.date_button.clicked.connect(self.date_requested)
        self.open_button.clicked.connect(self.readiness_requested)
        self.practice_button.clicked.connect(self.practice_requested)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.date_button)
        layout.addWidget(self.open_button)
        layout.addWidget(self.practice_button)
        self.readiness: Readiness | None = None
        self.hide()  # until a profile's forecast arrives

    def show_readiness(self, readiness: Readiness | None) -> None:
        """Show the active profile's forecast (None: the library has no exam)."""
        self.readiness = readiness
        if readiness is None:
            self.hide()
            return
        profile = readiness.profile.profile
        self.text.setText(_bold_first(summary_text(readiness), profile.short_label))
        if readiness.exam_date is None or (readiness.days_left or 0) < 0:
            self.date_button.setText("Set your exam date…")
        else:
            self.date_button.setText(f"{day_text(readiness.exam_date)}…")
        tips = [profile.name]
        if note := profile_note(readiness.profile):
            tips.append(note)
        tips.append(
            "Predicted scaled score ± one standard deviation; pass: the chance to reach "
            f"the pass mark {readiness.score.pass_mark}."
        )
        self.text.setToolTip("\n".join(tips))
        self.show()

    def set_practice_waiting(self, waiting: bool) -> None:
        """Offer to resume the practice exam left open, or to start one."""
        self.practice_button.setText("Resume practice exam" if waiting else "Practice exam")


def _bold_first(text: str, label: str) -> str:
    """The exam's code in bold, the rest as plain text (escaped)."""
    from html import escape

    if text.startswith(label):
        return f"<b>{escape(label)}</b>{escape(text[len(label) :])}"
    return escape(text)
