"""What a real collection holds besides answers comes in as Anki imports it (issue 15):
empty cards Anki kept (a template whose front no longer shows a field of the note, until
Anki's Empty Cards deletes it) with their reviews, and the log's manual rows — a Forget
(reset) and a due date set — instead of being reported and dropped.

The collection is made by the real `anki` package and compared with what Anki itself
imports from the same package."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from anki_factory import anki_import, export_package
from notetype_factory import NotetypeSample, build_notetype_collection
from test_interop_notetypes import _anki, _ours

from flashcards.collection.card_info import card_info
from flashcards.collection.collection import Collection
from flashcards.core.model import CardState, ReviewKind
from flashcards.core.render import Side, render_card
from flashcards.interop.anki_notes import note_id_for_guid


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, NotetypeSample, dict]:
    folder = tmp_path_factory.mktemp("kept")
    col, sample = build_notetype_collection(folder / "collection.anki2")
    # Card 3 ("Pronounce", shown only with an IPA) of a note with a history, then its IPA
    # cleared: Anki keeps the card, empty, with its reviews.
    nid = col.db.scalar("SELECT id FROM notes WHERE guid = ?", sample.vocab_full)
    note = col.get_note(nid)
    note["IPA"] = ""
    col.update_note(note)
    assert len(col.get_note(nid).cards()) == 3
    # A Forget and a due date set on two other cards with answers: manual log rows.
    chinese = col.db.scalar("SELECT id FROM notes WHERE guid = ?", sample.chinese[0])
    forgot, moved = (c.id for c in col.get_note(chinese).cards())
    col.sched.schedule_cards_as_new([forgot])
    col.sched.set_due_date([moved], "5")
    # Basic notes whose second card lost its side: the reverse's Back emptied, the optional
    # reverse's "Add Reverse" cleared. Anki keeps both second cards, with their answers.
    deck = col.decks.id("Languages::Mixed")
    guids = {}
    for notetype, fields, emptied in (
        ("Basic (and reversed card)", {"Front": "rouge", "Back": "red"}, "Back"),
        (
            "Basic (optional reversed card)",
            {"Front": "vert", "Back": "green", "Add Reverse": "y"},
            "Add Reverse",
        ),
    ):
        note = col.new_note(col.models.by_name(notetype))
        for key, value in fields.items():
            note[key] = value
        col.add_note(note, deck)
        for n, card in enumerate(note.cards()):
            col.db.execute(
                "INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)",
                1_790_000_000_000 + card.id % 1000 * 1000 + n,
                card.id,
                -1,
                3,
                1,
                0,
                2500,
                3000,
                0,
            )
        note[emptied] = ""
        col.update_note(note)
        assert len(col.get_note(note.id).cards()) == 2
        guids[notetype] = note.guid
    out = export_package(col, folder / "kept.apkg", layout="anki21b")
    col.close()
    return out, sample, guids


@pytest.fixture
def col(tmp_path: Path) -> Collection:
    collection = Collection.open(tmp_path / "data", seed=False)
    yield collection
    collection.close()


def test_counts_equal_what_anki_imports_and_nothing_is_reported_lost(
    package: tuple[Path, NotetypeSample, dict], col: Collection, tmp_path: Path
) -> None:
    path, _sample, _ = package
    report = col.import_path(path)
    anki = _anki(path, tmp_path / "anki")
    # The factory's 15 cards and 38 answers, two manual rows, two Basic notes' 4 cards
    # with an answer each.
    assert anki["cards"] == 19 and anki["reviews"] == 44
    assert _ours(col) == anki
    assert report.cards_added == 19 and report.reviews == 44
    assert [w for w in report.warnings if "LaTeX" not in w] == []


def test_the_empty_card_is_kept_with_its_history_and_says_what_it_is(
    package: tuple[Path, NotetypeSample, dict], col: Collection
) -> None:
    path, sample, _ = package
    col.import_path(path)
    full = note_id_for_guid(sample.vocab_full)
    kept = col.card(f"{full}:t3")
    assert len(col.history(f"{full}:t3")) == 3  # the factory's three answers on it
    assert kept.memory.state is not CardState.NEW
    assert "An empty card" in kept.card.prompt and "keep=" in kept.card.prompt
    assert "An empty card" in render_card(kept.card, side=Side.FRONT)
    deck = (col.library / "languages" / "mixed.md").read_text(encoding="utf-8")
    assert f"{{#{full} notetype=basic-ipa keep=3}}" in deck
    # The note's other cards are as before, and siblings still.
    assert col.card(full).card.note_id == col.card(f"{full}:t2").card.note_id == full
    # Removing 3 from keep= (as Anki's Empty Cards would) drops the card, not its history.
    file = col.library / "languages" / "mixed.md"
    file.write_text(deck.replace(" keep=3}", "}"), encoding="utf-8")
    col.sync()
    assert not col.card(f"{full}:t3").present  # hidden, restorable
    assert col.card(full).present and col.card(f"{full}:t2").present
    assert len(col.history(f"{full}:t3")) == 3
    file.write_text(deck, encoding="utf-8")
    col.sync()
    assert col.card(f"{full}:t3").present and len(col.history(f"{full}:t3")) == 3


def test_a_basic_notes_emptied_reverse_is_kept_by_writing_it_as_its_note_type(
    package: tuple[Path, NotetypeSample, dict], col: Collection
) -> None:
    """A reversed note whose Back was emptied, and an optional reverse whose 'Add Reverse'
    was cleared: the note is written as a note of its Anki note type (declared in the
    deck), with keep=2, so both cards and their answers come in."""
    path, _sample, guids = package
    col.import_path(path)
    deck = (col.library / "languages" / "mixed.md").read_text(encoding="utf-8")
    for notetype, key in (
        ("Basic (and reversed card)", "basic-and-reversed-card"),
        ("Basic (optional reversed card)", "basic-optional-reversed-card"),
    ):
        nid = note_id_for_guid(guids[notetype])
        assert f"{{#{nid} notetype={key} keep=2}}" in deck
        assert f"name: {notetype}" in deck
        for card in (nid, f"{nid}:t2"):
            assert len(col.history(card)) == 1
        assert "An empty card" in col.card(f"{nid}:t2").card.prompt
        assert "An empty card" not in col.card(nid).card.prompt


def test_manual_rows_come_in_as_reset_and_rescheduled(
    package: tuple[Path, NotetypeSample, dict], col: Collection
) -> None:
    path, sample, _ = package
    col.import_path(path)
    hanzi = note_id_for_guid(sample.chinese[0])
    forgot, moved = col.card(hanzi), col.card(f"{hanzi}:t2")
    assert forgot.memory.state is CardState.NEW  # Forget: a new card, as in Anki
    assert moved.memory.state is not CardState.NEW
    labels = {
        cid: [r.kind_label for r in card_info(col, cid).history if r.kind is ReviewKind.MANUAL]
        for cid in (hanzi, f"{hanzi}:t2")
    }
    assert labels == {hanzi: ["Reset"], f"{hanzi}:t2": ["Rescheduled"]}
    # The answers before the reset are kept in the history; FSRS starts after it.
    assert sum(r.kind is ReviewKind.REVIEW for r in col.history(hanzi)) >= 2


def test_the_same_package_again_adds_nothing_and_a_round_trip_keeps_the_empty_card(
    package: tuple[Path, NotetypeSample, dict], col: Collection, tmp_path: Path
) -> None:
    path, sample, _ = package
    col.import_path(path)
    before = _ours(col)
    files = {p: p.read_bytes() for p in col.library.rglob("*.md")}
    again = col.import_path(path)
    assert again.cards_added == 0 and again.reviews == 0
    assert _ours(col) == before
    assert {p: p.read_bytes() for p in col.library.rglob("*.md")} == files
    out = tmp_path / "ours.apkg"
    col.export(None, out)
    anki = anki_import(out, tmp_path / "anki" / "collection.anki2")
    try:
        assert anki.card_count() == before["cards"]
        nid = anki.db.scalar("SELECT id FROM notes WHERE guid = ?", sample.vocab_full)
        assert sorted(c.ord for c in anki.get_note(nid).cards()) == [0, 1, 2]
        # The manual rows go back as Anki wrote them: a Forget (no ease factor), a due date.
        manual = anki.db.all("SELECT ease, factor, ivl FROM revlog WHERE type = 4 ORDER BY id")
        assert len(manual) == 2, manual
        assert sorted(manual) == sorted([[0, 0, 0], [0, 2500, manual[1][2]]])
        assert manual[1][2] >= 1 or manual[0][2] >= 1
        answers = anki.db.scalar("SELECT count() FROM revlog WHERE type != 4")
        with sqlite3.connect(tmp_path / "data" / "collection.sqlite3") as raw:
            (ours,) = raw.execute("SELECT count() FROM reviews WHERE kind = 'review'").fetchone()
        assert answers == ours > 0
    finally:
        anki.close()
