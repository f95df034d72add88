"""A text file's lines and csv rows as a stream, each with the line it starts on.

A CSV of a million rows is read row by row, never whole: `TextLines` reads a file (or
text in memory) afresh each time it is iterated, and `csv_rows` gives its rows. What
cannot be read is an InteropError naming the file and line: a byte that is not UTF-8, a
NUL byte, a quote left open (or text after a field's closing quote), a field past the
csv module's size limit. Lines end at `\n`, `\r\n` or `\r` (old Mac files), mixed as
they come, and every line number counts them alike.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
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

    def check_nul(self) -> None:
        """InteropError naming the line of the first NUL character (no text file has one,
        a UTF-16 file is full of them): one search of the text, or of the file's bytes in
        chunks."""
        if self.text is not None:
            at = self.text.find("\0")
            line = None if at < 0 else line_breaks(self.text, 0, at) + 1
        else:
            assert self.path is not None
            line = _first_line_of(self.path, lambda chunk: chunk.find(b"\0"))
            if line is not None:
                with open(self.path, "rb") as head:
                    start = head.read(2)
                if start in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
                    raise not_utf8(self.label, start, 1)
        if line is not None:
            raise InteropError(
                self.label,
                "holds a NUL byte on this line, which no text file has (UTF-16, or not a "
                "text file); save it as UTF-8 text and try again",
                line=line,
            )

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
                with open(self.path, "rb") as head:
                    start = head.read(2)
                raise not_utf8(self.label, start, first_bad_utf8_line(self.path)) from exc


def not_utf8(label: str, start: bytes, line: int | None) -> InteropError:
    """The error for a file that is not UTF-8 (`start`: its first bytes), at `line`."""
    if start[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return InteropError(label, "is UTF-16 text; save it as UTF-8 and try again", line=line)
    return InteropError(
        label,
        "is not UTF-8 text (Latin-1 or Windows-1252, perhaps); save it as UTF-8 and try again",
        line=line,
    )


def line_breaks(text: str | bytes, start: int, end: int) -> int:
    """The line ends (`\n`, `\r\n` or `\r`) in text[start:end]."""
    if isinstance(text, str):
        return (
            text.count("\n", start, end)
            + text.count("\r", start, end)
            - text.count("\r\n", start, end)
        )
    return (
        text.count(b"\n", start, end)
        + text.count(b"\r", start, end)
        - text.count(b"\r\n", start, end)
    )


def _first_line_of(path: Path, find: Callable[[bytes], int]) -> int | None:
    """The line of the first place `find` finds in one of `path`'s 1 MB chunks, or None."""
    line, after_cr = 1, False
    with open(path, "rb") as raw:
        while chunk := raw.read(1 << 20):
            # A `\r\n` split between two chunks is one line end, not two.
            split = 1 if after_cr and chunk[:1] == b"\n" else 0
            at = find(chunk)
            if at >= 0:
                return line + line_breaks(chunk, 0, at) - (split if at > 0 else 0)
            line += line_breaks(chunk, 0, len(chunk)) - split
            after_cr = chunk.endswith(b"\r")
    return None


def first_bad_utf8_line(path: Path) -> int | None:
    """The line of `path`'s first byte that is not UTF-8 (read in chunks), or None."""
    decoder = codecs.getincrementaldecoder("utf-8")()

    def bad(chunk: bytes) -> int:
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            return max(exc.start - pending, 0)
        return -1

    return _first_line_of(path, bad)


def _row_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return (
            f"a field starting in this row runs past {csv.field_size_limit():,} characters, "
            "more than any card holds (a quote left open, or a field to split or remove)"
        )
    return f"cannot read the row ({text})"


_QUOTE_HINT = 'write a quote inside a field twice ("")'


def quote_problem(
    source: TextLines, *, start: int, separator: str, label: str
) -> InteropError | None:
    """Why the row starting on line `start` cannot be read as csv, if a quote is why:
    read again from that line as the csv module reads (run only once a row has failed).
    A quote that opens a field and is never closed is named by its own line; so is a
    quoted field with text after its closing quote (`"5" screen"`)."""
    at_start, quoted, closed = True, False, False
    opened = start
    for number, line in enumerate(islice(iter(source), start - 1, None), start):
        i, end = 0, len(line)
        while i < end:
            if quoted:
                i = line.find('"', i)
                if i < 0:
                    break
                if line.startswith('""', i):
                    i += 2
                    continue
                quoted, closed = False, True
                i += 1
                continue
            char = line[i]
            if closed:
                closed = False
                if char != separator and char not in "\r\n":
                    after = line[i:].split(separator, 1)[0].rstrip("\r\n")[:20]
                    where = "" if number == opened else f" on line {number}"
                    return InteropError(
                        label,
                        f"the quoted field opened on this line has text after its closing "
                        f"quote{where} ({after!r}): a quote left open, or {_QUOTE_HINT}",
                        line=opened,
                    )
            if at_start and char == '"':
                quoted, opened = True, number
            at_start = char == separator or char in "\r\n"
            i += 1
    if quoted:
        return InteropError(
            label,
            "a quote opened on this line is never closed, so the rest of the file would be "
            f"one field: close it, or {_QUOTE_HINT}",
            line=opened,
        )
    return None


def csv_rows(
    source: TextLines, *, skip: int, separator: str, label: str
) -> Iterator[tuple[int, list[str]]]:
    """(line, row) of each csv row after the first `skip` lines; a row the csv module
    cannot read (a quote left open, text after a closing quote, a field past its size
    limit) is an InteropError naming its line, or the line of the quote at fault."""
    lines = iter(source)
    for _ in islice(lines, skip):
        pass
    # strict: a quote left open at the end of the file, or `"a"b`, is an error, not a
    # field that silently swallows the rest of the file or drops the quotes.
    reader = csv.reader(lines, delimiter=separator, strict=True)
    start = skip + 1
    try:
        for row in reader:
            yield start, row
            start = skip + reader.line_num + 1
    except csv.Error as exc:
        close = getattr(lines, "close", None)
        if close is not None:
            close()
        problem = None
        if "field larger than field limit" not in str(exc):
            problem = quote_problem(source, start=start, separator=separator, label=label)
        raise problem or InteropError(label, _row_problem(exc), line=start) from exc
