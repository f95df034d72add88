"""Print a cheat-sheet, or export it to PDF or to a self-contained HTML file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from flashcards.core.ids import write_atomic
from flashcards.gui.card_media import CardDocument
from flashcards.gui.cheatsheet.sheet import Sheet, sheet_html

MARGIN_MM = 14.0


def sheet_document(sheet: Sheet) -> QTextDocument:
    """The sheet laid out for paper (images load from their files inside the library)."""
    doc: QTextDocument = CardDocument()
    doc.setDocumentMargin(0)
    doc.setHtml(sheet_html(sheet, scale=0.62))
    return doc


def print_to(device: QPagedPaintDevice, sheet: Sheet) -> None:
    """Lay the sheet out on `device`'s pages (a printer or a PDF writer)."""
    sheet_document(sheet).print_(device)


def write_pdf(sheet: Sheet, path: Path) -> Path:
    """An A4 PDF of the sheet (text stays selectable and searchable)."""
    writer = QPdfWriter(str(path))
    writer.setTitle(f"{sheet.title} — cheat-sheet")
    writer.setCreator("Flashcards")
    writer.setResolution(300)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    doc = sheet_document(sheet)
    # Lay out at the writer's resolution across its whole printable width; without a
    # page size QTextDocument adds 2 cm margins of its own on top of the page's.
    doc.documentLayout().setPaintDevice(writer)
    area = writer.pageLayout().paintRectPixels(writer.resolution())
    doc.setPageSize(QSizeF(area.width(), area.height()))
    doc.print_(writer)
    del writer  # the file is finished when the writer goes
    return path


def write_html(sheet: Sheet, path: Path) -> Path:
    """One HTML file with every image inlined as a `data:` URI (written atomically)."""
    write_atomic(path, sheet_html(sheet, standalone=True).encode("utf-8"))
    return path
