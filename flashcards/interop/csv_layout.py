"""How a text file's columns are read: the separator, a first row of column names, and
each column's role (front, back, tags, deck, note type, id, or ignored).

The file's own Anki header lines (`#separator:`, `#columns:`, `#tags column:` …) say most
of it; `CsvOptions` — the import dialog's choices or the command line's flags — override
them. `read_table` gives the layout and the rows it reads, streamed from the file
(`TextLines`) with the line each starts on: a file of a million rows is never held whole.
`preview` gives the first rows, for a dialog to show.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum

from flashcards.core.errors import InteropError
from flashcards.interop.text_lines import TextLines, csv_rows


class ColumnRole(Enum):
    """What a column holds."""

    FRONT = "front"
    BACK = "back"
    TAGS = "tags"
    DECK = "deck"
    NOTETYPE = "notetype"
    GUID = "guid"
    IGNORE = "ignore"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    ColumnRole.FRONT: "Front",
    ColumnRole.BACK: "Back",
    ColumnRole.TAGS: "Tags",
    ColumnRole.DECK: "Deck",
    ColumnRole.NOTETYPE: "Note type",
    ColumnRole.GUID: "ID",
    ColumnRole.IGNORE: "Ignore",
}
# Roles one column at most may have; any number of columns may be Back (their texts are
# joined into the answer, under their column names) or ignored.
SINGLE_ROLES = (
    ColumnRole.FRONT,
    ColumnRole.TAGS,
    ColumnRole.DECK,
    ColumnRole.NOTETYPE,
    ColumnRole.GUID,
)
SEPARATORS = {
    "comma": ",",
    "semicolon": ";",
    "tab": "\t",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}
SEPARATOR_NAMES = {char: name for name, char in SEPARATORS.items()}
# Column names that say a column's role, in a `#columns:` line or a first row of names.
_NAMED_ROLES = {
    "front": ColumnRole.FRONT,
    "question": ColumnRole.FRONT,
    "term": ColumnRole.FRONT,
    "word": ColumnRole.FRONT,
    "text": ColumnRole.FRONT,
    "back": ColumnRole.BACK,
    "answer": ColumnRole.BACK,
    "definition": ColumnRole.BACK,
    "meaning": ColumnRole.BACK,
    "tags": ColumnRole.TAGS,
    "deck": ColumnRole.DECK,
    "notetype": ColumnRole.NOTETYPE,
    "note type": ColumnRole.NOTETYPE,
    "guid": ColumnRole.GUID,
}
# A first row is taken for column names only when every cell is a name like these.
_HEADER_WORDS = frozenset(
    {*_NAMED_ROLES, "extra", "back extra", "notes", "note", "example", "examples", "hint"}
)


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


def parse_roles(text: str) -> tuple[ColumnRole, ...]:
    """`front,back,tags` (the command line's `--columns`) as roles; `-` or `ignore` skips."""
    by_word = {**{r.value: r for r in ColumnRole}, **_NAMED_ROLES, "-": ColumnRole.IGNORE}
    by_word["id"] = ColumnRole.GUID
    roles = []
    for word in text.split(","):
        role = by_word.get(word.strip().lower())
        if role is None:
            known = ", ".join(r.value for r in ColumnRole)
            raise InteropError("--columns", f"unknown column role {word.strip()!r} (use {known})")
        roles.append(role)
    return tuple(roles)


def separator_char(value: str) -> str:
    """A separator given by name (`tab`, `Comma` …) or as itself."""
    return SEPARATORS.get(value.strip().lower(), value[:1] or ",")


@dataclass
class Header:
    """What a text file's `#key:value` lines say."""

    separator: str | None = None
    html: bool | None = None
    tags: tuple[str, ...] = ()
    columns: str | None = None  # raw; split once the separator is known
    notetype: str | None = None
    deck: str | None = None
    notetype_column: int | None = None  # 0-based
    deck_column: int | None = None
    tags_column: int | None = None
    guid_column: int | None = None
    lines: int = 0  # header lines consumed


def _column(value: str, label: str, line: int) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        number = 0
    if number < 1:
        raise InteropError(
            label, f"column number must be 1 or more, not {value.strip()!r}", line=line
        )
    return number - 1


def read_header(lines: list[str], *, label: str) -> Header:
    """The `#key:value` lines at the top of a text file."""
    header = Header()
    for index, line in enumerate(lines):
        if not line.startswith("#") or ":" not in line:
            break
        key, _, value = line[1:].partition(":")
        key, value = key.strip().lower(), value.rstrip("\r\n")
        number = index + 1
        if key == "separator":
            header.separator = separator_char(value)
        elif key == "html":
            header.html = value.strip().lower() == "true"
        elif key == "tags":
            header.tags = tuple(value.split())
        elif key == "columns":
            header.columns = value
        elif key == "notetype":
            header.notetype = value.strip()
        elif key == "deck":
            header.deck = value.strip()
        elif key == "notetype column":
            header.notetype_column = _column(value, label, number)
        elif key == "deck column":
            header.deck_column = _column(value, label, number)
        elif key == "tags column":
            header.tags_column = _column(value, label, number)
        elif key == "guid column":
            header.guid_column = _column(value, label, number)
        header.lines = index + 1
    return header


def sniff_separator(sample: list[str]) -> str:
    """Tab, semicolon, pipe or comma: the first that splits the first row."""
    first = next((line for line in sample if line.strip()), "")
    for candidate in ("\t", ";", "|", ","):
        if candidate in first:
            return candidate
    return ","


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
        rows = csv_rows(
            self.source,
            skip=self.header.lines,
            separator=self.layout.separator,
            label=self.label,
        )
        if self.layout.header_row:
            next(rows, None)
        return rows


def _looks_like_names(row: list[str]) -> bool:
    """Short, distinct cells of which two or more are usual column names (`Term`,
    `Definition`, `Tags` …), one of them a front or back."""
    cells = [c.strip().casefold() for c in row]
    known = [c for c in cells if c in _HEADER_WORDS]
    return (
        len(known) >= 2
        and all(0 < len(c) <= 40 for c in cells)
        and len(set(cells)) == len(cells)
        and any(_NAMED_ROLES.get(c) in (ColumnRole.FRONT, ColumnRole.BACK) for c in cells)
    )


def _default_roles(
    header: Header, names: tuple[str, ...], count: int, *, label: str
) -> list[ColumnRole]:
    """Roles from the header's `#… column:` lines, then column names, then position:
    the first other column is the front and the rest are the back."""
    roles: list[ColumnRole | None] = [None] * count
    explicit = (
        (header.notetype_column, ColumnRole.NOTETYPE, "#notetype column"),
        (header.deck_column, ColumnRole.DECK, "#deck column"),
        (header.tags_column, ColumnRole.TAGS, "#tags column"),
        (header.guid_column, ColumnRole.GUID, "#guid column"),
    )
    for column, role, key in explicit:
        if column is None:
            continue
        if roles[column] is not None:
            raise InteropError(
                label, f"column {column + 1} is named by {key} and by another header line"
            )
        roles[column] = role
    for index, name in enumerate(names):
        named = _NAMED_ROLES.get(name.strip().casefold())
        # A `#tags column:N` (or any explicit line) wins over a column named Tags.
        if named is None or roles[index] is not None:
            continue
        if named in SINGLE_ROLES and named in roles:
            continue
        roles[index] = named
    if ColumnRole.FRONT not in roles and None in roles:
        roles[roles.index(None)] = ColumnRole.FRONT
    return [ColumnRole.BACK if r is None else r for r in roles]


def check_roles(roles: tuple[ColumnRole, ...], *, label: str) -> None:
    """InteropError unless one column is the front and no single role is taken twice."""
    if ColumnRole.FRONT not in roles:
        raise InteropError(label, "no column is mapped to Front")
    for role in SINGLE_ROLES:
        columns = [str(i + 1) for i, r in enumerate(roles) if r is role]
        if len(columns) > 1:
            raise InteropError(
                label, f"columns {' and '.join(columns)} are both mapped to {role.label}"
            )


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
    not `check`, and for a row that cannot be read (naming its line)."""
    options = options or CsvOptions()
    lines = source if isinstance(source, TextLines) else TextLines(label, text=source)
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
    for _line, row in csv_rows(lines, skip=header.lines, separator=separator, label=label):
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
        header_row = not header.columns and bool(first) and _looks_like_names(first[0])
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
        roles = tuple(_default_roles(header, names, columns, label=label))
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
