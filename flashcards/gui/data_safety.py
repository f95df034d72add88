"""Keeping the collection safe, on screen: backups every 30 minutes of use with changes and
on close, File ▸ Back up now, File ▸ Restore from backup…, File ▸ Check and repair
database…, a storage failure shown as what to do (never the bug report), and the start-up
question when the database has gone missing.

Everything that touches the collection runs on the worker; a restore or a rebuild uses
`CollectionWorker.reopen`, so the worker goes on with the collection they open.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from flashcards.core.errors import StorageError
from flashcards.gui.review_models import BACKGROUND

if TYPE_CHECKING:
    from flashcards.collection.backup import BackupInfo
    from flashcards.gui.main_window import MainWindow
    from flashcards.gui.worker import OpFailure

CHECK_EVERY_MS = 5 * 60 * 1000
"""How often the app asks whether a backup is due (one is, after 30 minutes with changes)."""


def install(window: MainWindow, file_menu: QMenu) -> None:
    """The File menu's entries, and the timer that asks for periodic backups."""
    file_menu.addSeparator()
    file_menu.addAction("&Back up now").triggered.connect(lambda _=False: back_up_now(window))
    file_menu.addAction("&Restore from backup…").triggered.connect(
        lambda _=False: open_restore(window)
    )
    file_menu.addAction("Check and &repair database…").triggered.connect(
        lambda _=False: check_and_repair(window)
    )
    timer = QTimer(window)
    timer.setObjectName("backup-timer")
    timer.setInterval(CHECK_EVERY_MS)
    timer.timeout.connect(lambda: periodic_backup(window))
    timer.start()
    window.backup_timer = timer  # type: ignore[attr-defined]


def periodic_backup(window: MainWindow) -> None:
    """A backup when one is due, written in a thread of its own (the review goes on); a
    failure of the last one is said in the status bar."""
    now = window.now()

    def work(col: Any) -> Exception | None:
        failed: Exception | None = col.backups.last_error
        col.backups.start(now=now)
        return failed

    def done(failed: Exception | None) -> None:
        if failed is not None:
            window.statusBar().showMessage(f"The last backup failed: {failed}", 15000)

    window.worker.run(work, success=done, label="backup", priority=BACKGROUND)


def before_close(window: MainWindow) -> None:
    """On close: stop the timer and queue the closing backup (the worker finishes its
    queue before it closes the collection)."""
    timer = getattr(window, "backup_timer", None)
    if timer is not None:
        timer.stop()
    if not window.worker.is_open:
        return
    now = window.now()

    def failed(failure: OpFailure) -> None:
        sys.stderr.write(f"flashcards: the backup on close failed: {failure.error}\n")

    window.worker.run(
        lambda col: col.backups.on_close(now=now), failure=failed, label="backup on close"
    )


def back_up_now(window: MainWindow) -> None:
    now = window.now()

    def done(made: BackupInfo) -> None:
        window.statusBar().showMessage(f"Backed up to {made.path}", 8000)

    window.worker.run(
        lambda col: col.backups.create(now=now, kind="manual"), success=done, label="backup"
    )


# -- restore ----------------------------------------------------------------------------


def open_restore(window: MainWindow) -> None:
    """File ▸ Restore from backup…: the list (the data folder asked of the worker)."""
    window.worker.run(
        lambda col: Path(col.data_dir),
        success=lambda data_dir: show_restore_dialog(
            window, data_dir, lambda backup: restore_open(window, backup)
        ),
        label="backups",
    )


def show_restore_dialog(
    parent: QWidget, data_dir: Path, chosen: Callable[[BackupInfo], None]
) -> Any:
    from flashcards.gui.restore_dialog import RestoreDialog

    dialog = RestoreDialog(data_dir, chosen=chosen, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def restore_open(window: MainWindow, backup: BackupInfo) -> None:
    """Restore `backup` into the open collection (the current state backed up first) and
    show the collection as it was."""
    from flashcards.collection.backup import restore

    now = window.now()
    reports: list[Any] = []

    def work(col: Any) -> Any:
        fresh, report = restore(col, backup.path, now=now)
        reports.append(report)
        return fresh

    def done(_: None) -> None:
        from flashcards.gui.restore_dialog import when_text

        after_reopen(window)
        saved = reports[0].kept_name if reports else "a backup"
        notes = "".join(f" Note: {line}" for line in (reports[0].notes if reports else ()))
        window.statusBar().showMessage(
            f"Restored the backup of {when_text(backup.created)}; the collection as it was "
            f"is in {saved}.{notes}",
            15000,
        )

    window.controller.stop()
    window.worker.reopen(work, success=done, failure=window.errors, label="restore")


def after_reopen(window: MainWindow) -> None:
    """The collection under the window changed: show it from the start."""
    from flashcards.gui import review_ops

    review_ops.forget_deck_dirs()
    window.go_home()


# -- check and repair -------------------------------------------------------------------


def check_and_repair(window: MainWindow) -> None:
    """File ▸ Check and repair database…: asks, then checks, mends and says what it did."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Check and repair database",
        "Check the database and mend what is wrong?",
        QMessageBox.StandardButton.Cancel,
        window,
    )
    box.setInformativeText(
        "Flashcards backs up the collection first, then removes rows that point nowhere, "
        "rebuilds every index and the search index, and compacts the file. It takes a few "
        "seconds on a big collection."
    )
    go = box.addButton("Check and repair", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(go)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.finished.connect(lambda _: run_repair(window) if box.clickedButton() is go else None)
    box.open()


def run_repair(window: MainWindow) -> None:
    from flashcards.collection.repair import repair

    now = window.now()

    def work(col: Any) -> tuple[Any, Any, Any]:
        before = col.check()
        done = repair(col, now=now)
        return before, done, col.check()

    def done(result: tuple[Any, Any, Any]) -> None:
        before, repaired, after = result
        show_repair_report(window, before, repaired, after)
        window.refresh()

    window.worker.run(work, success=done, label="check and repair")


def show_repair_report(window: QWidget, before: Any, repaired: Any, after: Any) -> QMessageBox:
    left = [*repaired.remaining, *after.problems]
    box = QMessageBox(
        QMessageBox.Icon.Warning if left else QMessageBox.Icon.Information,
        "Check and repair database",
        f"{len(left)} problem(s) are left." if left else "The database is sound.",
        QMessageBox.StandardButton.Close,
        window,
    )
    lines = [f"Found: {p}" for p in before.problems]
    lines += [f"Repaired: {line}" for line in repaired.fixed]
    lines += [f"Still a problem: {p}" for p in left]
    box.setInformativeText(
        ("Deck files with problems are listed below: fix them in an editor. " if left else "")
        + f"A backup was made first ({repaired.backup.path.name})."
    )
    box.setDetailedText("\n".join(lines))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


# -- storage failures and a missing database ---------------------------------------------


def storage_error_box(parent: QWidget | None, error: StorageError) -> QMessageBox:
    """A storage failure as what happened and what to do (not the bug report)."""
    from flashcards.storage.db_file import DatabaseLostError

    message = getattr(error, "message", None) or str(error)
    advice = getattr(error, "advice", None) or (
        "Check that the disk has free space and that the data folder can be written, "
        "then try again."
    )
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "Flashcards could not save",
        message[:1].upper() + message[1:] + ".",
        QMessageBox.StandardButton.Close,
        parent,
    )
    box.setInformativeText(advice)
    if isinstance(error, DatabaseLostError) and parent is not None:
        quit_button = box.addButton("Quit Flashcards", QMessageBox.ButtonRole.DestructiveRole)
        box.finished.connect(
            lambda _: parent.window().close() if box.clickedButton() is quit_button else None
        )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box


def ask_about_missing_database(
    window: MainWindow,
    data_dir: Path,
    open_collection: Callable[[], Any],
    quit_app: Callable[[], None],
    *,
    damaged: str | None = None,
) -> QMessageBox:
    """At start-up the database is missing (or damaged: SQLite's reason): restore a
    backup, start from the deck files, or quit. Either way the worker then opens the
    collection and the window shows it."""
    from flashcards.gui.restore_dialog import MissingDatabaseDialog

    box = MissingDatabaseDialog(data_dir, window, damaged=damaged)

    def again() -> None:
        ask_about_missing_database(window, data_dir, open_collection, quit_app, damaged=damaged)

    def reopened(_: None) -> None:
        after_reopen(window)
        window.sync()

    def failed(failure: OpFailure) -> None:
        window.errors(failure)
        again()

    def restore_then_open(backup: BackupInfo) -> None:
        from flashcards.collection.backup import restore_data_dir

        def work(_: Any) -> Any:
            restore_data_dir(data_dir, backup.path, now=window.now())
            return open_collection()

        window.worker.reopen(work, success=reopened, failure=failed, label="restore")

    def rebuild_then_open() -> None:
        from flashcards.collection.backup import rebuild_data_dir

        def work(_: Any) -> Any:
            rebuild_data_dir(data_dir, now=window.now())
            return open_collection()

        window.worker.reopen(work, success=reopened, failure=failed, label="rebuild")

    def answered() -> None:
        clicked = box.clickedButton()
        if clicked is box.restore_button:
            dialog = show_restore_dialog(window, data_dir, restore_then_open)
            dialog.rejected.connect(again)
        elif clicked is box.rebuild_button:
            rebuild_then_open()
        else:
            quit_app()

    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.finished.connect(lambda _: answered())
    box.open()
    return box
