"""A first sync gives out ids in one pass over the library (issue 18): the ids owned
elsewhere are looked up, never copied per file, and a big sync in groups (indexes and
text index built once, new files without ids not parsed twice) ends exactly where a
single pass does: the same files, rows, indexes and search results."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from col_helpers import T0, deck_text, note, tree_bytes, write

from flashcards.collection import Collection, sync_apply, sync_files
from flashcards.core import ids
from flashcards.core.ids import assign_ids
from flashcards.core.parser import parse_deck


class LookupOnly:
    """A set of ids that answers `in` and fails on anything that would copy it."""

    def __init__(self, items: set[str]) -> None:
        self.items = items
        self.asked = 0

    def __contains__(self, item: object) -> bool:
        self.asked += 1
        return item in self.items

    def __iter__(self) -> Iterator[str]:
        raise AssertionError("the taken ids were copied")

    def __len__(self) -> int:
        raise AssertionError("the taken ids were measured")


def test_assign_ids_only_looks_up_the_taken_ids() -> None:
    data = b"## One\na\n\n## Two {#dup001}\nb\n\n## Three {#own001}\nc\n"
    taken = LookupOnly({"dup001", "abc123"})
    out = assign_ids(data, parse_deck(data, path="d.md"), taken=taken)
    assert out.data is not None and taken.asked > 0
    assert [line for line, *_ in out.renamed] == [4]  # dup001 belongs to another file
    written = {n.id for n in parse_deck(out.data, path="d.md").deck.notes}
    assert "own001" in written and "dup001" not in written and len(written) == 3


def test_assign_ids_never_draws_an_id_taken_elsewhere_or_in_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The draws repeat ids other files own and this file holds: each is drawn again.
    drawn = iter(["elsewh", "own001", "fresh1", "fresh1", "fresh2"])
    monkeypatch.setattr(ids, "new_id", lambda taken: next(i for i in drawn if i not in taken))
    data = b"## A\na\n\n## B {#own001}\nb\n\n## C\nc\n"
    out = assign_ids(data, parse_deck(data, path="d.md"), taken=LookupOnly({"elsewh"}))
    assert sorted(out.assigned.values()) == ["fresh1", "fresh2"]


def library(root: Path) -> None:
    """Files without ids, ids shared by two files, an id-like token in code, a BOM and
    CRLF endings, a reversed card, a file that does not parse, a cloze."""
    for n in range(6):
        write(
            root / f"part-{n % 2}" / f"deck-{n}.md",
            deck_text(*(note(f"Card {n}-{i}", f"answer {n} {i} common") for i in range(5))),
        )
    write(root / "ids.md", deck_text(note("Has id", "x", nid="shared"), note("No id", "y")))
    write(root / "zz-copy.md", deck_text(note("Copy", "z", nid="shared"), note("New", "n")))
    write(
        root / "code.md",
        "## Real\nbody\n\n```\n## Not a heading {#fake01}\n```\n\n## Reverse {.reverse}\nb\n",
    )
    (root / "bom.md").write_bytes(b"\xef\xbb\xbf## Bom first\r\nbody\r\n\r\n## Second\r\nmore\r\n")
    write(root / "broken.md", "## Bad {#two #ids}\nx\n")
    (root / "latin1.md").write_bytes(b"## Caf\xe9\nnot UTF-8\n")  # no id: parsed once, fails
    write(root / "cloze.md", "## Cloze\n{{one}} and {{c2::two}}\n")


def run_sync(tmp: Path, monkeypatch: pytest.MonkeyPatch, *, big: bool) -> tuple[Path, Collection]:
    counter = iter(range(1, 10_000))
    monkeypatch.setattr(
        ids,
        "new_id",
        lambda taken: next(f"id{k:04d}" for k in counter if f"id{k:04d}" not in taken),
    )
    monkeypatch.setattr(sync_apply, "BULK_ROWS", 1)  # indexes dropped, built after
    if big:
        monkeypatch.setattr(sync_apply, "BIG_SYNC_BYTES", 0)  # every sync is "big"
        monkeypatch.setattr(sync_files, "GROUP_BYTES", 200)  # a few files per group
    data = tmp / ("big" if big else "single")
    library(data / "decks")
    col = Collection.open(data, seed=False, sync=False)
    col.set_setting("timezone", "UTC")
    col.last_sync = col.sync(now=T0)
    monkeypatch.undo()
    return data, col


def decks_of(data: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree_bytes(data / "decks").items() if k.endswith(".md")}


def table_rows(data: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(data / "collection.sqlite3") as raw:
        return {
            "decks": raw.execute(
                "SELECT key, rel, name, title, size, sha1, present FROM decks ORDER BY key"
            ).fetchall(),
            "notes": raw.execute(
                "SELECT n.*, d.key FROM notes n JOIN decks d ON d.id = n.deck_id ORDER BY n.id"
            ).fetchall(),
            "cards": raw.execute(
                "SELECT c.id, c.note_id, c.position, c.kind, c.cloze, c.title, c.prompt, "
                "c.answer, c.tags, c.content_hash, c.present, d.key FROM cards c "
                "JOIN decks d ON d.id = c.deck_id ORDER BY c.id"
            ).fetchall(),
            "links": raw.execute(
                "SELECT from_note, target, to_note FROM links ORDER BY 1, 2"
            ).fetchall(),
            "schema": raw.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'cards_fts%' "
                "ORDER BY name"
            ).fetchall(),
        }


def test_a_big_sync_in_groups_ends_where_a_single_pass_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    single, col_a = run_sync(tmp_path, monkeypatch, big=False)
    big, col_b = run_sync(tmp_path, monkeypatch, big=True)
    try:
        a, b = col_a.last_sync, col_b.last_sync
        assert a is not None and b is not None
        assert b.cards_added == a.cards_added == 41
        assert b.ids_written == a.ids_written and "broken.md" not in b.ids_written
        assert b.files_changed == a.files_changed and len(b.files_changed) == 11
        assert sorted(b.errors) == sorted(a.errors) and len(b.errors) == 2
        assert [e.split(":")[0] for e in sorted(b.errors)] == ["broken.md", "latin1.md"]
        assert [str(w) for w in b.warnings] == [str(w) for w in a.warnings]
        assert any("#shared belongs to another card" in str(w) for w in b.warnings)
        # The same ids in the same places, every other byte kept, in both libraries.
        assert decks_of(big) == decks_of(single)
        assert b"{#fake01}" in (big / "decks" / "code.md").read_bytes()
        assert table_rows(big) == table_rows(single)
        for query in ("common", "answer 3", "reverse", "bom"):
            assert col_b.search(query, limit=None) == col_a.search(query, limit=None)
            assert col_b.search(query) == col_a.search(query)
        assert len(col_b.search("common", limit=None)) == 30  # every group's text indexed
    finally:
        col_a.close()
        col_b.close()


def test_a_known_deck_that_stops_parsing_keeps_its_cards_in_a_big_sync(
    data_dir: Path, open_col, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write(data_dir / "decks" / "a.md", deck_text(note("Kept", "k")))
    write(data_dir / "decks" / "b.md", deck_text(note("Other", "o")))
    col = open_col()
    (kept,) = col.search("Kept")
    monkeypatch.setattr(sync_apply, "BIG_SYNC_BYTES", 0)
    monkeypatch.setattr(sync_files, "GROUP_BYTES", 1)
    deck.write_bytes(b"## Kept\n\xff\n")  # no longer parses (not UTF-8), holds no id
    (data_dir / "decks" / "c.md").write_bytes(b"## Caf\xe9\n")  # new, not UTF-8
    write(data_dir / "decks" / "d.md", deck_text(note("Fresh", "f")))
    report = col.sync(now=T0)
    assert len(report.errors) == 2 and report.cards_added == 1 and report.cards_removed == 0
    assert col.card(kept).present


def test_fresh_ids_differ_across_files_of_a_first_sync(
    data_dir: Path, open_col, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first draw for the second file repeats the first file's id: drawn again.
    drawn = iter(["dup001", "dup001", "dup002"])
    monkeypatch.setattr(ids, "new_id", lambda taken: next(i for i in drawn if i not in taken))
    write(data_dir / "decks" / "a.md", deck_text(note("A", "a")))
    write(data_dir / "decks" / "b.md", deck_text(note("B", "b")))
    col = open_col()
    assert col.last_sync.cards_added == 2
    assert {v.card.title for v in col.cards(["dup001", "dup002"])} == {"A", "B"}


@pytest.mark.parametrize(
    ("data", "may"),
    [
        (b"## A {#abc123}\nbody\n", True),
        (b"\xef\xbb\xbf## A {#abc123}\r\nbody\r\n", True),
        (b"x\n   ### B {.reverse #abc123}\nbody\n", True),
        (b"x\n##\tC {: #abc123}\nbody", True),
        (b"###### D {data-x=1 #abc123}\nbody\n", True),
        (b"## A\n{{c1::cloze}} and {{text::hint}}\n", False),
        (b"text {#abc123}\n## A\nbody\n", False),  # not on a heading line
        (b"x\n\n    ## indented code {#abc123}\n", False),
        (b"##hashtag {#abc123}\nbody\n", False),  # no space after the hashes: no heading
    ],
)
def test_which_files_could_hold_an_id(data: bytes, may: bool) -> None:
    # Never "no" for a file whose headings hold an id: such a file is not parsed before
    # the ids are handed out.
    assert sync_apply._may_hold_id(data) is may  # noqa: SLF001
    ids_found = any(n.id for n in parse_deck(data, path="d.md").deck.notes)
    assert ids_found is may
