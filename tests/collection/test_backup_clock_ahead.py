"""A backup dated in the future (made once while the clock was ahead) does not hold back
the periodic backups once the clock is right again."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from col_helpers import T0, deck_text, note, write

from flashcards.collection import Collection
from flashcards.core.model import Rating


def test_a_backup_from_the_future_does_not_stop_periodic_backups(data_dir: Path) -> None:
    write(
        data_dir / "decks" / "d.md",
        deck_text(*(note(f"Q{i}", "a", nid=f"fb{i}") for i in range(3))),
    )
    with Collection.open(data_dir, seed=False, now=T0) as col:
        col.set_setting("seeded", True)
        col.answer("fb0", Rating.GOOD, now=T0)
        col.backups.create(now=T0 + timedelta(days=5 * 365), kind="auto")  # the clock ahead
        col.answer("fb1", Rating.GOOD, now=T0 + timedelta(days=1))  # the clock right again
        made = col.backups.maybe(now=T0 + timedelta(days=1, hours=3))
        assert made is not None and made.reviews == 2
        # the real one just made counts: not due again 10 minutes later
        col.answer("fb2", Rating.GOOD, now=T0 + timedelta(days=1, hours=3, minutes=5))
        assert not col.backups.due(now=T0 + timedelta(days=1, hours=3, minutes=10))
        assert col.backups.due(now=T0 + timedelta(days=1, hours=3, minutes=31))
