"""Card info: a card's review history (kind, rating, interval after, time taken), memory
state, recall now and on the exam date, due date, counts, deck and domain, and links."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from col_helpers import T0, deck_text, write

from flashcards.collection import Collection
from flashcards.collection.base import UnknownCardError
from flashcards.collection.card_info import card_info
from flashcards.collection.exam import Exams
from flashcards.core.model import CardState, Rating, ReviewKind
from flashcards.core.scheduling import retrievability

EXAM = """\
name = "Machine Learning Test"
short_name = "ML Test"
code = "MLT-01"
questions = 10
minutes = 30
score = { min = 0, max = 100, pass = 70 }
[[domains]]
name = "Modeling"
weight = 1.0
"""

MODELING = deck_text(
    "## Eta {#eta001}\nWhat does eta do?\n?\nShrinks each tree's step. See [[Early stopping]].\n",
    "## Early stopping {#stp002}\nStop when validation loss stops improving.\n",
    "## Rounds {#rnd003}\nMore rounds with a lower [[Eta]].\n",
    title="Modeling",
    domain="Modeling",
)


@pytest.fixture
def col(data_dir: Path, open_col) -> Collection:
    write(data_dir / "decks" / "ml" / "exam.toml", EXAM)
    write(data_dir / "decks" / "ml" / "modeling.md", MODELING)
    c: Collection = open_col(now=T0 - timedelta(days=30))
    return c


def test_history_state_counts_and_links(col: Collection) -> None:
    t = T0 - timedelta(days=20)
    col.answer("eta001", Rating.GOOD, now=t, duration_ms=4200)  # learning step
    t += timedelta(minutes=11)
    col.answer("eta001", Rating.GOOD, now=t, duration_ms=3000)  # graduates
    t = col.card("eta001").memory.due + timedelta(hours=1)
    col.answer("eta001", Rating.AGAIN, now=t, duration_ms=9000)  # a lapse
    col.practice("eta001", Rating.EASY, now=t + timedelta(minutes=1), duration_ms=1000)
    col.suspend(["eta001"])

    info = card_info(col, "eta001", now=T0)

    assert [r.kind_label for r in info.history] == ["Learn", "Learn", "Review", "Practice"]
    assert [r.rating for r in info.history] == [Rating.GOOD, Rating.GOOD, Rating.AGAIN, Rating.EASY]
    assert [r.duration_ms for r in info.history] == [4200, 3000, 9000, 1000]
    learn, graduate, lapse, practice = info.history
    assert learn.interval == timedelta(minutes=10)  # the second learning step
    assert graduate.interval is not None and graduate.interval >= timedelta(days=1)
    assert lapse.state_after is CardState.RELEARNING and lapse.interval == timedelta(minutes=10)
    assert practice.kind is ReviewKind.PRACTICE and practice.interval is None
    assert info.total_ms == 17200
    view = info.view
    assert (view.reps, view.lapses, view.suspended) == (3, 1, True)
    assert lapse.stability == view.memory.stability
    assert info.due == view.memory.due
    assert info.recall_now == pytest.approx(retrievability(view.memory, now=T0, preset=view.preset))
    assert (view.deck, view.domain) == ("ML Test::Modeling", "Modeling")
    assert info.added is not None and info.added <= t
    assert [v.card.title for v in info.links] == ["Early stopping"]
    assert [v.card.title for v in info.backlinks] == ["Rounds"]


def test_recall_on_the_exam_date(col: Collection) -> None:
    assert card_info(col, "eta001", now=T0).exam is None  # no date set
    col.answer("eta001", Rating.EASY, now=T0 - timedelta(days=3))
    Exams(col).set_exam_date(date(2027, 1, 15))
    info = card_info(col, "eta001", now=T0)
    assert info.exam is not None
    assert (info.exam.exam, info.exam.day) == ("MLT-01", date(2027, 1, 15))
    noon = datetime(2027, 1, 15, 12, tzinfo=col.day_config().tz)
    expected = retrievability(info.view.memory, now=noon, preset=info.view.preset)
    assert info.exam.recall == pytest.approx(expected)
    assert info.recall_now is not None and info.exam.recall < info.recall_now  # it fades
    # A card never reviewed has no recall to show, now or then.
    fresh = card_info(col, "stp002", now=T0)
    assert fresh.recall_now is None and fresh.exam is not None and fresh.exam.recall is None
    assert fresh.history == () and fresh.due is None and fresh.interval is None


def test_an_unknown_card_is_an_error(col: Collection) -> None:
    with pytest.raises(UnknownCardError):
        card_info(col, "nosuch", now=T0)
