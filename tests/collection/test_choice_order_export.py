"""Exports keep the deck file's order of options, whatever the review shows (issue 13.2):
the shuffle is a way of showing a question, never a change to it."""

from __future__ import annotations

from pathlib import Path

QUESTION = """\
---
title: Quiz
---

## Question one {#quiz01}
Which word is right?
- [ ] Alpha
- [x] Bravo
- [ ] Charlie
- [ ] Delta
?
Bravo, as the file says.
"""


def test_csv_and_markdown_exports_keep_the_file_order(
    data_dir: Path, open_col: object, tmp_path: Path
) -> None:
    deck = data_dir / "decks" / "quiz.md"
    deck.write_text(QUESTION, encoding="utf-8")
    col = open_col()  # type: ignore[operator]
    assert col.setting("shuffle_choices") is True
    col.export("Quiz", tmp_path / "quiz.csv")
    text = (tmp_path / "quiz.csv").read_text(encoding="utf-8")
    places = [
        text.index(f"{letter}. {word}")
        for letter, word in zip("ABCD", ("Alpha", "Bravo", "Charlie", "Delta"), strict=True)
    ]
    assert places == sorted(places)
    assert "Correct: B" in text
    col.export("Quiz", tmp_path / "quiz.md")
    assert (tmp_path / "quiz.md").read_bytes() == deck.read_bytes()
