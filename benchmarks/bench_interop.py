"""Import/export speed against the real `anki` package, in one run.

The real `anki` package writes a 10,000-note package (basic, reversed and cloze notes
with HTML, a review history on a fifth of the cards); we time reading it into a bundle
and importing it into a fresh collection, against Anki importing the same package into a
fresh collection. Then we export 10,000 notes to .apkg and time Anki importing that.
Figures are medians of several runs.

    python benchmarks/bench_interop.py [--notes 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from anki.collection import AddNoteRequest, Collection  # noqa: E402
from anki.import_export_pb2 import (  # noqa: E402
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)

from flashcards.collection.collection import Collection as Ours  # noqa: E402
from flashcards.core.parser import parse_deck  # noqa: E402
from flashcards.interop.anki_package import import_anki_package  # noqa: E402
from flashcards.interop.apkg_export import write_apkg  # noqa: E402
from flashcards.interop.export_notes import ExportCard, ExportData, ExportNote  # noqa: E402


def make_package(folder: Path, notes: int, *, legacy: bool) -> Path:
    col = Collection(str(folder / "source.anki2"))
    basic, rev, cloze = (
        col.models.by_name(n) for n in ("Basic", "Basic (and reversed card)", "Cloze")
    )
    decks = [col.decks.id(f"Bench::Part {i}") for i in range(10)]
    requests = []
    for i in range(notes):
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
        note.tags = [f"t{i % 13}", "bench::gen"]
        requests.append(AddNoteRequest(note=note, deck_id=decks[i % 10]))
    col.add_notes(requests)
    card_ids = col.db.list("SELECT id FROM cards ORDER BY id")
    base = 1_760_000_000_000
    rows = []
    for n, cid in enumerate(card_ids[::5]):
        for k in range(3):
            rows.append(
                (base + n * 10 + k + k * 86_400_000, cid, -1, 3, k + 1, k, 2500, 4000, min(k, 1))
            )
    col.db.executemany("INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)", rows)
    out = folder / ("bench-legacy.apkg" if legacy else "bench.apkg")
    col.export_anki_package(
        out_path=str(out),
        options=ExportAnkiPackageOptions(with_scheduling=True, with_media=True, legacy=legacy),
        limit=None,
    )
    col.close()
    return out


def anki_import(package: Path, folder: Path) -> None:
    col = Collection(str(folder / "anki.anki2"))
    options = ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=True)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=options))
    col.close()


def median_time(run: Callable[[Path], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            run(Path(tmp))
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def bundle_only(package: Path) -> Callable[[Path], object]:
    def run(tmp: Path) -> object:
        return import_anki_package(package, workdir=tmp)

    return run


def into_collection(package: Path) -> Callable[[Path], object]:
    def run(tmp: Path) -> object:
        with Ours.open(tmp / "data", seed=False) as col:
            return col.import_path(package)

    return run


def export_data(package: Path, folder: Path) -> ExportData:
    work = folder / "work"
    work.mkdir()
    bundle = import_anki_package(package, workdir=work)
    notes = []
    for path, text in bundle.decks.items():
        for note in parse_deck(text, path=path).deck.notes:
            cards = tuple(ExportCard(c, memory=bundle.cards[c.id].memory) for c in note.cards)
            notes.append(ExportNote(note, deck="Bench::" + path, cards=cards))
    return ExportData(tuple(notes), bundle.reviews)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        for legacy in (False, True):
            sub = folder / ("legacy" if legacy else "latest")
            sub.mkdir()
            package = make_package(sub, args.notes, legacy=legacy)
            layout = "collection.anki21 (legacy)" if legacy else "collection.anki21b (latest)"
            print(f"{args.notes} notes, {layout}: {package.stat().st_size / 1e6:.1f} MB")
            anki = median_time(lambda t, p=package: anki_import(p, t), args.runs)
            ours = median_time(bundle_only(package), args.runs)
            full = median_time(into_collection(package), args.runs)
            print(f"  Anki import into a fresh collection:  {anki:7.3f} s")
            print(
                f"  ours, package -> bundle:              {ours:7.3f} s  ratio {ours / anki:5.2f}x"
            )
            print(
                f"  ours, into a fresh collection:        {full:7.3f} s  ratio {full / anki:5.2f}x"
            )
        print(f"(setup {time.perf_counter() - start:.1f} s)")

        data = export_data(package, folder)
        out = folder / "ours.apkg"
        now = datetime.now(UTC)
        exported = median_time(lambda t: write_apkg(data, t / "ours.apkg", now=now), args.runs)
        write_apkg(data, out, now=now)
        anki_of_ours = median_time(lambda t: anki_import(out, t), args.runs)
        print(f"export {len(data.notes)} notes to .apkg:            {exported:7.3f} s")
        print(f"  Anki import of our .apkg:             {anki_of_ours:7.3f} s")


if __name__ == "__main__":
    main()
