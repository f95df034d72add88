"""Our collection against the real `anki` package on the same work, in one run.

    python benchmarks/bench_vs_anki.py [--sizes 10000,100000] [--runs 5] [--rows queue,answer]

For each size the same generated cards (a prompt and an answer drawn from one vocabulary:
one word in two cards of three, the domain words frequent and 4,000 made-up words rarer,
Zipf-weighted) go into a Markdown library of 100-card files without ids, and into Anki as
Basic notes. Rows, medians of `--runs` (ours / Anki / ratio; the targets are 1.5, and 1
for answering and memory):

* search a common word, all matches: `col.search(word, limit=None)` against
  `col.find_cards(word)` (ids of every matching card);
* queue + first card, everything due: every card a review card due today, reviews/day
  at 9,999 (Anki's maximum); our queue rebuilt and its first card fetched, against Anki
  rebuilding its queues (after an operation that clears them) and fetching the first;
* first sync of the Markdown library (parse, ids written into every heading, index)
  against Anki's `add_notes` of the same notes (the sizes' runs in turns);
* answer 1,000 cards: next card, answer Good, in a loop (in turns of 250 with Anki);
* peak memory: a fresh process that opens the collection, searches, builds the queue
  and answers 1,000 cards (peak RSS, `VmHWM`).

Then: first sync linear (largest size's time over the smallest's, against the ratio of
sizes; the target is <= 1.2 x that ratio), re-sync with nothing changed (at the largest
size: 1,000 files at 100,000 cards), and a browser search with every card matching,
sorted by each column, to its first screen (`search_start`: the head of the ids and the
rows of the first screen), worst column reported.

`--rows` runs only some of the rows (search, queue, sync, answer, memory; the first
syncs always run: they make both collections), for a quick look at one figure.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
PER_FILE = 100
UNLIMITED = 9999  # the largest daily limit Anki accepts
COMMON_WORD = "model"  # in about two cards of three
TARGET = 1.5  # ours / Anki, each row
DOMAIN_WORDS = [
    "gradient",
    "boosting",
    "eta",
    "learning",
    "rate",
    "shard",
    "stream",
    "firehose",
    "glue",
    "catalog",
    "crawler",
    "feature",
    "store",
    "endpoint",
    "variant",
    "autoscaling",
    "drift",
    "monitor",
    "clarify",
    "bias",
    "recall",
    "precision",
    "threshold",
    "embedding",
    "tokenizer",
    "batch",
    "transform",
    "pipeline",
    "lineage",
    "spot",
    "checkpoint",
    "quantile",
    "forecast",
    "anomaly",
    "cluster",
    "kmeans",
    "pca",
    "xgboost",
    "linear",
]


@dataclass(frozen=True)
class CardText:
    title: str
    prompt: str
    answer: str


def card_texts(count: int, *, seed: int = 7) -> list[CardText]:
    """`count` cards' text, the same for both programs."""
    rng = random.Random(seed)
    syllables = [
        "ka",
        "lo",
        "mi",
        "nu",
        "pe",
        "ra",
        "si",
        "to",
        "vu",
        "ze",
        "qua",
        "bri",
        "ster",
        "gon",
        "dal",
        "fen",
    ]
    rare = sorted({"".join(rng.choice(syllables) for _ in range(3)) for _ in range(4500)})
    words = [COMMON_WORD, *DOMAIN_WORDS, *rare[:4000]]
    weights = [0.17] + [1 / (rank + 60) for rank in range(len(words) - 1)]
    out = []
    for i in range(count):
        out.append(
            CardText(
                f"Card {i} {rng.choice(DOMAIN_WORDS)}",
                " ".join(rng.choices(words, weights, k=12)) + "?",
                " ".join(rng.choices(words, weights, k=16)) + ".",
            )
        )
    return out


def write_library(folder: Path, texts: list[CardText]) -> int:
    """The cards as Markdown deck files of `PER_FILE` cards, headings without ids."""
    files = 0
    for start in range(0, len(texts), PER_FILE):
        sub = folder / f"part-{files % 10}"
        sub.mkdir(parents=True, exist_ok=True)
        parts = [f"---\ntitle: Deck {files:04d}\n---\n\n# Section\n"]
        for t in texts[start : start + PER_FILE]:
            parts.append(f"## {t.title}\n{t.prompt}\n?\n{t.answer}\n")
        (sub / f"deck-{files:04d}.md").write_text("\n".join(parts), encoding="utf-8")
        files += 1
    return files


def median(values: list[float]) -> float:
    return statistics.median(values)


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def median_time(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm: caches as in use
    return median([timed(fn) for _ in range(runs)])


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- ours ---------------------------------------------------------------------------------


def ours_make_due(col: Any) -> None:
    """Every card a review card due today (bulk SQL: set-up, not timed)."""
    from sqlalchemy import text

    now_s = int(NOW.timestamp())
    with col._write() as s:  # noqa: SLF001 - set-up
        s.execute(
            text(
                "UPDATE cards SET state = 2, reps = 3, "
                "stability = 1 + (abs(random()) % 5000) / 100.0, "
                "difficulty = 1 + (abs(random()) % 900) / 100.0, "
                "last_review = :now - 86400 * (1 + abs(random()) % 60), "
                "due = :now - 86400 * (abs(random()) % 30) - 3600"
            ),
            {"now": now_s},
        )
    col._generation += 1  # noqa: SLF001


def ours_unlimited(col: Any) -> None:
    from dataclasses import replace

    preset = col.presets()[1]
    col.save_preset(replace(preset, reviews_per_day=UNLIMITED), preset_id=1)


def ours_answer(col: Any, count: int, now: datetime) -> float:
    from flashcards.core.model import Rating

    t = now
    start = time.perf_counter()
    for _ in range(count):
        card = col.next_card(now=t)
        if card is None:
            break
        col.answer(card.id, Rating.GOOD, now=t, duration_ms=3000)
        t += timedelta(seconds=8)
    return time.perf_counter() - start


def ours_sync_once(folder: Path, texts: list[CardText]) -> tuple[float, Any]:
    from flashcards.collection import Collection

    data = folder / "data"
    write_library(data / "decks", texts)
    col = Collection.open(data, sync=False, seed=False)
    col.set_setting("timezone", "UTC")
    t0 = time.perf_counter()
    report = col.sync(now=NOW)
    took = time.perf_counter() - t0
    assert report.cards_added == len(texts), report
    # What the sync left in the WAL copied now, not by the idle checkpoint while
    # another row is timed (the collections of both sizes are open together).
    col.db.checkpoint()
    return took, col


# -- anki ---------------------------------------------------------------------------------


def anki_add(path: Path, texts: list[CardText]) -> tuple[float, Any]:
    from anki.collection import AddNoteRequest
    from anki.collection import Collection as AnkiCollection

    col = AnkiCollection(str(path))
    model = col.models.by_name("Basic")
    deck_id = col.decks.id("Bench")
    t0 = time.perf_counter()
    for start in range(0, len(texts), 10_000):
        requests = []
        for t in texts[start : start + 10_000]:
            note = col.new_note(model)
            note["Front"] = f"{t.title}<br>{t.prompt}"
            note["Back"] = t.answer
            requests.append(AddNoteRequest(note=note, deck_id=deck_id))
        col.add_notes(requests)
    took = time.perf_counter() - t0
    col.decks.select(deck_id)
    return took, col


def anki_make_due(col: Any) -> None:
    c = col
    today = c.sched.today
    c.db.execute(
        "update cards set type = 2, queue = 2, ivl = 10, factor = 2500, reps = 3, "
        f"due = {today} - abs(random() % 30)"
    )
    deck_id = c.decks.id("Bench")
    conf = c.decks.config_dict_for_deck_id(deck_id)
    conf["rev"]["perDay"] = UNLIMITED
    c.decks.update_config(conf)


class AnkiQueue:
    """Anki caches its queues and clears them after any operation that changes
    scheduling; suspending or unsuspending one card is such an operation. Queue build
    = (toggle + first card) - (toggle alone)."""

    def __init__(self, col: Any) -> None:
        self.col = col
        self.card = [col.db.scalar("select min(id) from cards")]
        self.suspended = False

    def toggle(self) -> None:
        sched = self.col.sched
        if self.suspended:
            sched.unsuspend_cards(self.card)
        else:
            sched.suspend_cards(self.card)
        self.suspended = not self.suspended

    def rebuild(self) -> None:
        self.toggle()
        self.col.sched.get_queued_cards(fetch_limit=1)

    def measure(self, runs: int) -> float:
        toggle = median_time(self.toggle, runs * 4)
        build = median_time(self.rebuild, runs * 4)
        if self.suspended:
            self.toggle()
        return max(0.0, build - toggle)


def anki_answer(col: Any, count: int) -> float:
    from anki.scheduler.v3 import CardAnswer

    c = col
    start = time.perf_counter()
    for _ in range(count):
        queued = c.sched.get_queued_cards(fetch_limit=1)
        if not queued.cards:
            break
        top = queued.cards[0]
        card = c.get_card(top.card.id)
        card.start_timer()
        c.sched.answer_card(
            c.sched.build_answer(card=card, states=top.states, rating=CardAnswer.GOOD)
        )
    return time.perf_counter() - start


# -- memory: a fresh process each ------------------------------------------------------------


def memory_ours(data: Path) -> None:
    from flashcards.collection import Collection

    with Collection.open(data, seed=False, now=NOW) as col:
        col.search(COMMON_WORD, limit=None)
        col.next_card(now=NOW)
        ours_answer(col, 1000, NOW + timedelta(minutes=1))
    print(f"{peak_rss_mb():.1f}")


def memory_anki(path: Path) -> None:
    from anki.collection import Collection as AnkiCollection

    col = AnkiCollection(str(path))
    try:
        col.find_cards(COMMON_WORD)
        col.sched.get_queued_cards(fetch_limit=1)
        anki_answer(col, 1000)
    finally:
        col.close()
    print(f"{peak_rss_mb():.1f}")


def peak_of(flag: str, path: Path) -> float:
    done = subprocess.run(
        [sys.executable, __file__, flag, str(path)], capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip().splitlines()[-1])


# -- one size -------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    ours: float
    anki: float
    unit: str  # "ms", "s" or "MB"
    target: float = TARGET
    paired: float | None = None  # the median of each run's own ratio, when runs pair up

    @property
    def ratio(self) -> float:
        if self.paired is not None:
            return self.paired
        return self.ours / max(self.anki, 1e-9)


@dataclass
class FirstSyncs:
    """One size's first syncs and Anki's add_notes, and the collections of the last run
    (closed once every run is done; `bench_size` opens them again)."""

    ours: list[float]
    anki: list[float]
    ours_col: Any = None
    anki_col: Any = None
    ours_data: Path | None = None
    anki_path: Path | None = None


def first_syncs(sizes: list[int], runs: int, tmp: Path) -> dict[int, FirstSyncs]:
    """Every size's runs in turn (10k, 100k, 10k, 100k, ...), so a machine whose load
    changes over minutes weighs on the sizes alike: their ratio is the linearity figure."""
    texts = {size: card_texts(size) for size in sizes}
    out = {size: FirstSyncs([], []) for size in sizes}
    for run in range(runs):
        for size in sizes:
            got = out[size]
            folder = tmp / f"{size}-{run}"
            folder.mkdir(parents=True)
            if got.ours_col is not None:  # only the last run's collections are kept
                got.ours_col.close()
                got.anki_col.close()
                shutil.rmtree(tmp / f"{size}-{run - 1}")
            took, got.ours_col = ours_sync_once(folder, texts[size])
            got.ours.append(took)
            took, got.anki_col = anki_add(folder / "collection.anki2", texts[size])
            got.anki.append(took)
            print(
                f"    run {run + 1}, {size:,} cards: sync {got.ours[-1]:.2f} s, "
                f"add_notes {got.anki[-1]:.2f} s"
            )
    # Each size is measured with only its own collections open: the other size's (a
    # 100,000-card one beside the 10,000-card rows) slowed ours and Anki's small figures.
    for got in out.values():
        got.ours_data, got.anki_path = got.ours_col.db.data_dir, Path(got.anki_col.path)
        got.ours_col.close()
        got.anki_col.close()
        got.ours_col = got.anki_col = None
    return out


def reopen(syncs: FirstSyncs) -> tuple[Any, Any]:
    """The last run's collections of a size, opened again (ours, Anki's)."""
    from anki.collection import Collection as AnkiCollection

    from flashcards.collection import Collection

    assert syncs.ours_data is not None and syncs.anki_path is not None
    ours = Collection.open(syncs.ours_data, sync=False, seed=False, now=NOW)
    anki = AnkiCollection(str(syncs.anki_path))
    anki.decks.select(anki.decks.id("Bench"))
    return ours, anki


ROWS = ("search", "queue", "sync", "answer", "memory")


def bench_size(
    size: int, runs: int, syncs: FirstSyncs, wanted: frozenset[str] = frozenset(ROWS)
) -> tuple[list[Row], dict[str, Any]]:
    extra: dict[str, Any] = {}
    ours_sync, anki_add_s = syncs.ours, syncs.anki
    ours, anki = reopen(syncs)
    data = ours.db.data_dir
    rows: list[Row] = []
    if "search" in wanted:
        rows.append(search_row(ours, anki, runs, extra, size))
    ours_make_due(ours)
    ours_unlimited(ours)
    # The set-up's bulk update copied into the database before anything is timed, as
    # Anki's automatic checkpoint does inside its own (ours waits for a pause).
    ours.db.checkpoint()
    anki_make_due(anki)
    if "search" in wanted:
        sorted_search(ours, runs, extra)
    if "queue" in wanted:
        rows.append(queue_row(ours, anki, runs))
    if "sync" in wanted:
        # Each run times ours and then Anki's: the ratio is the median of the runs' own,
        # which a load that changes between runs disturbs less than a ratio of medians.
        rows.append(
            Row(
                "first sync vs Anki add_notes",
                median(ours_sync),
                median(anki_add_s),
                "s",
                paired=median([o / a for o, a in zip(ours_sync, anki_add_s, strict=True)]),
            )
        )
    if "answer" in wanted:
        rows.append(answer_row(ours, anki))
    ours.close()
    anki.close()
    if "memory" in wanted:
        mem = peak_of("--memory-ours", data)
        anki_mem = peak_of("--memory-anki", Path(anki.path))
        rows.append(Row("peak memory", mem, anki_mem, "MB", 1.0))
    extra["sync_runs"] = ours_sync
    return rows, extra


def search_row(ours: Any, anki: Any, runs: int, extra: dict[str, Any], size: int) -> Row:
    extra["resync_ms"] = median_time(lambda: ours.sync(now=NOW), 7) * 1000
    extra["files"] = (size + PER_FILE - 1) // PER_FILE
    found = len(ours.search(COMMON_WORD, limit=None))
    anki_found = len(anki.find_cards(COMMON_WORD))
    extra["matches"], extra["anki_matches"] = found, anki_found
    search = median_time(lambda: ours.search(COMMON_WORD, limit=None), runs)
    anki_search = median_time(lambda: anki.find_cards(COMMON_WORD), runs)
    return Row("search a common word, all matches", search * 1000, anki_search * 1000, "ms")


def sorted_search(ours: Any, runs: int, extra: dict[str, Any]) -> None:
    from flashcards.collection.browse import search_start
    from flashcards.storage.card_search import SortColumn

    worst = ("", 0.0)
    for column in SortColumn:
        ms = median_time(lambda c=column: search_start(ours, "", order=c, now=NOW), runs) * 1000
        if ms > worst[1]:
            worst = (column.value, ms)
    extra["sorted_first_ms"] = worst[1]
    extra["sorted_column"] = worst[0]


def queue_row(ours: Any, anki: Any, runs: int) -> Row:
    def first_card() -> None:
        ours._generation += 1  # noqa: SLF001 - as after a card action: the queue is rebuilt
        ours.next_card(now=NOW)

    queue = median_time(first_card, runs * 4)
    anki_queue = AnkiQueue(anki).measure(runs)
    return Row("queue + first card, everything due", queue * 1000, anki_queue * 1000, "ms")


def answer_row(ours: Any, anki: Any) -> Row:
    # 1,000 answers each, in turns of 250 so a machine whose load changes weighs on both.
    ours.next_card(now=NOW)
    anki.sched.get_queued_cards()
    answer = anki_answered = 0.0
    for turn in range(4):
        answer += ours_answer(ours, 250, NOW + timedelta(seconds=8 * 250 * turn))
        anki_answered += anki_answer(anki, 250)
    return Row("answer 1,000 cards", answer, anki_answered, "s", 1.0)


def fmt(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value:8.1f} ms"
    if unit == "s":
        return f"{value:8.2f} s "
    return f"{value:8.0f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="card counts, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="runs per median")
    parser.add_argument(
        "--rows", default=",".join(ROWS), help=f"rows to run, comma-separated ({','.join(ROWS)})"
    )
    parser.add_argument("--memory-ours", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--memory-anki", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_ours:
        memory_ours(args.memory_ours)
        return 0
    if args.memory_anki:
        memory_anki(args.memory_anki)
        return 0
    import sqlite3
    from importlib.metadata import version

    sizes = [int(s) for s in args.sizes.split(",")]
    wanted = frozenset(r.strip() for r in args.rows.split(",") if r.strip())
    if not wanted or not wanted <= set(ROWS):
        parser.error(f"--rows: choose from {', '.join(ROWS)}")
    print(
        f"flashcards vs anki {version('anki')} — medians of {args.runs}; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start; "
        f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}"
    )
    results: dict[int, tuple[list[Row], dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        print("  first syncs and add_notes ...")
        syncs = first_syncs(sizes, args.runs, Path(tmp))
        for size in sizes:
            print(f"  {size:,} cards ...")
            results[size] = bench_size(size, args.runs, syncs[size], wanted)
    print(f"\n{'work':<38}" + "".join(f"{f'{s:,} cards':>36}" for s in sizes))
    over = []
    for i, row in enumerate(results[sizes[0]][0]):
        line = f"{row.label:<38}"
        for size in sizes:
            r = results[size][0][i]
            mark = "" if r.ratio <= r.target else " !"
            if mark:
                over.append(f"{r.label} at {size:,}")
            anki = fmt(r.anki, r.unit).strip()
            line += f"  {fmt(r.ours, r.unit)} / {anki:>9} = {r.ratio:4.2f}x{mark}"
        print(line)
    for size in sizes if "search" in wanted else ():
        extra = results[size][1]
        print(
            f"\n{size:,} cards: '{COMMON_WORD}' matches {int(extra['matches']):,} cards "
            f"(Anki {int(extra['anki_matches']):,}); re-sync, nothing changed, "
            f"{int(extra['files'])} files: {extra['resync_ms']:.1f} ms (target < 30 at 1,000); "
            f"sorted browser search, all {size:,} match, first screen: worst "
            f"{extra['sorted_first_ms']:.1f} ms by {extra['sorted_column']} (target < 50)"
        )
    if len(sizes) > 1 and "sync" in wanted:
        small, big = sizes[0], sizes[-1]
        # The sizes' runs alternate: each pair's ratio, and their median.
        pairs = zip(results[big][1]["sync_runs"], results[small][1]["sync_runs"], strict=True)
        growth = median([b / s for b, s in pairs])
        limit = 1.2 * big / small
        print(
            f"first sync linear: {big:,} cards took {growth:.1f}x the {small:,}-card time "
            f"(target <= {limit:.0f}x)"
        )
        if growth > limit:
            over.append("first sync linearity")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    print("\nover target: " + (", ".join(over) if over else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
