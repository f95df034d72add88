"""Print a cheat-sheet, or export it to PDF (A4 or Letter, compact or full) or to one
self-contained web page."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QPagedPaintDevice, QPageSize, QPainter, QPdfWriter, QTextDocument

from flashcards.collection.cheatsheet import Layout, Paper, Sheet
from flashcards.collection.cheatsheet_html import (
    PRINT_SCALE,
    Block,
    sheet_blocks,
    sheet_html,
    write_html,
)
from flashcards.core.errors import FlashcardsError
from flashcards.gui.card_media import CardDocument
from flashcards.gui.cheatsheet.pages import DPI, SheetPages, page_layout


def print_blocks(sheet: Sheet, layout: Layout) -> list[Block]:
    """The sheet's blocks at paper size (draws formulas: run it on the worker)."""
    return sheet_blocks(sheet, layout=layout, scale=PRINT_SCALE[layout])


def sheet_pages(
    sheet: Sheet,
    *,
    layout: Layout = Layout.COMPACT,
    paper: Paper | QPageSize = Paper.A4,
    blocks: list[Block] | None = None,
) -> SheetPages:
    """The sheet laid out on pages (`blocks` from `print_blocks`, made here if None)."""
    return SheetPages(
        blocks if blocks is not None else print_blocks(sheet, layout),
        layout=layout,
        paper=paper,
        title=sheet.title,
    )


def paint_pages(pages: SheetPages, device: QPagedPaintDevice) -> None:
    """Draw every page on `device` (a PDF writer or a printer set to the same paper)."""
    painter = QPainter()
    if not painter.begin(device):
        raise FlashcardsError("cannot draw on the printer or file")
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    # Lay out at DPI, draw at the device's resolution, from the paper's corner.
    scale = device.logicalDpiX() / DPI
    offset = device.pageLayout().paintRectPixels(device.logicalDpiX()).topLeft()
    for index in range(pages.count):
        if index:
            device.newPage()
        painter.save()
        painter.translate(-offset.x(), -offset.y())
        painter.scale(scale, scale)
        pages.paint(painter, index)
        painter.restore()
    painter.end()


def print_to(
    device: QPagedPaintDevice,
    sheet: Sheet,
    *,
    layout: Layout = Layout.COMPACT,
    blocks: list[Block] | None = None,
) -> int:
    """Lay the sheet out on `device`'s paper and draw it; the number of pages."""
    pages = sheet_pages(sheet, layout=layout, paper=device.pageLayout().pageSize(), blocks=blocks)
    paint_pages(pages, device)
    return pages.count


def write_pdf(
    sheet: Sheet,
    path: Path,
    *,
    layout: Layout = Layout.COMPACT,
    paper: Paper = Paper.A4,
    blocks: list[Block] | None = None,
) -> Path:
    """A PDF of the sheet (text stays selectable and searchable)."""
    write_pages(sheet_pages(sheet, layout=layout, paper=paper, blocks=blocks), path)
    return path


def write_pages(pages: SheetPages, path: Path) -> None:
    """Pages already laid out, as a PDF on their paper."""
    writer = QPdfWriter(str(path))
    writer.setTitle(f"{pages.title} — cheat-sheet")
    writer.setCreator("Flashcards")
    writer.setResolution(DPI)
    writer.setPageLayout(page_layout(pages.paper))
    paint_pages(pages, writer)
    del writer  # the file is finished when the writer goes
    if not path.is_file():
        raise FlashcardsError(f"cannot write {path}")


def sheet_document(sheet: Sheet, *, layout: Layout = Layout.FULL) -> QTextDocument:
    """The whole sheet as one document at paper size (images load as card views load
    them: only from inside the library)."""
    doc: QTextDocument = CardDocument()
    doc.setDocumentMargin(0)
    doc.setHtml(sheet_html(sheet, layout=layout, scale=PRINT_SCALE[layout]))
    return doc


__all__ = [
    "paint_pages",
    "print_blocks",
    "print_to",
    "sheet_document",
    "sheet_pages",
    "write_html",
    "write_pages",
    "write_pdf",
]
