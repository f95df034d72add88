"""The sidebar's deck names: readable in a narrow sidebar, whole in the tooltip."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from flashcards.gui.deck_tree import DeckTree, Scope


@dataclass
class Info:
    name: str
    title: str
    folders: tuple[str, ...] = ()
    domain: str | None = None
    new: int = 3
    learning: int = 0
    due: int = 1


LONG = "Data Engineering – Ingestion and Streaming"


def test_long_deck_names_keep_both_ends_and_show_whole_in_the_tooltip(qtbot: QtBot) -> None:
    tree = DeckTree()
    qtbot.addWidget(tree)
    tree.set_decks(
        [
            Info(f"AWS ML Specialty::{LONG}", LONG, ("AWS ML Specialty",), "Data Engineering"),
            Info("AWS ML Specialty::Data Engineering – Storage", "Data Engineering – Storage"),
        ]
    )
    # Siblings share a long start: the end tells them apart, so the middle goes.
    assert tree.textElideMode() == Qt.TextElideMode.ElideMiddle
    model = tree.deck_model
    row = model._rows[Scope(LONG, deck=f"AWS ML Specialty::{LONG}")]
    assert row[0].text() == LONG
    assert row[0].toolTip() == f"AWS ML Specialty › {LONG}"
    domain = model._rows[Scope("Data Engineering", domain="Data Engineering")]
    assert domain[0].toolTip() == "Exam domain: Data Engineering"
