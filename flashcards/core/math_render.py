"""Formulas drawn as images a `QTextBrowser` shows: TeX → SVG with ziamath, embedded.

Why ziamath: it is pure Python (no LaTeX install, no compiled code; with its font and
its TeX reader, latex2mathml, about 4 MB), lays formulas out with a real OpenType math
font (STIX Two Math) and reads most of what people type (fractions, sums, matrices,
`\\text`, `\\operatorname`). matplotlib's mathtext was the other candidate: as fast, but a
40 MB dependency with compiled parts, and it refuses matrices. Qt shows the SVG through
its SVG image plugin (QtSvg), so the image is a `data:` URI inside the card's HTML: no
file is written, and nothing is ever loaded from a path named in a deck.

The image is drawn in `MATH_INK` at twice the text's pixel size (sharp on high-density
screens and on paper) and laid out at the text's size; `card_look.fit_card_html` gives
it the palette's ink and the reader's text size at display time.

Limits, so a hostile deck cannot hang the app: a formula longer than `MAX_TEX_CHARS`,
or nested so deep that laying it out would take long (`nesting_cost`), is not drawn;
one text draws at most `MAX_FORMULAS_PER_TEXT`; and drawing stops for the rest of a
batch (a card, or a whole cheat-sheet with `formula_budget`) once it has spent its
time. What is not drawn shows as its TeX source in a code span, with the reason in
its tooltip. Images are cached by formula and size (an LRU bounded in bytes).
"""

from __future__ import annotations

import base64
import html
import re
import threading
import time
import warnings
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flashcards.core.render_theme import BODY_SIZE_PT, INLINE_CODE_STYLE, MATH_INK

MAX_TEX_CHARS = 400
"""A formula longer than this is shown as source (a real one rarely passes 200)."""
MAX_NESTING_COST = 400
"""Bound on `nesting_cost`: ziamath's layout time doubles with each level of nesting."""
MAX_FORMULAS_PER_TEXT = 60
TEXT_BUDGET_S = 3.0
"""Seconds one text (a card side) may spend drawing formulas before the rest show as source."""
OVERSAMPLE = 2
"""The SVG's own size is this many times its laid-out size (sharp when Qt rasterises it)."""
AXIS_SHIFT = 0.1375
"""Where Qt centres a `vertical-align:middle` image above the baseline, as a share of the
font's pixel size (a quarter of an x-height); images are padded to put the formula's
baseline on the text's."""
CACHE_BYTES = 24 * 1024 * 1024

SVG_PREFIX = "data:image/svg+xml;base64,"


@dataclass(frozen=True)
class Drawn:
    """A formula drawn: base64 SVG and its laid-out size in pixels."""

    svg64: str
    width: float
    height: float


@dataclass(frozen=True)
class NotDrawn:
    """Why a formula shows as its source."""

    reason: str


SIZE_FACTOR = 1.1
"""STIX Two's letters are smaller than a UI sans-serif's at the same size (x-height 0.45
em against ~0.55): formulas are set a little larger so they read as the same size."""


def points_to_px(points: float) -> float:
    """A font size in points as the pixels a formula is drawn at (96 dpi, as Qt lays out)."""
    return points * 96 / 72 * SIZE_FACTOR


def nesting_cost(tex: str) -> int:
    """Σ 2^depth over the groups of `tex` (`{…}`, `\\left…\\right`, `\\begin…\\end`).

    ziamath measures each group's children again for each level above them, so its
    time grows about as this sum: a fraction nested six deep costs ~250 (0.3 s), the
    softmax formula ~20."""
    cost = 0
    depth = 0
    i = 0
    n = len(tex)
    while i < n:
        c = tex[i]
        if c == "\\":
            if tex.startswith(("\\left", "\\begin"), i):
                depth += 1
                cost += 2**depth
            elif tex.startswith(("\\right", "\\end"), i) and depth > 0:
                depth -= 1
            i += 2
            continue
        if c == "{":
            depth += 1
            cost += 2**depth
            if depth > 30:
                return 2**30  # far past any limit: no need to read on
        elif c == "}" and depth > 0:
            depth -= 1
        i += 1
    return cost


# --- drawing -----------------------------------------------------------------------

_draw_lock = threading.Lock()
_ziamath: Any = None
_ziamath_failed = False


def _library() -> Any:
    """ziamath, imported on first use (half a second); None when it is not installed."""
    global _ziamath, _ziamath_failed
    if _ziamath is None and not _ziamath_failed:
        try:
            with warnings.catch_warnings():
                # ziamath 0.13 finds its font with importlib.resources.path (deprecated).
                warnings.simplefilter("ignore", DeprecationWarning)
                import ziamath
                from ziamath.config import config
        except ImportError:
            _ziamath_failed = True
            return None
        config.svg2 = False  # Qt's SVG renderer has no <symbol>
        config.precision = 2
        _ziamath = ziamath
    return _ziamath


_VIEWBOX = re.compile(
    r'<svg ([^>]*?)width="[^"]*" height="[^"]*" viewBox="([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)"'
)


def _draw(tex: str, *, display: bool, px: float) -> Drawn | NotDrawn:
    if len(tex) > MAX_TEX_CHARS:
        return NotDrawn(f"formula longer than {MAX_TEX_CHARS} characters")
    if nesting_cost(tex) > MAX_NESTING_COST:
        return NotDrawn("formula nested too deeply")
    library = _library()
    if library is None:
        return NotDrawn("formulas need the ziamath package")
    with _draw_lock:  # ziamath keeps glyph caches in module state
        try:
            svg: str = library.Latex(
                tex, size=px * OVERSAMPLE, inline=not display, color=MATH_INK
            ).svg()
        except RecursionError:
            return NotDrawn("formula nested too deeply")
        except Exception as error:  # noqa: BLE001 - any TeX the reader cannot read
            return NotDrawn(f"TeX not understood ({type(error).__name__})")
    m = _VIEWBOX.search(svg)
    if m is None:
        return NotDrawn("formula could not be laid out")
    x, top, width, height = (float(v) for v in m.group(2, 3, 4, 5))
    if width <= 0 or height <= 0:
        return NotDrawn("formula is empty")
    # Pad above or below so the image's middle sits where Qt centres it: the formula's
    # baseline (y = 0) then lands on the text's baseline.
    shift = AXIS_SHIFT * px * OVERSAMPLE
    ascent, descent = -top, top + height
    half = max(ascent - shift, descent + shift)
    top, height = -(half + shift), 2 * half
    svg = (
        svg[: m.start()] + f'<svg {m.group(1)}width="{width:.2f}" height="{height:.2f}" '
        f'viewBox="{x:.2f} {top:.2f} {width:.2f} {height:.2f}"' + svg[m.end() :]
    )
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Drawn(encoded, width / OVERSAMPLE, height / OVERSAMPLE)


class _FormulaCache:
    """LRU of (tex, display, px) → Drawn | NotDrawn, bounded by the bytes it holds."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[str, bool, float], Drawn | NotDrawn] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[str, bool, float]) -> Drawn | NotDrawn | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            return found

    def put(self, key: tuple[str, bool, float], value: Drawn | NotDrawn) -> None:
        size = _size(key, value)
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= _size(key, old)
            self._items[key] = value
            self._bytes += size
            while self._bytes > self.max_bytes and len(self._items) > 1:
                k, v = self._items.popitem(last=False)
                self._bytes -= _size(k, v)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)


def _size(key: tuple[str, bool, float], value: Drawn | NotDrawn) -> int:
    return len(key[0]) + (len(value.svg64) if isinstance(value, Drawn) else 64)


_cache = _FormulaCache(CACHE_BYTES)


def clear_formula_cache() -> None:
    """Forget every drawn formula (tests measure cold drawing with it)."""
    _cache.clear()


def formula_cache_info() -> tuple[int, int, int]:
    """(hits, misses, entries) of the formula cache."""
    return _cache.hits, _cache.misses, len(_cache)


# --- time budgets --------------------------------------------------------------------


@dataclass
class _Budget:
    deadline: float
    drawn: int = 0
    cut: bool = False  # a formula was left as source for lack of time


_local = threading.local()


@contextmanager
def formula_budget(seconds: float) -> Iterator[None]:
    """Draw formulas for at most `seconds` in this block (a card, a whole cheat-sheet);
    a block inside another keeps the outer one's budget."""
    if getattr(_local, "budget", None) is not None:
        yield
        return
    _local.budget = _Budget(time.monotonic() + seconds)
    try:
        yield
    finally:
        _local.budget = None


def budget_was_cut() -> bool:
    """Whether the current budget left a formula undrawn for lack of time (a page that
    shows such a fallback should not be cached: the next showing can draw it)."""
    budget: _Budget | None = getattr(_local, "budget", None)
    return budget is not None and budget.cut


def formula(tex: str, *, display: bool, px: float) -> Drawn | NotDrawn:
    """`tex` drawn at a font size of `px` pixels (cached), or why not."""
    key = (tex, display, round(px, 1))
    found = _cache.get(key)
    if found is not None:
        return found
    budget: _Budget | None = getattr(_local, "budget", None)
    if budget is not None and time.monotonic() > budget.deadline:
        budget.cut = True
        return NotDrawn("too many formulas to draw at once")
    drawn = _draw(tex, display=display, px=px)
    _cache.put(key, drawn)
    return drawn


# --- HTML ------------------------------------------------------------------------------


def source_html(tex: str, *, display: bool, reason: str) -> str:
    """The fallback: the TeX source with its delimiters in a code span."""
    marks = "$$" if display else "$"
    return (
        f'<code style="{INLINE_CODE_STYLE}" title="{html.escape(reason)}">'
        f"{html.escape(marks + tex + marks, quote=False)}</code>"
    )


def formula_html(tex: str, *, display: bool, size_pt: float = BODY_SIZE_PT) -> str:
    """An `<img>` of the formula for text of `size_pt` points, or its source as code."""
    drawn = formula(tex, display=display, px=points_to_px(size_pt))
    if isinstance(drawn, NotDrawn):
        return source_html(tex, display=display, reason=drawn.reason)
    return (
        f'<img src="{SVG_PREFIX}{drawn.svg64}" width="{drawn.width:.0f}" '
        f'height="{drawn.height:.0f}" style="vertical-align:middle" '
        f'alt="{html.escape(tex)}">'
    )


# --- display-time fitting (theme ink and text size) -------------------------------------

_MATH_IMG = re.compile(
    r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" width="(\d+)" height="(\d+)"'
)
_SVG_SIZE = re.compile(r'width="([\d.]+)" height="([\d.]+)"')
_fit_cache: OrderedDict[tuple[str, str, float], str] = OrderedDict()
_fit_lock = threading.Lock()


def _refit_svg(svg64: str, ink: str, scale: float) -> str:
    key = (svg64, ink, scale)
    with _fit_lock:
        found = _fit_cache.get(key)
        if found is not None:
            _fit_cache.move_to_end(key)
            return found
    svg = base64.b64decode(svg64).decode("utf-8")
    if ink != MATH_INK:
        svg = svg.replace(f'fill="{MATH_INK}"', f'fill="{ink}"')
    if scale != 1.0:
        svg = _SVG_SIZE.sub(
            lambda m: (
                f'width="{float(m.group(1)) * scale:.2f}" height="{float(m.group(2)) * scale:.2f}"'
            ),
            svg,
            count=1,
        )
    out = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    with _fit_lock:
        _fit_cache[key] = out
        while len(_fit_cache) > 256:
            _fit_cache.popitem(last=False)
    return out


def fit_formulas(page: str, *, ink: str | None = None, scale: float = 1.0) -> str:
    """`page` with its formula images in `ink` (a `#rrggbb` colour) and `scale` times
    their size; the SVG is redrawn at the new size, so large text stays sharp."""
    if SVG_PREFIX not in page:
        return page
    ink = (ink or MATH_INK).lower()
    if ink == MATH_INK and scale == 1.0:
        return page

    def refit(m: re.Match[str]) -> str:
        width = max(round(int(m.group(2)) * scale), 1)
        height = max(round(int(m.group(3)) * scale), 1)
        return (
            f'<img src="{SVG_PREFIX}{_refit_svg(m.group(1), ink, scale)}" '
            f'width="{width}" height="{height}"'
        )

    return _MATH_IMG.sub(refit, page)
