"""`Collection`: the facade the CLI, the GUI and scripts use.

    from flashcards import Collection, Rating
    with Collection.open(data_dir) as col:
        card = col.next_card(now=t)
        col.answer(card.id, Rating.GOOD, now=t, duration_ms=4200)

One object per open collection; it may be used from one thread at a time (the GUI's
worker thread). Every call opens and closes its own database session.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from types import TracebackType

from sqlalchemy import insert, select, text, update

from flashcards.collection.backup import Backups
from flashcards.collection.base import ensure_library_root, utc
from flashcards.collection.card_actions import CardActionsMixin
from flashcards.collection.content import ContentMixin
from flashcards.collection.device_sync import DeviceSync, merged_into
from flashcards.collection.export import ExportMixin
from flashcards.collection.import_journal import remove_temp_files, tidy_on_open
from flashcards.collection.library import bundled_decks_dir, holds_decks, seed_library
from flashcards.collection.queue import done_today, limits
from flashcards.collection.stats import StatsMixin
from flashcards.collection.sync import sync_into
from flashcards.collection.sync_presets import log_carried
from flashcards.collection.transfer import TransferMixin
from flashcards.collection.views import DeckInfo, SyncReport
from flashcards.core.errors import FlashcardsError, StorageError
from flashcards.core.parser import ParseResult
from flashcards.storage import models as m
from flashcards.storage.convert import to_epoch
from flashcards.storage.data_dir import resolve_data_dir
from flashcards.storage.engine import Database
from flashcards.storage.event_log import devices_dir
from flashcards.storage.failures import os_failure


def _tidy(db: Database, library: Path) -> None:
    """What a crash left: an import to finish or drop, staging folders (import_journal)."""
    try:
        tidy_on_open(db, db.data_dir, library)
    except OSError as exc:
        raise os_failure(exc, "cannot finish an import a crash interrupted") from exc


class Collection(CardActionsMixin, ContentMixin, TransferMixin, ExportMixin, StatsMixin):
    """A library of Markdown decks plus the database of their scheduling and history."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self._init_review()
        self.last_sync: SyncReport | None = None
        self.backups = Backups(self)  # backup.py: periodic, on close, by hand; restore
        db.on_lost = self.backups.rescue  # the file vanished under us: keep what we hold
        self.devices = DeviceSync(self)  # device_sync.py: this device's log, merging others'

    @classmethod
    def open(
        cls,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        sync: bool = True,
        seed: bool = True,
        readonly: bool = False,
        now: datetime | None = None,
        rebuild: bool = False,
    ) -> Collection:
        """Open (creating if needed) the collection in `data_dir`.

        The default folder is `$FLASHCARDS_DATA_DIR` or the platform's user data folder.
        On first open the library is seeded with the bundled decks (once: deleting them
        later does not bring them back). Raises StorageError for an unusable folder,
        CollectionLockedError when another process has it open, SchemaTooNewError for a
        database from a newer version.

        `readonly=True` opens an existing collection without the lock (it may be open in
        the app), syncs nothing and refuses every change with `ReadOnlyError`. `now` is
        the time of the opening sync (cards it adds count as added then).

        A folder whose database existed and has gone missing raises
        `DatabaseMissingError` (restore a backup, or `rebuild=True`: a new database
        from the deck files, their review history lost).
        """
        folder = resolve_data_dir(data_dir)
        if readonly:
            db = Database(folder, readonly=True)
            try:
                return cls(db)
            except BaseException:
                db.close()
                raise
        db = Database(folder, rebuild=rebuild)
        try:
            library = db.data_dir / "decks"
            try:
                library.mkdir(exist_ok=True)
            except OSError as exc:
                raise StorageError(
                    f"cannot create library folder {library}: {exc.strerror}"
                ) from exc
            with db.session() as s:
                ensure_library_root(s, library)
            _tidy(db, library)
            col = cls(db)
            remove_temp_files(r.path for r in col.roots())
            if seed and not col.setting("seeded"):
                source = bundled_decks_dir()
                # A library other devices share (docs/sync.md), or one that holds deck
                # files already (the user's own), is the user's as it is: decks deleted
                # elsewhere must not come back, nor the bundled ones mix with theirs.
                if (
                    source is not None
                    and not devices_dir(library).is_dir()
                    and not holds_decks(library)
                ):
                    seed_library(library, source)
                col.set_setting("seeded", True)
            if sync:
                col.sync(now=now)
            return col
        except BaseException:
            db.close()
            raise

    def close(self) -> None:
        """Release the database and the lock (safe to call twice)."""
        self.backups.wait()  # a backup still being written in its thread
        try:
            self.devices.close()  # fsync this device's log
        finally:
            self.db.close()

    def __enter__(self) -> Collection:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- library ------------------------------------------------------------------------

    def sync(
        self,
        *,
        now: datetime | None = None,
        checked: Mapping[str, tuple[bytes, ParseResult]] | None = None,
        _on_file: Callable[[str], None] | None = None,
    ) -> SyncReport:
        """Bring the index up to date with the deck files (cheap when nothing changed),
        then merge other devices' logs (docs/sync.md).

        All card changes land in one transaction: an error part-way leaves the previous
        state. Files that cannot be parsed are reported in `errors` and left alone.
        `checked` maps deck keys to bytes just parsed (and their parse): a file whose
        bytes on disk are exactly those is not parsed again.
        """
        now_s = to_epoch(utc(now))
        roots = self.roots()
        with self._write() as s:
            plan = sync_into(s, roots, now_s=now_s, on_file=_on_file, checked=checked)
        report = plan.report
        if plan.carried_presets and not self.db.readonly:
            log_carried(self, plan.carried_presets)  # a renamed deck file kept its preset
        if not self.db.readonly:
            report = merged_into(report, self.devices.merge(now=now))  # other devices'
        if report.changed:
            self._generation += 1
        self.last_sync = report
        return report

    def add_folder(self, path: str | os.PathLike[str], *, label: str | None = None) -> SyncReport:
        """Add an external folder of decks, kept where it is (edits write back there)."""
        folder = Path(path).expanduser().resolve()
        if not folder.is_dir():
            raise FlashcardsError(f"{folder} is not a folder")
        library = self.library.resolve()
        if folder == library or library in folder.parents or folder in library.parents:
            raise FlashcardsError(f"{folder} overlaps the library folder {library}")
        name = label or folder.name
        with self._write() as s:
            taken = {r[0] for r in s.execute(select(m.Root.label))}
            known = s.execute(
                select(m.Root.id, m.Root.enabled).where(m.Root.path == str(folder))
            ).first()
            if known is not None and known.enabled:
                raise FlashcardsError(f"{folder} is already in the library")
            if known is not None:  # added back: its old decks and history return
                s.execute(update(m.Root).where(m.Root.id == known.id).values(enabled=True))
            else:
                top = {p.name for p in self.library.iterdir()} if self.library.is_dir() else set()
                base, n = name, 2
                while name in taken or name in top:
                    name, n = f"{base}-{n}", n + 1
                s.execute(insert(m.Root).values(path=str(folder), label=name, external=True))
        return self.sync()

    def remove_folder(self, path: str | os.PathLike[str]) -> SyncReport:
        """Stop using an external folder: its cards are hidden (history kept)."""
        folder = str(Path(path).expanduser().resolve())
        with self._write() as s:
            row = s.execute(
                select(m.Root.id).where(
                    m.Root.path == folder, m.Root.external.is_(True), m.Root.enabled.is_(True)
                )
            ).first()
            if row is None:
                raise FlashcardsError(f"{folder} is not an external folder of this library")
            # Keep the root row: its decks' rows (and their cards' history) point to it.
            s.execute(update(m.Root).where(m.Root.id == row.id).values(enabled=False))
        return self.sync()

    def decks(self, *, now: datetime | None = None) -> list[DeckInfo]:
        """Every deck with today's new / learning / due counts and its total."""
        now = utc(now)
        window = self._window(now)
        plan = self._deadline.plan(self, window)  # an exam's new-card pace (deadline.py)
        pace = None if plan is None else plan.deck_pace
        with self._read() as s:
            refs = self._deck_refs(s)
            lim = limits(refs, self._presets, done_today(s, window), pace=pace) if refs else None
            counts = {
                int(r[0]): r[1:]
                for r in s.execute(
                    text(
                        # One new and one review card per note, as the day's queue
                        # takes them (siblings wait): the counts a session shows.
                        "SELECT deck_id, "
                        "COUNT(DISTINCT CASE WHEN state = 0 AND active THEN note_id END), "
                        "SUM(state IN (1, 3) AND active AND due < :end), "
                        "COUNT(DISTINCT CASE WHEN state = 2 AND active AND due < :end "
                        "THEN note_id END), COUNT(*) "
                        "FROM (SELECT deck_id, note_id, state, due, "
                        "suspended = 0 AND buried_until < :today AS active "
                        "FROM cards INDEXED BY ix_cards_deck_new WHERE present = 1) "
                        "GROUP BY deck_id"
                    ),
                    {"today": window.today, "end": window.end_s},
                )
            }
            rows = {
                r.id: r
                for r in s.execute(
                    select(
                        m.Deck.id,
                        m.Deck.key,
                        m.Deck.name,
                        m.Deck.title,
                        m.Deck.domain,
                        m.Deck.folders,
                        m.Deck.rel,
                        m.Root.path,
                    )
                    .join(m.Root, m.Root.id == m.Deck.root_id)
                    .where(m.Deck.present.is_(True))
                )
            }
        import json

        infos = []
        for ref in refs:
            row = rows[ref.id]
            new, learning, due, total = (int(x or 0) for x in counts.get(ref.id, (0, 0, 0, 0)))
            assert lim is not None
            infos.append(
                DeckInfo(
                    name=row.name,
                    file=row.key,
                    title=row.title,
                    domain=row.domain,
                    folders=tuple(json.loads(row.folders)),
                    new=min(new, lim.new[ref.id]),
                    learning=learning,
                    due=min(due, lim.reviews[ref.id]),
                    total=total,
                    path=str(Path(row.path) / row.rel),
                )
            )
        return infos
