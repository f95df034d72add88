"""One card's size is bounded before python-markdown runs, and the time budget reaches the
inline pass (QA repro 2: a 2,000 x 1,000 table, 4 MB, took 31 s and 780 MB in one card).

The inputs are sized so that converting them took seconds to minutes; the tests check
the guard's result (the source shown under the reason), never a time.
"""

from __future__ import annotations

import io
from pathlib import Path

import markdown
import pytest

from flashcards.cli import main
from flashcards.collection import Collection
from flashcards.core.model import Card, CardId, CardKind, NoteId
from flashcards.core.render import Side, clear_render_cache, render_card, render_markdown
from flashcards.core.render_limits import (
    MAX_LIST_ITEMS,
    MAX_TABLE_CELLS,
    MAX_TEXT_CHARS,
    RenderLimitError,
    guard_markdown,
    time_budget,
)
from flashcards.interop.export_notes import to_html


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    clear_render_cache()


def _table(rows: int, cols: int) -> str:
    return "|" + "a|" * cols + "\n|" + "-|" * cols + "\n" + ("|" + "x|" * cols + "\n") * rows


OVER = {
    # QA's table: 4 MB (31 s, 780 MB before).
    "2,000 x 1,000 table": (_table(2000, 1000), f"it has more than {MAX_TEXT_CHARS:,} characters"),
    # 450,000 cells in 900 KB (about 9 s before).
    "900 x 500 table": (_table(900, 500), f"its tables have more than {MAX_TABLE_CELLS:,} cells"),
    # 200,000 items of a tight list (about 5 s before).
    "200,000 items": ("- x\n" * 200_000, f"its lists have more than {MAX_LIST_ITEMS:,} items"),
    "200,000 numbered items": (
        "1. x\n" * 200_000,
        f"its lists have more than {MAX_LIST_ITEMS:,} items",
    ),
}


@pytest.mark.parametrize("name", list(OVER))
def test_a_text_past_a_size_limit_shows_as_written(name: str) -> None:
    text, reason = OVER[name]
    html = render_markdown(text)
    assert f"Shown as written: {reason}." in html
    assert "<table" not in html and "<li" not in html
    assert len(html) < 25_000  # the source shown is cut (MAX_SOURCE_SHOWN)


def test_a_card_past_the_limits_shows_its_source() -> None:
    card = Card(
        id=CardId("t1"),
        note_id=NoteId("t1"),
        kind=CardKind.BASIC,
        file="deck/x.md",
        title="T",
        prompt="q",
        answer=OVER["900 x 500 table"][0],
        line_start=1,
        line_end=9,
    )
    back = render_card(card, side=Side.BACK)
    assert f"tables have more than {MAX_TABLE_CELLS:,} cells" in back and "<table" not in back
    assert "Shown as written" not in render_card(card, side=Side.FRONT)


def test_within_the_limits_tables_and_lists_render() -> None:
    html = render_markdown(_table(100, 10) + "\n" + "- item\n" * 1000)
    assert "Shown as written" not in html
    assert html.count("<td") == 1000 and html.count("<li") == 1000


def test_code_and_prose_do_not_count() -> None:
    # Pipes and list-like lines inside code are text, not cells or items.
    fence = "```\n" + "|x|y|\n- z\n" * (MAX_LIST_ITEMS + MAX_TABLE_CELLS // 2) + "```\n"
    html = render_markdown(fence)
    assert "Shown as written" not in html and "<pre" in html
    assert MAX_TEXT_CHARS >= 500_000 and MAX_TABLE_CELLS >= 10_000 and MAX_LIST_ITEMS >= 5_000


def test_the_inline_pass_checks_the_time_budget() -> None:
    """Cells and tight list items with nothing inline to match ran the inline pass with
    no check of the budget: a spent budget now stops it (before, it ran to the end)."""
    md = markdown.Markdown(extensions=["tables"])
    guard_markdown(md)
    for text in (_table(20, 20), "- x\n" * 200):
        root = md.parser.parseDocument(text.split("\n")).getroot()  # no budget: all parsed
        with time_budget(0.0), pytest.raises(RenderLimitError, match="more than 3 seconds"):
            md.treeprocessors["inline"].run(root)
        md.reset()


def test_an_export_writes_such_a_field_as_text() -> None:
    # (A plain list takes the export's own linear converter, `fast_markdown`; a table
    # takes python-markdown, bounded as the renderer's.)
    html = to_html(OVER["900 x 500 table"][0])
    assert html.startswith("<pre>") and "<table" not in html


def test_a_cheatsheet_of_such_a_card(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    deck = "## Big {#tb1}\nq\n?\n" + OVER["900 x 500 table"][0]
    (data / "decks" / "table.md").write_text(deck, encoding="utf-8")
    with Collection.open(data, seed=False) as col:
        col.set_setting("seeded", True)
    out = tmp_path / "sheet.html"
    said = io.StringIO()
    assert main(["--data-dir", str(data), "cheatsheet", "-o", str(out)], out=said) == 0
    page = out.read_text(encoding="utf-8")
    assert f"tables have more than {MAX_TABLE_CELLS:,} cells" in page
    assert "<td" not in page
