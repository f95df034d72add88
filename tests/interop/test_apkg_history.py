"""The review log and card counters an .apkg carries, as Anki writes them: each revlog
row's type (learn 0, review 1, relearn 2, manual 4), ivl (days; a learning step as
negative seconds) and lastIvl from the replayed schedule, the cards' reps and lapses;
the same by SQL and the Python way, and read back so by the real `anki` package."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki_factory import anki_import
from sample_deck import sql_equals_python, write_modeling

from flashcards.collection.collection import Collection
from flashcards.core.model import Rating
from flashcards.interop.history import anki_log

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
MS = 1000
DAY_MS = 86_400_000
LEARN, REVIEW, RELEARN, MANUAL = 0, 1, 2, 4


def test_anki_log_types_intervals_and_counts() -> None:
    t = 1_700_000_000_000
    # Hard on a new card (between the 1 and 10 minute steps), Good (last step), Good
    # (graduates), then a review answered Again (a lapse), Again in relearning (no
    # lapse), Good (back to review); a Forget; Good on the new card again.
    made, counts = anki_log(
        [
            (t, 2, 0, False),
            (t + 330 * MS, 3, 0, False),
            (t + 940 * MS, 3, 0, False),
            (t + 20 * DAY_MS, 1, 0, False),
            (t + 20 * DAY_MS + 600 * MS, 1, 0, False),
            (t + 20 * DAY_MS + 1200 * MS, 3, 0, False),
            (t + 30 * DAY_MS, 0, 0, True),
            (t + 31 * DAY_MS, 3, 0, False),
        ]
    )
    kinds = [row[0] for row in made]
    assert kinds == [LEARN, LEARN, LEARN, REVIEW, RELEARN, RELEARN, MANUAL, LEARN]
    ivls = [row[1] for row in made]
    assert ivls[:2] == [-330, -600] and ivls[2] >= 1
    assert ivls[3:5] == [-600, -600] and ivls[5] >= 1
    assert ivls[6:] == [0, -600]
    lasts = [row[2] for row in made]
    assert lasts == [0, *ivls[:6], 0]  # the interval before; a Forget leaves a new card
    assert (counts.reps, counts.lapses) == (7, 1)


def test_anki_log_after_a_due_date_set_on_a_new_card() -> None:
    t = 1_700_000_000_000
    made, counts = anki_log([(t, 0, 5, False), (t + 5 * DAY_MS, 1, 0, False)])
    assert made[0] == (MANUAL, 5, 0)
    assert made[1] == (REVIEW, -600, 5)  # a review card now: Again is a lapse
    assert (counts.reps, counts.lapses) == (1, 1)


@pytest.fixture
def col(tmp_path: Path) -> Collection:
    collection = Collection.open(tmp_path / "data", seed=False)
    write_modeling(collection.library)
    collection.sync(now=NOW)
    start = NOW - timedelta(days=60)
    # learn (two steps), a review, a lapse, relearned: reps 5, lapses 1
    for rating, day in (
        (Rating.GOOD, 0),
        (Rating.GOOD, 0.01),
        (Rating.GOOD, 5),
        (Rating.AGAIN, 30),
        (Rating.GOOD, 30.01),
    ):
        collection.answer("k3f9q2", rating, now=start + timedelta(days=day), duration_ms=2000)
    collection.set_due(["rev001"], days=4, now=NOW - timedelta(days=10))
    collection.answer("rev001", Rating.AGAIN, now=NOW - timedelta(days=6))
    collection.answer("p8d2m1:c1", Rating.GOOD, now=NOW - timedelta(days=3))
    collection.reset(["p8d2m1:c1"], now=NOW - timedelta(days=2))
    collection.answer("p8d2m1:c1", Rating.GOOD, now=NOW - timedelta(days=1))
    yield collection
    collection.close()


def test_export_writes_anki_counts_and_log_and_anki_reads_them(
    col: Collection, tmp_path: Path
) -> None:
    here = {c: col.card(c) for c in ("k3f9q2", "rev001", "p8d2m1:c1")}
    assert [(v.reps, v.lapses) for v in here.values()] == [(5, 1), (1, 1), (2, 0)]
    package, _, _ = sql_equals_python(col, tmp_path, now=NOW)  # both ways alike
    log: dict[int, list[tuple[int, int, int, int]]] = {}
    for _rid, cid, _usn, ease, ivl, last, _factor, _time, kind in sorted(package["revlog"]):
        log.setdefault(cid, []).append((ease, ivl, last, kind))
    counts = {row[0]: (row[11], row[12]) for row in package["cards"]}
    guids = {row[0]: row[1] for row in package["notes"]}
    where = {row[0]: (guids[row[1]], row[3]) for row in package["cards"]}  # guid, ord
    by_reps = {len(rows): cid for cid, rows in log.items() if rows[0][0] != 0}
    lapsed, reset = by_reps[5], by_reps[3]
    manual_first = next(cid for cid, rows in log.items() if rows[0][0] == 0)
    assert counts[lapsed] == (5, 1)
    assert counts[manual_first] == (1, 1)
    assert counts[reset] == (2, 0)
    assert all(counts[c] == (0, 0) for c in counts if c not in log)

    rows = log[lapsed]
    assert [(r[0], r[3]) for r in rows] == [
        (3, LEARN),  # Good: to the 10-minute step
        (3, LEARN),  # Good on the last step: graduates (still a learning answer)
        (3, REVIEW),
        (1, REVIEW),  # the lapse: to the 10-minute relearning step
        (3, RELEARN),  # Good in relearning: back to review
    ]
    ivls = [r[1] for r in rows]
    assert ivls[0] == -600 and ivls[3] == -600
    assert all(ivls[k] >= 1 for k in (1, 2, 4))
    assert [r[2] for r in rows] == [0, *ivls[:4]]
    (_, set_days, _, kind), answer = log[manual_first]
    assert kind == MANUAL and answer == (1, -600, set_days, REVIEW)  # a lapse of a review card
    assert [r[3] for r in log[reset]] == [LEARN, MANUAL, LEARN]
    assert [r[2] for r in log[reset]][2] == 0  # after the Forget: a new card's

    anki = anki_import(tmp_path / "sql.apkg", tmp_path / "anki" / "collection.anki2")
    try:
        for cid, rows in log.items():
            guid, ord_ = where[cid]
            nid = anki.db.scalar("SELECT id FROM notes WHERE guid = ?", guid)
            card = next(c for c in anki.get_note(nid).cards() if c.ord == ord_)
            assert (card.reps, card.lapses) == counts[cid]
            stats = anki.card_stats_data(card.id)
            assert (stats.reviews, stats.lapses) == counts[cid]
            # Anki's card info lists the log newest first, intervals in seconds
            read = [
                (e.button_chosen, e.interval, e.last_interval, e.review_kind)
                for e in reversed(stats.revlog)
            ]
            secs = [ivl * 86400 if ivl > 0 else -ivl for _, ivl, _, _ in rows]
            lasts = [last * 86400 if last > 0 else -last for _, _, last, _ in rows]
            assert read == [
                (ease, s, last, kind)
                for (ease, _, _, kind), s, last in zip(rows, secs, lasts, strict=True)
            ]
    finally:
        anki.close()
