"""An import opens only regular files with UTF-8 names (QA hostile repros 7 and 4): a
FIFO named like a deck would block it for ever, a link to /dev/zero or /dev/urandom would
be read until memory ran out, a name with bytes that are not UTF-8 crashed the database
write. Each is refused, naming the file, before anything is read or changed; a library
file with such a name is skipped by sync and check, which say so."""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flashcards.cli import main
from flashcards.collection.collection import Collection
from flashcards.core.errors import InteropError

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DECK = "## Card {#c1a2b3}\nq\n?\na\n"
BAD = os.fsdecode(b"bad\xff.md")  # the name Python gives a file named b"bad\xff.md"


def _library(col: Collection) -> list[str]:
    return sorted(p.relative_to(col.library).as_posix() for p in col.library.rglob("*"))


def _refused(tmp_path: Path, source: Path) -> InteropError:
    with Collection.open(tmp_path / "data", seed=False, now=NOW) as col:
        before = (_library(col), col.decks())
        with pytest.raises(InteropError) as info:
            col.import_path(source)
        assert (_library(col), col.decks()) == before
        assert col.sync(now=NOW).files_seen == 0
    return info.value


@pytest.mark.parametrize("name", ["deck.md", "deck.csv", "deck.tsv", "deck.apkg", "d.colpkg"])
def test_a_fifo_is_refused_without_blocking(tmp_path: Path, name: str) -> None:
    os.mkfifo(tmp_path / name)  # before: the import waited for a writer for ever
    err = _refused(tmp_path, tmp_path / name)
    assert err.path == str(tmp_path / name)
    assert "not a regular file" in err.message


@pytest.mark.parametrize(
    ("name", "device"),
    [("zero.md", "/dev/zero"), ("zero.csv", "/dev/zero"), ("rand.apkg", "/dev/urandom")],
)
def test_a_link_to_a_device_is_refused(tmp_path: Path, name: str, device: str) -> None:
    (tmp_path / name).symlink_to(device)  # before: read without end (10+ GB)
    err = _refused(tmp_path, tmp_path / name)
    assert err.path == str(tmp_path / name)
    assert "not a regular file" in err.message


def test_a_fifo_in_an_imported_folder_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "fine.md").write_text(DECK, encoding="utf-8")
    os.mkfifo(src / "sub" / "pipe.png")
    err = _refused(tmp_path, src)
    assert err.path == str(src / "sub" / "pipe.png")


def test_a_regular_file_behind_a_link_still_imports(tmp_path: Path) -> None:
    (tmp_path / "real.md").write_text(DECK, encoding="utf-8")
    (tmp_path / "link.md").symlink_to(tmp_path / "real.md")
    with Collection.open(tmp_path / "data", seed=False, now=NOW) as col:
        assert col.import_path(tmp_path / "link.md").cards_added == 1


@pytest.mark.parametrize("where", ["file", "in folder", "folder in folder"])
def test_a_name_that_is_not_utf8_is_refused_naming_it(tmp_path: Path, where: str) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "fine.md").write_text(DECK.replace("c1a2b3", "c1a2b4"), encoding="utf-8")
    if where == "folder in folder":
        (src / os.fsdecode(b"sub\xfe")).mkdir()
        (src / os.fsdecode(b"sub\xfe") / "x.md").write_text(DECK, encoding="utf-8")
        source, shown = src, f"{src}/sub\\xfe"
    else:
        (src / BAD).write_text(DECK, encoding="utf-8")
        source = src / BAD if where == "file" else src
        shown = f"{src}/bad\\xff.md"
    err = _refused(tmp_path, source)
    assert err.path == shown  # printable: the bad byte escaped
    assert "not valid UTF-8" in err.message and "rename" in err.message


def test_cli_import_says_which_file_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(tmp_path / "deck.md")
    (tmp_path / BAD).write_text(DECK, encoding="utf-8")
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "import", str(tmp_path / "deck.md")], out=io.StringIO()) == 1
    assert f"error: {tmp_path}/deck.md: not a regular file" in capsys.readouterr().err
    assert main(["--data-dir", data, "import", str(tmp_path / BAD)], out=io.StringIO()) == 1
    assert f"error: {tmp_path}/bad\\xff.md: its name is not valid UTF-8" in capsys.readouterr().err


def test_sync_check_and_decks_skip_a_library_file_whose_name_is_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    with Collection.open(data, seed=False, now=NOW) as col:
        (col.library / BAD).write_text(DECK, encoding="utf-8")
        (col.library / os.fsdecode(b"dir\xfe")).mkdir()
        (col.library / os.fsdecode(b"dir\xfe") / "x.md").write_text(DECK, encoding="utf-8")
        (col.library / "fine.md").write_text(DECK.replace("c1a2b3", "c1a2b4"), encoding="utf-8")
        report = col.sync(now=NOW)  # before: UnicodeEncodeError from the database
        assert sorted(report.errors) == [
            "bad\\xff.md: skipped: its name is not valid UTF-8; rename it (then sync)",
            "dir\\xfe: skipped: its name is not valid UTF-8; rename it (then sync)",
        ]
        assert report.cards_added == 1
        assert sorted(col.check().problems) == sorted(report.errors)
    assert main(["--data-dir", str(data), "decks"], out=(out := io.StringIO())) == 0
    assert "Fine" in out.getvalue()
    assert "bad\\xff.md: skipped" in capsys.readouterr().err
