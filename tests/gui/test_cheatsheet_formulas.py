"""Formulas on cheat-sheets: on screen at the sheet's size, in the PDF, in the HTML file."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from flashcards.core.parser import parse_deck
from flashcards.core.render import Side, render_card
from flashcards.gui.cheatsheet.export import write_html, write_pdf
from flashcards.gui.cheatsheet.sheet import Sheet, SheetCard, sheet_html

DECK = """\
---
title: Metrics
---

# $F$ scores

## F1 score
What is $F_1$?
?
$$F_1 = \\frac{2PR}{P + R}$$
"""
_WIDTH = re.compile(r'<img src="data:image/svg\+xml;base64,[^"]+" width="(\d+)"')


def _sheet(tmp_path: Path) -> Sheet:
    (card,) = parse_deck(DECK, path="metrics.md").deck.notes[0].cards
    return Sheet("Metrics", "1 card", (SheetCard(card, "Metrics", str(tmp_path)),))


def test_formulas_are_drawn_at_the_sheets_size(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path)
    page = sheet_html(sheet)
    on_card = [int(w) for w in _WIDTH.findall(render_card(sheet.cards[0].card, side=Side.BACK))]
    on_sheet = [int(w) for w in _WIDTH.findall(page)]
    assert len(on_sheet) == len(on_card) == 2
    for card_width, sheet_width in zip(on_card, on_sheet, strict=True):
        assert sheet_width == round(card_width * 0.72) or abs(sheet_width - card_width * 0.72) <= 1
    assert ">F scores</span>" in page  # a section named by a formula reads


def test_the_html_file_embeds_its_formulas(qapp: Any, tmp_path: Path) -> None:
    text = write_html(_sheet(tmp_path), tmp_path / "sheet.html").read_text(encoding="utf-8")
    assert text.count('src="data:image/svg+xml;base64,') == 2
    assert "file:" not in text


def test_the_pdf_holds_the_formula_images(qapp: Any, tmp_path: Path) -> None:
    pdf = write_pdf(_sheet(tmp_path), tmp_path / "sheet.pdf").read_bytes()
    assert len(re.findall(rb"/Subtype\s*/Image", pdf)) >= 2


def test_a_sheet_of_thousands_of_formulas_is_drawn_in_bounded_time(
    tmp_path: Path, monkeypatch: Any
) -> None:
    from flashcards.collection import cheatsheet_html as sheet_module
    from flashcards.core.math_render import clear_formula_cache
    from flashcards.core.render import clear_render_cache

    cards = "\n".join(f"## Card {i}\n$x_{{{i}}}^{{{i % 7}}} + y$\n" for i in range(2_000))
    notes = parse_deck(f"---\ntitle: Hostile\n---\n\n{cards}", path="hostile.md").deck.notes
    sheet = Sheet(
        "Hostile", "", tuple(SheetCard(n.cards[0], "Hostile", str(tmp_path)) for n in notes)
    )
    clear_formula_cache()
    clear_render_cache()
    monkeypatch.setattr(sheet_module, "FORMULA_BUDGET_S", 0.5)
    started = time.perf_counter()
    page = sheet_html(sheet)
    assert time.perf_counter() - started < 15  # markdown of 2,000 cards, formulas cut at 0.5 s
    drawn = page.count('src="data:image/svg+xml')
    assert 0 < drawn < 2_000
    assert page.count("too many formulas to draw at once") == 2_000 - drawn
