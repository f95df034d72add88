"""walk_decks names each deck file by its path relative to the root (joined per folder,
issue 18: a Path per file was most of a sync with nothing changed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flashcards.collection.library import walk_decks


def test_relative_paths_through_nested_and_linked_folders(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    files = [
        "top.md",
        "a/one.md",
        "a/b/two.md",
        "a/b/c d/três é.md",
        "Ünï/x.MD",
    ]
    for rel in files:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("## Q\nA\n", encoding="utf-8")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "no.md").write_text("## Q\nA\n", encoding="utf-8")
    (root / "a" / "notes.txt").write_text("x", encoding="utf-8")
    outside = tmp_path / "shared"
    outside.mkdir()
    (outside / "linked.md").write_text("## Q\nA\n", encoding="utf-8")
    if hasattr(os, "symlink"):
        try:
            (root / "a" / "link").symlink_to(outside, target_is_directory=True)
            files.append("a/link/linked.md")
        except OSError:
            pass
    found = {rel for rel, _st in walk_decks(root)}
    assert found == set(files)
    for rel, st in walk_decks(root):
        assert (root / rel).stat().st_size == st.st_size


def test_a_root_given_with_dot_dot_in_it(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    (root / "x").mkdir(parents=True)
    (root / "x" / "y.md").write_text("## Q\nA\n", encoding="utf-8")
    assert [rel for rel, _ in walk_decks(root / "x" / "..")] == ["x/y.md"]


@pytest.mark.parametrize("name", ["deck.sync-conflict-20250301-101112-ABCDEFG.md"])
def test_conflict_copies_are_named_with_their_folder(tmp_path: Path, name: str) -> None:
    root = tmp_path / "lib"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "deck.md").write_text("## Q {#abc123}\nA\n", encoding="utf-8")
    (root / "sub" / name).write_text("## Q {#abc123}\nB\n", encoding="utf-8")
    seen: list[tuple[str, str, str]] = []
    found = [rel for rel, _ in walk_decks(root, on_conflict=lambda *a: seen.append(a))]
    assert found == ["sub/deck.md"]
    assert seen == [(f"sub/{name}", "sub/deck.md", "Syncthing")]
