"""A CSV / text file with bad input: a clear error naming the file and the line, and
nothing imported; line ends of every kind read alike (QA pass on text import).

- a quote left open (never closed, or "closed" by a later field's quote so that text
  follows it) names the line the quote opens on, by the public API, the CLI and the
  import dialog's preview; the library is unchanged;
- `\\r` (old Mac), `\\n` and `\\r\\n` line ends, mixed, give the same cards, and errors in
  such files name the right line (a bad byte, a NUL, a quote);
- a BOM is dropped; a NUL byte, a Latin-1 / Windows-1252 byte or a UTF-16 file is an error
  naming the line.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flashcards.collection import Collection
from flashcards.core.errors import InteropError
from flashcards.core.parser import parse_deck
from flashcards.interop.csv_layout import preview
from flashcards.interop.text_import import read_text_file
from flashcards.interop.text_lines import TextLines, first_bad_utf8_line


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _cards(path: Path, data: bytes | None = None) -> list[tuple[str, str]]:
    """(front, back) of each note the file gives, in order."""
    bundle = read_text_file(path, data=data)
    notes = [n for p, t in sorted(bundle.decks.items()) for n in parse_deck(t, path=p).deck.notes]
    return [(n.prompt or n.title, n.answer) for n in notes]


def _refused(tmp_path: Path, source: Path, line: int, message: str) -> None:
    """The file is refused, naming `line`, by the reader, the collection (which keeps
    every file it had), the command line (no traceback) and the dialog's preview."""
    name = source.name
    with pytest.raises(InteropError) as info:
        read_text_file(source)
    assert info.value.line == line
    assert str(info.value).startswith(f"{name}:{line}: ")
    assert message in str(info.value)
    with pytest.raises(InteropError) as again:
        read_text_file(source, data=source.read_bytes())  # the text in memory: alike
    assert str(again.value) == str(info.value)

    data_dir = tmp_path / "data"
    with Collection.open(data_dir) as col:
        col.sync()
        before = _tree(data_dir / "decks")
        decks = [d.name for d in col.decks()]
        with pytest.raises(InteropError, match=f"^{name}:{line}: "):
            col.import_path(source)
        assert _tree(data_dir / "decks") == before
        assert [d.name for d in col.decks()] == decks

    done = subprocess.run(
        [sys.executable, "-m", "flashcards", "--data-dir", str(data_dir), "import", str(source)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert f"{name}:{line}: " in done.stderr and message in done.stderr
    assert "Traceback" not in done.stderr
    assert _tree(data_dir / "decks") == before

    with pytest.raises(InteropError, match=f"^{name}:{line}: "):
        preview(TextLines(name, path=source), label=name, default_deck="D")


# -- quotes ---------------------------------------------------------------------------


def test_a_quote_never_closed_names_its_line(tmp_path: Path) -> None:
    source = tmp_path / "open.csv"
    source.write_bytes(b'front,back\nq1,a1\nq2,"an answer\nq3,a3\nq4,a4\n')
    _refused(tmp_path, source, 3, "a quote opened on this line is never closed")


def test_a_quote_closed_by_a_later_fields_quote_names_where_it_opened(tmp_path: Path) -> None:
    """The open quote on line 2 runs to the first quote of line 4, which text follows:
    the csv module alone would make lines 2-4 one field and drop a quote."""
    source = tmp_path / "later.csv"
    source.write_bytes(b'q1,a1\nq2,"open\nq3,a3\nq4,"quoted, answer"\nq5,a5\n')
    _refused(
        tmp_path, source, 2, "has text after its closing quote on line 4 ('quoted'): a quote left"
    )


def test_text_after_a_closing_quote_in_one_line(tmp_path: Path) -> None:
    source = tmp_path / "inch.csv"
    source.write_bytes(b'screen,size\nmonitor,"27" wide"\n')
    _refused(tmp_path, source, 2, "has text after its closing quote (' wide\"')")


def test_the_open_quote_is_named_on_a_later_line_of_its_row(tmp_path: Path) -> None:
    """A row over lines 2-3 whose last field opens a quote on line 3 and never closes it."""
    source = tmp_path / "rows.tsv"
    source.write_bytes(b'q1\ta1\nq2\t"two\nlines"\t"open\nq3\ta3\n')
    with pytest.raises(InteropError, match=r"^rows\.tsv:3: a quote opened on this line"):
        read_text_file(source)


def test_good_quotes_still_read(tmp_path: Path) -> None:
    """A quote inside an unquoted field, doubled quotes and a field over two lines."""
    source = tmp_path / "good.csv"
    source.write_bytes(b'q1,5" screen\nq2,"say ""hi"""\n"q3","two\nlines"\n')
    assert _cards(source) == [("q1", '5" screen'), ("q2", 'say "hi"'), ("q3", "two\nlines")]


# -- line ends --------------------------------------------------------------------------

ROWS = ["#separator:Comma", "#html:false", "front,back", "q1,a1", 'q2,"two', 'lines"', "q3,a3"]
EXPECTED = [("q1", "a1"), ("q2", "two\nlines"), ("q3", "a3")]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_every_line_end_reads_alike(end: str, tmp_path: Path) -> None:
    source = tmp_path / "ends.csv"
    source.write_bytes(end.join(ROWS).encode() + end.encode())
    assert _cards(source) == EXPECTED
    assert _cards(source, source.read_bytes()) == EXPECTED
    deck = next(iter(read_text_file(source).decks.values()))
    assert "\r" not in deck  # a field's own line break is a plain one in the deck file
    with Collection.open(tmp_path / "data", seed=False) as col:
        assert col.import_path(source).cards_added == 3


def test_mixed_line_ends_read_alike_and_errors_count_them_right(tmp_path: Path) -> None:
    source = tmp_path / "mixed.csv"
    text = 'q1,a1\r\nq2,a2\rq3,"x\ny"\r\nq4,a4\nq5,a5'
    source.write_bytes(text.encode())
    assert _cards(source) == [
        ("q1", "a1"),
        ("q2", "a2"),
        ("q3", "x\ny"),
        ("q4", "a4"),
        ("q5", "a5"),
    ]
    # lines: 1 q1, 2 q2, 3-4 q3, 5 q4, 6 q5
    source.write_bytes((text + '\rq6,"open\rq7,a7\r').encode())
    with pytest.raises(InteropError, match=r"^mixed\.csv:7: a quote opened on this line"):
        read_text_file(source)


def test_a_bad_byte_in_an_old_mac_file_names_its_line(tmp_path: Path) -> None:
    source = tmp_path / "mac.csv"
    source.write_bytes(b"q1,a1\rq2,a2\rcaf\xe9,coffee\rq4,a4\r")
    _refused(tmp_path, source, 3, "is not UTF-8 text")


def test_a_crlf_split_between_chunks_is_one_line_end(tmp_path: Path) -> None:
    """The bad-byte search reads 1 MB chunks: a `\\r\\n` across two still counts once."""
    source = tmp_path / "big.csv"
    first = b"q,a\r\n" * 1000
    pad = b"x" * ((1 << 20) - len(first) - 1) + b"\r"  # the chunk ends on the \r
    source.write_bytes(first + pad + b"\nq,a\r\n\xff\r\n")
    assert first_bad_utf8_line(source) == 1003
    with pytest.raises(InteropError, match=r"^big\.csv:1003: is not UTF-8"):
        read_text_file(source)


# -- encodings, BOM, NUL -------------------------------------------------------------


def test_a_bom_is_dropped(tmp_path: Path) -> None:
    source = tmp_path / "bom.csv"
    source.write_bytes(b"\xef\xbb\xbf#separator:Tab\r\nFront\tBack\r\nq1\ta1\r\n")
    assert _cards(source) == [("q1", "a1")]
    assert _cards(source, source.read_bytes()) == [("q1", "a1")]


def test_a_nul_byte_names_its_line(tmp_path: Path) -> None:
    source = tmp_path / "nul.csv"
    source.write_bytes(b"q1,a1\rq2,a\x002\rq3,a3\r")
    _refused(tmp_path, source, 2, "holds a NUL byte on this line")


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_a_latin1_or_windows_1252_file_names_its_line(encoding: str, tmp_path: Path) -> None:
    source = tmp_path / "latin.csv"
    third = "“café”" if encoding == "cp1252" else "café"  # “” are Windows-1252 bytes 93, 94
    source.write_bytes(f"q1,a1\nq2,a2\n{third},coffee\n".encode(encoding))
    _refused(tmp_path, source, 3, "is not UTF-8 text (Latin-1 or Windows-1252, perhaps)")


def test_a_utf16_file_is_named_as_such(tmp_path: Path) -> None:
    source = tmp_path / "excel.txt"
    source.write_bytes("Front\tBack\r\nq1\ta1\r\n".encode("utf-16"))
    _refused(tmp_path, source, 1, "is UTF-16 text; save it as UTF-8")
