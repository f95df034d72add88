"""Clicking a column header sorts (ascending, descending, then file order again)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QSettings, Qt

from flashcards.gui.browser import BrowserWindow, Column
from flashcards.storage.card_search import SortColumn


def test_header_clicks_cycle_the_sort(
    qtbot: Any, runner: Any, tmp_path: Path, now: datetime
) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = BrowserWindow(runner, settings=settings, now=lambda: now)
    qtbot.addWidget(window)
    window.show()
    window.search("")
    header = window.table.horizontalHeader()
    section = window.model.columns.index(Column.PROMPT)
    point = QPoint(header.sectionViewportPosition(section) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert (window.order, window.descending) == (SortColumn.PROMPT, False)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert (window.order, window.descending) == (SortColumn.PROMPT, True)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.order is SortColumn.FILE_ORDER
