"""Library sync: ids written back, identity through edits, renames, moves, removal and
re-adding, external folders, and a failure part-way that leaves the previous state."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from col_helpers import T0, deck_text, note, tree_bytes, write

from flashcards.collection import Collection
from flashcards.core.model import CardState, Rating


def ids_in(path: Path) -> list[str]:
    return re.findall(r"\{#([a-z0-9]+)\}", path.read_text(encoding="utf-8"))


def dump(data_dir: Path) -> list[str]:
    with sqlite3.connect(data_dir / "collection.sqlite3") as raw:
        return [line for line in raw.iterdump() if "cards_fts" not in line]


def test_first_sync_writes_ids_and_keeps_every_other_byte(data_dir: Path, open_col) -> None:
    text = deck_text(note("Alpha", "one"), note("Beta", "two", nid="beta01"), title="Greek")
    text = text.replace("\n", "\r\n")  # CRLF endings must survive
    deck = write(data_dir / "decks" / "greek.md", text)
    col = open_col()
    report = col.last_sync
    assert report.cards_added == 2
    assert report.ids_written == ("greek.md",)
    after = deck.read_bytes()
    assert b"## Beta {#beta01}\r\n" in after
    alpha_id = ids_in(deck)[0]
    assert after == text.encode().replace(b"## Alpha\r\n", f"## Alpha {{#{alpha_id}}}\r\n".encode())
    assert {v.card.title for v in col.cards([alpha_id, "beta01"])} == {"Alpha", "Beta"}
    again = col.sync()
    assert not again.changed and again.cards_added == 0
    assert again.seconds < 0.5


def test_edit_keeps_id_and_history(data_dir: Path, open_col) -> None:
    deck = write(data_dir / "decks" / "a.md", deck_text(note("Q", "old answer", nid="q00001")))
    col = open_col()
    col.answer("q00001", Rating.GOOD, now=T0)
    write(deck, deck_text(note("Q, reworded", "new answer", nid="q00001")))
    report = col.sync()
    assert report.cards_updated == 1 and report.cards_added == 0
    view = col.card("q00001")
    assert view.card.title == "Q, reworded" and view.card.answer == "new answer"
    assert view.memory.state is CardState.LEARNING
    assert len(col.history("q00001")) == 1


def test_deleted_id_is_matched_by_title_and_written_back(data_dir: Path, open_col) -> None:
    deck = write(
        data_dir / "decks" / "a.md",
        deck_text(note("Keep me", "x", nid="keep01"), note("Other", "y", nid="othr01")),
    )
    col = open_col()
    col.answer("keep01", Rating.EASY, now=T0)
    write(deck, deck_text(note("Keep me", "x, edited"), note("Other", "y", nid="othr01")))
    report = col.sync()
    assert report.cards_added == 0
    assert ids_in(deck) == ["keep01", "othr01"]
    assert col.card("keep01").memory.state is CardState.REVIEW


def test_rename_keeps_ids_and_history(data_dir: Path, open_col) -> None:
    deck = write(
        data_dir / "decks" / "old.md", deck_text(note("Q", "a", nid="q00001"), title="Old")
    )
    col = open_col()
    col.answer("q00001", Rating.GOOD, now=T0)
    (data_dir / "decks" / "sub").mkdir()
    deck.rename(data_dir / "decks" / "sub" / "new.md")
    report = col.sync()
    assert report.cards_added == 0 and report.cards_removed == 0
    view = col.card("q00001")
    assert view.card.file == "sub/new.md" and view.present
    assert view.deck == "Sub::Old"
    assert len(col.history("q00001")) == 1
    assert [d.file for d in col.decks(now=T0)] == ["sub/new.md"]


def test_move_between_files_keeps_history(data_dir: Path, open_col) -> None:
    a = write(
        data_dir / "decks" / "a.md",
        deck_text(note("Mover", "m", nid="move01"), note("Stay", "s", nid="stay01")),
    )
    b = write(data_dir / "decks" / "b.md", deck_text(note("B1", "b", nid="bbbb01")))
    col = open_col()
    col.answer("move01", Rating.GOOD, now=T0)
    write(a, deck_text(note("Stay", "s", nid="stay01")))
    write(b, deck_text(note("B1", "b", nid="bbbb01"), note("Mover", "m", nid="move01")))
    report = col.sync()
    assert report.cards_added == 0 and report.cards_removed == 0
    assert ids_in(b) == ["bbbb01", "move01"]  # not renamed as a duplicate
    view = col.card("move01")
    assert view.card.file == "b.md" and len(col.history("move01")) == 1


def test_removed_card_is_hidden_then_restored(data_dir: Path, open_col) -> None:
    full = deck_text(note("One", "1", nid="one001"), note("Two", "2", nid="two002"))
    deck = write(data_dir / "decks" / "a.md", full)
    col = open_col()
    col.answer("two002", Rating.GOOD, now=T0)
    write(deck, deck_text(note("One", "1", nid="one001")))
    report = col.sync()
    assert report.cards_removed == 1
    assert not col.card("two002").present
    assert "two002" not in col.queue(now=T0)
    assert col.decks(now=T0)[0].total == 1
    write(deck, full)
    report = col.sync()
    assert report.cards_restored == 1
    view = col.card("two002")
    assert view.present and view.memory.state is CardState.LEARNING
    assert len(col.history("two002")) == 1


def test_deleted_file_hides_cards_and_coming_back_restores(data_dir: Path, open_col) -> None:
    deck = write(data_dir / "decks" / "a.md", deck_text(note("One", "1", nid="one001")))
    saved = deck.read_bytes()
    col = open_col()
    deck.unlink()
    report = col.sync()
    assert report.files_removed == ("a.md",) and not col.card("one001").present
    assert col.decks(now=T0) == []
    deck.write_bytes(saved)
    col.sync()
    assert col.card("one001").present and len(col.decks(now=T0)) == 1


def test_copied_id_gets_a_new_id_in_the_copy(data_dir: Path, open_col) -> None:
    write(data_dir / "decks" / "a.md", deck_text(note("Orig", "o", nid="orig01")))
    col = open_col()
    b = write(data_dir / "decks" / "b.md", deck_text(note("Copy", "o", nid="orig01")))
    report = col.sync()
    new = ids_in(b)[0]
    assert new != "orig01"
    assert any("orig01" in w.message for w in report.warnings)
    assert col.card("orig01").card.file == "a.md" and col.card(new).card.file == "b.md"


def test_exception_mid_sync_leaves_previous_state(data_dir: Path, open_col) -> None:
    a = write(data_dir / "decks" / "a.md", deck_text(note("A", "a", nid="aaaa01")))
    b = write(data_dir / "decks" / "b.md", deck_text(note("B", "b", nid="bbbb01")))
    col = open_col()
    col.answer("aaaa01", Rating.GOOD, now=T0)
    before = dump(data_dir)
    write(a, deck_text(note("A edited", "a2", nid="aaaa01"), note("New in A", "n")))
    write(b, deck_text(note("B edited", "b2", nid="bbbb01")))
    a_bytes = a.read_bytes()
    calls: list[str] = []

    def fail_on_second(key: str) -> None:
        calls.append(key)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        col.sync(_on_file=fail_on_second)
    assert dump(data_dir) == before
    assert a.read_bytes() == a_bytes  # nothing written back either
    assert col.card("aaaa01").card.title == "A"
    report = col.sync()  # and the next sync applies everything
    assert set(report.files_changed) == {"a.md", "b.md"} and report.cards_added == 1
    assert col.card("aaaa01").card.title == "A edited"
    assert len(col.history("aaaa01")) == 1


def test_malformed_file_is_reported_and_left_alone(data_dir: Path, open_col) -> None:
    good = write(data_dir / "decks" / "good.md", deck_text(note("G", "g", nid="good01")))
    bad = write(
        data_dir / "decks" / "bad.md",
        deck_text(note("X", "x", nid="dupe01"), note("Y", "y", nid="dupe01")),
    )
    bad_bytes = bad.read_bytes()
    col = open_col()
    report = col.last_sync
    assert len(report.errors) == 1 and report.errors[0].startswith("bad.md:")
    assert bad.read_bytes() == bad_bytes
    assert col.card("good01").present
    assert good.exists()


def test_links_resolve_across_files(data_dir: Path, open_col) -> None:
    write(
        data_dir / "decks" / "a.md",
        deck_text(note("Source", "See [[Target card]] and [[Nowhere]].", nid="src001")),
    )
    write(data_dir / "decks" / "b.md", deck_text(note("Target card", "t", nid="tgt001")))
    col = open_col()
    assert [v.id for v in col.links_of("src001")] == ["tgt001"]
    assert [v.id for v in col.backlinks("tgt001")] == ["src001"]
    assert any("Nowhere" in w for w in col.unresolved_links())
    # Renaming the target breaks the link; naming it back restores it.
    write(data_dir / "decks" / "b.md", deck_text(note("Renamed", "t", nid="tgt001")))
    col.sync()
    assert col.links_of("src001") == []


def test_external_folder_is_referenced_and_written_in_place(tmp_path: Path, open_col) -> None:
    outside = tmp_path / "my-notes"
    deck = write(outside / "cloud.md", deck_text(note("S3", "storage"), title="Cloud"))
    col = open_col()
    report = col.add_folder(outside)
    assert report.cards_added == 1
    new_id = ids_in(deck)[0]  # written back where the file lives
    view = col.card(new_id)
    assert view.card.file == "my-notes/cloud.md" and view.deck == "my-notes::Cloud"
    assert not (col.library / "my-notes").exists()
    col.remove_folder(outside)
    assert not col.card(new_id).present
    col.add_folder(outside)  # adding it back brings the cards back, same label
    assert col.card(new_id).present and col.card(new_id).card.file == "my-notes/cloud.md"


def test_bundled_decks_are_seeded_once(tmp_path: Path) -> None:
    data = tmp_path / "d"
    with Collection.open(data) as col:
        seeded = sorted(p.name for p in col.library.rglob("*.md"))
        assert seeded, "bundled decks copied"
        assert col.decks()
    for p in (data / "decks").rglob("*.md"):
        p.unlink()
    with Collection.open(data) as col:
        assert list(col.library.rglob("*.md")) == []
        assert col.decks() == []


def test_a_library_with_decks_of_its_own_gets_no_bundled_decks(tmp_path: Path) -> None:
    data = tmp_path / "d"
    mine = write(data / "decks" / "mine" / "notes.md", deck_text(note("Mine", "1", nid="mine01")))
    (data / "decks" / ".trash").mkdir()
    (data / "decks" / ".trash" / "old.md").write_text("## Gone\n", encoding="utf-8")
    with Collection.open(data) as col:
        files = sorted(p.relative_to(col.library).as_posix() for p in col.library.rglob("*.md"))
        assert files == [".trash/old.md", "mine/notes.md"]
        assert [d.name for d in col.decks()] == ["Mine::Notes"]
    assert mine.read_text(encoding="utf-8").count("## ") == 1
    # A library whose only deck files are hidden is empty: it is seeded.
    (data.parent / "e" / "decks" / ".trash").mkdir(parents=True)
    (data.parent / "e" / "decks" / ".trash" / "old.md").write_text("## Gone\n", encoding="utf-8")
    with Collection.open(data.parent / "e") as col:
        assert len(list(col.library.rglob("*.md"))) > 2


def test_update_note_source_rewrites_lines_and_keeps_history(data_dir: Path, open_col) -> None:
    deck = write(
        data_dir / "decks" / "a.md",
        deck_text(note("First", "1", nid="frst01"), note("Second", "2", nid="scnd02")),
    )
    col = open_col()
    col.answer("scnd02", Rating.GOOD, now=T0)
    assert col.note_source("scnd02") == "## Second {#scnd02}\n2"
    change = col.update_note_source("scnd02", "## Second, better {#scnd02}\nTwo.\n")
    assert "scnd02" in change.cards
    assert "## First {#frst01}\n1\n" in deck.read_text()
    assert col.card("scnd02").card.title == "Second, better"
    assert len(col.history("scnd02")) == 1
    with pytest.raises(Exception, match="a.md:"):
        col.update_note_source("scnd02", "## A {#x1}\n1\n## B {#x1}\n2")
    assert col.card("scnd02").card.title == "Second, better"


def test_unchanged_library_reads_no_file(
    data_dir: Path, open_col, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(5):
        write(
            data_dir / "decks" / f"d{i}.md", deck_text(*(note(f"Q{i}-{j}", "a") for j in range(20)))
        )
    col = open_col()
    tree = tree_bytes(data_dir / "decks")

    def no_reads(self: Path) -> bytes:
        raise AssertionError(f"read {self}")

    monkeypatch.setattr(Path, "read_bytes", no_reads)
    report = col.sync()
    assert not report.changed and report.files_seen == 5
    monkeypatch.undo()
    assert tree_bytes(data_dir / "decks") == tree


def test_symlinked_folder_is_followed_once(tmp_path: Path, data_dir: Path, open_col) -> None:
    shared = tmp_path / "shared"
    write(shared / "s.md", deck_text(note("Shared", "s", nid="shar01")))
    (data_dir / "decks" / "linked").symlink_to(shared, target_is_directory=True)
    (shared / "loop").symlink_to(shared, target_is_directory=True)  # must not recurse forever
    col = open_col()
    assert col.card("shar01").card.file == "linked/s.md"
    assert col.last_sync.files_seen == 1


def test_fresh_id_never_reuses_a_hidden_cards_id(
    data_dir: Path, open_col, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write(data_dir / "decks" / "a.md", deck_text(note("Old", "o", nid="hid001")))
    col = open_col()
    col.answer("hid001", Rating.GOOD, now=T0)
    write(deck, deck_text(note("Other", "x", nid="oth001")))
    col.sync()
    assert not col.card("hid001").present
    from flashcards.core import ids

    drawn = iter(["hid001", "new001"])  # the first draw clashes with the hidden card
    monkeypatch.setattr(ids, "new_id", lambda taken: next(i for i in drawn if i not in taken))
    write(data_dir / "decks" / "b.md", deck_text(note("Brand new", "b")))
    col.sync()
    assert ids_in(data_dir / "decks" / "b.md") == ["new001"]
    assert not col.card("hid001").present and len(col.history("hid001")) == 1


def test_big_sync_in_groups_matches_a_single_pass(
    data_dir: Path, open_col, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flashcards.collection import sync_apply, sync_files

    monkeypatch.setattr(sync_apply, "BIG_SYNC_BYTES", 0)  # every sync is "big"
    monkeypatch.setattr(sync_files, "GROUP_BYTES", 1)  # one file per group
    a = write(
        data_dir / "decks" / "a.md", deck_text(note("A1", "a"), note("Stay", "s", nid="stay01"))
    )
    c = write(
        data_dir / "decks" / "c.md", deck_text(note("Mover", "m", nid="move01"), note("C2", "c"))
    )
    col = open_col()
    assert col.last_sync.cards_added == 4
    all_ids = ids_in(a) + ids_in(c)
    assert len(set(all_ids)) == 4  # fresh ids are unique across groups
    col.answer("move01", Rating.GOOD, now=T0)
    # Move a note from the last group's file to the first's, and copy another one.
    write(
        a,
        deck_text(
            note("A1", "a", nid=ids_in(a)[0]),
            note("Stay", "s", nid="stay01"),
            note("Mover", "m", nid="move01"),
        ),
    )
    write(c, deck_text(note("C2", "c", nid=ids_in(c)[1]), note("Copy of stay", "s", nid="stay01")))
    report = col.sync()
    assert report.cards_removed == 0 and report.cards_added == 1  # only the copy is new
    assert col.card("move01").card.file == "a.md" and len(col.history("move01")) == 1
    assert col.card("stay01").card.file == "a.md"
    assert ids_in(c)[1] != "stay01"


def test_read_only_open_reads_while_the_writer_holds_it(data_dir: Path, open_col) -> None:
    from flashcards.collection import Collection
    from flashcards.storage.engine import ReadOnlyError

    write(data_dir / "decks" / "a.md", deck_text(note("A", "a", nid="aaaa01")))
    col = open_col()
    col.answer("aaaa01", Rating.GOOD, now=T0)
    with Collection.open(data_dir, readonly=True) as ro:
        assert [d.file for d in ro.decks(now=T0)] == ["a.md"]
        assert len(ro.history("aaaa01")) == 1
        assert ro.stats(now=T0).reviews_total == 1
        with pytest.raises(ReadOnlyError, match="read-only"):
            ro.answer("aaaa01", Rating.GOOD, now=T0)
        with pytest.raises(ReadOnlyError):
            ro.sync()
    col.answer("aaaa01", Rating.GOOD, now=T0)  # the writer is unaffected
    assert len(col.history("aaaa01")) == 2
