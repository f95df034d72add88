"""Sorting the browser by prompt or deck walks an index in that order (issue 18: a first
screen of 100,000 matches sorted by prompt read and sorted every title), and gives
exactly the order the sort rules state, ties in file order, in both directions."""

from __future__ import annotations

import random
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from col_helpers import T0, deck_text, note, write

from flashcards.collection import Collection
from flashcards.collection.browse import search_cards, search_start
from flashcards.core.model import Rating
from flashcards.storage import card_search
from flashcards.storage.card_search import SORT_INDEXES, SortColumn

TITLES = ["beta", "Alpha", "gamma", "alpha", "Beta", "delta", "Gamma", "epsilon"]


@pytest.fixture
def col(data_dir: Path, open_col) -> Collection:
    # Decks whose names differ only in case, titles that repeat across decks and within.
    for n, (folder, title) in enumerate(
        [("", "Zoo"), ("", "zoo"), ("", "Apes"), ("sub", "Apes"), ("", "middle")]
    ):
        notes = [
            note(TITLES[(n * 3 + i) % len(TITLES)], f"a {n} {i}", nid=f"d{n}n{i}") for i in range(6)
        ]
        write(data_dir / "decks" / folder / f"deck-{n}.md", deck_text(*notes, title=title))
    opened = open_col()
    opened.answer("d0n0", Rating.GOOD, now=T0)
    return opened


def expected(data_dir: Path, order: SortColumn, descending: bool, where: str = "1") -> list[str]:
    """The sort as its rules state it, computed in Python from the rows."""
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        rows = raw.execute(
            "SELECT c.id, c.title, d.name, c.deck_id, c.position FROM cards c "
            f"JOIN decks d ON d.id = c.deck_id WHERE c.present = 1 AND {where}"
        ).fetchall()
    file_order = sorted(rows, key=lambda r: (r[3], r[4], r[0]))  # ties: file order
    column = 1 if order is SortColumn.PROMPT else 2
    return [r[0] for r in sorted(file_order, key=lambda r: r[column].lower(), reverse=descending)]


def first_page_plans(col: Collection, order: SortColumn, query: str = "") -> list[str]:
    """SQLite's plan for each statement a first page sorted by `order` runs."""
    with col._read() as s:  # the collection's one connection (a StaticPool)
        raw = s.connection().connection.driver_connection
    assert raw is not None
    statements: list[str] = []
    raw.set_trace_callback(statements.append)
    try:
        search_start(col, query, order=order, now=T0)
    finally:
        raw.set_trace_callback(None)
    sorted_ones = [sql for sql in statements if "ORDER BY" in sql and "group_concat" in sql]
    assert sorted_ones
    return [
        " / ".join(r[3] for r in raw.execute(f"EXPLAIN QUERY PLAN {sql}")) for sql in sorted_ones
    ]


@pytest.mark.parametrize("order", [SortColumn.PROMPT, SortColumn.DECK])
def test_the_order_the_rules_state_with_and_without_the_index(
    col: Collection, data_dir: Path, order: SortColumn
) -> None:
    for descending in (False, True):
        whole = search_cards(col, "", order=order, descending=descending, now=T0)
        assert whole == expected(data_dir, order, descending)
        for limit in (1, 7, 29):
            head = search_start(col, "", order=order, descending=descending, now=T0, limit=limit)
            assert head.ids == whole[:limit]
        deck_2 = search_cards(col, "deck:Apes", order=order, descending=descending, now=T0)
        assert deck_2 == [c for c in whole if c.startswith(("d2", "d3"))]
        worded = search_cards(col, "a", order=order, descending=descending, now=T0)
        assert worded == whole  # every card's answer holds "a": words lead, same order
    index = SORT_INDEXES[order].split(" ON ")[0].split()[-1]
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        assert raw.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (index,)).fetchone()
        raw.execute(f"DROP INDEX {index}")
    # Without it (a read-only collection cannot make it): the same order, by sorting.
    with Collection.open(data_dir, readonly=True) as ro:
        for descending in (False, True):
            assert search_cards(ro, "", order=order, descending=descending, now=T0) == (
                expected(data_dir, order, descending)
            )


def test_a_first_page_sorted_by_prompt_or_deck_walks_an_index(col: Collection) -> None:
    (by_prompt,) = first_page_plans(col, SortColumn.PROMPT)
    assert "ix_cards_title" in by_prompt and "TEMP B-TREE" not in by_prompt
    (by_deck,) = first_page_plans(col, SortColumn.DECK, "is:new")
    assert "ix_decks_name" in by_deck and "TEMP B-TREE" not in by_deck
    # Other sorts still sort (their keys are computed or may be empty).
    (by_due,) = first_page_plans(col, SortColumn.DUE)
    assert "TEMP B-TREE" in by_due


def scramble(data_dir: Path) -> None:
    """Varied values in every sortable column, empty ones among them."""
    rng = random.Random(5)
    now = int(T0.timestamp())
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        for (cid,) in raw.execute("SELECT id FROM cards").fetchall():
            new = rng.random() < 0.3
            raw.execute(
                "UPDATE cards SET state = ?, due = ?, stability = ?, difficulty = ?, "
                "last_review = ?, reps = ?, lapses = ?, tags = ?, domain = ?, added = ?, "
                "modified = ? WHERE id = ?",
                (
                    0 if new else rng.choice([1, 2, 2, 3]),
                    0 if new else now + rng.randrange(-9, 9) * 86400,
                    None if new else rng.choice([1.5, 2.25, rng.uniform(0.5, 40)]),
                    None if new else rng.uniform(1, 10),
                    None if new else now - rng.randrange(1, 30) * 86400,
                    rng.randrange(0, 4),
                    rng.randrange(0, 3),
                    rng.choice(["[]", '["b"]', '["B", "a"]', '["a"]']),
                    rng.choice([None, "Data", "data", "Modeling"]),
                    now - rng.randrange(0, 3) * 86400,
                    now - rng.randrange(0, 3) * 86400,
                    cid,
                ),
            )


def test_every_column_sorts_as_its_rule_states(col: Collection, data_dir: Path) -> None:
    """Each sort, both ways, against the rule written plainly: the key with empty values
    after all others (an `IS NULL` term first), then file order."""
    scramble(data_dir)
    col._generation += 1  # noqa: SLF001 - rows changed under the collection
    for order in SortColumn:
        if order is SortColumn.FILE_ORDER:
            continue
        key = card_search._SORT_SQL[order]  # noqa: SLF001 - the rule's own key
        tables = "cards c JOIN decks d ON d.id = c.deck_id"
        for descending in (False, True):
            direction = "DESC" if descending else "ASC"
            with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
                want = [
                    r[0]
                    for r in raw.execute(
                        f"SELECT c.id FROM {tables} WHERE c.present = 1 ORDER BY "
                        f"({key}) IS NULL, {key} {direction}, c.deck_id, c.position, c.id",
                        {"now": int((T0 + timedelta(days=1)).timestamp())},
                    )
                ]
            got = search_cards(
                col, "", order=order, descending=descending, now=T0 + timedelta(days=1)
            )
            assert got == want, (order, descending)
            head = search_start(
                col, "", order=order, descending=descending, now=T0 + timedelta(days=1)
            )
            assert head.ids == want[: len(head.ids)]
