"""Import and export of .apkg against the real `anki` package (Rust backend), in one run.

    python benchmarks/bench_vs_anki_interop.py [--sizes 10000,100000] [--runs 5]

For each size the real `anki` package makes a collection of about that many cards
(Basic, Basic (and reversed card) and Cloze notes with HTML, tags, ten decks; a fifth of
the cards are review cards with three reviews each) and exports it as Anki does by
default (`collection.anki21b`, with scheduling). Then, alternating ours and Anki's run:

* import: that package into a fresh collection (ours: `Collection.open` on an empty
  data folder + `import_path`; Anki: a new `Collection` + `import_anki_package`);
* export: the whole collection as .apkg with scheduling (ours: `col.export` of the
  collection the import made, which syncs first; Anki: `export_anki_package` of the
  collection it made the package from). Our export keeps each note's rendered HTML by
  content hash (collection/export_rows.py), so it is timed twice: the first export after
  the import, which renders every note, and a later one (the store filled; what every
  export after an edit costs, plus rendering the edited notes);
* the import and both exports again for a package whose notes are of note types of the
  collection's own (copies of Anki's three with an "Extra" field), as shared decks have:
  they become templated notes here (`custom note types` rows);
* export of a Markdown library never exported, as a new user has: copies of the bundled
  decks (their headings' ids taken out, so each copy's notes are new notes) up to about
  that many cards, synced from the files (untimed), then exported for the first time
  (ours: `col.export`; Anki: `export_anki_package` of a collection that imported our
  package of that library, so it holds the same notes and cards).

Figures are medians of `--runs` runs (wall time; the CPU time of the process, all its
threads, beside it, which a busy machine disturbs less); the ratio is ours / Anki.
"""

from __future__ import annotations

import argparse
import gc
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from anki.collection import AddNoteRequest  # noqa: E402
from anki.collection import Collection as AnkiCollection  # noqa: E402
from anki.import_export_pb2 import (  # noqa: E402
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)

from flashcards.collection.collection import Collection  # noqa: E402
from flashcards.collection.render_ahead import RenderAhead  # noqa: E402

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
DECKS = Path(__file__).resolve().parents[1] / "decks"
_HEADING_ID = re.compile(r"[ \t]*\{#[^}\n]*\}[ \t]*$", re.M)
CARDS_PER_20_NOTES = 14 + 3 * 2 + 3 * 2  # basic, reversed (2 cards), cloze (2 deletions)


def make_anki(folder: Path, cards: int, *, custom: bool = False) -> AnkiCollection:
    """An Anki collection of about `cards` cards, a fifth of them reviewed three times;
    with `custom`, of note types of its own (as shared decks have) rather than Anki's."""
    col = AnkiCollection(str(folder / ("custom.anki2" if custom else "source.anki2")))
    basic, rev, cloze = (
        col.models.by_name(n) for n in ("Basic", "Basic (and reversed card)", "Cloze")
    )
    if custom:
        basic, rev, cloze = (_custom_type(col, m) for m in (basic, rev, cloze))
    decks = [col.decks.id(f"Bench::Part {i}") for i in range(10)]
    requests = []
    for i in range(round(cards * 20 / CARDS_PER_20_NOTES)):
        if i % 20 < 14:
            note = col.new_note(basic)
            note["Front"] = f"<b>Question {i}</b> about <i>topic {i % 97}</i>?"
            note["Back"] = f"Answer {i}<br><ul><li>point one</li><li>point two</li></ul>"
        elif i % 20 < 17:
            note = col.new_note(rev)
            note["Front"] = f"word {i}"
            note["Back"] = f"mot {i}"
        else:
            note = col.new_note(cloze)
            note["Text"] = f"{{{{c1::Item {i}::hint}}}} relates to {{{{c2::thing {i}}}}}"
        if "Extra" in note:
            note["Extra"] = f"<i>seen in</i> chapter {i % 31}"
        note.tags = [f"t{i % 13}", "bench::gen"]
        requests.append(AddNoteRequest(note=note, deck_id=decks[i % 10]))
    col.add_notes(requests)
    card_ids = col.db.list("SELECT id FROM cards ORDER BY id")
    reviewed = card_ids[::5]
    base = int(NOW.timestamp() * 1000) - 40 * 86_400_000
    rows = []
    for n, cid in enumerate(reviewed):
        for k in range(3):
            ms = base + n * 10 + k * 5 * 86_400_000
            rows.append((ms, cid, -1, 3, k + 1, k, 2500, 4000, min(k, 1)))
    col.db.executemany("INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)", rows)
    col.db.executemany(
        "UPDATE cards SET type = 2, queue = 2, ivl = 10, due = ?, factor = 2500, reps = 3, "
        "data = ? WHERE id = ?",
        [
            (col.sched.today + (n % 20), '{"s":10.5,"d":5.2,"lrt":0}', cid)
            for n, cid in enumerate(reviewed)
        ],
    )
    return col


def _custom_type(col: AnkiCollection, stock: dict[str, Any]) -> dict[str, Any]:
    """A note type of the collection's own: a copy of `stock` with an "Extra" field shown
    on the back of every card, and CSS of its own."""
    models = col.models
    model = models.copy(stock, add=False)
    model["name"] = f"{stock['name']} + Extra"
    model["css"] += "\n.extra { color: #555; font-size: 80%; }"
    models.add_field(model, models.new_field("Extra"))
    for template in model["tmpls"]:
        template["afmt"] += '\n<div class="extra">{{Extra}}</div>'
    models.add_dict(model)
    return models.by_name(model["name"])


def anki_export(col: AnkiCollection, out: Path) -> None:
    col.export_anki_package(
        out_path=str(out),
        options=ExportAnkiPackageOptions(with_scheduling=True, with_media=True, legacy=False),
        limit=None,
    )


def anki_import(package: Path, folder: Path) -> None:
    col = AnkiCollection(str(folder / "anki.anki2"))
    options = ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=True)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=options))
    col.close()


def our_import(package: Path, folder: Path) -> Collection:
    col = Collection.open(folder / "data", seed=False)
    col.import_path(package)
    return col


def timed(run: Callable[[Path], object]) -> tuple[float, float]:
    """(wall, CPU) seconds of `run` in a fresh temporary folder."""
    with tempfile.TemporaryDirectory() as tmp:
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        result = run(Path(tmp))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if isinstance(result, Collection):
            result.close()
    return wall, cpu


Pair = tuple[tuple[float, float], tuple[float, float]]  # ours (wall, CPU), Anki's


def side_by_side(ours: Callable[[Path], object], anki: Callable[[Path], object], runs: int) -> Pair:
    """Medians of `runs` alternating runs of each."""
    mine: list[tuple[float, float]] = []
    theirs: list[tuple[float, float]] = []
    for _ in range(runs):
        mine.append(timed(ours))
        theirs.append(timed(anki))
    return _medians(mine), _medians(theirs)


def _medians(times: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def first_export(package: Path, folder: Path) -> tuple[float, float]:
    """(wall, CPU) of our export right after an import (the import itself untimed)."""
    col = our_import(package, folder / "first")
    try:
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        col.export(None, folder / "first.apkg", now=NOW)
        return time.perf_counter() - wall, time.process_time() - cpu
    finally:
        col.close()
        shutil.rmtree(folder / "first")


def write_markdown_library(folder: Path, cards: int) -> int:
    """Copies of the bundled decks, heading ids taken out, until a sync finds at least
    `cards` cards; how many it found."""
    sources = [(p.relative_to(DECKS), p.read_text(encoding="utf-8")) for p in DECKS.rglob("*.md")]
    per_copy = _cards_of_library(folder / "probe", sources)
    shutil.rmtree(folder / "probe")
    for copy in range(-(-cards // per_copy)):
        for rel, text in sources:
            target = folder / "decks" / f"copy-{copy:03d}" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_HEADING_ID.sub("", text), encoding="utf-8")
    return per_copy * -(-cards // per_copy)


def _cards_of_library(data: Path, sources: list[tuple[Path, str]]) -> int:
    for rel, text in sources:
        target = data / "decks" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_HEADING_ID.sub("", text), encoding="utf-8")
    col = Collection.open(data, seed=False, now=NOW)
    try:
        return _card_count(col)
    finally:
        col.close()


def _card_count(col: Collection) -> int:
    with col._read() as s:
        conn = s.connection().connection.driver_connection
        assert conn is not None
        return int(conn.execute("SELECT count() FROM cards WHERE present = 1").fetchone()[0])


def render_ahead(col: Collection) -> list[float]:
    """What the app does in the background after a sync found notes changed
    (gui/render_ahead_job.py): every step of `RenderAhead`, each one's seconds."""
    work, steps = RenderAhead(), []
    while True:
        start = time.perf_counter()
        more = work.step(col)
        steps.append(time.perf_counter() - start)
        if not more:
            return steps


def markdown_first_export(size: int, runs: int, folder: Path) -> tuple[Pair, Pair]:
    """Our first export of a synced Markdown library against Anki's export of the same;
    and our export of it in the app, after the background work rendered its notes."""
    library = folder / "library"
    write_markdown_library(library, size)
    ours: list[tuple[float, float]] = []
    ahead: list[tuple[float, float]] = []
    package = folder / "markdown.apkg"
    for run in range(runs):
        data = folder / f"md-{run}"
        shutil.copytree(library, data)
        col = Collection.open(data, seed=False, now=NOW)  # the first sync, untimed
        try:
            if run == 0:
                print(f"Markdown library: {_card_count(col)} cards", flush=True)
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            col.export(None, package, now=NOW)
            ours.append((time.perf_counter() - wall, time.process_time() - cpu))
            with col._write() as s:  # as never exported again: the store emptied
                s.connection().exec_driver_sql("DELETE FROM anki_fields")
            steps = sorted(render_ahead(col))  # untimed: the app's background job
            if run == 0:
                print(
                    f"background render: {len(steps)} steps, {sum(steps):.2f} s, median "
                    f"{steps[len(steps) // 2] * 1e3:.1f} ms, longest {steps[-1] * 1e3:.0f} ms",
                    flush=True,
                )
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            col.export(None, folder / "ahead.apkg", now=NOW)
            ahead.append((time.perf_counter() - wall, time.process_time() - cpu))
        finally:
            col.close()
            shutil.rmtree(data)
    anki = AnkiCollection(str(folder / "markdown.anki2"))
    try:
        anki_options = ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=True)
        anki.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(package), options=anki_options)
        )
        theirs = [timed(lambda t: anki_export(anki, t / "anki.apkg")) for _ in range(runs)]
    finally:
        anki.close()
    return (_medians(ours), _medians(theirs)), (_medians(ahead), _medians(theirs))


def bench(size: int, runs: int) -> list[tuple[str, Pair]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = package_rows(folder, size, runs, custom=False)
        markdown_export, markdown_ahead = markdown_first_export(size, runs, folder)
        rows.append(("export .apkg, first of a synced Markdown library", markdown_export))
        rows.append(
            ("export .apkg of that library in the app, after its background render", markdown_ahead)
        )
        custom = package_rows(folder, size, runs, custom=True)
    return rows + [(f"{name} (custom note types)", pair) for name, pair in custom]


def package_rows(folder: Path, size: int, runs: int, *, custom: bool) -> list[tuple[str, Pair]]:
    """Import of an Anki-made package and export of what it became, against Anki's."""
    source = make_anki(folder, size, custom=custom)
    cards = source.card_count()
    package = folder / ("custom.apkg" if custom else "anki-made.apkg")
    anki_export(source, package)
    print(
        f"{cards} cards, {len(source.find_notes(''))} notes, "
        f"{source.db.scalar('SELECT count() FROM revlog')} reviews"
        f"{', note types of its own' if custom else ''}; "
        f"package {package.stat().st_size / 1e6:.1f} MB",
        flush=True,
    )
    imported = side_by_side(
        lambda t: our_import(package, t), lambda t: anki_import(package, t), runs
    )
    first: list[tuple[float, float]] = []
    theirs: list[tuple[float, float]] = []
    for _ in range(runs):
        first.append(first_export(package, folder))
        theirs.append(timed(lambda t: anki_export(source, t / "anki.apkg")))
    ours_col = our_import(package, folder / "ours")
    try:
        ours_col.export(None, folder / "warm-up.apkg", now=NOW)  # fills the store
        later = side_by_side(
            lambda t: ours_col.export(None, t / "ours.apkg", now=NOW),
            lambda t: anki_export(source, t / "anki.apkg"),
            runs,
        )
    finally:
        ours_col.close()
        source.close()
        shutil.rmtree(folder / "ours")
    return [
        ("import an Anki-made .apkg with history", imported),
        ("export .apkg, first after the import", (_medians(first), _medians(theirs))),
        ("export .apkg, later", later),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="card counts, comma-separated")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {size: bench(size, args.runs) for size in sizes}
    for label, which in (("wall time", 0), ("CPU time", 1)):
        print(f"\n{label}, medians of {args.runs} runs: ours / Anki = ratio")
        print("| Work | " + " | ".join(f"{s // 1000}k cards" for s in sizes) + " |")
        print("|---|" + "---|" * len(sizes))
        for row, (name, _) in enumerate(results[sizes[0]]):
            cells = []
            for size in sizes:
                ours, anki = (t[which] for t in results[size][row][1])
                cells.append(f"{ours:.3g} / {anki:.3g} s = {ours / anki:.1f}×")
            print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
