"""Editing one card's Markdown from the review (E): the deck editor's text widget, its
highlighting, link completion and live preview, on just that note's lines.

Saving hands the text back (`saved`); the session writes it into the deck file, and the
card keeps its review history.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from flashcards.gui.card_text import CardText
from flashcards.gui.editor.deck_editor import PREVIEW_DELAY_MS, CloseChoice, ask_close
from flashcards.gui.editor.highlighter import DeckHighlighter
from flashcards.gui.editor.markdown_edit import MarkdownEdit
from flashcards.gui.editor.preview_renderer import PreviewRenderer
from flashcards.gui.review_models import NoteSource
from flashcards.gui.theme import is_dark
from flashcards.gui.window_geometry import fit_to_screen


class NoteEditorDialog(QDialog):
    """The note's Markdown beside its rendered cards; Save (Ctrl+S) emits `saved(text)`.

    Esc or Cancel with unsaved changes asks first (`ask_close`, replaceable in tests).
    """

    saved = Signal(str)
    preview_updated = Signal()

    def __init__(self, source: NoteSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.setWindowTitle(f"Edit — {source.title}")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.ask_close: Callable[[], CloseChoice] = lambda: ask_close(self, source.title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        hint = QLabel(
            "Markdown of this card, as in its deck file. Saving rewrites these lines in "
            "the file; the card keeps its review history.",
            self,
        )
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)

        self.edit = MarkdownEdit(self)
        self.highlighter = DeckHighlighter(self.edit.document(), dark=is_dark())
        self.edit.set_titles(source.titles)
        self.edit.setPlainText(source.text)
        self.edit.document().setModified(False)
        # The cards as the review shows them: the theme's colours, no break hints copied.
        self.preview = CardText(self, soft_rules=False)
        self.preview.setOpenLinks(False)
        self.preview.setFrameShape(QFrame.Shape.NoFrame)
        self.preview.document().setDocumentMargin(14)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.edit)
        self.splitter.addWidget(self.preview)
        self.splitter.setSizes([560, 480])
        layout.addWidget(self.splitter, 1)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setToolTip("Save (Ctrl+S)")
        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.activated.connect(self.save)

        self.renderer = PreviewRenderer(self)
        self.renderer.rendered.connect(self._rendered)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.render_preview)
        self.edit.textChanged.connect(self._timer.start)
        self.edit.cursorPositionChanged.connect(self._timer.start)  # another card of the note
        self.finished.connect(lambda _result: self._stop())
        fit_to_screen(self, QSize(1080, 640), key="note_editor")  # its parent's settings
        self.render_preview()
        self.edit.setFocus()

    @property
    def modified(self) -> bool:
        return self.edit.document().isModified()

    def render_preview(self) -> None:
        """Render the card under the cursor (every card of the note) off the GUI thread."""
        self._timer.stop()
        self.renderer.request(
            self.edit.toPlainText(),
            key=self.source.deck,
            line=self.edit.textCursor().blockNumber() + 1,
            whole=False,
            base_dir=self.source.base_dir,
            media_root=self.source.media_root,
        )

    def _rendered(self, _token: int, page: str) -> None:
        self.preview.set_card_html(page)
        self.preview_updated.emit()

    def save(self) -> None:
        self.edit.document().setModified(False)
        self.saved.emit(self.edit.toPlainText())
        self.accept()

    def reject(self) -> None:
        if self.modified:
            choice = self.ask_close()
            if choice is CloseChoice.CANCEL:
                return
            if choice is CloseChoice.SAVE:
                self.save()
                return
        super().reject()

    def _stop(self) -> None:
        self._timer.stop()
        self.renderer.shutdown()
