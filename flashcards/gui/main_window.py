"""The main window: sidebar of decks, Today page, review screen, related-card panel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from flashcards import __version__
from flashcards.gui import appearance, data_safety, file_actions, review_ops
from flashcards.gui.deck_tree import DeckTree, Scope
from flashcards.gui.dialogs import ErrorReporter, WelcomeDialog, show_about, show_shortcuts
from flashcards.gui.home_page import HomePage
from flashcards.gui.related_panel import RelatedPanel
from flashcards.gui.render_ahead_job import RenderAheadJob
from flashcards.gui.review_controller import ReviewController
from flashcards.gui.review_models import BACKGROUND, RelatedCards
from flashcards.gui.review_view import ReviewPage
from flashcards.gui.today import Today, deck_counts, load_today
from flashcards.gui.window_geometry import fit_to_screen
from flashcards.gui.worker import CollectionWorker

APP_VERSION = __version__  # one source: flashcards/__init__.py
WELCOME_KEY = "ui/welcome_shown"


def _utc_now() -> datetime:
    return datetime.now(UTC)


class MainWindow(QMainWindow):
    """Owns the worker's callbacks; never touches the collection itself."""

    today_loaded = Signal()  # counts for the Today page arrived (the collection is open)

    def __init__(
        self,
        worker: CollectionWorker,
        *,
        settings: QSettings,
        now: Callable[[], datetime] = _utc_now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.worker = worker
        # Notes a sync or an import changed, rendered for the next export in the background
        self.render_ahead = RenderAheadJob(worker)
        self.settings = settings
        self.now = now
        self.errors = ErrorReporter(self)
        self.data_dir: Path | None = None  # the collection's folder (Help ▸ About)
        self.conflicts: tuple[Any, ...] = ()  # sync engines' conflict copies the last sync saw
        self.device_watcher: Any = None  # gui/device_watcher.py, once the tools load
        worker.default_failure = self._on_failure
        self.setWindowTitle("Flashcards")

        self.sidebar = DeckTree(self)
        self.home = HomePage(self)
        self.review = ReviewPage(self)
        self.related = RelatedPanel(self)
        self.related.hide()
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.home)
        self.stack.addWidget(self.review)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(1)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.related)
        self.splitter.setStretchFactor(1, 1)
        self.setCentralWidget(self.splitter)

        self.controller = ReviewController(
            self.review, worker, now=now, on_change=self._cards_changed
        )
        self.review.controller = self.controller
        self.review.home_requested.connect(self.go_home)
        self.review.related_ready.connect(self._show_related)
        self.review.card_changed.connect(lambda _id: self.related.hide())  # the last card's links
        self.review.message.connect(lambda text: self.statusBar().showMessage(text, 4000))
        self.related.link_clicked.connect(
            lambda href, note: self.controller.open_link(href, from_note=note)
        )
        self.related.card_picked.connect(self.controller.open_related)
        self.related.closed.connect(self._focus_page)
        self.home.study_requested.connect(self.study)
        self.sidebar.scope_selected.connect(self.home.set_scope)
        self.sidebar.scope_activated.connect(self.study)
        self.home.take_study_keys_from(self.sidebar, self)  # Space studies from any focus

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(150)  # many answers in a row: one count refresh
        self._refresh_timer.timeout.connect(self._refresh_changed)
        self._changed_decks: set[str] = set()
        self._full_refresh = False
        self._build_status_bar()
        self._build_menus()
        fit_to_screen(self, QSize(1180, 760), settings=settings, key="main")
        # Deck names need room (they are shortened at the end), Today's tiles too.
        side = min(400, max(260, self.width() * 34 // 100))
        self.splitter.setSizes([side, self.width() - side, 340])
        self._restore_layout()

    # -- layout and chrome ---------------------------------------------------------------

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        self.status_label = QLabel("", self)
        self.status_label.setObjectName("muted")
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setMaximumHeight(10)
        self.busy.setTextVisible(False)
        self.busy.hide()
        bar.addPermanentWidget(self.status_label)
        bar.addPermanentWidget(self.busy)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(250)  # only operations you could notice get a spinner
        self._busy_timer.timeout.connect(self.busy.show)
        self.worker.busy_changed.connect(self._on_busy)

    def _on_busy(self, busy: bool) -> None:
        if busy:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self.busy.hide()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "&Import…", "Ctrl+Shift+I", lambda: file_actions.import_files(self))
        self._action(file_menu, "&Export…", "Ctrl+Shift+E", lambda: file_actions.export_deck(self))
        self._action(file_menu, "Add deck &folder…", None, lambda: file_actions.add_folder(self))
        self._action(file_menu, "&Sync decks and reviews", "F5", self.sync)
        self._action(file_menu, "&Conflict copies…", None, self.show_conflicts)
        data_safety.install(self, file_menu)  # backups, restore, check and repair
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        edit_menu = bar.addMenu("&Edit")
        self.undo_action = self._action(
            edit_menu, "&Undo", QKeySequence.StandardKey.Undo, self.undo
        )
        self.redo_action = self._action(edit_menu, "&Redo", "Ctrl+Shift+Z", self.redo)
        self.appearance = appearance.install(self, edit_menu)  # and the View menu
        go_menu = self.go_menu = bar.addMenu("&Go")
        self._action(go_menu, "&Today", "Ctrl+H", self.go_home)
        self._action(go_menu, "&Study", "Ctrl+Return", lambda: self.study(self.home.scope))
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Keyboard shortcuts", "F1", lambda: show_shortcuts(self))
        self._action(
            help_menu,
            "&About Flashcards",
            None,
            lambda: show_about(self, version=APP_VERSION, data_dir=self.data_dir),
        )

    def _action(self, menu: Any, text: str, keys: Any, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)
        return action

    def _restore_layout(self) -> None:
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        self.related.hide()

    def save_layout(self) -> None:
        """The sidebar's width (the window's size and place: `fit_to_screen`)."""
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.save_layout()
        self.controller.stop()
        self.render_ahead.stop()
        data_safety.before_close(self)  # the closing backup, queued before the stop
        self.worker.stop()
        super().closeEvent(event)

    # -- start-up and refresh ------------------------------------------------------------

    def start(self, *, sync: bool = True) -> None:
        """Show what the database knows at once, then sync the files behind it."""
        self.refresh()
        if sync:
            self.sync()
        # Notes the opening sync (or an earlier run) left unrendered, for the next export
        self.render_ahead.start()

    def sync(self) -> None:
        self.status_label.setText("Syncing decks…")
        self.busy.show()

        def done(report: Any) -> None:
            self.status_label.setText("")
            self.busy.setVisible(self.worker.pending > 0)
            errors = getattr(report, "errors", ())
            if errors:
                # The first problem by name (file:line: what), with how many more.
                more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
                self.statusBar().showMessage(f"Cannot read {errors[0]}{more}", 15000)
            else:
                self._tell_merged(report)
            changed = getattr(report, "files_changed", ())
            if changed:
                self.render_ahead.start(changed)
            self.refresh()

        def failed(failure: Any) -> None:
            self.status_label.setText("")
            self._on_failure(failure)

        def work(col: Any) -> Any:
            review_ops.forget_deck_dirs()
            return col.sync()

        self.worker.run(work, success=done, failure=failed, label="sync")

    def show_conflicts(self) -> Any:
        """File ▸ Conflict copies…: a sync engine's copies beside their originals."""
        from flashcards.gui.conflict_dialog import show_conflicts

        return show_conflicts(self)

    def merged_from_devices(self, report: Any) -> None:
        """Another device's reviews arrived (gui/device_watcher.py): say so, recount."""
        self._tell_merged(report)
        self.refresh()  # a review goes on; its next card comes from the merged queue

    def _tell_merged(self, report: Any) -> None:
        """What a sync brought from other devices, and conflict copies it found."""
        conflicts = getattr(report, "conflicts", ())
        self.conflicts = tuple(conflicts)
        if conflicts:
            first = Path(conflicts[0].path).name
            more = f" and {len(conflicts) - 1} more" if len(conflicts) > 1 else ""
            self.statusBar().showMessage(
                f"Conflict copy {first}{more}: File ▸ Conflict copies… to compare", 30000
            )
        elif getattr(report, "cards_merged", ()):
            cards = len(report.cards_merged)
            self.statusBar().showMessage(
                f"Reviews from your other devices: {cards} card{'s' if cards != 1 else ''} "
                "brought up to date",
                8000,
            )

    def refresh(self) -> None:
        """Reload counts for the sidebar and the Today page."""
        now = self.now()
        self.worker.run(
            lambda col: load_today(col, now=now),
            success=self._on_today,
            label="counts",
            priority=BACKGROUND,
        )

    def _cards_changed(self, decks: frozenset[str]) -> None:
        """Cards of `decks` moved (empty: unknown which): refresh their counts soon."""
        if decks:
            self._changed_decks |= decks
        else:
            self._full_refresh = True
        self._refresh_timer.start()

    def _refresh_changed(self) -> None:
        decks, full = frozenset(self._changed_decks), self._full_refresh
        self._changed_decks, self._full_refresh = set(), False
        if full or not decks:
            self.refresh()
            return
        now = self.now()
        # Only the rows an answer moved: a full refresh costs a second at 100,000 cards.
        domains = self.sidebar.deck_model.domains_of(decks)
        self.worker.run(
            lambda col: deck_counts(col, decks, now=now, domains=domains),
            success=self._on_counts,
            label="counts",
            priority=BACKGROUND,
        )

    def _on_today(self, today: Today) -> None:
        self.today_loaded.emit()
        self.sidebar.set_decks(today.decks, folders=today.folders)
        self.home.set_today(today)
        self._show_to_study(today.to_study)

    def _on_counts(self, counts: dict[str | None, tuple[int, int, int]]) -> None:
        """Counts an answer moved: the sidebar's rows and the status bar's total."""
        self.sidebar.deck_model.update_counts(counts)
        if None in counts:
            self._show_to_study(sum(counts[None]))

    def _show_to_study(self, to_study: int) -> None:
        decks = len(self.home.today.decks) if self.home.today is not None else 0
        self.status_label.setText(f"{to_study} to study · {decks} decks" if decks else "")

    def show_welcome_once(self) -> None:
        """First run: a short welcome saying where to start and the keys (a setting
        remembers it). It says what Study does, so it waits for the Today page's counts."""
        if self.settings.value(WELCOME_KEY, False, type=bool):
            return
        if self.home.today is None:

            def later() -> None:
                self.today_loaded.disconnect(later)
                QTimer.singleShot(0, self.show_welcome_once)  # after the page has them

            self.today_loaded.connect(later)
            return
        self.settings.setValue(WELCOME_KEY, True)
        dialog = WelcomeDialog(self, start=self.home.start_sentence())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _: self._focus_page())
        dialog.open()

    # -- navigation ------------------------------------------------------------------------

    def study(self, scope: Scope) -> None:
        self.stack.setCurrentWidget(self.review)
        self.controller.start(scope.deck, domain=scope.domain)
        self.review.setFocus()

    def go_home(self) -> None:
        self.controller.stop()
        self.related.hide()
        self.stack.setCurrentWidget(self.home)
        self.home.setFocus()
        self.refresh()

    def undo(self) -> None:
        if self.stack.currentWidget() is self.review:
            self.controller.undo()
            return

        def done(change: Any) -> None:
            label = getattr(change, "label", "").removeprefix("Undo ") if change else ""
            self.statusBar().showMessage(f"Undid {label}" if label else "Nothing to undo", 4000)
            self.refresh()

        self.worker.run(lambda col: col.undo(), success=done, label="undo")

    def redo(self) -> None:
        """Edit ▸ Redo (Ctrl+Shift+Z): do again what the last undo took back."""
        if self.stack.currentWidget() is self.review:
            self.controller.redo()
            return

        def done(change: Any) -> None:
            label = getattr(change, "label", "").removeprefix("Redo ") if change else ""
            self.statusBar().showMessage(f"Redid {label}" if label else "Nothing to redo", 4000)
            self.refresh()

        self.worker.run(lambda col: col.redo(), success=done, label="redo")

    def _show_related(self, related: RelatedCards) -> None:
        self.related.show_related(related)
        sizes = self.splitter.sizes()
        if sizes[2] < 200:
            self.splitter.setSizes([sizes[0], max(sizes[1] - 340, 420), 340])

    def _focus_page(self) -> None:
        page = self.stack.currentWidget()
        if page is not None:
            page.setFocus()

    def _on_failure(self, failure: Any) -> None:
        self.errors(failure)
