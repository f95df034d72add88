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


def test_long_deck_names_keep_their_start_and_show_whole_in_the_tooltip(qtbot: QtBot) -> None:
    tree = DeckTree()
    qtbot.addWidget(tree)
    tree.set_decks(
        [
            Info(f"AWS ML Specialty::{LONG}", LONG, ("AWS ML Specialty",), "Data Engineering"),
            Info("AWS ML Specialty::Data Engineering – Storage", "Data Engineering – Storage"),
        ]
    )
    # Siblings share a start and often an end ("Modeling: … algorithms"): what follows
    # the start tells them apart, so the end goes.
    assert tree.textElideMode() == Qt.TextElideMode.ElideRight
    model = tree.deck_model
    row = model._rows[Scope(LONG, deck=f"AWS ML Specialty::{LONG}")]
    assert row[0].text() == LONG
    assert row[0].toolTip() == f"AWS ML Specialty › {LONG}"
    domain = model._rows[Scope("Data Engineering", domain="Data Engineering")]
    assert domain[0].toolTip() == "Exam domain: Data Engineering"


MODELING = [
    "Modeling: clustering, dimensionality reduction and anomaly algorithms",
    "Modeling: computer vision algorithms",
    "Modeling: evaluation, bias-variance and explainability",
    "Modeling: forecasting and text algorithms",
    "Modeling: foundation models — Amazon Bedrock, JumpStart, fine-tuning, RAG and Amazon Q",
    "Modeling: supervised tabular algorithms",
    "Modeling: training options, distributed training, transfer learning and AutoML",
    "Modeling: training, hyperparameters and tuning",
]


def test_sibling_decks_stay_apart_in_a_laptop_sidebar(qtbot: QtBot) -> None:
    """The bundled decks' siblings share a start and an end ('Modeling: … algorithms'):
    shortened to the room a laptop's sidebar gives them, no two rows read the same."""
    tree = DeckTree()
    qtbot.addWidget(tree)
    tree.set_decks([Info(f"AWS ML Specialty::{t}", t, ("AWS ML Specialty",)) for t in MODELING])
    tree.resize(340, 400)  # narrower than the window gives it at 1366×768 (400)
    tree.show()
    qtbot.waitExposed(tree)
    room = tree.columnWidth(0) - 2 * tree.indentation() - 8
    shown = [tree.fontMetrics().elidedText(t, tree.textElideMode(), room) for t in MODELING]
    assert len(set(shown)) == len(shown), shown
