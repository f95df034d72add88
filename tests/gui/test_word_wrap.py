"""A long heading in a narrow card view wraps at its word seams; copies leave the hints out."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from flashcards.core.model import Card, CardId, CardKind, NoteId
from flashcards.core.render import Side, clear_render_cache, render_card
from flashcards.core.word_breaks import BREAK_HINT
from flashcards.gui.cheatsheet.sheet import Sheet, SheetCard, sheet_html
from flashcards.gui.review_view import CardBrowser

TITLE = "ProvisionedThroughputExceededException"


def shown(qtbot: QtBot, *, width: int) -> CardBrowser:
    clear_render_cache()
    card = Card(
        id=CardId("nvdjqa"),
        note_id=NoteId("nvdjqa"),
        kind=CardKind.BASIC,
        file="ingest.md",
        title=TITLE,
        prompt=f"A producer gets `{TITLE}`. Causes and fixes?",
        answer="A hot shard.",
        line_start=1,
        line_end=4,
    )
    view = CardBrowser()
    qtbot.addWidget(view)
    view.resize(width, 500)
    view.set_card_html(render_card(card, side=Side.FRONT))
    view.show()
    qtbot.waitExposed(view)
    return view


def heading_lines(view: CardBrowser) -> list[str]:
    block = view.document().begin()
    while block.isValid() and TITLE[:11] not in block.text():
        block = block.next()
    layout = block.layout()
    text = block.text()
    return [
        text[line.textStart() : line.textStart() + line.textLength()]
        for line in (layout.lineAt(i) for i in range(layout.lineCount()))
    ]


def test_a_long_heading_wraps_between_its_words_not_inside_them(qtbot: QtBot) -> None:
    view = shown(qtbot, width=360)  # a narrow window, or a large text size
    lines = heading_lines(view)
    assert len(lines) > 1  # it had to wrap
    words = {"Provisioned", "Throughput", "Exceeded", "Exception"}
    for line in lines:
        pieces = [p for p in line.split(BREAK_HINT) if p]
        assert pieces and all(p in words for p in pieces), lines


def test_a_wide_view_keeps_the_heading_on_one_line(qtbot: QtBot) -> None:
    view = shown(qtbot, width=1100)
    assert len(heading_lines(view)) == 1


def test_copied_text_has_no_break_hints(qtbot: QtBot) -> None:
    view = shown(qtbot, width=360)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    clipboard = QGuiApplication.clipboard()
    copied = clipboard.mimeData()
    text, html = copied.text(), copied.html()
    clipboard.clear()  # see conftest: a clipboard left full crashes Qt at exit
    assert f"A producer gets {TITLE}. Causes and fixes?" in text
    assert TITLE in text.splitlines()[0]
    assert BREAK_HINT not in html


def test_the_cheat_sheet_web_page_uses_wbr(tmp_path: Path) -> None:
    card = Card(
        id=CardId("nvdjqa"),
        note_id=NoteId("nvdjqa"),
        kind=CardKind.BASIC,
        file="ingest.md",
        title=TITLE,
        prompt="",
        answer="A hot shard.",
        line_start=1,
        line_end=2,
    )
    sheet = Sheet("Ingestion", "1 card", (SheetCard(card, "Ingestion", str(tmp_path)),))
    page = sheet_html(sheet, standalone=True)
    assert "Provisioned<wbr>Throughput<wbr>Exceeded<wbr>Exception" in page
    assert BREAK_HINT not in page
