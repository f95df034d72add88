"""A `domain:NAME` selection: the decks holding an exam domain's cards, and which of their
cards it takes when a domain's query takes only part of a deck.

An exam domain's cards are `collection.exam`'s (its decks by front matter under the
profile's folder, and what its `query` matches), found by the browser's `domain:` search,
so the sidebar's domain rows, studying one, stats, export and cheat-sheets cover the
cards readiness and practice exams count. A name no profile's domain has keeps the old
meaning: the decks whose front matter names it.

Decks whose every card is the domain's are taken whole (the bundled exams' queries name
whole decks): the queue then runs exactly as for a folder. Only a deck the query splits
gives a `CardScope`, which the queue checks card by card.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flashcards.collection.queue import CardScope, DeckRef
from flashcards.core.query_ast import FieldMatch, TextField
from flashcards.storage.card_search import where_sql


def domain_selection(
    col: Any, name: str, refs: list[DeckRef], *, now: datetime | None
) -> tuple[list[DeckRef], CardScope | None] | None:
    """The decks of `refs` holding the domain's cards and the scope of those it takes
    in part (None: all whole); None when no exam profile has a domain called `name`."""
    from flashcards.collection.browse import search_context  # it imports the facade

    node = FieldMatch(TextField.DOMAIN, name.replace("*", ""))
    ctx = search_context(col, now=now, node=node)
    if not any(r.name.casefold() == name.strip().casefold() for r in ctx.domains):
        return None
    where, params = where_sql(node, ctx)
    with col.db.raw_read() as cur:
        found = dict(
            cur.execute(
                f"SELECT c.deck_id, COUNT(*) FROM cards c WHERE {where} GROUP BY c.deck_id",
                params,
            ).fetchall()
        )
        params["found_decks"] = json.dumps(sorted(found))
        totals = dict(
            cur.execute(
                "SELECT deck_id, COUNT(*) FROM cards WHERE present = 1 AND deck_id IN "
                "(SELECT value FROM json_each(:found_decks)) GROUP BY deck_id",
                params,
            ).fetchall()
        )
        split = sorted(d for d, n in found.items() if n < totals.get(d, 0))
        parts: dict[int, set[str]] = {d: set() for d in split}
        if split:
            params["split_decks"] = json.dumps(split)
            rows = cur.execute(
                f"SELECT c.id, c.deck_id FROM cards c WHERE {where} AND c.deck_id IN "
                "(SELECT value FROM json_each(:split_decks))",
                params,
            )
            for cid, deck_id in rows:
                parts[deck_id].add(cid)
    chosen = [r for r in refs if r.id in found]
    scope = CardScope({d: frozenset(ids) for d, ids in parts.items()}) if parts else None
    return chosen, scope
