"""Formulas in rendered cards: `$…$` inline, `$$…$$` display, literal zones, limits."""

from __future__ import annotations

import base64
import re
import time

import pytest

from flashcards.core import math_render
from flashcards.core.card_look import DARK_INK, fit_card_html
from flashcards.core.markdown_html import markdown_to_html
from flashcards.core.math_render import (
    MATH_INK,
    MAX_FORMULAS_PER_TEXT,
    MAX_TEX_CHARS,
    clear_formula_cache,
    formula_budget,
    formula_cache_info,
    nesting_cost,
)
from flashcards.core.model import Card, CardId, CardKind, NoteId
from flashcards.core.render import Side, clear_render_cache, render_card, render_markdown

_IMG = re.compile(
    r'<img src="data:image/svg\+xml;base64,([^"]+)" width="(\d+)" height="(\d+)"[^>]*>'
)


def _card(
    kind: CardKind, title: str, prompt: str, *, answer: str = "", cloze: int | None = None
) -> Card:
    return Card(
        id=CardId("c1"),
        note_id=NoteId("n1"),
        kind=kind,
        file="maths.md",
        title=title,
        prompt=prompt,
        answer=answer,
        line_start=1,
        line_end=3,
        cloze=cloze,
    )


def images(page: str) -> list[re.Match[str]]:
    return list(_IMG.finditer(page))


def alts(page: str) -> list[str]:
    return re.findall(r'<img [^>]*alt="([^"]*)"', page)


def svg_of(m: re.Match[str]) -> str:
    return base64.b64decode(m.group(1)).decode("utf-8")


def test_inline_math_is_an_image_in_the_line() -> None:
    page = markdown_to_html("The loss $L = -\\log p$ is small.")
    assert page.startswith("<p>The loss <img ")
    assert alts(page) == ["L = -\\log p"]
    (img,) = images(page)
    svg = svg_of(img)
    assert svg.startswith("<svg") and f'fill="{MATH_INK}"' in svg
    assert "vertical-align:middle" in img.group()
    assert page.endswith(" is small.</p>")


def test_display_math_is_centred_on_its_own_line() -> None:
    page = markdown_to_html(
        "Softmax:\n\n$$\n\\sigma(z)_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}}\n$$\n\nDone."
    )
    assert re.search(r'<p align="center"><img [^>]*></p>', page)
    assert alts(page) == ["\\sigma(z)_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}}"]


def test_display_math_is_taller_than_the_same_formula_inline() -> None:
    inline = images(markdown_to_html("a $\\frac{a}{b}$ b"))[0]
    display = images(markdown_to_html("$$\\frac{a}{b}$$"))[0]
    assert int(display.group(3)) > int(inline.group(3))


def test_markdown_does_not_read_emphasis_or_clozes_inside_a_formula() -> None:
    page = markdown_to_html("$a_1 * b_2 * c_3$ and $\\frac{{a}}{b}$ and $[[x]]$")
    assert "<em>" not in page and "card:" not in page and "<span" not in page
    assert alts(page) == ["a_1 * b_2 * c_3", "\\frac{{a}}{b}", "[[x]]"]


def test_a_cloze_around_a_formula_masks_and_fills_it() -> None:
    card = _card(
        CardKind.CLOZE, "Standardisation", "$z =$ {{c1::$\\frac{x-\\mu}{\\sigma}$}}", cloze=1
    )
    front = render_card(card, side=Side.FRONT)
    back = render_card(card, side=Side.BACK)
    assert alts(front) == ["z ="] and "[…]" in front
    assert alts(back) == ["z =", "\\frac{x-\\mu}{\\sigma}"]


@pytest.mark.parametrize(
    "text",
    [
        "It costs $5 and $10.",
        "From US$5 to US$6, or $ 5 $.",
        "`$x$` in code",
        "```\n$x$\n```",
        "A $ lone dollar",
        "$x$1 is a price pair",
    ],
)
def test_prices_and_literal_zones_are_not_math(text: str) -> None:
    page = markdown_to_html(text)
    assert "<img" not in page
    assert "$" in page


def test_a_comment_holds_no_formula() -> None:
    assert "<img" not in markdown_to_html("a <!-- $x$ --> b")


def test_a_formula_in_an_attribute_stays_text() -> None:
    page = markdown_to_html('<span title="a $x_1$ b">hover</span> and $y$')
    assert '<span title="a $x_1$ b">hover</span>' in page
    assert alts(page) == ["y"]


def test_an_escaped_dollar_is_a_dollar_and_opens_nothing() -> None:
    page = markdown_to_html("Pay \\$3 and $x$, not \\$4.")
    assert "Pay $3 and <img" in page and ", not $4." in page
    assert alts(page) == ["x"]


def test_a_formula_in_a_title_takes_the_heading_size() -> None:
    card = _card(CardKind.BASIC, "The $F_1$ score", "", answer="$F_1$")
    back = render_card(card, side=Side.BACK)
    title_img, body_img = images(back)
    assert int(title_img.group(3)) > int(body_img.group(3))


def test_bad_tex_shows_its_source_in_a_code_span() -> None:
    page = markdown_to_html("Broken: $\\frac{a}{$ here")
    assert "<img" not in page
    m = re.search(r'<code [^>]*title="([^"]+)">([^<]*)</code>', page)
    assert m is not None
    assert m.group(2) == "$\\frac{a}{$"
    assert "TeX not understood" in m.group(1)


def test_a_huge_formula_is_shown_as_source_at_once() -> None:
    tex = "x+" * 50_000 + "x"  # 100 KB
    started = time.perf_counter()
    page = markdown_to_html(f"${tex}$")
    assert time.perf_counter() - started < 1.0
    assert "<img" not in page
    assert f"longer than {MAX_TEX_CHARS} characters" in page


def test_deep_nesting_is_refused_before_it_takes_seconds() -> None:
    tex = "\\frac{" * 12 + "x" + "}{y}" * 12  # ziamath would take ~30 s
    assert nesting_cost(tex) > math_render.MAX_NESTING_COST
    started = time.perf_counter()
    page = markdown_to_html(f"${tex}$")
    assert time.perf_counter() - started < 1.0
    assert "nested too deeply" in page
    softmax = "\\frac{e^{z_i}}{\\sum_{j=1}^{K} e^{z_j}}"
    assert nesting_cost(softmax) < 40


def test_a_text_draws_a_bounded_number_of_formulas() -> None:
    text = " ".join(f"$x_{{{i}}}$" for i in range(MAX_FORMULAS_PER_TEXT + 5))
    page = markdown_to_html(text)
    assert len(images(page)) == MAX_FORMULAS_PER_TEXT
    assert page.count(f"more than {MAX_FORMULAS_PER_TEXT} formulas") == 5


def test_ten_thousand_formulas_do_not_hang() -> None:
    clear_formula_cache()
    text = " ".join(f"$y_{{{i}}}^2$" for i in range(10_000))
    started = time.perf_counter()
    page = markdown_to_html(text)
    assert time.perf_counter() - started < math_render.TEXT_BUDGET_S + 10
    assert page.count("<code") >= 10_000 - MAX_FORMULAS_PER_TEXT


def test_a_spent_budget_leaves_formulas_as_source_and_the_page_uncached() -> None:
    clear_formula_cache()
    clear_render_cache()
    with formula_budget(0.0):
        page = render_markdown("Spent: $q^{17}$")
    assert "<img" not in page and "too many formulas to draw at once" in page
    # Shown again with time to spare, the formula is drawn (the fallback was not kept).
    assert alts(render_markdown("Spent: $q^{17}$")) == ["q^{17}"]


def test_formulas_are_cached_by_formula_and_size() -> None:
    clear_formula_cache()
    clear_render_cache()
    markdown_to_html("$a^2+b^2$")
    hits, misses, entries = formula_cache_info()
    assert (hits, misses, entries) == (0, 1, 1)
    markdown_to_html("again $a^2+b^2$")
    assert formula_cache_info()[0] == 1
    markdown_to_html("# $a^2+b^2$")  # a heading's size is another image
    assert formula_cache_info()[2] == 2


def test_dark_theme_draws_formulas_in_light_ink() -> None:
    page = render_markdown("Ink $e^x$ and `code`")
    dark = fit_card_html(page, dark=True)
    svg = svg_of(images(dark)[0])
    assert f'fill="{DARK_INK}"' in svg and MATH_INK not in svg
    palette_ink = fit_card_html(page, dark=True, ink="#ABCDEF")
    assert 'fill="#abcdef"' in svg_of(images(palette_ink)[0])
    assert fit_card_html(page) == page  # light: as rendered


def test_larger_text_draws_larger_formulas() -> None:
    page = render_markdown("Size $e^x$")
    (small,) = images(page)
    (large,) = images(fit_card_html(page, scale=2.0))
    assert int(large.group(2)) == pytest.approx(2 * int(small.group(2)), abs=1)
    # The SVG itself is redrawn larger, so the bigger image stays sharp.
    size = re.search(r'width="([\d.]+)"', svg_of(large))
    base = re.search(r'width="([\d.]+)"', svg_of(small))
    assert size is not None and base is not None
    assert float(size.group(1)) == pytest.approx(2 * float(base.group(1)), rel=0.01)


def test_a_deck_cannot_smuggle_an_svg_image_of_its_own() -> None:
    # Only the renderer's own formula images are SVG: a deck's data:image/svg is dropped.
    evil = base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg'/>").decode()
    page = markdown_to_html(f'<img src="data:image/svg+xml;base64,{evil}" alt="x">')
    assert "svg+xml" not in page
