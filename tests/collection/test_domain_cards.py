"""An exam domain's cards are the same on every screen: `Exams.domain_cards` (its decks
by front matter and what its `query` matches) is what the browser's `domain:` search,
a `domain:NAME` selection (studying it, its counts, stats) and the concept map take.
QA: MLA-C01's "Data Preparation for ML" held 352 cards for readiness, 17 elsewhere."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from flashcards.collection import Collection
from flashcards.collection.browse import search_cards
from flashcards.collection.card_stats import card_figures
from flashcards.collection.cheatsheet import SheetOptions, load_sheet, sheet_scopes
from flashcards.collection.concept_map import map_data
from flashcards.collection.domain_retention import domain_retention
from flashcards.collection.exam import Exams
from flashcards.collection.stats_filter import StatsFilter
from flashcards.core.model import Rating
from tests.collection.col_helpers import T0, deck_text, note, write

EXAM = """\
name = "Exam Alpha"
code = "A-01"
questions = 10
minutes = 30
score = { min = 100, max = 1000, pass = 700 }
[[domains]]
name = "Alpha"
weight = 0.5
query = "deck:shared/whole or tag:alpha"
[[domains]]
name = "Beta"
weight = 0.5
query = "tag:both"
"""


def tagged(title: str, nid: str, tags: str) -> str:
    return f"## {title} {{#{nid}}}\nAnswer of {title}\nTags: {tags}\n"


def make_library(data_dir: Path) -> None:
    lib = data_dir / "decks"
    write(lib / "ex" / "exam.toml", EXAM)
    write(
        lib / "ex" / "alpha.md",
        deck_text(*(note(f"a {i}", nid=f"a{i:03d}") for i in range(4)), domain="Alpha"),
    )
    write(
        lib / "ex" / "beta.md",
        deck_text(*(note(f"b {i}", nid=f"b{i:03d}") for i in range(3)), domain="Beta"),
    )
    write(
        lib / "shared" / "whole.md", deck_text(*(note(f"w {i}", nid=f"w{i:03d}") for i in range(5)))
    )
    # A deck the query splits: two cards are Alpha's, one both domains', three neither's.
    notes = [
        tagged("p 0", "p000", "alpha leech"),
        tagged("p 1", "p001", "alpha"),
        tagged("p 2", "p002", "alpha both"),
    ]
    notes += [note(f"p {i}", nid=f"p{i:03d}") for i in range(3, 6)]
    write(lib / "shared" / "part.md", deck_text(*notes))
    # Front matter naming the domain outside the profile's folder: not the exam's.
    write(lib / "mine" / "own.md", deck_text(note("o 0", nid="o000"), domain="Alpha"))


@pytest.fixture
def col(data_dir: Path, open_col) -> Collection:  # type: ignore[no-untyped-def]
    make_library(data_dir)
    opened: Collection = open_col(now=T0)
    return opened


ALPHA = {*(f"a{i:03d}" for i in range(4)), *(f"w{i:03d}" for i in range(5)), "p000", "p001", "p002"}
BETA = {"b000", "b001", "b002", "p002"}


def test_the_search_finds_the_exams_domain_cards(col: Collection) -> None:
    exams = Exams(col).domain_cards(now=T0)
    assert set(exams["Alpha"]) == ALPHA and set(exams["Beta"]) == BETA
    assert set(search_cards(col, 'domain:"Alpha"', now=T0)) == ALPHA
    assert set(search_cards(col, "domain:beta", now=T0)) == BETA  # any case
    assert set(search_cards(col, "domain:Al*", now=T0)) == ALPHA
    assert set(search_cards(col, "-domain:Alpha is:new", now=T0)) >= {"o000", "p003"}


def test_studying_a_domain_brings_its_cards_and_only_them(col: Collection) -> None:
    # Cards of the split deck outside the domain: one learning, one due for review.
    col.answer("p003", Rating.AGAIN, now=T0 - timedelta(minutes=30))
    col.answer("p004", Rating.EASY, now=T0 - timedelta(days=60))
    assert col.counts("shared/part.md", now=T0) == (4, 1, 1)
    assert col.counts("domain:Alpha", now=T0) == (12, 0, 0)
    assert col.counts("domain:Beta", now=T0) == (4, 0, 0)
    served: list[str] = []
    now = T0
    while (card := col.next_card("domain:Alpha", now=now)) is not None:
        first = card.card.id not in served
        served.append(card.card.id)
        again = card.card.id == "p001" and first
        col.answer(card.card.id, Rating.AGAIN if again else Rating.EASY, now=now)
        now += timedelta(seconds=5)
        assert len(served) < 30
        if again:  # a learning card of a split deck counts, its deck's other cards not
            assert col.counts("domain:Alpha", now=now, learn_ahead=False)[1] == 1
    assert set(served) == ALPHA  # neither p003 nor p004
    assert served.count("p001") == 2  # a learning card of a split deck comes back
    assert col.counts("domain:Alpha", now=now) == (0, 0, 0)
    assert col.counts("domain:Beta", now=now) == (3, 0, 0)  # p002 is Beta's too: seen


def test_stats_of_a_domain_count_its_cards(col: Collection) -> None:
    figures = card_figures(col, StatsFilter(deck="domain:Alpha"), now=T0)
    assert figures.states.total == len(ALPHA)
    searched = card_figures(col, StatsFilter(search="domain:Beta"), now=T0)
    assert searched.states.total == len(BETA)


def test_the_stats_by_exam_domain_count_what_its_query_takes(col: Collection) -> None:
    rows = {r.domain: r for r in domain_retention(col, now=T0)}
    assert list(rows) == ["Alpha", "Beta"]  # "mine/own.md" names Alpha too: outside the exam
    assert rows["Alpha"].leeches == 1  # p000, a card of a deck its query splits
    assert rows["Beta"].leeches == 0
    rows = {r.domain: r for r in domain_retention(col, StatsFilter(deck="shared"), now=T0)}
    assert list(rows) == ["Alpha", "Beta"]  # the folder holds no deck naming a domain


def test_the_concept_map_colours_a_note_by_the_exam_domain_that_takes_it(
    col: Collection, data_dir: Path
) -> None:
    # Links from a query-taken card to its domain's deck and to the other domain's.
    write(
        data_dir / "decks" / "shared" / "whole.md",
        deck_text(note("w 0", "See [[a 0]] and [[b 0]].", nid="w000")),
    )
    col.sync(now=T0)
    data = map_data(col, now=T0)
    domain = {n.note_id: n.domain for n in data.nodes}
    assert domain["w000"] == "Alpha"  # its query's, though its deck names no domain
    assert domain["p000"] == "Alpha" and domain["p003"] is None  # a split deck
    assert domain["p002"] == "Alpha"  # both domains' queries take it: the first's
    assert domain["o000"] == "Alpha"  # outside the exam, its own front matter
    assert domain["b000"] == "Beta"
    cross = {frozenset((e.source, e.target)): e.cross_domain for e in data.edges}
    assert cross == {frozenset(("w000", "a000")): False, frozenset(("w000", "b000")): True}


def test_a_cheat_sheet_of_a_domain_holds_its_cards_in_the_maps_colours(col: Collection) -> None:
    sheet = load_sheet(col, SheetOptions(domain="Alpha"), now=T0)
    assert {c.card.id for c in sheet.cards} == ALPHA  # p003-p005 of the split deck: not
    assert {c.domain for c in sheet.cards} == {"Alpha"}
    assert "Domain: Alpha" in [label for label, _ in sheet_scopes(col)]
