"""File menu actions: import, export, add a deck folder — each a worker op with progress."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from flashcards.collection.import_source import check_import_source
from flashcards.core.errors import FlashcardsError
from flashcards.gui.card_media import allow_collection
from flashcards.gui.csv_import_dialog import CsvImportDialog
from flashcards.gui.progress import ProgressRelay
from flashcards.gui.review_ops import forget_deck_dirs
from flashcards.interop.csv_layout import CsvOptions
from flashcards.interop.text_import import decode_text

if TYPE_CHECKING:
    from flashcards.gui.main_window import MainWindow

IMPORT_FILTER = (
    "Decks (*.md *.apkg *.colpkg *.csv *.tsv *.txt);;Markdown or Obsidian notes (*.md);;"
    "Anki packages (*.apkg *.colpkg);;CSV (*.csv *.tsv *.txt);;All files (*)"
)
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
# The second CSV choice escapes cells a spreadsheet would run as formulas (= + - @).
SPREADSHEET_CSV = "CSV for spreadsheets, formulas escaped (*.csv)"
EXPORT_FILTER = f"Anki package (*.apkg);;Markdown (*.md);;CSV (*.csv);;{SPREADSHEET_CSV}"


def _run_with_progress(
    window: MainWindow, title: str, work: Any, done_message: Any, then: Any = None
) -> None:
    relay = ProgressRelay(title, window)

    def success(report: Any) -> None:
        relay.finish()
        window.statusBar().showMessage(done_message(report), 8000)
        window.refresh()
        if then is not None:
            then(report)

    def failure(failure: Any) -> None:
        relay.finish()
        window.errors(failure)

    window.worker.run(lambda col: work(col, relay), success=success, failure=failure, label=title)


def import_files(window: MainWindow) -> None:
    paths, _ = QFileDialog.getOpenFileNames(window, "Import decks", str(Path.home()), IMPORT_FILTER)
    for name in paths:
        path = Path(name)
        if path.suffix.lower() in CSV_SUFFIXES:
            ask_csv_options(window, path)
        else:
            import_path(window, path)


def import_path(window: MainWindow, path: Path, options: CsvOptions | None = None) -> None:
    """Import `path` on the worker, with a progress bar; the report in the status bar."""
    _run_with_progress(
        window,
        f"Importing {path.name}",
        lambda col, relay: col.import_path(path, options=options, progress=relay),
        lambda report: import_message(path, report),
        lambda report: _imported(window, path, report),
    )


def _imported(window: MainWindow, path: Path, report: Any) -> None:
    if getattr(report, "files", ()):  # notes came in: render them for the next export
        window.render_ahead.start(report.files)
    show_warnings(window, path, report)


def import_message(path: Path, report: Any) -> str:
    """What an import did, in a line."""
    if not report.files:
        return f"{path.name}: nothing new (it was imported before)"
    read_as = " as Obsidian Spaced Repetition notes" if report.format == "obsidian" else ""
    text = f"Imported {path.name}{read_as}: {report.cards_added} new cards"
    if report.cards_updated:
        text += f", {report.cards_updated} updated"
    if report.warnings:
        text += f" ({len(report.warnings)} warning{'s' if len(report.warnings) > 1 else ''})"
    return text


def show_warnings(window: MainWindow, path: Path, report: Any) -> None:
    """What an import left out or changed (rows skipped, …), where the user can read it."""
    if not report.warnings:
        return
    box = QMessageBox(
        QMessageBox.Icon.Information, "Import", import_message(path, report), parent=window
    )
    box.setInformativeText("Some things were left out or changed; Show Details lists them.")
    box.setDetailedText("\n".join(report.warnings))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def _library_decks(col: Any, now: datetime) -> list[tuple[str, str]]:
    """(name, file) of the decks an import may add to: those in the library itself."""
    library = Path(col.library).resolve()
    return [
        (d.name, d.file)
        for d in col.decks(now=now)
        if d.path and Path(d.path).resolve().is_relative_to(library)
    ]


def ask_csv_options(window: MainWindow, path: Path) -> None:
    """Open the CSV dialog for `path`; accepted, import with its choices."""
    try:
        check_import_source(path)  # a FIFO would block the window, /dev/zero never ends
        text = decode_text(path.read_bytes(), label=path.name)
    except OSError as exc:
        QMessageBox.warning(window, "Flashcards", f"{path.name}: cannot read the file ({exc})")
        return
    except FlashcardsError as exc:
        QMessageBox.warning(window, "Flashcards", str(exc))
        return
    now = window.now()

    def show(decks: list[tuple[str, str]]) -> None:
        dialog = CsvImportDialog(path, text, decks=decks, parent=window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: import_path(window, path, dialog.options()))
        dialog.open()

    window.worker.run(
        lambda col: _library_decks(col, now), success=show, failure=window.errors, label="decks"
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
    out, chosen = QFileDialog.getSaveFileName(window, "Export deck", suggested, EXPORT_FILTER)
    if not out:
        return
    safe = chosen == SPREADSHEET_CSV
    if safe and Path(out).suffix.lower() not in CSV_SUFFIXES:
        out += ".csv"
    _run_with_progress(
        window,
        f"Exporting {deck}",
        lambda col, relay: col.export(deck, Path(out), progress=relay, spreadsheet_safe=safe),
        lambda report: f"Exported {getattr(report, 'cards', 0)} cards to {Path(out).name}",
    )


def _add_folder(col: Any, folder: Path) -> Any:
    forget_deck_dirs()  # deck files may now live under another root
    report = col.add_folder(folder)
    allow_collection(col)  # its images may be shown now
    return report


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
