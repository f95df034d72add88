"""File ▸ Import: the CSV mapping dialog driven by real clicks and keys, Obsidian notes
recognised, and an import that finds no card said so."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox
from pytestqt.qtbot import QtBot
from review_window import ask, idle, open_window

from flashcards.collection.views import ImportReport
from flashcards.gui import dialogs, file_actions
from flashcards.gui.csv_import_dialog import CsvImportDialog
from flashcards.gui.main_window import MainWindow
from flashcards.interop.csv_layout import ColumnRole

# A ';' inside the first row's second name makes the sniffer guess the wrong separator:
# the user's to put right.
SHEET = """\
Word,"Meaning (en; us)",Notes,Labels
chat,cat,a pet,animal fr
chien,dog,loyal,animal fr
,no front,x,y
"""


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """QMessageBox.warning captured instead of blocking the test."""
    seen: list[str] = []
    monkeypatch.setattr(
        dialogs.QMessageBox, "warning", staticmethod(lambda parent, title, text: seen.append(text))
    )
    return seen


@pytest.fixture
def window(
    qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime, warnings: list[str]
) -> Iterator[MainWindow]:
    win = open_window(qtbot, data_dir, tmp_path / "settings.ini", now)
    yield win
    win.close()


def _choose(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(
        file_actions.QFileDialog, "getOpenFileNames", staticmethod(lambda *a: ([str(path)], ""))
    )


def _dialog(qtbot: QtBot, window: MainWindow) -> CsvImportDialog:
    qtbot.waitUntil(lambda: bool(window.findChildren(CsvImportDialog)), timeout=10_000)
    dialog = window.findChildren(CsvImportDialog)[0]
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    return dialog


def _pick(qtbot: QtBot, box: QComboBox, text: str) -> None:
    """Choose an item of a closed combo box by typing its first letters, as a user can."""
    qtbot.wait(QApplication.keyboardInputInterval() + 50)  # a new search, not "F" + "B"
    box.setFocus()
    qtbot.keyClicks(box, text)


def test_csv_mapping_dialog_drives_the_import(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    warnings: list[str],
) -> None:
    sheet = tmp_path / "french words.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    _choose(monkeypatch, sheet)
    file_actions.import_files(window)
    dialog = _dialog(qtbot, window)

    # As guessed: split at ';', no row of names, two columns.
    assert len(dialog.role_boxes) == 2 and not dialog.header_row.isChecked()
    assert dialog.separator.itemText(0) == "Auto (semicolon)"
    assert dialog.table.item(0, 0).text() == 'Word,"Meaning (en'

    _pick(qtbot, dialog.separator, "Comma")
    assert dialog.separator.currentData() == ","
    # Split right, "Word" and "Notes" are column names: the first row is taken for names.
    assert len(dialog.role_boxes) == 4 and dialog.header_row.isChecked()
    assert dialog.table.item(0, 0).text() == "chat"

    qtbot.mouseClick(dialog.header_row, Qt.MouseButton.LeftButton)
    assert not dialog.header_row.isChecked() and dialog.table.item(0, 0).text() == "Word"
    qtbot.mouseClick(dialog.header_row, Qt.MouseButton.LeftButton)
    assert dialog.header_row.isChecked()
    assert dialog.table.item(0, 0).text() == "chat"  # the names left the preview
    assert dialog.roles() == (ColumnRole.FRONT, ColumnRole.BACK, ColumnRole.BACK, ColumnRole.BACK)

    # Two columns mapped to Front: refused in the dialog, before anything is imported.
    _pick(qtbot, dialog.role_boxes[1], "F")
    assert dialog.problem.isVisible() and "both mapped to Front" in dialog.problem.text()
    assert not dialog.import_button.isEnabled()
    _pick(qtbot, dialog.role_boxes[1], "B")
    _pick(qtbot, dialog.role_boxes[2], "Ig")
    _pick(qtbot, dialog.role_boxes[3], "T")
    assert dialog.roles() == (ColumnRole.FRONT, ColumnRole.BACK, ColumnRole.IGNORE, ColumnRole.TAGS)
    assert not dialog.problem.isVisible() and dialog.import_button.isEnabled()
    assert dialog.table.horizontalHeaderItem(3).text() == "4 · Tags (Labels)"

    edit = dialog.deck.lineEdit()
    assert edit is not None and edit.text() == "French Words"
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, "Lang::French")
    assert dialog.target.text() == "New deck file lang/french.md"

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Imported french words.csv" in window.statusBar().currentMessage())
    idle(qtbot, window)
    assert "2 new cards (1 warning)" in window.statusBar().currentMessage()
    assert warnings == []

    def imported(col: Any) -> list[tuple[str, str, tuple[str, ...], str]]:
        ids = col.search("chat") + col.search("chien")
        return sorted((v.card.title, v.card.answer, v.card.tags, v.deck) for v in col.cards(ids))

    assert ask(qtbot, window, imported) == [
        ("chat", "cat", ("animal", "fr"), "Lang::French"),
        ("chien", "dog", ("animal", "fr"), "Lang::French"),
    ]


def test_csv_dialog_adds_to_an_existing_deck_and_cancel_imports_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = tmp_path / "more.tsv"
    sheet.write_text("Front\tBack\nWhat is a shard?\tA unit of stream capacity.\n", "utf-8")
    _choose(monkeypatch, sheet)
    file_actions.import_files(window)
    dialog = _dialog(qtbot, window)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.findChildren(CsvImportDialog), timeout=5_000)
    assert ask(qtbot, window, lambda col: col.search("shard")) == []

    file_actions.import_files(window)
    dialog = _dialog(qtbot, window)
    assert dialog.header_row.isChecked()  # "Front, Back" are column names
    edit = dialog.deck.lineEdit()
    assert edit is not None and edit.text() == "More"
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, "Data")  # completes to the existing deck of that name
    assert dialog.deck.currentText() == "Data" and dialog.target.text() == "Adds to data.md"
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Imported more.tsv" in window.statusBar().currentMessage())
    idle(qtbot, window)
    (view,) = ask(qtbot, window, lambda col: col.cards(col.search("shard")))
    assert view.card.file == "data.md" and view.deck == "Data"


def test_obsidian_note_and_a_file_without_cards(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    warnings: list[str],
) -> None:
    note = tmp_path / "biology.md"
    note.write_text("#flashcards\n\nCell::Unit of life\n\nBig\n??\nSmall\n", encoding="utf-8")
    _choose(monkeypatch, note)
    file_actions.import_files(window)
    qtbot.waitUntil(lambda: "Imported biology.md" in window.statusBar().currentMessage())
    assert window.statusBar().currentMessage() == (
        "Imported biology.md as Obsidian Spaced Repetition notes: 3 new cards"
    )

    prose = tmp_path / "notes.md"
    prose.write_text("Some prose.\n", encoding="utf-8")
    _choose(monkeypatch, prose)
    file_actions.import_files(window)
    qtbot.waitUntil(lambda: bool(warnings), timeout=10_000)
    assert warnings[0].startswith("found 0 cards in notes.md: it has no headings of level 2–6")
    assert not ask(qtbot, window, lambda col: (col.library / "notes.md").exists())


def test_what_an_import_left_out_is_listed_for_the_user(window: MainWindow) -> None:
    report = ImportReport(
        source="words.csv",
        files=("words.md",),
        cards_added=2,
        warnings=("skipped words.csv line 4: the front is empty",),
    )
    file_actions.show_warnings(window, Path("words.csv"), report)
    (box,) = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert box.text() == "Imported words.csv: 2 new cards (1 warning)"
    assert box.detailedText() == "skipped words.csv line 4: the front is empty"
    box.close()
    file_actions.show_warnings(window, Path("words.csv"), replace(report, warnings=()))
    assert not [b for b in window.findChildren(QMessageBox) if b.isVisible()]


def test_a_fifo_or_device_link_is_refused_without_blocking_the_window(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    warnings: list[str],
) -> None:
    # QA hostile repro 7: the CSV preview read a FIFO on the GUI thread (blocked for ever)
    # and a link to /dev/zero until memory ran out.
    import os

    os.mkfifo(tmp_path / "sheet.csv")
    (tmp_path / "zero.md").symlink_to("/dev/zero")
    for name in ("sheet.csv", "zero.md"):
        _choose(monkeypatch, tmp_path / name)
        file_actions.import_files(window)
        qtbot.waitUntil(lambda: len(warnings) == 1, timeout=10_000)
        assert warnings.pop() == f"{tmp_path / name}: " + (
            "not a regular file (a FIFO, a device or a link to one cannot be imported)"
        )
    assert not window.findChildren(CsvImportDialog)
