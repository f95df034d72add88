"""Cards and Markdown → HTML fragments for a `QTextBrowser` (no Qt here).

Sides by kind (the parser already swapped prompt and answer of a reverse card):

- basic: front = title + prompt; back = front, a rule, the answer;
- reverse: front = the note's answer (`card.prompt`); back = front, a rule, title +
  the note's prompt (`card.answer`);
- cloze: deletion `card.cloze` shown as `[…]`/`[hint]` on the front and highlighted on
  the back, other deletions as plain text; the answer (if any) under a rule on the back;
- choice: options lettered A, B, C… under the prompt, in the file's order or in the
  `order` given (`core/choice_order.py`: shuffled per presentation); marked right/wrong
  when revealed.

Every result is cached by a hash of the inputs (see `render_cache_info`).

Card content is untrusted. Images come only from inside `media_root` (the library
folder of the deck; see `media_files.py`), and a card that cannot render within the
limits (`render_limits.py`: nesting, time) shows its Markdown source under a one-line
reason instead — never an error.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from flashcards.core.choice_order import file_order, is_order_of
from flashcards.core.cloze import mask_cloze
from flashcards.core.markdown_html import (
    SHOW_ALL_CLOZES,
    ClozeView,
    card_href,
    link_from_href,
    markdown_pieces_to_html,
    markdown_to_html,
)
from flashcards.core.math_render import TEXT_BUDGET_S, budget_was_cut, formula_budget
from flashcards.core.model import Card, CardKind, Choice
from flashcards.core.render_cache import CacheInfo, RenderCache, content_key
from flashcards.core.render_limits import RenderLimitError, source_html, time_budget
from flashcards.core.render_theme import (
    BODY_SIZE_PT,
    CLOZE_MASK_STYLE,
    CORRECT_COLOUR,
    MUTED_COLOUR,
    TAG_LOOK,
    WRONG_COLOUR,
)
from flashcards.core.template_side import render_template_card
from flashcards.core.word_breaks import add_break_hints

__all__ = [
    "CacheInfo",
    "Side",
    "card_href",
    "clear_render_cache",
    "link_from_href",
    "render_cache_info",
    "render_card",
    "render_markdown",
]

_cache = RenderCache(max_size=512)
_PLAIN_TITLE = re.compile(r"[\w ,.:;?!/%()'\"=+-]+")
_TRAILING_HASHES = re.compile(r"#+\s*$")
# The answer's anchor, as Anki's `<hr id=answer>`: the review scrolls to it when the answer
# starts below the fold (Qt finds `<a name>` anchors, not `id`s).
ANSWER_ANCHOR = "answer"
_SEPARATOR = f'<a name="{ANSWER_ANCHOR}"></a><hr width="100%">'
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class Side(enum.Enum):
    FRONT = "front"
    BACK = "back"


def render_cache_info() -> CacheInfo:
    """Hits, misses and size of the rendered-HTML cache."""
    return _cache.info()


def clear_render_cache() -> None:
    """Empty the rendered-HTML cache and reset its counters."""
    _cache.clear()


def render_markdown(
    text: str, *, base_dir: Path | None = None, media_root: Path | None = None
) -> str:
    """HTML for any Markdown (cheat-sheets, editor preview); deletions highlighted.

    Images resolve against `base_dir` and must stay inside `media_root` (without one,
    inside `base_dir`)."""
    key = content_key(
        "markdown",
        text,
        str(base_dir) if base_dir else None,
        str(media_root) if media_root else None,
    )
    return _cached(
        key,
        lambda: _bounded(
            lambda: markdown_to_html(
                text, base_dir=base_dir, clozes=SHOW_ALL_CLOZES, media_root=media_root
            ),
            source=lambda: text,
        ),
    )


def _bounded(render: Callable[[], str], *, source: Callable[[], str]) -> str:
    """The page `render()` makes within the limits, else the `source()` under the reason."""
    try:
        with time_budget():
            return _page(render())
    except RenderLimitError as limit:
        return _page(source_html(source(), limit.reason))


def _cached(key: str, render: Callable[[], str]) -> str:
    """`render()` through the cache; a page with a formula left undrawn for lack of time
    is not kept (it is drawn when shown next)."""
    with formula_budget(TEXT_BUDGET_S):
        return _cache.get_or_render(key, render, keep=lambda: not budget_was_cut())


def render_card(
    card: Card,
    *,
    side: Side,
    base_dir: Path | None = None,
    selected: frozenset[int] | None = None,
    reveal_choices: bool = False,
    order: Sequence[int] | None = None,
    media_root: Path | None = None,
) -> str:
    """The HTML fragment for one side of `card`.

    `base_dir` is the deck file's folder (relative images resolve against it);
    `media_root` the library folder they must stay in (without one, `base_dir`).
    `selected` holds the 0-based choices the user picked; they are marked on both
    sides. Choices are marked right/wrong on the back, or on the front as well when
    `reveal_choices` is true (e.g. reviewing a finished practice exam).
    `order` lists the choices' file indexes in the order to show them, lettered A, B, C…
    as shown (`shuffled_choices(card, seed)`); None keeps the file's order. `selected`
    holds file indexes whatever the order.
    """
    if card.kind is CardKind.TEMPLATE:  # a note type's card: its template says what shows
        return render_template_card(
            card, back=side is Side.BACK, base_dir=base_dir, media_root=media_root
        )
    shown = file_order(len(card.choices)) if order is None else tuple(order)
    if not is_order_of(shown, len(card.choices)):
        raise ValueError(f"{shown} is not an order of {len(card.choices)} choices")
    key = content_key(
        "card",
        card.kind.value,
        card.title,
        card.prompt,
        card.answer,
        card.cloze,
        tuple((c.text, c.correct) for c in card.choices),
        side.value,
        tuple(sorted(selected)) if selected is not None else None,
        reveal_choices,
        shown,
        str(base_dir) if base_dir else None,
        str(media_root) if media_root else None,
    )
    media = _Media(base_dir, media_root)
    return _cached(
        key,
        lambda: _bounded(
            lambda: _card_body(card, side, media, selected or frozenset(), reveal_choices, shown),
            source=lambda: card_source(card, side),
        ),
    )


class _Media(NamedTuple):
    base_dir: Path | None
    root: Path | None


def card_source(card: Card, side: Side) -> str:
    """The Markdown of one side of `card` as written (the asked deletion of a cloze
    card's front masked, choices unmarked on the front): what shows when it cannot
    render."""
    front = side is Side.FRONT
    title, prompt, answer = card.title, card.prompt, card.answer
    if front and card.kind is CardKind.CLOZE:
        title, prompt = mask_cloze(title, card.cloze), mask_cloze(prompt, card.cloze)
    choices = "".join(
        f"\n- [{'x' if c.correct and not front else ' '}] {c.text}" for c in card.choices
    )
    if card.kind is CardKind.REVERSE:
        asked, told = prompt, f"## {title}\n{answer}"
    else:
        asked, told = f"## {title}\n{prompt}{choices}", answer
    if front or not told.strip():
        return asked
    return f"{asked}\n?\n{told}"


def _page(body: str) -> str:
    # Long words get break hints so a narrow view wraps them at their seams.
    return f'<div style="font-size:{BODY_SIZE_PT}pt;">{add_break_hints(body)}</div>'


def _title_html(title: str, *, media: _Media, clozes: ClozeView) -> str:
    if not title.strip():
        return ""
    if _PLAIN_TITLE.fullmatch(title):
        # Most titles are plain words: skip the Markdown round trip.
        return f'<p style="{TAG_LOOK.styles["h2"]}">{title.strip()}</p>'
    # A trailing `#` would be read as the closing hashes of the ATX heading (`C#`),
    # and a trailing `{...}` as attributes: escape them so the title shows as written.
    title = _TRAILING_HASHES.sub(lambda m: m.group().replace("#", "\\#"), title)
    if title.rstrip().endswith("}") and not title.rstrip().endswith("}}"):
        title = title.rstrip()[:-1] + "\\}"
    return markdown_to_html(
        f"## {title}", base_dir=media.base_dir, clozes=clozes, media_root=media.root
    )


def _card_body(
    card: Card,
    side: Side,
    media: _Media,
    selected: frozenset[int],
    reveal: bool,
    order: tuple[int, ...],
) -> str:
    back = side is Side.BACK
    if card.kind is CardKind.CLOZE:
        view = ClozeView(asked=card.cloze, masked=not back)
    else:
        view = SHOW_ALL_CLOZES
    title = _title_html(card.title, media=media, clozes=view)
    if back:
        prompt, answer = markdown_pieces_to_html(
            (card.prompt, card.answer), base_dir=media.base_dir, clozes=view, media_root=media.root
        )
    else:
        prompt = markdown_to_html(
            card.prompt, base_dir=media.base_dir, clozes=view, media_root=media.root
        )
        answer = ""

    if card.kind is CardKind.REVERSE:
        front = prompt
        rest = title + answer
    else:
        front = title + prompt
        rest = answer
    if card.kind is CardKind.CHOICE and card.choices:
        front += _choices_html(
            card.choices, order, media=media, selected=selected, reveal=reveal or back
        )
    if not back or not rest:
        return front
    return front + _SEPARATOR + rest


_P_WRAPPED = re.compile(r"<p>(.*)</p>", re.DOTALL)


def _inline(html: str) -> str:
    """A single paragraph's content without its `<p>` (margins look odd in a cell)."""
    m = _P_WRAPPED.fullmatch(html)
    if m is not None and "<p>" not in m.group(1):
        return m.group(1)
    return html


def _choices_html(
    choices: Sequence[Choice],
    order: tuple[int, ...],
    *,
    media: _Media,
    selected: frozenset[int],
    reveal: bool,
) -> str:
    correct = sum(1 for c in choices if c.correct)
    rows: list[str] = []
    if correct > 1 and not reveal:
        rows.append(f'<p style="color:{MUTED_COLOUR}; font-style:italic;">Choose {correct}.</p>')
    rows.append('<table border="0" cellspacing="0" cellpadding="6" style="margin-top:4px;">')
    for position, index in enumerate(order):
        choice = choices[index]
        letter = _LETTERS[position] if position < len(_LETTERS) else str(position + 1)
        text = _inline(
            markdown_to_html(choice.text, base_dir=media.base_dir, media_root=media.root)
        )
        picked = index in selected
        mark = ""
        text_style = ""
        if reveal and choice.correct:
            mark = f'<span style="color:{CORRECT_COLOUR}; font-weight:bold;">✓</span>'
            text_style = f"color:{CORRECT_COLOUR};"
        elif reveal and picked:
            mark = f'<span style="color:{WRONG_COLOUR}; font-weight:bold;">✗</span>'
            text_style = f"color:{WRONG_COLOUR};"
        label = f"&nbsp;{letter}&nbsp;"
        if picked:
            # The user's picks wear the accent of a masked deletion.
            label = f'<span style="{CLOZE_MASK_STYLE}">{label}</span>'
        rows.append(
            f'<tr><td valign="top" width="24" align="center">{mark}</td>'
            f'<td valign="top" style="font-weight:bold;">{label}</td>'
            f'<td valign="top" style="{text_style}">{text}</td></tr>'
        )
    rows.append("</table>")
    return "".join(rows)
