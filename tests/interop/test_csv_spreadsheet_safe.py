"""CSV export and spreadsheet formulas (QA text-import pass, point 3).

By default the text is written exactly (Anki's interchange format, as Anki writes it): a
front `-1 is…` or `=SUM(…)` goes out and comes back unchanged, through our import and
Anki's. `--safe-for-spreadsheets` (the export dialog's "CSV for spreadsheets") puts a `'`
before each cell a spreadsheet would run as a formula and says so in a header line, so
our import still reads the file back exactly; Anki ignores the line.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from flashcards.collection import Collection
from flashcards.interop.csv_export import FORMULA_STARTS, spreadsheet_cell
from flashcards.interop.text_import import read_text_file

DECK = """\
---
title: Formulas
---

## -1 is the answer?
=SUM(A1:A2)

## +33 1 23 45 67 89
@home

## 'quoted' start
-dash

## =HYPERLINK("http://x","y")
+plus
Tags: t2
"""
# (front, back) as the CSV holds them: the fields Anki gets.
FIELDS = [
    ("-1 is the answer?", "=SUM(A1:A2)"),
    ("+33 1 23 45 67 89", "@home"),
    ("'quoted' start", "-dash"),
    ('=HYPERLINK("http://x","y")', "+plus"),
]


def _export(tmp_path: Path, name: str, *, safe: bool) -> Path:
    data_dir = tmp_path / "data"  # one library for every export of a test: the same ids
    if not data_dir.exists():
        (data_dir / "decks").mkdir(parents=True)
        (data_dir / "decks" / "formulas.md").write_text(DECK, encoding="utf-8")
    out = tmp_path / name
    with Collection.open(data_dir, seed=False) as col:
        col.export(None, out, spreadsheet_safe=safe)
    return out


def _rows(path: Path) -> list[list[str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    return list(csv.reader(lines))


def _again(tmp_path: Path, source: Path, *, safe: bool) -> str:
    """The file imported into a fresh collection and exported from it again."""
    data_dir = tmp_path / f"back-{source.name}"
    out = tmp_path / f"again-{source.name}"
    with Collection.open(data_dir, seed=False) as col:
        assert col.import_path(source).cards_added == len(FIELDS)
        col.export(None, out, spreadsheet_safe=safe)
    return out.read_text(encoding="utf-8")


def _anki_fields(tmp_path: Path, source: Path) -> list[list[str]]:
    from anki.collection import Collection as AnkiCollection
    from anki.import_export_pb2 import ImportCsvRequest

    col = AnkiCollection(str(tmp_path / f"anki-{source.stem}.anki2"))
    try:
        metadata = col.get_csv_metadata(str(source), None)
        col.import_csv(ImportCsvRequest(path=str(source), metadata=metadata))
        notes = [col.get_note(nid) for nid in col.find_notes("")]
        return sorted(list(n.fields) for n in notes)
    finally:
        col.close()


def test_the_default_export_keeps_the_text_exactly(tmp_path: Path) -> None:
    out = _export(tmp_path, "exact.csv", safe=False)
    assert "#spreadsheet safe" not in out.read_text(encoding="utf-8")
    assert [tuple(r[3:5]) for r in _rows(out)] == FIELDS
    assert _again(tmp_path, out, safe=False) == out.read_text(encoding="utf-8")
    assert _anki_fields(tmp_path, out) == sorted([list(f) for f in FIELDS])


def test_the_safe_export_escapes_formulas_and_reads_back_exactly(tmp_path: Path) -> None:
    exact = _export(tmp_path, "exact.csv", safe=False)
    out = _export(tmp_path, "safe.csv", safe=True)
    text = out.read_text(encoding="utf-8")
    assert "\n#spreadsheet safe:true\n" in text
    rows = _rows(out)
    assert [tuple(r[3:5]) for r in rows] == [("'" + a, "'" + b) for a, b in FIELDS]
    # No cell a spreadsheet runs: each that starts so starts with the escape.
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for cell in r)
    # Our import reads it back exactly: the same notes as the plain file, and the same
    # file again when exported safe again.
    assert read_text_file(out).decks == read_text_file(exact).decks
    assert _again(tmp_path, out, safe=True) == text
    # Anki reads the file (the header line ignored) and keeps the escape, as documented.
    assert _anki_fields(tmp_path, out) == sorted(["'" + a, "'" + b] for a, b in FIELDS)


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_formula_start_is_escaped_and_unescaped(start: str, tmp_path: Path) -> None:
    """Tab and CR too (no Markdown card starts so): a hand-made safe file reads as the
    same file unescaped and without the header line."""
    text = f"{start}1+1"
    assert spreadsheet_cell(text) == "'" + text and spreadsheet_cell("1+1") == "1+1"

    def write(folder: str, safe: bool) -> Path:
        (tmp_path / folder).mkdir()
        source = tmp_path / folder / "cells.csv"
        with open(source, "w", encoding="utf-8", newline="") as handle:
            handle.write("#separator:Tab\n#html:false\n")
            handle.write("#spreadsheet safe:true\n" if safe else "")
            cells = [spreadsheet_cell(c) if safe else c for c in (f"q {start}", text)]
            csv.writer(handle, delimiter="\t").writerow(cells)
        return source

    safe, plain = read_text_file(write("safe", True)), read_text_file(write("plain", False))
    assert safe.decks == plain.decks and safe.note_count == 1


def test_the_cli_flag(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    (data_dir / "decks").mkdir(parents=True)
    (data_dir / "decks" / "formulas.md").write_text(DECK, encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "flashcards", "--data-dir", str(data_dir), "export", *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    done = run("--deck", "Formulas", "-o", str(tmp_path / "sheet.csv"), "--safe-for-spreadsheets")
    assert done.returncode == 0, done.stderr
    assert [tuple(r[3:5]) for r in _rows(tmp_path / "sheet.csv")] == [
        ("'" + a, "'" + b) for a, b in FIELDS
    ]
    done = run("--deck", "Formulas", "-o", str(tmp_path / "plain.csv"))
    assert done.returncode == 0 and [tuple(r[3:5]) for r in _rows(tmp_path / "plain.csv")] == FIELDS
    done = run("-o", str(tmp_path / "deck.apkg"), "--safe-for-spreadsheets")
    assert done.returncode == 1
    assert "deck.apkg: safe for spreadsheets applies to CSV exports only" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "deck.apkg").exists()
