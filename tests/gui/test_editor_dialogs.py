"""New deck and new card dialogs write the deck format underneath."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from flashcards.core.model import CardKind
from flashcards.gui import review_ops
from flashcards.gui.editor.new_card_dialog import NewCardDialog
from flashcards.gui.editor.new_deck_dialog import NewDeckDialog


def test_new_deck_dialog_creates_a_file(qtbot: Any, runner: Any, data_dir: Path) -> None:
    dialog = NewDeckDialog(runner)
    qtbot.addWidget(dialog)
    assert dialog.domain.findText("Modeling") >= 0
    dialog.create_deck()
    assert dialog.error.text() == "Give the deck a title."
    qtbot.keyClicks(dialog.title, "Feature stores")
    dialog.domain.setCurrentText("Data Engineering")
    dialog.folder.setCurrentText("aws")
    with qtbot.waitSignal(dialog.created, timeout=2000) as blocker:
        dialog.create_deck()
    assert blocker.args == ["aws/feature-stores.md"]
    text = (data_dir / "decks" / "aws" / "feature-stores.md").read_text(encoding="utf-8")
    assert text == '---\ntitle: "Feature stores"\ndomain: "Data Engineering"\n---\n\n'
    assert any(d.file == "aws/feature-stores.md" for d in runner.col.decks())


def test_new_card_dialog_basic_cloze_and_choice(qtbot: Any, runner: Any, data_dir: Path) -> None:
    dialog = NewCardDialog(runner, deck="data.md")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.deck.currentData() == "data.md"
    assert not dialog.options_box.isVisible()
    dialog.front.setPlainText("What is a shard?")
    dialog.back.setPlainText("A unit of stream capacity.")
    dialog.tags.setText("kinesis, streams")
    assert "## What is a shard?" in dialog.markdown.text()
    with qtbot.waitSignal(dialog.added, timeout=2000) as blocker:
        dialog.add_button.click()
    view = runner.col.card(blocker.args[0])
    assert view.card.answer == "A unit of stream capacity."
    assert view.card.tags == ("kinesis", "streams")
    assert dialog.front.toPlainText() == ""  # ready for the next card

    dialog.set_kind(CardKind.CLOZE)
    assert dialog.cloze_button.isVisible()
    dialog.front.setPlainText("Firehose buffers by size or time.")
    cursor = dialog.front.textCursor()
    cursor.setPosition(len("Firehose buffers by "))
    cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, 4)
    dialog.front.setTextCursor(cursor)
    dialog.make_cloze()
    assert dialog.front.toPlainText() == "Firehose buffers by {{c1::size}} or time."
    with qtbot.waitSignal(dialog.added, timeout=2000) as blocker:
        dialog.add()
    assert runner.col.card(f"{blocker.args[0]}:c1").card.kind is CardKind.CLOZE

    dialog.set_kind(CardKind.CHOICE)
    assert dialog.options_box.isVisible()
    dialog.front.setPlainText("Which service loads streams into S3?")
    dialog.add()
    assert "correct" in dialog.error.text()  # no option ticked yet
    dialog.options[0].text.setText("Kinesis Data Firehose")
    dialog.options[0].correct.setChecked(True)
    dialog.options[1].text.setText("AWS Glue")
    with qtbot.waitSignal(dialog.added, timeout=2000) as blocker:
        dialog.add()
    card = runner.col.card(blocker.args[0]).card
    assert card.kind is CardKind.CHOICE and card.correct == frozenset({0})
    text = (data_dir / "decks" / "data.md").read_text(encoding="utf-8")
    assert "- [x] Kinesis Data Firehose\n- [ ] AWS Glue" in text


def test_new_cloze_card_without_a_title_keeps_its_answer_off_the_question(
    qtbot: Any, runner: Any, data_dir: Path
) -> None:
    """QA: with no Title the dialog headed the card with the sentence, blanks filled in,
    and the heading shows on the question side: the question gave the answer away."""
    dialog = NewCardDialog(runner, deck="data.md")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_kind(CardKind.CLOZE)
    qtbot.keyClicks(dialog.front, "The capital of Australia is Canberra")
    for _ in "Canberra":  # select the answer with Shift+Left, as a user would
        qtbot.keyClick(dialog.front, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    qtbot.mouseClick(dialog.cloze_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.front, ", on the {{Molonglo::a river}}.")
    text = dialog.markdown.text()
    assert "## The capital of Australia is …, on the (a river)." in text
    with qtbot.waitSignal(dialog.added, timeout=2000) as blocker:
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    for n, answer in ((1, "Canberra"), (2, "Molonglo")):
        view = runner.col.card(f"{blocker.args[0]}:c{n}")
        loaded = review_ops.load(runner.col, view, now=now)
        front = " ".join(re.sub(r"<[^>]+>", " ", loaded.front_html).split())
        assert front.startswith("The capital of Australia is")
        assert answer not in front
        assert answer in loaded.back_html
