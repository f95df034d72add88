"""New deck, for people who never want to see Markdown: a title, a domain, a folder."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from flashcards.collection.authoring import new_deck
from flashcards.gui.browser.guarded_runner import GuardedRunner
from flashcards.gui.window_geometry import fit_to_screen


def _choices(col: Any) -> tuple[list[str], list[str]]:
    decks = col.decks()
    domains = sorted({d.domain for d in decks if d.domain})
    folders = sorted({d.file.rsplit("/", 1)[0] for d in decks if "/" in d.file})
    return domains, folders


class NewDeckDialog(QDialog):
    """Creates `folder/slug.md` with front matter; emits `created(key)`."""

    created = Signal(str)

    def __init__(self, runner: Any, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = GuardedRunner(runner, self)
        self.setWindowTitle("New deck")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.title = QLineEdit(self)
        self.title.setPlaceholderText("e.g. SageMaker built-in algorithms")
        self.domain = QComboBox(self)
        self.domain.setEditable(True)
        self._placeholder(self.domain, "optional: the exam domain it belongs to")
        self.folder = QComboBox(self)
        self.folder.setEditable(True)
        self._placeholder(self.folder, "optional: a folder in your library")
        self.description = QPlainTextEdit(self)
        self.description.setPlaceholderText("optional: what this deck covers")
        form.addRow("Title", self.title)
        form.addRow("Domain", self.domain)
        form.addRow("Folder", self.folder)
        form.addRow("Description", self.description)
        layout.addLayout(form)
        self.error = QLabel("", self)
        self.error.setStyleSheet("color: #d64541;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create deck")
        self.buttons.accepted.connect(self.create_deck)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        fit_to_screen(self, QSize(480, 360), key="new_deck")  # its parent's settings
        self.runner.run(_choices, success=self._choices_loaded, label="deck choices")

    @staticmethod
    def _placeholder(combo: QComboBox, text: str) -> None:
        edit = combo.lineEdit()
        if edit is not None:
            edit.setPlaceholderText(text)

    def _choices_loaded(self, result: tuple[list[str], list[str]]) -> None:
        domains, folders = result
        self.domain.addItems(["", *domains])
        self.folder.addItems(["", *folders])

    def create_deck(self) -> None:
        title = self.title.text().strip()
        if not title:
            self._show_error("Give the deck a title.")
            return
        domain = self.domain.currentText().strip() or None
        folder = self.folder.currentText().strip().strip("/")
        description = self.description.toPlainText()
        self.runner.run(
            lambda col: new_deck(
                col, title=title, domain=domain, folder=folder, description=description
            ),
            success=self._created,
            failure=lambda failure: self._show_error(str(failure.error)),
            label="new deck",
        )

    def _created(self, key: str) -> None:
        self.created.emit(key)
        self.accept()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
