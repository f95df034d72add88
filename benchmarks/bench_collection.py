"""Collection benchmark: sync, queue build, answer + next, memory — and the real Anki.

    python benchmarks/bench_collection.py [--cards 100000] [--due 20000] [--sync-cards 10000]
                                          [--runs 5] [--no-anki]

Figures are medians of several runs on generated collections, in one process:

* sync of a new 10,000-card library (Markdown files written to a temp folder, parsed,
  ids written back, indexed) and of the same library unchanged;
* queue build with 100,000 cards of which 20,000 are review cards due today (a fifth of
  the cards are practice questions, as in the bundled decks), and with each new-card
  gather order;
* answering a card and fetching the next (1,000 answers; 1,000 more without load
  balancing, in turns, to show what it costs);
* peak RSS (`resource.getrusage`).

The 100,000-card database is made by syncing a real generated Markdown library once
(100,000 parses), then turning 20,000 cards into due review cards with one bulk SQL
UPDATE (random stability, last review 1–60 days ago) — the state months of reviews
would leave, without simulating them.

The same numbers of cards go into the real `anki` package (Basic notes through
`col.add_notes`, 20,000 made due reviews by one SQL UPDATE), where we time queue build
(`col.sched.get_queued_cards`) after an operation that makes Anki rebuild its queues,
and answering 1,000 cards (`build_answer` + `answer_card`), and print the ratios.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402

from flashcards.collection import Collection  # noqa: E402
from flashcards.core.model import Rating  # noqa: E402
from flashcards.core.queue_order import NEW_GATHER_ORDERS, NewGather  # noqa: E402

UNLIMITED = 9999  # the largest daily limit Anki accepts
DOMAINS = ("Data Engineering", "Exploratory Data Analysis", "Modeling", "ML Operations")
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
WORDS = [
    "gradient",
    "boosting",
    "shrinks",
    "each",
    "tree",
    "so",
    "the",
    "ensemble",
    "needs",
    "more",
    "rounds",
    "to",
    "fit",
    "the",
    "training",
    "data",
    "while",
    "validation",
    "loss",
    "decides",
    "when",
    "early",
    "stopping",
    "ends",
    "the",
    "job",
]


def rss_mb() -> float:
    """Peak resident set size of this process in MB."""
    # /proc's VmHWM belongs to this program; ru_maxrss survives exec, so a child started by
    # a big parent would report the parent's peak.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def write_library(root: Path, cards: int, *, per_file: int = 200, seed: int = 1) -> None:
    """`cards` cards in files of `per_file`, spread over four domains' folders: basic
    cards, then (as in the bundled decks) a fifth of each file as practice questions
    at its end, each linking to a note of its file."""
    rng = random.Random(seed)
    files = (cards + per_file - 1) // per_file
    made = 0
    for f in range(files):
        domain = DOMAINS[f % len(DOMAINS)]
        folder = root / f"domain-{f % len(DOMAINS)}"
        folder.mkdir(parents=True, exist_ok=True)
        lines = [f"---\ntitle: Deck {f}\ndomain: {domain}\n---\n", "# Section\n"]
        n = min(per_file, cards - made)
        notes = n - n // 5
        for i in range(notes):
            link = f" See [[Card {f}-{i - 1}]]." if i and i % 10 == 0 else ""
            lines.append(f"## Card {f}-{i}\n{sentence(rng, 12)}?\n?\n{sentence(rng, 20)}.{link}\n")
        lines.append("# Practice questions\n")
        for i in range(notes, n):
            options = "".join(
                f"- [{'x' if k == 0 else ' '}] {rng.choice(WORDS)}\n" for k in range(4)
            )
            lines.append(
                f"## Question {f}-{i}\n{sentence(rng, 12)}?\n{options}?\n"
                f"{sentence(rng, 12)}. See [[Card {f}-{rng.randrange(notes)}]].\n"
            )
        made += n
        (folder / f"deck-{f:04d}.md").write_text("\n".join(lines), encoding="utf-8")


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_sync(cards: int, runs: int) -> tuple[float, float]:
    new_times, unchanged = [], []
    for run in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "data"
            write_library(data / "decks", cards, seed=run)
            with Collection.open(data, sync=False, seed=False) as col:
                t0 = time.perf_counter()
                report = col.sync()
                new_times.append(time.perf_counter() - t0)
                assert report.cards_added == cards, report.cards_added
                unchanged.append(median_time(col.sync, 7))
    return statistics.median(new_times), statistics.median(unchanged)


def make_due(col: Collection, due: int, *, seed: int = 7) -> None:
    """Turn `due` random new cards into review cards due today (bulk SQL)."""
    rng = random.Random(seed)
    now_s = int(NOW.timestamp())
    with col._write() as s:  # noqa: SLF001 - benchmark set-up
        ids = [r[0] for r in s.execute(text("SELECT id FROM cards WHERE state = 0"))]
        chosen = rng.sample(ids, due)
        rows = []
        for cid in chosen:
            stability = rng.uniform(1.0, 50.0)
            last = now_s - int(rng.uniform(1, 60) * 86400)
            rows.append(
                {
                    "id": cid,
                    "s": stability,
                    "d": rng.uniform(3, 8),
                    "last": last,
                    "due": min(now_s, last + int(stability * 86400)),
                }
            )
        s.execute(
            text(
                "UPDATE cards SET state = 2, stability = :s, difficulty = :d, "
                "last_review = :last, due = :due, reps = 3 WHERE id = :id"
            ),
            rows,
        )
    col._generation += 1  # noqa: SLF001


def bench_ours(cards: int, due: int, runs: int, tmp: Path) -> dict[str, float]:
    data = tmp / "big"
    write_library(data / "decks", cards, per_file=500)
    out: dict[str, float] = {}
    with Collection.open(data, sync=False, seed=False) as col:
        t0 = time.perf_counter()
        col.sync()
        out["sync_big"] = time.perf_counter() - t0
        make_due(col, due)
        out["queue_default"] = median_time(lambda: col.queue(now=NOW), runs * 4)

        def first_card() -> None:
            col._generation += 1  # noqa: SLF001 - as after a card action: the queue is rebuilt
            col.next_card(now=NOW)

        out["first_card"] = median_time(first_card, runs * 4)
        default = col.presets()[1]
        from dataclasses import replace

        for gather in NewGather:
            col.save_preset(replace(default, new_gather=gather), preset_id=1)
            out[f"gather_{gather.value}"] = median_time(lambda: col.queue(now=NOW), runs * 4)
        col.save_preset(default, preset_id=1)

        col.save_preset(replace(default, reviews_per_day=UNLIMITED), preset_id=1)
        q = col.queue(now=NOW)
        out["queue_len_unlimited"] = len(q)
        out["queue_unlimited"] = median_time(lambda: col.queue(now=NOW), runs * 4)
        out["decks"] = median_time(lambda: col.decks(now=NOW), runs)
        t = NOW
        col.next_card(now=t)  # build the day's queue once, as opening the review screen does
        # Load balancing (the default) against plain fuzz, in turns of 250 answers so the
        # machine's mood weighs on both alike.
        balanced = col.presets()[1]
        plain = replace(balanced, load_balancing=False)
        runs: dict[bool, list[float]] = {True: [], False: []}
        total = {True: 0.0, False: 0.0}
        for turn in range(8):
            on = turn % 2 == 0
            col.save_preset(balanced if on else plain, preset_id=1)
            col.next_card(now=t)  # the queue is rebuilt after a preset change
            start = time.perf_counter()
            for _ in range(250):
                t0 = time.perf_counter()
                card = col.next_card(now=t)
                assert card is not None
                col.answer(card.id, Rating.GOOD, now=t, duration_ms=3000)
                runs[on].append(time.perf_counter() - t0)
                t += timedelta(seconds=8)
            total[on] += time.perf_counter() - start
        per = runs[True]
        out["answer_1000"] = total[True]
        out["answer_next_median"] = statistics.median(per)
        out["answer_next_p95"] = sorted(per)[int(len(per) * 0.95)]
        out["answer_plain_median"] = statistics.median(runs[False])
        col.save_preset(default, preset_id=1)
    return out


def bench_anki(cards: int, due: int, runs: int, tmp: Path) -> dict[str, float]:
    from anki.collection import AddNoteRequest
    from anki.collection import Collection as AnkiCollection

    (tmp / "anki").mkdir()
    col = AnkiCollection(str(tmp / "anki" / "collection.anki2"))
    out: dict[str, float] = {}
    try:
        model = col.models.by_name("Basic")
        assert model is not None
        rng = random.Random(1)
        deck_id = col.decks.id("Bench")
        assert deck_id is not None
        t0 = time.perf_counter()
        for start in range(0, cards, 10_000):
            requests = []
            for i in range(start, min(cards, start + 10_000)):
                note = col.new_note(model)
                note["Front"] = f"Card {i} {sentence(rng, 12)}?"
                note["Back"] = sentence(rng, 20)
                requests.append(AddNoteRequest(note=note, deck_id=deck_id))
            col.add_notes(requests)
        out["add_notes"] = time.perf_counter() - t0
        today = col.sched.today
        ids = col.db.list("select id from cards")
        chosen = rng.sample(ids, due)
        col.db.execute(
            "update cards set type = 2, queue = 2, ivl = 10, factor = 2500, reps = 3, "
            f"due = {today} - abs(random() % 30) where id in ({','.join(map(str, chosen))})"
        )
        col.decks.select(deck_id)

        # Anki caches its queues and clears them after any operation that changes
        # scheduling; suspending / unsuspending one card is such an operation. Queue build
        # = (toggle + get_queued_cards) − (toggle alone).
        other = [ids[0]]
        suspended = [False]

        def toggle() -> None:
            if suspended[0]:
                col.sched.unsuspend_cards(other)
            else:
                col.sched.suspend_cards(other)
            suspended[0] = not suspended[0]

        def rebuild() -> None:
            toggle()
            col.sched.get_queued_cards(fetch_limit=1)

        toggle_only = median_time(toggle, runs * 4)
        out["queue_default"] = max(0.0, median_time(rebuild, runs * 4) - toggle_only)
        conf = col.decks.config_dict_for_deck_id(deck_id)
        conf["rev"]["perDay"] = UNLIMITED
        col.decks.update_config(conf)
        out["queue_unlimited"] = max(0.0, median_time(rebuild, runs * 4) - toggle_only)
        if suspended[0]:
            toggle()
        from anki.scheduler.v3 import CardAnswer

        col.sched.get_queued_cards()
        per = []
        start = time.perf_counter()
        for _ in range(1000):
            t0 = time.perf_counter()
            queued = col.sched.get_queued_cards(fetch_limit=1)
            if not queued.cards:
                break
            top = queued.cards[0]
            card = col.get_card(top.card.id)
            card.start_timer()
            answer = col.sched.build_answer(card=card, states=top.states, rating=CardAnswer.GOOD)
            col.sched.answer_card(answer)
            per.append(time.perf_counter() - t0)
        out["answer_1000"] = time.perf_counter() - start
        out["answer_count"] = len(per)
        out["answer_next_median"] = statistics.median(per)
    finally:
        col.close()
    return out


def working_set(data: Path) -> None:
    """Open an existing collection and use it as the app would; print peak RSS (MB)."""
    with Collection.open(data, seed=False) as col:
        col.decks(now=NOW)
        col.stats(now=NOW)
        t = NOW
        for _ in range(1000):
            card = col.next_card(now=t)
            if card is None:
                break
            col.answer(card.id, Rating.GOOD, now=t, duration_ms=3000)
            t += timedelta(seconds=8)
        col.search("gradient boosting")
        col.queue(now=t)
    print(f"{rss_mb():.1f}")


def working_set_rss(data: Path) -> float:
    """Peak RSS of a fresh process working with the collection in `data`."""
    import subprocess

    done = subprocess.run(
        [sys.executable, __file__, "--working-set", str(data)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=20_000)
    parser.add_argument("--sync-cards", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-anki", action="store_true")
    parser.add_argument("--working-set", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.working_set:
        working_set(args.working_set)
        return 0

    print(f"flashcards collection benchmark — medians; {args.cards:,} cards, {args.due:,} due")
    if hasattr(os, "getloadavg"):
        # Timings scale with how busy the machine is; say so next to them.
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    new, unchanged = bench_sync(args.sync_cards, max(3, args.runs // 2))
    print(f"sync new {args.sync_cards:,}-card library    {new * 1000:9.1f} ms   (target < 2000)")
    print(f"sync unchanged library          {unchanged * 1000:9.2f} ms   (target < 100)")
    with tempfile.TemporaryDirectory() as tmp:
        ours = bench_ours(args.cards, args.due, args.runs, Path(tmp))
        print(
            f"sync new {args.cards:,}-card library   {ours['sync_big'] * 1000:9.1f} ms   "
            "(builds the big collection from Markdown)"
        )
        print(
            f"queue build, default limits     {ours['queue_default'] * 1000:9.2f} ms   "
            "(target < 20)"
        )
        print(
            f"first card (queue build + next) {ours['first_card'] * 1000:9.2f} ms   "
            "(opening the review screen)"
        )
        for gather, label in NEW_GATHER_ORDERS.items():
            print(f"  new cards: {label:<20} {ours[f'gather_{gather.value}'] * 1000:9.2f} ms")
        print(
            f"queue build, all due ({int(ours['queue_len_unlimited']):,} cards)  "
            f"{ours['queue_unlimited'] * 1000:7.2f} ms   "
            "(reviews/day raised to 9,999, Anki's maximum)"
        )
        print(f"decks() with counts             {ours['decks'] * 1000:9.2f} ms")
        print(
            f"answer + next, median           {ours['answer_next_median'] * 1000:9.3f} ms   "
            f"(target < 2; p95 {ours['answer_next_p95'] * 1000:.3f} ms)"
        )
        print(
            f"  without load balancing        {ours['answer_plain_median'] * 1000:9.3f} ms   "
            "(median; plain fuzz, answers taken in turns with the line above)"
        )
        print(f"answer 1,000 cards              {ours['answer_1000'] * 1000:9.1f} ms")
        print(
            f"RSS working with {args.cards:,} cards {working_set_rss(Path(tmp) / 'big'):7.1f} MB   "
            "(target < 200; a fresh process: open, sync, decks, stats, 1,000 answers, search)"
        )
        print(
            f"peak RSS of this process        {rss_mb():9.1f} MB   "
            f"(includes parsing {args.cards:,} new cards in one sync)"
        )
        if args.no_anki:
            return 0
        try:
            anki = bench_anki(args.cards, args.due, args.runs, Path(tmp))
        except ImportError as exc:
            print(f"anki not available: {exc}")
            return 0
    print(
        f"\nreal anki ({args.cards:,} Basic notes, {args.due:,} due reviews; "
        f"add_notes took {anki['add_notes']:.1f} s)"
    )
    print(
        f"anki queue build, default limits {anki['queue_default'] * 1000:8.2f} ms   "
        f"ratio ours/anki {ours['queue_default'] / max(anki['queue_default'], 1e-9):.2f}"
    )
    print(
        f"anki queue build, all due        {anki['queue_unlimited'] * 1000:8.2f} ms   "
        f"ratio ours/anki {ours['queue_unlimited'] / max(anki['queue_unlimited'], 1e-9):.2f}"
    )
    print(
        f"anki answer {int(anki['answer_count']):,} cards           "
        f"{anki['answer_1000'] * 1000:8.1f} ms   "
        f"ratio ours/anki {ours['answer_1000'] / max(anki['answer_1000'], 1e-9):.2f}"
    )
    print(f"anki answer + next, median       {anki['answer_next_median'] * 1000:8.3f} ms")
    print(f"peak RSS (both)                  {rss_mb():8.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
