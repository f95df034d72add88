"""File menu actions: import, export, add a deck folder — each a worker op with progress."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QInputDialog

from flashcards.gui.progress import ProgressRelay
from flashcards.gui.review_ops import forget_deck_dirs

if TYPE_CHECKING:
    from flashcards.gui.main_window import MainWindow

IMPORT_FILTER = (
    "Decks (*.md *.apkg *.colpkg *.csv *.tsv *.txt);;Markdown (*.md);;"
    "Anki packages (*.apkg *.colpkg);;CSV (*.csv *.tsv *.txt);;All files (*)"
)
EXPORT_FILTER = "Anki package (*.apkg);;Markdown (*.md);;CSV (*.csv)"


def _run_with_progress(window: MainWindow, title: str, work: Any, done_message: Any) -> None:
    relay = ProgressRelay(title, window)

    def success(report: Any) -> None:
        relay.finish()
        window.statusBar().showMessage(done_message(report), 8000)
        window.refresh()

    def failure(failure: Any) -> None:
        relay.finish()
        window.errors(failure)

    window.worker.run(lambda col: work(col, relay), success=success, failure=failure, label=title)


def import_files(window: MainWindow) -> None:
    paths, _ = QFileDialog.getOpenFileNames(window, "Import decks", str(Path.home()), IMPORT_FILTER)
    for path in paths:
        _run_with_progress(
            window,
            f"Importing {Path(path).name}",
            lambda col, relay, p=path: col.import_path(Path(p), progress=relay),
            lambda report, p=path: (
                f"Imported {Path(p).name}: {getattr(report, 'cards_added', 0)} new cards"
            ),
        )


def export_deck(window: MainWindow) -> None:
    deck = window.home.scope.deck
    if deck is None:
        names = [d.name for d in (window.home.today.decks if window.home.today else ())]
        if not names:
            return
        deck, ok = QInputDialog.getItem(window, "Export", "Deck to export:", names, 0, False)
        if not ok:
            return
    suggested = str(Path.home() / f"{deck.split('::')[-1]}.apkg")
    out, _ = QFileDialog.getSaveFileName(window, "Export deck", suggested, EXPORT_FILTER)
    if not out:
        return
    _run_with_progress(
        window,
        f"Exporting {deck}",
        lambda col, relay: col.export(deck, Path(out), progress=relay),
        lambda report: f"Exported {getattr(report, 'cards', 0)} cards to {Path(out).name}",
    )


def _add_folder(col: Any, folder: Path) -> Any:
    forget_deck_dirs()  # deck files may now live under another root
    return col.add_folder(folder)


def add_folder(window: MainWindow) -> None:
    folder = QFileDialog.getExistingDirectory(window, "Add a folder of decks", str(Path.home()))
    if not folder:
        return
    _run_with_progress(
        window,
        "Adding deck folder",
        lambda col, relay: _add_folder(col, Path(folder)),
        lambda report: f"Added {Path(folder).name}",
    )
