"""An imported Anki card keeps Anki's due date, as Anki keeps it when FSRS is turned on
without rescheduling; its memory state (stability, difficulty) comes from replaying its
review log. Kept through a re-import, a rebuild from the device logs, a recompute of
memory states and an export back to Anki.

Anki's scheduler reads the real clock (its answers, its "today"), so the moment the test
compares days at is Anki's: the middle of its day, read from the collection.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import Collection as AnkiCollection
from anki.collection import ExportAnkiPackageOptions
from anki.scheduler.v3 import CardAnswer
from anki_factory import anki_import

from flashcards.collection.collection import Collection
from flashcards.collection.optimize import recompute_memory
from flashcards.core.model import CardState, ReviewKind
from flashcards.interop.history import replay

EASY, GOOD, AGAIN = CardAnswer.EASY, CardAnswer.GOOD, CardAnswer.AGAIN
# front -> how the card is left in Anki
PLAN = {
    "alpha": "review",  # Easy: a review card, due by SM-2 (3-5 days), FSRS would say 8
    "bravo": "set due",  # Easy, then Anki's Set Due Date: 10 days
    "charlie": "learning",  # Good: the 10-minute step, due at an epoch second
    "delta": "new",
    "echo": "relearning",  # Easy, then Again: relearning, due in 10 minutes
    "foxtrot": "suspended",  # Easy, suspended
    "golf": "filtered",  # Easy, moved to a filtered deck (its due in odue)
}


class AnkiSide:
    def __init__(self, path: Path) -> None:
        self.col = AnkiCollection(str(path))
        self.ids: dict[str, int] = {}

    def answer(self, front: str, rating: CardAnswer.Rating.V) -> None:
        card = self.col.get_card(self.ids[front])
        card.start_timer()
        states = self.col._backend.get_scheduling_states(card.id)
        self.col.sched.answer_card(
            self.col.sched.build_answer(card=card, states=states, rating=rating)
        )

    def card(self, front: str):  # noqa: ANN201 - anki's Card
        return self.col.get_card(self.ids[front])


def build(path: Path) -> AnkiSide:
    path.parent.mkdir(parents=True, exist_ok=True)
    side = AnkiSide(path)
    col = side.col
    basic = col.models.by_name("Basic")
    assert basic is not None
    for front in PLAN:
        note = col.new_note(basic)
        note["Front"], note["Back"] = front, f"{front} answer"
        col.add_note(note, 1)
        side.ids[front] = note.cards()[0].id
    for front, how in PLAN.items():
        if how == "new":
            continue
        side.answer(front, GOOD if how == "learning" else EASY)
        if how == "relearning":
            side.answer(front, AGAIN)
    col.sched.set_due_date([side.ids["bravo"]], "10")
    col.sched.suspend_cards([side.ids["foxtrot"]])
    did = col.decks.new_filtered("Cram")
    deck = col.decks.get(did)
    assert deck is not None
    deck["terms"] = [[f"cid:{side.ids['golf']}", 100, 0]]
    deck["resched"] = True
    col.decks.save(deck)
    col.sched.rebuild_filtered_deck(did)
    golf = side.card("golf")
    assert golf.odid and golf.odue and golf.due < 0
    return side


def export(side: AnkiSide, out: Path) -> Path:
    side.col.export_anki_package(
        out_path=str(out),
        options=ExportAnkiPackageOptions(
            with_scheduling=True, with_media=False, with_deck_configs=False, legacy=False
        ),
        limit=None,
    )
    return out


@pytest.fixture
def anki(tmp_path: Path) -> AnkiSide:
    side = build(tmp_path / "anki" / "collection.anki2")
    yield side
    side.col.close()


def _ours(col: Collection, front: str):  # noqa: ANN202 - CardView
    ids = [i for i in col.search(front) if col.card(i).card.title == front]
    assert len(ids) == 1, (front, ids)
    return col.card(ids[0])


def _anki_now(side: AnkiSide) -> datetime:
    """The middle of Anki's today (its day ends at `day_cutoff`)."""
    return datetime.fromtimestamp(side.col.sched.day_cutoff - 43_200, tz=UTC)


def _check_kept(col: Collection, side: AnkiSide) -> None:
    """Each card's due as Anki has it; memory as the replay of its history gives it."""
    now = _anki_now(side)
    today = col.today(now)
    for front, how in PLAN.items():
        theirs, ours = side.card(front), _ours(col, front)
        memory = ours.memory
        if how == "new":
            assert memory.state is CardState.NEW
            continue
        if theirs.type == 2:
            due = theirs.odue if theirs.odid else theirs.due
            assert memory.state is CardState.REVIEW, front
            assert memory.due is not None and memory.last_review is not None
            assert col.today(memory.due) - today == due - side.col.sched.today, front
            if how != "set due":  # the interval Anki set is the card's last one
                assert round((memory.due - memory.last_review) / timedelta(days=1)) == theirs.ivl
        else:
            expected = CardState.LEARNING if theirs.type == 1 else CardState.RELEARNING
            assert memory.state is expected, front
            assert memory.due == datetime.fromtimestamp(theirs.due, tz=UTC), front
        answers = [e for e in col.history(ours.id) if e.kind is ReviewKind.REVIEW]
        replayed = replay(answers)[ours.id]
        assert (memory.stability, memory.difficulty) == (
            replayed.stability,
            replayed.difficulty,
        ), front
        assert memory.last_review is not None and replayed.last_review is not None
        # the cards table keeps whole seconds
        assert abs(memory.last_review - replayed.last_review) < timedelta(seconds=1), front


def test_an_imported_card_keeps_anki_due_date_and_replayed_memory(
    tmp_path: Path, anki: AnkiSide
) -> None:
    package = export(anki, tmp_path / "deck.apkg")
    with Collection.open(tmp_path / "data", seed=False) as col:
        col.import_path(package)
        _check_kept(col, anki)
        # FSRS's own choice for the Easy card (about 8 days) is not Anki's (3-5 days).
        alpha = _ours(col, "alpha").memory
        assert alpha.due is not None and alpha.last_review is not None
        assert alpha.due - alpha.last_review < timedelta(days=6)
        # The set due date is no "Rescheduled" row of ours beyond Anki's own manual one.
        bravo = _ours(col, "bravo")
        assert [e.kind for e in col.history(bravo.id)].count(ReviewKind.MANUAL) == 1
        col.import_path(package)  # again: nothing moves
        _check_kept(col, anki)
        recompute_memory(col, 1)  # new parameters: memory only, as Anki without rescheduling
        _check_kept(col, anki)
    data = tmp_path / "data"
    for name in ("collection.sqlite3", "collection.sqlite3-wal", "collection.sqlite3-shm"):
        (data / name).unlink(missing_ok=True)
    with Collection.open(data, seed=False) as rebuilt:  # from the deck files and the logs
        _check_kept(rebuilt, anki)


def test_an_export_back_to_anki_keeps_the_due_days(tmp_path: Path, anki: AnkiSide) -> None:
    package = export(anki, tmp_path / "deck.apkg")
    out = tmp_path / "back.apkg"
    with Collection.open(tmp_path / "data", seed=False) as col:
        col.import_path(package)
        col.export(None, out)
    back = anki_import(out, tmp_path / "back" / "collection.anki2")
    try:
        for front, how in PLAN.items():
            if how not in ("review", "set due", "suspended", "filtered"):
                continue
            theirs = anki.card(front)
            (cid,) = back.find_cards(f'"front:{front}"')
            card = back.get_card(cid)
            due = theirs.odue if theirs.odid else theirs.due
            assert card.type == 2, front
            assert card.due - back.sched.today == due - anki.col.sched.today, front
    finally:
        back.close()
