"""The readiness forecast's pass over the cards, arranged so that 100,000 cards cost
a few SQL scans, not 100,000 rows in Python.

A card's expected recall on the exam day (the model is in `core/readiness.py`) needs a
simulation only for a card that will be reviewed before the day; those rows come to
Python, where numpy runs `core.readiness.expected_recall` over all of them at once.
Every other card is summed in SQL: a new card counts at the prior, a card not reviewed
before the day at FSRS's forgetting curve (`pow`, the same formula as
`core.readiness.forgetting_curve`; tests check the two agree card by card).

Domain membership is evaluated in SQL too: the front-matter domain as an index into the
profile's domains, and each query domain as one bit (its search condition, from the
browser's query language, inlined). The bits read a card's text, tags and deck, the
costly part with query domains, so each card's are worked out once: the two statements
take disjoint halves of the cards (those to simulate and the others), and the sums are
grouped by deck and bits, three a card, then spread over the domains in Python.
"""

from __future__ import annotations

import math
import re
import sqlite3
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from flashcards.collection.browse import search_context
from flashcards.collection.collection import Collection
from flashcards.collection.exam import ProfileRef
from flashcards.collection.queue import DEFAULT_PRESET_ID
from flashcards.core.query import parse_query
from flashcards.core.readiness import CardTable, curve_constants, expected_recall
from flashcards.core.scheduling import Preset
from flashcards.storage.card_search import ensure_browse_indexes, where_sql

_PARAM = re.compile(r":(now|p\d+)\b")
_indexed: weakref.WeakSet[Collection] = weakref.WeakSet()  # browse indexes made (once)

# A card with a memory state (new ones have none; imported oddities without one count new).
STUDIED = "(c.state != 0 AND c.stability > 0 AND c.last_review IS NOT NULL)"


@dataclass
class Sums:
    """Cards, new cards and summed expected recall of a group of cards."""

    cards: int = 0
    new: int = 0
    recall: float = 0.0

    def add(self, cards: int, new: int, recall: float) -> None:
        self.cards += cards
        self.new += new
        self.recall += recall

    def mean(self, default: float) -> float:
        return self.recall / self.cards if self.cards else default


@dataclass
class Scan:
    """Sums per profile domain (in its order; not kept by tag, where a card counts once
    per tag) and per group: deck id, or tag (the profile's cards only)."""

    domains: list[Sums]
    groups: dict[Any, Sums] = field(default_factory=dict)


def ensure_math(raw: sqlite3.Connection) -> None:
    """SQLite's `pow` (a build option): registered from Python where it is missing."""
    try:
        raw.execute("SELECT pow(2.0, 0.5)").fetchone()
    except sqlite3.OperationalError:
        raw.create_function("pow", 2, math.pow, deterministic=True)


class Membership:
    """A profile's domains as SQL over `cards c`: `qbits` (bit k set: query domain k
    matches) with its parameters; `front_matter(deck)` is a deck's domain index."""

    def __init__(self, col: Collection, ref: ProfileRef, now: datetime) -> None:
        self.ref = ref
        self.params: dict[str, Any] = {}
        self.bit: dict[int, int] = {}  # domain index -> bit
        parts = []
        ctx = search_context(col, now=now)
        for index, domain in enumerate(ref.profile.domains):
            if not domain.query:
                continue
            bit = len(self.bit)
            self.bit[index] = bit
            where, params = where_sql(parse_query(domain.query), ctx)
            # Each condition's parameters get their own names (the builder numbers from
            # p1 every time; the SQL holds no literal text, only bound parameters).
            prefix = f"q{bit}_"
            renamed = _PARAM.sub(r":" + prefix + r"\1", where)
            parts.append(f"(CASE WHEN {renamed} THEN {1 << bit} ELSE 0 END)")
            self.params.update({prefix + k: v for k, v in params.items()})
        self.qbits = " + ".join(parts) if parts else "0"

    def front_matter(self, deck_key: str, domain: str | None) -> int:
        """The index of the profile domain a deck joins by front matter, or -1 (a card's
        domain is its deck's)."""
        if domain is None or not self.ref.covers_deck(deck_key):
            return -1
        wanted = domain.strip().casefold()
        names = [d.name.casefold() for d in self.ref.profile.domains]
        return names.index(wanted) if wanted in names else -1

    def domains_of(self, fm: int, qbits: int) -> list[int]:
        """The domain indexes a card with these values belongs to (each once)."""
        found = {fm} if fm >= 0 else set()
        found.update(i for i, bit in self.bit.items() if qbits >> bit & 1)
        return sorted(found)


@dataclass(frozen=True)
class DeckRow:
    id: int
    key: str
    preset_id: int
    name: str
    domain: str | None


def deck_rows(raw: sqlite3.Connection) -> list[DeckRow]:
    """Every present deck."""
    rows = raw.execute("SELECT id, key, preset_id, name, domain FROM decks WHERE present = 1")
    return [DeckRow(int(i), str(k), int(p), str(n), d) for i, k, p, n, d in rows]


def presets_in_order(col: Collection) -> tuple[list[Preset], dict[int, int]]:
    """Presets as a list, and preset id -> position in it."""
    ids = sorted(col.presets())
    return [col.presets()[i] for i in ids], {pid: n for n, pid in enumerate(ids)}


def _deck_params(decks: Sequence[DeckRow], col: Collection, member: Membership) -> str:
    """`dp(id, fm, pi, f, decay)`: each deck's front-matter domain index, preset
    position and forgetting curve, as a VALUES list (numbers only)."""
    presets, position = presets_in_order(col)
    rows = []
    for deck in decks:
        pi = position.get(deck.preset_id, position[DEFAULT_PRESET_ID])
        decay, factor = curve_constants(presets[pi])
        fm = member.front_matter(deck.key, deck.domain)
        rows.append(f"({deck.id}, {fm}, {pi}, {factor!r}, {decay!r})")
    values = ", ".join(rows) or "(NULL, -1, 0, 1.0, -0.5)"
    return f"dp(id, fm, pi, f, decay) AS (VALUES {values})"


def review_budget(col: Collection, now: datetime) -> dict[str, Any]:
    """The day-by-day review cap the forecast plays out (`expected_recall`'s keywords):
    the default preset's reviews a day, the cap on studying every deck together, less
    the reviews already answered today, and when today's study day ends."""
    window = col._window(now)
    with col._read() as s:
        raw = s.connection().connection.driver_connection
        assert raw is not None
        (done,) = raw.execute(
            "SELECT count(*) FROM reviews WHERE time_ms >= ? AND kind = 'review' "
            "AND state_before = 2",
            (window.start_ms,),
        ).fetchone()
    return {
        "day_end": float(window.end_s),
        "reviews_per_day": col.presets()[DEFAULT_PRESET_ID].reviews_per_day,
        "reviewed_today": int(done),
    }


def _add_deck_sums(result: Scan, rows: Sequence[Any], member: Membership, prior: float) -> None:
    """Rows of (deck, membership bits, front-matter index, count, new, recall sum) into
    domain and deck sums: a deck's cards of the profile are those of any of its domains."""
    for deck, qbits, fm, count, new, total in rows:
        found = member.domains_of(int(fm), int(qbits))
        if not found:
            continue
        sums = (int(count), int(new or 0), (total or 0.0) + (new or 0) * prior)
        for index in found:
            result.domains[index].add(*sums)
        result.groups.setdefault(deck, Sums()).add(*sums)


def scan(
    col: Collection,
    ref: ProfileRef,
    *,
    now: datetime,
    at: datetime,
    prior: float,
    by_tag: bool = False,
) -> Scan:
    """Sums of expected recall at `at` over the profile's cards, per domain and per deck
    (`by_tag`: per tag instead, and no domain sums)."""
    if not col.db.readonly and col not in _indexed:
        with col._write() as s:
            ensure_browse_indexes(s)  # the narrow index covers every column read here
        _indexed.add(col)
    presets, _position = presets_in_order(col)
    result = Scan(domains=[Sums() for _ in ref.profile.domains])
    at_s, now_s = at.timestamp(), now.timestamp()
    with col._read() as s:
        raw = s.connection().connection.driver_connection
        assert raw is not None
        ensure_math(raw)
        decks = deck_rows(raw)
        member = Membership(col, ref, now)
        params = {**member.params, "at": at_s}
        group = "j.value" if by_tag else "c.deck_id"
        recall_sql = (
            f"CASE WHEN {STUDIED} THEN "
            "pow(1 + dp.f * max(:at - c.last_review, 0) / 86400.0 / c.stability, dp.decay) END"
        )
        ahead_sql = f"ifnull({STUDIED} AND c.suspended = 0 AND c.due < :at, 0)"

        def source(ahead: bool) -> str:
            """The cards simulated (`ahead`: reviewed before the day) or the others, as
            a subquery: the split is made in its WHERE, so the membership bits (with
            query domains, the costly column) are worked out once a card, not once in
            each of the two statements."""
            inner = (
                f"SELECT dp.fm AS fm, {member.qbits} AS qbits, {group} AS grp, "
                f"c.deck_id AS deck, c.rowid AS cid, NOT {STUDIED} AS new, "
                # recall on the day of a card not reviewed before it (once a card: the
                # sums below may use it several times)
                + ("NULL" if ahead else recall_sql)
                + " AS r, c.stability AS s, c.difficulty AS d, c.due AS due, "
                "c.last_review AS last "
                # dp first (CROSS JOIN fixes the order): each deck's cards by the index;
                # the other way round SQLite may scan dp, unindexed, once a card.
                "FROM dp CROSS JOIN cards c ON c.deck_id = dp.id"
                + (", json_each(c.tags) j" if by_tag else "")
                + f" WHERE c.present = 1 AND {'' if ahead else 'NOT '}{ahead_sql}"
            )
            # With query domains, `LIMIT -1` keeps SQLite from flattening the subquery,
            # which would copy every query's condition into each use of `qbits` (many
            # per row).
            return f"({inner} LIMIT -1)" if member.bit else f"({inner})"

        head = f"WITH {_deck_params(decks, col, member)} "
        mine = "(fm >= 0 OR qbits > 0)"
        if by_tag:
            groups = raw.execute(
                head + "SELECT fm, qbits, grp, count(*), sum(new), sum(r) "
                f"FROM {source(False)} WHERE {mine} GROUP BY fm, qbits, grp",
                params,
            ).fetchall()
        else:
            # By deck, and by membership bits within a deck when a domain has a query:
            # three sums a card (a sum per deck and domain cost six times that). Without
            # query domains, the scan's deck order serves the grouping (no sort).
            by_deck = raw.execute(
                head + "SELECT grp, qbits, max(fm), count(*), sum(new), sum(r) "
                f"FROM {source(False)} GROUP BY grp" + (", qbits" if member.bit else ""),
                params,
            ).fetchall()
        # The cards to simulate, as few columns as will do: a deck's front-matter domain
        # and preset come from its id; the membership bits only when a domain has a query.
        wanted = "deck, s, d, due, last, cid" + (", qbits" if member.bit else "")
        ahead = raw.execute(
            head + f"SELECT {wanted} FROM {source(True)} WHERE {mine}",
            params,
        ).fetchall()
        tags = (
            raw.execute(head + f"SELECT grp FROM {source(True)} WHERE {mine}", params).fetchall()
            if by_tag and ahead
            else []
        )
    if by_tag:
        for _fm, _qbits, key, count, new, total in groups:
            recall = (total or 0.0) + new * prior
            result.groups.setdefault(key, Sums()).add(int(count), int(new), recall)
    else:
        _add_deck_sums(result, by_deck, member, prior)
    if not ahead:
        return result
    rows = np.array(ahead, dtype=np.float64)
    deck = rows[:, 0].astype(np.int64)
    # By tag a card comes once per tag: simulated once (it takes one of a day's reviews).
    _cards, first, card_of = np.unique(rows[:, 5], return_index=True, return_inverse=True)
    size = max(int(deck.max()), max((d.id for d in decks), default=0)) + 1
    fm_of = np.full(size, -1, dtype=np.int64)
    pi_of = np.zeros(size, dtype=np.int64)
    _p, position = presets_in_order(col)
    for d in decks:
        fm_of[d.id] = member.front_matter(d.key, d.domain)
        pi_of[d.id] = position.get(d.preset_id, position[DEFAULT_PRESET_ID])
    once = rows[first]
    recall = expected_recall(
        CardTable(
            studied=np.ones(len(once), dtype=bool),
            stability=once[:, 1].copy(),
            difficulty=once[:, 2].copy(),
            due=once[:, 3].copy(),
            last_review=once[:, 4].copy(),
            suspended=np.zeros(len(once), dtype=bool),
            preset=pi_of[deck[first]],
        ),
        at=at_s,
        now=now_s,
        presets=presets,
        new_prior=prior,
        **review_budget(col, now),
    )[card_of.reshape(-1)]
    if not by_tag:
        fms = fm_of[deck]
        qbits = rows[:, 6].astype(np.int64) if member.bit else np.zeros(len(rows), np.int64)
        for index, domain_sums in enumerate(result.domains):
            mask = fms == index
            if index in member.bit:
                mask |= (qbits >> member.bit[index] & 1) == 1
            domain_sums.add(int(mask.sum()), 0, float(recall[mask].sum()))
    keys = np.array([t[0] for t in tags]) if by_tag else deck
    unique, inverse = np.unique(keys, return_inverse=True)
    counts = np.bincount(inverse, minlength=len(unique))
    totals = np.bincount(inverse, weights=recall, minlength=len(unique))
    for n, key in enumerate(unique.tolist()):
        result.groups.setdefault(key, Sums()).add(int(counts[n]), 0, float(totals[n]))
    return result
