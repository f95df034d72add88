"""Cheat-sheet benchmark: building a sheet and exporting it as PDF and HTML.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_cheatsheet.py [--quick]

A temporary collection is seeded with the bundled decks. For a deck of 36 notes, one of
66 (the size the compact layout promises to fit on four A4 pages), the Modeling domain
and a synthetic deck of 1,000 notes (each with a code block or a formula), prints the
median of several runs (seconds) of
- build: reading the cards and setting the sheet's HTML for the window (the worker
  thread's part), with the render and formula caches cleared first (cold) and then warm;
- PDF: setting the blocks at print size, laying them out on A4 pages in the compact
  layout and writing the file (what Export PDF and `flashcards cheatsheet` do);
- HTML: writing the self-contained web page;
and the page counts in the compact and the full layout.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtPdf import QPdfDocument  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from flashcards.collection import Collection  # noqa: E402
from flashcards.collection.cheatsheet import Layout, Paper, SheetOptions, load_sheet  # noqa: E402
from flashcards.collection.cheatsheet_html import SCREEN_SCALE, sheet_html  # noqa: E402
from flashcards.core.math_render import clear_formula_cache  # noqa: E402
from flashcards.core.render import clear_render_cache  # noqa: E402
from flashcards.gui.cheatsheet.export import write_html, write_pdf  # noqa: E402

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def synthetic_deck(folder: Path, n: int) -> None:
    lines = ["---", "title: Synthetic", "domain: Synthetic", "---", ""]
    for i in range(n):
        lines.append(f"## Concept {i:04d}")
        lines.append(f"What does step {i} of the pipeline do?")
        lines.append("?")
        lines.append(f"It scales feature {i % 17} and checks the range of the batch {i}.")
        if i % 2:
            lines += [
                "```python",
                f"def step_{i}(x):",
                f"    return (x - {i}) / {i % 9 + 1}",
                "```",
            ]
        else:
            lines.append(f"$$z_{{{i}}} = \\frac{{x - \\mu_{{{i % 5}}}}}{{\\sigma}}$$")
        lines.append("")
    (folder / "synthetic.md").write_text("\n".join(lines), encoding="utf-8")


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times = []
    result = None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def pages(path: Path) -> int:
    doc = QPdfDocument()
    doc.load(str(path))
    count = doc.pageCount()
    doc.close()
    return count


def bench(col: Collection, label: str, options: SheetOptions, out: Path, runs: int) -> None:
    def page(sheet: Any) -> str:
        return sheet_html(sheet, layout=Layout.COMPACT, scale=SCREEN_SCALE)

    def cold() -> Any:
        clear_render_cache()
        clear_formula_cache()
        sheet = load_sheet(col, options, now=NOW)
        page(sheet)
        return sheet

    cold_s, sheet = timed(cold, runs)
    warm_s, _ = timed(lambda: page(load_sheet(col, options, now=NOW)), runs)
    pdf = out / "sheet.pdf"
    pdf_s, _ = timed(lambda: write_pdf(sheet, pdf, layout=Layout.COMPACT, paper=Paper.A4), runs)
    compact = pages(pdf)
    full_pdf = write_pdf(sheet, out / "full.pdf", layout=Layout.FULL, paper=Paper.A4)
    html_s, _ = timed(lambda: write_html(sheet, out / "sheet.html"), runs)
    print(
        f"{label:30s} {len(sheet.cards):5d} cards · build cold {cold_s:6.2f} s, "
        f"warm {warm_s:6.2f} s · PDF {pdf_s:6.2f} s · HTML {html_s:5.2f} s · "
        f"A4 pages: compact {compact}, full {pages(full_pdf)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="one run each")
    args = parser.parse_args()
    runs = 1 if args.quick else 3
    app = QApplication.instance() or QApplication(sys.argv)
    assert app is not None
    print(f"Cheat-sheet benchmark ({QApplication.platformName()}, {os.cpu_count()} CPUs)")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        with Collection.open(data) as col:
            synthetic_deck(data / "decks", 1000)
            col.sync()
            out = Path(tmp)
            deck = "aws-ml-specialty/modeling-training.md"
            bench(col, "deck modeling-training", SheetOptions(deck=deck), out, runs)
            deck = "aws-ml-specialty/data-engineering-ingestion.md"
            bench(col, "deck data-engineering-ingestion", SheetOptions(deck=deck), out, runs)
            bench(col, "domain Modeling (bundled)", SheetOptions(domain="Modeling"), out, runs)
            bench(col, "synthetic 1,000 notes", SheetOptions(deck="synthetic.md"), out, runs)


if __name__ == "__main__":
    main()
