"""`flashcards cheatsheet`: the app's cheat-sheet as a PDF or a web page.

flashcards cheatsheet --deck "domain:Modeling" -o modeling.pdf     an exam domain, compact
flashcards cheatsheet --deck aws-ml-specialty -o ml.html           a folder, as a web page
flashcards cheatsheet --query "tag:kinesis" --struggling -o weak.pdf
flashcards cheatsheet --deck "Getting started" --layout full --paper letter -o start.pdf

The cards are chosen as the app's Cheat-sheet window chooses them (`load_sheet`), and the
PDF is laid out by the same code that prints and exports from the window; a web page
needs no Qt, a PDF starts a window-less Qt (offscreen where there is no display).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from flashcards.core.errors import FlashcardsError

if TYPE_CHECKING:
    from flashcards.collection import Collection

FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html"}


def add_parser(sub: Any) -> None:
    """The subcommand, on `build_parser`'s subparsers."""
    p = sub.add_parser(
        "cheatsheet",
        help="a cheat-sheet of a deck, folder, exam domain or search as PDF or HTML",
        description="Write the cards chosen as a cheat-sheet to print or read: each "
        "card's question in bold with its answer, sections in their domain's colour. The "
        "compact layout sets small type in three columns (a 60-card deck fits on four A4 "
        "pages); full is one column of reading-size type. The format follows OUT: .pdf, or "
        ".html for one self-contained web page that reads on a phone.",
    )
    chosen = p.add_mutually_exclusive_group()
    chosen.add_argument(
        "--deck",
        default=None,
        metavar="NAME",
        help="a deck (name or file), a folder, or an exam domain's decks (domain:NAME); "
        "as `export --deck` takes (default: every deck)",
    )
    chosen.add_argument(
        "--query",
        default="",
        metavar="QUERY",
        help='the cards a browser search finds (e.g. "tag:kinesis", "deck:… is:review")',
    )
    p.add_argument(
        "--struggling",
        action="store_true",
        help="only the cards you struggle with (recall below 80%% now, or forgotten 3 times "
        "or more)",
    )
    p.add_argument(
        "--layout",
        choices=("compact", "full"),
        default="compact",
        help="compact: three columns of small type (default); full: one column",
    )
    p.add_argument(
        "--paper",
        choices=("a4", "letter"),
        default=None,
        help="the PDF's paper (default: Letter where the system measures in inches, else A4)",
    )
    p.add_argument(
        "-o", "--out", type=Path, required=True, metavar="OUT", help="the .pdf or .html to write"
    )


def cmd_cheatsheet(col: Collection, args: argparse.Namespace, out: TextIO) -> int:
    from flashcards.collection.cheatsheet import Layout, SheetOptions, load_sheet
    from flashcards.collection.cheatsheet_html import write_html

    kind = FORMATS.get(args.out.suffix.lower())
    if kind is None:
        raise FlashcardsError(f"{args.out}: give a file ending in .pdf or .html")
    if not args.out.parent.is_dir():
        raise FlashcardsError(f"{args.out}: no folder {args.out.parent}")
    options = SheetOptions(deck=args.deck, search=args.query, struggling=args.struggling)
    layout = Layout(args.layout)
    sheet = load_sheet(col, options, now=datetime.now(UTC))
    cards = f"{len(sheet.cards)} card{'s' if len(sheet.cards) != 1 else ''}"
    if kind == "html":
        try:
            write_html(sheet, args.out, layout=layout)
        except OSError as exc:
            raise FlashcardsError(f"cannot write {args.out}: {exc.strerror}") from exc
        out.write(f"wrote a cheat-sheet of {cards} to {args.out}\n")
        return 0
    pages, paper = _write_pdf(sheet, args.out, layout=layout, paper=args.paper)
    out.write(
        f"wrote a cheat-sheet of {cards} on {pages} {paper} page{'s' if pages != 1 else ''} "
        f"to {args.out}\n"
    )
    return 0


def _write_pdf(sheet: Any, path: Path, *, layout: Any, paper: str | None) -> tuple[int, str]:
    """Lay the sheet out on pages as the app does; (pages, paper's name)."""
    _qt_app()
    from flashcards.collection.cheatsheet import Paper
    from flashcards.gui.cheatsheet.export import sheet_pages, write_pages
    from flashcards.gui.cheatsheet.pages import default_paper

    chosen = Paper(paper) if paper else default_paper()
    pages = sheet_pages(sheet, layout=layout, paper=chosen)
    try:
        write_pages(pages, path)
    except OSError as exc:
        raise FlashcardsError(f"cannot write {path}: {exc.strerror}") from exc
    count = pages.count
    return count, "A4" if chosen is Paper.A4 else "Letter"


def _qt_app() -> Any:
    """The running Qt application, else a new one without windows (text layout and PDF
    writing need one); offscreen on Linux without a display, as on a server."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        return app
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and headless and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return QApplication([sys.argv[0] if sys.argv else "flashcards"])
