"""File ▸ Restore from backup…: the backups with their dates, kinds and sizes; a restore
asks first, then the collection reopens as it was. And the start-up question when the
database has gone missing: restore a backup, or start afresh from the deck files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flashcards.collection.backup import BackupInfo, list_backups
from flashcards.gui.window_geometry import fit_to_screen


def when_text(created: datetime) -> str:
    """ "Sat 28 Nov 2026, 13:00" in the machine's time zone."""
    local = created.astimezone()
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


def size_text(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1e6:.1f} MB"
    return f"{max(1, round(size / 1e3))} kB"


class RestoreDialog(QDialog):
    """The backups, newest first; Restore… (or a double click) asks, then `chosen` is
    called with the backup. Open the backups folder shows the files."""

    def __init__(
        self,
        data_dir: Path,
        *,
        chosen: Callable[[BackupInfo], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.data_dir = data_dir
        self._chosen = chosen
        self.backups = list_backups(data_dir, details=True)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Flashcards backs up your collection every 30 minutes while you use it and when "
            "you close it. Restoring puts your answers and deck files back as they were "
            "then; the collection as it is now is backed up first, so you can come back to "
            "it from this list. Images and sounds are not touched.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTreeWidget(self)
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setHeaderLabels(["Made", "Kind", "Cards", "Answers", "Size"])
        for column in (2, 3, 4):
            self.table.headerItem().setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
        for backup in self.backups:
            item = QTreeWidgetItem(
                [
                    when_text(backup.created),
                    backup.label,
                    "" if backup.cards is None else f"{backup.cards:,}",
                    "" if backup.reviews is None else f"{backup.reviews:,}",
                    size_text(backup.size),
                ]
            )
            for column in (2, 3, 4):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            item.setToolTip(0, str(backup.path))
            self.table.addTopLevelItem(item)
        header = self.table.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the kind's words
        header.setStretchLastSection(False)
        self.table.itemDoubleClicked.connect(lambda *_: self.restore_selected())
        layout.addWidget(self.table, 1)
        self.empty = QLabel(f"No backups yet in {data_dir / 'backups'}.", self)
        self.empty.setVisible(not self.backups)
        layout.addWidget(self.empty)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = QPushButton("&Restore…", self)
        self.restore_button.setObjectName("primary")
        self.restore_button.setDefault(True)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        folder = QPushButton("Open backups &folder", self)
        buttons.addButton(folder, QDialogButtonBox.ButtonRole.ActionRole)
        folder.clicked.connect(self.open_folder)
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.currentItemChanged.connect(
            lambda *_: self.restore_button.setEnabled(self.selected() is not None)
        )
        first = self.table.topLevelItem(0)
        if self.backups and first is not None:
            self.table.setCurrentItem(first)
        self.restore_button.setEnabled(self.selected() is not None)
        fit_to_screen(self, QSize(640, 440), key="restore")

    def selected(self) -> BackupInfo | None:
        item = self.table.currentItem()
        if item is None:
            return None
        return self.backups[self.table.indexOfTopLevelItem(item)]

    def confirm_box(self, backup: BackupInfo) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Restore from backup",
            f"Restore the collection as it was on {when_text(backup.created)}?",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        counts = (
            f" It holds {backup.cards:,} cards and {backup.reviews:,} answers."
            if backup.cards is not None and backup.reviews is not None
            else ""
        )
        box.setInformativeText(
            "Answers and deck edits made since then are set aside: the collection as it is "
            f"now is backed up first, and you can restore that backup later.{counts}"
        )
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(restore)
        return box

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None:
            return
        box = self.confirm_box(backup)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered() -> None:
            if box.clickedButton() is not None and (
                box.buttonRole(box.clickedButton()) == QMessageBox.ButtonRole.AcceptRole
            ):
                self.accept()
                self._chosen(backup)

        box.finished.connect(lambda _: answered())
        box.open()

    def open_folder(self) -> None:
        folder = self.data_dir / "backups"
        folder.mkdir(exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class MissingDatabaseDialog(QMessageBox):
    """At start-up: a collection was here but its database is gone (or, given `damaged`,
    SQLite's reason, cannot be read). Restore a backup, start a new database from the deck
    files, or quit."""

    def __init__(
        self, data_dir: Path, parent: QWidget | None = None, *, damaged: str | None = None
    ) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Warning)
        state = "damaged" if damaged is not None else "missing"
        self.setWindowTitle(f"Your collection's database is {state}")
        self.setText(f"Your collection's database is {state}.")
        backups = list_backups(data_dir)
        newest = (
            f" The newest backup is from {when_text(backups[0].created)}."
            if backups
            else " There is no backup to restore."
        )
        found = (
            f"Flashcards cannot read its database {data_dir / 'collection.sqlite3'} "
            f"({damaged}): the file is damaged. Either choice keeps it beside the new one, "
            "as collection.sqlite3.damaged-N."
            if damaged is not None
            else f"Flashcards found a collection in {data_dir} but not its database "
            "(collection.sqlite3): it was deleted or moved."
        )
        self.setInformativeText(
            f"{found} Your deck files are safe.{newest}\n\nRestore a backup, or start a new "
            "database from your deck files: the review history and card states kept in the "
            "library's device logs come back with them."
        )
        self.restore_button = self.addButton(
            "Restore from backup…", QMessageBox.ButtonRole.AcceptRole
        )
        self.restore_button.setEnabled(bool(backups))
        self.rebuild_button = self.addButton(
            "Start from the deck files", QMessageBox.ButtonRole.DestructiveRole
        )
        self.quit_button = self.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.restore_button if backups else self.rebuild_button)
