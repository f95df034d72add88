"""Where Anki ids clash, an .apkg made by SQL (collection/export_sql.py) moves them as the
Python way does and still equals its package row by row: notes whose derived Anki ids are
one, and history entries of one moment (a Forget or a due date set on several cards at
once writes a row per card at the same millisecond) — so neither sends a library's every
later export down the Python way. Where moving one id would move others, it does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sample_deck import package_rows, sql_equals_python, write_modeling

from flashcards.collection import export_ops
from flashcards.collection.collection import Collection
from flashcards.collection.export_sql import export_by_sql
from flashcards.core.model import Rating
from flashcards.interop.apkg_export import write_apkg
from flashcards.interop.apkg_rows import note_anki_id

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
# Two note ids whose Anki ids (`stable_int` of "note:" and the id, 40 bits) are one.
CLASHING = ("000001d453", "000004422d")

WORDS = f"""---
title: Words
---

## Eins {{#{CLASHING[0]}}}
one
?
eins

## Zwei {{#zwei01 .reverse}}
two

## Drei {{#{CLASHING[1]}}}
three
?
drei
"""


@pytest.fixture
def col(tmp_path: Path) -> Collection:
    collection = Collection.open(tmp_path / "data", seed=False)
    write_modeling(collection.library)
    (collection.library / "words.md").write_text(WORDS, encoding="utf-8")
    collection.sync(now=NOW)
    # first answered: zwei01:r, then 000004422d, then zwei01 (not the cards' id order)
    for days, card in ((9, "zwei01:r"), (8, CLASHING[1]), (7, "zwei01"), (6, "k3f9q2")):
        collection.answer(card, Rating.GOOD, now=NOW - timedelta(days=days))
    yield collection
    collection.close()


def _both_equal(col: Collection, tmp_path: Path) -> dict[str, Any]:
    package, sql, _ = sql_equals_python(col, tmp_path, now=NOW)
    write_apkg(export_ops.export_data(col, None), tmp_path / "fresh.apkg", now=NOW)
    assert package == package_rows(tmp_path / "fresh.apkg", indexes=True)
    assert (sql.notes, sql.cards, sql.reviews) == (7, 10, len(package["revlog"]))
    return package


def test_notes_whose_anki_ids_clash_move_up_as_the_python_way_moves_them(
    col: Collection, tmp_path: Path
) -> None:
    assert note_anki_id(CLASHING[0]) == note_anki_id(CLASHING[1])
    package = _both_equal(col, tmp_path)
    nid = note_anki_id(CLASHING[0])
    assert {row[0] for row in package["notes"]} >= {nid, nid + 1}  # the later one up
    assert len({row[0] for row in package["notes"]}) == 7


def test_a_forget_of_several_cards_at_once_goes_by_sql(col: Collection, tmp_path: Path) -> None:
    when = NOW - timedelta(days=2)
    col.reset(["zwei01", CLASHING[1], "zwei01:r"], now=when)
    col.set_due(["k3f9q2", "rev001"], days=4, now=NOW - timedelta(days=1))
    package = _both_equal(col, tmp_path)
    ms = int(when.timestamp() * 1000)
    resets = sorted(row for row in package["revlog"] if ms <= row[0] < ms + 3)
    assert [row[0] for row in resets] == [ms, ms + 1, ms + 2]
    # card by card in the order they were first answered
    cid = {row[0]: row[1] for row in package["revlog"] if row[0] < ms and row[8] == 0}
    first_answers = [cid[t] for t in sorted(cid)]
    assert [row[1] for row in resets] == first_answers[:3]
    assert sum(row[8] == 4 for row in package["revlog"]) == 5


def test_ids_of_one_moment_that_reach_the_next_take_the_python_way(
    col: Collection, tmp_path: Path
) -> None:
    """Two entries at t and one at t + 1 ms: moving one moves another."""
    when = NOW - timedelta(days=2)
    col.reset(["zwei01", CLASHING[1]], now=when)
    col.answer("zwei01:r", Rating.AGAIN, now=when + timedelta(milliseconds=1))
    assert export_by_sql(col, None, tmp_path / "none.apkg", now=NOW) is None
    assert not (tmp_path / "none.apkg").exists()
    col.export(None, tmp_path / "export.apkg", now=NOW)
    write_apkg(export_ops.export_data(col, None), tmp_path / "fresh.apkg", now=NOW)
    package = package_rows(tmp_path / "export.apkg")
    assert package == package_rows(tmp_path / "fresh.apkg")
    ms = int(when.timestamp() * 1000)
    assert sorted(row[0] for row in package["revlog"] if row[0] >= ms) == [ms, ms + 1, ms + 2]


def test_a_later_moment_out_of_reach_still_goes_by_sql(col: Collection, tmp_path: Path) -> None:
    when = NOW - timedelta(days=2)
    col.reset(["zwei01", CLASHING[1]], now=when)
    col.answer("zwei01:r", Rating.AGAIN, now=when + timedelta(milliseconds=2))
    package = _both_equal(col, tmp_path)
    ms = int(when.timestamp() * 1000)
    assert sorted(row[0] for row in package["revlog"] if row[0] >= ms) == [ms, ms + 1, ms + 2]
