"""What a package's rows may hold before we convert them: the types and ranges Anki's own
reader accepts (it refuses a card whose `due` does not fit an i32, or a note whose fields
are a blob), and dates we can represent. A stranger's package that breaks them is refused
with the table and row named, not a traceback from deep in the conversion.

Checked in SQL, one pass per table that stops at the first bad row.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from flashcards.core.errors import InteropError

_I8 = (-(2**7), 2**7 - 1)
_U8 = (0, 2**8 - 1)
_U16 = (0, 2**16 - 1)
_I32 = (-(2**31), 2**31 - 1)
_U32 = (0, 2**32 - 1)
# A date must stay a date: epoch seconds (and ms) from 1970 to the year 3000, and a span of
# days (a review card's due day, an interval) within about 550 years of it.
_EPOCH_S = (0, 32_503_680_000)
_EPOCH_MS = (0, 32_503_680_000_000)
_DAYS = (-200_000, 200_000)


class _Rule(NamedTuple):
    column: str
    kind: str  # SQLite typeof(): "integer" or "text"
    bounds: tuple[int, int] | None = None
    when: str = ""  # an SQL condition: the bounds hold only for rows that meet it
    why: str = ""  # what the bounds are, for the message


_RULES: dict[str, tuple[_Rule, ...]] = {
    "notes": (
        _Rule("id", "integer"),
        _Rule("guid", "text"),
        _Rule("mid", "integer"),
        _Rule("mod", "integer"),
        _Rule("tags", "text"),
        _Rule("flds", "text"),
    ),
    "cards": (
        _Rule("id", "integer"),
        _Rule("nid", "integer"),
        _Rule("did", "integer"),
        _Rule("ord", "integer", _U16),
        _Rule("type", "integer", _U8),
        _Rule("queue", "integer", _I8),
        _Rule("due", "integer", _I32),
        _Rule("due", "integer", _DAYS, "type = 2", "a review card's due day"),
        _Rule("ivl", "integer", _U32),
        _Rule("ivl", "integer", _DAYS, "type = 2", "a review card's interval in days"),
        _Rule("factor", "integer", _U16),
        _Rule("reps", "integer", _U32),
        _Rule("lapses", "integer", _U32),
        _Rule("odid", "integer"),
        _Rule("odue", "integer", _I32),
        _Rule("odue", "integer", _DAYS, "type = 2 AND odid != 0", "a review card's due day"),
        _Rule("flags", "integer", _U8),
    ),
    "revlog": (
        _Rule("id", "integer", _EPOCH_MS, "", "its time, epoch ms from 1970 to the year 3000"),
        _Rule("cid", "integer"),
        _Rule("ease", "integer", _U8),
        _Rule("ivl", "integer", _I32),
        _Rule("ivl", "integer", (_I32[0], _DAYS[1]), "", "an interval in days"),
        _Rule("lastIvl", "integer", _I32),
        _Rule("factor", "integer", _U32),
        _Rule("time", "integer", _U32),
        _Rule("type", "integer", _U8),
    ),
    "col": (_Rule("crt", "integer", _EPOCH_S, "", "epoch seconds from 1970 to the year 3000"),),
}


def _broken(rule: _Rule) -> str:
    """An SQL condition true for a row that breaks `rule`."""
    col = f'"{rule.column}"'
    test = f"typeof({col}) != '{rule.kind}'"
    if rule.bounds is not None:
        low, high = rule.bounds
        outside = f"{col} NOT BETWEEN {low} AND {high}"
        test += f" OR ({rule.when} AND {outside})" if rule.when else f" OR {outside}"
    return f"({test})"


_KINDS = {int: "integer", str: "text", bytes: "blob", float: "real", type(None): "null"}


def _describe(rule: _Rule, value: object) -> str:
    kind = _KINDS.get(type(value), type(value).__name__)
    if kind != rule.kind:
        return f"{rule.column} is {'a ' if kind in ('blob', 'real') else ''}{kind}, not {rule.kind}"
    low, high = rule.bounds or (0, 0)
    what = f" ({rule.why})" if rule.why else ""
    return f"{rule.column} {_short(value)} is out of range{what}: {low} to {high}"


def check_rows(db: sqlite3.Connection, label: str) -> None:
    """Raise InteropError naming the first row (table, id) whose values Anki would not
    read, or whose dates we could not represent."""
    for table, rules in _RULES.items():
        where = " OR ".join(_broken(r) for r in rules)
        shown = "rowid" if table == "col" else '"id"'
        row = db.execute(f"SELECT rowid, {shown} FROM {table} WHERE {where} LIMIT 1").fetchone()
        if row is None:
            continue
        rowid, row_id = row
        for rule in rules:
            bad = db.execute(
                f'SELECT "{rule.column}" FROM {table} WHERE rowid = ? AND {_broken(rule)}',
                (rowid,),
            ).fetchone()
            if bad is not None:
                name = "the col row" if table == "col" else f"{table} row id={_short(row_id)}"
                raise InteropError(label, f"{name}: {_describe(rule, bad[0])}")


def _short(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."
