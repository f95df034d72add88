"""Device logs (issue 21, docs/sync.md): what studying on several machines costs.

    python benchmarks/bench_device_log.py [--answers 2000] [--merge 10000]
                                          [--cards 100000] [--events 1000000] [--runs 5]

Figures (medians of several runs):

* the time an answer takes with its log event (the events row, the line written to the
  month file) and with the log switched off, in the same process, on a 10,000-card
  collection: the difference is what the log adds to an answer;
* merging 10,000 events another device wrote (answers on 2,500 of its cards) into a
  collection that has not seen them: `col.sync()` once the files have arrived;
* rebuilding a 100,000-card collection's states and history from logs of 1,000,000 events
  (the database deleted, `Collection.open(rebuild=True)`): the deck sync and the merge
  are timed apart;
* the size of a year of 300 answers a day: the month files as written, and compacted.

The big logs are made directly (not by a million `answer` calls): each card's answers
when FSRS has them due, their states by FSRS (`card_fold.recompute_answer`), each
answer's parent the previous one, exactly as a device writes them.

On the 2 shared cores of the development machine, December 2026: an answer 0.21 ms with
its event, 0.15 ms without (+0.06 ms; load about 3); merging 10,000 events 0.18 s (load
0.9; 0.38–0.49 s at load 3 before the merge ran with the collector paused); rebuilding
100,000 cards from 906,722 events 21.9 s in all, of which 2.9 s the deck files and 18.9 s
the logs (21 µs an event; load 1.7, median of 3) — the code before the speed-ups of
2 December, run just before in the same conditions, 28.6 s (3.0 s + 25.3 s), and 37 s at
load 3; a year of 300 answers a day 17.0 MB as written (155 bytes an answer), 4.0 MB
compacted, 4.9 MB on disk with this month plain.

Where a rebuild's time goes (py-spy, load 1.5–2): storing the events 20% (their
executemany 14%), replaying the cards 20%, inserting the history 13%, reading and decoding
the lines 10%, making the dropped indexes again 8%, the commit 7%.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flashcards.collection import Collection  # noqa: E402
from flashcards.collection.device_sync import Batch, DeviceSync  # noqa: E402
from flashcards.collection.sync import sync_into  # noqa: E402
from flashcards.core.card_fold import (  # noqa: E402
    Columns,
    Folder,
    recompute_answer,
    scheduler_digest,
    scheduler_values,
    to_ms,
)
from flashcards.core.device_log import Event, encode, log_name  # noqa: E402
from flashcards.core.model import Rating  # noqa: E402
from flashcards.core.scheduling import Preset  # noqa: E402
from flashcards.storage.convert import to_epoch  # noqa: E402
from flashcards.storage.event_log import devices_dir  # noqa: E402

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
DEVICE = "b0b0b0b0b0b0"
CARDS_PER_FILE = 5000


def write_library(library: Path, cards: int) -> list[str]:
    """`cards` basic cards in files of 5,000; their ids."""
    ids: list[str] = []
    library.mkdir(parents=True, exist_ok=True)
    for start in range(0, cards, CARDS_PER_FILE):
        parts = [f"# Part {start // CARDS_PER_FILE}\n\n"]
        for i in range(start, min(cards, start + CARDS_PER_FILE)):
            card = f"n{i:06d}"
            ids.append(card)
            parts.append(f"## Card {i} {{#{card}}}\nWhat is {i}?\n?\nIt is {i}.\n\n")
        (library / f"part{start // CARDS_PER_FILE:03d}.md").write_text("".join(parts))
    return ids


def synthetic_log(folder: Path, cards: list[str], events: int, *, seed: int = 5) -> int:
    """About `events` answers on `cards` by device DEVICE in its month files, as it
    writes them (parents, recorded states, a scheduler line per file); how many."""
    rng = random.Random(seed)
    preset = Preset()
    digest = scheduler_digest(preset)
    per_card = max(1, events // len(cards))
    start = NOW - timedelta(days=8 * 365)
    lines: dict[str, list[bytes]] = {}
    seq = 0
    written = 0
    folder.mkdir(parents=True, exist_ok=True)
    for card in cards:
        cols = Columns()
        when = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 30))
        for _ in range(per_card):
            if when >= NOW:
                break
            rating = rng.choices([1, 2, 3, 4], weights=[10, 10, 70, 10])[0]
            after = recompute_answer(
                cols.memory(), rating, now=when, preset=preset, card_id=card, reps=cols.reps
            )
            assert after.due is not None
            seq += 1
            ms = to_ms(when)
            data: dict[str, Any] = {"r": rating, "d": rng.randrange(2000, 15000)}
            if cols.head is not None:
                data["p"] = int(cols.head.rsplit(":", 1)[1])
            data["h"] = digest
            data["a"] = [
                int(after.state),
                after.step,
                after.stability,
                after.difficulty,
                to_ms(after.due),
            ]
            event = Event(DEVICE, seq, ms, ms, "answer", (card,), data)
            Folder().step(cols, event, card)
            name = log_name(ms)
            if name not in lines:
                seq += 1
                head = Event(
                    DEVICE,
                    seq,
                    ms,
                    ms,
                    "scheduler",
                    (),
                    {"h": digest, "v": scheduler_values(preset)},
                )
                lines[name] = [encode(head)]
            lines[name].append(encode(event))
            written += 1
            when = after.due + timedelta(minutes=rng.randrange(0, 360))
    # Each month's lines in order of their time, as a device appends them.
    for name, chunk in lines.items():
        chunk[1:] = sorted(chunk[1:], key=lambda b: int(b.split(b'"t":', 1)[1].split(b",", 1)[0]))
        (folder / name).write_bytes(b"".join(chunk))
    return written


def median(times: list[float]) -> float:
    return statistics.median(times)


@contextlib.contextmanager
def log_switched_off(col: Collection) -> Iterator[None]:
    """Answers without their log: events neither stored nor written (for the figure)."""

    class Quiet(Batch):
        def add(
            self, conn: Any, kind: str, cards: Any, data: Any, *, time_ms: int, many: bool = False
        ) -> Event:
            self.owner.seq += 1
            return Event(
                self.owner.device,
                self.owner.seq,
                time_ms,
                self.order_ms,
                kind,
                tuple(cards),
                dict(data),
                many,
            )

    original = DeviceSync.batch

    @contextlib.contextmanager
    def batch(self: DeviceSync, when: datetime | None = None) -> Iterator[Batch]:
        yield Quiet(self, 0)

    DeviceSync.batch = batch  # type: ignore[method-assign]
    try:
        yield
    finally:
        DeviceSync.batch = original  # type: ignore[method-assign]


def bench_answer(root: Path, answers: int, runs: int) -> None:
    data = root / "answers"
    ids = write_library(data / "decks", 10_000)
    col = Collection.open(data, seed=False)
    col.set_setting("timezone", "UTC")
    rng = random.Random(3)

    def run(offset: int) -> float:
        times = []
        for i in range(answers):
            card = ids[(offset + i) % len(ids)]
            when = NOW + timedelta(days=offset, seconds=i)
            t = time.perf_counter()
            col.answer(card, Rating(rng.choice([1, 3, 3, 4])), now=when, duration_ms=3000)
            times.append(time.perf_counter() - t)
        return median(times)

    with_log, without = [], []
    for r in range(runs):
        with_log.append(run(2 * r * answers))
        with log_switched_off(col):
            without.append(run((2 * r + 1) * answers))
    col.close()
    a, b = median(with_log) * 1000, median(without) * 1000
    print(
        f"answer, 10,000 cards:      {a:.3f} ms with its log event, {b:.3f} ms without "
        f"-> the log adds {a - b:.3f} ms (median of {runs} x {answers} answers)"
    )


def bench_merge(root: Path, events: int, runs: int) -> None:
    base = root / "merge"
    ids = write_library(base / "decks", 10_000)
    col = Collection.open(base, seed=False)
    col.set_setting("timezone", "UTC")
    col.close()
    incoming = root / "merge-incoming"
    made = synthetic_log(incoming, ids[: max(1, events // 4)], events)
    times = []
    for r in range(runs):
        data = root / f"merge-{r}"
        shutil.copytree(base, data)
        col = Collection.open(data, seed=False)
        shutil.copytree(incoming, devices_dir(data / "decks") / DEVICE)
        t = time.perf_counter()
        report = col.sync()
        times.append(time.perf_counter() - t)
        assert report.events_merged >= made, (report.events_merged, made)
        col.close()
        shutil.rmtree(data)
    print(
        f"merge {made:,} events from another device: {median(times):.3f} s "
        f"(col.sync(), median of {runs})"
    )


def bench_rebuild(root: Path, cards: int, events: int, runs: int) -> None:
    base = root / "rebuild"
    ids = write_library(base / "decks", cards)
    logs = devices_dir(base / "decks") / DEVICE
    t = time.perf_counter()
    made = synthetic_log(logs, ids, events)
    print(f"  (made {made:,} events on {cards:,} cards in {time.perf_counter() - t:.0f} s)")
    totals, merges, syncs = [], [], []
    for r in range(max(1, runs // 2)):
        data = root / f"rebuild-{r}"
        shutil.copytree(base, data)
        t = time.perf_counter()
        col = Collection.open(data, seed=False, sync=False)
        # What col.sync() does in one call, timed apart: the deck files, then the logs.
        t_sync = time.perf_counter()
        with col._write() as s:
            sync_into(s, col.roots(), now_s=to_epoch(NOW))
        t_merge = time.perf_counter()
        merged = col.devices.merge()
        t_end = time.perf_counter()
        assert merged.events >= made, (merged.events, made)
        syncs.append(t_merge - t_sync)
        merges.append(t_end - t_merge)
        totals.append(t_end - t)
        with col.db.raw_read() as cur:
            (answered,) = cur.execute("SELECT COUNT(*) FROM cards WHERE reps > 0").fetchone()
            (rows,) = cur.execute("SELECT COUNT(*) FROM reviews").fetchone()
        assert answered == cards and rows == made, (answered, rows)
        col.close()
        shutil.rmtree(data)
    print(
        f"rebuild {cards:,} cards from {made:,} events: {median(totals):.1f} s in all "
        f"(deck files {median(syncs):.1f} s, states and history from the log "
        f"{median(merges):.1f} s)"
    )


def year_log(folder: Path, *, per_day: int = 300, cards: int = 40000, seed: int = 9) -> int:
    """A year of `per_day` answers a day (the cards due first, new ones to fill the
    day), written as a device writes them; how many."""
    rng = random.Random(seed)
    preset = Preset()
    digest = scheduler_digest(preset)
    states = {f"y{i:05d}": Columns() for i in range(cards)}
    fresh = list(states)
    lines: dict[str, list[bytes]] = {}
    seq = made = 0
    start = NOW - timedelta(days=365)
    for day in range(365):
        today = start + timedelta(days=day)
        due = [c for c, cols in states.items() if cols.state and cols.due <= today.timestamp()]
        chosen = (due + fresh)[:per_day]
        taken = set(chosen)
        fresh = [c for c in fresh if c not in taken]
        for n, card in enumerate(chosen):
            cols = states[card]
            when = today + timedelta(seconds=20 * n)
            rating = rng.choices([1, 2, 3, 4], weights=[10, 10, 70, 10])[0]
            after = recompute_answer(
                cols.memory(), rating, now=when, preset=preset, card_id=card, reps=cols.reps
            )
            assert after.due is not None
            ms = to_ms(when)
            name = log_name(ms)
            if name not in lines:
                seq += 1
                head = Event(
                    DEVICE,
                    seq,
                    ms,
                    ms,
                    "scheduler",
                    (),
                    {"h": digest, "v": scheduler_values(preset)},
                )
                lines[name] = [encode(head)]
            seq += 1
            data: dict[str, Any] = {"r": rating, "d": rng.randrange(2000, 15000)}
            if cols.head is not None:
                data["p"] = int(cols.head.rsplit(":", 1)[1])
            data["h"] = digest
            data["a"] = [
                int(after.state),
                after.step,
                after.stability,
                after.difficulty,
                to_ms(after.due),
            ]
            event = Event(DEVICE, seq, ms, ms, "answer", (card,), data)
            Folder().step(cols, event, card)
            lines[name].append(encode(event))
            made += 1
    folder.mkdir(parents=True, exist_ok=True)
    for name, chunk in lines.items():
        (folder / name).write_bytes(b"".join(chunk))
    return made


def bench_size(root: Path) -> None:
    """A year of 300 answers a day: bytes on disk."""
    folder = root / "year"
    made = year_log(folder)
    files = sorted(folder.glob("*.log"))
    plain = sum(p.stat().st_size for p in files)
    packed = [len(gzip.compress(p.read_bytes(), compresslevel=6)) for p in files]
    newest = max(files).stat().st_size
    kept = sum(packed) - packed[-1] + newest  # closed months compacted, this one as it is
    print(
        f"a year of 300 answers a day ({made:,} answers, {len(files)} month files): "
        f"{plain / 1e6:.1f} MB as written ({plain / made:.0f} bytes an answer), "
        f"{sum(packed) / 1e6:.1f} MB compacted; on disk with the closed months compacted "
        f"{kept / 1e6:.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=2000)
    parser.add_argument("--merge", type=int, default=10_000)
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=("answer", "merge", "rebuild", "size"))
    args = parser.parse_args()
    steps: dict[str, Callable[[Path], None]] = {
        "answer": lambda root: bench_answer(root, args.answers, args.runs),
        "merge": lambda root: bench_merge(root, args.merge, args.runs),
        "size": bench_size,
        "rebuild": lambda root: bench_rebuild(root, args.cards, args.events, args.runs),
    }
    for name, step in steps.items():
        if args.only and name != args.only:
            continue
        with tempfile.TemporaryDirectory(prefix="bench-devlog-") as tmp:
            step(Path(tmp))


if __name__ == "__main__":
    main()
