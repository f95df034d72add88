"""Due reviews in the queue: lowest retrievability first, exactly, whichever way SQLite is
asked to rank them (issue 18: all of them sorted when they are not many more than the
day's cap, a top-k heap otherwise; an integer key leads the sort), within per-deck limits,
one card per note."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from col_helpers import T0, deck_text, note, write

from flashcards.collection import Collection

NOW_S = int(T0.timestamp())


@pytest.fixture
def col(data_dir: Path, open_col) -> Collection:
    for f in range(3):
        notes = [note(f"Card {f}-{i}", "a", nid=f"f{f}c{i:03d}") for i in range(40)]
        notes.append(note(f"Pair {f} {{.reverse}}", "b", nid=f"f{f}pair"))  # two cards
        write(data_dir / "decks" / f"deck-{f}.md", deck_text(*notes))
    opened = open_col()
    make_due(data_dir)
    opened._generation += 1  # noqa: SLF001 - the rows changed under the collection
    return opened


def make_due(data_dir: Path) -> None:
    """Every card a due review; ratios that differ below 1e-9, equal ones, an empty one."""
    rng = random.Random(3)
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        ids = [r[0] for r in raw.execute("SELECT id FROM cards ORDER BY id")]
        for n, cid in enumerate(ids):
            last = NOW_S - rng.randrange(1, 40) * 86400
            stability = rng.uniform(1, 30)
            if n % 9 == 0:  # same last review, stabilities apart by ulps, against id order
                last, stability = NOW_S - 10 * 86400, 5.0 * (1 - n * 1e-16)
            if n % 11 == 0:  # exact ties: told apart by id
                last, stability = NOW_S - 20 * 86400, 4.0
            raw.execute(
                "UPDATE cards SET state = 2, reps = 3, last_review = ?, stability = ?, "
                "difficulty = 5, due = ? WHERE id = ?",
                (last, None if cid == "f1c007" else stability, NOW_S - 3600, cid),
            )


def expected(data_dir: Path, *, per_deck: int | None = None, cap: int = 9999) -> list[str]:
    """The rule, in Python: (now - last review) / stability descending (empty last), then
    id; at most `per_deck` from each deck, `cap` in all; one card per note."""
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        rows = raw.execute("SELECT id, note_id, deck_id, last_review, stability FROM cards")
        ranked = sorted(
            rows,
            key=lambda r: (r[4] is None, -((NOW_S - r[3]) / r[4]) if r[4] else 0.0, r[0]),
        )
    taken: dict[int, int] = {}
    notes: set[str] = set()
    out = []
    for cid, nid, deck, *_ in ranked:
        if len(out) >= cap:
            break
        if per_deck is not None and taken.get(deck, 0) >= per_deck:
            continue
        taken[deck] = taken.get(deck, 0) + 1
        if nid not in notes:
            notes.add(nid)
            out.append(cid)
    return out


@pytest.mark.parametrize("cap", [9999, 100, 30, 7])
def test_reviews_in_exact_retrievability_order_under_any_cap(
    col: Collection, data_dir: Path, cap: int
) -> None:
    # 126 due: the cap decides whether SQLite sorts them all or keeps a top-k heap.
    col.save_preset(replace(col.presets()[1], reviews_per_day=cap), preset_id=1)
    want = expected(data_dir, per_deck=cap, cap=cap)
    assert col.queue(now=T0) == want
    assert want[-1] == "f1c007" or cap < 120  # the card without stability comes last
    assert col.next_card(now=T0).id == want[0]


@pytest.mark.parametrize("per_deck", [5, 30, 60])
def test_per_deck_limits_bind_in_either_way_of_ranking(
    col: Collection, data_dir: Path, per_deck: int
) -> None:
    # Each deck its own preset's limit (they bind), the default preset's cap above them.
    preset = replace(col.presets()[1], name="Tight", reviews_per_day=per_deck)
    tight = col.save_preset(preset)
    for f in range(3):
        col.set_deck_preset(f"deck-{f}.md", tight)
    col.save_preset(replace(col.presets()[1], reviews_per_day=9999), preset_id=1)
    assert col.queue(now=T0) == expected(data_dir, per_deck=per_deck)


def test_a_sibling_learning_today_keeps_its_reviews_out(col: Collection, data_dir: Path) -> None:
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        raw.execute(
            "UPDATE cards SET state = 1, step = 0, due = ? WHERE id = 'f0pair'", (NOW_S - 60,)
        )
    col._generation += 1  # noqa: SLF001
    queue = col.queue(now=T0)
    assert queue[0] == "f0pair" and "f0pair:r" not in queue
    assert "f2pair" in queue or "f2pair:r" in queue  # the other pairs: one card each
    assert not ({"f2pair", "f2pair:r"} <= set(queue))
