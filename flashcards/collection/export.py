"""Export: a deck, a folder or the library as Markdown here; other formats delegate
to `interop_ops`, which reads everything it writes through `export_snapshot`."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from flashcards.collection.base import CollectionBase, utc
from flashcards.collection.library import referenced_media
from flashcards.collection.transfer import INTEROP_SUFFIXES, MARKDOWN, Progress, _tick
from flashcards.collection.views import DeckInfo, ExportReport
from flashcards.core.errors import FlashcardsError
from flashcards.core.model import (
    CardId,
    CardState,
    Deck,
    Flag,
    MemoryState,
    ReviewEntry,
    ReviewKind,
)
from flashcards.core.parser import parse_deck
from flashcards.storage import models as m
from flashcards.storage.convert import memory_of, review_of


@dataclass(frozen=True)
class ExportDeck:
    """One deck as export needs it: the parsed file, where it lives, its media folder."""

    info: DeckInfo
    deck: Deck  # parsed from the file as it is now (every note has an id)
    path: Path  # absolute path of the deck file
    media_dir: Path  # the folder relative media paths resolve against


@dataclass(frozen=True)
class ExportSnapshot:
    """Everything an exporter reads, taken in one consistent read."""

    decks: tuple[ExportDeck, ...]
    states: dict[CardId, MemoryState]
    flags: dict[CardId, tuple[bool, Flag]]  # (suspended, flag)
    history: dict[CardId, list[ReviewEntry]]


class ExportMixin(CollectionBase):
    """Export, and the one consistent read exporters take."""

    # -- reading for export -----------------------------------------------------------

    def export_snapshot(self, deck: str | None = None) -> ExportSnapshot:
        """Decks (parsed from their files), memory states, flags and history for export."""
        if not self.db.readonly:  # read-only: export what the index holds
            self.sync()
        infos = {i.file: i for i in self.decks()}  # type: ignore[attr-defined]
        refs = self._select(deck, subdecks=True)
        decks: list[ExportDeck] = []
        for ref in refs:
            path = self.deck_path(ref.key)
            parsed = parse_deck(path.read_bytes(), path=ref.key).deck
            decks.append(ExportDeck(infos[ref.key], parsed, path, path.parent))
        states: dict[CardId, MemoryState] = {}
        flags: dict[CardId, tuple[bool, Flag]] = {}
        history: dict[CardId, list[ReviewEntry]] = {}
        deck_ids = [r.id for r in refs]
        with self._read() as s:
            for start in range(0, len(deck_ids), 500):
                chunk = deck_ids[start : start + 500]
                for r in s.execute(
                    select(
                        m.Card.id,
                        m.Card.state,
                        m.Card.step,
                        m.Card.stability,
                        m.Card.difficulty,
                        m.Card.due,
                        m.Card.last_review,
                        m.Card.suspended,
                        m.Card.flag,
                    ).where(m.Card.deck_id.in_(chunk), m.Card.present.is_(True))
                ):
                    cid = CardId(r[0])
                    states[cid] = memory_of(r[1], r[2], r[3], r[4], r[5], r[6])
                    flags[cid] = (bool(r[7]), Flag(r[8]))
                for h in s.execute(
                    select(*m.review_entry_columns(), m.Review.state_after, m.Review.scheduled_days)
                    .join(m.Card, m.Card.id == m.Review.card_id)
                    .where(m.Card.deck_id.in_(chunk), m.Card.present.is_(True))
                    .order_by(m.Review.time_ms, m.Review.id)
                ):
                    entry = review_of(*h[:5])
                    if entry.kind is ReviewKind.MANUAL:  # what it did: a reset, a due date
                        after = None if h[5] is None else CardState(h[5])
                        entry = replace(entry, state_after=after, scheduled_days=h[6] or 0.0)
                    history.setdefault(CardId(h[0]), []).append(entry)
        return ExportSnapshot(tuple(decks), states, flags, history)

    # -- export -------------------------------------------------------------------------

    def export(
        self,
        deck: str | None,
        out: str | os.PathLike[str],
        *,
        format: str | None = None,
        progress: Progress | None = None,
        now: datetime | None = None,
        spreadsheet_safe: bool = False,
    ) -> ExportReport:
        """Export a deck, a folder or the whole library (None).

        `out` ending in `.md` writes one deck file (media beside it); `.apkg`, `.colpkg`,
        `.csv`, `.tsv`, `.txt` delegate to interop; anything else is a folder that gets the
        deck files under their library paths, their media and exam profiles.
        `spreadsheet_safe` (CSV only): a cell a spreadsheet would run as a formula gets a
        `'` first (our import reads the file back exactly; see interop/csv_export.py).
        """
        target = Path(out).expanduser()
        suffix = target.suffix.lower()
        kind = format or INTEROP_SUFFIXES.get(suffix, MARKDOWN)
        if spreadsheet_safe and kind != "csv":
            raise FlashcardsError(
                f"{target.name}: safe for spreadsheets applies to CSV exports only "
                "(.csv, .tsv, .txt)"
            )
        if kind != MARKDOWN:
            from flashcards.collection import export_ops

            return export_ops.export(
                self,
                deck,
                target,
                kind=kind,
                now=utc(now),
                progress=progress,
                spreadsheet_safe=spreadsheet_safe,
            )
        if not self.db.readonly:  # read-only: export what the index holds
            self.sync()
        # A deck goes with its sub-decks, as in Anki; one .md file is the deck's own file.
        refs = self._select(deck, subdecks=suffix != ".md")
        if not refs:
            raise FlashcardsError("the library has no decks to export")
        written: list[str] = []
        media_count = 0
        cards = 0
        if suffix == ".md":
            if len(refs) != 1:
                raise FlashcardsError(f"{deck!r} holds {len(refs)} decks; export it to a folder")
            plan = {target: self.deck_path(refs[0].key)}
        else:
            if target.exists() and not target.is_dir():
                raise FlashcardsError(f"{target} exists and is not a folder")
            plan = {target / ref.key: self.deck_path(ref.key) for ref in refs}
        total = len(plan)
        for done, (dest, src) in enumerate(plan.items()):
            _tick(progress, done, total, f"writing {dest.name}")
            data = src.read_bytes()
            cards += len(parse_deck(data, path=src.name).deck.cards)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
            written.append(str(dest))
            for media in referenced_media(src, data.decode("utf-8", "replace")):
                rel = media.relative_to(src.parent.resolve())
                (dest.parent / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(media, dest.parent / rel)
                media_count += 1
            exam = src.parent / "exam.toml"
            if suffix != ".md" and exam.is_file():
                shutil.copy2(exam, dest.parent / "exam.toml")
        _tick(progress, total, total, "done")
        return ExportReport(out=str(target), files=tuple(written), cards=cards, media=media_count)
