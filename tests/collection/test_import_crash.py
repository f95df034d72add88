"""Imports under SIGKILL: killed at any moment, the next open has the whole import with
its history, or nothing of it. The import runs in a subprocess that is really killed
(SIGKILL, no cleanup): at each dangerous point named by the test hook
(`core/crash_point.py`), and at random moments."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from col_helpers import T0, deck_text, note, tree_bytes, write

from flashcards.collection import Collection
from flashcards.core.crash_point import CRASH_ENV
from flashcards.core.model import CardState, Rating

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

NOTES = 300  # imported notes, each with one answer of history and a review state

IMPORTER = """
import sys
from datetime import UTC, datetime, timedelta
from flashcards.collection import Collection
from flashcards.core.model import CardId, CardState, MemoryState, Rating, ReviewEntry

data_dir, notes = sys.argv[1], int(sys.argv[2])
when = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
memory = MemoryState(state=CardState.REVIEW, stability=10.0, difficulty=5.0,
                     due=when + timedelta(days=10), last_review=when)
ids = [f"imp{i:05d}" for i in range(notes)]
body = "".join(f"## Imported {i} {{#{nid}}}\\nanswer {i}\\n\\n" for i, nid in enumerate(ids))
with Collection.open(data_dir, seed=False, now=when) as col:
    print("ready", flush=True)
    col.apply_import(
        {"imported/big.md": body.encode(), "keep.md": b"## Keep changed {#keep01}\\nk\\n"},
        media={"imported/img/pic.png": b"png bytes"},
        reviews=[ReviewEntry(CardId(i), when, Rating.GOOD, 2000) for i in ids],
        states={CardId(i): memory for i in ids},
        now=when,
    )
    print("imported", flush=True)
"""


def _setup(data_dir: Path) -> None:
    """A library with a deck that has history; the import replaces that deck's file."""
    write(data_dir / "decks" / "keep.md", deck_text(note("Keep", "k", nid="keep01")))
    with Collection.open(data_dir, seed=False, now=T0) as col:
        col.answer("keep01", Rating.GOOD, now=T0)


def _start(data_dir: Path, crash_at: str | None) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env.pop(CRASH_ENV, None)
    if crash_at is not None:
        env[CRASH_ENV] = crash_at
    return subprocess.Popen(
        [sys.executable, "-c", IMPORTER, str(data_dir), str(NOTES)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _imported_reviews(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        (n,) = raw.execute("SELECT COUNT(*) FROM reviews WHERE card_id LIKE 'imp%'").fetchone()
    return int(n)


def _check_all_or_nothing(data_dir: Path, before: dict[str, bytes]) -> str:
    """Open the collection again; assert the import is whole or absent; say which."""
    with Collection.open(data_dir, seed=False, now=T0) as col:
        library = data_dir / "decks"
        keep = col.card("keep01")
        assert len(col.history("keep01")) == 1  # the deck's own history, either way
        assert list((data_dir / "tmp").iterdir()) == []  # staging folders cleaned
        if (library / "imported" / "big.md").exists():
            assert keep.card.title == "Keep changed"
            assert (library / "imported" / "img" / "pic.png").read_bytes() == b"png bytes"
            views = col.cards([f"imp{i:05d}" for i in range(NOTES)])
            assert len(views) == NOTES
            assert all(v.present and v.memory.state is CardState.REVIEW for v in views)
            assert _imported_reviews(data_dir) == NOTES
            assert len(col.history("imp00007")) == 1
            return "all"
        assert keep.card.title == "Keep"
        assert tree_bytes(library) == before
        assert _imported_reviews(data_dir) == 0
        assert col.cards(["imp00000"]) == []
        return "nothing"


@pytest.mark.parametrize(
    ("point", "outcome"),
    [
        ("import-before-commit", "nothing"),
        ("import-committed", "all"),  # the old code's gap: files moved, no commit
        ("import-move-0", "all"),
        ("import-move-1", "all"),
        ("import-move-2", "all"),
        ("import-moved", "all"),
    ],
)
def test_import_killed_at_each_step_is_whole_or_absent(
    data_dir: Path, point: str, outcome: str
) -> None:
    _setup(data_dir)
    before = tree_bytes(data_dir / "decks")
    proc = _start(data_dir, point)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL, err
    assert "imported" not in out
    assert _check_all_or_nothing(data_dir, before) == outcome


def _fresh(data_dir: Path) -> dict[str, bytes]:
    """The library before the import (the collection made anew), as bytes."""
    shutil.rmtree(data_dir, ignore_errors=True)
    (data_dir / "decks").mkdir(parents=True)
    _setup(data_dir)
    return tree_bytes(data_dir / "decks")


def _import_seconds(data_dir: Path) -> float:
    """How long the import itself takes here (from "ready" to exit)."""
    _fresh(data_dir)
    proc = _start(data_dir, None)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    started = time.monotonic()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and "imported" in out, err
    return time.monotonic() - started


def test_import_killed_at_random_moments(tmp_path: Path) -> None:
    data_dir = tmp_path / "random"
    span = _import_seconds(data_dir)
    rng = random.Random(17)
    outcomes = []
    for _ in range(5):
        before = _fresh(data_dir)
        proc = _start(data_dir, None)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0, span))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        outcomes.append(_check_all_or_nothing(data_dir, before))
    assert len(outcomes) == 5  # each one was checked whole or absent


def test_leftover_staging_and_temp_files_are_cleaned_on_open(data_dir: Path) -> None:
    _setup(data_dir)
    tmp = data_dir / "tmp"
    (tmp / "import-ab12cd_9" / "new").mkdir(parents=True)
    (tmp / "import-ab12cd_9" / "new" / "x.md").write_bytes(b"## X\ny\n")
    (tmp / "interop-zz99yy00").mkdir()
    (tmp / "interop-zz99yy00" / "media.bin").write_bytes(b"x" * 1000)
    (tmp / "mine").mkdir()  # not a name of ours: left alone
    deck_dir = data_dir / "decks" / "sub"
    deck_dir.mkdir()
    (deck_dir / ".deck001.md.k3j_x9q2.tmp").write_bytes(b"half a deck")
    (data_dir / "decks" / ".keep.md.abcdefgh.tmp").write_bytes(b"half")
    (data_dir / "decks" / ".notes.txt.abcdefgh.tmp").write_bytes(b"not a deck's")
    (data_dir / "decks" / ".keep.md.short.tmp").write_bytes(b"not our naming")
    with Collection.open(data_dir, seed=False, now=T0):
        pass
    assert sorted(p.name for p in tmp.iterdir()) == ["mine"]
    assert not (deck_dir / ".deck001.md.k3j_x9q2.tmp").exists()
    assert not (data_dir / "decks" / ".keep.md.abcdefgh.tmp").exists()
    assert (data_dir / "decks" / ".notes.txt.abcdefgh.tmp").exists()
    assert (data_dir / "decks" / ".keep.md.short.tmp").exists()


def test_a_first_sync_killed_while_writing_ids_leaves_no_temp_file(tmp_path: Path) -> None:
    """A first sync writes ids into every deck file (atomically: a hidden temp file
    renamed over it). Killed before a rename, the temp file stays beside the deck; the
    next open removes it and writes the ids."""
    data_dir = tmp_path / "data"
    decks = data_dir / "decks"
    for i in range(30):
        write(decks / f"deck{i:03d}.md", "".join(f"## Q{i} {j}\nA {j}\n\n" for j in range(5)))
    before = tree_bytes(decks)
    env = {**os.environ, CRASH_ENV: "atomic-write-before-rename:deck007.md"}
    done = subprocess.run(
        [sys.executable, "-m", "flashcards", "--data-dir", str(data_dir), "sync"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    left = [p.name for p in decks.iterdir() if p.name.endswith(".tmp")]
    # (Files are written several at a time: others may be caught half-way too.)
    assert any(n.startswith(".deck007.md.") for n in left), left
    assert all(n.startswith(".deck") and n[8:12] == ".md." for n in left), left
    for name, data in before.items():  # each deck whole: as it was, or with its ids
        now = (decks / name).read_text()
        assert re.sub(r" \{#[a-z0-9]{6}\}", "", now) == data.decode(), name
    with Collection.open(data_dir, seed=False, now=T0) as col:
        assert [p.name for p in decks.iterdir() if p.name.startswith(".")] == []
        ours = [d for d in col.decks() if d.file.startswith("deck")]
        assert len(ours) == 30 and sum(d.total for d in ours) == 150
        assert all("{#" in (decks / f"deck{i:03d}.md").read_text() for i in range(30))
