"""The concept map's data from a real collection: nodes, edges, recall, positions,
study selections and adding a link."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from col_helpers import T0, write

from flashcards.collection import Collection
from flashcards.collection.concept_map import (
    REGIONS_KEY,
    EdgeKind,
    load_positions,
    load_regions,
    map_data,
    save_positions,
    save_regions,
)
from flashcards.collection.concept_map_actions import (
    add_link,
    is_due_now,
    study_cards,
    suggested_links,
    with_link,
)
from flashcards.core.model import CardState, Rating, ReviewKind
from flashcards.core.region_layout import Region

MODELING = """\
---
title: Modeling
domain: Modeling
---

## XGBoost eta {#xgbeta}
Lower eta: each tree adds less. See [[Early stopping]].

## Early stopping {#earlys}
Stop when validation loss stops improving.

## Precision {#precis}
Precision = {{TP / (TP + FP)}} and recall = {{c2::TP / (TP + FN)}}.
Tags: metrics

## Recall {#recall}
Recall is the share of positives found; it trades off with precision.
Tags: metrics
"""

DATA = """\
---
title: Data
domain: Data Engineering
---

## Streaming validation {#stream}
Kinesis streams validation loss to the trainer, which applies [[Early stopping]].
Shards: [[Kinesis shards]].

## Kinesis shards {#shards}
A shard takes 1 MB/s in.

## Firehose to Parquet {#fhparq}
Firehose converts JSON records to Parquet with a Glue schema before writing to S3.
"""

LOOSE = """\
## Parquet conversion in Firehose {#loose1}
Firehose record format conversion writes Parquet from JSON records using a Glue schema.
"""


@pytest.fixture
def col(data_dir: Path, open_col: Callable[..., Collection]) -> Collection:
    write(data_dir / "decks" / "modeling.md", MODELING)
    write(data_dir / "decks" / "data.md", DATA)
    write(data_dir / "decks" / "loose.md", LOOSE)
    return open_col()


def _pairs(edges: object) -> set[frozenset[str]]:
    return {frozenset((e.source, e.target)) for e in edges}  # type: ignore[attr-defined]


def test_one_node_per_note_and_edges_match_the_links(col: Collection) -> None:
    data = map_data(col, now=T0)
    assert sorted(n.note_id for n in data.nodes) == sorted(
        ["xgbeta", "earlys", "precis", "recall", "stream", "shards", "fhparq", "loose1"]
    )
    precision = data.node("precis")
    assert precision is not None and len(precision.card_ids) == 2  # two clozes, one node
    assert _pairs(data.edges) == {
        frozenset({"xgbeta", "earlys"}),
        frozenset({"stream", "earlys"}),
        frozenset({"stream", "shards"}),
    }
    cross = {frozenset((e.source, e.target)): e.cross_domain for e in data.edges}
    assert cross[frozenset({"stream", "earlys"})] is True
    assert cross[frozenset({"xgbeta", "earlys"})] is False
    early = data.node("earlys")
    assert early is not None and early.links == 2 and early.domain == "Modeling"
    assert data.domains == ("Data Engineering", "Modeling")
    loose = data.node("loose1")
    assert loose is not None and loose.domain is None


def test_recall_due_and_new_follow_the_schedule(col: Collection) -> None:
    col.answer("xgbeta", Rating.EASY, now=T0 - timedelta(days=1))  # review, due in days
    col.answer("earlys", Rating.AGAIN, now=T0 - timedelta(days=3))  # learning, due long ago
    data = map_data(col, now=T0)
    eta, early, shards = data.node("xgbeta"), data.node("earlys"), data.node("shards")
    assert eta is not None and early is not None and shards is not None
    assert shards.recall is None and shards.is_new and not shards.is_due
    assert eta.recall is not None and 0.8 < eta.recall <= 1.0 and not eta.is_due
    assert early.recall is not None and early.recall < eta.recall and early.is_due
    assert eta.due is not None and eta.due > T0
    assert is_due_now(col, "earlys", now=T0) and not is_due_now(col, "xgbeta", now=T0)
    assert is_due_now(col, "shards", now=T0)  # new cards are answered normally


def test_tag_edges_join_notes_sharing_an_uncommon_tag(col: Collection) -> None:
    assert not [e for e in map_data(col, now=T0).edges if e.kind is EdgeKind.TAG]
    tagged = [e for e in map_data(col, now=T0, tag_edges=True).edges if e.kind is EdgeKind.TAG]
    assert _pairs(tagged) == {frozenset({"precis", "recall"})}


def test_positions_round_trip_and_forget_vanished_notes(col: Collection) -> None:
    assert load_positions(col) == {}
    save_positions(col, {"xgbeta": (1.25, -2.0), "earlys": (30.0, 40.0)})
    assert load_positions(col) == {"xgbeta": (1.2, -2.0), "earlys": (30.0, 40.0)}
    # Positions without regions are an older layout's: the map lays out afresh.
    assert map_data(col, now=T0).positions == {}
    save_regions(col, {"Modeling": Region(10.0, 20.0, 300.0)})
    data = map_data(col, now=T0)
    assert data.positions["earlys"] == (30.0, 40.0)
    assert data.regions == {"Modeling": Region(10.0, 20.0, 300.0)}
    save_positions(col, {"earlys": (5.0, 5.0)}, keep=["xgbeta"])
    assert load_positions(col) == {"xgbeta": (1.2, -2.0), "earlys": (5.0, 5.0)}
    save_positions(col, {"earlys": (6.0, 6.0)})
    assert load_positions(col) == {"earlys": (6.0, 6.0)}


def test_study_cards_cover_every_card_of_the_notes_in_order(col: Collection) -> None:
    assert study_cards(col, ["shards", "precis"]) == ["shards", "precis:c1", "precis:c2"]
    col.suspend(["precis:c2"])
    assert study_cards(col, ["precis", "precis", "nothere"]) == ["precis:c1"]
    assert study_cards(col, []) == []


def test_with_link_goes_before_a_tags_line_and_keeps_trailing_blank_lines() -> None:
    assert with_link("## A\nBody\nTags: x\n", "B") == "## A\nBody\nSee also [[B]].\nTags: x\n"
    assert with_link("## A\nBody", "B") == "## A\nBody\nSee also [[B]]."


def test_a_see_also_link_to_a_title_with_a_bar_resolves_to_it() -> None:
    from flashcards.core.links import parse_link_text

    line = with_link("## A\nBody", "Precision | recall").splitlines()[-1]
    assert line == "See also [[Precision \\| recall]]."
    link = parse_link_text(line[len("See also [[") : -len("]].")])
    assert link is not None and (link.target, link.text) == ("Precision | recall", None)


def test_add_link_edits_the_file_and_keeps_history(col: Collection, data_dir: Path) -> None:
    col.answer("precis:c1", Rating.GOOD, now=T0 - timedelta(days=2))
    before = col.card("precis:c1")
    add_link(col, "precis", "recall")
    text = (data_dir / "decks" / "modeling.md").read_text(encoding="utf-8")
    assert "{{c2::TP / (TP + FN)}}.\nSee also [[Recall]].\nTags: metrics\n\n## Recall" in text
    after = col.card("precis:c1")
    assert after.memory == before.memory and after.card.tags == ("metrics",)
    assert [h.kind for h in col.history("precis:c1")] == [ReviewKind.REVIEW]
    assert frozenset({"precis", "recall"}) in _pairs(map_data(col, now=T0).edges)


def test_suggestions_pair_similar_unlinked_notes(col: Collection) -> None:
    found = suggested_links(col, threshold=0.2)
    pairs = [frozenset((s.a, s.b)) for s in found]
    assert frozenset({"fhparq", "loose1"}) in pairs
    assert frozenset({"xgbeta", "earlys"}) not in pairs  # already linked
    assert all(s.score >= 0.2 for s in found)


def test_practice_in_a_study_session_leaves_the_schedule(col: Collection) -> None:
    # The contract the map's study session relies on.
    col.answer("xgbeta", Rating.EASY, now=T0 - timedelta(days=1))
    before = col.card("xgbeta").memory
    col.practice("xgbeta", Rating.AGAIN, now=T0)
    assert col.card("xgbeta").memory == before
    assert before.state is CardState.REVIEW


def test_regions_of_another_layout_version_are_not_read(col: Collection) -> None:
    save_regions(col, {"": Region(0.0, 0.0, 50.0), "Modeling": Region(1.0, 2.0, 3.0)})
    assert load_regions(col) == {"": Region(0.0, 0.0, 50.0), "Modeling": Region(1.0, 2.0, 3.0)}
    col.set_setting(REGIONS_KEY, {"version": 1, "regions": {"Modeling": [1, 2, 3]}})
    assert load_regions(col) == {}
    col.set_setting(REGIONS_KEY, {"version": 2, "regions": {"Modeling": [1, 2, -3], "x": "y"}})
    assert load_regions(col) == {}


def test_domains_follow_the_active_exam_profile(
    data_dir: Path, open_col: Callable[..., Collection]
) -> None:
    """The legend (and so the colours and regions) lists the active profile's domains in
    its order, then another profile's that decks use; a deck spelling a profile's domain
    in another case joins it."""
    write(
        data_dir / "decks" / "exam-a" / "exam.toml",
        _PROFILE.format(code="AAA", one="Modeling", two="Data Engineering"),
    )
    write(
        data_dir / "decks" / "exam-b" / "exam.toml",
        _PROFILE.format(code="BBB", one="Vision", two="Audio"),
    )
    write(
        data_dir / "decks" / "exam-a" / "modeling.md",
        MODELING.replace("domain: Modeling", "domain: modeling"),
    )
    write(data_dir / "decks" / "exam-a" / "data.md", DATA)
    write(
        data_dir / "decks" / "exam-b" / "vision.md",
        "---\ntitle: V\ndomain: Vision\n---\n\n## Pixels\nDots.\n",
    )
    write(
        data_dir / "decks" / "other.md", "---\ntitle: O\ndomain: Zoology\n---\n\n## Cats\nMeow.\n"
    )
    col = open_col()
    from flashcards.collection.exam import Exams

    data = map_data(col, now=T0)
    assert data.domains == ("Modeling", "Data Engineering", "Vision", "Zoology")
    early = data.node("earlys")
    assert early is not None and early.domain == "Modeling"
    Exams(col).set_active("BBB")
    data = map_data(col, now=T0)
    assert data.domains == ("Vision", "Audio", "Modeling", "Data Engineering", "Zoology")


_PROFILE = """\
name = "Exam {code}"
code = "{code}"
questions = 10
minutes = 30
score = {{ min = 0, max = 100, pass = 50 }}
[[domains]]
name = "{one}"
weight = 0.5
[[domains]]
name = "{two}"
weight = 0.5
"""
