"""Parser benchmark: a generated library of 10,000 cards in 100 files.

Prints the median of several runs for
- parse all: read and parse every file (`parse_files`, the library parse the sync uses);
- write back ids: `assign_ids` for every file (ids missing everywhere), then
  `write_atomic_many` (and, for comparison, `write_atomic` one file after another);
- parse + write back: both, as a first sync of a fresh library does.

Targets (issue 2): parse all < 0.5 s, write back ids < 1 s.
Rendering is benchmarked by its owner. Run: `python benchmarks/bench_parser.py`.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from flashcards.core.ids import assign_ids, write_atomic, write_atomic_many  # noqa: E402
from flashcards.core.parser import ParseResult, parse_files  # noqa: E402

FILES = 100
CARDS_PER_FILE = 100

CODE = """\
```python
def train(model, data, epochs=10):
    for epoch in range(epochs):
        # not a heading
        loss = model.step(data)
    return loss
```"""


_CARDS = (1, 2, 1, 2, 1)  # cards made by each kind of generated note


def _note(rng: random.Random, file: int, n: int, kind: int) -> str:
    title = f"Concept {file}-{n} about feature {rng.randint(0, 10**6)}"
    if kind == 0:
        return (
            f"## {title}\nWhat does `param_{n}` control when training model {file}?\n?\n"
            f"It controls the step size; see [[Concept {file}-{n + 1}]].\n"
            f"Tags: training, file{file}\n"
        )
    if kind == 1:
        return (
            f"## {title}\nThe {{{{learning rate}}}} scales each {{{{c2::gradient step::noun}}}}; "
            "larger values converge faster but may diverge.\n"
        )
    if kind == 2:
        return (
            f"## {title}\nWhich metric suits a rare positive class?\n"
            "- [ ] Accuracy\n- [x] PR AUC\n- [ ] MSE\n- [x] Recall at fixed precision\n"
            "?\nAccuracy is high for a model that predicts nothing.\n"
        )
    if kind == 3:
        return f"## {title} {{.reverse}}\nA term defined in one line for deck {file}.\n"
    return f"## {title}\nHow would you write the loop?\n?\n{CODE}\n\nExplained in prose below.\n"


def generate(root: Path, *, seed: int = 7) -> list[Path]:
    """Write the library (no ids) and return its files."""
    rng = random.Random(seed)
    files: list[Path] = []
    for f in range(FILES):
        folder = root / f"domain{f % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        parts = [f"---\ntitle: Deck {f}\ndomain: Domain {f % 4}\ntags: [bench]\n---\n\nAbout.\n"]
        cards = n = 0
        while cards < CARDS_PER_FILE:
            if n % 10 == 0:
                parts.append(f"# Section {n // 10}\n")
            kind = n % 5
            if CARDS_PER_FILE - cards < _CARDS[kind]:
                kind = 0
            parts.append(_note(rng, f, n, kind))
            cards += _CARDS[kind]
            n += 1
        path = folder / f"deck{f:03}.md"
        path.write_text("\n".join(parts), encoding="utf-8")
        files.append(path)
    return files


_REFERENCE_LINE = re.compile(r" {0,3}#{1,6}[ \t]")


def reference(files: list[Path]) -> int:
    """The least any line-based parser does: read, decode, split, test each line once.

    Printed as a yardstick: the parse time divided by this is stable across machines
    (and across a busy or idle machine) far more than milliseconds are.
    """
    count = 0
    for path in files:
        for line in path.read_bytes().decode("utf-8").split("\n"):
            if _REFERENCE_LINE.match(line):
                count += 1
    return count


def parse_all(root: Path, files: list[Path]) -> list[ParseResult]:
    return parse_files(files, root=root)


def write_back(files: list[Path], results: list[ParseResult], *, parallel: bool = True) -> int:
    """Assign ids to every file and write the changed ones; returns how many changed."""
    taken: set[str] = set()
    changed: list[tuple[Path, bytes]] = []
    for path, result in zip(files, results, strict=True):
        data = path.read_bytes()
        out = assign_ids(data, result, taken=taken)
        taken.update(out.assigned.values())
        if out.data is not None:
            changed.append((path, out.data))
    if parallel:
        write_atomic_many(changed)
    else:
        for path, data in changed:
            write_atomic(path, data)
    return len(changed)


def median_time(
    action: Callable[[], object], *, runs: int, setup: Callable[[], None]
) -> tuple[float, float]:
    """(median wall time, median CPU time) of `runs` runs, `setup` untimed before each.

    CPU time is printed too because the benchmark often runs on a shared machine where
    wall time includes waiting for a core.
    """
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(runs):
        setup()
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def _show(label: str, times: tuple[float, float], target: str = "") -> None:
    wall, cpu = times
    print(f"{label:<20} median {wall * 1000:7.1f} ms wall, {cpu * 1000:7.1f} ms CPU  {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = generate(root)
        results = parse_all(root, files)
        cards = sum(len(r.deck.cards) for r in results)
        notes = sum(len(r.deck.notes) for r in results)
        size = sum(f.stat().st_size for f in files)
        print(f"library: {len(files)} files, {notes} notes, {cards} cards, {size / 1e6:.1f} MB")

        state: dict[str, list[ParseResult]] = {}

        def fresh() -> None:
            generate(root)
            state["results"] = parse_all(root, files)

        ref = median_time(lambda: reference(files), runs=args.runs, setup=lambda: None)
        parse = median_time(lambda: parse_all(root, files), runs=args.runs, setup=lambda: None)
        write = median_time(
            lambda: write_back(files, state["results"]), runs=args.runs, setup=fresh
        )
        serial = median_time(
            lambda: write_back(files, state["results"], parallel=False),
            runs=args.runs,
            setup=fresh,
        )
        both = median_time(
            lambda: write_back(files, parse_all(root, files)), runs=args.runs, setup=fresh
        )
        _show("parse all:", parse, "(target < 500 ms)")
        _show("write back ids:", write, "(target < 1000 ms)")
        _show("  (serial writes):", serial)
        _show("parse + write back:", both)
        print(f"parse per card:      {parse[0] / max(cards, 1) * 1e6:.1f} µs")
        _show("reference scan:", ref, "(read + split + one regex per line)")
        print(f"parse / reference:   {parse[1] / max(ref[1], 1e-9):.1f}x (CPU)")


if __name__ == "__main__":
    main()
