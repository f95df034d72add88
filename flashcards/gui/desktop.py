"""What the desktop hands the app: its icon and desktop-file name, and files opened with
it (`flashcards deck.apkg`, a double-click on a package), imported after a confirmation.

A package opened while the app runs arrives through `single_instance` and is asked about
in the running window; one opened to start the app is asked about once the collection
is open.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

if TYPE_CHECKING:
    from flashcards.gui.main_window import MainWindow

DESKTOP_FILE = "io.github.flashcards.Flashcards"  # packaging/<this>.desktop, as installed
OPENABLE = (".apkg", ".colpkg")
"""Files the app opens by itself (the MIME types in packaging/flashcards-mime.xml)."""


def icon_path() -> Path | None:
    """The app's SVG icon: the installed package's resources, else the repository's."""
    try:
        candidate = Path(str(resources.files("flashcards.resources") / "flashcards.svg"))
    except (ModuleNotFoundError, TypeError):
        candidate = None
    if candidate is not None and candidate.is_file():
        return candidate
    repo = Path(__file__).resolve().parents[2] / "resources" / "flashcards.svg"
    return repo if repo.is_file() else None


def set_identity(app: QApplication) -> None:
    """The window icon, and the desktop file the window belongs to (Wayland docks and
    task bars match windows to their launcher by it)."""
    path = icon_path()
    if path is not None:
        app.setWindowIcon(QIcon(str(path)))
    app.setDesktopFileName(DESKTOP_FILE)


def is_openable(argument: str) -> bool:
    """`flashcards ARG`: is ARG a file to open (rather than a mistyped command)?"""
    return argument.lower().endswith(OPENABLE)


def ask_to_import(window: MainWindow, paths: Sequence[Path]) -> QMessageBox | None:
    """Ask before importing files handed to the app; Import runs them one after another.

    A file that is not there, or is no package, is named in a warning instead."""
    found = [p for p in paths if p.is_file() and is_openable(p.name)]
    missing = [p for p in paths if p not in found]
    if missing:
        warning = QMessageBox(
            QMessageBox.Icon.Warning,
            "Flashcards",
            "Cannot import "
            + ", ".join(str(p) for p in missing)
            + ": "
            + ("not an Anki package." if all(p.is_file() for p in missing) else "no such file."),
            parent=window,
        )
        warning.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        warning.open()
    if not found:
        return None
    if len(found) == 1:
        question = f"Import “{escape(found[0].name)}” into your collection?"
        where = f"From {escape(str(found[0].parent))}"
    else:
        question = f"Import these {len(found)} Anki packages into your collection?"
        where = "<br>".join(escape(str(p)) for p in found)
    box = QMessageBox(QMessageBox.Icon.Question, "Import", question, parent=window)
    box.setTextFormat(Qt.TextFormat.RichText)
    whose = "Its" if len(found) == 1 else "Their"
    box.setInformativeText(
        f"{where}<br><br>{whose} notes become Markdown cards in your decks, with their review "
        "history. Importing the same package again updates its cards and adds no duplicates."
    )
    importing = box.addButton("Import", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(importing)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def answered() -> None:
        from flashcards.gui import file_actions  # with the window, not before the worker

        if box.clickedButton() is importing:
            for path in found:
                file_actions.import_path(window, path)

    box.finished.connect(lambda _: answered())
    box.open()
    return box


class OpenRequests(QObject):
    """Files handed over by later starts, asked about together: a file manager opening
    three packages at once starts the app three times."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.pending: list[Path] = []

    def add(self, path: Path) -> None:
        if not self.pending:
            QTimer.singleShot(0, self._ask)
        if path not in self.pending:
            self.pending.append(path)

    def _ask(self) -> None:
        paths, self.pending = self.pending, []
        if paths:
            ask_to_import(self.window, paths)
