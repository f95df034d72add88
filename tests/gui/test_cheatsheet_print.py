"""Cheat-sheets on paper: how many pages, where they break, and the web page's links.

Page text is read back with `pdftotext` (poppler), as a reader's PDF viewer would see it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from flashcards.collection.cheatsheet import Layout, Paper, SheetOptions, load_sheet
from flashcards.collection.cheatsheet_html import BlockKind, sheet_html
from flashcards.gui.cheatsheet.export import sheet_pages, write_html, write_pdf
from flashcards.gui.cheatsheet.pages import safe_breaks
from tests.gui.conftest import write_library

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no pdftotext")


def study_deck(notes: int = 60) -> str:
    """A deck shaped like the bundled ones: definitions with a sentence or three, lists,
    some code, formulas and exam questions with an explanation."""
    out = ["---", "title: Fixed sixty", "domain: Modeling", "---", "", "# Training", ""]
    for i in range(notes):
        if i == notes // 2:
            out += ["# Practice questions", ""]
        if i % 7 == 6:
            out += [
                f"## Q: Tuning job {i}",
                f"A team trains model {i} on a large tabular dataset every night and the "
                "validation loss stops improving after a few epochs. What should they do?",
                "- [ ] Add more layers",
                "- [x] Use early stopping on the validation loss",
                "- [ ] Raise the learning rate",
                "- [ ] Train for twice as many epochs",
                "?",
                "Early stopping ends training when the validation metric stops improving, "
                "which saves cost and avoids overfitting; more layers or epochs overfit more.",
                "",
            ]
            continue
        out += [f"## Concept {i}", f"What does step {i} of the pipeline do?", "?"]
        out.append(
            f"It scales feature {i} to zero mean and unit variance, then checks that every "
            f"batch stays within the range seen in training; a batch outside it raises an "
            "alarm and is held back for review."
        )
        if i % 6 == 1:
            out += [
                "```python",
                f"def step_{i}(x):",
                f"    mean, std = stats[{i}]",
                "    return (x - mean) / std",
                "```",
            ]
        elif i % 10 == 4:
            out.append(f"$$z_{{{i}}} = \\frac{{x - \\mu}}{{\\sigma}}$$")
        elif i % 8 == 3:
            out += ["- scale: mean and variance", "- check: the range", "- alarm: hold back"]
        out.append("")
    return "\n".join(out)


def code_deck(blocks: int = 30) -> str:
    """Cards whose code blocks (8 lines, marked first and last) fall at every place of a
    column as the sheet flows."""
    out = ["---", "title: Code", "---", ""]
    for i in range(blocks):
        out += [f"## Snippet {i}", "What does this do?", "?", "It scales the column." * (i % 4)]
        out += ["```python", f"# begin{i:02d}"]
        out += [f"x_{i}_{n} = df[{n}].mean()" for n in range(6)]
        out += [f"# end{i:02d}", "```", ""]
    return "\n".join(out)


@pytest.fixture
def library(tmp_path: Path) -> Any:
    from flashcards.collection import Collection

    data = tmp_path / "data"
    write_library(data, {"sixty.md": study_deck(), "code.md": code_deck()})
    with Collection.open(data, seed=False) as col:
        yield col


def pages_of(path: Path) -> list[str]:
    """The text of each page."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.split("\f")[:-1]


@needs_pdftotext
def test_a_sixty_note_deck_fits_on_four_pages_compact(
    qapp: Any, library: Any, now: datetime, tmp_path: Path
) -> None:
    sheet = load_sheet(library, SheetOptions(deck="sixty.md"), now=now)
    assert len(sheet.cards) == 60
    counts = {}
    for paper in Paper:
        path = write_pdf(sheet, tmp_path / f"{paper.value}.pdf", layout=Layout.COMPACT, paper=paper)
        pages = pages_of(path)
        counts[paper] = len(pages)
        assert 2 <= len(pages) <= 4, paper
        text = "".join(pages)
        assert "Concept 0" in text and "Concept 59" in text
        assert f"page {len(pages)} of {len(pages)}" in pages[-1]
    full = write_pdf(sheet, tmp_path / "full.pdf", layout=Layout.FULL, paper=Paper.A4)
    assert len(pages_of(full)) > 2 * counts[Paper.A4]  # the one-column reading layout


@needs_pdftotext
def test_no_code_block_is_split_across_pages_or_columns(
    qapp: Any, library: Any, now: datetime, tmp_path: Path
) -> None:
    sheet = load_sheet(library, SheetOptions(deck="code.md"), now=now)
    path = write_pdf(sheet, tmp_path / "code.pdf", layout=Layout.COMPACT, paper=Paper.A4)
    words = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    where: dict[str, tuple[int, float, float]] = {}
    for page, text in enumerate(words.split("<page ")[1:]):
        for x, y, word in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)<', text):
            if re.fullmatch(r"(begin|end)\d\d", word):
                where[word] = (page, float(x), float(y))
    assert len(where) == 60
    pages = {p for p, _x, _y in where.values()}
    assert len(pages) >= 2  # the blocks do meet page ends
    for i in range(30):
        page, x, y = where[f"begin{i:02d}"]
        end_page, end_x, end_y = where[f"end{i:02d}"]
        assert (end_page, round(end_x)) == (page, round(x)), f"block {i} is split"
        assert end_y > y


def test_breaks_fall_between_lines_never_inside_a_code_block(
    qapp: Any, library: Any, now: datetime
) -> None:
    from PySide6.QtGui import QColor, QImage, QPainter

    from flashcards.gui.cheatsheet.pages import _answer_top

    code = load_sheet(library, SheetOptions(deck="code.md"), now=now)
    pages = sheet_pages(code, layout=Layout.COMPACT, paper=Paper.A4)
    background = QColor("#f4f5f7").rgb()
    for doc in pages.docs:
        image = QImage(
            round(doc.textWidth()), round(doc.size().height()) + 1, QImage.Format.Format_RGB32
        )
        image.fill(QColor("white"))
        painter = QPainter(image)
        doc.drawContents(painter)
        painter.end()
        for cut in safe_breaks(doc):
            above, below = round(cut) - 2, round(cut) + 1
            inside = image.pixel(3, above) == background and image.pixel(3, below) == background
            assert not inside, f"a break at {cut} cuts through a code block"
    # A long card may go on in the next column, but only after its question and two
    # lines of its answer.
    split = 0
    for sheet in (code, load_sheet(library, SheetOptions(deck="sixty.md"), now=now)):
        laid = sheet_pages(sheet, layout=Layout.COMPACT, paper=Paper.A4)
        for page in laid.pages:
            for piece in page:
                block, doc = laid.blocks[piece.block], laid.docs[piece.block]
                whole = piece.top == 0 and piece.bottom >= doc.size().height() - 0.5
                if block.kind is BlockKind.CARD and piece.top == 0 and not whole:
                    split += 1
                    answer, line = _answer_top(doc, f"{block.anchor}-answer")
                    assert answer is not None
                    assert piece.bottom >= answer + 2 * line - 0.5
    assert split  # the rule was exercised


def test_a_bundled_deck_of_forty_to_seventy_notes_fits_on_four_a4_pages(
    qapp: Any, tmp_path: Path, now: datetime
) -> None:
    from flashcards.collection import Collection

    with Collection.open(tmp_path / "data") as col:
        decks = [d for d in col.decks() if 40 <= len(_notes(col, d.file, now)) <= 70]
        assert decks
        for deck in decks:
            sheet = load_sheet(col, SheetOptions(deck=deck.file), now=now)
            assert sheet_pages(sheet, layout=Layout.COMPACT, paper=Paper.A4).count <= 4, deck.file


def _notes(col: Any, deck: str, now: datetime) -> tuple[Any, ...]:
    return load_sheet(col, SheetOptions(deck=deck), now=now).cards


def test_section_headers_wear_their_domains_colour(collection: Any, now: datetime) -> None:
    from flashcards.core.domain_palette import DOMAIN_PALETTE

    sheet = load_sheet(collection, SheetOptions(), now=now)
    assert set(sheet.colours) == {"Data Engineering", "Modeling"}
    page = sheet_html(sheet, layout=Layout.COMPACT)
    modeling = sheet.colours["Modeling"]
    assert modeling in DOMAIN_PALETTE
    # The "Tiny" deck's heading and its "Basics" section are on a band of that colour.
    assert re.search(rf'bgcolor="{modeling}".*?>Tiny<', page, re.S)
    assert re.search(rf'bgcolor="{modeling}".*?>Basics<', page, re.S)


def test_compact_cards_are_bold_questions_with_answers(collection: Any, now: datetime) -> None:
    sheet = load_sheet(collection, SheetOptions(deck="tiny.md"), now=now)
    page = sheet_html(sheet, layout=Layout.COMPACT)
    assert re.search(r"font-weight:700;[^>]*>\s*<p[^>]*>What is eta in XGBoost\?", page)
    # A multiple-choice card: its right option ticked, the wrong ones left out.
    assert "✓&nbsp;Area under the precision-recall curve" in page
    assert "Mean squared error" not in page and "Accuracy is 99.9%" in page


def test_html_links_are_anchors_on_the_sheet_or_plain_text(
    collection: Any, now: datetime, tmp_path: Path
) -> None:
    whole = load_sheet(collection, SheetOptions(), now=now)
    page = write_html(whole, tmp_path / "all.html").read_text(encoding="utf-8")
    assert "card:" not in page
    early = next(c for c in whole.cards if c.card.title == "Early stopping").note_id
    # Both links to "Early stopping" (same deck and the other deck) lead to its card.
    assert page.count(f'href="#card-{early}"') == 2
    targets = re.findall(r'href="#([^"]+)"', page)
    assert targets
    for target in targets:
        assert page.count(f'id="{target}"') == 1, target
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "grid-template-columns:repeat(auto-fill" in page  # one column on a phone
    # The "Data" deck alone: its link's target is not on the sheet, so it is plain text.
    data = load_sheet(collection, SheetOptions(deck="data.md"), now=now)
    page = write_html(data, tmp_path / "data.html").read_text(encoding="utf-8")
    assert "card:" not in page and 'href="#' not in page
    assert "Early stopping" in page


def test_the_window_offers_layouts_paper_and_a_page_preview(
    qtbot: Any, runner: Any, now: datetime, tmp_path: Path
) -> None:
    from PySide6.QtCore import QSettings

    from flashcards.gui.cheatsheet import CheatSheetWindow

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = CheatSheetWindow(
        runner, options=SheetOptions(deck="tiny.md"), now=lambda: now, settings=settings
    )
    qtbot.addWidget(window)
    window.show()
    window.load()
    labels = [window.scope.itemText(i) for i in range(window.scope.count())]
    assert labels[0] == "All decks" and "Domain: Modeling" in labels
    window.paper_box.setCurrentIndex(window.paper_box.findData(Paper.LETTER))
    with qtbot.waitSignal(window.pages_shown) as shown:
        window.pages_action.trigger()
    assert shown.args[0].count == 1 and shown.args[0].paper is Paper.LETTER
    assert window.stack.currentWidget() is window.preview
    assert len(window.preview.labels) == 1
    window.layout_box.setCurrentIndex(window.layout_box.findData(Layout.FULL))
    assert settings.value("cheatsheet/layout") == "full"
    assert settings.value("cheatsheet/paper") == "letter"
    # The search narrows the sheet as the browser's search does.
    qtbot.keyClicks(window.search, "kind:cloze")
    qtbot.keyClick(window.search, "\r")
    assert [c.card.title for c in window.sheet.cards] == ["Precision"]
    window.close()
    again = CheatSheetWindow(runner, now=lambda: now, settings=settings)
    qtbot.addWidget(again)
    assert again.layout_choice is Layout.FULL and again.paper is Paper.LETTER
    again.close()
