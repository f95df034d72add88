"""The daily queue: learning cards due now → reviews (lowest retrievability first) → new
cards in file order interleaved across domains, within each deck's daily limits.

Three indexed queries build it: learning cards by due time, reviews ranked per deck
by elapsed/stability (a window function applies each deck's review limit), and new
cards per deck by file position (one `LIMIT` per deck).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from flashcards.core.model import CardId
from flashcards.core.queue_order import interleave_by, one_per_note
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


def select_decks(decks: Sequence[DeckRef], deck: str | None) -> list[DeckRef]:
    """The decks a selection names: None = all; a deck key or name; or a folder
    (a key prefix such as `aws-ml-specialty/` or a name prefix `AWS ML Specialty`)."""
    if deck is None or deck == "":
        return list(decks)
    exact = [d for d in decks if deck in (d.key, d.name)]
    if exact:
        return exact
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
    decks: Sequence[DeckRef], presets: dict[int, Preset], done: dict[int, tuple[int, int]]
) -> Limits:
    """Each deck's remaining allowance; a multi-deck selection is also capped by the
    default preset (like an Anki parent deck's limits)."""
    new: dict[int, int] = {}
    rev: dict[int, int] = {}
    for d in decks:
        preset = presets.get(d.preset_id) or presets[DEFAULT_PRESET_ID]
        n, r = done.get(d.id, (0, 0))
        new[d.id] = max(0, preset.new_per_day - n)
        rev[d.id] = max(0, preset.reviews_per_day - r)
    if len(decks) <= 1:
        return Limits(new, rev, None, None)
    default = presets[DEFAULT_PRESET_ID]
    ids = {d.id for d in decks}
    n_all = sum(v[0] for k, v in done.items() if k in ids)
    r_all = sum(v[1] for k, v in done.items() if k in ids)
    return Limits(
        new, rev, max(0, default.new_per_day - n_all), max(0, default.reviews_per_day - r_all)
    )


def learning_due(
    session: Session, decks: Sequence[DeckRef] | None, window: Window, *, until_s: int
) -> list[tuple[CardId, str, int]]:
    """(card id, note id, due) of learning/relearning cards due by `until_s`, earliest first."""
    params: dict[str, Any] = {"until": until_s, "today": window.today}
    where = ""
    if decks is not None:
        where = f" AND deck_id IN ({_in_clause('d', [d.id for d in decks], params)})"
    rows = session.execute(
        text(
            "SELECT id, note_id, due FROM cards INDEXED BY ix_cards_queue "
            "WHERE present = 1 AND suspended = 0 AND state IN (1, 3) AND due <= :until "
            f"AND buried_until < :today{where} ORDER BY due, id"
        ),
        params,
    )
    return [(CardId(i), n, int(due)) for i, n, due in rows]


def _reviews(
    session: Session, decks: Sequence[DeckRef], window: Window, lim: Limits, all_decks: bool
) -> list[tuple[CardId, str]]:
    params: dict[str, Any] = {"now": window.now_s, "end": window.end_s, "today": window.today}
    values = []
    for i, d in enumerate(decks):
        params[f"ld{i}"] = d.id
        params[f"ln{i}"] = lim.reviews[d.id]
        values.append(f"(:ld{i}, :ln{i})")
    if not values or all(lim.reviews[d.id] == 0 for d in decks):
        return []
    deck_filter = "" if all_decks else " AND c.deck_id IN (SELECT deck_id FROM lim)"
    cap = ""
    if lim.reviews_cap is not None:
        params["cap"] = lim.reviews_cap
        cap = " LIMIT :cap"
    sql = (
        f"WITH lim(deck_id, n) AS (VALUES {','.join(values)}), "
        "ranked AS (SELECT c.id, c.note_id, c.deck_id, "
        "(:now - c.last_review) * 1.0 / c.stability AS overdue, "
        "ROW_NUMBER() OVER (PARTITION BY c.deck_id "
        "ORDER BY (:now - c.last_review) * 1.0 / c.stability DESC, c.id) AS rn "
        "FROM cards c INDEXED BY ix_cards_queue "
        "WHERE c.present = 1 AND c.suspended = 0 AND c.state = 2 AND c.due < :end "
        f"AND c.buried_until < :today{deck_filter}) "
        "SELECT ranked.id, ranked.note_id FROM ranked JOIN lim ON lim.deck_id = ranked.deck_id "
        f"WHERE ranked.rn <= lim.n ORDER BY ranked.overdue DESC, ranked.id{cap}"
    )
    return [(CardId(i), n) for i, n in session.execute(text(sql), params)]


def _new(
    session: Session, decks: Sequence[DeckRef], window: Window, lim: Limits
) -> list[tuple[CardId, str, int]]:
    parts = []
    params: dict[str, Any] = {"today": window.today}
    index = {d.id: i for i, d in enumerate(decks)}
    for i, d in enumerate(decks):
        n = lim.new[d.id]
        if n <= 0:
            continue
        params[f"d{i}"] = d.id
        # Over-fetch: siblings of one note count once, so a cloze-heavy deck needs more rows.
        params[f"n{i}"] = n * 3 + 10
        parts.append(
            "SELECT * FROM (SELECT id, note_id, deck_id, position FROM cards "
            f"INDEXED BY ix_cards_deck_new WHERE deck_id = :d{i} AND state = 0 "
            "AND present = 1 AND suspended = 0 AND buried_until < :today "
            f"ORDER BY position LIMIT :n{i})"
        )
    if not parts:
        return []
    rows = session.execute(text(" UNION ALL ".join(parts)), params).all()
    rows.sort(key=lambda r: (index[r[2]], r[3]))
    return [(CardId(i), n, int(d)) for i, n, d, _pos in rows]


def build_queue(
    session: Session,
    decks: Sequence[DeckRef],
    window: Window,
    presets: dict[int, Preset],
    *,
    all_decks: bool = False,
) -> Queue:
    """Today's queue for `decks` at `window.now_s`."""
    if not decks:
        return Queue()
    lim = limits(decks, presets, done_today(session, window))
    learning = learning_due(session, None if all_decks else decks, window, until_s=window.now_s)
    seen: set[str] = set()
    learn_ids = one_per_note(((c, n) for c, n, _ in learning), seen=seen)
    review_ids = one_per_note(_reviews(session, decks, window, lim, all_decks), seen=seen)
    new_rows = _new(session, decks, window, lim)
    domain = {d.id: d.domain or d.key for d in decks}
    per_deck: dict[int, int] = {}
    fresh: list[tuple[CardId, str]] = []
    for cid, note, deck_id in new_rows:
        if note in seen or per_deck.get(deck_id, 0) >= lim.new[deck_id]:
            continue
        seen.add(note)
        per_deck[deck_id] = per_deck.get(deck_id, 0) + 1
        fresh.append((cid, domain[deck_id]))
    new_ids = interleave_by(fresh)
    if lim.new_cap is not None:
        new_ids = new_ids[: lim.new_cap]
    return Queue(learn_ids, review_ids, new_ids)
