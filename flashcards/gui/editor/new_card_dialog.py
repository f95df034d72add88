"""New card, for people who never want to see Markdown: deck, type, front, back,
options with correct boxes, tags. The card is written in the deck format underneath
(the generated Markdown is shown, small, for the curious)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flashcards.collection.authoring import append_note, card_markdown
from flashcards.core.errors import FlashcardsError
from flashcards.core.model import CardKind
from flashcards.gui.browser.guarded_runner import GuardedRunner
from flashcards.gui.window_geometry import fit_to_screen

KINDS = (
    (CardKind.BASIC, "Basic (front → back)"),
    (CardKind.REVERSE, "Basic and reversed"),
    (CardKind.CLOZE, "Cloze (fill in the blanks)"),
    (CardKind.CHOICE, "Multiple choice"),
)


class OptionRow(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.text = QLineEdit(self)
        self.text.setPlaceholderText("Option")
        self.correct = QCheckBox("correct", self)
        row.addWidget(self.text, 1)
        row.addWidget(self.correct)


class NewCardDialog(QDialog):
    """Adds cards to a deck; stays open for the next one. Emits `added(note_id)`."""

    added = Signal(str)

    def __init__(
        self, runner: Any, *, deck: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = GuardedRunner(runner, self)
        self._wanted_deck = deck
        self.setWindowTitle("New card")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.deck = QComboBox(self)
        self.kind = QComboBox(self)
        for kind, label in KINDS:
            self.kind.addItem(label, kind)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.title = QLineEdit(self)
        self.title.setPlaceholderText("optional: a short name (the front's first line otherwise)")
        self.front = QPlainTextEdit(self)
        self.back = QPlainTextEdit(self)
        self.cloze_button = QPushButton("Make a blank from the selection", self)
        self.cloze_button.clicked.connect(self.make_cloze)
        self.options_box = QWidget(self)
        self.options_layout = QVBoxLayout(self.options_box)
        self.options_layout.setContentsMargins(0, 0, 0, 0)
        self.options: list[OptionRow] = []
        more = QPushButton("Add option", self)
        more.clicked.connect(lambda: self.add_option())
        self.options_layout.addWidget(more)
        for _ in range(3):
            self.add_option()
        self.tags = QLineEdit(self)
        self.tags.setPlaceholderText("optional: separated by spaces or commas")
        form.addRow("Deck", self.deck)
        form.addRow("Type", self.kind)
        form.addRow("Title", self.title)
        form.addRow("Front", self.front)
        form.addRow("", self.cloze_button)
        form.addRow("Options", self.options_box)
        form.addRow("Back", self.back)
        form.addRow("Tags", self.tags)
        self.form = form
        layout.addLayout(form)
        self.markdown = QLabel("", self)
        self.markdown.setObjectName("muted")
        self.markdown.setWordWrap(True)
        self.error = QLabel("", self)
        self.error.setStyleSheet("color: #d64541;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        layout.addWidget(self.markdown)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.add_button = QPushButton("Add", self)
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add)
        close = QPushButton("Close", self)
        close.clicked.connect(self.reject)
        buttons.addWidget(self.add_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        for widget in (self.front, self.back):
            widget.textChanged.connect(self._show_markdown)
        self.title.textChanged.connect(self._show_markdown)
        self.tags.textChanged.connect(self._show_markdown)
        self._kind_changed()
        fit_to_screen(self, QSize(620, 640), key="new_card")  # its parent's settings
        self.runner.run(lambda col: col.decks(), success=self._decks_loaded, label="decks")

    def _decks_loaded(self, decks: list[Any]) -> None:
        self.deck.clear()
        for d in decks:
            self.deck.addItem(f"{d.name}  ({d.file})", d.file)
            if self._wanted_deck in (d.file, d.name):  # a file key or a deck name
                self.deck.setCurrentIndex(self.deck.count() - 1)

    def add_option(self, text: str = "", *, correct: bool = False) -> OptionRow:
        row = OptionRow(self.options_box)
        row.text.setText(text)
        row.correct.setChecked(correct)
        row.text.textChanged.connect(self._show_markdown)
        row.correct.toggled.connect(self._show_markdown)
        self.options_layout.insertWidget(len(self.options), row)
        self.options.append(row)
        return row

    def set_kind(self, kind: CardKind) -> None:
        self.kind.setCurrentIndex([k for k, _ in KINDS].index(kind))

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.form.setRowVisible(self.options_box, kind is CardKind.CHOICE)
        self.form.setRowVisible(self.cloze_button, kind is CardKind.CLOZE)
        self.front.setPlaceholderText(
            "Text with blanks: select words and press the button below"
            if kind is CardKind.CLOZE
            else "The question"
        )
        self.back.setPlaceholderText(
            "optional: extra notes shown with the answer"
            if kind in (CardKind.CLOZE, CardKind.CHOICE)
            else "The answer"
        )
        self._show_markdown()

    def make_cloze(self) -> None:
        """Wrap the selected front text in `{{…}}` (the next blank number)."""
        cursor = self.front.textCursor()
        selected = cursor.selectedText()
        if not selected:
            return
        number = self.front.toPlainText().count("{{") + 1
        cursor.insertText(f"{{{{c{number}::{selected}}}}}")
        cursor.movePosition(QTextCursor.MoveOperation.Right)
        self.front.setTextCursor(cursor)

    def card_text(self) -> str:
        """The Markdown this dialog would add (raises FlashcardsError when incomplete)."""
        return card_markdown(
            kind=self.kind.currentData(),
            front=self.front.toPlainText(),
            back=self.back.toPlainText(),
            title=self.title.text(),
            options=[(r.text.text(), r.correct.isChecked()) for r in self.options],
            tags=[self.tags.text()],
        )

    def _show_markdown(self) -> None:
        try:
            text = self.card_text()
        except FlashcardsError:
            self.markdown.setText("")
            return
        shown = text if len(text) < 600 else text[:600] + "…"
        self.markdown.setText("Written to the deck as:\n" + shown)

    def add(self) -> None:
        deck = self.deck.currentData()
        if not deck:
            self._show_error("Choose a deck (or create one first).")
            return
        try:
            text = self.card_text()
        except FlashcardsError as exc:
            self._show_error(str(exc))
            return
        self.runner.run(
            lambda col: append_note(col, deck, text),
            success=self._added,
            failure=lambda failure: self._show_error(str(failure.error)),
            label="new card",
        )

    def _added(self, note_id: str) -> None:
        self.error.hide()
        self.front.clear()
        self.back.clear()
        self.title.clear()
        for row in self.options:
            row.text.clear()
            row.correct.setChecked(False)
        self.front.setFocus()
        self.added.emit(note_id)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
