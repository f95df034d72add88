"""Writing note blocks as decks our parser reads, and merging them into existing files."""

from __future__ import annotations

from flashcards.core.parser import parse_deck
from flashcards.interop.deck_writer import NoteBlock, build_deck, slug, stable_id
from flashcards.interop.merge import merge_notes, note_sources


def test_bad_blocks_are_dropped_with_reasons_and_the_rest_kept() -> None:
    blocks = [
        NoteBlock(stable_id(str(i)), f"Card {i}", "{{c1::never closed" if i % 10 == 0 else f"a{i}")
        for i in range(200)
    ]
    built = build_deck("deck.md", title="Deck", blocks=blocks)
    assert len(built.notes) == 180
    assert len(built.skipped) == 20
    assert all("never closed" in s.reason for s in built.skipped)
    assert [n.id for n in parse_deck(built.text, path="deck.md").deck.notes] == [
        b.id for i, b in enumerate(blocks) if i % 10
    ]


def test_rendered_blocks_read_back_as_written() -> None:
    block = NoteBlock(
        stable_id("x"),
        "Title",
        "the answer",
        prompt="a longer\nprompt",
        reverse=True,
        tags=("a::b", "c d"),
    )
    (note,) = build_deck("d.md", title="D", blocks=[block]).notes
    assert (note.title, note.prompt, note.answer, note.reverse) == (
        "Title",
        "a longer\nprompt",
        "the answer",
        True,
    )
    assert note.tags == ("a::b", "c_d")


def test_slugs_and_ids() -> None:
    assert slug("Français") == "francais"
    assert slug("日本語 deck") == "日本語-deck"
    assert slug("!!!") == "deck"
    assert stable_id("a") == stable_id("a") != stable_id("b")
    assert len(stable_id("a")) == 10


def test_merge_replaces_in_place_appends_and_keeps_the_rest() -> None:
    existing = "---\ntitle: X\n---\n\nIntro.\n\n## A {#a1}\nold\n\nTags: x\n\n## Mine {#m1}\nkeep\n"
    _, incoming = note_sources("## A {#a1}\nnew\n\n## B {#b1}\nadded\n", path="x.md")
    merged = merge_notes(
        existing, path="x.md", replace={"a1": incoming["a1"]}, append=[incoming["b1"]]
    )
    assert merged == (
        "---\ntitle: X\n---\n\nIntro.\n\n## A {#a1}\nnew\n\n"
        "## Mine {#m1}\nkeep\n\n## B {#b1}\nadded\n"
    )
    assert merge_notes(merged, path="x.md", remove=["m1"]).count("Mine") == 0
