"""A note type's card side as HTML: hints that open when asked, and the typed answer
compared with the expected one, as Anki shows them.

`card_templates.render` leaves two kinds of marks in a card's Markdown:

- `<!--fc:hint Name-->text<!--fc:/hint-->`: shown as a "Show Name" link (`hint:N`, N
  counting the side's hints from 0) until N is among the `hints` shown;
- `<!--fc:type Name-->` on the question (the review shows an input box for it) and
  `<!--fc:type Name-->expected<!--fc:/type-->` on the answer: the expected answer, or,
  when the learner typed something, the comparison — what was typed, right characters
  green and wrong ones red, an arrow, then the expected answer with what was missed grey.

Each mark is held out of the Markdown as a placeholder and put back as HTML after the
conversion, so neither Markdown nor the sanitiser reads the generated links and spans.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable
from pathlib import Path

from flashcards.core.card_templates import (
    HINT_CLOSE,
    HINT_OPEN,
    HINT_SCHEME,
    TYPE_CLOSE,
    TYPE_OPEN,
)
from flashcards.core.markdown_html import markdown_to_html
from flashcards.core.math_render import TEXT_BUDGET_S, formula_budget
from flashcards.core.model import Card
from flashcards.core.render_limits import RenderLimitError, source_html, time_budget
from flashcards.core.render_theme import BODY_SIZE_PT, LINK_COLOUR
from flashcards.core.word_breaks import add_break_hints

_MARK = re.compile(
    re.escape(HINT_OPEN)
    + r"(?P<hint>.*?)-->(?P<text>.*?)"
    + re.escape(HINT_CLOSE)
    + "|"
    + re.escape(TYPE_OPEN)
    + r"(?P<type>.*?)-->(?:(?P<expected>.*?)"
    + re.escape(TYPE_CLOSE)
    + ")?",
    re.S,
)
_ANY_MARK = re.compile(r"<!--fc:/?(?:hint|type)\b[^\n]*?-->")
_HOLD_OPEN, _HOLD_CLOSE = "\ue010", "\ue011"  # private use: no Markdown, HTML or deck syntax
_HELD_PARAGRAPH = re.compile(f"<p>{_HOLD_OPEN}(\\d+){_HOLD_CLOSE}</p>")
_HELD = re.compile(f"{_HOLD_OPEN}(\\d+){_HOLD_CLOSE}")
_ONE_PARAGRAPH = re.compile(r"<p>(.*)</p>", re.S)

GOOD_STYLE = "background-color:rgba(46,164,79,0.28);"
BAD_STYLE = "background-color:rgba(229,83,75,0.55);"
MISSED_STYLE = "background-color:rgba(140,140,140,0.55);"
HINT_LINK_STYLE = f"color:{LINK_COLOUR}; font-size:{BODY_SIZE_PT - 3}pt;"
HINT_STYLE = "font-style:italic;"


def side_html(
    text: str,
    *,
    to_html: Callable[[str], str],
    hints: frozenset[int] = frozenset(),
    typed: str | None = None,
) -> str:
    """HTML for a side's Markdown `text` with its marks shown (see the module's doc)."""
    if "<!--fc:" not in text:
        return to_html(text)
    pieces: list[str] = []
    hint_number = 0

    def hold(m: re.Match[str]) -> str:
        nonlocal hint_number
        if m.group("hint") is not None:
            number = hint_number
            hint_number += 1
            if number in hints:
                # Opened, a hint is a block of its own, as Anki shows it.
                shown = to_html(m.group("text"))
                one = _ONE_PARAGRAPH.fullmatch(shown)
                inner = one.group(1) if one is not None and "<p>" not in one.group(1) else shown
                piece = f'<div style="{HINT_STYLE}">{inner}</div>'
            else:
                label = html.escape(f"Show {m.group('hint')}")
                piece = f'<a href="{HINT_SCHEME}{number}" style="{HINT_LINK_STYLE}">{label}</a>'
        elif m.group("expected") is None:
            piece = ""  # the question's box is the review's, not the card's
        else:
            piece = compare_html(typed, m.group("expected"))
        pieces.append(piece)
        return f"{_HOLD_OPEN}{len(pieces) - 1}{_HOLD_CLOSE}"

    converted = to_html(_MARK.sub(hold, text))

    def place(m: re.Match[str]) -> str:
        index = int(m.group(1))
        return pieces[index] if index < len(pieces) else ""

    def place_block(m: re.Match[str]) -> str:
        piece = place(m)
        return piece if not piece or piece.startswith("<div") else f"<p>{piece}</p>"

    converted = _HELD_PARAGRAPH.sub(place_block, converted)
    return _HELD.sub(place, converted)


def _span(style: str, text: str) -> str:
    return f'<span style="{style}">{html.escape(text)}</span>' if text else ""


def compare_html(typed: str | None, expected: str) -> str:
    """The expected answer, or what was typed compared with it, as Anki's reviewer shows it."""
    expected = html.unescape(expected)
    if not typed or not typed.strip():
        return f"<code>{html.escape(expected)}</code>" if expected else ""
    typed = " ".join(typed.split())
    if typed == expected:
        return f"<code>{_span(GOOD_STYLE, expected)}</code>"
    matcher = difflib.SequenceMatcher(None, typed, expected, autojunk=False)
    given: list[str] = []
    wanted: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            given.append(_span(GOOD_STYLE, typed[i1:i2]))
            wanted.append(_span(GOOD_STYLE, expected[j1:j2]))
            continue
        if i2 > i1:
            given.append(_span(BAD_STYLE, typed[i1:i2]))
        elif j2 > j1:
            given.append(_span(MISSED_STYLE, "-" * (j2 - j1)))
        if j2 > j1:
            wanted.append(_span(MISSED_STYLE, expected[j1:j2]))
    return f"<code>{''.join(given)}<br>↓<br>{''.join(wanted)}</code>"


def render_template_card(
    card: Card,
    *,
    back: bool,
    base_dir: Path | None = None,
    media_root: Path | None = None,
    hints: frozenset[int] = frozenset(),
    typed: str | None = None,
) -> str:
    """The HTML of one side of a note type's card (`render.render_card` hands these here):
    the template's question, or its answer (which shows the question where the template
    says `{{FrontSide}}`); no title, the template says what shows. Images and sounds
    resolve against `base_dir` and stay inside `media_root` (without one, `base_dir`),
    as on any card."""
    text = card.answer if back else card.prompt
    try:
        with time_budget(), formula_budget(TEXT_BUDGET_S):
            body = side_html(
                text,
                to_html=lambda md: markdown_to_html(md, base_dir=base_dir, media_root=media_root),
                hints=hints,
                typed=typed,
            )
    except RenderLimitError as limit:
        # A field past the renderer's limits (a stranger's deck): its source, as any card.
        body = source_html(_ANY_MARK.sub("", text), limit.reason)
    return f'<div style="font-size:{BODY_SIZE_PT}pt;">{add_break_hints(body)}</div>'
