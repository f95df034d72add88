"""The deck editor: a whole deck file as Markdown with highlighting, a live preview,
link completion, atomic saves that keep history, and a watch on the file so changes
made elsewhere are picked up (or, with unsaved work, asked about — never lost: the
questions are `unsaved_questions.py`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QFileSystemWatcher, QRect, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QToolBar,
    QWidget,
)

from flashcards.collection.browse import card_titles
from flashcards.collection.editing import DeckChangedError, SavedDeck, read_deck, save_deck_text
from flashcards.core.errors import FlashcardsError
from flashcards.gui.browser.guarded_runner import GuardedRunner
from flashcards.gui.card_text import CardText
from flashcards.gui.close_keys import add_close_keys
from flashcards.gui.editor.highlighter import DeckHighlighter
from flashcards.gui.editor.markdown_edit import MarkdownEdit
from flashcards.gui.editor.preview_renderer import PreviewRenderer
from flashcards.gui.editor.unsaved_questions import CloseChoice as CloseChoice
from flashcards.gui.editor.unsaved_questions import ConflictChoice as ConflictChoice
from flashcards.gui.editor.unsaved_questions import ask_close as ask_close
from flashcards.gui.editor.unsaved_questions import ask_conflict as ask_conflict
from flashcards.gui.editor.written_back import LineEdit, written_back
from flashcards.gui.review_ops import media_root_of
from flashcards.gui.theme import is_dark
from flashcards.gui.window_geometry import fit_rect, fit_to_screen

PREVIEW_DELAY_MS = 150


def text_of(data: bytes) -> str:
    """Deck bytes as editor text (BOM dropped, LF line endings)."""
    return data.decode("utf-8-sig", errors="replace").replace("\r\n", "\n")


class DeckEditor(QMainWindow):
    """Edit deck file `key`; database work goes through `runner` (the app's worker)."""

    loaded = Signal()
    saved = Signal(object)  # SavedDeck
    changed = Signal(object)  # a Change other screens should show (saves, outside edits)
    preview_updated = Signal()

    def __init__(
        self,
        runner: Any,
        *,
        key: str,
        line: int = 0,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = GuardedRunner(runner, self)
        self.key = key
        self.path: Path | None = None
        self.media_root: Path | None = None  # the library folder the deck is in
        self.base: bytes | None = None  # the file's bytes as last loaded or saved
        self._start_line = line
        self._saving = False
        self._close_after_save = False
        self.others: list[QWidget] = []  # "show both" windows
        self.ask_conflict: Callable[[], ConflictChoice] = lambda: ask_conflict(self, key)
        self.ask_close: Callable[[], CloseChoice] = lambda: ask_close(self, key)
        self.setWindowTitle(f"{key} — Deck editor")

        self.edit = MarkdownEdit(self)
        self.highlighter = DeckHighlighter(self.edit.document(), dark=is_dark())
        self.preview = CardText(self, soft_rules=False)
        self.preview.setOpenLinks(False)
        self.preview.setFrameShape(QFrame.Shape.NoFrame)
        self.preview.document().setDocumentMargin(18)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.edit)
        self.splitter.addWidget(self.preview)
        self.splitter.setSizes([680, 560])
        self.setCentralWidget(self.splitter)
        self.status = QLabel("", self)
        self.statusBar().addWidget(self.status, 1)

        self.renderer = PreviewRenderer(self)
        self.renderer.rendered.connect(self._rendered)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.render_preview)
        self.edit.textChanged.connect(self._timer.start)
        self.edit.cursorPositionChanged.connect(self._cursor_moved)
        self.edit.modificationChanged.connect(self._update_title)
        self._last_line = -1

        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._file_changed)
        self._build_toolbar()
        add_close_keys(self)  # closing asks about unsaved changes (closeEvent)
        fit_to_screen(self, QSize(1240, 780), settings=settings, key="editor")

    def _build_toolbar(self) -> None:
        bar = QToolBar("Editor", self)
        bar.setMovable(False)
        self.save_action = self._action(bar, "Save", QKeySequence.StandardKey.Save, self.save)
        self._action(bar, "New card", "Ctrl+N", self.edit.insert_new_card)
        bar.addSeparator()
        self.whole = QCheckBox("Preview whole deck", self)
        self.whole.toggled.connect(lambda _on: self.render_preview())
        bar.addWidget(self.whole)
        self.addToolBar(bar)

    def _action(self, bar: QToolBar, text: str, keys: Any, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _=False: slot())
        bar.addAction(action)
        return action

    # -- loading --------------------------------------------------------------------------

    def load(self) -> None:
        """Read the file and the card titles (for completion) through the runner."""
        key = self.key

        def fetch(col: Any) -> tuple[str, bytes, str, list[str], Path | None]:
            text, data = read_deck(col, key)
            root = media_root_of(col, key)
            return text, data, str(col.deck_path(key)), card_titles(col), root

        self.runner.run(fetch, success=self._loaded, failure=self._failed, label="open deck")

    def _loaded(self, result: tuple[str, bytes, str, list[str], Path | None]) -> None:
        text, data, path, titles, self.media_root = result
        self.path = Path(path)
        self.base = data
        self.edit.setPlainText(text)
        self.edit.document().setModified(False)
        self.edit.set_titles(titles)
        if self.watcher.files():
            self.watcher.removePaths(self.watcher.files())
        self.watcher.addPath(path)
        if self._start_line > 0:
            self.go_to_line(self._start_line)
        self.render_preview()
        self._update_title(False)
        self.loaded.emit()

    def go_to_line(self, line: int) -> None:
        block = self.edit.document().findBlockByNumber(max(line - 1, 0))
        cursor = QTextCursor(block)
        self.edit.setTextCursor(cursor)
        self.edit.centerCursor()

    @property
    def modified(self) -> bool:
        return self.edit.document().isModified()

    def _update_title(self, modified: bool) -> None:
        self.setWindowTitle(f"{'• ' if modified else ''}{self.key} — Deck editor")

    # -- preview --------------------------------------------------------------------------

    def _cursor_moved(self) -> None:
        line = self.edit.textCursor().blockNumber()
        if line != self._last_line and not self.whole.isChecked():
            self._last_line = line
            self._timer.start()

    def render_preview(self) -> None:
        """Ask for a preview of the card under the cursor (or the whole deck)."""
        self._timer.stop()
        self.renderer.request(
            self.edit.toPlainText(),
            key=self.key,
            line=self.edit.textCursor().blockNumber() + 1,
            whole=self.whole.isChecked(),
            base_dir=self.path.parent if self.path else None,
            media_root=self.media_root,
        )

    def _rendered(self, _token: int, page: str) -> None:
        bar = self.preview.verticalScrollBar()
        keep = bar.value() if self.whole.isChecked() else 0
        self.preview.set_card_html(page)
        bar.setValue(keep)
        self.preview_updated.emit()

    # -- saving ---------------------------------------------------------------------------

    def save(self) -> None:
        """Write the file atomically and re-sync (history kept); conflicts are asked about."""
        if self.base is None or self._saving:
            return
        self._saving = True
        text, base, key = self.edit.toPlainText(), self.base, self.key

        def write(col: Any) -> tuple[SavedDeck, list[str]]:
            # Deleted on disk since it was opened: the save writes it again, as the
            # status line says (an absent file reads as empty), with no conflict asked.
            gone = not col.deck_path(key).exists()
            saved = save_deck_text(col, key, text, base=b"" if gone else base)
            return saved, card_titles(col)  # the titles just saved complete `[[` too

        self.status.setText("Saving…")
        self.runner.run(
            write,
            success=lambda result: self._saved(text, *result),
            failure=self._save_failed,
            label="save deck",
        )

    def _saved(self, sent: str, saved: SavedDeck, titles: list[str]) -> None:
        """The save of `sent` is done; the user may have typed on meanwhile, which
        stays (and stays unsaved), with the ids the save wrote back merged in."""
        self._saving = False
        self.base = saved.data
        self.edit.set_titles(titles)
        new_text = text_of(saved.data)
        current = self.edit.toPlainText()
        edits = written_back(sent, new_text, current)
        if edits is None and current == sent:
            self._replace_text(new_text)
        elif edits:
            self._apply_edits(edits)  # ids written back for new headings
        typed_since = self.edit.toPlainText() != new_text
        self.edit.document().setModified(typed_since)
        cards = f"Saved · {len(saved.change.cards)} cards"
        self.status.setText(
            f"{cards}; what you typed since is not saved yet" if typed_since else cards
        )
        self._rewatch()
        self.saved.emit(saved)
        self.changed.emit(saved.change)
        if self._close_after_save:
            self._close_after_save = False
            if not typed_since:  # else the window stays: that text is not on disk
                QTimer.singleShot(0, self.close)  # not from inside the closeEvent that saved

    def _save_failed(self, failure: Any) -> None:
        self._saving = False
        self._close_after_save = False
        error = failure.error
        if isinstance(error, DeckChangedError):
            self.status.setText("")
            self._conflict(error.disk)
            return
        self._failed(failure)

    def _failed(self, failure: Any) -> None:
        error = failure.error
        if isinstance(error, FlashcardsError):
            self.status.setText(f"<span style='color:#d64541'>{error}</span>")
            QMessageBox.warning(self, "Flashcards", str(error))
            return
        handler = getattr(self.runner, "default_failure", None)
        if handler is not None:
            handler(failure)

    def _apply_edits(self, edits: list[LineEdit]) -> None:
        """Line edits (bottom up) in one undoable step; the user's cursor stays put."""
        doc = self.edit.document()
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        for edit in edits:
            start = doc.findBlockByNumber(edit.line).position()
            cursor.setPosition(start + edit.start)
            cursor.setPosition(start + edit.end, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(edit.text)
        cursor.endEditBlock()

    def _replace_text(self, text: str) -> None:
        """New text in one undoable step, keeping the cursor line and the scroll."""
        line = self.edit.textCursor().blockNumber()
        column = self.edit.textCursor().positionInBlock()
        scroll = self.edit.verticalScrollBar().value()
        cursor = QTextCursor(self.edit.document())
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        block = self.edit.document().findBlockByNumber(line)
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + min(column, max(block.length() - 1, 0)))
        self.edit.setTextCursor(cursor)
        self.edit.verticalScrollBar().setValue(scroll)

    # -- changes on disk ------------------------------------------------------------------

    def _rewatch(self) -> None:
        # An atomic replace (ours or another editor's) drops the watch: add it again.
        if (
            self.path is not None
            and self.path.exists()
            and str(self.path) not in self.watcher.files()
        ):
            self.watcher.addPath(str(self.path))

    def _file_changed(self, _path: str) -> None:
        self._rewatch()
        if self._saving or self.path is None:
            return  # our own write; `_saved` records the new bytes
        try:
            disk = self.path.read_bytes()
        except OSError:
            self.status.setText(f"{self.key} is gone from disk; Save writes it again")
            return
        self.check_disk(disk)

    def check_disk(self, disk: bytes) -> None:
        """React to the file's bytes on disk differing from what was loaded."""
        if disk == self.base:
            return
        if not self.modified:
            self._take_disk(disk)
            return
        self._conflict(disk)

    def _take_disk(self, disk: bytes) -> None:
        self.base = disk
        self._replace_text(text_of(disk))
        self.edit.document().setModified(False)
        self.status.setText("Reloaded: the file was changed outside the app")

        def sync(col: Any) -> tuple[Any, list[str]]:
            return col.sync(), card_titles(col)

        def synced(result: tuple[Any, list[str]]) -> None:
            self.edit.set_titles(result[1])
            self.changed.emit(result[0].change())

        self.runner.run(sync, success=synced, label="sync")

    def _conflict(self, disk: bytes) -> None:
        choice = self.ask_conflict()
        if choice is ConflictChoice.RELOAD:
            self._take_disk(disk)
            return
        # Keep mine: the disk version becomes the base, so the next save replaces it.
        self.base = disk
        self.edit.document().setModified(True)
        if choice is ConflictChoice.SHOW_BOTH:
            self.show_disk_version(disk)
        self.status.setText("Kept your version; saving will replace the file on disk")

    def show_disk_version(self, disk: bytes) -> QPlainTextEdit:
        """The file as it is on disk, read-only, in a window beside the editor."""
        other = QPlainTextEdit()
        other.setWindowTitle(f"{self.key} — on disk (read-only)")
        other.setPlainText(text_of(disk))
        other.setReadOnly(True)
        other.setFont(self.edit.font())
        beside = QRect(self.x() + self.width() // 2, self.y() + 30, 640, self.height())
        other.setGeometry(fit_rect(beside.size(), self.screen().availableGeometry(), saved=beside))
        other.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        other.destroyed.connect(
            lambda _=None: self.others.remove(other) if other in self.others else None
        )
        self.others.append(other)
        other.show()
        return other

    # -- closing --------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        # The theme was switched: the Markdown colours follow (the preview follows itself).
        if event.type() == QEvent.Type.PaletteChange and is_dark() != self.highlighter.dark:
            self.highlighter.setDocument(None)
            self.highlighter = DeckHighlighter(self.edit.document(), dark=is_dark())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if self.modified and not self._close_after_save:
            choice = self.ask_close()
            if choice is CloseChoice.CANCEL:
                event.ignore()
                return
            if choice is CloseChoice.SAVE:
                self._close_after_save = True
                self.save()
                event.ignore()  # closes when the save succeeds
                return
        elif self.modified:
            event.ignore()  # a save is still running
            return
        self._timer.stop()
        self.renderer.shutdown()
        for other in list(self.others):
            other.close()
        super().closeEvent(event)
