"""Searching with the query language over a real collection, sorting, table rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flashcards.collection import Collection
from flashcards.collection.browse import (
    SortColumn,
    card_details,
    card_rows,
    count_cards,
    search_cards,
    search_start,
)
from flashcards.core.errors import QueryError
from flashcards.core.model import CardState, Flag, Rating

T0 = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


MODELING = """\
---
title: Modeling
domain: Modeling
---

# Boosting

## XGBoost eta {#eta001}
What happens when you lower eta?
?
Each tree adds less; the learning rate shrinks.
Tags: xgboost, hard

## Early stopping {#stop01}
Stop when validation loss stops improving.
Tags: training

## Precision {#prec01}
Precision = {{TP / (TP + FP)}}.
"""

DATA = """\
---
title: Kinesis
domain: Data Engineering
---

## Kinesis shards {#kin001}
Each shard takes 1 MB/s in.
Tags: aws::kinesis

## Firehose buffer {#fire01}
Firehose buffers by size or by time: `==` never appears here.
"""


@pytest.fixture
def col(open_col: Callable[..., Collection], data_dir: Path) -> Collection:
    write(data_dir / "decks" / "aws" / "modeling.md", MODELING)
    write(data_dir / "decks" / "data.md", DATA)
    return open_col(now=T0)  # the cards are added at T0, whatever the day the test runs


def ids(col: Collection, query: str, **kw: object) -> set[str]:
    return set(search_cards(col, query, now=T0 + timedelta(days=1), **kw))  # type: ignore[arg-type]


ALL = {"eta001", "stop01", "prec01:c1", "kin001", "fire01"}


def test_empty_query_finds_everything(col: Collection) -> None:
    assert ids(col, "") == ALL
    assert count_cards(col, "", now=T0) == 5


def test_free_words_and_prefix_and_phrase(col: Collection) -> None:
    assert ids(col, "validation loss") == {"stop01"}
    assert ids(col, "learn") == {"eta001"}  # a prefix while typing
    assert ids(col, '"tree adds less"') == {"eta001"}
    assert ids(col, '"adds tree"') == set()
    assert ids(col, "==") == {"fire01"}  # punctuation falls back to a substring search


def test_deck_by_name_file_folder_and_glob(col: Collection) -> None:
    assert ids(col, "deck:Kinesis") == {"kin001", "fire01"}
    assert ids(col, "deck:data.md") == {"kin001", "fire01"}
    assert ids(col, "deck:data") == {"kin001", "fire01"}
    assert ids(col, "deck:aws") == {"eta001", "stop01", "prec01:c1"}  # folder
    assert ids(col, "deck:mod*") == {"eta001", "stop01", "prec01:c1"}


def test_tag_domain_kind(col: Collection) -> None:
    assert ids(col, "tag:hard") == {"eta001"}
    assert ids(col, "tag:aws") == {"kin001"}  # parent of aws::kinesis
    assert ids(col, "tag:x*") == {"eta001"}
    assert ids(col, "domain:data*") == {"kin001", "fire01"}
    assert ids(col, "kind:cloze") == {"prec01:c1"}


def test_is_states(col: Collection) -> None:
    col.answer("eta001", Rating.GOOD, now=T0)  # learning
    col.answer("stop01", Rating.EASY, now=T0)  # review, due in days
    col.suspend(["kin001"])
    col.bury(["fire01"], now=T0 + timedelta(days=1))
    col.set_flag(["prec01:c1"], Flag.RED)
    assert ids(col, "is:new") == {"prec01:c1", "kin001", "fire01"}
    assert ids(col, "is:learning") == {"eta001"}
    assert ids(col, "is:review") == {"stop01"}
    assert ids(col, "is:due") == {"eta001"}
    assert ids(col, "is:suspended") == {"kin001"}
    assert ids(col, "is:buried") == {"fire01"}
    assert ids(col, "is:flagged") == {"prec01:c1"}
    assert ids(col, "is:leech") == set()
    col.suspend(["eta001"])
    assert ids(col, "is:due") == set()  # suspended cards are not waiting


def test_leech_and_lapses(col: Collection) -> None:
    t = T0
    col.answer("eta001", Rating.EASY, now=t)
    for _ in range(8):
        t += timedelta(days=40)
        col.answer("eta001", Rating.AGAIN, now=t)
        t += timedelta(days=1)
        col.answer("eta001", Rating.EASY, now=t)
    assert ids(col, "is:leech") == {"eta001"}
    assert ids(col, "prop:lapses>=8") == {"eta001"}
    assert ids(col, "prop:lapses!=8") == ALL - {"eta001"}


def test_props(col: Collection) -> None:
    col.answer("stop01", Rating.EASY, now=T0)
    col.answer("eta001", Rating.AGAIN, now=T0)
    view = col.card("stop01")
    assert view.memory.stability is not None
    s = view.memory.stability
    assert ids(col, f"prop:stability>{s - 0.01}") == {"stop01"}
    assert ids(col, f"prop:stability<{s - 0.01}") == {"eta001"}
    assert ids(col, "prop:difficulty>0") == {"stop01", "eta001"}
    assert ids(col, "prop:interval>=1") == {"stop01"}
    assert ids(col, "prop:reviews=1") == {"stop01", "eta001"}
    # A day after: the easy card is still well remembered, the failed one less so.
    assert ids(col, "prop:retrievability>0.9") == {"stop01"}
    assert ids(col, "prop:retrievability<0.9") == {"eta001"}
    assert ids(col, "prop:due>0") == {"stop01"}
    assert ids(col, "-prop:stability>0") == {"prec01:c1", "kin001", "fire01"}


def test_rated_and_added(col: Collection, data_dir: Path) -> None:
    col.answer("stop01", Rating.HARD, now=T0)
    col.practice("kin001", Rating.GOOD, now=T0)  # practice is not a scheduled answer
    assert ids(col, "rated:2") == {"stop01"}
    assert ids(col, "rated:2:2") == {"stop01"}
    assert ids(col, "rated:2:3") == set()
    later = T0 + timedelta(days=10)
    assert set(search_cards(col, "rated:3", now=later)) == set()
    write(data_dir / "decks" / "new.md", "## Fresh card {#fresh1}\nBody.\n")
    col.sync(now=later)
    assert set(search_cards(col, "added:1", now=later)) == {"fresh1"}
    assert set(search_cards(col, "added:20", now=later)) == ALL | {"fresh1"}


def test_negation_or_parentheses(col: Collection) -> None:
    assert ids(col, "-deck:Modeling") == {"kin001", "fire01"}
    assert ids(col, "tag:hard or tag:training") == {"eta001", "stop01"}
    assert ids(col, "(tag:hard or domain:data*) -kinesis") == {"eta001", "fire01"}


def test_bad_query_raises_query_error(col: Collection) -> None:
    with pytest.raises(QueryError) as info:
        search_cards(col, "deck:x (a")
    assert info.value.position == 7


def test_sorting_in_sql(col: Collection) -> None:
    col.answer("stop01", Rating.EASY, now=T0)
    col.answer("eta001", Rating.AGAIN, now=T0)
    by_prompt = search_cards(col, "", order=SortColumn.PROMPT, now=T0)
    assert by_prompt == ["stop01", "fire01", "kin001", "prec01:c1", "eta001"]
    assert search_cards(col, "", order=SortColumn.PROMPT, descending=True, now=T0) == list(
        reversed(by_prompt)
    )
    by_stability = search_cards(col, "", order=SortColumn.STABILITY, descending=True, now=T0)
    assert by_stability[:2] == ["stop01", "eta001"]  # new cards (no stability) last
    by_r = search_cards(col, "", order=SortColumn.RETRIEVABILITY, now=T0 + timedelta(days=2))
    assert by_r[:2] == ["eta001", "stop01"]  # least likely recalled first
    by_deck = search_cards(col, "", order=SortColumn.DECK, now=T0)
    # "Aws::Modeling" < "Kinesis"; file order within a deck.
    assert by_deck == ["eta001", "stop01", "prec01:c1", "kin001", "fire01"]
    for column in SortColumn:
        assert set(search_cards(col, "", order=column, now=T0)) == ALL


def test_search_start_is_the_head_of_the_whole_list_with_its_rows(col: Collection) -> None:
    col.answer("stop01", Rating.EASY, now=T0)
    for column in SortColumn:
        for descending in (False, True):
            whole = search_cards(col, "", order=column, descending=descending, now=T0)
            start = search_start(col, "", order=column, descending=descending, now=T0, limit=3)
            assert start.ids == whole[:3] and not start.complete
    start = search_start(col, "-deck:kinesis", order=SortColumn.PROMPT, now=T0, limit=3, rows=2)
    assert start.ids == ["stop01", "prec01:c1", "eta001"]
    assert [r.id for r in start.rows] == ["stop01", "prec01:c1"]
    assert start.complete  # exactly three match: nothing more to fetch
    assert not search_start(col, "", now=T0, limit=4).complete
    assert search_start(col, "", now=T0, limit=5).complete


def test_rows_and_details(col: Collection) -> None:
    col.answer("stop01", Rating.EASY, now=T0)
    rows = card_rows(col, ["stop01", "kin001", "missing"], now=T0 + timedelta(days=1))
    assert [r.id for r in rows] == ["stop01", "kin001"]
    stop, kin = rows
    assert stop.state is CardState.REVIEW and stop.reviews == 1
    assert stop.interval_days is not None and stop.interval_days >= 1
    assert stop.retrievability is not None and 0.9 < stop.retrievability < 1
    assert stop.due is not None and stop.tags == ("training",)
    assert kin.state is CardState.NEW and kin.due is None and kin.retrievability is None
    assert kin.deck == "Kinesis" and kin.domain == "Data Engineering"
    assert kin.tags == ("aws::kinesis",)
    details = card_details(col, "stop01")
    assert details.view.card.title == "Early stopping"
    assert [h.rating for h in details.history] == [Rating.EASY]
    assert details.base_dir.endswith("aws")
