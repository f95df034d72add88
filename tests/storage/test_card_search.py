"""The query AST as SQL over a real database built with the storage models only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert

from flashcards.core.query import parse_query
from flashcards.storage import models as m
from flashcards.storage.card_search import (
    DEFAULT_DECAY,
    DEFAULT_FACTOR,
    SearchContext,
    SortColumn,
    count,
    search_ids,
    where_sql,
)
from flashcards.storage.engine import Database

DAY = 86400
NOW = 1_800_000_000
CTX = SearchContext(now_s=NOW, today=100, day_start_s=NOW - 3600, day_end_s=NOW - 3600 + DAY)


def card(cid: str, **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": cid,
        "note_id": cid,
        "deck_id": 1,
        "position": 0,
        "kind": "basic",
        "title": cid,
        "prompt": "",
        "answer": "",
        "added": NOW - 30 * DAY,
        "modified": NOW - 30 * DAY,
    }
    row.update(values)
    return row


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path)
    with database.session() as s:
        s.execute(insert(m.Root).values(id=1, path=str(tmp_path), label=""))
        s.execute(insert(m.Preset).values(id=1, name="Default"))
        s.execute(
            insert(m.Deck).values(id=1, key="x.md", root_id=1, rel="x.md", name="X", title="X")
        )
        for cid in ("new1", "due1", "far1", "hidden"):
            s.execute(
                insert(m.Note).values(
                    id=cid, deck_id=1, title=cid, position=0, line_start=1, line_end=2
                )
            )
        s.execute(
            insert(m.Card),
            [
                card("new1", prompt="fresh words"),
                card(
                    "due1",
                    state=2,
                    stability=2.0,
                    difficulty=6.0,
                    due=NOW - 10,
                    last_review=NOW - 4 * DAY,
                    reps=3,
                    lapses=1,
                ),
                card(
                    "far1",
                    state=2,
                    stability=100.0,
                    difficulty=3.0,
                    due=NOW + 50 * DAY,
                    last_review=NOW - DAY,
                    reps=9,
                    position=1,
                ),
                card("hidden", present=False, prompt="fresh words"),
            ],
        )
    yield database
    database.close()


def run(db: Database, query: str, **kw: object) -> list[str]:
    with db.read() as s:
        return search_ids(s, parse_query(query), CTX, **kw)  # type: ignore[arg-type]


def test_hidden_cards_never_match(db: Database) -> None:
    assert run(db, "fresh") == ["new1"]
    with db.read() as s:
        assert count(s, parse_query(""), CTX) == 3


def test_retrievability_threshold_matches_the_forgetting_curve(db: Database) -> None:
    # due1: 4 days on stability 2 → R = (1 + f·2)^d ≈ 0.83; far1: 1 day on 100 → ≈ 0.999.
    r = (1 + DEFAULT_FACTOR * 4 / 2) ** DEFAULT_DECAY
    assert 0.8 < r < 0.85
    assert run(db, f"prop:retrievability<{r + 0.001}") == ["due1"]
    assert run(db, f"prop:retrievability>{r + 0.001}") == ["far1"]
    assert run(db, "prop:retrievability<0") == []
    assert set(run(db, "prop:retrievability<2")) == {"due1", "far1"}


def test_due_in_days_and_interval(db: Database) -> None:
    assert run(db, "prop:due<=0") == ["due1"]
    assert run(db, "prop:due=50") == ["far1"]
    assert run(db, "prop:due>1") == ["far1"]
    assert run(db, "prop:interval>40") == ["far1"]
    assert run(db, "is:due") == ["due1"]


def test_sort_puts_empty_values_last_both_ways(db: Database) -> None:
    assert run(db, "", order=SortColumn.STABILITY) == ["due1", "far1", "new1"]
    assert run(db, "", order=SortColumn.STABILITY, descending=True) == ["far1", "due1", "new1"]
    assert run(db, "", order=SortColumn.RETRIEVABILITY) == ["due1", "far1", "new1"]
    assert run(db, "", order=SortColumn.REVIEWS, descending=True, limit=1) == ["far1"]


def test_sql_uses_bound_parameters_only() -> None:
    sql, params = where_sql(parse_query('deck:"x\'; DROP TABLE cards; --"'), CTX)
    assert "DROP" not in sql and any("DROP" in str(v) for v in params.values())


def test_tag_names_match_whole_tags_and_their_children(db: Database) -> None:
    tags = {
        "new1": '["aws::s3", "Hard"]',
        "due1": '["awsome", "x_y"]',
        "far1": '["sage", "maker", "say \\"hi\\""]',
    }
    with db.session() as s:
        for cid, value in tags.items():
            s.execute(m.Card.__table__.update().where(m.Card.id == cid).values(tags=value))
    assert run(db, "tag:aws") == ["new1"]  # aws::s3, not awsome
    assert run(db, "tag:aws::s3") == ["new1"]
    assert run(db, "tag:s3") == []  # a child's name alone is not the tag
    assert run(db, "tag:hard") == ["new1"]  # case-insensitive, as in Anki
    assert run(db, "tag:x_y") == ["due1"] and run(db, "tag:xay") == []  # _ is literal
    assert set(run(db, "tag:aws*")) == {"new1", "due1"}
    # A wildcard never spans two tags: "sage", "maker" is not one tag "sa*ker".
    assert run(db, "tag:sa*ker") == []
    assert run(db, "tag:sage") == ["far1"] and run(db, "tag:maker") == ["far1"]
    assert run(db, "tag:say") == [] and run(db, "tag:say*") == ["far1"]
    assert set(run(db, "-tag:aws")) == {"due1", "far1"}
