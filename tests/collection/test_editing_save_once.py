"""Saving a deck from the editor parses it once: the check before writing is reused by
the sync (for exactly the bytes on disk), ids still get written back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from flashcards.collection import Collection, sync_files
from flashcards.collection.editing import read_deck, save_deck_text
from flashcards.collection.sync import sync_into
from flashcards.core.parser import ParseResult, parse_deck

A = """\
---
title: Alpha
---

## First {#aaa001}
One.

## Second {#aaa002}
Two.
"""


@pytest.fixture
def col(open_col: Callable[..., Collection], data_dir: Path) -> Collection:
    (data_dir / "decks" / "a.md").write_text(A, encoding="utf-8")
    return open_col()


def _count_sync_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []

    def counting(data: bytes | str, *, path: str) -> ParseResult:
        seen.append(path)
        return parse_deck(data, path=path)

    monkeypatch.setattr(sync_files, "parse_deck", counting)
    return seen


def test_save_reuses_the_check_parse_and_writes_ids(
    col: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _count_sync_parses(monkeypatch)
    text, base = read_deck(col, "a.md")
    saved = save_deck_text(col, "a.md", text + "\n## Third\nThree.\n", base=base)
    assert seen == []  # the sync did not parse a.md again
    assert b"## Third {#" in saved.data  # new heading's id written back
    assert (col.library / "a.md").read_bytes() == saved.data
    assert len(saved.change.cards) == 3
    titles = {col.card(c).card.title for c in saved.change.cards}
    assert titles == {"First", "Second", "Third"}
    assert col.sync().files_changed == ()  # the stored stat matches the written file


def test_checked_parse_of_other_bytes_is_not_used(
    col: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = col.library / "a.md"
    stale = parse_deck(path.read_bytes(), path="a.md")
    path.write_text(A.replace("Two.", "Two, changed."), encoding="utf-8")
    seen = _count_sync_parses(monkeypatch)
    with col._write() as s:
        sync_into(s, col.roots(), now_s=0, checked={"a.md": (A.encode(), stale)})
    assert seen == ["a.md"]  # the bytes differ: parsed afresh
    assert "changed" in col.card("aaa002").card.answer
