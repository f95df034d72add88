"""New cards in a useful order: the gather and sort orders of a preset, and the bundled
exam questions arriving right after the notes they test."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from col_helpers import T0, deck_text, note, write

from flashcards.core.links import resolve_links
from flashcards.core.model import CardKind, CardState, Rating
from flashcards.core.parser import parse_file
from flashcards.core.queue_order import NewGather, NewSort, random_key

DAY = timedelta(days=1)
BUNDLED = Path(__file__).resolve().parents[2] / "decks"


def question(title: str, *links: str, nid: str) -> str:
    see = " ".join(f"[[{t}]]" for t in links)
    return f"## {title} {{#{nid}}}\nWhich one?\n- [x] Right\n- [ ] Wrong\n?\nBecause. {see}\n"


def set_orders(col, gather: NewGather | str, sort: NewSort | str, **extra: int) -> None:
    col.save_preset(
        replace(col.presets()[1], new_gather=gather, new_sort=sort, **extra), preset_id=1
    )


def new_ids(col, deck: str | None, now) -> list[str]:
    """The new cards of the day's queue, in order."""
    ids = col.queue(deck, now=now)
    return [v.id for v in col.cards(ids, now=now) if v.state is CardState.NEW]


# -- the bundled decks --------------------------------------------------------------------


@pytest.mark.parametrize("deck", [None, "AWS ML Specialty"])
def test_a_newcomers_first_week_brings_questions_after_their_notes(
    data_dir: Path, open_col, deck: str | None
) -> None:
    shutil.copytree(BUNDLED, data_dir / "decks", dirs_exist_ok=True)
    col = open_col()
    root = data_dir / "decks"
    decks = [parse_file(p, root=root).deck for p in sorted(root.rglob("*.md"))]
    targets, _ = resolve_links(decks)
    file_of = {n.id: d.file for d in decks for n in d.notes}
    # The notes of its own file that each question links to: the notes it tests.
    tests = {
        n.id: {
            t for i in range(len(n.links)) if (t := targets.get((n.id, i))) and file_of[t] == d.file
        }
        for d in decks
        for n in d.notes
        if n.choices
    }
    seen: set[str] = set()  # notes met so far, in order
    questions_per_day = []
    for day in range(7):
        now = T0 + day * DAY
        views = col.cards(new_ids(col, deck, now), now=now)
        assert len(views) == 20
        asked = 0
        for v in views:
            if v.card.kind is CardKind.CHOICE:
                asked += 1
                assert tests[v.note_id] <= seen, (day + 1, v.card.title)
            seen.add(v.note_id)
            col.answer(v.id, Rating.EASY, now=now)
        questions_per_day.append(asked)
    assert questions_per_day[0] >= 2, questions_per_day
    assert sum(questions_per_day) >= 20, questions_per_day  # about one card in five
    exam_questions = [
        n for d in decks if d.file.startswith("aws-ml-specialty/") for n in d.notes if n.choices
    ]
    assert len(exam_questions) == 214


def test_in_file_order_the_questions_wait_for_the_end(data_dir: Path, open_col) -> None:
    # What a newcomer got before: in file order no question in the first week.
    shutil.copytree(BUNDLED, data_dir / "decks", dirs_exist_ok=True)
    col = open_col()
    set_orders(col, NewGather.FILE, NewSort.GATHERED)
    ids = new_ids(col, "AWS ML Specialty", T0)
    assert not [v for v in col.cards(ids, now=T0) if v.card.kind is CardKind.CHOICE]


# -- each order on a small library ------------------------------------------------------
#
# a1.md (domain A): A1 A2 A3, then question QA testing A2
# a2.md (domain A): A4 A5
# b.md  (domain B): B1 B2 B3, then questions QB testing B1 and QX testing nothing


@pytest.fixture
def small(data_dir: Path, open_col):
    lib = data_dir / "decks" / "exam"
    write(
        lib / "a1.md",
        deck_text(
            note("A1", nid="aaaa01"),
            note("A2", nid="aaaa02"),
            note("A3", nid="aaaa03"),
            question("QA", "A2", nid="qqqqa1"),
            domain="A",
        ),
    )
    write(lib / "a2.md", deck_text(note("A4", nid="aaaa04"), note("A5", nid="aaaa05"), domain="A"))
    write(
        lib / "b.md",
        deck_text(
            note("B1", nid="bbbb01"),
            note("B2", nid="bbbb02"),
            note("B3", nid="bbbb03"),
            question("QB", "B1", nid="qqqqb1"),
            question("QX", nid="qqqqx1"),
            domain="B",
        ),
    )
    return open_col()


def test_default_domains_in_turn_with_questions_after_their_notes(small) -> None:
    # Interleaved by kind: QB right after B1, QA after A2, and QX (testing nothing) in the
    # middle of the day.
    assert new_ids(small, None, T0) == [
        "aaaa01", "bbbb01", "qqqqb1", "aaaa02", "qqqqa1", "bbbb02", "qqqqx1",
        "aaaa03", "aaaa04", "bbbb03", "aaaa05",
    ]  # fmt: skip
    # Gathered, the domains take turns card by card; in each deck's order a question
    # follows the notes it tests (QX, testing nothing, halfway through b.md).
    set_orders(small, NewGather.DOMAINS, NewSort.GATHERED)
    assert new_ids(small, None, T0) == [
        "aaaa01", "bbbb01", "aaaa02", "qqqqb1", "qqqqa1", "bbbb02", "aaaa03",
        "qqqqx1", "aaaa04", "bbbb03", "aaaa05",
    ]  # fmt: skip


def test_deck_order_takes_one_deck_after_another(small) -> None:
    set_orders(small, NewGather.DECKS, NewSort.GATHERED)
    assert new_ids(small, None, T0) == [
        "aaaa01", "aaaa02", "qqqqa1", "aaaa03", "aaaa04", "aaaa05",
        "bbbb01", "qqqqb1", "bbbb02", "qqqqx1", "bbbb03",
    ]  # fmt: skip


def test_position_across_decks_takes_every_deck_in_turn(small) -> None:
    set_orders(small, NewGather.POSITION, NewSort.GATHERED)
    assert new_ids(small, None, T0) == [
        "aaaa01", "aaaa04", "bbbb01", "aaaa02", "aaaa05", "qqqqb1",
        "qqqqa1", "bbbb02", "aaaa03", "qqqqx1", "bbbb03",
    ]  # fmt: skip


def test_file_order_is_as_written(small) -> None:
    set_orders(small, NewGather.FILE, NewSort.GATHERED)
    assert new_ids(small, None, T0) == [
        "aaaa01", "aaaa02", "aaaa03", "qqqqa1", "aaaa04", "aaaa05",
        "bbbb01", "bbbb02", "bbbb03", "qqqqb1", "qqqqx1",
    ]  # fmt: skip


def test_interleaved_sort_mixes_a_file_order_day(small) -> None:
    # Five new cards of b.md as written: B1 B2 B3 QB QX. Interleaved, QB follows B1 and
    # QX (testing nothing) is spread among the notes.
    set_orders(small, NewGather.FILE, NewSort.INTERLEAVED, new_per_day=5)
    assert new_ids(small, "exam/b.md", T0) == ["bbbb01", "qqqqb1", "bbbb02", "qqqqx1", "bbbb03"]


def test_a_question_whose_note_was_studied_keeps_its_place(small) -> None:
    small.answer("aaaa02", Rating.EASY, now=T0 - 3 * DAY)
    set_orders(small, NewGather.DECKS, NewSort.GATHERED)
    assert new_ids(small, "exam/a1.md", T0) == ["aaaa01", "qqqqa1", "aaaa03"]
    small.answer("aaaa01", Rating.EASY, now=T0 - 2 * DAY)
    assert new_ids(small, "exam/a1.md", T0) == ["qqqqa1", "aaaa03"]


def test_random_gather_is_the_same_all_day_and_keeps_limits(small, open_col) -> None:
    set_orders(small, NewGather.RANDOM, NewSort.GATHERED, new_per_day=4)
    first = new_ids(small, None, T0)
    assert len(first) == 4
    # Every new card drawn by its key for the day: the four smallest keys.
    every = [v.id for v in small.cards(small.queue(None, now=T0)) if v.state is CardState.NEW]
    assert first == every
    all_new = ["aaaa01", "aaaa02", "aaaa03", "aaaa04", "aaaa05", "bbbb01", "bbbb02", "bbbb03"]
    all_new += ["qqqqa1", "qqqqb1", "qqqqx1"]
    today = small.today(T0)
    assert first == sorted(all_new, key=lambda c: random_key(today, c))[:4]
    assert new_ids(small, None, T0 + timedelta(hours=3)) == first  # same day, same draw
    small.close()
    col = open_col()
    assert new_ids(col, None, T0) == first  # and after a restart
    assert new_ids(col, None, T0 + DAY) != first  # another day, another draw


def test_random_sort_shuffles_the_gathered_cards_the_same_way_all_day(small) -> None:
    set_orders(small, NewGather.FILE, NewSort.GATHERED, new_per_day=6)
    gathered = new_ids(small, "exam/b.md", T0)
    set_orders(small, NewGather.FILE, NewSort.RANDOM, new_per_day=6)
    shuffled = new_ids(small, "exam/b.md", T0)
    today = small.today(T0)
    assert shuffled == sorted(gathered, key=lambda c: random_key(today, c))
    assert shuffled != gathered
    assert new_ids(small, "exam/b.md", T0 + timedelta(hours=5)) == shuffled


def test_orders_persist_and_a_deck_follows_its_own_preset(small, open_col) -> None:
    custom = small.save_preset(
        replace(small.presets()[1], name="As written", new_gather="file", new_sort="gathered")
    )
    small.set_deck_preset("exam/b.md", custom)
    small.close()
    col = open_col()
    preset = col.presets()[custom]
    assert (preset.new_gather, preset.new_sort) == (NewGather.FILE, NewSort.GATHERED)
    assert col.presets()[1].new_gather is NewGather.DOMAINS
    # b.md alone follows its preset (questions last); a mixed selection the default.
    assert new_ids(col, "exam/b.md", T0)[-2:] == ["qqqqb1", "qqqqx1"]
    assert new_ids(col, None, T0)[:3] == ["aaaa01", "bbbb01", "qqqqb1"]


def test_an_edited_file_places_its_questions_anew(small, data_dir: Path) -> None:
    set_orders(small, NewGather.DECKS, NewSort.GATHERED)
    assert new_ids(small, "exam/b.md", T0)[:2] == ["bbbb01", "qqqqb1"]
    # QB now tests B3: after a sync it waits for B3 (the placement kept for the old file
    # is not reused).
    path = data_dir / "decks" / "exam" / "b.md"
    path.write_text(path.read_text().replace("[[B1]]", "[[B3]]"))
    small.sync(now=T0)
    assert new_ids(small, "exam/b.md", T0) == ["bbbb01", "bbbb02", "qqqqx1", "bbbb03", "qqqqb1"]
