"""The collection's shared state: database, library roots, settings, presets, days,
and building `CardView`s. The facade's feature mixins build on this."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session

from flashcards.collection.library import LIBRARY_DIR, LibraryRoot
from flashcards.collection.queue import DEFAULT_PRESET_ID, CardScope, DeckRef, Window
from flashcards.collection.settings import DayConfig, all_settings, set_setting, zone_from
from flashcards.collection.views import CardView, DeckPreset, SyncReport
from flashcards.core.days import day_end, day_number, day_start
from flashcards.core.errors import FlashcardsError
from flashcards.core.exam import DOMAIN_PREFIX
from flashcards.core.model import CardId, Flag
from flashcards.core.scheduling import Preset
from flashcards.storage import models as m
from flashcards.storage.convert import (
    card_of,
    memory_of,
    preset_columns,
    preset_of,
    to_epoch,
)
from flashcards.storage.engine import Database

if TYPE_CHECKING:
    from flashcards.collection.device_sync import DeviceSync

_CHUNK = 500
_DECK_REFS_SQL = (
    "SELECT id, key, name, domain, preset_id, sha1 FROM decks WHERE present = 1 ORDER BY key"
)

VIEW_SQL = (
    "SELECT c.id, c.note_id, c.kind, d.key, c.title, c.prompt, c.answer, n.line_start, "
    "n.line_end, n.section_path, c.cloze, c.choices, n.links, c.tags, d.name, d.title, "
    "c.domain, c.state, c.step, c.stability, c.difficulty, c.due, c.last_review, "
    "c.suspended, c.buried_until, c.flag, c.reps, c.lapses, c.present, d.preset_id "
    "FROM cards c JOIN notes n ON n.id = c.note_id JOIN decks d ON d.id = c.deck_id "
)


class UnknownCardError(FlashcardsError):
    """A card id that is not in the collection."""


class UnknownDeckError(FlashcardsError):
    """A deck name or path that matches no deck."""


def utc(now: datetime | None) -> datetime:
    """`now` as an aware UTC datetime (the clock when None)."""
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(UTC)


class CollectionBase:
    """State shared by every part of the facade."""

    devices: DeviceSync  # this device's log (device_sync.py; the facade makes it)

    def __init__(self, db: Database) -> None:
        self.db = db
        self.data_dir = db.data_dir
        self.library = self.data_dir / LIBRARY_DIR
        self._settings: dict[str, Any] = {}
        self._presets: dict[int, Preset] = {}
        self._generation = 0  # bumped by every change the queue cache must not survive
        self._last_window: tuple[DayConfig, datetime, Window] | None = None
        self._reload()

    # -- sessions and settings --------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with self.db.session() as session:
            yield session

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self.db.read() as session:
            yield session

    def _reload(self) -> None:
        if not self.db.readonly:
            with self._write() as s:
                if not s.execute(
                    select(m.Preset.id).where(m.Preset.id == DEFAULT_PRESET_ID)
                ).first():
                    s.execute(
                        insert(m.Preset).values(id=DEFAULT_PRESET_ID, **preset_columns(Preset()))
                    )
                if not all_settings(s).get("device_id"):
                    set_setting(s, "device_id", secrets.token_hex(6))
        with self._read() as s:
            self._settings = all_settings(s)
            self._day_config: DayConfig | None = None
            self._presets = {
                row.id: preset_of(
                    name=row.name,
                    desired_retention=row.desired_retention,
                    learning_steps=row.learning_steps,
                    relearning_steps=row.relearning_steps,
                    maximum_interval=row.maximum_interval,
                    enable_fuzzing=row.enable_fuzzing,
                    new_per_day=row.new_per_day,
                    reviews_per_day=row.reviews_per_day,
                    parameters=row.parameters,
                    new_gather=row.new_gather,
                    new_sort=row.new_sort,
                    leech_threshold=row.leech_threshold,
                    leech_action=row.leech_action,
                    load_balancing=row.load_balancing,
                    easy_days=row.easy_days,
                )
                for row in s.execute(select(m.Preset)).scalars()
            }
            self._presets.setdefault(DEFAULT_PRESET_ID, Preset())
        self._generation += 1

    def setting(self, key: str) -> Any:
        """A collection setting (see `settings.DEFAULTS` for the keys)."""
        return self._settings.get(key)

    def set_setting(self, key: str, value: Any) -> None:
        """Change a setting; `json`-serialisable values only. Those that travel between
        devices (device_travel.TRAVELS) go into this device's log too."""
        json.dumps(value)
        from flashcards.collection.device_travel import TRAVELS

        if key in TRAVELS:
            with self.devices.batch() as log, self._write() as s:
                set_setting(s, key, value)
                log.add(s, "setting", (), {"key": key, "v": value}, time_ms=log.order_ms)
        else:
            with self._write() as s:
                set_setting(s, key, value)
        self._settings[key] = value
        self._day_config = None
        self._generation += 1

    def sync(self, *, now: datetime | None = None, _on_file: Any = None) -> SyncReport:
        """Bring the index up to date with the deck files (the facade implements it)."""
        raise NotImplementedError

    # -- presets ----------------------------------------------------------------------

    def presets(self) -> dict[int, Preset]:
        """Every preset by id (1 is the default every deck starts with)."""
        return dict(self._presets)

    def save_preset(self, preset: Preset, *, preset_id: int | None = None) -> int:
        """Create (no id) or replace a preset; returns its id."""
        taken = {p.name.casefold() for i, p in self._presets.items() if i != preset_id}
        if preset.name.casefold() in taken:
            raise FlashcardsError(f"there is already a preset called {preset.name!r}")
        from flashcards.collection.device_travel import preset_data

        with self.devices.batch() as log, self._write() as s:
            if preset_id is None:
                new_id = s.execute(
                    insert(m.Preset).values(**preset_columns(preset)).returning(m.Preset.id)
                ).scalar_one()
                preset_id = int(new_id)
            else:
                s.execute(
                    update(m.Preset)
                    .where(m.Preset.id == preset_id)
                    .values(**preset_columns(preset))
                )
            data = preset_data(log.cursor(s), preset_id, preset)
            log.add(s, "preset", (), data, time_ms=log.order_ms)
        self._reload()
        return preset_id

    def set_deck_preset(self, deck: str, preset_id: int) -> None:
        """Use preset `preset_id` for a deck (or every deck of a folder)."""
        if preset_id not in self._presets:
            raise FlashcardsError(f"no preset with id {preset_id}")
        refs = self._select(deck)
        from flashcards.collection.device_travel import preset_uid

        with self.devices.batch() as log, self._write() as s:
            s.execute(
                update(m.Deck)
                .where(m.Deck.id.in_([r.id for r in refs]))
                .values(preset_id=preset_id)
            )
            uid = preset_uid(log.cursor(s), preset_id)
            for ref in refs:
                log.add(s, "deck-preset", (), {"deck": ref.key, "u": uid}, time_ms=log.order_ms)
        self._generation += 1

    def preset_for(self, deck: str) -> Preset:
        refs = self._select(deck)
        return self._presets.get(refs[0].preset_id) or self._presets[DEFAULT_PRESET_ID]

    def delete_preset(self, preset_id: int) -> None:
        """Delete a preset; the decks that used it go back to the default preset."""
        if preset_id == DEFAULT_PRESET_ID:
            raise FlashcardsError("the default preset cannot be deleted")
        if preset_id not in self._presets:
            raise FlashcardsError(f"no preset with id {preset_id}")
        from flashcards.collection.device_travel import preset_uid

        with self.devices.batch() as log, self._write() as s:
            s.execute(
                update(m.Deck)
                .where(m.Deck.preset_id == preset_id)
                .values(preset_id=DEFAULT_PRESET_ID)
            )
            s.execute(delete(m.Preset).where(m.Preset.id == preset_id))
            uid = preset_uid(log.cursor(s), preset_id)
            log.add(s, "preset-delete", (), {"u": uid}, time_ms=log.order_ms)
        self._reload()

    def deck_presets(self) -> list[DeckPreset]:
        """Every deck with the id of the preset it uses, by name."""
        refs = sorted(self._deck_refs(), key=lambda r: (r.name.casefold(), r.key))
        return [DeckPreset(key=r.key, name=r.name, preset_id=r.preset_id) for r in refs]

    # -- days ---------------------------------------------------------------------------

    def day_config(self) -> DayConfig:
        """The time zone and rollover hour study days follow (cached; settings reset it)."""
        if self._day_config is None:
            self._day_config = DayConfig(
                zone_from(self._settings.get("timezone")),
                int(self._settings.get("rollover_hour", 4)),
            )
        return self._day_config

    def today(self, now: datetime | None = None) -> int:
        """The study-day number of `now` (see core.days)."""
        cfg = self.day_config()
        return day_number(utc(now), cfg.tz, cfg.rollover_hour)

    def _window(self, now: datetime) -> Window:
        cfg = self.day_config()
        last = self._last_window
        if last is not None and last[0] is cfg and last[1] == now:
            return last[2]  # the review loop asks again and again for one moment
        window = self._make_window(now, cfg)
        self._last_window = (cfg, now, window)
        return window

    def _make_window(self, now: datetime, cfg: DayConfig) -> Window:
        today = day_number(now, cfg.tz, cfg.rollover_hour)
        start = day_start(today, cfg.tz, cfg.rollover_hour)
        end = day_end(today, cfg.tz, cfg.rollover_hour)
        return Window(
            today=today,
            start_ms=round(start.timestamp() * 1000),
            end_s=to_epoch(end),
            now_s=to_epoch(now),
        )

    # -- roots and decks ------------------------------------------------------------------

    def roots(self) -> list[LibraryRoot]:
        """The library and every external folder added to it."""
        with self._read() as s:
            rows = s.execute(
                select(m.Root.id, m.Root.path, m.Root.label, m.Root.external)
                .where(m.Root.enabled.is_(True))
                .order_by(m.Root.external, m.Root.id)
            ).all()
        return [LibraryRoot(r.id, Path(r.path), r.label, bool(r.external)) for r in rows]

    def _deck_refs(self, session: Session | None = None) -> list[DeckRef]:
        """Every present deck, by key. Read on the DBAPI connection (every queue build
        reads every deck); it is the session's own, so `session`'s transaction sees them."""
        del session  # the one pooled connection either way
        with self.db.raw_read() as cur:
            rows = cur.execute(_DECK_REFS_SQL).fetchall()
        return [DeckRef(*r) for r in rows]

    def _select(
        self, deck: str | None, session: Session | None = None, *, subdecks: bool = False
    ) -> list[DeckRef]:
        """The decks `deck` names (queue.select_decks); `subdecks`: a deck with its
        sub-decks, as an export takes it. An exam domain: the decks holding its cards
        (`_selection` says which of them)."""
        return self._selection(deck, session, subdecks=subdecks)[0]

    def _selection(
        self,
        deck: str | None,
        session: Session | None = None,
        *,
        subdecks: bool = False,
        now: datetime | None = None,
    ) -> tuple[list[DeckRef], CardScope | None]:
        """The decks `deck` names and, for an exam domain that takes only part of a deck,
        which cards (collection/domain_scope.py; `now` for its query)."""
        from flashcards.collection.queue import select_decks

        refs = self._deck_refs(session)
        got = None
        if deck and deck.startswith(DOMAIN_PREFIX):
            from flashcards.collection.domain_scope import domain_selection

            got = domain_selection(self, deck[len(DOMAIN_PREFIX) :], refs, now=now)
        if got is not None:  # an exam's domain, even one with no cards yet
            return got
        chosen = select_decks(refs, deck, subdecks=subdecks)
        if deck and not chosen:
            raise UnknownDeckError(f"no deck or folder called {deck!r}")
        return chosen, None

    def deck_path(self, key: str) -> Path:
        """The absolute path of the deck file with library key `key`."""
        with self._read() as s:
            row = s.execute(
                select(m.Root.path, m.Deck.rel)
                .join(m.Root, m.Root.id == m.Deck.root_id)
                .where(m.Deck.key == key)
            ).first()
        if row is None:
            raise UnknownDeckError(f"no deck file {key!r}")
        return Path(str(row.path)) / str(row.rel)

    # -- card views -----------------------------------------------------------------------

    def _views(self, session: Session, ids: Sequence[str], *, today: int) -> list[CardView]:
        """CardViews for `ids`, in the order given (unknown ids are skipped); `today` is
        the study day against which `buried` is judged."""
        found: dict[str, CardView] = {}
        day = today
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            marks = ",".join(f":i{k}" for k in range(len(chunk)))
            params = {f"i{k}": v for k, v in enumerate(chunk)}
            for row in session.execute(text(VIEW_SQL + f"WHERE c.id IN ({marks})"), params):
                found[row[0]] = self._view_of(row, day)
        return [found[i] for i in ids if i in found]

    def _view_of(self, r: Any, today: int) -> CardView:
        card = card_of(
            id=r[0],
            note_id=r[1],
            kind=r[2],
            file=r[3],
            title=r[4],
            prompt=r[5],
            answer=r[6],
            line_start=r[7],
            line_end=r[8],
            section_path=r[9],
            cloze=r[10],
            choices=r[11],
            links=r[12],
            tags=r[13],
        )
        return CardView(
            card=card,
            deck=r[14],
            deck_title=r[15],
            domain=r[16],
            memory=memory_of(r[17], r[18], r[19], r[20], r[21], r[22]),
            suspended=bool(r[23]),
            buried=r[24] >= today,
            flag=Flag(r[25]),
            reps=r[26],
            lapses=r[27],
            present=bool(r[28]),
            preset=self._presets.get(r[29]) or self._presets[DEFAULT_PRESET_ID],
        )

    def card(self, card_id: CardId | str, *, now: datetime | None = None) -> CardView:
        """A card with its deck, domain, memory state and flags (buried as of `now`)."""
        with self._read() as s:
            views = self._views(s, [str(card_id)], today=self.today(now))
        if not views:
            raise UnknownCardError(f"no card with id {card_id!r}")
        return views[0]

    def cards(self, ids: Sequence[CardId | str], *, now: datetime | None = None) -> list[CardView]:
        """Views of many cards at once, in the order given (unknown ids skipped)."""
        with self._read() as s:
            return self._views(s, [str(i) for i in ids], today=self.today(now))


def ensure_library_root(session: Session, library: Path) -> None:
    """Record the library folder as root 1 (label "")."""
    path = str(library.resolve())
    row = session.execute(select(m.Root.id, m.Root.path).where(m.Root.label == "")).first()
    if row is None:
        session.execute(insert(m.Root).values(path=path, label="", external=False))
    elif row.path != path:
        # The data folder was moved: the library moved with it.
        session.execute(update(m.Root).where(m.Root.id == row.id).values(path=path))


def library_exists(library: Path) -> bool:
    return library.is_dir() and os.access(library, os.W_OK)
