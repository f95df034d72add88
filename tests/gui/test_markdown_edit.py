"""The editor's text widget on its own: New card (Ctrl+N) where the cursor is inside a
code block, and `[[link]]` completion of titles the link syntax would misread."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from flashcards.core.parser import parse_deck
from flashcards.gui.editor.markdown_edit import NEW_CARD_TEMPLATE, MarkdownEdit

CODE_DECK = """\
---
title: Code
---

## Fit a model {#aaaaaa}
```python
model.fit(X, y)
```

## Early stopping {#bbbbbb}
Stop when validation loss stops improving.

## Boto3 client {#cccccc}
```python
import boto3
# make a client
s3 = boto3.client("s3")
```
"""


def editor(qtbot: Any, text: str) -> MarkdownEdit:
    edit = MarkdownEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.setPlainText(text)
    return edit


def put_cursor(edit: MarkdownEdit, line: str) -> None:
    number = edit.toPlainText().split("\n").index(line)
    edit.setTextCursor(QTextCursor(edit.document().findBlockByNumber(number)))


def test_new_card_from_inside_a_code_block_goes_after_that_card(qtbot: Any) -> None:
    edit = editor(qtbot, CODE_DECK)
    put_cursor(edit, "model.fit(X, y)")
    edit.insert_new_card()  # what the editor's Ctrl+N does
    text = edit.toPlainText()
    assert "```\n\n" + NEW_CARD_TEMPLATE + "\n## Early stopping {#bbbbbb}" in text
    titles = [n.title for n in parse_deck(text, path="code.md").deck.notes]
    assert titles == ["Fit a model", "New card", "Early stopping", "Boto3 client"]


def test_new_card_from_the_last_code_block_goes_at_the_end(qtbot: Any) -> None:
    edit = editor(qtbot, CODE_DECK)
    put_cursor(edit, "import boto3")
    edit.insert_new_card()
    assert edit.toPlainText().endswith("```\n\n" + NEW_CARD_TEMPLATE)
    assert edit.textCursor().selectedText() == "New card"


def test_link_completion_escapes_a_bar_in_the_title(qtbot: Any) -> None:
    title = "Precision | recall"
    edit = editor(qtbot, f"## {title} {{#bbbbbb}}\nx\n\n## Other {{#cccccc}}\nSee ")
    edit.set_titles([title, "Early stopping"])
    edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(edit, "[[prec")
    popup = edit.completer.popup()
    assert popup.isVisible() and edit.completer.currentCompletion() == title
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # the popup's entry chosen
    text = edit.toPlainText()
    assert text.endswith("See [[Precision \\| recall]]")
    links = parse_deck(text, path="a.md").deck.notes[1].links
    assert [link.target for link in links] == [title] and links[0].text is None
