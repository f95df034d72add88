"""The editor's text widget: monospace Markdown, `[[link]]` completion from card
titles, and a new-card template inserted after the card under the cursor."""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QFontDatabase, QKeyEvent, QTextCursor
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QPlainTextEdit, QWidget

from flashcards.core.links import link_title
from flashcards.core.literal import mask_text

NEW_CARD_TEMPLATE = "## New card\nQuestion text (optional)\n?\nAnswer.\n"
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_OPEN_LINK = re.compile(r"\[\[([^\[\]\n|#]*)$")


class MarkdownEdit(QPlainTextEdit):
    """A plain-text editor that knows a little about the deck format."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.1)
        self.setFont(font)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self.titles = QStringListModel(self)
        self.completer = QCompleter(self.titles, self)
        self.completer.setWidget(self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.activated.connect(self.insert_completion)

    def _popup(self) -> QAbstractItemView:
        popup = self.completer.popup()
        assert popup is not None  # QCompleter always makes one
        return popup

    def set_titles(self, titles: Sequence[str]) -> None:
        self.titles.setStringList(list(titles))

    def link_prefix(self) -> str | None:
        """The text typed after an unclosed `[[` before the cursor, if any."""
        cursor = self.textCursor()
        line = cursor.block().text()[: cursor.positionInBlock()]
        match = _OPEN_LINK.search(line)
        return match.group(1) if match else None

    def insert_completion(self, title: str) -> None:
        prefix = self.link_prefix()
        if prefix is None:
            return
        cursor = self.textCursor()
        cursor.movePosition(
            QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, len(prefix)
        )
        after = cursor.block().text()[cursor.positionInBlock() + len(prefix) :]
        closing = "" if after.startswith("]]") else "]]"
        cursor.insertText(link_title(title) + closing)  # `\|`: a bar would start the text
        if not closing:
            cursor.movePosition(QTextCursor.MoveOperation.Right, n=2)
        self.setTextCursor(cursor)
        self._popup().hide()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        popup = self._popup()
        if popup.isVisible() and event.key() in (
            Qt.Key.Key_Enter,
            Qt.Key.Key_Return,
            Qt.Key.Key_Tab,
            Qt.Key.Key_Escape,
        ):
            event.ignore()  # the completer's popup takes these
            return
        super().keyPressEvent(event)
        self.update_completion()

    def update_completion(self) -> None:
        """Show (or hide) the title list while a `[[link` is being typed."""
        prefix = self.link_prefix()
        popup = self._popup()
        if prefix is None:
            popup.hide()
            return
        self.completer.setCompletionPrefix(prefix)
        if self.completer.completionCount() == 0:
            popup.hide()
            return
        popup.setCurrentIndex(self.completer.completionModel().index(0, 0))
        rect = self.cursorRect()
        rect.setWidth(
            popup.sizeHintForColumn(0) + popup.verticalScrollBar().sizeHint().width() + 16
        )
        self.completer.complete(rect)

    def insert_new_card(self) -> None:
        """Insert the new-card template after the card under the cursor; select its title."""
        doc = self.document()
        # Fences and comments as the parser reads them, from the top of the file: the
        # cursor may be inside a code block whose closing fence is below it.
        masked = mask_text(doc.toPlainText()).split("\n")
        number = self.textCursor().blockNumber() + 1
        while number < len(masked) and not _HEADING.match(masked[number]):
            number += 1
        block = doc.findBlockByNumber(number)
        cursor = QTextCursor(doc)
        if block.isValid():
            start = block.position()
            cursor.setPosition(start)
            cursor.insertText(NEW_CARD_TEMPLATE + "\n")
        else:
            cursor.movePosition(QTextCursor.MoveOperation.End)
            text = doc.toPlainText()
            lead = "" if text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
            cursor.insertText(lead + NEW_CARD_TEMPLATE)
            start = cursor.position() - len(NEW_CARD_TEMPLATE)
        select = QTextCursor(doc)
        select.setPosition(start + 3)
        select.setPosition(start + 3 + len("New card"), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(select)
        self.ensureCursorVisible()
