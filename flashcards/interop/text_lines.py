"""A text file's lines and csv rows as a stream, each with the line it starts on.

A CSV of a million rows is read row by row, never whole: `TextLines` reads a file (or
text in memory) afresh each time it is iterated, and `csv_rows` gives its rows. What
cannot be read is an InteropError naming the file and line: a byte that is not UTF-8, a
field past the csv module's size limit (10 MB in one field, or a quote left open).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from flashcards.core.errors import InteropError


class TextLines:
    """A text file's lines, read afresh from the start each time they are iterated:
    streamed from a file (UTF-8, a BOM dropped) or split from text in memory. Lines end
    at `\n`, `\r\n` or `\r` and keep their ends, as `csv` wants them. A file that is
    not UTF-8 is an InteropError naming the line of its first bad byte."""

    def __init__(self, label: str, *, path: Path | None = None, text: str | None = None) -> None:
        if (path is None) == (text is None):
            raise ValueError("TextLines takes a path or a text")
        self.label = label
        self.path = path
        self.text = text

    def __iter__(self) -> Iterator[str]:
        if self.text is not None:
            yield from io.StringIO(self.text, newline="")
            return
        assert self.path is not None
        with (
            open(self.path, "rb") as raw,
            io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text,
        ):
            try:
                yield from text
            except UnicodeDecodeError as exc:
                raise InteropError(
                    self.label,
                    "is not UTF-8 text; save it as UTF-8 and try again",
                    line=first_bad_utf8_line(self.path),
                ) from exc


def first_bad_utf8_line(path: Path) -> int | None:
    """The line of `path`'s first byte that is not UTF-8 (read in chunks), or None."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with open(path, "rb") as raw:
        while chunk := raw.read(1 << 20):
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return line + chunk.count(b"\n", 0, max(exc.start - pending, 0))
            line += chunk.count(b"\n")
    return None


def _row_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return (
            f"a field starting in this row runs past {csv.field_size_limit():,} characters, "
            "more than any card holds (a quote left open, or a field to split or remove)"
        )
    return f"cannot read the row ({text})"


def csv_rows(
    source: TextLines, *, skip: int, separator: str, label: str
) -> Iterator[tuple[int, list[str]]]:
    """(line, row) of each csv row after the first `skip` lines; a row the csv module
    cannot read (a field past its size limit, a NUL) is an InteropError naming its line."""
    lines = iter(source)
    for _ in islice(lines, skip):
        pass
    reader = csv.reader(lines, delimiter=separator)
    start = skip + 1
    try:
        for row in reader:
            yield start, row
            start = skip + reader.line_num + 1
    except csv.Error as exc:
        raise InteropError(label, _row_problem(exc), line=start) from exc
