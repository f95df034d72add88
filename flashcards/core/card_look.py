"""Rendered card HTML fitted to the reader at display time: text size and a dark palette.

Rendering (and its cache) knows nothing of the reader's settings: a card renders once and
a text-size or theme change costs one pass over a short string, on the GUI thread, with
no trip to the worker. Text takes its colour from the widget's palette already; only the
code blocks carry their own (light) background and token colours, so a dark look darkens
their background and lifts every token colour to read on it, keeping its hue. Formula
images are redrawn in the palette's ink and at the reader's size (`math_render`).
"""

from __future__ import annotations

import colorsys
import re

from flashcards.core.math_render import SVG_PREFIX, fit_formulas
from flashcards.core.render_theme import CODE_BACKGROUND, CODE_TEXT

DARK_CODE_BACKGROUND = "#262930"
DARK_CODE_TEXT = "#e3e5e8"
DARK_INK = "#e6e6e6"  # the dark palette's text: formulas drawn on a dark card
MIN_SCALE = 0.5
MAX_SCALE = 3.0

_FONT_SIZE = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)pt")
_CODE_BLOCK = re.compile(
    rf'<table [^>]*bgcolor="{re.escape(CODE_BACKGROUND)}".*?</table>', re.DOTALL
)
_COLOUR = re.compile(r"(?<![-\w])color:\s*#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")


def fit_card_html(
    html: str, *, scale: float = 1.0, dark: bool = False, ink: str | None = None
) -> str:
    """`html` (from `render_card`/`render_markdown`) with its point sizes times `scale`
    and, when `dark`, its code blocks dark. Formulas are drawn in `ink` (the palette's
    text colour, `#rrggbb`; a light ink by default when `dark`) at the scaled size."""
    scale = min(max(scale, MIN_SCALE), MAX_SCALE)
    if SVG_PREFIX in html:
        html = fit_formulas(html, ink=ink or (DARK_INK if dark else None), scale=scale)
    if scale != 1.0:
        html = _FONT_SIZE.sub(lambda m: f"font-size:{_size(float(m.group(1)) * scale)}pt", html)
    if dark and CODE_BACKGROUND in html:
        html = _CODE_BLOCK.sub(lambda m: _dark_code(m.group()), html)
    return html


def _size(points: float) -> str:
    return f"{points:.1f}".removesuffix(".0")


def _dark_code(block: str) -> str:
    block = block.replace(CODE_BACKGROUND, DARK_CODE_BACKGROUND)
    block = block.replace(f"color:{CODE_TEXT}", f"color:{DARK_CODE_TEXT}")
    return _COLOUR.sub(lambda m: f"color: {lift(m.group(1))}", block)


def lift(hex_colour: str) -> str:
    """A colour (`rrggbb` or `rgb`, no `#`) made light enough to read on a dark
    background, hue kept and saturation softened; light colours stay as they are."""
    if len(hex_colour) == 3:
        hex_colour = "".join(c * 2 for c in hex_colour)
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    lightness = max(lightness, 0.72)
    saturation = min(saturation, 0.65)
    r, g, b = colorsys.hls_to_rgb(hue, lightness, saturation)
    return "#" + "".join(f"{round(v * 255):02x}" for v in (r, g, b))
