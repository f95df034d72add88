"""Search queries (a `core.query_ast` AST) as SQL over the cards table, FTS5 for text.

Every node becomes a boolean SQL expression over `cards c` with bound parameters;
free words and phrases become one FTS5 MATCH per group of siblings. Sorting is done
in SQL too (the keys in `card_sort`), so the browser only ever holds the ordered ids.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from flashcards.core.query_ast import (
    LEECH_LAPSES,
    Added,
    And,
    FieldMatch,
    FlagFilter,
    IsFilter,
    IsKind,
    MatchAll,
    Node,
    Not,
    Op,
    Or,
    Prop,
    PropFilter,
    Rated,
    TextField,
    Words,
    glob_to_like,
)
from flashcards.storage.card_sort import _INTERVAL, _RATIO, _sort_key
from flashcards.storage.card_sort import _SORT_SQL as _SORT_SQL
from flashcards.storage.card_sort import SORT_INDEXES as SORT_INDEXES
from flashcards.storage.card_sort import SortColumn as SortColumn
from flashcards.storage.card_sort import ensure_sort_index as ensure_sort_index

DAY = 86400
# FSRS-6 defaults (fsrs.Scheduler()._FACTOR/_DECAY): the forgetting curve for
# retrievability comparisons; presets with tuned decay differ by a little.
DEFAULT_DECAY = -0.1542
DEFAULT_FACTOR = 0.9 ** (1 / DEFAULT_DECAY) - 1


@dataclass(frozen=True)
class DomainRule:
    """What `domain:NAME` finds for a domain of an exam profile: the cards of the decks
    under `folder` (a key prefix ending in `/`; "" for the whole library) whose front
    matter names it, and every card its `query` (the domain's in exam.toml) matches."""

    name: str
    folder: str
    query: Node | None = None


@dataclass(frozen=True)
class SearchContext:
    """The moment a query is evaluated at (day boundaries from the collection), and the
    exam domains `domain:` expands to (a name no rule has: the front matter alone)."""

    now_s: int
    today: int  # study-day number (buried_until compares with it)
    day_start_s: int  # start of today, UTC epoch seconds
    day_end_s: int
    decay: float = DEFAULT_DECAY
    factor: float = DEFAULT_FACTOR
    domains: tuple[DomainRule, ...] = ()


_FLIP = {Op.LT: Op.GT, Op.LE: Op.GE, Op.GT: Op.LT, Op.GE: Op.LE, Op.EQ: Op.EQ, Op.NE: Op.NE}


class _Builder:
    def __init__(self, ctx: SearchContext) -> None:
        self.ctx = ctx
        self.params: dict[str, Any] = {"now": ctx.now_s}
        self._expanding: set[str] = set()  # a domain's query naming a domain: no loop

    def bind(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def sql(self, node: Node) -> str:
        if isinstance(node, MatchAll):
            return "1"
        if isinstance(node, And):
            return self._and(node.nodes)
        if isinstance(node, Or):
            return "(" + " OR ".join(self.sql(n) for n in node.nodes) + ")"
        if isinstance(node, Not):
            # NULL (an unknown property) must count as "does not match" on both sides.
            return f"(NOT COALESCE({self.sql(node.node)}, 0))"
        if isinstance(node, Words):
            return self._fts([node])
        if isinstance(node, FieldMatch):
            return self._field(node)
        if isinstance(node, IsFilter):
            return self._is(node.kind)
        if isinstance(node, PropFilter):
            return self._prop(node)
        if isinstance(node, FlagFilter):
            return f"c.flag = {self.bind(node.flag)}"
        if isinstance(node, Rated):
            cut = (self.ctx.day_start_s - (node.days - 1) * DAY) * 1000
            rating = f" AND rating = {self.bind(node.rating)}" if node.rating else ""
            return (
                "c.id IN (SELECT card_id FROM reviews WHERE kind = 'review' "
                f"AND time_ms >= {self.bind(cut)}{rating})"
            )
        if isinstance(node, Added):
            return f"c.added >= {self.bind(self.ctx.day_start_s - (node.days - 1) * DAY)}"
        raise TypeError(f"not a query node: {node!r}")

    def _and(self, nodes: Sequence[Node]) -> str:
        words = [n for n in nodes if isinstance(n, Words)]
        rest = [self.sql(n) for n in nodes if not isinstance(n, Words)]
        if words:
            rest.insert(0, self._fts(words))  # one MATCH for all the words
        return "(" + " AND ".join(rest) + ")"

    def _fts(self, words: Sequence[Words]) -> str:
        symbols = [w for w in words if not any(ch.isalnum() for ch in w.text)]
        if symbols:
            # FTS5 drops punctuation-only tokens: look for `==` or `->` as a substring.
            parts = [self._substring(w.text) for w in symbols]
            rest = [w for w in words if w not in symbols]
            if rest:
                parts.insert(0, self._fts(rest))
            return "(" + " AND ".join(parts) + ")"
        terms = []
        for w in words:
            quoted = '"' + w.text.replace('"', '""') + '"'
            # Words match as prefixes while typing; phrases only as written (or with *).
            terms.append(quoted + ("*" if (not w.phrase or w.prefix) else ""))
        match = self.bind(" ".join(terms))
        return f"c.rowid IN (SELECT rowid FROM cards_fts WHERE cards_fts MATCH {match})"

    def _substring(self, needle: str) -> str:
        p = self.bind("%" + glob_to_like(needle) + "%")
        return (
            "("
            + " OR ".join(f"c.{col} LIKE {p} ESCAPE '\\'" for col in ("title", "prompt", "answer"))
            + ")"
        )

    def _like(self, column: str, pattern: str) -> str:
        return f"{column} LIKE {self.bind(pattern)} ESCAPE '\\'"

    def _field(self, node: FieldMatch) -> str:
        like = glob_to_like(node.pattern)
        if node.field is TextField.KIND:
            return f"c.kind = {self.bind(node.pattern.lower())}"
        if node.field is TextField.DOMAIN:
            return self._domain(node.pattern, like)
        if node.field is TextField.TAG:
            # Tags nest with `::` (Anki's convention): tag:aws also finds aws::s3.
            if not any(ch in node.pattern for ch in '*"\\'):
                # A plain name: two LIKEs over the stored JSON text ("name" or "name::…
                # between quotes), no per-card json_each. Patterns with wildcards could
                # match across two tags there, so they take the exact path below.
                exact = self._like("c.tags", f'%"{like}"%')
                nested = self._like("c.tags", f'%"{like}::%')
                return f"({exact} OR {nested})"
            value = "json_each.value"
            # A plain substring test first: cheap, and most cards fail it.
            chunk = max(node.pattern.split("*"), key=len)
            quick = f"{self._like('c.tags', '%' + glob_to_like(chunk) + '%')} AND " if chunk else ""
            return (
                f"({quick}EXISTS (SELECT 1 FROM json_each(c.tags) WHERE "
                f"{self._like(value, like)} OR {self._like(value, like + '::%')}))"
            )
        conditions = [
            self._like("name", like),
            self._like("name", like + "::%"),  # a folder name: every deck under it
            self._like("title", like),
            self._like("key", like),
            self._like("key", like + ".md"),
            self._like("key", like + "/%"),
        ]
        return f"c.deck_id IN (SELECT id FROM decks WHERE {' OR '.join(conditions)})"

    def _domain(self, pattern: str, like: str) -> str:
        """`domain:PATTERN`: an exam domain's cards (its rule) for every domain the
        pattern names, else the cards whose front matter names a matching domain."""
        wanted = re.compile(
            "".join(".*" if ch == "*" else re.escape(ch) for ch in pattern.casefold()),
            re.DOTALL,
        )
        rules = [
            r
            for r in self.ctx.domains
            if wanted.fullmatch(r.name.casefold()) and r.name.casefold() not in self._expanding
        ]
        if not rules:
            return self._like("c.domain", like)
        parts = []
        for rule in rules:
            name = self.bind(rule.name)
            folder = self.bind(rule.folder)
            decks = (
                "c.deck_id IN (SELECT id FROM decks WHERE present = 1 AND "
                f"({folder} = '' OR substr(key, 1, length({folder})) = {folder}))"
            )
            parts.append(f"(c.domain = {name} COLLATE NOCASE AND {decks})")
            if rule.query is not None:
                self._expanding.add(rule.name.casefold())
                parts.append(self.sql(rule.query))
                self._expanding.discard(rule.name.casefold())
        return "(" + " OR ".join(parts) + ")"

    def _is(self, kind: IsKind) -> str:
        ctx = self.ctx
        if kind is IsKind.NEW:
            return "c.state = 0"
        if kind is IsKind.LEARNING:
            return "c.state IN (1, 3)"
        if kind is IsKind.REVIEW:
            return "c.state = 2"
        if kind is IsKind.DUE:
            # As in Anki: waiting to be studied today, so not suspended or buried.
            return (
                f"(c.state != 0 AND c.due < {self.bind(ctx.day_end_s)} "
                f"AND c.suspended = 0 AND c.buried_until < {self.bind(ctx.today)})"
            )
        if kind is IsKind.SUSPENDED:
            return "c.suspended = 1"
        if kind is IsKind.BURIED:
            return f"c.buried_until >= {self.bind(ctx.today)}"
        if kind is IsKind.FLAGGED:
            return "c.flag != 0"
        assert kind is IsKind.LEECH
        # Tagged a leech when a lapse reached its preset's threshold (or in Anki), or
        # forgotten as often as the default threshold.
        tagged = self._like("c.tags", '%"leech"%')
        return f"(c.lapses >= {LEECH_LAPSES} OR {tagged})"

    def _prop(self, node: PropFilter) -> str:
        prop, op, value = node.prop, node.op, node.value
        if prop is Prop.DUE:
            return self._due_days(op, value)
        if prop is Prop.RETRIEVABILITY:
            # R = (1 + factor·ratio)^decay falls as ratio grows: compare the ratio instead,
            # so no pow() is needed and the comparison flips.
            if value <= 0:
                threshold = 1e18
            else:
                threshold = (value ** (1 / self.ctx.decay) - 1) / self.ctx.factor
            return f"{_RATIO} {_FLIP[op].value} {self.bind(threshold)}"
        column = {
            Prop.STABILITY: "c.stability",
            Prop.DIFFICULTY: "c.difficulty",
            Prop.INTERVAL: _INTERVAL,
            Prop.REVIEWS: "c.reps",
            Prop.LAPSES: "c.lapses",
        }[prop]
        return f"{column} {op.value} {self.bind(value)}"

    def _due_days(self, op: Op, value: float) -> str:
        """Due `value` study days from today (0 = today); compares whole days."""
        start = self.ctx.day_start_s

        def at(days: float) -> str:
            return self.bind(start + int(days) * DAY)

        low = math.floor(value) if op in (Op.GT, Op.LE) else math.ceil(value)
        base = "c.state != 0 AND "
        if op is Op.LT:
            return f"({base}c.due < {at(low)})"
        if op is Op.LE:
            return f"({base}c.due < {at(low + 1)})"
        if op is Op.GT:
            return f"({base}c.due >= {at(low + 1)})"
        if op is Op.GE:
            return f"({base}c.due >= {at(low)})"
        day = math.floor(value)
        inside = f"c.due >= {at(day)} AND c.due < {at(day + 1)}"
        if op is Op.EQ:
            return f"({base}{inside})"
        return f"({base}NOT ({inside}))"


def _words_lead(node: Node) -> bool:
    """Whether the query's text index matches drive it (free words at its top level)."""
    parts = node.nodes if isinstance(node, And) else (node,)
    return any(isinstance(n, Words) for n in parts)


def where_sql(node: Node, ctx: SearchContext) -> tuple[str, dict[str, Any]]:
    """The WHERE condition (over `cards c`, visible cards only) and its parameters."""
    builder = _Builder(ctx)
    condition = builder.sql(node)
    if _words_lead(node):
        # Words narrow the cards most: start from their FTS matches. (`+` keeps SQLite
        # from scanning the whole browse index in file order and probing each card.)
        return f"+c.present = 1 AND {condition}", builder.params
    return f"c.present = 1 AND {condition}", builder.params


BROWSE_INDEXES = (
    # A narrow copy of every column the query language filters on, in file order: a
    # search scans this (a few MB) instead of the wide card rows with their prompt
    # and answer text, and the default listing needs no sort at all.
    "CREATE INDEX IF NOT EXISTS ix_cards_browse ON cards (present, deck_id, position, id, "
    "state, due, stability, difficulty, last_review, reps, lapses, flag, suspended, "
    "buried_until, added, modified, kind, domain, tags)",
)


def ensure_browse_indexes(session: Session) -> None:
    """Create the indexes the browser's searches rely on (idempotent and cheap)."""
    for ddl in BROWSE_INDEXES:
        session.execute(text(ddl))


def search_ids(
    session: Session,
    node: Node,
    ctx: SearchContext,
    *,
    order: SortColumn = SortColumn.FILE_ORDER,
    descending: bool = False,
    limit: int | None = None,
) -> list[str]:
    """Ids of the visible cards matching `node`, sorted in SQL (ties in file order)."""
    where, params = where_sql(node, ctx)
    direction = "DESC" if descending else "ASC"
    tables = "cards c"
    if order is SortColumn.FILE_ORDER:
        order_by = f"c.deck_id {direction}, c.position {direction}, c.id {direction}"
    else:
        key = _sort_key(order, descending=descending)
        # The order is total (ids last), so a first page and the whole list always agree.
        ties = "c.deck_id, c.position, c.id"
        if order is SortColumn.DECK:
            # Decks in name order, each one's cards in file order: a first page reads
            # its own rows. When words lead, their matches do, and are sorted.
            join = "JOIN" if _words_lead(node) else "CROSS JOIN"
            tables = f"decks d {join} cards c ON c.deck_id = d.id"
            ties = "d.id, c.position, c.id"  # the same, in terms the deck loop runs in
        order_by = f"{key} {direction}, {ties}"
    sql = f"SELECT c.id AS id FROM {tables} WHERE {where} ORDER BY {order_by}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    # Straight through the DB-API cursor, and as one string: building 100,000 row
    # tuples costs more than the query itself. (SQLite aggregates an ordered subquery
    # in its order; ids never contain a newline.)
    raw = session.connection().connection.driver_connection
    assert raw is not None
    joined = raw.execute(f"SELECT group_concat(id, char(10)) FROM ({sql})", params).fetchone()
    return joined[0].split("\n") if joined and joined[0] else []


def count(session: Session, node: Node, ctx: SearchContext) -> int:
    """How many visible cards match `node`."""
    where, params = where_sql(node, ctx)
    return int(
        session.execute(text(f"SELECT COUNT(*) FROM cards c WHERE {where}"), params).scalar_one()
    )
