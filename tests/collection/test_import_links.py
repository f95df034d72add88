"""A stranger's folder may hold symbolic links: those leading outside it are not followed
(deck files, images, sub-folders), and the report names them; those inside are followed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flashcards.collection.collection import Collection
from flashcards.core.errors import InteropError

KEY = b"-----BEGIN FAKE PRIVATE KEY-----\n"
PRIVATE = "## Secret note {#sec1}\nmy private notes\n"


def _home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_bytes(KEY)
    (home / "private.md").write_text(PRIVATE, encoding="utf-8")
    return home


def _library_bytes(col: Collection) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(col.library.rglob("*")) if p.is_file())


def test_links_leaving_a_deck_folder_are_skipped_and_named(tmp_path: Path) -> None:
    home = _home(tmp_path)
    src = tmp_path / "stranger"
    (src / ".store").mkdir(parents=True)
    (src / "deck.md").write_text(
        "## Nice card {#nc1}\n![](avatar.png) ![](logo.png)\n\nanswer\n", encoding="utf-8"
    )
    (src / ".store" / "shelf.md").write_text("## Shelved {#sh1}\n\nkept\n", encoding="utf-8")
    (src / "img").mkdir()
    (src / "img" / "logo.png").write_bytes(b"\x89PNG logo")
    os.symlink(home / ".ssh" / "id_rsa", src / "avatar.png")  # media out
    os.symlink(home / "private.md", src / "extra.md")  # deck file out
    os.symlink(home, src / "more")  # folder out
    os.symlink(src / ".store", src / "shelf")  # folder inside: followed
    os.symlink(Path("img") / "logo.png", src / "logo.png")  # media inside: followed
    with Collection.open(tmp_path / "data", seed=False) as col:
        report = col.import_path(src)
        assert report.cards_added == 2
        [note] = [w for w in report.warnings if "symbolic link" in w]
        assert note.startswith("skipped avatar.png, extra.md, more/: symbolic links to outside")
        held = _library_bytes(col)
        assert b"FAKE PRIVATE KEY" not in held and b"my private notes" not in held
        assert (col.library / "stranger" / "shelf" / "shelf.md").is_file()
        assert (col.library / "stranger" / "logo.png").read_bytes() == b"\x89PNG logo"
        assert not (col.library / "stranger" / "avatar.png").exists()
        for path in col.library.rglob("*"):
            assert not path.is_symlink()


def test_a_folder_of_only_outside_links_finds_no_deck(tmp_path: Path) -> None:
    home = _home(tmp_path)
    src = tmp_path / "stranger"
    src.mkdir()
    os.symlink(home / "private.md", src / "extra.md")
    with Collection.open(tmp_path / "data", seed=False) as col:
        with pytest.raises(InteropError, match="no .md deck files"):
            col.import_path(src)
        assert b"my private notes" not in _library_bytes(col)


def test_obsidian_notes_linked_in_from_outside_are_skipped(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "diary.md").write_text("My secret::diary entry\n", encoding="utf-8")
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "notes.md").write_text("#flashcards\nCapital of France::Paris\n", encoding="utf-8")
    os.symlink(home / "diary.md", vault / "diary.md")
    with Collection.open(tmp_path / "data", seed=False) as col:
        report = col.import_path(vault)
        assert report.cards_added == 1
        skipped = "skipped diary.md: symbolic link to outside vault/"
        assert any(w.startswith(skipped) for w in report.warnings), report.warnings
        assert b"diary entry" not in _library_bytes(col)
