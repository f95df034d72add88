"""A text file's own header lines (Anki's `#separator:`, `#columns:`, `#tags column:` …)
and the separators a file's cells may be split by: named, given, or guessed from a row."""

from __future__ import annotations

from dataclasses import dataclass

from flashcards.core.errors import InteropError

SEPARATORS = {
    "comma": ",",
    "semicolon": ";",
    "tab": "\t",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}
SEPARATOR_NAMES = {char: name for name, char in SEPARATORS.items()}


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
    # `#spreadsheet safe:true` (our export's option): a cell's first `'` is an escape
    spreadsheet_safe: bool = False
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
        elif key == "spreadsheet safe":
            header.spreadsheet_safe = value.strip().lower() == "true"
        header.lines = index + 1
    return header


def sniff_separator(sample: list[str]) -> str:
    """Tab, semicolon, pipe or comma: the first that splits the first row."""
    first = next((line for line in sample if line.strip()), "")
    for candidate in ("\t", ";", "|", ","):
        if candidate in first:
            return candidate
    return ","
