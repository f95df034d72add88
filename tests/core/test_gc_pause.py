from __future__ import annotations

import gc
from pathlib import Path

import pytest

from flashcards.core.errors import DeckFormatError
from flashcards.core.gc_pause import gc_paused
from flashcards.core.parser import parse_file, parse_files


def test_gc_paused_disables_and_restores() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_gc_paused_restores_after_an_error_and_keeps_a_disabled_collector_off() -> None:
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("boom")
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_parse_files_matches_parse_file(tmp_path: Path) -> None:
    a = tmp_path / "a.md"
    b = tmp_path / "sub" / "b.md"
    b.parent.mkdir()
    a.write_text("## One\nfront\n?\nback\n", encoding="utf-8")
    b.write_text("## Two {.reverse}\nx\n?\ny\n", encoding="utf-8")
    results = parse_files([a, b], root=tmp_path)
    assert results == [parse_file(a, root=tmp_path), parse_file(b, root=tmp_path)]
    assert [r.deck.file for r in results] == ["a.md", "sub/b.md"]
    assert gc.isenabled()


def test_parse_files_raises_for_a_bad_file_and_restores_gc(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"## T\n\xff\xfe not utf-8\n")
    with pytest.raises(DeckFormatError, match="bad.md"):
        parse_files([bad], root=tmp_path)
    assert gc.isenabled()
