"""An .apkg whose rows SQL made from the store of rendered notes (collection/export_sql.py)
equals, row by row, the one the Python way builds (`read_package_data` + `write_package`)
and the one rendering every note afresh gives; where the SQL way does not apply it says
so and the export takes the Python way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from anki_factory import Sample, anki_import
from sample_deck import package_rows, sql_equals_python, write_modeling
from sqlalchemy import text

from flashcards.collection import export_ops, interop_ops
from flashcards.collection.collection import Collection
from flashcards.collection.export_rows import package_decks
from flashcards.collection.export_sql import export_by_sql, write_package_sql
from flashcards.core.model import Flag, Rating
from flashcards.interop.apkg_export import write_apkg

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)

CLOZES = """---
title: Clozes
---

## Capitals {#cap001}
{{c1::Paris}} is in {{c2::France}}, {{c3::Rome}} in Italy.

## Untouched {#unt001}
A note *never* answered.
?
Its answer, with `code`.

## Tagged {#tag001}
Front with **bold**.
?
Back.

Tags: geo::europe, plain
"""


@pytest.fixture
def col(tmp_path: Path) -> Collection:
    collection = Collection.open(tmp_path / "data", seed=False)
    library = collection.library
    write_modeling(library)
    (library / "geo").mkdir()
    (library / "geo" / "clozes.md").write_text(CLOZES, encoding="utf-8")
    collection.sync(now=NOW)
    for day, rating in ((10, Rating.GOOD), (9, Rating.GOOD), (2, Rating.AGAIN)):
        collection.answer("k3f9q2", rating, now=NOW - timedelta(days=day), duration_ms=3000)
    collection.answer("cap001:c1", Rating.EASY, now=NOW - timedelta(days=3))
    collection.answer("cap001:c2", Rating.GOOD, now=NOW - timedelta(days=4), duration_ms=90_000)
    collection.answer("p8d2m1:c1", Rating.AGAIN, now=NOW - timedelta(hours=1))  # learning
    collection.practice("cap001:c2", Rating.GOOD, now=NOW - timedelta(days=1))  # left out
    collection.reset(["cap001:c1"], now=NOW - timedelta(days=2, hours=-1))  # Anki's Forget
    collection.answer("cap001:c1", Rating.GOOD, now=NOW - timedelta(days=1, hours=2))
    collection.set_due(["tag001"], days=5, now=NOW - timedelta(days=1))
    collection.set_flag(["rev001", "cap001:c3"], Flag.GREEN)
    collection.suspend(["rev001:r", "unt001"])
    yield collection
    collection.close()


def _rows_of(path: Path) -> dict[str, Any]:
    return package_rows(path, indexes=True)


def _both_equal(col: Collection, tmp_path: Path, deck: str | None = None) -> dict[str, Any]:
    package, sql, python = sql_equals_python(col, tmp_path, deck, now=NOW)
    assert (sql.notes, sql.cards, sql.reviews, sql.media) == (
        python.notes,
        python.cards,
        python.reviews,
        python.media,
    )
    assert sql.skipped == python.skipped
    assert sql.fingerprints == python.fingerprints
    return package


def test_the_sql_package_equals_the_python_one_and_a_fresh_render(
    col: Collection, tmp_path: Path
) -> None:
    package = _both_equal(col, tmp_path)
    write_apkg(export_ops.export_data(col, None), tmp_path / "fresh.apkg", now=NOW)
    assert package == _rows_of(tmp_path / "fresh.apkg")
    assert len(package["notes"]) == 7 and len(package["cards"]) == 11
    assert {row[6] for row in package["cards"]} == {0, 1, 2, 3}  # new, learning, review, relearning
    assert {row[7] for row in package["cards"]} >= {-1, 0, 1, 2}  # suspended among them
    assert {row[16] for row in package["cards"]} == {0, 3}  # green flags
    # answers (learning, then review), a reset and a due date set (Anki's type 4)
    assert {row[8] for row in package["revlog"]} == {0, 1, 4}
    assert any(row[8] == 4 and row[6] == 0 for row in package["revlog"])  # the reset
    assert max(row[7] for row in package["revlog"]) == 60_000  # 90 s, capped as Anki does
    assert package["entries"]["0"] == b"\x89PNG fake"  # the image, renamed in the package


def test_a_deck_filter_and_notes_edited_since(col: Collection, tmp_path: Path) -> None:
    col.export(None, tmp_path / "first.apkg", now=NOW)  # fills the store
    clozes = col.library / "geo" / "clozes.md"
    clozes.write_text(
        clozes.read_text(encoding="utf-8").replace("Back.", "Back, edited."), encoding="utf-8"
    )
    col.sync(now=NOW)
    refs, paths = package_decks(col, "geo")
    stale = write_package_sql(col, refs, paths, tmp_path / "none.apkg", now=NOW)
    assert stale == {refs[0].id: {"tag001"}} and not (tmp_path / "none.apkg").exists()
    package = _both_equal(col, tmp_path, deck="geo")  # rendered into the store, then SQL
    assert len(package["notes"]) == 3 and "Back, edited." in str(package["notes"])
    _both_equal(col, tmp_path, deck="aws")


def test_studied_cards_scheduled_at_the_edges_of_a_day(col: Collection, tmp_path: Path) -> None:
    """Intervals of a day and a half and two and a half (Python rounds half to even) and a
    review due a year and more before the export (floor division below zero)."""
    day = 86_400
    due = int(NOW.timestamp())
    with col._write() as s:
        for card, last, state in (
            ("cap001:c1", due - 3 * day // 2, 2),
            ("cap001:c2", due - 5 * day // 2, 2),
            ("cap001:c3", due - 400 * day - 7, 2),
            ("tag001", due - day // 2, 3),  # relearning
        ):
            s.connection().execute(
                text(
                    "UPDATE cards SET state = :state, due = :due, last_review = :last, "
                    "stability = 2.123456, difficulty = 5.0 WHERE id = :id"
                ),
                {
                    "state": state,
                    "due": due if card != "cap001:c3" else last + 3,
                    "last": last,
                    "id": card,
                },
            )
    package = _both_equal(col, tmp_path)
    ivls = sorted(row[9] for row in package["cards"] if row[6] == 2)
    assert 2 in ivls and 1 in ivls  # 1.5 -> 2, 2.5 -> 2, 0.5 -> 1


def test_an_anki_made_package_goes_back_with_its_guids(
    anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path
) -> None:
    package_path, _ = anki_packages["anki21b"]
    col = Collection.open(tmp_path / "data", seed=False)
    try:
        col.import_path(package_path)
        # a note type of its own: by SQL too
        assert len(_both_equal(col, tmp_path)["notes"]) == 6
        package = _both_equal(col, tmp_path, deck="Science")
        guids = col.setting(interop_ops.GUID_SETTING)
        assert {row[1] for row in package["notes"]} <= set(guids.values())
        assert len(package["notes"]) == 1  # its guid kept (above)
        col.export("Science", tmp_path / "ours.apkg", now=NOW)
        assert _rows_of(tmp_path / "ours.apkg") == package
        anki = anki_import(tmp_path / "ours.apkg", tmp_path / "back.anki2")
        try:
            assert anki.note_count() == len(package["notes"])
            assert anki.db.scalar("SELECT count() FROM revlog") == len(package["revlog"])
        finally:
            anki.close()
    finally:
        col.close()


def test_where_the_sql_way_does_not_apply_the_export_takes_the_python_way(
    col: Collection, tmp_path: Path
) -> None:
    # two answers of one card in one millisecond: which is its first depends on more
    # than SQL says (of several cards: test_export_sql_clashes.py)
    with col._write() as s:
        s.connection().execute(
            text(
                "UPDATE reviews SET time_ms = (SELECT min(time_ms) FROM reviews "
                "WHERE card_id = 'k3f9q2') WHERE id = (SELECT max(id) FROM reviews "
                "WHERE card_id = 'k3f9q2')"
            )
        )
    assert export_by_sql(col, None, tmp_path / "none.apkg", now=NOW) is None
    assert not (tmp_path / "none.apkg").exists()
    col.export(None, tmp_path / "export.apkg", now=NOW)
    write_apkg(export_ops.export_data(col, None), tmp_path / "fresh.apkg", now=NOW)
    assert _rows_of(tmp_path / "export.apkg") == _rows_of(tmp_path / "fresh.apkg")


def test_a_deck_package_has_the_indexes_an_importer_reads_by_a_collection_all(
    col: Collection, tmp_path: Path
) -> None:
    package = _both_equal(col, tmp_path)
    assert [name for (name,) in package["indexes"]] == ["ix_cards_nid", "ix_revlog_cid"]
    report = col.export(None, tmp_path / "whole.colpkg", now=NOW)
    assert report.cards == 11
    whole = _rows_of(tmp_path / "whole.colpkg")
    assert len(whole["indexes"]) == 7
    assert {k: v for k, v in whole.items() if k != "indexes"} == {
        k: v for k, v in package.items() if k != "indexes"
    }


def test_a_stored_note_whose_card_ids_do_not_match_takes_the_python_way(
    col: Collection, tmp_path: Path
) -> None:
    col.export(None, tmp_path / "first.apkg", now=NOW)
    with col._write() as s:  # same count, another card's name
        s.connection().execute(
            text("UPDATE anki_fields SET card_ids = replace(card_ids, ';rev001:r=', ';rev001:x=')")
        )
    assert export_by_sql(col, None, tmp_path / "none.apkg", now=NOW) is None
    col.export(None, tmp_path / "export.apkg", now=NOW)
    write_apkg(export_ops.export_data(col, None), tmp_path / "fresh.apkg", now=NOW)
    assert _rows_of(tmp_path / "export.apkg") == _rows_of(tmp_path / "fresh.apkg")


def test_a_data_folder_whose_path_needs_escaping(tmp_path: Path) -> None:
    """The package database attaches the collection by URI: spaces, `%` and non-ASCII
    letters in the path are escaped."""
    data = tmp_path / "my data 50% é"
    col = Collection.open(data, seed=False)
    try:
        (col.library / "geo.md").write_text(CLOZES, encoding="utf-8")
        col.sync(now=NOW)
        report = export_by_sql(col, None, tmp_path / "out.apkg", now=NOW)
        assert report is not None and report.cards == 5
    finally:
        col.close()
