"""The browser's columns: what each shows, how it sorts, how it formats a value."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt

from flashcards.collection.browse import CardRow
from flashcards.core.math_tex import plain_math
from flashcards.core.model import CardState
from flashcards.storage.card_search import SortColumn

# A browser column is named by the key it sorts by: one vocabulary from the search layer
# up. SortColumn.FILE_ORDER (deck file order, i.e. unsorted) is the one key without a
# column; SPECS lists the columns, in their default order.
Column = SortColumn


def _date(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d") if value is not None else ""


def _days(value: float | None) -> str:
    if value is None:
        return ""
    if value < 1:
        return f"{max(round(value * 24), 1)}h"
    if value < 60:
        return f"{round(value)}d"
    if value < 365:
        return f"{value / 30:.1f}mo"
    return f"{value / 365:.1f}y"


def _state(row: CardRow) -> str:
    if row.suspended:
        return "Suspended"
    if row.buried:
        return "Buried"
    return {
        CardState.NEW: "New",
        CardState.LEARNING: "Learning",
        CardState.REVIEW: "Review",
        CardState.RELEARNING: "Relearning",
    }[row.state]


def _number(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


@dataclass(frozen=True)
class ColumnSpec:
    column: Column
    title: str
    text: Callable[[CardRow], str]
    numeric: bool = False  # right-aligned
    width: int = 90


SPECS: dict[Column, ColumnSpec] = {
    spec.column: spec
    for spec in (
        ColumnSpec(Column.PROMPT, "Prompt", lambda r: plain_math(r.prompt), width=340),
        ColumnSpec(Column.DECK, "Deck", lambda r: r.deck, width=180),
        ColumnSpec(Column.DOMAIN, "Domain", lambda r: r.domain or "", width=130),
        ColumnSpec(Column.TAGS, "Tags", lambda r: " ".join(r.tags), width=120),
        ColumnSpec(Column.STATE, "State", _state, width=86),
        ColumnSpec(Column.DUE, "Due", lambda r: _date(r.due), width=92),
        ColumnSpec(
            Column.INTERVAL,
            "Interval",
            lambda r: _days(r.interval_days),
            numeric=True,
            width=70,
        ),
        ColumnSpec(
            Column.STABILITY,
            "Stability",
            lambda r: _days(r.stability),
            numeric=True,
            width=74,
        ),
        ColumnSpec(
            Column.DIFFICULTY,
            "Difficulty",
            lambda r: _number(r.difficulty),
            numeric=True,
            width=74,
        ),
        ColumnSpec(
            Column.RETRIEVABILITY,
            "Recall now",
            lambda r: "" if r.retrievability is None else f"{r.retrievability:.0%}",
            numeric=True,
            width=82,
        ),
        ColumnSpec(Column.REVIEWS, "Reviews", lambda r: str(r.reviews), True, 64),
        ColumnSpec(Column.LAPSES, "Lapses", lambda r: str(r.lapses), True, 60),
        ColumnSpec(Column.ADDED, "Added", lambda r: _date(r.added), width=92),
        ColumnSpec(Column.MODIFIED, "Modified", lambda r: _date(r.modified), width=92),
    )
}

DEFAULT_COLUMNS: tuple[Column, ...] = (
    Column.PROMPT,
    Column.DECK,
    Column.TAGS,
    Column.STATE,
    Column.DUE,
    Column.INTERVAL,
    Column.RETRIEVABILITY,
    Column.LAPSES,
)

ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
ALIGN_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def columns_from_setting(value: object) -> tuple[Column, ...]:
    """Columns saved in QSettings (a list of keys); the defaults if unreadable."""
    if isinstance(value, str):
        value = [v for v in value.split(",") if v]
    if not isinstance(value, list):
        return DEFAULT_COLUMNS
    known = {c.value: c for c in SPECS}
    chosen = tuple(known[v] for v in value if isinstance(v, str) and v in known)
    return chosen if chosen else DEFAULT_COLUMNS
