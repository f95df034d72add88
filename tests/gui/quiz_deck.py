"""A deck of multiple-choice questions whose files put the right answer at B, as the
bundled questions mostly do (not a test module)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QTextCursor, QTextFrame, QTextTable
from PySide6.QtWidgets import QTextBrowser

WORDS = ("Alpha", "Bravo", "Charlie", "Delta")
SINGLES = 7


def _single(n: int) -> str:
    options = "\n".join(f"- [{'x' if w == 'Bravo' else ' '}] {w} {n}" for w in WORDS)
    return f"## Question {n} {{#quiz{n:02d}}}\nWhich word is right?\n{options}\n?\nBravo {n}.\n"


QUIZ = (
    "---\ntitle: Quiz\ndomain: Modeling\n---\n\n"
    + "\n".join(_single(n) for n in range(1, SINGLES + 1))
    + """
## Pick two {#pick02}
Which two are fruit?
- [ ] Granite
- [x] Banana
- [x] Cherry
- [ ] Basalt
- [ ] Slate
?
Banana and cherry; the rest are rocks.
"""
)

RIGHT = re.compile(r"^(Bravo \d+|Banana|Cherry)$")


def write_quiz(data_dir: Path) -> Path:
    library = data_dir / "decks"
    library.mkdir(parents=True, exist_ok=True)
    (library / "quiz.md").write_text(QUIZ, encoding="utf-8")
    return data_dir


def file_texts(card: object) -> list[str]:
    """The options as the deck file has them."""
    return [c.text for c in card.choices]  # type: ignore[attr-defined]


def _tables(frame: QTextFrame) -> list[QTextTable]:
    found: list[QTextTable] = []
    for child in frame.childFrames():
        if isinstance(child, QTextTable):
            found.append(child)
        found.extend(_tables(child))
    return found


def shown_options(browser: QTextBrowser) -> list[tuple[str, str]]:
    """(letter, text) of each option row as the card on screen shows it, top to bottom."""
    table = _tables(browser.document().rootFrame())[-1]

    def cell_text(row: int, column: int) -> str:
        cell = table.cellAt(row, column)
        cursor = cell.firstCursorPosition()
        cursor.setPosition(cell.lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText().replace("\u200b", "").strip()

    return [(cell_text(r, 1), cell_text(r, 2)) for r in range(table.rows())]
