"""`col.search`: a page of the best matches by relevance, or every match unranked
(issue 18: only a search that shows a page ranks it)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from col_helpers import T0, deck_text, note, write

from flashcards.collection import Collection
from flashcards.core.errors import FlashcardsError


@pytest.fixture
def col(data_dir: Path, open_col) -> Collection:
    words = ["boost", "tree", "shard", "stream", "eta", "glue", "drift"]
    for f in range(3):
        notes = []
        for i in range(40):
            # "boost" from once to five times; the title holds it in some cards.
            body = " ".join(words[(f + i + k) % len(words)] for k in range(6 + i % 5))
            body += " boost" * (1 + (i * 7 + f) % 5)
            title = f"Card {f}-{i}" + (" boosting" if i % 6 == 0 else "")
            notes.append(note(title, body, nid=f"c{f}n{i:03d}"))
        write(data_dir / "decks" / f"deck-{f}.md", deck_text(*notes))
    return open_col()


def reference(data_dir: Path, match: str, limit: int) -> list[str]:
    """The ranking as a plain query states it: every visible match by bm25."""
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        return [
            r[0]
            for r in raw.execute(
                "SELECT c.id FROM cards_fts f JOIN cards c ON c.rowid = f.rowid "
                "WHERE cards_fts MATCH ? AND c.present = 1 ORDER BY rank, f.rowid LIMIT ?",
                (match, limit),
            )
        ]


def visible_with(col: Collection, data_dir: Path, *words: str) -> set[str]:
    """Every visible card whose text holds each word (the last as a prefix), by hand."""
    found = set()
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        for cid, title, prompt, answer in raw.execute(
            "SELECT id, title, prompt, answer FROM cards WHERE present = 1"
        ):
            tokens = re.findall(r"\w+", f"{title} {prompt} {answer}".lower())
            *whole, last = words
            if all(w in tokens for w in whole) and any(t.startswith(last) for t in tokens):
                found.add(cid)
    return found


def test_a_page_is_the_best_matches_by_relevance(col: Collection, data_dir: Path) -> None:
    for limit in (1, 5, 200):
        page = col.search("boost", limit=limit)
        assert page == reference(data_dir, '"boost"*', limit)
    assert len(col.search("boost", limit=5)) == 5
    assert col.search("boost") == reference(data_dir, '"boost"*', 200)  # 200 by default
    assert col.search("boost tree", limit=10) == reference(data_dir, '"boost" "tree"*', 10)


def test_hidden_cards_never_take_a_place_on_the_page(col: Collection, data_dir: Path) -> None:
    best = col.search("boost", limit=10)
    # Hide the first file's cards (among the best) by removing it from the library.
    gone = [c for c in best if c.startswith("c0")]
    assert gone
    (data_dir / "decks" / "deck-0.md").unlink()
    col.sync(now=T0)
    page = col.search("boost", limit=10)
    assert len(page) == 10 and not set(page) & set(gone)
    assert page == reference(data_dir, '"boost"*', 10)
    assert not any(c.startswith("c0") for c in col.search("boost", limit=None))


def test_every_match_comes_unranked_in_the_order_cards_came_in(
    col: Collection, data_dir: Path
) -> None:
    everything = col.search("boost", limit=None)
    assert set(everything) == visible_with(col, data_dir, "boost") and len(everything) == 120
    assert everything == [f"c{f}n{i:03d}" for f in range(3) for i in range(40)]
    assert everything != col.search("boost", limit=120)  # that one is ranked
    assert set(col.search("boost", limit=120)) == set(everything)
    assert set(col.search("boost shar", limit=None)) == visible_with(col, data_dir, "boost", "shar")
    # A card added later comes after the others.
    write(data_dir / "decks" / "a-new.md", deck_text(note("Late boost", "x", nid="late01")))
    col.sync(now=T0)
    assert col.search("boost", limit=None)[-1] == "late01"


def test_empty_and_odd_queries(col: Collection) -> None:
    assert col.search("") == [] and col.search('  ""  ', limit=None) == []
    assert col.search("boost", limit=0) == []
    assert col.search("nothing-like-it", limit=None) == []
    assert col.search('"boost"') == col.search("boost")  # quotes are not syntax here
    with pytest.raises(FlashcardsError, match="cannot search"):
        col.search("\x00")
