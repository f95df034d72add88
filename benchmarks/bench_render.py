"""Render benchmark: a typical card with a 20-line Python code block.

Prints the median of several runs (milliseconds) for
- uncached: `render_card` with the render cache cleared before every call (the
  process is warm: Markdown instance, Pygments style and lexers already built);
- cached: the same call answered from the cache;
- front + back: both sides of a fresh card, as one review shows them;
- reference: Pygments' own PythonLexer + HtmlFormatter on the same code block alone,
  to show what the one-regex Python highlighter saves.

Target (issue 2): uncached < 2 ms. Run: `python benchmarks/bench_render.py`.
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


if __name__ == "__main__":
    main()
