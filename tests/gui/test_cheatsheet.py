"""Cheat-sheets on a real collection: contents, filters, PDF and HTML exports."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from flashcards.core.model import Rating
from flashcards.gui.cheatsheet import CheatSheetWindow, SheetOptions, load_sheet, sheet_html
from flashcards.gui.cheatsheet.export import write_html, write_pdf
from flashcards.gui.cheatsheet.sheet import inline_images


def pdf_text(path: Path) -> str:
    """The PDF's text, by QtPdf (and pdftotext when installed, which must agree)."""
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    text = "\n".join(doc.getAllText(page).text() for page in range(doc.pageCount()))
    doc.close()
    # A narrow column breaks "precision-recall" after its hyphen.
    text = re.sub(r"-\s+", "-", text)
    if shutil.which("pdftotext"):
        out = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        )
        assert "Early stopping" in out.stdout
    return text


def test_sheet_of_a_deck_has_sections_prompts_and_answers(collection: Any, now: datetime) -> None:
    sheet = load_sheet(collection, SheetOptions(deck="tiny.md"), now=now)
    assert sheet.title == "Tiny"
    titles = [c.card.title for c in sheet.cards]
    assert titles == [
        "What is eta in XGBoost?",
        "Early stopping",
        "Precision",
        "Metric for rare fraud",
    ]
    page = sheet_html(sheet)
    assert "Basics" in page and "Each tree adds less" not in page  # section; text as written
    assert "The learning rate" in page and "early_stopping_rounds" in page
    assert "TP / (TP + FP)" in page  # cloze shown in full
    assert 'style="color:' in page  # code highlighted with inline styles


def test_domain_tag_and_struggling_filters(collection: Any, now: datetime) -> None:
    sheet = load_sheet(collection, SheetOptions(domain="Data Engineering"), now=now)
    assert [c.card.title for c in sheet.cards] == ["Streaming validation metrics"]
    assert load_sheet(collection, SheetOptions(deck="tiny.md", tag="nope"), now=now).cards == ()
    struggling = SheetOptions(deck="tiny.md", struggling=True)
    assert load_sheet(collection, struggling, now=now).cards == ()
    ids = [c.card.id for c in load_sheet(collection, SheetOptions(deck="tiny.md"), now=now).cards]
    t = now
    collection.answer(ids[1], Rating.EASY, now=t)
    for _ in range(3):  # three lapses
        t += timedelta(days=30)
        collection.answer(ids[1], Rating.AGAIN, now=t)
        collection.answer(ids[1], Rating.EASY, now=t + timedelta(minutes=10))
    sheet = load_sheet(collection, struggling, now=t)
    assert [c.card.title for c in sheet.cards] == ["Early stopping"]
    assert "struggle" in sheet.subtitle


def test_pdf_export_contains_the_cards_text(
    qapp: Any, collection: Any, now: datetime, tmp_path: Path
) -> None:
    sheet = load_sheet(collection, SheetOptions(deck="tiny.md"), now=now)
    path = write_pdf(sheet, tmp_path / "tiny.pdf")
    assert path.stat().st_size > 1000
    text = pdf_text(path)
    for fragment in ("Tiny", "Early stopping", "validation loss", "precision-recall", "Basics"):
        assert fragment in text


def test_html_export_is_self_contained(
    collection: Any, now: datetime, tmp_path: Path, data_dir: Path
) -> None:
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
    (data_dir / "decks" / "dot.png").write_bytes(png)
    deck = data_dir / "decks" / "data.md"
    deck.write_text(
        deck.read_text(encoding="utf-8") + "\n## Picture\n![dot](dot.png)\n", encoding="utf-8"
    )
    collection.sync()
    sheet = load_sheet(collection, SheetOptions(deck="data.md"), now=now)
    out = write_html(sheet, tmp_path / "data.html")
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "data:image/png;base64," in page and "file:" not in page
    assert "Streaming validation metrics" in page
    assert inline_images('<img src="file:///no/such.png">') == '<img src="file:///no/such.png">'


def test_window_loads_filters_and_exports(
    qtbot: Any, runner: Any, now: datetime, tmp_path: Path
) -> None:
    window = CheatSheetWindow(runner, options=SheetOptions(deck="tiny.md"), now=lambda: now)
    qtbot.addWidget(window)
    window.show()
    window.load()
    assert window.scope.count() == 5  # everything, two decks, two domains
    assert window.scope.currentText() == "Deck: Tiny"
    assert "Early stopping" in window.view.toPlainText()
    window.struggling.setChecked(True)
    assert "No cards match" in window.view.toPlainText()
    window.struggling.setChecked(False)
    window.scope.setCurrentIndex(window.scope.findText("Domain: Data Engineering"))
    window.scope.activated.emit(window.scope.currentIndex())
    assert "Streaming validation metrics" in window.view.toPlainText()
    pdf = window.export_pdf(tmp_path / "sheet.pdf")
    assert pdf is not None and "Streaming validation metrics" in pdf_text_only(pdf)
    html_path = window.export_html(tmp_path / "sheet.html")
    assert html_path is not None and "Streaming" in html_path.read_text(encoding="utf-8")


def pdf_text_only(path: Path) -> str:
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    doc.load(str(path))
    return "\n".join(doc.getAllText(p).text() for p in range(doc.pageCount()))


_ = pytest


def test_print_lays_out_on_a_printer(
    qapp: Any, collection: Any, now: datetime, tmp_path: Path
) -> None:
    from PySide6.QtPrintSupport import QPrinter

    from flashcards.gui.cheatsheet.export import print_to

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    print_to(printer, load_sheet(collection, SheetOptions(deck="tiny.md"), now=now))
    del printer
    assert "Early stopping" in pdf_text_only(tmp_path / "printed.pdf")
