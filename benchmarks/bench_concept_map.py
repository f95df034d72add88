"""Concept map benchmark: layout off the GUI thread, responsiveness, pan/zoom frame rate,
10,000 nodes, reopening with stored positions.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_concept_map.py [--quick]

A real library of 2,000 notes and 5,000 links is written to a temporary folder and
synced; the 10,000-node figures use map data built in memory (same drawing code).
Figures are medians of several runs; frames are timed as scale/scroll + a synchronous
repaint of the whole viewport.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QElapsedTimer, QEventLoop, QThreadPool, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from flashcards.collection import Collection  # noqa: E402
from flashcards.collection.concept_map import (  # noqa: E402
    EdgeKind,
    MapData,
    MapEdge,
    MapNode,
)
from flashcards.core.model import CardId, NoteId  # noqa: E402
from flashcards.gui.concept_map import ConceptMapWindow  # noqa: E402
from flashcards.gui.worker import CollectionWorker  # noqa: E402

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
DOMAINS = ("Data Engineering", "Exploratory Data Analysis", "Modeling", "Operations")


def call(app: QApplication, worker: CollectionWorker, fn: Callable[[Any], Any]) -> Any:
    """Run `fn` on the worker and wait for its result."""
    box: list[Any] = []
    worker.run(fn, success=box.append)
    while not box:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    return box[0]


def wait_signal(app: QApplication, signal: Any, start: Callable[[], None]) -> float:
    loop = QEventLoop()
    signal.connect(loop.quit)
    t0 = time.perf_counter()
    start()
    QTimer.singleShot(60_000, loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)
    return time.perf_counter() - t0


def _pairs(n: int, m: int, seed: int) -> list[tuple[int, int]]:
    """m distinct links, mostly within groups of ~40 notes (like real decks' sections)."""
    rng = random.Random(seed)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < m:
        a = rng.randrange(n)
        if rng.random() < 0.8:
            base = a - a % 40
            b = base + rng.randrange(min(40, n - base))
        else:
            b = rng.randrange(n)
        if a != b and (b, a) not in pairs:
            pairs.add((a, b))
    return sorted(pairs)


def write_library(folder: Path, n: int, m: int) -> None:
    links: dict[int, list[int]] = {}
    for a, b in _pairs(n, m, seed=1):
        links.setdefault(a, []).append(b)
    per_deck = n // len(DOMAINS)
    library = folder / "decks"
    library.mkdir(parents=True)
    for d, domain in enumerate(DOMAINS):
        lines = ["---", f"title: Deck {d}", f"domain: {domain}", "---", ""]
        for i in range(d * per_deck, n if d == len(DOMAINS) - 1 else (d + 1) * per_deck):
            lines.append(f"## Concept {i:05d} {{#n{i:05d}}}")
            see = " ".join(f"[[Concept {j:05d}]]" for j in links.get(i, []))
            lines.append(f"Fact number {i} about topic {i % 97}. {see}".rstrip())
            lines.append("")
        (library / f"deck{d}.md").write_text("\n".join(lines), encoding="utf-8")


def synthetic_data(n: int, m: int) -> MapData:
    nodes = tuple(
        MapNode(
            note_id=NoteId(f"n{i}"),
            title=f"Concept {i}",
            deck=f"Deck {i % 4}",
            deck_file=f"deck{i % 4}.md",
            domain=DOMAINS[i % 4],
            tags=(),
            card_ids=(CardId(f"n{i}"),),
            recall=(i % 10) / 10 if i % 3 else None,
            due=None,
            is_due=False,
            is_new=i % 3 == 0,
            is_leech=False,
            suspended=False,
            links=0,
        )
        for i in range(n)
    )
    edges = tuple(
        MapEdge(NoteId(f"n{a}"), NoteId(f"n{b}"), EdgeKind.LINK, a % 4 != b % 4)
        for a, b in _pairs(n, m, seed=2)
    )
    return MapData(nodes=nodes, edges=edges, domains=DOMAINS, positions={}, now=NOW)


def wait_layout(
    app: QApplication, window: ConceptMapWindow, start: Callable[[], None]
) -> dict[str, float]:
    """Start a load whose layout runs on the pool. Times the opening and the layout; once
    the map is on screen, pans it every 16 ms (a user dragging) and records the frame
    rate and the longest gap between event-loop ticks while the layout computes."""
    ticks: list[float] = []
    clock = QElapsedTimer()
    ticker = QTimer()
    ticker.setInterval(5)
    ticker.timeout.connect(lambda: ticks.append(clock.nsecsElapsed() / 1e6))
    shown_at: list[float] = []
    painted: list[float] = []
    bar = window.view.horizontalScrollBar()
    panner = QTimer()
    panner.setInterval(16)

    def pan() -> None:
        bar.setValue(bar.value() + (6 if len(painted) % 20 < 10 else -6))
        window.view.viewport().repaint()
        painted.append(clock.nsecsElapsed() / 1e6)

    panner.timeout.connect(pan)

    def on_loaded() -> None:
        shown_at.append(clock.nsecsElapsed() / 1e6)
        panner.start()

    loop = QEventLoop()
    window.layout_finished.connect(loop.quit)
    window.loaded.connect(on_loaded)
    clock.start()
    ticker.start()
    start()  # data from the worker, scene built here, then the layout runs on the pool
    QTimer.singleShot(60_000, loop.quit)
    loop.exec()
    done = clock.nsecsElapsed() / 1e6
    ticker.stop()
    panner.stop()
    window.layout_finished.disconnect(loop.quit)
    window.loaded.disconnect(on_loaded)
    shown = shown_at[0] if shown_at else 0.0
    during = [t for t in ticks if t > shown]
    gaps = [b - a for a, b in zip(during, during[1:], strict=False)]
    span = (painted[-1] - painted[0]) / 1000 if len(painted) > 1 else 0.0
    return {
        "shown_s": shown / 1000,
        "layout_s": done / 1000,
        "max_gap_ms": max(gaps) if gaps else float("nan"),
        "pan_fps_during": (len(painted) - 1) / span if span else float("nan"),
    }


def frames(
    app: QApplication, window: ConceptMapWindow, count: int, kind: str
) -> tuple[float, float]:
    """(wall, CPU) frames per second of `count` steps, each followed by a synchronous
    repaint of the whole viewport. CPU time is the steadier figure on a shared machine."""
    view = window.view
    viewport = view.viewport()
    bar = view.horizontalScrollBar()
    w0, c0 = time.perf_counter(), time.process_time()
    for i in range(count):
        if kind == "pan":
            bar.setValue(bar.value() + (12 if (i // 10) % 2 == 0 else -12))
        else:
            view.zoom_by(1.03 if (i // 10) % 2 == 0 else 1 / 1.03)
        viewport.repaint()
    return count / (time.perf_counter() - w0), count / max(time.process_time() - c0, 1e-9)


def settle(app: QApplication, window: ConceptMapWindow) -> None:
    """Let the view finish a move (full-quality redraw), as after a real gesture."""
    window.view._settle.stop()
    window.view._settled()
    window.view.viewport().repaint()
    app.processEvents()


def fps_set(app: QApplication, window: ConceptMapWindow, count: int) -> dict[str, float]:
    out: dict[str, float] = {}
    for place in ("whole", "close"):
        window.fit()
        if place == "close":
            window.view.zoom_by(2.0 / window.view.zoom)  # labels on
        settle(app, window)
        out[f"labels_{place}"] = window.scene.labels.drawn
        out[f"pan_{place}"], out[f"pan_cpu_{place}"] = frames(app, window, count, "pan")
        settle(app, window)
        out[f"zoom_{place}"], out[f"zoom_cpu_{place}"] = frames(app, window, count, "zoom")
        settle(app, window)
        window.view.preview_zoom = False  # every zoom step drawn in full
        out[f"full_{place}"], out[f"full_cpu_{place}"] = frames(app, window, count, "zoom")
        window.view.preview_zoom = True
        settle(app, window)
    return out


def print_fps(prefix: str, runs: list[dict[str, float]]) -> None:
    for place in ("whole", "close"):
        cells = []
        for kind, name in (("pan", "pan"), ("zoom", "zoom"), ("full", "full redraw")):
            wall = statistics.median(r[f"{kind}_{place}"] for r in runs)
            cpu = statistics.median(r[f"{kind}_cpu_{place}"] for r in runs)
            cells.append(f"{name} {wall:6.1f} fps (CPU {cpu:6.1f})")
        labels = runs[-1][f"labels_{place}"]
        print(f"  {prefix} {place:5s} view: " + " · ".join(cells) + f" · {labels:.0f} labels")


def _runs(values: list[float], unit: str = "s", scale: float = 1.0) -> str:
    return ", ".join(f"{v * scale:.2f}" for v in values) + f" {unit}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    runs = 2 if args.quick else 3
    count = 40 if args.quick else 90
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    pool = QThreadPool()
    print(f"Concept map benchmark ({QApplication.platformName()}, {os.cpu_count()} CPUs)")
    with tempfile.TemporaryDirectory() as tmp:
        bench_library(app, pool, Path(tmp) / "data", runs=runs, count=count)
    bench_big(app, pool, count=count)


def bench_library(
    app: QApplication, pool: QThreadPool, folder: Path, *, runs: int, count: int
) -> None:
    t0 = time.perf_counter()
    write_library(folder, 2000, 5000)
    Collection.open(folder, seed=False).close()
    print(
        f"library: 2,000 notes, 5,000 links written and synced in {time.perf_counter() - t0:.1f} s"
    )
    worker = CollectionWorker(lambda: Collection.open(folder, seed=False, sync=False))
    layouts = []
    windows = []
    for _ in range(runs):
        call(app, worker, lambda col: col.set_setting("concept_map.positions", {}))
        window = ConceptMapWindow(worker, now=lambda: NOW, pool=pool)
        window.resize(1400, 900)
        window.show()
        app.processEvents()
        result = wait_layout(app, window, window.load)
        result["compute_s"] = window.last_layout_seconds
        result["compute_cpu_s"] = window.last_layout_cpu_seconds
        layouts.append(result)
        windows.append(window)
    window = windows[-1]
    assert window.model is not None
    links = sum(1 for e in window.model.data.edges if e.kind is EdgeKind.LINK)
    print(f"  2k map: {len(window.model)} nodes, {links} link edges")
    for key, label in (
        ("compute_s", "layout computation (pool thread)"),
        ("compute_cpu_s", "layout computation, thread CPU time"),
        ("shown_s", "open → map on screen (provisional positions)"),
        ("layout_s", "open → layout done and drawn"),
    ):
        values = [r[key] for r in layouts]
        print(f"  2k {label:46s} median {statistics.median(values):6.2f} s  ({_runs(values)})")
    gaps = [r["max_gap_ms"] for r in layouts]
    print(
        f"  2k {'longest event-loop gap while laying out':46s} "
        f"median {statistics.median(gaps):6.0f} ms ({_runs(gaps, 'ms')})"
    )
    during = [r["pan_fps_during"] for r in layouts]
    print(
        f"  2k {'panning while laying out':46s} "
        f"median {statistics.median(during):6.1f} fps ({_runs(during, 'fps')})"
    )
    call(app, worker, lambda col: None)  # let the position saves land
    print_fps("2k", [fps_set(app, window, count) for _ in range(runs)])
    reopen = []
    reopen_cpu = []
    for _ in range(runs + 2):
        again = ConceptMapWindow(worker, now=lambda: NOW, pool=pool)
        again.resize(1400, 900)
        again.show()
        app.processEvents()
        call(app, worker, lambda col: None)  # worker idle: time only the reopening
        c0 = time.process_time()  # both threads: the worker's query and the GUI's build
        elapsed = wait_signal(app, again.loaded, again.load)
        t1 = time.perf_counter()
        again.view.viewport().repaint()
        reopen.append(elapsed + time.perf_counter() - t1)
        reopen_cpu.append(time.process_time() - c0)
        assert again.model is not None and not again.model.needs_layout
        again.close()
    print(
        "  2k reopen with stored positions → first paint: "
        f"median {statistics.median(reopen) * 1000:.0f} ms"
        f" ({_runs(reopen, 'ms', 1000)}); CPU {statistics.median(reopen_cpu) * 1000:.0f} ms"
    )
    for w in windows:
        w.close()
    worker.stop()


def bench_big(app: QApplication, pool: QThreadPool, *, count: int) -> None:
    big = synthetic_data(10_000, 25_000)
    window = ConceptMapWindow(_InMemory(), now=lambda: NOW, pool=pool)
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    result = wait_layout(app, window, lambda: window.show_data(big))
    print(
        f"  10k map: shown in {result['shown_s']:.2f} s, "
        f"layout computation {window.last_layout_seconds:.2f} s "
        f"(thread CPU {window.last_layout_cpu_seconds:.2f} s), "
        f"longest event-loop gap while laying out {result['max_gap_ms']:.0f} ms, "
        f"panning meanwhile {result['pan_fps_during']:.1f} fps"
    )
    print_fps("10k", [fps_set(app, window, count)])


class _InMemory:
    """Runner for in-memory map data: nothing to store, clusters skipped (in the app
    they run on the worker thread, not here)."""

    def run(
        self,
        fn: Callable[[Any], Any],
        *,
        success: Callable[[Any], None] | None = None,
        failure: Callable[[Any], None] | None = None,
        label: str = "",
    ) -> None:
        if label in ("save map positions", "clusters"):
            return
        result = fn(None)
        if success is not None:
            success(result)


if __name__ == "__main__":
    main()
