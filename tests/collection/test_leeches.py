"""Leeches: the lapse that reaches the preset's threshold tags the note `leech` in its
Markdown (history kept), suspends the card when the preset says so, and one Undo takes
the answer, the tag and the suspension back."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from col_helpers import T0, deck_text, note, write

from flashcards.collection import Collection
from flashcards.collection.browse import search_cards
from flashcards.collection.editing import undo
from flashcards.collection.leeches import leeches_by_domain
from flashcards.core.leeches import LeechAction, is_leech
from flashcards.core.model import CardState, Rating

DECK = deck_text(
    note("Eta", "The learning rate", nid="eta001"),
    note("Gamma", "Minimum loss reduction", nid="gam002"),
    title="Boosting",
    domain="Modeling",
)


def make(data_dir: Path, open_col, **preset: object) -> Collection:
    write(data_dir / "decks" / "boost.md", DECK)
    col: Collection = open_col()
    if preset:
        col.save_preset(replace(col.presets()[1], **preset), preset_id=1)
    return col


def lapse_until(col: Collection, cid: str, lapses: int, t: datetime) -> datetime:
    """Answer `cid` as a user would until it has `lapses` lapses and is a review card
    again: learn it, then each time it is due forget it (Again) and relearn it (Good).
    Returns the time after."""

    def relearn(t: datetime) -> datetime:
        while col.card(cid).memory.state is not CardState.REVIEW:
            t = max(t, col.card(cid).memory.due or t) + timedelta(minutes=1)
            col.answer(cid, Rating.GOOD, now=t)
        return t

    t = relearn(t)
    while col.card(cid).lapses < lapses:
        t = max(t, col.card(cid).memory.due or t) + timedelta(minutes=1)
        col.answer(cid, Rating.AGAIN, now=t)
        t = relearn(t)
    return t


def test_anki_rule_threshold_then_every_half_threshold() -> None:
    assert [n for n in range(1, 25) if is_leech(n, 8)] == [8, 12, 16, 20, 24]
    assert [n for n in range(1, 10) if is_leech(n, 3)] == [3, 5, 7, 9]  # half of 3: 2
    assert [n for n in range(1, 5) if is_leech(n, 1)] == [1, 2, 3, 4]
    assert not any(is_leech(n, 0) for n in range(20))  # 0: never


def test_the_eighth_lapse_tags_the_markdown_and_keeps_history(data_dir: Path, open_col) -> None:
    col = make(data_dir, open_col)  # the default preset: 8 lapses, tag only
    path = data_dir / "decks" / "boost.md"
    t = lapse_until(col, "eta001", 7, T0)
    assert "Tags:" not in path.read_text()
    before = len(col.history("eta001"))
    t = max(t, col.card("eta001").memory.due or t) + timedelta(minutes=1)
    change = col.answer("eta001", Rating.AGAIN, now=t)
    assert change.leeches == {"eta001"}
    assert change.warnings == ()
    text = path.read_text()
    assert "## Eta {#eta001}\nThe learning rate\nTags: leech\n" in text
    assert "## Gamma {#gam002}\nMinimum loss reduction\n" in text  # the other note is untouched
    view = col.card("eta001")
    assert view.card.tags == ("leech",)
    assert view.lapses == 8 and not view.suspended  # tag only
    assert len(col.history("eta001")) == before + 1  # history kept, this answer in it
    assert search_cards(col, "tag:leech") == ["eta001"]
    assert leeches_by_domain(col) == {"Modeling": 1}


def test_suspend_action_suspends_and_one_undo_restores_all(data_dir: Path, open_col) -> None:
    col = make(data_dir, open_col, leech_threshold=2, leech_action=LeechAction.SUSPEND)
    path = data_dir / "decks" / "boost.md"
    t = lapse_until(col, "eta001", 1, T0)
    original = path.read_bytes()
    state = col.card("eta001")
    history = col.history("eta001")
    t = max(t, state.memory.due or t) + timedelta(minutes=1)
    change = col.answer("eta001", Rating.AGAIN, now=t)
    assert change.leeches == {"eta001"}
    assert col.card("eta001").suspended
    assert "Tags: leech" in path.read_text()
    assert search_cards(col, "is:leech") == ["eta001"]  # 2 lapses, but tagged
    assert col.next_card(now=t + timedelta(hours=1)) is None or (
        col.next_card(now=t + timedelta(hours=1)).id != "eta001"
    )
    assert col.undo_label() == "Answer"
    back = undo(col)  # the browser's and the review's undo
    assert back is not None and "eta001" in back.cards
    assert path.read_bytes() == original
    restored = col.card("eta001")
    assert not restored.suspended and restored.card.tags == ()
    assert (restored.memory, restored.lapses, restored.reps) == (
        state.memory,
        state.lapses,
        state.reps,
    )
    assert col.history("eta001") == history


def test_the_collection_undo_takes_the_tag_back_too(data_dir: Path, open_col) -> None:
    col = make(data_dir, open_col, leech_threshold=1)
    path = data_dir / "decks" / "boost.md"
    t = lapse_until(col, "gam002", 0, T0)
    original = path.read_bytes()
    t = max(t, col.card("gam002").memory.due or t) + timedelta(minutes=1)
    assert col.answer("gam002", Rating.AGAIN, now=t).leeches == {"gam002"}
    assert "Tags: leech" in path.read_text()
    col.undo()
    assert path.read_bytes() == original
    assert col.card("gam002").lapses == 0


def test_no_leech_below_the_threshold_or_when_off(data_dir: Path, open_col) -> None:
    col = make(data_dir, open_col, leech_threshold=0)
    lapse_until(col, "eta001", 3, T0)
    assert "Tags:" not in (data_dir / "decks" / "boost.md").read_text()
    assert leeches_by_domain(col) == {}


def test_an_untaggable_file_still_records_the_answer(data_dir: Path, open_col) -> None:
    col = make(data_dir, open_col, leech_threshold=1, leech_action=LeechAction.SUSPEND)
    path = data_dir / "decks" / "boost.md"
    t = lapse_until(col, "eta001", 0, T0)
    broken = path.read_bytes() + b"\n\xff\xfe not UTF-8\n"
    path.write_bytes(broken)  # edited elsewhere meanwhile, and now unreadable
    t = max(t, col.card("eta001").memory.due or t) + timedelta(minutes=1)
    change = col.answer("eta001", Rating.AGAIN, now=t)
    assert path.read_bytes() == broken  # left as it was
    assert change.leeches == {"eta001"}
    assert change.warnings and "could not be tagged" in change.warnings[0]
    assert col.card("eta001").suspended and col.card("eta001").lapses == 1
    col.undo()
    assert not col.card("eta001").suspended


def test_redo_makes_the_leech_again_tag_and_all(data_dir: Path, open_col) -> None:
    col = make(data_dir, open_col, leech_threshold=1, leech_action=LeechAction.SUSPEND)
    path = data_dir / "decks" / "boost.md"
    t = lapse_until(col, "gam002", 0, T0)
    t = max(t, col.card("gam002").memory.due or t) + timedelta(minutes=1)
    col.answer("gam002", Rating.AGAIN, now=t)
    tagged, leech, answers = path.read_bytes(), col.card("gam002"), len(col.history("gam002"))
    col.undo()
    assert b"leech" not in path.read_bytes() and not col.card("gam002").suspended
    change = col.redo()
    assert change is not None and change.label == "Redo Answer"
    assert path.read_bytes() == tagged
    again = col.card("gam002")
    assert again.suspended and again.lapses == leech.lapses and again.card.tags == ("leech",)
    assert len(col.history("gam002")) == answers
    col.undo()  # and undone once more, exactly
    assert b"leech" not in path.read_bytes() and col.card("gam002").lapses == 0
