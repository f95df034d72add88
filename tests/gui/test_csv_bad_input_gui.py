"""The CSV import dialog names a quote left open and offers no import; File ▸ Export's
"CSV for spreadsheets" choice escapes formulas, its plain "CSV" keeps the text exactly
(QA text-import pass)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog
from pytestqt.qtbot import QtBot
from review_window import idle, open_window

from flashcards.gui import dialogs, file_actions
from flashcards.gui.csv_import_dialog import CsvImportDialog
from flashcards.gui.main_window import MainWindow

FORMULAS = """\
---
title: Formulas
---

## -1 is the answer?
=SUM(A1:A2)
"""


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(
        dialogs.QMessageBox, "warning", staticmethod(lambda parent, title, text: seen.append(text))
    )
    return seen


@pytest.fixture
def window(
    qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime, warnings: list[str]
) -> Iterator[MainWindow]:
    (data_dir / "decks" / "formulas.md").write_text(FORMULAS, encoding="utf-8")
    win = open_window(qtbot, data_dir, tmp_path / "settings.ini", now)
    yield win
    win.close()


def test_the_import_dialog_names_an_open_quote(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "open.csv"
    text = 'front,back\rq1,a1\rq2,"never closed\rq3,a3\r'  # an old Mac file
    dialog = CsvImportDialog(path, text)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.problem.isVisible()
    assert dialog.problem.text().startswith("open.csv:3: a quote opened on this line")
    assert not dialog.import_button.isEnabled()
    dialog.close()


@pytest.mark.parametrize(
    ("chosen", "cells"),
    [
        (file_actions.SPREADSHEET_CSV, ["'-1 is the answer?", "'=SUM(A1:A2)"]),
        ("CSV (*.csv)", ["-1 is the answer?", "=SUM(A1:A2)"]),
    ],
)
def test_export_for_spreadsheets_is_a_choice_of_the_save_dialog(
    chosen: str,
    cells: list[str],
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    warnings: list[str],
) -> None:
    out = tmp_path / "sheet.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(out), chosen)))
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a: ("Formulas", True)))
    assert window.home.scope.deck is None  # all decks: the deck is asked for by name
    file_actions.export_deck(window)
    qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage(), timeout=10_000)
    idle(qtbot, window)
    assert warnings == []
    text = out.read_text(encoding="utf-8")
    assert ("#spreadsheet safe:true" in text) == (chosen == file_actions.SPREADSHEET_CSV)
    rows = [r for r in csv.reader(text.splitlines()) if not r[0].startswith("#")]
    assert [r[3:5] for r in rows] == [cells]
