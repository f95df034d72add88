"""Writing an .apkg that current Anki imports: legacy schema 11 `collection.anki21`
with a JSON media map (the layout every Anki since 2.1 reads).

Notes keep their Anki guid when they came from Anki (else one derived from our id), so
export -> Anki -> re-export updates notes instead of duplicating them. Scheduling is
carried as Anki fields (type/queue/due/ivl) plus the FSRS memory in the card's data.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

from flashcards.core.card_templates import referenced
from flashcards.core.model import NoteId
from flashcards.core.notetypes import NoteType
from flashcards.interop import anki_origin, package_notes
from flashcards.interop import apkg_schema as schema
from flashcards.interop.apkg_file import create_tables, pack
from flashcards.interop.apkg_rows import (
    CHUNK,
    DAY,
    NOTES_SQL,
    RowInserts,
    anki_ids,
    fill_anki_history,
    insert_cards,
    insert_revlog,
)
from flashcards.interop.bundle import (
    ExportReport,
    Progress,
    Skipped,
    report_progress,
)
from flashcards.interop.export_notes import (
    NOTETYPE_FIELDS,
    ExportData,
    rewrite_images,
    stable_int,
    template_html,
)
from flashcards.interop.html_md import safe_name
from flashcards.interop.package_notes import (
    PackageData,
    export_mod,
    package_data,
)

# What `rewrite_images` can change; a field without it is kept as it is.
_MEDIA_HINT = re.compile(r"<img\b|🔊", re.I)


class Media:
    """Media referenced by exported notes, flattened to unique names."""

    def __init__(self, root: Path | None) -> None:
        self.root = root.resolve() if root is not None else None
        self.files: dict[str, Path] = {}  # name in the package -> file
        self._by_file: dict[Path, str] = {}

    def resolver(self, media_dir: Path | None, file: str) -> Callable[[str], str | None]:
        """Media names in the package of the paths a note in deck file `file` (library
        path) refers to; relative paths resolve against `media_dir` (None: the file's
        folder in the library)."""
        base = media_dir
        if base is None and self.root is not None:
            base = self.root / PurePosixPath(file).parent
        limit = self.root or (base.resolve() if base is not None else None)

        def resolve(src: str) -> str | None:
            if base is None or limit is None or "://" in src or src.startswith(("data:", "/")):
                return None
            candidate = (base / unquote(src)).resolve()
            # Media outside the library (or the deck's folder) are never packed.
            if not candidate.is_relative_to(limit) or not candidate.is_file():
                return None
            if candidate not in self._by_file:
                flat = safe_name(candidate.name)
                name, n = flat, 2
                while name in self.files:
                    stem, dot, ext = flat.rpartition(".")
                    name = f"{stem}-{n}.{ext}" if dot else f"{flat}-{n}"
                    n += 1
                self.files[name] = candidate
                self._by_file[candidate] = name
            return self._by_file[candidate]

        return resolve


@dataclass(frozen=True)
class _Filled:
    notes: int
    cards: int
    reviews: int
    media: Media
    fingerprints: dict[NoteId, str]


def write_apkg(
    data: ExportData, out: Path, *, now: datetime, progress: Progress | None = None
) -> ExportReport:
    """Write `data` as an .apkg at `out` (atomically: a temp file renamed at the end)."""
    return write_package(package_data(data), out, now=now, progress=progress)


def package_times(now: datetime) -> tuple[int, int]:
    """(the export's time, Anki's collection creation time) in epoch seconds: Anki's day
    numbers count from the latter, a year before the export's day."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now_s = int(now.timestamp())
    crt = int(datetime(now.year, now.month, now.day, tzinfo=UTC).timestamp()) - 365 * DAY
    return now_s, crt


def write_package(
    data: PackageData,
    out: Path,
    *,
    now: datetime,
    progress: Progress | None = None,
    colpkg: bool = False,
) -> ExportReport:
    """Write notes already rendered as an .apkg at `out` (atomically); `colpkg`: as a
    whole collection (every index of Anki's schema)."""
    now_s, crt = package_times(now)
    skipped: list[Skipped] = list(data.skipped)
    # Built in memory and written once: the file on disk is only the zip.
    db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    try:
        db.execute("BEGIN")
        filled = _fill(
            db, data, crt=crt, now_s=now_s, skipped=skipped, progress=progress, colpkg=colpkg
        )
        db.execute("COMMIT")
        image = db.serialize()
    finally:
        db.close()
    report_progress(progress, 1, 1, "packing")
    pack(image, filled.media.files, out)
    return ExportReport(
        path=out,
        notes=filled.notes,
        cards=filled.cards,
        reviews=filled.reviews,
        media=len(filled.media.files),
        skipped=tuple(skipped),
        fingerprints=filled.fingerprints,
    )


class Frame:
    """The package's note types and decks (made as notes use them) and its `col` row."""

    def __init__(self, *, crt: int, now_s: int) -> None:
        self.crt, self.now_s = crt, now_s
        self.models = {
            name: schema.notetype(stable_int("notetype:" + name), name, now=now_s)
            for name in NOTETYPE_FIELDS
        }
        self.decks: dict[str, dict[str, object]] = {"1": schema.deck(1, "Default", now=0)}
        self._deck_ids: dict[str, int] = {}
        # The Anki note types notes came from, by id, made as notes use them, and what
        # each (note type here, Anki id) pair gave (None: shapes differ, ours is used).
        self.origins: dict[int, dict[str, Any]] = {}
        self._origin_of: dict[tuple[str, int], int | None] = {}

    def origin_model(self, key: str, mid: int, origin: Mapping[str, object] | None) -> int | None:
        """The Anki id for a note of the package's note type `key` (made already) that
        came from Anki note type `mid` (`origin`: what the import kept of it): `mid`,
        the note type written as that one (`anki_origin.origin_model`; the first note
        to use it makes it), or None where it no longer fits (the note keeps ours)."""
        pair = (key, mid)
        if pair not in self._origin_of:
            made = None
            model = None
            if origin is not None and not any(m["id"] == mid for m in self.models.values()):
                model = anki_origin.origin_model(
                    self.models[key], mid, origin, declared=key.startswith(package_notes.DECLARED)
                )
            if model is not None:
                self.origins.setdefault(mid, model)
                made = mid
            self._origin_of[pair] = made
        return self._origin_of[pair]

    def deck_id(self, name: str) -> int:
        """The Anki id of deck `name` ("Parent::Child"), its parents made first."""
        if name not in self._deck_ids:
            parts = name.split("::")
            for i in range(1, len(parts)):
                self.deck_id("::".join(parts[:i]))
            did = stable_int("deck:" + name.casefold())
            self._deck_ids[name] = did
            self.decks[str(did)] = schema.deck(did, name, now=self.now_s)
        return self._deck_ids[name]

    def declared_model(self, notetype: NoteType) -> int:
        """The Anki id of a declared note type (made on first use): its templates in HTML.

        Its id comes from its definition (`package_notes.declared_key`), so the same
        definition in several decks is one Anki note type, and an edited one a new note
        type rather than a clash."""
        key = package_notes.declared_key(notetype)
        models = self.models
        if key not in models:
            requires = [
                [i for i, f in enumerate(notetype.fields) if f in referenced(t.front_nodes)]
                for t in notetype.templates
            ]
            models[key] = schema.custom_notetype(
                stable_int("notetype:" + key),
                notetype.name,
                fields=list(notetype.fields),
                templates=[
                    (t.name, template_html(t.front), template_html(t.back, answer=True))
                    for t in notetype.templates
                ],
                requires=requires,
                now=self.now_s,
            )
        return int(models[key]["id"])

    def insert_col(self, db: sqlite3.Connection) -> None:
        """The `col` row: configuration, note types and decks as JSON."""
        models = self.models
        conf = dict(schema.CONF, curModel=models["Basic"]["id"])
        row = schema.col_row(
            crt=self.crt,
            now_ms=self.now_s * 1000,
            # The Anki note types notes came from last: they keep their names, should
            # one of ours share one (`schema.distinct_names`).
            models={str(m["id"]): m for m in (*models.values(), *self.origins.values())},
            decks=self.decks,
        )
        db.execute(
            "INSERT INTO col VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (*row[:8], json.dumps(conf), *row[9:]),
        )


def _fill(
    db: sqlite3.Connection,
    data: PackageData,
    *,
    crt: int,
    now_s: int,
    skipped: list[Skipped],
    progress: Progress | None,
    colpkg: bool,
) -> _Filled:
    indexes = create_tables(db, colpkg=colpkg)
    frame = Frame(crt=crt, now_s=now_s)
    models = frame.models
    notes = data.notes
    nids, cids = anki_ids(notes, data.ids)
    inserts = RowInserts(db)
    try:
        media = Media(data.root)
        prints: dict[NoteId, str] = {}
        rows: list[tuple[Any, ...]] = []
        total = len(notes)
        for index, item in enumerate(notes):
            if index % 500 == 0:
                report_progress(progress, index, total, "writing notes")
            rendered = item.rendered
            if item.declared is not None:
                mid = frame.declared_model(item.declared)
            else:
                mid = models[rendered.notetype]["id"]
            flds, sfld, csum, print_ = rendered[1], rendered[3], rendered[4], rendered[5]
            came = data.origins.notes.get(item.id)
            if came is not None and came.isdigit():
                origin = data.origins.types.get(came)
                # A cloze type with fields of its own: only where the note's were kept.
                wide = anki_origin.wide_cloze(origin)
                kept = data.origins.cloze.get(item.id) if wide else None
                if not wide or (kept is not None and len(kept) == wide):
                    made = frame.origin_model(rendered.notetype, int(came), origin)
                    if made is not None:
                        mid = made
                        if kept is not None:
                            fields = anki_origin.cloze_fields(flds, kept)
                            _, flds, _, sfld, csum, print_ = package_notes.rendered("", fields, ())
            if _MEDIA_HINT.search(flds):
                refitted = refit_media(flds, media.resolver(item.media_dir, item.file))
                if refitted is not None:
                    flds, sfld, csum, print_ = refitted
            prints[item.id] = print_
            tags = rendered.tags
            mod = export_mod(data.versions.get(item.id), now_s)
            rows.append(
                (nids[index], item.guid, mid, mod, f" {tags} " if tags else "", flds, sfld, csum)
            )
            if len(rows) == CHUNK:
                inserts.put(NOTES_SQL, rows)
                rows = []
        inserts.put(NOTES_SQL, rows)
        for ddl in indexes:  # made while the cards' rows are built
            if " ON notes " in ddl:
                inserts.put(ddl)
        card_rows = insert_cards(inserts, notes, nids, cids, frame.deck_id, crt=crt, now_s=now_s)
        cards = len(cids)
        for ddl in indexes:
            if " ON cards " in ddl:
                inserts.put(ddl)
        reviews = insert_revlog(inserts, data, card_rows, skipped)
        for ddl in indexes:
            if " ON revlog " in ddl:
                inserts.put(ddl)
    finally:
        inserts.close()
    fill_anki_history(db)
    frame.insert_col(db)
    return _Filled(len(notes), cards, reviews, media, prints)


def refit_media(
    flds: str, resolve: Callable[[str], str | None]
) -> tuple[str, str, int, str] | None:
    """A note's `flds` with its media named as in the package, and the `sfld`, `csum`
    and fingerprint that follow (None: no name changed)."""
    fields = flds.split("\x1f")
    refitted = [rewrite_images(f, resolve) for f in fields]
    if refitted == fields:
        return None
    _, flds, _, sfld, csum, print_ = package_notes.rendered("", refitted, ())
    return flds, sfld, csum, print_
