"""The review screen: the passive view a session controller drives (its keys are
`review_keys.ReviewKeys`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from flashcards.core.card_templates import hint_index
from flashcards.core.model import CardId, Flag, Rating
from flashcards.core.sounds import is_sound_url
from flashcards.gui.card_text import CardText
from flashcards.gui.elided_label import ElidedLabel
from flashcards.gui.rating_bar import RatingBar
from flashcards.gui.review_keys import ReviewKeys
from flashcards.gui.review_models import (
    CardScreen,
    EditConflict,
    NoteSource,
    Progress,
    RelatedCards,
    SessionSummary,
)
from flashcards.gui.session_base import SessionController
from flashcards.gui.sound_player import CardSounds, SoundPlayer
from flashcards.gui.summary_page import SummaryPage
from flashcards.gui.theme import FLAG_COLOURS, rating_colour


class CardBrowser(CardText):
    """The card: large type, links handled by us (never navigated)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        font = self.font()
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.45)
        self.setFont(font)
        self.document().setDocumentMargin(28)


class ReviewPage(QWidget):
    """Card, progress, rating bar, summary; keys go to the controller."""

    home_requested = Signal()
    related_ready = Signal(object)  # RelatedCards
    message = Signal(str)
    card_changed = Signal(str)  # another card is on screen (its id): not a flip or a flag

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller: SessionController[Any] | None = None
        self._card_id: str | None = None  # the card on screen
        self.editor: Any = None  # the open NoteEditorDialog, if any
        self.editing: NoteSource | None = None  # what the card editor last opened
        self.ask_conflict: Callable[[str], Any] | None = None  # tests answer it
        self.disk_version: Any = None  # the lines on disk shown beside the editor
        self.sounds = CardSounds(SoundPlayer(self))
        self.keys = ReviewKeys(self)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("sessionProgress")
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setRange(0, 1000)
        outer.addWidget(self.progress_bar)
        self.pages = QStackedWidget(self)
        outer.addWidget(self.pages, 1)

        card_page = QWidget(self)
        column = QVBoxLayout(card_page)
        column.setContentsMargins(32, 14, 32, 24)
        column.setSpacing(14)
        column.addLayout(self._build_header(card_page))
        row = QHBoxLayout()
        row.addStretch(1)
        frame = QFrame(card_page)
        frame.setObjectName("cardFrame")
        frame.setMaximumWidth(920)
        frame_layout = QVBoxLayout(frame)
        frame_layout.setContentsMargins(4, 4, 4, 4)
        self.browser = CardBrowser(frame)
        self.browser.anchorClicked.connect(self._on_anchor)
        self.browser.installEventFilter(self)
        self.browser.viewport().installEventFilter(self)  # clicks on choices
        frame_layout.addWidget(self.browser)
        row.addWidget(frame, 12)
        row.addStretch(1)
        column.addLayout(row, 1)
        # A type-in card's answer box ({{type:Field}}), under the card as in Anki.
        self.type_box = QLineEdit(card_page)
        self.type_box.setObjectName("typeAnswer")
        self.type_box.setPlaceholderText("Type the answer, then Enter")
        self.type_box.setMaximumWidth(920)
        self.type_box.installEventFilter(self)  # Enter reveals (and goes no further)
        self.type_box.hide()
        column.addWidget(self.type_box, 0, Qt.AlignmentFlag.AlignHCenter)
        self.verdict = QLabel("", card_page)
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verdict.hide()
        column.addWidget(self.verdict)
        self.rating_bar = RatingBar(card_page)
        self.rating_bar.show_answer_clicked.connect(self.reveal)
        self.rating_bar.rating_clicked.connect(lambda r: self._call("answer", r))
        column.addWidget(self.rating_bar)
        self.pages.addWidget(card_page)

        self.summary_page = SummaryPage(self)
        self.summary_page.home_clicked.connect(self.home_requested)
        self.pages.addWidget(self.summary_page)

    def _build_header(self, parent: QWidget) -> QHBoxLayout:
        header = QHBoxLayout()
        header.setSpacing(8)
        # A long deck path must not widen the window nor run under the counter: it is
        # shortened in the middle, whole in its tooltip.
        self.deck_label = ElidedLabel("", parent)
        self.deck_label.setObjectName("muted")
        self.flag_label = QLabel("", parent)
        self.count_label = QLabel("", parent)
        self.count_label.setObjectName("muted")
        header.addWidget(self.flag_label)
        header.addWidget(self.deck_label, 1)
        header.addWidget(self.count_label)
        edit = QPushButton("Edit", parent)
        edit.setObjectName("quiet")
        edit.setToolTip("Edit this card's Markdown (E or Ctrl+E)")
        edit.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        edit.clicked.connect(lambda: self._call("edit"))
        self.more_button = QPushButton("More ▾", parent)
        self.more_button.setObjectName("quiet")
        self.more_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.more_menu = self._build_menu(parent)
        self.more_button.setMenu(self.more_menu)
        header.addWidget(edit)
        header.addWidget(self.more_button)
        return header

    def _build_menu(self, parent: QWidget) -> QMenu:
        menu = QMenu(parent)
        entries: list[tuple[str, str, str, tuple[object, ...]]] = [
            ("Undo", "Ctrl+Z", "undo", ()),
            ("Redo", "Ctrl+Shift+Z", "redo", ()),
            ("Edit card…", "Ctrl+E", "edit", ()),
            ("Card info…", "I", "card_info", ()),
            ("Suspend card", "Shift+S", "suspend", ()),
            ("Bury until tomorrow", "Shift+B", "bury", ()),
        ]
        for text, keys, method, args in entries:
            action = menu.addAction(text)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # keys: keyPressEvent
            action.triggered.connect(lambda _=False, m=method, a=args: self._call(m, *a))
        flags = menu.addMenu("Flag")
        for flag in Flag:
            name = "No flag" if flag is Flag.NONE else f"{flag.name.title()} flag"
            action = flags.addAction(name)
            action.setShortcut(QKeySequence(f"Ctrl+{flag.value}"))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _=False, f=flag: self._call("set_flag", f))
        replay = menu.addAction("Play sounds again")
        replay.setShortcut(QKeySequence("R"))
        replay.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        replay.triggered.connect(lambda: self.replay_sounds())
        menu.addSeparator()
        home = menu.addAction("Back to Today")
        home.setShortcut(QKeySequence("Esc"))
        home.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        home.triggered.connect(self.home_requested)
        return menu

    # -- ReviewView ------------------------------------------------------------------------

    def show_loading(self) -> None:
        """Keep the last card up: a flash of 'loading' for a 2 ms fetch is noise."""

    def show_question(self, screen: CardScreen) -> None:
        changed = screen.card_id != self._card_id
        self._show_card(screen)
        self.verdict.hide()
        self.rating_bar.show_reveal(choice=screen.is_choice)
        if screen.asks_typed_answer:
            if changed or self.type_box.isHidden():
                self.type_box.clear()
            self.type_box.setMinimumWidth(min(600, max(240, self.width() // 2)))
            self.type_box.show()
            self.type_box.setFocus()
        elif not self.type_box.isHidden():
            self.type_box.hide()
            self.setFocus()

    def show_answer(self, screen: CardScreen) -> None:
        if not self.type_box.isHidden():
            self.type_box.hide()
            self.setFocus()  # the rating keys are the page's
        self._show_card(screen)
        self.browser.scroll_to_answer()
        if screen.correct is None:
            self.verdict.hide()
        else:
            rating = Rating.GOOD if screen.correct else Rating.AGAIN
            colour = rating_colour(rating)
            text = "Correct" if screen.correct else "Not quite — the right options are marked"
            self.verdict.setText(f'<span style="color:{colour}; font-weight:600">{text}</span>')
            self.verdict.show()
        self.rating_bar.show_ratings(screen.loaded.intervals, suggested=screen.suggested)

    def show_summary(self, summary: SessionSummary) -> None:
        self._card_id = None
        self.sounds.stop()
        self.progress_bar.setValue(1000 if summary.reviewed else 0)
        self.summary_page.set_summary(summary)
        self.pages.setCurrentWidget(self.summary_page)
        self.setFocus()

    def show_progress(self, progress: Progress) -> None:
        self.progress_bar.setValue(round(progress.fraction * 1000))
        self.count_label.setText(f"{progress.done} done · {progress.left} left")
        if progress.parts is not None:
            new, learning, review = progress.parts
            self.count_label.setToolTip(
                f"Left in this session: {new} new · {learning} learning · {review} review\n"
                "A card you are still learning counts again until it is learnt for today."
            )

    def show_editor(self, source: NoteSource) -> None:
        # The deck editor's widgets, loaded on first use (Markdown and the parser are slow
        # to import; the window's start-up should not wait for them).
        from flashcards.gui.editor.note_editor import NoteEditorDialog

        self.editor = NoteEditorDialog(source, parent=self)
        self.editing = source
        self.editor.saved.connect(
            lambda text: self._call("save_edit", source.note_id, text, source.loaded)
        )
        self.editor.finished.connect(lambda _: self.setFocus())
        self.editor.open()

    def show_edit_conflict(self, conflict: EditConflict) -> None:
        # The deck editor's question, loaded on first use like the editor.
        from flashcards.gui.edit_conflict import resolve_edit_conflict
        from flashcards.gui.editor.unsaved_questions import ask_conflict

        ask = self.ask_conflict or (lambda name: ask_conflict(self, name))
        resolve_edit_conflict(self, self.editing, conflict, ask)

    def show_related(self, related: RelatedCards) -> None:
        self.related_ready.emit(related)

    def show_card_info(self, card_id: CardId) -> None:
        # The window and the collection's card_info load on first use (SQLAlchemy).
        from flashcards.gui.card_info import open_card_info

        if self.controller is not None:
            runner, now = self.controller.runner, self.controller.now
            open_card_info(self, runner, str(card_id), now=now)

    def show_message(self, text: str) -> None:
        self.message.emit(text)

    # -- internals ------------------------------------------------------------------------

    def _show_card(self, screen: CardScreen) -> None:
        view = screen.loaded.view
        if screen.card_id != self._card_id:
            self._card_id = str(screen.card_id)
            self.card_changed.emit(self._card_id)
        if self.pages.currentIndex() != 0:
            self.pages.setCurrentIndex(0)
        self.browser.set_card_html(screen.html)
        self.sounds.side_shown(screen)
        deck = getattr(view, "deck", "") or ""
        domain = getattr(view, "domain", None)
        self.deck_label.setText(
            " · ".join(p for p in (str(deck).replace("::", " › "), domain) if p)
        )
        flag = getattr(view, "flag", Flag.NONE)
        if flag and flag is not Flag.NONE:
            self.flag_label.setText(f'<span style="color:{FLAG_COLOURS[Flag(flag)]}">⚑</span>')
        else:
            self.flag_label.setText("")
        self.show_progress(screen.progress)

    def _call(self, method: str, *args: object) -> None:
        if self.controller is not None:
            getattr(self.controller, method)(*args)

    def reveal(self) -> None:
        """Show the answer, with what the answer box holds if the card asks for it."""
        if self.controller is not None:
            typed = None if self.type_box.isHidden() else self.type_box.text()
            self.controller.reveal(typed)

    def _on_anchor(self, url: QUrl) -> None:
        href = url.toString()
        hint = hint_index(href)
        if hint is not None and self.controller is not None:
            self.controller.show_hint(hint)
        elif href.startswith("card:") and self.controller is not None:
            self.controller.open_link(href)
        elif is_sound_url(href) and self.controller is not None:
            self.sounds.clicked(href, self.controller.screen)

    def replay_sounds(self) -> None:
        """R: the sounds of the side on screen, from the first."""
        if self.controller is not None:
            self.sounds.replay(self.controller.screen)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.type_box and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            # QLineEdit passes Enter on after returnPressed: it would rate the answer too.
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.reveal()
                return True
            return False
        # The card browser takes focus on click; review keys must still reach us.
        if watched is self.browser and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.matches(QKeySequence.StandardKey.Copy):
                return False
            return self.handle_key(event)
        if (
            watched is self.browser.viewport()
            and event.type() == QEvent.Type.MouseButtonRelease
            and self.keys.is_choice_question()
        ):
            assert isinstance(event, QMouseEvent)
            index = self.choice_at(event.position().toPoint())
            if index is not None and self.controller is not None:
                self.controller.toggle_choice(index)
                self.setFocus()
                return True
        return super().eventFilter(watched, event)

    def choice_at(self, point: QPoint) -> int | None:
        """The option (0-based) under a point of the card, on a multiple-choice question."""
        controller = self.controller
        if controller is None or controller.screen is None:
            return None
        cursor = self.browser.cursorForPosition(point)
        table = cursor.currentTable()
        choices = len(controller.screen.loaded.view.card.choices)
        # The options are the card's last table, one row each (the renderer's layout).
        if table is None or table.rows() != choices:
            return None
        return int(table.cellAt(cursor).row())

    def event(self, event: QEvent) -> bool:
        # Claim our keys before window-wide shortcuts (Edit ▸ Undo's Ctrl+Z) see them.
        if event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            if self._is_review_key(event):
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if not self.handle_key(event):
            super().keyPressEvent(event)

    def handle_key(self, event: QKeyEvent) -> bool:
        """Act on a review key; False if the key is not ours."""
        return self.keys.handle(event)

    def _is_review_key(self, event: QKeyEvent) -> bool:
        return self.keys.is_review_key(event)  # tests check the routing rule through this

    def open_backlink(self, card_id: CardId) -> None:
        self._call("open_related", card_id)
