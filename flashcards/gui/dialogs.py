"""Small dialogs: error reports, keyboard shortcuts, welcome, about (the note editor:
editor/note_editor.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flashcards.core.errors import FlashcardsError
from flashcards.gui.worker import OpFailure

SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Space / Enter", "Show the answer · check your choices · confirm the suggested rating"),
    ("1  2  3  4", "Again · Hard · Good · Easy"),
    ("A  B  C …", "Pick or unpick a multiple-choice option"),
    ("PgUp PgDn ↑ ↓ Home End", "Scroll a long card"),
    ("Ctrl+Z", "Undo — back to the previous card"),
    ("E  or  Ctrl+E", "Edit the card's Markdown (Ctrl+E on a multiple-choice question)"),
    ("Shift+S", "Suspend the card"),
    ("Shift+B", "Bury the card until tomorrow"),
    ("Ctrl+1 … Ctrl+4", "Flag red, orange, green, blue · Ctrl+0 clears the flag"),
    ("Esc", "Back to Today"),
    ("Ctrl+=  /  Ctrl+-", "Larger / smaller card text (View menu; also in Preferences)"),
    ("Ctrl+,", "Preferences: theme, card text size, review and scheduling options"),
    ("Space / Enter on Today", "Study what the Study button says, wherever the focus is"),
)


def shortcuts_html() -> str:
    rows = "".join(
        f'<tr><td style="padding:4px 18px 4px 0; white-space:nowrap"><b>{keys}</b></td>'
        f'<td style="padding:4px 0">{what}</td></tr>'
        for keys, what in SHORTCUTS
    )
    return f"<table cellspacing=0>{rows}</table>"


class BugReportDialog(QDialog):
    """An unexpected error: what happened and the traceback to copy into a bug report."""

    def __init__(self, failure: OpFailure, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Something went wrong")
        self.resize(680, 420)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 12)
        what = failure.label or "an operation"
        intro = QLabel(
            f"<b>An unexpected error happened during {what}.</b><br>"
            "Your cards and review history are safe; the app keeps working. "
            "Please copy the details below into a bug report.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setPlainText(failure.traceback or repr(failure.error))
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = QPushButton("Copy details", self)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())


class ErrorReporter:
    """Shows a failed operation: FlashcardsError as a warning, anything else as a bug."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent
        self.open_dialogs: list[QDialog] = []

    def __call__(self, failure: OpFailure) -> None:
        if isinstance(failure.error, FlashcardsError):
            QMessageBox.warning(self.parent, "Flashcards", str(failure.error))
            return
        dialog = BugReportDialog(failure, self.parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _: self.open_dialogs.remove(dialog))
        self.open_dialogs.append(dialog)
        dialog.open()


def show_shortcuts(parent: QWidget) -> None:
    box = QMessageBox(parent)
    box.setWindowTitle("Keyboard shortcuts")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText("<h3 style='margin:0'>Reviewing with the keyboard</h3>" + shortcuts_html())
    box.open()


def welcome_html(start: str) -> str:
    """The welcome; `start` says what Study does now (the Today page's own sentence)."""
    return (
        "<h2 style='margin-bottom:4px'>Welcome to Flashcards</h2>"
        "<p>Your decks are Markdown files; the app schedules them with FSRS so you see each "
        "card just before you would forget it. We've opened the bundled decks.</p>"
        f"<p>{start}</p>"
        "<p>Everything works from the keyboard:</p>"
        + shortcuts_html()
        + "<p style='margin-top:10px'>Help ▸ Keyboard shortcuts shows this list again.</p>"
    )


class WelcomeDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, start: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        text = self.text = QLabel(welcome_html(start), self)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        font = QFont(text.font())
        text.setFont(font)
        layout.addWidget(text)
        buttons = QDialogButtonBox(self)
        start = buttons.addButton("Let's start", QDialogButtonBox.ButtonRole.AcceptRole)
        start.setObjectName("primary")
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)


def show_about(parent: QWidget, *, version: str) -> None:
    QMessageBox.about(
        parent,
        "About Flashcards",
        f"<h3>Flashcards {version}</h3>"
        "<p>Spaced repetition for hard technical exams: decks in Markdown, "
        "scheduled by FSRS, reviewed from the keyboard.</p>",
    )
