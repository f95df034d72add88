"""A cheat-sheet: the cards of a deck or a domain as one printable document.

`load_sheet` runs on the worker (it reads the collection); `sheet_html` turns the
result into HTML for a `QTextBrowser`, a printer or a file. No widgets here.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

from flashcards.collection.browse import search_cards
from flashcards.collection.library import root_holding
from flashcards.core.math_render import fit_formulas, formula_budget
from flashcards.core.math_tex import plain_math
from flashcards.core.media_files import read_regular_file
from flashcards.core.model import Card
from flashcards.core.render import Side, render_card
from flashcards.core.word_breaks import BREAK_HINT

STRUGGLE_RECALL = 0.8
STRUGGLE_LAPSES = 3
STRUGGLE_QUERY = f"(prop:retrievability<{STRUGGLE_RECALL} or prop:lapses>={STRUGGLE_LAPSES})"
FORMULA_BUDGET_S = 10.0
"""Seconds a whole sheet may spend drawing formulas; past that they show as TeX source
(a deck of thousands of formulas gives a sheet in seconds, not minutes)."""


@dataclass(frozen=True)
class SheetOptions:
    """What goes on the sheet: one deck (key) or one domain; optional filters."""

    deck: str | None = None
    domain: str | None = None
    struggling: bool = False  # only cards with low recall now or many lapses
    tag: str | None = None

    def query(self) -> str:
        parts = []
        if self.deck:
            parts.append(f'deck:"{self.deck}"')
        if self.domain:
            parts.append(f'domain:"{self.domain}"')
        if self.tag:
            parts.append(f'tag:"{self.tag.strip()}"')
        if self.struggling:
            parts.append(STRUGGLE_QUERY)
        return " ".join(parts)

    def title(self) -> str:
        return self.deck or self.domain or "All decks"


@dataclass(frozen=True)
class SheetCard:
    card: Card
    deck: str
    base_dir: str
    media_root: str = ""  # the library folder its images stay inside ("": base_dir)


@dataclass(frozen=True)
class Sheet:
    title: str
    subtitle: str
    cards: tuple[SheetCard, ...]


def load_sheet(col: Any, options: SheetOptions, *, now: datetime) -> Sheet:
    """The cards for a sheet in file order, one per note (a note's cloze and reverse
    cards would repeat the same facts)."""
    ids = search_cards(col, options.query(), now=now)
    views = col.cards(ids)
    seen: set[str] = set()
    dirs: dict[str, tuple[str, str]] = {}
    roots = col.roots()
    cards = []
    title = options.title()
    for view in views:
        if view.note_id in seen:
            continue
        seen.add(view.note_id)
        file = view.card.file
        if file not in dirs:
            folder = col.deck_path(file).parent
            root = root_holding(roots, folder)
            dirs[file] = (str(folder), str(root) if root is not None else "")
        if options.deck and view.card.file == options.deck:
            title = view.deck_title
        cards.append(SheetCard(view.card, view.deck, *dirs[file]))
    filters = []
    if options.struggling:
        filters.append(
            f"only cards you struggle with (recall < {STRUGGLE_RECALL:.0%} "
            f"or ≥ {STRUGGLE_LAPSES} lapses)"
        )
    if options.tag:
        filters.append(f"tag {options.tag}")
    count = f"{len(cards)} card{'s' if len(cards) != 1 else ''}"
    subtitle = " · ".join([count, *filters, now.astimezone().strftime("%d %b %Y")])
    return Sheet(title, subtitle, tuple(cards))


_FONT_SIZE = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)pt")
_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]+)(")', re.IGNORECASE)


def _smaller(fragment: str, factor: float) -> str:
    """Card HTML is sized for the review screen; a sheet wants denser type (and formulas
    to match it)."""
    fragment = fit_formulas(fragment, scale=factor)
    return _FONT_SIZE.sub(lambda m: f"font-size:{float(m.group(1)) * factor:.1f}pt", fragment)


def inline_images(page: str) -> str:
    """Replace local `<img src>` files with `data:` URIs (a self-contained page).

    The renderer wrote only `file:` URLs of files inside the library; still, only a
    regular file of a bounded size is read (never a FIFO or a device)."""

    def replace(m: re.Match[str]) -> str:
        src = m.group(2)
        if not src.startswith("file:"):
            return m.group(0)
        path = Path(url2pathname(urlparse(html.unescape(src)).path))
        data = read_regular_file(path)
        if data is None:
            return m.group(0)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        encoded = base64.b64encode(data).decode("ascii")
        return f"{m.group(1)}data:{kind};base64,{encoded}{m.group(3)}"

    return _IMG_SRC.sub(replace, page)


_SEPARATOR = '<hr width="100%">'


def _card_block(card: Card, base_dir: Path, scale: float, media_root: Path | None) -> str:
    """One card: its title and prompt in a quieter voice, the answer below it."""
    page = render_card(card, side=Side.BACK, base_dir=base_dir, media_root=media_root)
    page = _smaller(page, scale)
    # Card titles are sized for the review screen; on a sheet they sit under sections.
    page = page.replace(f"font-size:{20 * scale:.1f}pt", f"font-size:{15 * scale + 1:.1f}pt")
    front, _, back = page.partition(_SEPARATOR)
    body = (
        f'<div style="color:#5f6368;">{front}</div>'
        f'<div style="margin-top:2px; color:#1f2328;">{back}</div>'
        if back
        else front
    )
    return (
        '<table width="100%" cellspacing="0" cellpadding="3" '
        'style="margin-bottom:6px; border-bottom:1px solid #e2e2e2;">'
        f"<tr><td>{body}</td></tr></table>"
    )


def sheet_html(sheet: Sheet, *, scale: float = 0.72, standalone: bool = False) -> str:
    """The sheet as HTML: a title, then a heading per deck and per section, then each
    card's prompt and answer. `standalone` adds `<html>` and inlines images."""
    title_size = 22 * scale + 4
    out = [
        f'<h1 style="font-size:{title_size:.0f}pt; margin-bottom:0;">'
        f"{html.escape(sheet.title)}</h1>",
        f'<p style="color:#777; margin-top:2px;">{html.escape(sheet.subtitle)}</p>',
    ]
    if not sheet.cards:
        out.append("<p><i>No cards match these options.</i></p>")
    deck = None
    sections: tuple[str, ...] = ()
    several_decks = len({item.deck for item in sheet.cards}) > 1
    with formula_budget(FORMULA_BUDGET_S):
        for item in sheet.cards:
            deck, sections = _add_card(out, item, deck, sections, several_decks, scale)
    body = "\n".join(out)
    if not standalone:
        return body
    # A web browser honours <wbr> and, unlike the zero-width space, leaves it out of copies.
    body = body.replace(BREAK_HINT, "<wbr>")
    page = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{html.escape(sheet.title)} — cheat-sheet</title>"
        '<style>body{font-family:-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;'
        "max-width:52em;margin:2em auto;padding:0 1em;line-height:1.4;color:#222}"
        "img{max-width:100%}@media print{h2{break-after:avoid}table{break-inside:avoid}}</style>"
        f"</head><body>\n{body}\n</body></html>\n"
    )
    return inline_images(page)


def _add_card(
    out: list[str],
    item: SheetCard,
    deck: str | None,
    sections: tuple[str, ...],
    several_decks: bool,
    scale: float,
) -> tuple[str | None, tuple[str, ...]]:
    """Append `item` (with the deck and section headings it opens) to `out`."""
    card = item.card
    if item.deck != deck:
        deck, sections = item.deck, ()
        if several_decks:
            out.append(
                f'<h2 style="font-size:{22 * scale + 3:.0f}pt; color:#1d5fa8; '
                f'margin-top:22px;">{html.escape(deck)}</h2>'
            )
    if card.section_path != sections:
        for depth, name in enumerate(card.section_path):
            if depth < len(sections) and sections[depth] == name:
                continue
            size = (19 - 2 * depth) * scale + 3
            out.append(
                f'<h3 style="font-size:{size:.0f}pt; color:#7a3e9d; '
                'margin-top:16px; margin-bottom:2px;">'
                f"{html.escape(plain_math(name))}</h3>"
            )
        sections = card.section_path
    root = Path(item.media_root) if item.media_root else None
    out.append(_card_block(card, Path(item.base_dir), scale, root))
    return deck, sections
