"""A long deck path in the review header is shortened, whole in its tooltip, and never
runs under the counter beside it."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget
from pytestqt.qtbot import QtBot

from flashcards.gui.elided_label import ElidedLabel

PATH = "AWS ML Specialty › Data Engineering – Ingestion and Streaming · Data Engineering"


def header(qtbot: QtBot, width: int) -> tuple[QWidget, ElidedLabel, QLabel]:
    """The row is returned too: its labels live only as long as it does."""
    row = QWidget()
    qtbot.addWidget(row)
    layout = QHBoxLayout(row)
    deck = ElidedLabel(PATH, row)
    count = QLabel("0 done · 30 left", row)
    layout.addWidget(deck, 1)
    layout.addWidget(count)
    row.resize(width, 40)
    row.show()
    qtbot.waitExposed(row)
    return row, deck, count


def test_a_narrow_header_shortens_the_path_and_keeps_the_counter_whole(qtbot: QtBot) -> None:
    _row, deck, count = header(qtbot, 360)
    shown = deck.shown_text()
    assert "…" in shown and shown != PATH
    assert shown.startswith("AWS") and shown.endswith("Engineering")  # shortened in the middle
    assert deck.toolTip() == PATH
    assert deck.geometry().right() < count.geometry().left()
    assert count.width() >= count.sizeHint().width()


def test_a_wide_header_shows_the_whole_path_without_a_tooltip(qtbot: QtBot) -> None:
    _row, deck, _ = header(qtbot, 1200)
    assert deck.shown_text() == PATH
    assert deck.toolTip() == ""
