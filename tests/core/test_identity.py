"""Matching a file's notes to its previous index after external edits."""

from __future__ import annotations

from flashcards.core.identity import IndexedNote, MatchHow, match_notes
from flashcards.core.model import Note
from flashcards.core.parser import parse_deck

OLD = """\
## Learning rate {#lr0001}
Step size of gradient descent.

## Batch size {#bs0001}
Number of examples per gradient step; larger batches give smoother gradients.

## Epoch {#ep0001}
One pass over the training data.
"""


def notes(text: str) -> tuple[Note, ...]:
    return parse_deck(text, path="train.md").deck.notes


def index(text: str) -> list[IndexedNote]:
    return [IndexedNote.from_note(n) for n in notes(text)]


def test_ids_match_by_id() -> None:
    matches = match_notes(index(OLD), notes(OLD))
    assert [(m.old_id, m.how) for m in matches] == [
        ("lr0001", MatchHow.ID),
        ("bs0001", MatchHow.ID),
        ("ep0001", MatchHow.ID),
    ]


def test_deleted_id_matches_same_title_in_same_file() -> None:
    edited = OLD.replace(" {#lr0001}", "").replace("Step size", "The step size")
    first = match_notes(index(OLD), notes(edited))[0]
    assert (first.old_id, first.how) == ("lr0001", MatchHow.TITLE)


def test_deleted_id_and_new_title_matches_close_text() -> None:
    edited = OLD.replace("## Batch size {#bs0001}", "## Mini-batch size")
    second = match_notes(index(OLD), notes(edited))[1]
    assert (second.old_id, second.how) == ("bs0001", MatchHow.TEXT)


def test_different_text_is_new() -> None:
    edited = OLD.replace(
        "## Epoch {#ep0001}\nOne pass over the training data.", "## Dropout\nRandomly zero units."
    )
    third = match_notes(index(OLD), notes(edited))[2]
    assert (third.old_id, third.how) == (None, MatchHow.NEW)


def test_old_note_is_claimed_once() -> None:
    # The same title twice without ids: only the first takes the old note.
    edited = "## Epoch\nOne pass over the training data.\n\n## Epoch\nSomething else entirely.\n"
    matches = match_notes(index(OLD), notes(edited))
    assert [(m.old_id, m.how) for m in matches] == [
        ("ep0001", MatchHow.TITLE),
        (None, MatchHow.NEW),
    ]


def test_id_unknown_to_this_file_is_new_but_kept() -> None:
    moved = "## Moved here {#zz9999}\nfrom another file\n"
    (match,) = match_notes(index(OLD), notes(moved))
    assert (match.old_id, match.how) == (None, MatchHow.NEW)
    assert match.note.id == "zz9999"


def test_text_matching_scales_to_large_files() -> None:
    import random
    import time

    rng = random.Random(3)
    vocabulary = [f"w{i}" for i in range(2000)] + ["the", "a", "of"] * 100

    def body() -> str:
        return " ".join(rng.choice(vocabulary) for _ in range(rng.randint(8, 40)))

    bodies = [body() for _ in range(400)]
    old_text = "\n".join(f"## Old {i} {{#o{i:05d}}}\n{b}\n" for i, b in enumerate(bodies))
    # Every even note is an old one retitled, its id deleted and one word added.
    new_text = "\n".join(
        f"## Renamed {i}\n{bodies[i] + ' added' if i % 2 == 0 else body()}\n" for i in range(400)
    )
    old = index(old_text)
    start = time.perf_counter()
    matches = match_notes(old, notes(new_text))
    assert time.perf_counter() - start < 10
    for i, m in enumerate(matches):
        if i % 2 == 0:
            assert (m.old_id, m.how) == (f"o{i:05d}", MatchHow.TEXT)
        else:
            assert m.how is MatchHow.NEW
