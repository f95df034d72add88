"""The role of each column of a text file (front, back, tags, deck, note type, id, or
ignored): named on the command line, guessed from the header lines and column names,
and checked (one front, no single role twice)."""

from __future__ import annotations

from enum import Enum

from flashcards.core.errors import InteropError
from flashcards.interop.csv_header import Header


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


def looks_like_names(row: list[str]) -> bool:
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


def default_roles(
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
