"""Move to deck carries what a note needs besides its lines: its images and sounds
(relative paths rewritten for the target deck's folder) and its note type's
declaration (added to the target's front matter). Undo puts every byte back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from flashcards.collection import Collection
from flashcards.collection.browse import card_details
from flashcards.collection.editing import move_notes, undo
from flashcards.core.errors import FlashcardsError

CATS = """\
---
title: Cats
---

## Cat picture {#catpic}
![a cat](media/cat.png) <img src="media/cat.png" width="50">
?
A cat. [sound:media/meow.mp3] <a href="media/meow.mp3">🔊 meow.mp3</a>
[web](https://example.org/x.png) [here](#catpic) `![code](media/cat.png)`
"""
MISC = "---\ntitle: Misc\n---\n\n## Other {#other1}\nBody.\n"
VOCAB = """\
---
title: French
notetypes:
  vocab:
    name: Basic (+IPA)
    fields: [Word, IPA, Meaning]
    templates:
      - name: Recognise
        front: "{{Word}}"
        back: "{{FrontSide}}\\n\\n---\\n\\n{{Meaning}}"
---

## maison {#k3f9q2 notetype=vocab}
IPA: /mɛ.zɔ̃/
Meaning: house
"""


def _write(path: Path, text: str) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path.read_bytes()


def test_moving_to_another_folder_rewrites_media_paths_and_undo_restores(
    data_dir: Path, open_col: Callable[..., Collection]
) -> None:
    lib = data_dir / "decks"
    cats = _write(lib / "animals" / "cats.md", CATS)
    misc = _write(lib / "misc.md", MISC)
    (lib / "animals" / "media").mkdir()
    (lib / "animals" / "media" / "cat.png").write_bytes(b"\x89PNG")
    col = open_col()
    move_notes(col, ["catpic"], "misc.md")
    text = (lib / "misc.md").read_text(encoding="utf-8")
    assert '![a cat](animals/media/cat.png) <img src="animals/media/cat.png" width' in text
    assert '[sound:animals/media/meow.mp3] <a href="animals/media/meow.mp3">🔊' in text
    assert "(https://example.org/x.png) [here](#catpic) `![code](media/cat.png)`" in text
    details = card_details(col, "catpic")
    assert (Path(details.base_dir) / "animals/media/cat.png").is_file()
    # and back into a deeper folder
    move_notes(col, ["catpic"], "animals/cats.md")
    assert (lib / "animals" / "cats.md").read_bytes() == cats
    undo(col)
    undo(col)
    assert (lib / "animals" / "cats.md").read_bytes() == cats
    assert (lib / "misc.md").read_bytes() == misc


def test_moving_a_note_of_a_declared_type_declares_it_in_the_target(
    data_dir: Path, open_col: Callable[..., Collection]
) -> None:
    lib = data_dir / "decks"
    french = _write(lib / "french.md", VOCAB)
    later = _write(lib / "later.md", MISC.replace("Misc", "Review later"))
    col = open_col()
    move_notes(col, ["k3f9q2"], "later.md")
    view = col.card("k3f9q2")
    assert view.deck == "Review later" and "house" in view.card.answer
    text = (lib / "later.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Review later\nnotetypes:\n  vocab:\n")
    assert text.endswith("## maison {#k3f9q2 notetype=vocab}\nIPA: /mɛ.zɔ̃/\nMeaning: house\n")
    # Moving it back finds the same declaration there already: nothing added.
    move_notes(col, ["k3f9q2"], "french.md")
    assert (lib / "french.md").read_bytes() == french
    undo(col)
    undo(col)
    assert (lib / "french.md").read_bytes() == french
    assert (lib / "later.md").read_bytes() == later


def test_a_note_type_key_meaning_another_type_in_the_target_is_refused(
    data_dir: Path, open_col: Callable[..., Collection]
) -> None:
    lib = data_dir / "decks"
    french = _write(lib / "french.md", VOCAB)
    other = _write(
        lib / "other.md",
        VOCAB.replace("Basic (+IPA)", "Other").replace("## maison {#k3f9q2", "## chat {#chat01"),
    )
    col = open_col()
    with pytest.raises(FlashcardsError, match=r"note type 'vocab' of french\.md .* other\.md"):
        move_notes(col, ["k3f9q2"], "other.md")
    assert (lib / "french.md").read_bytes() == french
    assert (lib / "other.md").read_bytes() == other
    assert col.card("k3f9q2").deck == "French"


def test_the_declaration_joins_the_targets_front_matter_keeping_its_bytes(
    data_dir: Path, open_col: Callable[..., Collection]
) -> None:
    lib = data_dir / "decks"
    _write(lib / "french.md", VOCAB)
    head = "---\r\n# my comment\r\ntitle: Later\r\n---\r\n"
    (lib / "later.md").write_bytes(
        b"\xef\xbb\xbf" + (head + "\r\n## Other {#other1}\r\nBody.\r\n").encode()
    )
    (lib / "bare.md").write_text("## Bare {#bare01}\nBody.\n", encoding="utf-8")
    other = VOCAB.replace("vocab", "ipa").replace("## maison {#k3f9q2", "## chat {#chat01")
    _write(lib / "typed.md", other.replace("title: French", "title: Typed"))
    col = open_col()
    move_notes(col, ["k3f9q2"], "later.md")
    data = (lib / "later.md").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n# my comment\r\ntitle: Later\r\nnotetypes:\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    move_notes(col, ["k3f9q2"], "bare.md")  # no front matter: one is made
    assert (lib / "bare.md").read_text(encoding="utf-8").startswith("---\nnotetypes:\n  vocab:")
    assert col.card("bare01").deck == "Bare"
    move_notes(col, ["k3f9q2"], "typed.md")  # declarations there already: merged
    typed = col.card("chat01")
    view = col.card("k3f9q2")
    assert view.deck == typed.deck == "Typed" and "house" in view.card.answer
    assert "  ipa:\n" in (lib / "typed.md").read_text(encoding="utf-8")
