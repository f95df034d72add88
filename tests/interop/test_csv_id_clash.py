"""CSV rows whose ids hash alike: both are notes, and each keeps its id on a re-import."""

from __future__ import annotations

from pathlib import Path

from flashcards.collection.collection import Collection
from flashcards.core.parser import parse_deck
from flashcards.interop.deck_writer import stable_id
from flashcards.interop.text_import import RowIds, read_text_file

# Two different fronts whose 40-bit ids (stable_id of file, deck, front) are the same
# (found by a 1.7M-row file; QA repro 6).
A = "question number 335457 with some padding text here"
B = "question number 903291 with some padding text here"


def _ids(path: Path, text: str) -> tuple[dict[str, str], list[str]]:
    path.write_text(text, encoding="utf-8")
    bundle = read_text_file(path)
    notes = {
        n.title: str(n.id)
        for p, t in bundle.decks.items()
        for n in parse_deck(t, path=p).deck.notes
    }
    return notes, [str(s) for s in bundle.skipped]


def test_the_two_fronts_do_hash_alike() -> None:
    assert stable_id("text", "huge.csv", "Huge", A) == stable_id("text", "huge.csv", "Huge", B)


def test_rows_that_hash_alike_are_two_notes_and_keep_their_ids(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    first, skipped = _ids(path, f"front,back\n{A},a\n{B},b\n")
    assert skipped == []
    assert first[A] == stable_id("text", "huge.csv", "Huge", A)
    assert first[B] == stable_id("text", "huge.csv", "Huge", B, "#2") != first[A]
    # Edited answers, another row between them: the same ids again.
    again, skipped = _ids(path, f"front,back\n{A},a!\nother,x\n{B},b!\n")
    assert skipped == [] and again[A] == first[A] and again[B] == first[B]


def test_a_true_duplicate_of_the_later_row_is_still_a_duplicate(tmp_path: Path) -> None:
    notes, skipped = _ids(tmp_path / "huge.csv", f"front,back\n{A},a\n{B},b\n{B},c\n{A},d\n")
    assert len(set(notes.values())) == 2
    assert skipped == [
        "huge.csv line 4: duplicate of an earlier row",
        "huge.csv line 5: duplicate of an earlier row",
    ]


def test_row_ids_walk_on_past_every_clash() -> None:
    ids = RowIds()
    x = stable_id("k", "x")
    assert ids.take(x, ("k", "x")) == x
    # Three other keys whose own id is x: each takes the next free candidate of its own.
    got = [ids.take(x, ("k", name)) for name in ("y", "z")]
    assert got == [stable_id("k", "y", "#2"), stable_id("k", "z", "#2")]
    # A key whose own id is one of those candidates goes on to its own second one.
    assert ids.take(got[0], ("k", "w")) == stable_id("k", "w", "#2")
    assert ids.take(x, ("k", "y")) is None and ids.take(x, ("k", "x")) is None


def test_import_and_reimport_in_a_collection(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_text(f"front,back\n{A},a\n{B},b\n", encoding="utf-8")
    with Collection.open(tmp_path / "data", seed=False) as col:
        report = col.import_path(path)
        assert report.cards_added == 2
        assert not any("duplicate" in w for w in report.warnings)
        path.write_text(f"front,back\n{A},a\n{B},b changed\n", encoding="utf-8")
        again = col.import_path(path)
        assert again.cards_added == 0
        text = "".join(p.read_text(encoding="utf-8") for p in col.library.rglob("*.md"))
        assert text.count("## ") == 2 and "b changed" in text
