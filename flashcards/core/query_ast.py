"""The search language's AST: what `query.parse_query` builds and `storage.card_search`
turns into SQL (no Qt, no SQL here)."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class IsKind(enum.Enum):
    NEW = "new"
    DUE = "due"
    LEARNING = "learning"
    REVIEW = "review"
    SUSPENDED = "suspended"
    BURIED = "buried"
    FLAGGED = "flagged"
    LEECH = "leech"


class Prop(enum.Enum):
    """Numeric card properties `prop:` can compare."""

    STABILITY = "stability"
    DIFFICULTY = "difficulty"
    INTERVAL = "interval"  # days between the last review and the due date
    RETRIEVABILITY = "retrievability"  # probability of recall now, 0–1
    REVIEWS = "reviews"
    LAPSES = "lapses"
    DUE = "due"  # days from today (negative: overdue)


class Op(enum.Enum):
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    EQ = "="
    NE = "!="


class TextField(enum.Enum):
    """`field:value` filters that match text (with `*` wildcards)."""

    DECK = "deck"
    TAG = "tag"
    DOMAIN = "domain"
    KIND = "kind"


LEECH_LAPSES = 8
"""`is:leech`: cards forgotten this many times or more."""


@dataclass(frozen=True)
class Words:
    """Free text: `phrase` keeps the words together and in order."""

    text: str
    phrase: bool = False
    prefix: bool = False  # a trailing `*`: match words starting with the last one


@dataclass(frozen=True)
class FieldMatch:
    field: TextField
    pattern: str  # as typed, `*` a wildcard


@dataclass(frozen=True)
class IsFilter:
    kind: IsKind


@dataclass(frozen=True)
class PropFilter:
    prop: Prop
    op: Op
    value: float


@dataclass(frozen=True)
class FlagFilter:
    flag: int  # 0 (none) to 4


@dataclass(frozen=True)
class Rated:
    """Answered (a scheduled review) within the last `days` study days."""

    days: int
    rating: int | None = None


@dataclass(frozen=True)
class Added:
    """Added within the last `days` study days."""

    days: int


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class And:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class MatchAll:
    """The empty query: every card."""


Node = (
    Words
    | FieldMatch
    | IsFilter
    | PropFilter
    | FlagFilter
    | Rated
    | Added
    | Not
    | And
    | Or
    | MatchAll
)


def glob_to_like(pattern: str) -> str:
    """A `*`-wildcard pattern as a SQL LIKE pattern with `\\` as the escape character."""
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")
