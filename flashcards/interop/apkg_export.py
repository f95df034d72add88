"""Writing an .apkg that current Anki imports: legacy schema 11 `collection.anki21`
with a JSON media map (the layout every Anki since 2.1 reads).

Notes keep their Anki guid when they came from Anki (else one derived from our id), so
export -> Anki -> re-export updates notes instead of duplicating them. Scheduling is
carried as Anki fields (type/queue/due/ivl) plus the FSRS memory in the card's data.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import re
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

from flashcards.core.card_templates import referenced
from flashcards.core.errors import InteropError
from flashcards.core.model import CardId, CardState, NoteId, ReviewKind
from flashcards.core.notetypes import NoteType
from flashcards.interop import apkg_schema as schema
from flashcards.interop.bundle import (
    ExportReport,
    Progress,
    Skipped,
    fingerprint,
    report_progress,
)
from flashcards.interop.export_notes import (
    NOTETYPE_FIELDS,
    ExportCard,
    ExportData,
    ExportNote,
    anki_fields,
    anki_ord,
    guid_for,
    rewrite_images,
    stable_int,
    template_html,
)
from flashcards.interop.history import datetime_to_ms
from flashcards.interop.html_md import safe_name

_TAGS_HTML = re.compile(r"<[^>]+>")
DAY = 86400


def _sort_field(value: str) -> str:
    return html_lib.unescape(_TAGS_HTML.sub(" ", value)).strip()


def _checksum(sort_field: str) -> int:
    return int(hashlib.sha1(sort_field.encode("utf-8")).hexdigest()[:8], 16)


class _Media:
    """Media referenced by exported notes, flattened to unique names."""

    def __init__(self, root: Path | None) -> None:
        self.root = root.resolve() if root is not None else None
        self.files: dict[str, Path] = {}  # name in the package -> file
        self._by_file: dict[Path, str] = {}

    def resolver(self, item: ExportNote) -> Callable[[str], str | None]:
        base = item.media_dir
        if base is None and self.root is not None:
            base = self.root / PurePosixPath(item.note.file).parent
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
    media: _Media
    fingerprints: dict[NoteId, str]


def _schedule(item: ExportCard, *, crt: int, position: int) -> tuple[int, int, int, int, int, str]:
    """(type, queue, due, ivl, left, data) for an Anki card."""
    memory = item.memory
    if memory is None or memory.state is CardState.NEW or memory.due is None:
        return 0, 0, position, 0, 0, "{}"
    data: dict[str, float] = {}
    if memory.stability is not None and memory.difficulty is not None:
        data = {"s": round(memory.stability, 4), "d": round(memory.difficulty, 4)}
    if memory.last_review is not None:
        data["lrt"] = int(memory.last_review.timestamp())
    ivl = 0
    if memory.last_review is not None:
        ivl = max(1, round((memory.due - memory.last_review) / timedelta(days=1)))
    if memory.state is CardState.REVIEW:
        due_day = int((memory.due.timestamp() - crt) // DAY)
        return 2, 2, due_day, ivl, 0, json.dumps(data)
    kind = 1 if memory.state is CardState.LEARNING else 3
    return kind, 1, int(memory.due.timestamp()), ivl if kind == 3 else 0, 1, json.dumps(data)


def write_apkg(
    data: ExportData, out: Path, *, now: datetime, progress: Progress | None = None
) -> ExportReport:
    """Write `data` as an .apkg at `out` (atomically: a temp file renamed at the end)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now_s = int(now.timestamp())
    crt = int(datetime(now.year, now.month, now.day, tzinfo=UTC).timestamp()) - 365 * DAY
    tmp_db = out.with_name(out.name + ".db.tmp")
    tmp_zip = out.with_name(out.name + ".tmp")
    skipped: list[Skipped] = []
    try:
        tmp_db.unlink(missing_ok=True)
        db = sqlite3.connect(tmp_db)
        try:
            filled = _fill(db, data, crt=crt, now_s=now_s, skipped=skipped, progress=progress)
            db.commit()
        finally:
            db.close()
        media = filled.media
        report_progress(progress, 1, 1, "packing")
        with zipfile.ZipFile(tmp_zip, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.write(tmp_db, "collection.anki21")
            names = list(media.files)
            z.writestr(
                "media", json.dumps({str(i): n for i, n in enumerate(names)}, ensure_ascii=False)
            )
            for i, name in enumerate(names):
                z.write(media.files[name], str(i))
        tmp_zip.replace(out)
    except OSError as exc:
        raise InteropError(str(out), f"cannot write the package ({exc})") from exc
    finally:
        tmp_db.unlink(missing_ok=True)
        tmp_zip.unlink(missing_ok=True)
    return ExportReport(
        path=out,
        notes=filled.notes,
        cards=filled.cards,
        reviews=filled.reviews,
        media=len(filled.media.files),
        skipped=tuple(skipped),
        fingerprints=filled.fingerprints,
    )


def _fill(
    db: sqlite3.Connection,
    data: ExportData,
    *,
    crt: int,
    now_s: int,
    skipped: list[Skipped],
    progress: Progress | None,
) -> _Filled:
    db.executescript(schema.SCHEMA)
    models = {
        name: schema.notetype(stable_int("notetype:" + name), name, now=now_s)
        for name in NOTETYPE_FIELDS
    }
    decks: dict[str, dict[str, object]] = {"1": schema.deck(1, "Default", now=0)}
    deck_ids: dict[str, int] = {}

    def deck_id(name: str) -> int:
        if name not in deck_ids:
            parts = name.split("::")
            for i in range(1, len(parts)):
                deck_id("::".join(parts[:i]))
            did = stable_int("deck:" + name.casefold())
            deck_ids[name] = did
            decks[str(did)] = schema.deck(did, name, now=now_s)
        return deck_ids[name]

    media = _Media(data.root)
    prints: dict[NoteId, str] = {}
    card_rows: dict[CardId, int] = {}
    used_ids: set[int] = set()
    note_rows = []
    cards_out = []
    total = len(data.notes)
    for index, item in enumerate(data.notes):
        if index % 500 == 0:
            report_progress(progress, index, total, "writing notes")
        note = item.note
        if note.id is None:
            skipped.append(Skipped(f"{note.file}:{note.line_start}", "note has no id yet"))
            continue
        if note.notetype is not None and item.notetype is not None:
            mid = _declared_model(models, item.notetype, now_s)
            name, fields = anki_fields(note, notetype=item.notetype)
        else:
            name, fields = anki_fields(note)
            mid = models[name]["id"]
        resolve = media.resolver(item)
        fields = [rewrite_images(f, resolve) for f in fields]
        prints[note.id] = fingerprint(fields)
        nid = _unique(stable_int("note:" + note.id), used_ids)
        sfld = _sort_field(fields[0])
        tags = " ".join(note.tags)
        note_rows.append(
            (
                nid,
                guid_for(item),
                mid,
                now_s,
                -1,
                f" {tags} " if tags else "",
                "\x1f".join(fields),
                sfld,
                _checksum(sfld),
                0,
                "",
            )
        )
        did = deck_id(item.deck or "Default")
        states = {c.card.id: c for c in item.cards}
        for card in note.cards:
            export = states.get(card.id, ExportCard(card))
            cid = _unique(stable_int("card:" + card.id), used_ids)
            card_rows[card.id] = cid
            type_, queue, due, ivl, left, cdata = _schedule(export, crt=crt, position=index + 1)
            if export.suspended:
                queue = -1
            elif export.buried:
                queue = -3
            cards_out.append(
                (
                    cid,
                    nid,
                    did,
                    anki_ord(card),
                    now_s,
                    -1,
                    type_,
                    queue,
                    due,
                    ivl,
                    2500 if type_ else 0,
                    0,
                    0,
                    left,
                    0,
                    0,
                    int(export.flag),
                    cdata,
                )
            )
    db.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", note_rows)
    db.executemany("INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cards_out)
    reviews = _revlog(db, data, card_rows, skipped)
    conf = dict(schema.CONF, curModel=models["Basic"]["id"])
    row = schema.col_row(
        crt=crt, now_ms=now_s * 1000, models={str(m["id"]): m for m in models.values()}, decks=decks
    )
    db.execute(
        "INSERT INTO col VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", (*row[:8], json.dumps(conf), *row[9:])
    )
    return _Filled(len(note_rows), len(cards_out), reviews, media, prints)


def _declared_model(models: dict[str, dict[str, Any]], notetype: NoteType, now_s: int) -> int:
    """The Anki note type of a declared one (made on first use): its templates in HTML.

    Its id comes from its definition, so the same definition in several decks is one
    Anki note type, and an edited one a new note type rather than a clash."""
    key = f"declared:{notetype.name}:{notetype.digest}"
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
                (t.name, template_html(t.front), template_html(t.back)) for t in notetype.templates
            ],
            requires=requires,
            now=now_s,
        )
    return int(models[key]["id"])


def _unique(value: int, used: set[int]) -> int:
    while value in used:
        value += 1
    used.add(value)
    return value


def _revlog(
    db: sqlite3.Connection, data: ExportData, card_rows: dict[CardId, int], skipped: list[Skipped]
) -> int:
    rows = []
    used: set[int] = set()
    seen: set[CardId] = set()
    left_out = 0
    for entry in sorted(data.reviews, key=lambda e: e.time):
        cid = card_rows.get(entry.card_id)
        if cid is None or entry.kind is not ReviewKind.REVIEW:
            left_out += 1
            continue
        first = entry.card_id not in seen
        seen.add(entry.card_id)
        rid = _unique(datetime_to_ms(entry.time), used)
        rows.append(
            (
                rid,
                cid,
                -1,
                int(entry.rating),
                0,
                0,
                0 if first else 2500,
                min(entry.duration_ms, 60_000),
                0 if first else 1,
            )
        )
    db.executemany("INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)", rows)
    if left_out:
        skipped.append(
            Skipped(f"{left_out} review entries", "practice/manual entries or cards not exported")
        )
    return len(rows)
