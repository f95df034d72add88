"""Render benchmark: a typical card with a 20-line Python code block.

Prints the median of several runs (milliseconds) for
- uncached: `render_card` with the render cache cleared before every call (the
  process is warm: Markdown instance, Pygments style and lexers already built);
- cached: the same call answered from the cache;
- front + back: both sides of a fresh card, as one review shows them;
- reference: Pygments' own PythonLexer + HtmlFormatter on the same code block alone,
  to show what the one-regex Python highlighter saves.

Target (issue 2): uncached < 2 ms. Run: `python benchmarks/bench_render.py`.

Then a card with 5 formulas (issue 16.7: log loss, softmax, precision, F1, standardisation):
- first formula of the process: the one-off import of ziamath and its font;
- cold: formula and render caches cleared, the 5 formulas drawn again (worker thread;
  the first such card of a process also warms ziamath's glyph caches: shown apart);
- warm: formulas cached, the page rebuilt (a card seen before whose HTML was evicted);
- cached: the page from the render cache;
- dark theme at 125 %: `fit_card_html` recolouring and resizing the 5 images (GUI thread),
  the first time and then from its cache.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pygments import highlight  # noqa: E402
from pygments.formatters import HtmlFormatter  # noqa: E402
from pygments.lexers import PythonLexer  # noqa: E402

from flashcards.core.model import Card, CardId, CardKind, NoteId  # noqa: E402
from flashcards.core.render import Side, clear_render_cache, render_card  # noqa: E402

CODE = '''\
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Batch:
    """A slice of rows streamed from a large CSV file."""

    rows: list[str]
    index: int


def batches(path: str, *, size: int = 1_000) -> Iterator[Batch]:
    with open(path, encoding="utf-8") as f:  # text mode, lazily
        rows: list[str] = []
        for n, line in enumerate(f):
            rows.append(line.rstrip("\\n"))
            if len(rows) == size:
                yield Batch(rows, n // size)
                rows = []'''

ANSWER = f"""Use a **generator** so only one batch is in memory at a time; see
[[Lazy evaluation]] and [[python/iterators.md#Iterator protocol|iterators]].

```python
{CODE}
```

Each `yield` hands one `Batch` to the caller; memory stays at *O(size)*."""


def typical_card(n: int = 0) -> Card:
    return Card(
        id=CardId(f"c{n}"),
        note_id=NoteId(f"c{n}"),
        kind=CardKind.BASIC,
        file="python/streams.md",
        title="Streaming a large CSV in batches",
        prompt="How do you process a *10 GB* CSV file in fixed-size batches?",
        answer=ANSWER,
        line_start=10,
        line_end=40,
    )


def timings_ms(run: Callable[[], object], *, repeat: int) -> tuple[float, float]:
    """(median, fastest) of `repeat` runs; the fastest shows the cost without noise
    from other processes on a shared machine."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    card = typical_card()
    assert CODE.count("\n") + 1 == 20

    render_card(card, side=Side.BACK)  # warm the process (imports, Markdown, lexers)

    def uncached() -> None:
        clear_render_cache()
        render_card(card, side=Side.BACK)

    def front_and_back() -> None:
        clear_render_cache()
        render_card(card, side=Side.FRONT)
        render_card(card, side=Side.BACK)

    lexer, formatter = PythonLexer(), HtmlFormatter(noclasses=True, nowrap=True)

    figures = {
        "uncached (back side)": timings_ms(uncached, repeat=args.repeat),
        "cached (back side)": timings_ms(
            lambda: render_card(card, side=Side.BACK), repeat=args.repeat
        ),
        "front + back, uncached": timings_ms(front_and_back, repeat=args.repeat),
        "reference: Pygments PythonLexer, code only": timings_ms(
            lambda: highlight(CODE, lexer, formatter), repeat=max(args.repeat // 3, 5)
        ),
    }
    width = max(map(len, figures))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"render_card, typical card with a 20-line Python block "
        f"({args.repeat} runs; load average {load:.2f} on {os.cpu_count()} CPUs)"
    )
    print(f"  {'':<{width}}  {'median':>8}     {'fastest':>8}")
    for name, (median, fastest) in figures.items():
        print(f"  {name:<{width}}  {median:8.3f} ms  {fastest:8.3f} ms")
    target = figures["uncached (back side)"][0]
    print(f"  target: uncached median < 2 ms: {'met' if target < 2 else 'MISSED'}")


FORMULA_ANSWER = (
    "Log loss $L = -\\frac{1}{N}\\sum_{i=1}^{N}\\left[y_i \\log p_i + (1 - y_i)\\log(1 - p_i)"
    "\\right]$ scores probabilities; the network's last layer gives them by softmax:\n\n"
    "$$\\operatorname{softmax}(z)_i = \\frac{e^{z_i}}{\\sum_{j=1}^{K} e^{z_j}}$$\n\n"
    "Precision $P = \\frac{TP}{TP + FP}$ and $F_1 = \\frac{2PR}{P + R}$; inputs standardised"
    " as $z = \\frac{x - \\mu}{\\sigma}$."
)


def formula_card() -> Card:
    return Card(
        id=CardId("f1"),
        note_id=NoteId("f1"),
        kind=CardKind.BASIC,
        file="ml/metrics.md",
        title="Probabilities and their loss",
        prompt="How is a classifier's output scored?",
        answer=FORMULA_ANSWER,
        line_start=1,
        line_end=12,
    )


def formulas(repeat: int) -> None:
    from flashcards.core.card_look import fit_card_html
    from flashcards.core.math_render import clear_formula_cache, formula_html

    card = formula_card()
    start = time.perf_counter()
    formula_html("x", display=False)  # imports ziamath, loads its font
    first = (time.perf_counter() - start) * 1000

    def cold() -> None:
        clear_formula_cache()
        clear_render_cache()
        render_card(card, side=Side.BACK)

    def warm() -> None:
        clear_render_cache()
        render_card(card, side=Side.BACK)

    start = time.perf_counter()
    cold()  # ziamath's own glyph caches are cold too: the first such card of a session
    first_card = (time.perf_counter() - start) * 1000
    page = render_card(card, side=Side.BACK)
    assert page.count("data:image/svg+xml") == 5, "every formula is drawn"
    scales = iter(1.25 + i / 1e6 for i in range(10**6))  # a new size each run: no cache

    figures = {
        "cold: 5 formulas drawn": timings_ms(cold, repeat=max(repeat // 30, 5)),
        "warm: formulas cached, page rebuilt": timings_ms(warm, repeat=repeat),
        "cached page": timings_ms(lambda: render_card(card, side=Side.BACK), repeat=repeat),
        "dark at 125 %, first time": timings_ms(
            lambda: fit_card_html(page, dark=True, scale=next(scales)), repeat=repeat // 10
        ),
        "dark at 125 %, again": timings_ms(
            lambda: fit_card_html(page, dark=True, scale=1.25), repeat=repeat
        ),
    }
    width = max(map(len, figures))
    print(
        f"render_card, a card with 5 formulas (first formula of the process: {first:.0f} ms; "
        f"first such card: {first_card:.0f} ms)"
    )
    print(f"  {'':<{width}}  {'median':>8}     {'fastest':>8}")
    for name, (median, fastest) in figures.items():
        print(f"  {name:<{width}}  {median:8.3f} ms  {fastest:8.3f} ms")


if __name__ == "__main__":
    main()
    formulas(300)
