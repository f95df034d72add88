"""QA: unnumbered cloze deletions were numbered by place at every read, so a deletion
added in front moved every later card's history onto another deletion. The sync writes
their numbers with the ids; a deletion added later takes a new number."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from flashcards.collection import Collection
from flashcards.core.model import Rating

T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)


def test_a_deletion_added_in_front_leaves_the_others_history(tmp_path: Path) -> None:
    deck = tmp_path / "data" / "decks" / "kinesis.md"
    deck.parent.mkdir(parents=True)
    deck.write_text(
        "---\ntitle: Kinesis\n---\n\n## Shard limits\n"
        "A shard takes {{1 MB/s}} in and gives {{2 MB/s}} out.\n",
        encoding="utf-8",
    )
    with Collection.open(tmp_path / "data", seed=False, now=T0) as col:
        text = deck.read_text(encoding="utf-8")
        assert "A shard takes {{c1::1 MB/s}} in and gives {{c2::2 MB/s}} out.\n" in text
        nid = text.split("{#")[1].split("}")[0]
        for days in (0, 0.01, 3):
            col.answer(f"{nid}:c1", Rating.GOOD, now=T0 + timedelta(days=days), duration_ms=2000)
        source = col.note_source(nid)
        col.update_note_source(
            nid, source.replace("A shard takes", "A {{provisioned}} shard takes")
        )
        assert "A {{c3::provisioned}} shard takes {{c1::1 MB/s}}" in deck.read_text(
            encoding="utf-8"
        )
        first = col.card(f"{nid}:c1")
        assert "{{c1::1 MB/s}}" in first.card.prompt and len(col.history(f"{nid}:c1")) == 3
        assert col.history(f"{nid}:c3") == []
