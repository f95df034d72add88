"""`flashcards` with no subcommand: open the main window on the collection."""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from flashcards.core.errors import FlashcardsError
from flashcards.gui.desktop import OpenRequests, ask_to_import, set_identity
from flashcards.gui.review_models import ReviewState
from flashcards.gui.single_instance import InstanceServer, hand_over, server_name
from flashcards.gui.worker import CollectionWorker, OpFailure, share_the_interpreter
from flashcards.storage.data_dir import resolve_data_dir
from flashcards.storage.db_file import DatabaseDamagedError, DatabaseMissingError

if TYPE_CHECKING:
    from flashcards.gui.main_window import MainWindow

ORGANISATION = "Flashcards"
APPLICATION = "Flashcards"
SYNCED_KEY = "gui_synced_once"


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="flashcards", description="Open the Flashcards app.")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="collection folder (default: $FLASHCARDS_DATA_DIR or the user data dir)",
    )
    parser.add_argument(
        "--theme",
        choices=("system", "light", "dark"),
        default=None,
        help="colours for this run (default: as chosen in Preferences)",
    )
    parser.add_argument("--study", action="store_true", help="start reviewing at once")
    parser.add_argument(
        "--open",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="an Anki package to import, after asking (the running app asks, if open)",
    )
    parser.add_argument("--no-sync", action="store_true", help=argparse.SUPPRESS)
    # Benchmarks: print the wall-clock time the first card was painted, then quit.
    parser.add_argument("--exit-after-first-card", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(list(argv))


def open_collection_fn(data_dir: Path | None) -> Any:
    """A function, run on the worker thread, that opens the collection."""

    def open_collection() -> Any:
        from flashcards.collection import Collection

        # No sync on open: the window shows what the database knows at once and the
        # sync runs right after, on the same worker. Only a library never synced
        # (the first run) must be read before there is anything to show.
        col = Collection.open(data_dir, sync=False)
        if not col.setting(SYNCED_KEY):
            col.sync()
            col.set_setting(SYNCED_KEY, True)
        # Load the renderer (Markdown, Pygments) here too, before the first card asks.
        import flashcards.core.render  # noqa: F401

        return col

    return open_collection


class FirstCardProbe(QObject):
    """Notices the first paint of a card on the review screen and quits the app."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        window.review.browser.viewport().installEventFilter(self)
        window.review.summary_page.installEventFilter(self)  # an empty collection

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint and self.window.controller.state in (
            ReviewState.QUESTION,
            ReviewState.SUMMARY,
        ):
            print(f"first-card-painted {time.time():.6f}", flush=True)
            QTimer.singleShot(0, QApplication.quit)
        return False


def install_tools(window: MainWindow) -> None:
    """The card browser, deck editor, cheat-sheets (their menu entries and the library
    watcher), practice exams (Go ▸ Practice exam), the exam line on Today and Go ▸
    Readiness, Go ▸ Statistics, and the concept map (Go ▸ Concept map).
    Loaded once the collection is open, so they never delay the first card; a tool that
    fails to load leaves the rest."""
    try:
        from flashcards.gui.browser.launch import install_menu

        install_menu(window)
    except ImportError as exc:
        sys.stderr.write(f"card browser unavailable: {exc}\n")
    try:
        from flashcards.gui.exam.practice_launcher import install_practice_exam

        install_practice_exam(window)
    except ImportError as exc:
        sys.stderr.write(f"practice exams unavailable: {exc}\n")
    try:
        from flashcards.gui.exam.readiness_launcher import install_readiness

        install_readiness(window)
    except ImportError as exc:
        sys.stderr.write(f"readiness unavailable: {exc}\n")
    try:
        from flashcards.gui.stats import install_statistics

        install_statistics(window)
    except ImportError as exc:
        sys.stderr.write(f"statistics unavailable: {exc}\n")
    try:
        from flashcards.gui.device_watcher import install_device_watcher

        install_device_watcher(window)  # other devices' reviews, as they arrive
    except ImportError as exc:
        sys.stderr.write(f"device watcher unavailable: {exc}\n")
    try:
        from flashcards.gui.concept_map import open_concept_map
    except ImportError as exc:
        sys.stderr.write(f"concept map unavailable: {exc}\n")
        return
    action = window.go_menu.addAction("&Concept map")
    action.setShortcut("Ctrl+M")
    action.triggered.connect(
        lambda _=False: open_concept_map(
            window, window.worker, now=window.now, on_change=window.refresh
        )
    )


def install_excepthook(window: MainWindow) -> None:
    """An exception on the GUI thread becomes a bug report; the app keeps running."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, error, tb))
        sys.stderr.write(text)
        if isinstance(error, Exception):
            window.errors(OpFailure(error, text, "the last action"))

    sys.excepthook = hook


def report_open_failure(window: MainWindow, failure: OpFailure, data_dir: Path) -> QMessageBox:
    """One dialog saying why the collection cannot open; the caller quits when it closes."""
    error = failure.error
    if isinstance(error, FlashcardsError):
        reason = str(error)
        details = ""
    else:  # a bug, not the user's folder: the traceback goes with the report
        reason = f"{type(error).__name__}: {error}"
        details = failure.traceback
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "Flashcards cannot start",
        f"Flashcards could not open your collection in {data_dir}.",
        QMessageBox.StandardButton.Close,
        window if window.isVisible() else None,
    )
    box.setInformativeText(
        f"{reason}\n\nChoose another folder with --data-dir or $FLASHCARDS_DATA_DIR, "
        "or fix this one and start Flashcards again."
    )
    if details:
        box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box


def main(argv: list[str] | None = None) -> int:
    """Run the app; returns the exit code."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    data_dir = resolve_data_dir(args.data_dir)
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "flashcards"])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Flashcards")
    set_identity(app)
    # One app per collection: a second start brings the first one's window forward.
    name = server_name(data_dir)
    if hand_over(name, args.open):
        handed = f"; asked it to import {len(args.open)} file(s)" if args.open else ""
        print(
            f"flashcards: Flashcards is already open on {data_dir}; brought its window "
            f"forward{handed}",
            file=sys.stderr,
        )
        return 0
    instance = InstanceServer(name, app)
    if not instance.listen():
        sys.stderr.write(f"flashcards: note: cannot listen for a second start: {name}\n")
    # The worker starts first: it imports and opens the collection while this thread
    # loads the widgets (much of Qt's work runs without the interpreter lock).
    share_the_interpreter()
    worker = CollectionWorker(open_collection_fn(data_dir))
    from flashcards.gui.appearance import saved_theme
    from flashcards.gui.main_window import MainWindow
    from flashcards.gui.theme import apply_theme

    settings = QSettings(ORGANISATION, APPLICATION)
    apply_theme(app, scheme=args.theme or saved_theme(settings))  # --theme wins for this run
    window = MainWindow(worker, settings=settings)
    window.data_dir = data_dir
    install_excepthook(window)
    instance.activation_requested.connect(lambda: bring_forward(window))
    instance.open_requested.connect(OpenRequests(window).add)
    window.show()

    def tools_once() -> None:
        window.today_loaded.disconnect(tools_once)
        install_tools(window)

    def on_opened(failure: OpFailure | None) -> None:
        if failure is None:
            if args.exit_after_first_card:
                return
            if args.open:  # opened with a package: that question first, the welcome later
                ask_to_import(window, args.open)
            elif not args.study:
                window.show_welcome_once()  # only once there is a collection to welcome to
            return
        if args.exit_after_first_card:  # nobody to close a dialog
            sys.stderr.write(f"flashcards: error: {failure.error}\n")
            app.exit(1)
            return
        if isinstance(failure.error, (DatabaseMissingError, DatabaseDamagedError)):
            from flashcards.gui.data_safety import ask_about_missing_database

            ask_about_missing_database(  # restore, or start afresh from the deck files
                window,
                data_dir,
                open_collection_fn(data_dir),
                lambda: app.exit(1),
                damaged=getattr(failure.error, "reason", None),
            )
            return
        box = report_open_failure(window, failure, data_dir)
        box.finished.connect(lambda _: app.exit(1))
        window.hide()
        box.open()

    worker.opened.connect(on_opened)
    window.today_loaded.connect(tools_once)
    if args.exit_after_first_card:
        FirstCardProbe(window)

        def fail(failure: OpFailure) -> None:
            # A benchmark run has nobody to close a dialog: report and quit.
            sys.stderr.write(failure.traceback)
            app.exit(2)

        window.errors = fail  # type: ignore[assignment]
    if args.study or args.exit_after_first_card:
        window.study(window.home.scope)  # first in the worker's queue: the card comes first
    window.refresh()
    if not args.no_sync:
        window.sync()
    code = app.exec()
    # Leave the process as it was found (an embedding caller, or a test, goes on).
    sys.excepthook = sys.__excepthook__
    instance.close()
    window.hide()
    worker.stop()
    window.deleteLater()
    return int(code)


def bring_forward(window: MainWindow) -> None:
    """Another start of the app asked for this window: show it on top."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
