"""An .apkg export reads notes as Anki fields from the store of rendered notes
(collection/export_rows.py, schema v8): its package equals what rendering every note
afresh gives, a note is rendered again exactly when its text (or the renderer) changed,
and a read-only collection exports the same without writing the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from anki_factory import anki_import
from sample_deck import MODELING as SAMPLE
from sample_deck import package_rows, write_modeling
from sqlalchemy import text

from flashcards.collection import export_ops
from flashcards.collection.collection import Collection
from flashcards.collection.render_ahead import RenderAhead
from flashcards.core.model import Flag, Rating
from flashcards.core.parser import parse_deck
from flashcards.interop.apkg_export import write_apkg
from flashcards.interop.export_notes import RENDERER, stable_int
from flashcards.interop.package_notes import render_note

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)

MODELING = (
    SAMPLE
    + """
## Loss {#loss01}
The log loss is $-\\frac{1}{n}\\sum_i y_i \\log p_i$.
?
| model | loss |
|---|---|
| a | 0.3 |

```python
loss = -mean(y * log(p))
```
"""
)

FRENCH = """---
title: French
notetypes:
  vocab:
    name: Basic (+IPA)
    fields: [Word, IPA, Meaning]
    templates:
      - name: Recognise
        front: "{{Word}}"
        back: "{{FrontSide}}\\n\\n---\\n\\n{{IPA}} {{Meaning}}"
      - name: Recall
        front: "{{Meaning}}"
        back: "{{FrontSide}}\\n\\n---\\n\\n**{{Word}}**"
---

## maison {#fr0001 notetype=vocab}
IPA: /mɛ.zɔ̃/
Meaning: house
Tags: french

## Plain {#fr0002}
A *plain* note beside them.
"""


@pytest.fixture
def col(tmp_path: Path) -> Collection:
    collection = Collection.open(tmp_path / "data", seed=False)
    library = collection.library
    write_modeling(library, MODELING)
    (library / "french.md").write_text(FRENCH, encoding="utf-8")
    collection.sync(now=NOW)
    for day, rating in ((10, Rating.GOOD), (9, Rating.GOOD), (2, Rating.AGAIN)):
        collection.answer("k3f9q2", rating, now=NOW - timedelta(days=day), duration_ms=3000)
    collection.answer("fr0001", Rating.EASY, now=NOW - timedelta(days=1))
    collection.answer("loss01", Rating.AGAIN, now=NOW - timedelta(hours=1))  # learning
    collection.set_flag(["rev001"], Flag.GREEN)
    collection.suspend(["rev001:r"])
    yield collection
    collection.close()


def _fresh(col: Collection, out: Path) -> dict[str, Any]:
    """The package made by rendering every note of the freshly parsed decks."""
    write_apkg(export_ops.export_data(col, None), out, now=NOW)
    return package_rows(out)


def _stored(col: Collection) -> dict[str, tuple[Any, ...]]:
    with col._read() as s:
        rows = s.connection().execute(text("SELECT * FROM anki_fields"))
        return {r[0]: tuple(r[1:]) for r in rows}


def _set_stored_fields(col: Collection, note_id: str, fields: str) -> None:
    with col._write() as s:
        s.connection().execute(
            text("UPDATE anki_fields SET fields = :f WHERE note_id = :i"),
            {"f": fields, "i": note_id},
        )


def test_export_equals_a_fresh_render_before_and_after_the_store_fills(
    col: Collection, tmp_path: Path
) -> None:
    assert _stored(col) == {}  # a sync renders nothing
    first = col.export(None, tmp_path / "first.apkg", now=NOW)
    assert (first.cards, first.media) == (10, 1)
    stored = _stored(col)
    assert set(stored) == {"k3f9q2", "rev001", "p8d2m1", "q1w2e3", "loss01", "fr0001", "fr0002"}
    col.export(None, tmp_path / "second.apkg", now=NOW)  # every note from the store
    fresh = _fresh(col, tmp_path / "fresh.apkg")
    assert package_rows(tmp_path / "first.apkg") == fresh
    assert package_rows(tmp_path / "second.apkg") == fresh
    assert len(fresh["revlog"]) == 5 and len(fresh["notes"]) == 7
    assert {row[6] for row in fresh["cards"]} == {0, 1, 2, 3}  # new, learning, review, relearning
    assert fresh["entries"]["0"] == b"\x89PNG fake"  # the image, renamed in the package


def test_what_is_stored_is_what_rendering_the_note_gives(col: Collection, tmp_path: Path) -> None:
    col.export(None, tmp_path / "out.apkg", now=NOW)
    stored = _stored(col)
    for rel in ("aws/modeling.md", "french.md"):
        deck = parse_deck((col.library / rel).read_bytes(), path=rel).deck
        for note in deck.notes:
            declared = deck.notetypes.get(note.notetype) if note.notetype else None
            content_hash, renderer, *rendered, nid, card_ids = stored[str(note.id)]
            assert (content_hash, renderer) == (note.content_hash, RENDERER)
            assert tuple(rendered) == tuple(render_note(note, declared))
            # the Anki ids as derived from ours, the cards' in the note's order
            assert nid == stable_int(f"note:{note.id}")
            assert len(note.cards) > 0
            assert card_ids == "".join(f";{c.id}={stable_int(f'card:{c.id}')}" for c in note.cards)


def test_rows_without_anki_ids_are_rendered_again(col: Collection, tmp_path: Path) -> None:
    """Rows an export before schema v10 stored (no ids), or whose cards no longer match
    the ids kept, are made again; the package stays the fresh one."""
    col.export(None, tmp_path / "one.apkg", now=NOW)
    with col._write() as s:
        s.connection().execute(
            text("UPDATE anki_fields SET anki_id = NULL, card_ids = NULL WHERE note_id = 'k3f9q2'")
        )
        s.connection().execute(
            text("UPDATE anki_fields SET card_ids = x'0102' WHERE note_id = 'fr0001'")
        )
    col.export(None, tmp_path / "two.apkg", now=NOW)
    assert package_rows(tmp_path / "two.apkg") == _fresh(col, tmp_path / "fresh.apkg")
    stored = _stored(col)
    assert stored["k3f9q2"][-2] == stable_int("note:k3f9q2")
    assert stored["fr0001"][-1].count(";") == 2  # its two cards' ids


def test_a_note_is_rendered_again_when_its_text_changes(col: Collection, tmp_path: Path) -> None:
    col.export(None, tmp_path / "one.apkg", now=NOW)
    # What the store holds is what goes out while the note's text is the same ...
    _set_stored_fields(col, "rev001", "stored\x1fvalue")
    _set_stored_fields(col, "p8d2m1", "kept\x1fas stored")
    col.export(None, tmp_path / "two.apkg", now=NOW)
    notes = {r[6] for r in package_rows(tmp_path / "two.apkg")["notes"]}
    assert {"stored\x1fvalue", "kept\x1fas stored"} <= notes
    # ... and an edit to its text has it rendered afresh; the other notes are kept.
    path = col.library / "aws" / "modeling.md"
    path.write_text(MODELING.replace("cat\n", "chat (French)\n"), encoding="utf-8")
    col.export(None, tmp_path / "three.apkg", now=NOW)
    notes = {r[6] for r in package_rows(tmp_path / "three.apkg")["notes"]}
    assert "Chat\x1fchat (French)" in notes and "stored\x1fvalue" not in notes
    assert "kept\x1fas stored" in notes
    assert _stored(col)["rev001"][3] == "Chat\x1fchat (French)"


def test_a_different_renderer_renders_again(col: Collection, tmp_path: Path) -> None:
    col.export(None, tmp_path / "one.apkg", now=NOW)
    with col._write() as s:
        s.connection().execute(
            text("UPDATE anki_fields SET renderer = 'older', fields = 'old\x1fhtml'")
        )
    col.export(None, tmp_path / "two.apkg", now=NOW)
    assert package_rows(tmp_path / "two.apkg") == _fresh(col, tmp_path / "fresh.apkg")
    assert {row[1] for row in _stored(col).values()} == {RENDERER}


def test_read_only_exports_the_same_and_writes_no_store(col: Collection, tmp_path: Path) -> None:
    data_dir = col.data_dir
    col.close()
    with Collection.open(data_dir, readonly=True) as ro:
        ro.export(None, tmp_path / "ro.apkg", now=NOW)
        assert _stored(ro) == {}
    with Collection.open(data_dir, seed=False) as rw:
        assert package_rows(tmp_path / "ro.apkg") == _fresh(rw, tmp_path / "fresh.apkg")


def test_anki_imports_the_stored_export_as_the_fresh_one(col: Collection, tmp_path: Path) -> None:
    col.export(None, tmp_path / "one.apkg", now=NOW)
    col.export(None, tmp_path / "two.apkg", now=NOW)
    write_apkg(export_ops.export_data(col, None), tmp_path / "fresh.apkg", now=NOW)
    seen = []
    for name in ("two", "fresh"):
        anki = anki_import(tmp_path / f"{name}.apkg", tmp_path / f"{name}.anki2")
        try:
            seen.append(
                (
                    sorted(anki.db.all("SELECT guid, flds, tags FROM notes")),
                    sorted(anki.db.all("SELECT ord, type, queue, ivl, flags FROM cards")),
                    anki.db.scalar("SELECT COUNT(*) FROM revlog"),
                    sorted(p.name for p in Path(anki.media.dir()).iterdir()),
                )
            )
        finally:
            anki.close()
    assert seen[0] == seen[1]
    assert len(seen[0][0]) == 7 and seen[0][2] == 5


def _render_ahead(col: Collection, work: RenderAhead, notes: int = 2) -> list[int]:
    """Steps until done; how many notes each stored."""
    counts = []
    while True:
        before = work.rendered
        more = work.step(col, notes=notes)
        counts.append(work.rendered - before)
        if not more:
            return counts


def test_rendering_ahead_stores_what_the_export_would_in_small_steps(
    col: Collection, tmp_path: Path
) -> None:
    counts = _render_ahead(col, RenderAhead(), notes=2)
    assert max(counts) <= 2 and sum(counts) == 7  # every note, two at most a step
    assert len(_stored(col)) == 7
    ahead = _stored(col)
    col.export(None, tmp_path / "out.apkg", now=NOW)
    assert _stored(col) == ahead  # the export rendered and stored nothing more
    assert package_rows(tmp_path / "out.apkg") == _fresh(col, tmp_path / "fresh.apkg")
    assert _render_ahead(col, RenderAhead()) == [0, 0]  # nothing left: the decks listed, none to do


def test_rendering_ahead_only_the_decks_asked_and_only_changed_notes(
    col: Collection, tmp_path: Path
) -> None:
    _render_ahead(col, RenderAhead(["french.md"]))
    assert set(_stored(col)) == {"fr0001", "fr0002"}
    _render_ahead(col, RenderAhead())
    path = col.library / "french.md"
    path.write_text(path.read_text(encoding="utf-8").replace("plain", "simple"), encoding="utf-8")
    col.sync(now=NOW)
    assert sum(_render_ahead(col, RenderAhead(["french.md"]))) == 1  # the edited note alone
    col.export(None, tmp_path / "out.apkg", now=NOW)
    assert package_rows(tmp_path / "out.apkg") == _fresh(col, tmp_path / "fresh.apkg")


def test_rendering_ahead_skips_notes_changed_on_disk_since_the_sync(
    col: Collection, tmp_path: Path
) -> None:
    path = col.library / "french.md"
    path.write_text(path.read_text(encoding="utf-8").replace("plain", "simple"), encoding="utf-8")
    _render_ahead(col, RenderAhead())  # the index has the old text of fr0002: not stored
    assert "fr0002" not in _stored(col) and "fr0001" in _stored(col)
    col.export(None, tmp_path / "out.apkg", now=NOW)  # syncs, renders the note
    assert package_rows(tmp_path / "out.apkg") == _fresh(col, tmp_path / "fresh.apkg")


def test_rendering_ahead_read_only_stores_nothing(col: Collection) -> None:
    data_dir = col.data_dir
    col.close()
    with Collection.open(data_dir, readonly=True) as ro:
        assert RenderAhead().step(ro) is False
        assert _stored(ro) == {}
