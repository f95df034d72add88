"""CSV files past what a card holds, and CSV files of many rows (issue 17.5).

A field too long for the csv module is an error naming the file and the line the row
starts on, and changes nothing; so is a byte that is not UTF-8, wherever it is. A big
file streams: it is read row by row, a deck of more than PART_ROWS rows goes into a
folder of deck files of PART_ROWS rows, and the reader's memory is bounded by one part's
notes (its peak hardly moves when the file doubles).
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from flashcards.collection import Collection
from flashcards.core.errors import InteropError
from flashcards.core.parser import parse_deck
from flashcards.interop import text_import
from flashcards.interop.csv_layout import preview
from flashcards.interop.text_import import read_text_file
from flashcards.interop.text_lines import TextLines, first_bad_utf8_line

BIG = 10_000_000  # a 10 MB field


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _big_field_csv(path: Path) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("front,back\n")
        out.write('"a question\nover two lines",a1\n')  # a row of two lines: 2-3
        out.write('q2,"' + "x" * BIG + '"\n')  # line 4
        out.write("q3,a3\n")
    return path


def test_a_10mb_field_names_file_and_line_and_changes_nothing(tmp_path: Path) -> None:
    source = _big_field_csv(tmp_path / "big.csv")
    with pytest.raises(InteropError) as info:
        read_text_file(source)
    assert info.value.line == 4
    assert str(info.value).startswith("big.csv:4: a field starting in this row runs past")
    assert f"{csv.field_size_limit():,} characters" in str(info.value)

    data_dir = tmp_path / "data"
    with Collection.open(data_dir, seed=False) as col:
        before = _tree(data_dir / "decks")
        with pytest.raises(InteropError, match=r"big\.csv:4: "):
            col.import_path(source)
        assert _tree(data_dir / "decks") == before
        assert col.decks() == []
        assert list((data_dir / "tmp").iterdir()) == []


def test_the_cli_says_so_without_a_traceback(tmp_path: Path) -> None:
    source = _big_field_csv(tmp_path / "big.csv")
    done = subprocess.run(
        [sys.executable, "-m", "flashcards", "--data-dir", str(tmp_path / "d"), "import",
         str(source)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "big.csv:4: a field starting in this row runs past" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_import_dialog_preview_names_the_line_too(tmp_path: Path) -> None:
    source = _big_field_csv(tmp_path / "big.csv")
    with pytest.raises(InteropError, match=r"big\.csv:4: "):
        preview(TextLines("big.csv", path=source), label="big.csv", default_deck="Big")


def test_a_byte_that_is_not_utf8_past_the_first_megabyte_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    rows = [f"question {i},answer {i}\n".encode() for i in range(60_000)]  # ~1.5 MB
    rows[55_000] = "café,coffee\n".encode("latin-1")
    path.write_bytes(b"".join(rows))
    assert first_bad_utf8_line(path) == 55_001
    with pytest.raises(InteropError, match=r"latin\.csv:55001: is not UTF-8"):
        read_text_file(path)


def test_skipped_rows_name_the_line_they_start_on(tmp_path: Path) -> None:
    path = tmp_path / "lines.csv"
    path.write_text('front,back\n"two\nlines",b\n,no front\nq,a\n', encoding="utf-8")
    bundle = read_text_file(path)
    assert [str(s) for s in bundle.skipped] == ["lines.csv line 4: the front is empty"]


def _rows_csv(path: Path, rows: int, *, decks: tuple[str, ...] = ()) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as out:
        if decks:
            out.write("#deck column:3\n")
        for i in range(rows):
            deck = f",{decks[i % len(decks)]}" if decks else ""
            out.write(f"front {i:06d},back {i:06d}{deck}\n")
    return path


def test_a_deck_past_part_rows_is_a_folder_of_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(text_import, "PART_ROWS", 50)
    source = _rows_csv(tmp_path / "words.csv", 230)
    bundle = read_text_file(source)
    assert sorted(bundle.decks) == [f"words/part-{i}.md" for i in range(1, 6)]
    assert bundle.parsed == {} and bundle.checked == frozenset(bundle.decks)
    parts = {p: parse_deck(t, path=p).deck for p, t in bundle.decks.items()}
    assert [len(d.notes) for _, d in sorted(parts.items())] == [50, 50, 50, 50, 30]
    assert parts["words/part-1.md"].title == "Part 1"
    assert parts["words/part-5.md"].notes[-1].title == "front 000229"
    assert bundle.note_count == 230 and bundle.card_count == 230
    assert any("230 rows of deck 'Words' went into 5 deck files" in n for n in bundle.notes)

    data_dir = tmp_path / "data"
    with Collection.open(data_dir, seed=False) as col:
        report = col.import_path(source)
        assert report.cards_added == 230
        names = sorted(d.name for d in col.decks())
        assert names == [f"Words::Part {i}" for i in range(1, 6)]
        again = col.import_path(source)
        assert again.cards_added == 0 and again.files == ()


def test_decks_interleaved_in_a_big_file_each_keep_their_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deck column: each deck is written when its last row is read; only the one past
    PART_ROWS is split."""
    monkeypatch.setattr(text_import, "PART_ROWS", 40)
    source = _rows_csv(tmp_path / "mixed.csv", 120, decks=("Big", "Big", "Small"))
    bundle = read_text_file(source)
    assert sorted(bundle.decks) == ["big/part-1.md", "big/part-2.md", "small.md"]
    small = parse_deck(bundle.decks["small.md"], path="small.md").deck
    assert small.title == "Small" and len(small.notes) == 40
    assert bundle.note_count == 120


def test_a_small_file_is_one_deck_with_its_parse_kept(tmp_path: Path) -> None:
    bundle = read_text_file(_rows_csv(tmp_path / "few.csv", 30))
    assert list(bundle.decks) == ["few.md"] and list(bundle.parsed) == ["few.md"]


def _reader_peak(path: Path) -> int:
    tracemalloc.start()
    try:
        read_text_file(path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reading_memory_is_bounded_by_a_part_not_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Doubling the rows hardly moves the reader's peak (a whole file in memory doubled
    it): what grows is a few dozen bytes of ids per row, not the rows' notes."""
    monkeypatch.setattr(text_import, "PART_ROWS", 1000)
    small = _reader_peak(_rows_csv(tmp_path / "a.csv", 6000))
    large = _reader_peak(_rows_csv(tmp_path / "b.csv", 12000))
    # (1.5: the ids' table grows in steps, and each id keeps 30 bits of its row's key, so
    # that rows whose ids hash alike stay apart; a whole file in memory is about 2.)
    assert large < 1.5 * small, (small, large)
    assert (large - small) / 6000 < 400, "bytes kept per row"
