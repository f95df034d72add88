"""The review log and card counters an .apkg carries, as Anki writes them: each revlog
row's type (learn 0, review 1, relearn 2, manual 4), ivl (days; a learning step as
negative seconds) and lastIvl from the replayed schedule, the cards' reps and lapses;
the same by SQL and the Python way, and read back so by the real `anki` package."""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki_factory import anki_import, export_package
from sample_deck import sql_equals_python, write_modeling

from flashcards.collection.collection import Collection
from flashcards.core.model import CardId, CardState, MemoryState, Rating
from flashcards.core.scheduling import Preset, review
from flashcards.interop.history import REPLAY_PRESET, anki_log

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


@pytest.mark.parametrize(
    "preset",
    [
        REPLAY_PRESET,
        Preset(enable_fuzzing=False, learning_steps=(), relearning_steps=()),
        Preset(
            enable_fuzzing=False,
            learning_steps=(timedelta(seconds=61), timedelta(seconds=601, microseconds=3)),
            relearning_steps=(timedelta(minutes=3),),
            desired_retention=0.8,
            maximum_interval=30,
        ),
    ],
)
def test_anki_log_follows_the_scheduler_answer_by_answer(preset: Preset) -> None:
    """Each row's type and interval as the scheduler gives them, answer by answer (Hard
    on a first step, same-day steps, long gaps), at millisecond times."""
    rng = random.Random(5)
    for _ in range(300):
        when = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(milliseconds=rng.randint(0, 10**10))
        state, rows, expected, last_ivl = MemoryState(), [], [], 0
        for _ in range(rng.randint(1, 20)):
            when += timedelta(milliseconds=rng.choice((999, 61_000, 600_001, 86_399_999, 10**9)))
            rating = Rating(rng.randint(1, 4))
            before = state.state
            state = review(state, rating, now=when, preset=preset, card_id=CardId("c")).after
            assert state.due is not None
            seconds = (state.due - when).total_seconds()
            if state.state is CardState.REVIEW or seconds >= 86400:
                ivl = max(1, round(seconds / 86400))
            else:
                ivl = -max(1, round(seconds))
            kind = {CardState.REVIEW: REVIEW, CardState.RELEARNING: RELEARN}.get(before, LEARN)
            expected.append((kind, ivl, last_ivl))
            last_ivl = ivl
            rows.append((int(when.timestamp() * 1000), int(rating), 0, False))
        assert anki_log(rows, preset=preset)[0] == expected


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


def _lapsed_package(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """An Anki package of two cards answered Again on review, as Anki logs and counts
    it: one relearning (lapses 1), one back in review with lapses 7 (a pruned log)."""
    from anki.collection import Collection as AnkiCollection

    (tmp_path / "a").mkdir()
    anki = AnkiCollection(str(tmp_path / "a" / "collection.anki2"))
    now, day = int(NOW.timestamp()), 86400
    guids = {}
    for n, (front, lapses) in enumerate((("relearning", 1), ("often forgotten", 7))):
        note = anki.new_note(anki.models.by_name("Basic"))
        note["Front"], note["Back"] = front, "a"
        anki.add_note(note, anki.decks.id("Hist"))
        guids[front] = note.guid
        card = note.cards()[0]
        log = [(now - 60 * day, 3, -600, 0, 0), (now - 60 * day + 600, 3, 1, -600, 0)]
        log += [(now - 59 * day, 3, 4, 1, 1), (now - 55 * day, 3, 12, 4, 1)]
        if front == "relearning":
            log.append((now - 600, 1, -600, 12, 1))  # the lapse, 10 minutes ago
        for k, (t, ease, ivl, last, kind) in enumerate(log):
            anki.db.execute(
                "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
                "VALUES (?, ?, -1, ?, ?, ?, 2500, 4000, ?)",
                t * 1000 + 10 * n + k,
                card.id,
                ease,
                ivl,
                last,
                kind,
            )
        card.lapses, card.reps = lapses, len(log) + 5 * (lapses - 1)
        if front == "relearning":
            card.type, card.queue, card.ivl, card.due, card.left = 3, 1, 1, now, 1001
        else:
            card.type, card.queue, card.ivl, card.due = 2, 2, 12, anki.sched.today + 10
        anki.update_card(card)
    out = tmp_path / "lapsed.apkg"
    export_package(anki, out, layout="anki21", media=False)
    anki.close()
    return out, guids


def test_import_takes_anki_lapse_count_and_the_leech_count_goes_on_from_it(
    tmp_path: Path,
) -> None:
    from flashcards.interop.anki_notes import note_id_for_guid

    package, guids = _lapsed_package(tmp_path)
    data = tmp_path / "data"
    with Collection.open(data, seed=False) as col:
        col.import_path(package)
        relearning = note_id_for_guid(guids["relearning"])
        often = note_id_for_guid(guids["often forgotten"])
        assert col.card(relearning).lapses == 1  # as Anki's card info says
        assert col.card(relearning).reps == 5
        assert col.card(often).lapses == 7
        # The eighth lapse here makes it a leech, as in Anki (threshold 8).
        due = col.card(often).memory.due
        assert due is not None
        change = col.answer(often, Rating.AGAIN, now=max(due, NOW) + timedelta(hours=1))
        assert change.leeches == {often}
        assert col.card(often).lapses == 8
        # Importing the same package again changes no count.
        col.import_path(package)
        assert col.card(relearning).lapses == 1
    # The counts travel in the device log: a rebuilt collection has them.
    from flashcards.cli import main as cli

    (data / "collection.sqlite3").write_bytes(b"garbage" * 1000)
    assert cli(["--data-dir", str(data), "rebuild"], out=io.StringIO()) == 0
    with Collection.open(data, seed=False) as col:
        assert col.card(relearning).lapses == 1
        assert col.card(often).lapses == 8
