"""Small dialogs: error reports, keyboard shortcuts, welcome, about (the note editor:
editor/note_editor.py)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from flashcards.core.errors import FlashcardsError, StorageError
from flashcards.gui.shortcut_list import MAIN, REVIEW, groups_html, rows_html
from flashcards.gui.window_geometry import fit_to_screen
from flashcards.gui.worker import OpFailure

# Every key of every window lives in shortcut_list.py (add a new key's row there); the
# welcome shows the review's keys and the few a first session needs.
FIRST_KEYS = ("Space / Enter on Today", "Ctrl+= / Ctrl+-", "Ctrl+,")
SHORTCUTS: tuple[tuple[str, str], ...] = tuple((row[0], row[1]) for row in REVIEW.rows) + tuple(
    (row[0], row[1]) for row in MAIN.rows if row[0] in FIRST_KEYS
)


def shortcuts_html() -> str:
    return rows_html(SHORTCUTS)


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
        if isinstance(failure.error, StorageError):  # what to do about it, not a bug
            from flashcards.gui.data_safety import storage_error_box

            storage_error_box(self.parent, failure.error).open()
            return
        if isinstance(failure.error, FlashcardsError):
            QMessageBox.warning(self.parent, "Flashcards", str(failure.error))
            return
        dialog = BugReportDialog(failure, self.parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _: self.open_dialogs.remove(dialog))
        self.open_dialogs.append(dialog)
        dialog.open()


class ShortcutsDialog(QDialog):
    """Help ▸ Keyboard shortcuts: every key of every window, grouped by window, scrolling
    (it stays open beside the app while you try them)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 12)
        self.text = QTextBrowser(self)
        self.text.setFrameShape(QFrame.Shape.NoFrame)
        self.text.setHtml(groups_html())
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self, QSize(660, 720), key="shortcuts")  # its parent's settings


def show_shortcuts(parent: QWidget) -> ShortcutsDialog:
    """Show the list (the one already open is raised)."""
    dialog = parent.findChild(ShortcutsDialog)
    if dialog is None:
        dialog = ShortcutsDialog(parent)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def welcome_html(start: str) -> str:
    """The welcome; `start` says what Study does now (the Today page's own sentence)."""
    return (
        "<h2 style='margin-bottom:4px'>Welcome to Flashcards</h2>"
        "<p>Your decks are Markdown files; the app schedules them with FSRS so you see each "
        "card just before you would forget it. We've opened the bundled decks.</p>"
        f"<p>{start}</p>"
        "<p>Everything works from the keyboard:</p>"
        + shortcuts_html()
        + "<p style='margin-top:10px'>Help ▸ Keyboard shortcuts (F1) lists every key of "
        "every window.</p>"
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
        # A window does not ask a word-wrapped label how tall it is at its width (the
        # last lines were cut off): fix the width and say the height.
        text.setFixedWidth(max(560, 92 * text.fontMetrics().averageCharWidth()))
        text.setMinimumHeight(text.heightForWidth(text.width()))
        layout.addWidget(text)
        buttons = QDialogButtonBox(self)
        begin = buttons.addButton("Let's start", QDialogButtonBox.ButtonRole.AcceptRole)
        begin.setObjectName("primary")
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)


def about_html(*, version: str, data_dir: Path | None) -> str:
    """Help ▸ About's text: what the app is, its licence, where the collection lives and
    what it runs on (what a bug report needs)."""
    import platform

    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    folder = (
        f"<a href='{QUrl.fromLocalFile(str(data_dir)).toString()}'>{escape(str(data_dir))}</a>"
        if data_dir is not None
        else "not open yet"
    )
    return (
        f"<h3>Flashcards {escape(version)}</h3>"
        "<p>Spaced repetition for hard technical exams: decks in Markdown, "
        "scheduled by FSRS, reviewed from the keyboard.</p>"
        "<p>Free software under the MIT licence.</p>"
        f"<p>Data folder: {folder}</p>"
        f"<p>Qt {escape(qVersion())} (PySide6 {escape(pyside_version)}), "
        f"Python {escape(platform.python_version())}</p>"
    )


def show_about(parent: QWidget, *, version: str, data_dir: Path | None = None) -> QMessageBox:
    """Help ▸ About: the text can be selected and copied, and the folder opens."""
    box = QMessageBox(parent)
    box.setWindowTitle("About Flashcards")
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_html(version=version, data_dir=data_dir))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
