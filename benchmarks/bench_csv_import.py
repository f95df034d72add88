"""CSV import benchmark: a generated text file of many rows (a million by default).

Prints the median of several runs for
- read: `read_text_file`, the file read into deck texts (its two passes over the rows:
  layout and counts, then the notes), what every CSV import does before the collection
  writes anything;
- import: `Collection.import_path` into a fresh data folder (read, write the deck files,
  sync them into the index), once unless `--import-runs` says more.

Rows are `front N,"back N, quoted",tag` with a quoted field on every fifth row (so the
csv module's quoting is exercised) and a header row of names.

    python benchmarks/bench_csv_import.py [--rows 1000000] [--runs 3] [--import-runs 1]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from flashcards.collection import Collection  # noqa: E402
from flashcards.interop.text_import import read_text_file  # noqa: E402


def make_csv(path: Path, rows: int) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("Front,Back,Tags\n")
        for i in range(rows):
            back = f'"answer {i}, with a comma"' if i % 5 == 0 else f"answer {i}"
            out.write(f"question {i:07d},{back},t{i % 13}\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--import-runs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = make_csv(folder / "words.csv", args.rows)
        size = source.stat().st_size / 1e6
        reads = []
        for _ in range(args.runs):
            start = time.perf_counter()
            bundle = read_text_file(source)
            reads.append(time.perf_counter() - start)
            assert bundle.note_count == args.rows, bundle.note_count
            del bundle
        print(f"{args.rows:,} rows ({size:.1f} MB)")
        print(
            f"read   median {statistics.median(reads):.2f} s  runs {[round(t, 2) for t in reads]}"
        )
        imports = []
        for run in range(args.import_runs):
            start = time.perf_counter()
            with Collection.open(folder / f"data{run}", seed=False) as col:
                report = col.import_path(source)
            imports.append(time.perf_counter() - start)
            assert report.cards_added == args.rows, report.cards_added
        if imports:
            print(
                f"import median {statistics.median(imports):.2f} s  "
                f"runs {[round(t, 2) for t in imports]}"
            )


if __name__ == "__main__":
    main()
