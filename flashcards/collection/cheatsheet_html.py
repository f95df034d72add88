"""A cheat-sheet as HTML: a list of blocks — the title, a heading per deck and section
(in its domain's colour), one per card — that the app's view joins into one page, the
printout flows into columns and pages (`gui/cheatsheet/pages.py`), and the web page sets
in CSS columns that fold to one on a phone.

In the compact layout each card's question is bold with its answer under it, a
multiple-choice card shows only its right options, and the type is small; the full
layout is one column at reading size. Links between cards become anchors on the sheet
(`#card-<note id>`), or plain text when the card linked to is not on it. Pure: no Qt,
no collection; drawing formulas is bounded by `FORMULA_BUDGET_S` per sheet.
"""

from __future__ import annotations

import base64
import dataclasses
import enum
import html
import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from flashcards.collection.cheatsheet import Layout, Sheet, SheetCard
from flashcards.core.domain_palette import NO_DOMAIN
from flashcards.core.ids import write_atomic
from flashcards.core.markdown_html import link_from_href
from flashcards.core.math_render import fit_formulas, formula_budget
from flashcards.core.math_tex import plain_math
from flashcards.core.media_files import read_regular_file
from flashcards.core.model import Card, CardKind
from flashcards.core.render import Side, render_card, render_markdown
from flashcards.core.word_breaks import BREAK_HINT

FORMULA_BUDGET_S = 10.0
"""Seconds a whole sheet may spend drawing formulas; past that they show as TeX source
(a deck of thousands of formulas gives a sheet in seconds, not minutes)."""

SCREEN_SCALE = 0.72  # the app's view: card type at 72 % of the review screen's
WEB_SCALE = 0.8  # the web page: 12 pt body text, 16 px on a phone
PRINT_SCALE = {Layout.COMPACT: 0.5, Layout.FULL: 0.62}  # 7.5 pt and 9.3 pt body text

INK = "#1f2328"
MUTED = "#5f6368"
LINK = "#1d5fa8"  # a link to a card on the sheet: blue that reads on paper
RIGHT = "#1f7a3d"  # a right option: green that reads on paper


class BlockKind(enum.Enum):
    TITLE = "title"
    DECK = "deck"
    SECTION = "section"
    CARD = "card"


@dataclass(frozen=True)
class Block:
    """A piece of the sheet that is never split across pages but where it must (a card
    taller than a column breaks between paragraphs, never inside code or a formula)."""

    kind: BlockKind
    html: str
    anchor: str = ""  # "card-<note id>" for a card

    @property
    def keep_with_next(self) -> bool:
        """A heading stays with what follows it."""
        return self.kind in (BlockKind.DECK, BlockKind.SECTION)


def anchor_of(note_id: str) -> str:
    return f"card-{note_id}"


def answer_anchor(note_id: str) -> str:
    """Where a card's answer starts: a page may break inside a long card, never
    between its question and the first lines of its answer."""
    return f"card-{note_id}-answer"


def _answer_mark(item: SheetCard) -> str:
    return f'<a name="{answer_anchor(item.note_id)}"></a>'


def sheet_css(layout: Layout) -> str:
    """Margins for Qt's rich text (its `<p>` has 12 px above and below by default):
    tight in the compact layout."""
    if layout is Layout.COMPACT:
        return (
            "p { margin-top: 0px; margin-bottom: 2px; } "
            "ul, ol { margin-top: 0px; margin-bottom: 2px; }"
        )
    return "p { margin-top: 2px; margin-bottom: 6px; }"


def sheet_blocks(sheet: Sheet, *, layout: Layout, scale: float) -> list[Block]:
    """The sheet's blocks in order: the title, then per card the deck and section
    headings it opens and the card itself."""
    blocks = [Block(BlockKind.TITLE, _title_html(sheet, layout, scale))]
    if not sheet.cards:
        blocks.append(Block(BlockKind.CARD, "<p><i>No cards match these options.</i></p>"))
        return blocks
    on_sheet: set[str] = {c.note_id for c in sheet.cards}
    several_decks = len({item.deck for item in sheet.cards}) > 1
    deck: str | None = None
    sections: tuple[str, ...] = ()
    with formula_budget(FORMULA_BUDGET_S):
        for item in sheet.cards:
            card = item.card
            colour = sheet.colours.get(item.domain or "", NO_DOMAIN)
            if item.deck != deck:
                deck, sections = item.deck, ()
                if several_decks:
                    name = deck.replace("::", " › ")
                    blocks.append(Block(BlockKind.DECK, _heading(name, colour, 0, layout, scale)))
            if card.section_path != sections:
                for depth, name in enumerate(card.section_path):
                    if depth < len(sections) and sections[depth] == name:
                        continue
                    text = _heading(plain_math(name), colour, depth + 1, layout, scale)
                    blocks.append(Block(BlockKind.SECTION, text))
                sections = card.section_path
            page = _card_html(item, layout, scale)
            page = _links(page, sheet, item, on_sheet)
            anchor = anchor_of(item.note_id)
            blocks.append(
                Block(
                    BlockKind.CARD,
                    f'<a name="{anchor}"></a><div id="{anchor}" class="card">{page}</div>',
                    anchor,
                )
            )
    return blocks


def sheet_html(
    sheet: Sheet,
    *,
    layout: Layout = Layout.FULL,
    scale: float = SCREEN_SCALE,
    standalone: bool = False,
) -> str:
    """The sheet as one HTML fragment (the app's view), or with `standalone` as a web
    page: images inlined, CSS columns in the compact layout, one column on a phone."""
    if standalone and scale == SCREEN_SCALE:
        scale = WEB_SCALE
    blocks = sheet_blocks(sheet, layout=layout, scale=scale)
    body = "\n".join(b.html for b in blocks)
    if not standalone:
        return body
    title, rest = blocks[0].html, "\n".join(b.html for b in blocks[1:])
    rest = _QT_ANCHOR.sub("", rest)  # Qt's scroll targets; a browser goes by the id
    # A web browser honours <wbr> and, unlike the zero-width space, leaves it out of copies.
    body = f'{title}\n<div class="sheet {layout.value}">\n{rest}\n</div>'.replace(
        BREAK_HINT, "<wbr>"
    )
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(sheet.title)} — cheat-sheet</title>"
        f"<style>{_WEB_CSS}</style>"
        f"</head><body>\n{body}\n</body></html>\n"
    )
    return inline_images(page)


def write_html(sheet: Sheet, path: Path, *, layout: Layout = Layout.COMPACT) -> Path:
    """The sheet as one web page, every image inlined as a `data:` URI (written
    atomically: a failed write leaves no half page)."""
    write_atomic(path, sheet_html(sheet, layout=layout, standalone=True).encode("utf-8"))
    return path


_WEB_CSS = (
    'body{font-family:-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;'
    f"max-width:80em;margin:0 auto;padding:1em 1.2em;line-height:1.35;color:{INK}}}"
    ".sheet.full{max-width:52em}"
    # On a screen the compact sheet reads across: rows of cards under each heading, as
    # many columns as fit (one on a phone); on paper it flows down columns.
    ".sheet.compact{display:grid;grid-template-columns:repeat(auto-fill,minmax(20em,1fr));"
    "column-gap:2em;align-items:start}"
    ".sheet.compact>.head{grid-column:1/-1}"
    ".card{break-inside:avoid;margin:0 0 .9em;min-width:0}"
    ".sheet table{break-inside:avoid;max-width:100%}"
    ".head{break-after:avoid;break-inside:avoid}"
    "p{margin:.15em 0 .35em}ul,ol{margin:.15em 0 .35em;padding-left:1.3em}"
    "img{max-width:100%;height:auto}"
    "pre{white-space:pre-wrap;overflow-wrap:anywhere}"
    f"a{{color:{LINK}}}"
    ":target{outline:2px solid #e8a33d;outline-offset:3px}"
    "@media (max-width:40em){body{padding:.6em .8em}}"
    "@media print{body{max-width:none}.sheet.compact{display:block;columns:3;column-gap:1.5em;"
    "column-rule:1px solid #e4e6ea}}"
)

_QT_ANCHOR = re.compile(r'<a name="card-[^"]*"></a>')


def _title_html(sheet: Sheet, layout: Layout, scale: float) -> str:
    size = (16 if layout is Layout.COMPACT else 22) * scale + 4
    return (
        f'<p style="font-size:{size:.1f}pt; font-weight:700; margin-top:0; margin-bottom:0;'
        f' color:{INK};">{html.escape(sheet.title)}</p>'
        f'<p style="font-size:{max(11 * scale + 1, 6.5):.1f}pt; color:#777; margin-top:1px;'
        f' margin-bottom:4px;">{html.escape(sheet.subtitle)}</p>'
    )


def _heading(name: str, colour: str, depth: int, layout: Layout, scale: float) -> str:
    """A deck (depth 0) or section heading on a band of its domain's colour."""
    if layout is Layout.COMPACT:
        size = max(9.0 - 0.5 * depth, 7.5) * scale / PRINT_SCALE[Layout.COMPACT]
        space = 5 if depth <= 1 else 3
    else:
        size = (22 - 3 * depth) * scale + 3
        space = 16 if depth <= 1 else 10
    tint = _tint(colour, 0.16 if depth <= 1 else 0.08)
    return (
        f'<table class="head" width="100%" cellspacing="0" cellpadding="2" '
        f'style="margin-top:{space}px; margin-bottom:2px;"><tr>'
        f'<td width="4" bgcolor="{colour}" style="background-color:{colour};"></td>'
        f'<td bgcolor="{tint}" style="background-color:{tint};">'
        f'<span style="font-size:{size:.1f}pt; font-weight:700; color:{_ink(colour)};">'
        f"{html.escape(name)}</span></td></tr></table>"
    )


def _tint(colour: str, amount: float) -> str:
    """`colour` mixed into white."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = (round(255 + (v - 255) * amount) for v in (r, g, b))
    return "#{:02x}{:02x}{:02x}".format(*mix)


def _ink(colour: str) -> str:
    """`colour` darkened until it reads as text on white."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(v * 0.55) for v in (r, g, b)))


_FONT_SIZE = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)pt")
_SEPARATOR = '<hr width="100%">'
_TITLE_MARGINS = "margin-top:12px; margin-bottom:6px;"


def _smaller(fragment: str, factor: float) -> str:
    """Card HTML is sized for the review screen; a sheet wants denser type (and formulas
    to match it)."""
    fragment = fit_formulas(fragment, scale=factor)
    return _FONT_SIZE.sub(lambda m: f"font-size:{float(m.group(1)) * factor:.1f}pt", fragment)


def _render(item: SheetCard, card: Card, scale: float) -> str:
    root = Path(item.media_root) if item.media_root else None
    page = render_card(card, side=Side.BACK, base_dir=Path(item.base_dir), media_root=root)
    return _smaller(page, scale)


def _card_html(item: SheetCard, layout: Layout, scale: float) -> str:
    if layout is Layout.COMPACT:
        return _compact_card(item, scale)
    page = _render(item, item.card, scale)
    # Card titles are sized for the review screen; on a sheet they sit under sections.
    page = page.replace(f"font-size:{20 * scale:.1f}pt", f"font-size:{15 * scale + 1:.1f}pt")
    size = f"font-size:{15 * scale:.1f}pt"
    front, _, back = _unwrapped(page).partition(_SEPARATOR)
    question = f'<div style="{size}; color:{MUTED};">{front}</div>'
    answer = (
        f'<div style="{size}; margin-top:2px; color:{INK};">{_answer_mark(item)}{back}</div>'
        if back
        else ""
    )
    return f'<div style="margin-bottom:10px;">{question}{answer}</div>'


_WRAPPER = re.compile(r'^<div style="font-size:[\d.]+pt;">(.*)</div>\s*$', re.DOTALL)


def _unwrapped(page: str) -> str:
    """A rendered card without its outer type-size wrapper (the sheet sets the size on
    the question and the answer apart, each a well-formed block)."""
    m = _WRAPPER.match(page)
    return m.group(1) if m else page


_BLOCK_START = re.compile(r"^\s*(?:[-*+>|#]|\d+[.)]\s|```|~~~|\$\$)")


def _compact_card(item: SheetCard, scale: float) -> str:
    """The question in bold (title — prompt on one line when the prompt is one line),
    the answer under it; a multiple-choice card with its right options only."""
    card = item.card
    right = ""
    if card.kind is CardKind.CHOICE and card.choices:
        right = _right_options(item, scale)
        card = dataclasses.replace(card, kind=CardKind.BASIC, choices=())
    prompt = card.prompt.strip()
    cloze = card.kind is CardKind.CLOZE
    if (
        not cloze
        and card.kind is not CardKind.REVERSE
        and card.title.strip()
        and prompt
        and "\n" not in prompt
        and not _BLOCK_START.match(prompt)
    ):
        card = dataclasses.replace(card, title="", prompt=f"{card.title.strip()} — {prompt}")
    page = _render(item, card, scale)
    body = f"font-size:{15 * scale:.1f}pt"
    page = page.replace(f"font-size:{20 * scale:.1f}pt", body).replace(
        _TITLE_MARGINS, "margin-top:0px; margin-bottom:1px;"
    )
    front, _, back = _unwrapped(page).partition(_SEPARATOR)
    back = right + back
    # A cloze's text is its answer, its deletions marked: only its title is bold.
    weight = "" if cloze else " font-weight:700;"
    question = f'<div style="{body};{weight} color:{INK};">{front}</div>'
    answer = (
        f'<div style="{body}; color:{INK};">{_answer_mark(item)}{back}</div>'
        if back.strip()
        else ""
    )
    return f'<div style="margin-bottom:9px;">{question}{answer}</div>'


def _right_options(item: SheetCard, scale: float) -> str:
    """A multiple-choice card's right options, ticked, one paragraph each (the wrong
    ones and the letters — which would not match the exam's — are left out)."""
    root = Path(item.media_root) if item.media_root else None
    out = []
    for choice in item.card.choices:
        if not choice.correct:
            continue
        text = _unwrapped(
            _smaller(
                render_markdown(choice.text, base_dir=Path(item.base_dir), media_root=root), scale
            )
        ).strip()
        m = _ONE_PARAGRAPH.fullmatch(text)
        text = m.group(1) if m else text
        out.append(f'<p style="color:{RIGHT}; font-weight:600;">✓&nbsp;{text}</p>')
    return "".join(out)


_ONE_PARAGRAPH = re.compile(r"<p>((?:(?!<p>).)*)</p>", re.DOTALL)
_LINK = re.compile(r'<a\b[^>]*?\bhref="(card:[^"]*)"[^>]*>(.*?)</a>', re.DOTALL)


def _links(page: str, sheet: Sheet, item: SheetCard, on_sheet: set[str]) -> str:
    """`card:` links as anchors to cards on the sheet, else as their text."""

    def replace(m: re.Match[str]) -> str:
        link = link_from_href(html.unescape(m.group(1)))
        target = None
        if link is not None:
            target = sheet.links.get((item.note_id, link.target, link.file)) or next(
                _targets(sheet, item.note_id, link.target), None
            )
        if target is not None and target in on_sheet:
            # Coloured here: Qt would take the theme's link colour, pale on paper.
            return f'<a href="#{anchor_of(target)}" style="color:{LINK};">{m.group(2)}</a>'
        return m.group(2)

    return _LINK.sub(replace, page)


def _targets(sheet: Sheet, source: str, target: str) -> Iterator[str]:
    for (note, written, _file), to_note in sheet.links.items():
        if note == source and written.casefold() == target.casefold():
            yield to_note


_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]+)(")', re.IGNORECASE)


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
