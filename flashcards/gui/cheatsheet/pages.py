"""A cheat-sheet on paper: its blocks flowed into columns and pages.

Each block (a heading, a card) is its own `QTextDocument` laid out at 300 dpi across a
column's width. A block that fits in what is left of a column goes there whole; one
that does not starts the next column (a heading takes the start of what follows with
it). Only a block taller than a whole column is split, and then between paragraphs or
lines of text — never inside a table, so never inside a code block (the renderer sets
code in a table), and never through a formula (an image within a line). The same
pages are printed, written to PDF (selectable text) and shown in the preview.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QLocale, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPen,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextTable,
)

from flashcards.collection.cheatsheet import Layout, Paper
from flashcards.collection.cheatsheet_html import Block, BlockKind, sheet_css
from flashcards.gui.card_media import CardDocument

DPI = 300
"""Pages are laid out at this resolution, whatever they are drawn on (the same breaks
in the preview, the PDF and on a printer)."""

PAPER = {Paper.A4: QPageSize.PageSizeId.A4, Paper.LETTER: QPageSize.PageSizeId.Letter}


@dataclass(frozen=True)
class PageStyle:
    columns: int
    margin_mm: float
    gutter_mm: float
    card_gap_mm: float  # white space after each card


STYLE = {
    Layout.COMPACT: PageStyle(columns=3, margin_mm=8.0, gutter_mm=4.5, card_gap_mm=1.0),
    Layout.FULL: PageStyle(columns=1, margin_mm=14.0, gutter_mm=0.0, card_gap_mm=2.0),
}


def default_paper() -> Paper:
    """Letter where the locale measures in inches (the US), else A4."""
    imperial = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return Paper.LETTER if imperial else Paper.A4


def page_layout(paper: Paper | QPageSize) -> QPageLayout:
    """Portrait, no margins (the pages draw their own)."""
    size = paper if isinstance(paper, QPageSize) else QPageSize(PAPER[paper])
    return QPageLayout(
        size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter
    )


@dataclass(frozen=True)
class Slice:
    """Part of a block on a page: its document's rows `top`..`bottom`, drawn at (x, y)."""

    block: int
    top: float
    bottom: float
    x: float
    y: float


def _mm(value: float) -> float:
    return value / 25.4 * DPI


class SheetPages:
    """The blocks of a sheet laid out on pages of `paper` in `layout`'s columns."""

    def __init__(
        self, blocks: list[Block], *, layout: Layout, paper: Paper | QPageSize, title: str
    ) -> None:
        self.blocks = blocks
        self.layout = layout
        self.paper = paper
        self.title = title
        self.style = STYLE[layout]
        self.page_size = page_layout(paper).fullRectPixels(DPI).size()
        margin = _mm(self.style.margin_mm)
        self.margin = margin
        self.footer = _mm(6.0)
        self.width = self.page_size.width() - 2 * margin
        self.height = self.page_size.height() - 2 * margin - self.footer
        self.card_gap = _mm(self.style.card_gap_mm)
        gutter = _mm(self.style.gutter_mm)
        self.gutter = gutter
        columns = self.style.columns
        self.column_width = (self.width - gutter * (columns - 1)) / columns
        self._device = QImage(1, 1, QImage.Format.Format_ARGB32)
        dots = round(DPI / 0.0254)
        self._device.setDotsPerMeterX(dots)
        self._device.setDotsPerMeterY(dots)
        self.docs = [self._document(b) for b in blocks]
        self._cut_cache: dict[int, list[float]] = {}
        self.pages: list[list[Slice]] = []
        self._flow()

    # -- layout -----------------------------------------------------------------------------

    def _document(self, block: Block) -> QTextDocument:
        doc: QTextDocument = CardDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultStyleSheet(sheet_css(self.layout))
        # A list's indent, in 96-dpi pixels (Qt scales it to the device).
        doc.setIndentWidth((3.5 if self.layout is Layout.COMPACT else 6.0) / 25.4 * 96)
        doc.documentLayout().setPaintDevice(self._device)
        doc.setHtml(block.html)
        full = block.kind is BlockKind.TITLE
        doc.setTextWidth(self.width if full else self.column_width)
        return doc

    def _flow(self) -> None:
        top = self.margin
        column = 0
        page: list[Slice] = []
        self.pages = [page]
        y = top
        start = 0
        if self.blocks and self.blocks[0].kind is BlockKind.TITLE:
            title = self.docs[0]
            height = title.size().height()
            page.append(Slice(0, 0.0, height, self.margin, top))
            y = top + height + _mm(1.5)
            start = 1
        column_top = y
        bottom = self.margin + self.height

        def next_column() -> None:
            nonlocal column, y, column_top, page
            column += 1
            if column >= self.style.columns:
                column = 0
                page = []
                self.pages.append(page)
                column_top = top
            y = column_top

        def x_of() -> float:
            return self.margin + column * (self.column_width + self.gutter)

        for k in range(start, len(self.blocks)):
            doc = self.docs[k]
            height = doc.size().height()
            need = height
            if self.blocks[k].keep_with_next and k + 1 < len(self.blocks):
                need += min(self._least_start(k + 1), (bottom - column_top) / 4)
            done = 0.0
            if y + need > bottom and y > column_top:
                # A long card may start here and go on in the next column.
                cut = self._first_part(k, bottom - y)
                if cut is not None:
                    page.append(Slice(k, 0.0, cut, x_of(), y))
                    done = cut
                next_column()
            if y + height - done <= bottom:
                page.append(Slice(k, done, height, x_of(), y))
                y += height - done
            else:
                # Taller than a whole column: split at safe places only.
                breaks = safe_breaks(doc)
                while done < height - 0.5:
                    room = bottom - y
                    if height - done <= room:
                        page.append(Slice(k, done, height, x_of(), y))
                        y += height - done
                        break
                    fits = [b for b in breaks if done < b <= done + room]
                    if not fits and y > column_top:
                        next_column()
                        continue
                    cut = max(fits) if fits else _any_line(doc, done, done + room)
                    page.append(Slice(k, done, cut, x_of(), y))
                    done = cut
                    next_column()
            if self.blocks[k].kind is BlockKind.CARD:
                y += self.card_gap
        if not self.pages[-1] and len(self.pages) > 1:
            self.pages.pop()

    def _cuts(self, k: int) -> list[float]:
        """Where card `k` may go on in the next column: at a safe place below its
        question and two lines of its answer, two lines or more before its end."""
        if k in self._cut_cache:
            return self._cut_cache[k]
        block, doc = self.blocks[k], self.docs[k]
        cuts: list[float] = []
        if block.kind is BlockKind.CARD and block.anchor:
            answer, line = _answer_top(doc, f"{block.anchor}-answer")
            if answer is not None:
                low = answer + 2 * line - 0.5
                high = doc.size().height() - 2 * line + 0.5
                cuts = [b for b in safe_breaks(doc) if low <= b <= high]
        self._cut_cache[k] = cuts
        return cuts

    def _first_part(self, k: int, room: float) -> float | None:
        """The lowest place card `k` may break within `room` (None: none; the card
        starts the next column whole)."""
        fits = [b for b in self._cuts(k) if b <= room]
        return max(fits) if fits else None

    def _least_start(self, k: int) -> float:
        """The height block `k` needs to start in a column."""
        cuts = self._cuts(k)
        return cuts[0] if cuts else self.docs[k].size().height()

    # -- drawing ----------------------------------------------------------------------------

    @property
    def count(self) -> int:
        return len(self.pages)

    def paint(self, painter: QPainter, index: int) -> None:
        """Draw page `index` with `painter` in this layout's pixels (scale the painter
        to draw at another resolution)."""
        for piece in self.pages[index]:
            doc = self.docs[piece.block]
            painter.save()
            painter.translate(piece.x, piece.y - piece.top)
            width = doc.textWidth()
            doc.drawContents(painter, QRectF(0, piece.top, width, piece.bottom - piece.top))
            painter.restore()
        self._rules(painter, index)
        self._footer(painter, index)

    def _rules(self, painter: QPainter, index: int) -> None:
        """Thin lines between the columns, as long as the columns run."""
        if self.style.columns < 2:
            return
        pieces = [p for p in self.pages[index] if self.blocks[p.block].kind is not BlockKind.TITLE]
        if not pieces:
            return
        top = min(p.y for p in pieces)
        low = max(p.y + p.bottom - p.top for p in pieces)
        pen = QPen(QColor("#d9dce1"), _mm(0.2))
        painter.save()
        painter.setPen(pen)
        for column in range(1, self.style.columns):
            x = self.margin + column * (self.column_width + self.gutter) - self.gutter / 2
            painter.drawLine(QPointF(x, top), QPointF(x, low))
        painter.restore()

    def _footer(self, painter: QPainter, index: int) -> None:
        painter.save()
        font = QFont()
        # 6.5 pt in this layout's pixels, so it scales with the page on any device.
        font.setPixelSize(round(6.5 / 72 * DPI))
        painter.setFont(font)
        painter.setPen(QColor("#8a8f98"))
        area = QRectF(
            self.margin,
            self.page_size.height() - self.margin - self.footer * 0.6,
            self.width,
            self.footer * 0.6,
        )
        text = f"{self.title} — page {index + 1} of {self.count}"
        painter.drawText(
            area, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom), text
        )
        painter.restore()

    def image(self, index: int, *, width: int) -> QImage:
        """Page `index` as an image `width` pixels wide (the preview)."""
        scale = width / self.page_size.width()
        image = QImage(
            width, round(self.page_size.height() * scale), QImage.Format.Format_ARGB32_Premultiplied
        )
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.scale(scale, scale)
        self.paint(painter, index)
        painter.end()
        return image


def safe_breaks(doc: QTextDocument) -> list[float]:
    """Heights in `doc` where a page may break: above and below its tables, at the tops
    of its paragraphs and between their lines — never inside a table (code, options)."""
    layout = doc.documentLayout()
    device = layout.paintDevice()
    pixels = device.logicalDpiY() / 96 if device is not None else 1.0
    tables: list[tuple[float, float]] = []
    for child in doc.rootFrame().childFrames():
        rect = layout.frameBoundingRect(child)
        top = rect.top()
        if isinstance(child, QTextTable):
            # The frame's rectangle starts inside the cell padding, below the background.
            table = child.format()
            top -= (table.cellPadding() + table.cellSpacing() + table.border()) * pixels
        before = doc.findBlock(child.firstPosition() - 1)
        if before.isValid() and before.text() and not _in_table(before):
            top = min(top, layout.blockBoundingRect(before).bottom())
        tables.append((max(top, 0.0), rect.bottom()))
    out = {edge for span in tables for edge in span}
    block = doc.begin()
    while block.isValid():
        if not _in_table(block):
            rect = layout.blockBoundingRect(block)
            out.add(rect.top())
            lines = block.layout()
            for i in range(1, lines.lineCount()):
                out.add(rect.top() + lines.lineAt(i).y())
        block = block.next()
    height = doc.size().height()
    # Qt may place the empty paragraph that follows a table beside it, within its height.
    # Whole pixels: a background that starts half a pixel below a break (inline code)
    # would leave a sliver above it.
    return sorted(
        {
            float(math.floor(b))
            for b in out
            if 0.5 < b < height - 0.5 and not any(t + 0.5 < b < u - 0.5 for t, u in tables)
        }
    )


def _answer_top(doc: QTextDocument, name: str) -> tuple[float | None, float]:
    """The top of the paragraph holding the anchor `name` (None without one) and the
    height of its first line."""
    layout = doc.documentLayout()
    block = doc.begin()
    first_line = 0.0
    while block.isValid():
        lines = block.layout()
        if not first_line and lines.lineCount():
            first_line = lines.lineAt(0).height()
        fragments = block.begin()
        while not fragments.atEnd():
            if name in fragments.fragment().charFormat().anchorNames():
                line = lines.lineAt(0).height() if lines.lineCount() else first_line
                return layout.blockBoundingRect(block).top(), line
            fragments += 1
        block = block.next()
    return None, first_line


def _in_table(block: QTextBlock) -> bool:
    return QTextCursor(block).currentTable() is not None


def _any_line(doc: QTextDocument, low: float, high: float) -> float:
    """The lowest line boundary in (low, high] of any text, tables too: a block taller
    than a column with no safe place to break (a code block longer than a page)."""
    layout = doc.documentLayout()
    best = high
    found = False
    block = doc.begin()
    while block.isValid():
        rect = layout.blockBoundingRect(block)
        lines = block.layout()
        for i in range(lines.lineCount()):
            y = rect.top() + lines.lineAt(i).y()
            if low < y <= high and (not found or y > best):
                best, found = y, True
        block = block.next()
    return best if found else high
