"""How a text file's columns are read: the separator, a first row of column names, and
each column's role (front, back, tags, deck, note type, id, or ignored).

The file's own Anki header lines (`#separator:`, `#columns:`, `#tags column:` …) say most
of it (`csv_header`), column names and positions the rest (`csv_roles`); `CsvOptions` —
the import dialog's choices or the command line's flags — override them. `read_table`
gives the layout and the rows it reads, streamed from the file (`TextLines`) with the
line each starts on: a file of a million rows is never held whole.
`preview` gives the first rows, for a dialog to show.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field

from flashcards.interop.csv_header import SEPARATOR_NAMES as SEPARATOR_NAMES
from flashcards.interop.csv_header import SEPARATORS as SEPARATORS
from flashcards.interop.csv_header import Header as Header
from flashcards.interop.csv_header import read_header as read_header
from flashcards.interop.csv_header import separator_char as separator_char
from flashcards.interop.csv_header import sniff_separator as sniff_separator
from flashcards.interop.csv_roles import SINGLE_ROLES as SINGLE_ROLES
from flashcards.interop.csv_roles import ColumnRole as ColumnRole
from flashcards.interop.csv_roles import check_roles as check_roles
from flashcards.interop.csv_roles import default_roles, looks_like_names
from flashcards.interop.csv_roles import parse_roles as parse_roles
from flashcards.interop.text_lines import TextLines, csv_rows


@dataclass(frozen=True)
class CsvOptions:
    """Explicit choices for reading a text file; None leaves each to the file's headers
    (or a guess). `columns` gives every column's role, in order: columns past its end
    are ignored. `deck` names the deck for rows without a deck column; `deck_file`, a
    library-relative `.md` file, puts that deck's rows into an existing deck file."""

    separator: str | None = None  # a character or a name ("tab", "comma", …)
    header_row: bool | None = None  # the first row holds column names, not a card
    columns: tuple[ColumnRole, ...] | None = None
    deck: str | None = None
    deck_file: str | None = None


@dataclass(frozen=True)
class CsvLayout:
    """How a file's rows are read: separator, names and role of every column, deck."""

    separator: str
    header_row: bool  # the first row was taken for column names
    names: tuple[str, ...]  # one per column; "" where unnamed
    roles: tuple[ColumnRole, ...]  # one per column
    deck: str  # for rows without a deck column
    separator_guessed: bool = False  # sniffed, not from a header line or an option

    def column(self, role: ColumnRole) -> int | None:
        """The (first) column with `role`, or None."""
        return next((i for i, r in enumerate(self.roles) if r is role), None)


@dataclass(frozen=True)
class Table:
    """A text file's header lines, layout and data rows (without a row of names). The
    rows are read from the file again by each call of `rows()`; `first_rows` are the
    first few, kept by `read_table` for a preview."""

    header: Header
    layout: CsvLayout
    source: TextLines
    row_count: int  # data rows, blank ones included
    first_rows: tuple[list[str], ...] = field(default=())
    label: str = ""

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line the row starts on, its cells) for each data row, read from the file."""
        rows = _rows(self.source, self.header, self.layout.separator, self.label)
        if self.layout.header_row:
            next(rows, None)
        return rows


def _rows(
    source: TextLines, header: Header, separator: str, label: str
) -> Iterator[tuple[int, list[str]]]:
    """The csv rows after the header lines; in a file our export made safe for
    spreadsheets (`#spreadsheet safe:true`), each cell without its escaping `'`."""
    rows = csv_rows(source, skip=header.lines, separator=separator, label=label)
    if not header.spreadsheet_safe:
        return rows
    return ((n, [c[1:] if c.startswith("'") else c for c in row]) for n, row in rows)


def _top_lines(source: TextLines) -> tuple[list[str], list[str]]:
    """The file's `#key:value` header lines and the next 20 lines (to guess from)."""
    head: list[str] = []
    sample: list[str] = []
    lines = iter(source)
    try:
        for line in lines:
            if not sample and line.startswith("#") and ":" in line:
                head.append(line)
                continue
            sample.append(line)
            if len(sample) >= 20:
                break
    finally:
        close = getattr(lines, "close", None)
        if close is not None:
            close()
    return head, sample


def read_table(
    source: str | TextLines,
    *,
    label: str,
    default_deck: str,
    options: CsvOptions | None = None,
    check: bool = True,
    keep: int = 0,
) -> Table:
    """The file's layout (the options over the file's headers over guesses), its number
    of rows and its first `keep` rows; the rows themselves stream from `Table.rows()`.
    `source` is the text or a `TextLines`. InteropError for an impossible layout, unless
    not `check`, and for a NUL byte or a row that cannot be read (naming its line)."""
    options = options or CsvOptions()
    lines = source if isinstance(source, TextLines) else TextLines(label, text=source)
    lines.check_nul()  # one search of the file: the csv module would keep a NUL
    head, sample = _top_lines(lines)
    header = read_header(head, label=label)
    guessed = options.separator is None and header.separator is None
    if options.separator is not None:
        separator = separator_char(options.separator)
    else:
        separator = header.separator or sniff_separator(sample)
    # One pass over every row, keeping only counts and the first few: the width of the
    # widest row gives the number of columns.
    first: list[list[str]] = []
    count = width = 0
    width_after_first = 0
    for _line, row in _rows(lines, header, separator, label):
        if count <= keep:  # one more than asked: the first may be a row of names
            first.append(row)
        if count:
            width_after_first = max(width_after_first, len(row))
        width = max(width, len(row))
        count += 1
    names: tuple[str, ...] = ()
    if header.columns:
        names = tuple(next(csv.reader([header.columns], delimiter=separator), []))
    header_row = options.header_row
    if header_row is None:
        header_row = not header.columns and bool(first) and looks_like_names(first[0])
    if header_row and first:
        if not header.columns:
            names = tuple(cell.strip() for cell in first[0])
        first, count, width = first[1:], count - 1, width_after_first
    specials = (header.notetype_column, header.deck_column, header.tags_column, header.guid_column)
    columns = max(width, len(names), *(c + 1 for c in specials if c is not None), 1)
    if options.columns is not None:
        roles = tuple(options.columns[:columns]) + (ColumnRole.IGNORE,) * (
            columns - len(options.columns)
        )
    else:
        roles = tuple(default_roles(header, names, columns, label=label))
    if check:
        check_roles(roles, label=label)
    layout = CsvLayout(
        separator=separator,
        header_row=header_row,
        names=names + ("",) * (columns - len(names)),
        roles=roles,
        deck=(options.deck or "").strip() or header.deck or default_deck,
        separator_guessed=guessed,
    )
    return Table(header, layout, lines, count, tuple(first[:keep]), label)


@dataclass(frozen=True)
class CsvPreview:
    """The first rows of a file as a given layout reads them, and how many there are."""

    layout: CsvLayout
    rows: tuple[tuple[str, ...], ...]  # the first data rows, each padded to every column
    row_count: int  # data rows (blank ones included)
    html: bool  # fields are HTML (`#html:true`)


def preview(
    text: str | TextLines,
    *,
    label: str,
    default_deck: str,
    options: CsvOptions | None = None,
    limit: int = 8,
) -> CsvPreview:
    """The layout and first `limit` data rows of a text file read with `options`.

    Impossible roles (no front, two tags columns) are kept as chosen, for a dialog to
    show them with what `check_roles` says is wrong.
    """
    table = read_table(
        text, label=label, default_deck=default_deck, options=options, check=False, keep=limit
    )
    width = len(table.layout.roles)
    rows = tuple(tuple(r) + ("",) * (width - len(r)) for r in table.first_rows)
    return CsvPreview(table.layout, rows, table.row_count, bool(table.header.html))
