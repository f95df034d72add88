"""The daily queue: learning cards due now → reviews (lowest retrievability first) → new
cards in the preset's gather and sort orders (`new_cards.py`), within each deck's daily
limits.

Indexed queries build it: learning cards by due time, reviews ranked by elapsed/stability
(each deck's review limit applied as rows arrive), and new cards deck by deck.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import text
from sqlalchemy.orm import Session

from flashcards.collection.new_cards import QuestionLayouts, gather_new
from flashcards.core.deadline import DeckPace
from flashcards.core.exam import DOMAIN_PREFIX
from flashcards.core.model import CardId
from flashcards.core.queue_order import one_per_note
from flashcards.core.scheduling import Preset

DEFAULT_PRESET_ID = 1


@dataclass(frozen=True)
class DeckRef:
    """A deck in a queue selection, with what the queue needs to know about it."""

    id: int
    key: str
    name: str
    domain: str | None
    preset_id: int
    stamp: str = ""  # the deck file's sha1: facts read from its content are kept by it


@dataclass(frozen=True)
class CardScope:
    """Part of a selection's decks: an exam domain whose query takes only some cards of a
    deck (collection/domain_scope.py). `cards`: the cards taken of each such deck; the
    selection's other decks count whole."""

    cards: Mapping[int, frozenset[str]]

    def holds(self, card_id: str, deck_id: int) -> bool:
        """Whether a card of deck `deck_id` is in the selection."""
        part = self.cards.get(deck_id)
        return part is None or card_id in part


@dataclass(frozen=True)
class Window:
    """The study day a queue is built for."""

    today: int  # day number
    start_ms: int  # day start, epoch ms (for today's review-log counts)
    end_s: int  # day end, epoch s (reviews due before it are due today)
    now_s: int


@dataclass
class Queue:
    """Card ids in the order they will be shown, by part."""

    learning: list[CardId] = field(default_factory=list)
    reviews: list[CardId] = field(default_factory=list)
    new: list[CardId] = field(default_factory=list)

    def ids(self) -> list[CardId]:
        return [*self.learning, *self.reviews, *self.new]


def select_decks(
    decks: Sequence[DeckRef], deck: str | None, *, subdecks: bool = False
) -> list[DeckRef]:
    """The decks a selection names: None = all; a deck key or name (with `subdecks`, its
    sub-decks too, as an Anki export of a deck takes its children: `A::B`, `A::B::C`,
    the files in the folder `a/` beside `a.md`); a folder (a key prefix such as
    `aws-ml-specialty/` or a name prefix `AWS ML Specialty`); or `domain:NAME`, the
    decks whose front matter names it (any case), which a session studies as one
    selection, capped like a folder. (An exam profile's domain, query included, is
    resolved before this: collection/domain_scope.py.)"""
    if deck is None or deck == "":
        return list(decks)
    exact = [d for d in decks if deck in (d.key, d.name)]
    if exact and subdecks:
        names = tuple(d.name + "::" for d in exact)
        folders = tuple(d.key.removesuffix(".md") + "/" for d in exact)
        return [
            d for d in decks if d in exact or d.name.startswith(names) or d.key.startswith(folders)
        ]
    if exact:
        return exact
    if deck.startswith(DOMAIN_PREFIX):
        wanted = deck[len(DOMAIN_PREFIX) :].strip().casefold()
        return [d for d in decks if (d.domain or "").casefold() == wanted]
    folder = deck.rstrip("/")
    return [d for d in decks if d.key.startswith(folder + "/") or d.name.startswith(deck + "::")]


def _in_clause(name: str, values: Sequence[int], params: dict[str, Any]) -> str:
    keys = []
    for i, v in enumerate(values):
        params[f"{name}{i}"] = v
        keys.append(f":{name}{i}")
    return ",".join(keys) or "NULL"


def done_today(session: Session, window: Window) -> dict[int, tuple[int, int]]:
    """Per deck: (new cards introduced, reviews answered) today, from the review log."""
    rows = session.execute(
        text(
            "SELECT c.deck_id, SUM(r.state_before = 0), SUM(r.state_before = 2) "
            "FROM reviews r JOIN cards c ON c.id = r.card_id "
            "WHERE r.time_ms >= :start AND r.kind = 'review' GROUP BY c.deck_id"
        ),
        {"start": window.start_ms},
    )
    return {int(d): (int(n or 0), int(v or 0)) for d, n, v in rows}


@dataclass(frozen=True)
class Limits:
    """Remaining new cards and reviews for today, per deck and for the whole selection."""

    new: dict[int, int]
    reviews: dict[int, int]
    new_cap: int | None  # None: a single deck, its own limit is the cap
    reviews_cap: int | None


def limits(
    decks: Sequence[DeckRef],
    presets: dict[int, Preset],
    done: dict[int, tuple[int, int]],
    *,
    pace: DeckPace | None = None,
) -> Limits:
    """Each deck's remaining allowance; a multi-deck selection is also capped by the
    default preset (like an Anki parent deck's limits).

    An exam's new-card `pace` (collection/deadline.py) is one budget for the day, shared
    by every selection: its decks' new cards a day are raised to it, but what any of
    them introduced today (studied as one deck, a folder, a domain or everything) counts
    against it, so no deck on its own offers more than is left of it."""
    new: dict[int, int] = {}
    rev: dict[int, int] = {}
    exam_left: int | None = None
    if pace is not None:
        n_exam = sum(v[0] for k, v in done.items() if k in pace.decks)
        exam_left = max(0, pace.per_day - n_exam)
    for d in decks:
        preset = presets.get(d.preset_id) or presets[DEFAULT_PRESET_ID]
        n, r = done.get(d.id, (0, 0))
        left = max(0, preset.new_per_day - n)
        raised = pace is not None and d.id in pace.decks and pace.per_day > preset.new_per_day
        if raised and exam_left is not None:  # the pace raises it: the shared budget
            left = exam_left
        new[d.id] = max(0, left)
        rev[d.id] = max(0, preset.reviews_per_day - r)
    if len(decks) <= 1:
        return Limits(new, rev, None, None)
    default = presets[DEFAULT_PRESET_ID]
    ids = {d.id for d in decks}
    n_all = sum(v[0] for k, v in done.items() if k in ids)
    r_all = sum(v[1] for k, v in done.items() if k in ids)
    new_cap = max(0, default.new_per_day - n_all)
    if pace is not None and exam_left is not None and not ids.isdisjoint(pace.decks):
        new_cap = max(new_cap, exam_left)
    return Limits(new, rev, new_cap, max(0, default.reviews_per_day - r_all))


def orders_for(decks: Sequence[DeckRef], presets: dict[int, Preset]) -> Preset:
    """The preset whose new-card orders a selection follows: the decks' own when they
    share one, else the default preset (which also caps a mixed selection's limits)."""
    ids = {d.preset_id for d in decks}
    default = presets[DEFAULT_PRESET_ID]
    if len(ids) == 1:
        return presets.get(ids.pop()) or default
    return default


def learning_due(
    session: Session,
    decks: Sequence[DeckRef] | None,
    window: Window,
    *,
    until_s: int,
    scope: CardScope | None = None,
) -> list[tuple[CardId, str, int]]:
    """(card id, note id, due) of learning/relearning cards due by `until_s`, earliest first."""
    params: dict[str, Any] = {"until": until_s, "today": window.today}
    where = ""
    if decks is not None:
        where = f" AND deck_id IN ({_in_clause('d', [d.id for d in decks], params)})"
    rows = session.execute(
        text(
            "SELECT id, note_id, due, deck_id FROM cards INDEXED BY ix_cards_queue "
            "WHERE present = 1 AND suspended = 0 AND state IN (1, 3) AND due <= :until "
            f"AND buried_until < :today{where} ORDER BY due, id"
        ),
        params,
    )
    return [
        (CardId(i), n, int(due))
        for i, n, due, deck_id in rows
        if scope is None or scope.holds(i, deck_id)
    ]


# (now - last review) / stability orders exactly as retrievability, ascending. It leads
# the sort as an integer (truncated, so ties are told apart by the exact ratio and then
# the id): SQLite compares integer keys much faster, and sorting all 10,000 due reviews of
# a collection that size was most of building its queue. An empty ratio sorts last.
_RATIO = "(:now - last_review) / stability"
_REVIEW_ORDER = (
    f"COALESCE(CAST(-{_RATIO} * 1e9 AS INTEGER), 9223372036854775807), {_RATIO} DESC, id"
)
_DUE_REVIEWS = (
    "FROM cards INDEXED BY ix_cards_queue WHERE present = 1 AND suspended = 0 AND state = 2 "
    "AND due < :end AND buried_until < :today"
)


def _reviews(
    session: Session,
    decks: Sequence[DeckRef],
    window: Window,
    lim: Limits,
    all_decks: bool,
    scope: CardScope | None = None,
) -> tuple[list[CardId], list[str]]:
    """Due reviews (ids, and their notes), lowest retrievability first, within each
    deck's remaining limit (and the `scope`'s cards of the decks it takes in part).

    SQLite ranks the due reviews (in C) and hands over only about as many as the
    selection's cap, so a 20,000-review backlog costs one scan of the covering index.
    """
    remaining = {d.id: lim.reviews[d.id] for d in decks}
    cap = sum(remaining.values())
    if lim.reviews_cap is not None:
        cap = min(cap, lim.reviews_cap)
    if cap <= 0:
        return [], []
    params: dict[str, Any] = {"now": window.now_s, "end": window.end_s, "today": window.today}
    where = "" if all_decks else f" AND deck_id IN ({_in_clause('d', list(remaining), params)})"
    raw = session.connection().connection.driver_connection
    assert raw is not None
    # With a LIMIT SQLite keeps a top-k heap instead of sorting every due card; when the
    # due reviews are not many more than the cap, sorting them all is cheaper (counted up
    # to twice the cap). Per-deck limits can skip rows, so when they bind, ask again for
    # more. The rows come back as three strings (ids, notes, decks), not a tuple per card:
    # for 10,000 due reviews the tuples cost more than ranking them. (SQLite aggregates an
    # ordered subquery in its order; ids never hold a newline.)
    params["over"] = 2 * cap + 1
    # A collection with no more cards than that needs no counting (the largest rowid
    # bounds the number of cards).
    (largest,) = raw.execute("SELECT max(rowid) FROM cards").fetchone()
    few = (largest or 0) < params["over"]
    if not few:
        (few,) = raw.execute(
            f"SELECT COUNT(*) < :over FROM (SELECT 1 {_DUE_REVIEWS}{where} LIMIT :over)", params
        ).fetchone()
    # No deck's limit can bind when each allows the whole cap: then every row is taken.
    binding = scope is not None or any(v < cap for v in remaining.values())
    rows = f"SELECT id, note_id, deck_id {_DUE_REVIEWS}{where} ORDER BY {_REVIEW_ORDER}"
    if not few:
        rows += " LIMIT :limit"
    sql = (
        "SELECT group_concat(id, char(10)), group_concat(note_id, char(10)), "
        f"{'group_concat(deck_id, char(10))' if binding else 'NULL'} FROM ({rows})"
    )
    limit = cap
    while True:
        params["limit"] = limit
        joined_ids, joined_notes, joined_decks = raw.execute(sql, params).fetchone()
        ids = cast(list[CardId], joined_ids.split("\n") if joined_ids else [])
        notes: list[str] = joined_notes.split("\n") if joined_notes else []
        if not binding:
            return ids[:cap], notes[:cap]
        decks_of = [int(d) for d in joined_decks.split("\n")] if joined_decks else []
        left = dict(remaining)
        picked: list[CardId] = []
        picked_notes: list[str] = []
        for cid, note, deck_id in zip(ids, notes, decks_of, strict=True):
            if left.get(deck_id, 0) <= 0 or (scope is not None and not scope.holds(cid, deck_id)):
                continue
            left[deck_id] -= 1
            picked.append(cid)
            picked_notes.append(note)
            if len(picked) >= cap:
                break
        if len(picked) >= cap or few or len(ids) < limit:
            return picked, picked_notes
        limit *= 4


def build_queue(
    session: Session,
    decks: Sequence[DeckRef],
    window: Window,
    presets: dict[int, Preset],
    *,
    all_decks: bool = False,
    layouts: QuestionLayouts | None = None,
    pace: DeckPace | None = None,
    scope: CardScope | None = None,
) -> Queue:
    """Today's queue for `decks` at `window.now_s` (`layouts`: see `new_cards`; `pace`:
    see `limits`; `scope`: the cards of the decks an exam domain takes in part)."""
    if not decks:
        return Queue()
    lim = limits(decks, presets, done_today(session, window), pace=pace)
    learning = learning_due(
        session, None if all_decks else decks, window, until_s=window.now_s, scope=scope
    )
    seen: set[str] = set()
    learn_ids = one_per_note(((c, n) for c, n, _ in learning), seen=seen)
    ids, notes = _reviews(session, decks, window, lim, all_decks, scope)
    note_set = set(notes)
    if len(note_set) == len(notes) and seen.isdisjoint(note_set):
        review_ids = ids  # no siblings among them (nor among learning cards): all stay
        seen |= note_set
    else:
        review_ids = one_per_note(zip(ids, notes, strict=True), seen=seen)
    orders = orders_for(decks, presets)
    new_ids = gather_new(
        session,
        decks,
        window,
        lim,
        orders,
        seen,
        all_decks=all_decks,
        layouts=layouts,
        scope=scope,
    )
    return Queue(learn_ids, review_ids, new_ids)
