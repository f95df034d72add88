"""The glue between the Collection and interop: Anki packages, Anki text files and
Obsidian vaults in (.apkg and CSV out: export_ops).

Interop turns a file into an `ImportBundle` (pure values, media staged in a temp folder
under the data folder); here the bundle is fitted to the library as it is — notes that
already exist are updated where they live, new ones added, history deduplicated, local
progress newer than the import kept — and handed to `apply_import`, which does the one
transaction and the staged file moves.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flashcards.collection.export_origins import (
    CLOZE_FIELDS_SETTING,
    NOTE_TYPE_SETTING,
    NOTETYPE_SETTING,
)
from flashcards.collection.export_origins import GUID_SETTING as GUID_SETTING
from flashcards.collection.export_versions import VERSION_SETTING as VERSION_SETTING
from flashcards.collection.import_files import FilePlan, _owners, read_entry, version_entry
from flashcards.collection.import_files import plan_files as plan_files
from flashcards.collection.markdown_source import outside_links_skipped
from flashcards.collection.views import ImportReport
from flashcards.core.errors import InteropError, NoCardsError
from flashcards.core.gc_pause import gc_paused
from flashcards.core.media_files import inside
from flashcards.core.media_refs import drop_outside_media_in_files, dropped_note
from flashcards.core.model import (
    CardId,
    Flag,
    MemoryState,
    NoteId,
    ReviewKind,
)
from flashcards.core.parser import ParseResult
from flashcards.interop.anki_package import import_anki_package
from flashcards.interop.bundle import ImportBundle
from flashcards.interop.csv_layout import CsvOptions
from flashcards.interop.deck_writer import slug
from flashcards.interop.detect import no_cards_in_bundle
from flashcards.interop.history import datetime_to_ms
from flashcards.interop.merge import note_digests
from flashcards.interop.obsidian import read_obsidian
from flashcards.interop.text_import import read_text_file
from flashcards.storage.convert import memory_columns

if TYPE_CHECKING:
    from flashcards.collection.base import CollectionBase
    from flashcards.collection.transfer import TransferMixin

Progress = Callable[[int, int, str], bool]
PRINT_SETTING = "anki_fingerprints"  # note id -> its Anki fields' fingerprint when last synced


def remember(col: CollectionBase, key: str, values: Mapping[NoteId, str]) -> None:
    """Merge `values` into the note-id map kept in setting `key` (written only when that
    changes it: a library's map is megabytes of JSON, and most exports repeat it)."""
    changed = _changed(col.setting(key), values)
    if changed:
        stored = dict(col.setting(key) or {})
        stored.update(changed)
        col.set_setting(key, stored)


def _changed(stored: Mapping[str, object] | None, values: Mapping[Any, Any]) -> dict[str, Any]:
    """The entries of `values` that the stored id map lacks or holds differently."""
    stored = stored or {}
    return {str(k): v for k, v in values.items() if stored.get(k) != v}


# -- import -------------------------------------------------------------------------------


def read_bundle(
    source: Path,
    *,
    kind: str,
    workdir: Path,
    options: CsvOptions | None = None,
    progress: Progress | None = None,
) -> ImportBundle:
    """The bundle for `source` of `kind` ("apkg", "colpkg", "csv", "obsidian"); `options`
    are a text file's explicit choices (separator, header row, column roles, deck).
    NoCardsError, saying why, when it holds no card."""
    bundle = _read_bundle(source, kind=kind, workdir=workdir, options=options, progress=progress)
    if bundle.card_count == 0:
        texts: list[str] = []
        if kind == "obsidian" and source.is_file():
            texts = [source.read_bytes().decode("utf-8", "replace")]
        raise NoCardsError(source.name, no_cards_in_bundle(kind, bundle, texts))
    return bundle


def _read_bundle(
    source: Path,
    *,
    kind: str,
    workdir: Path,
    options: CsvOptions | None,
    progress: Progress | None,
) -> ImportBundle:
    if kind in ("apkg", "colpkg"):
        return import_anki_package(source, workdir=workdir, progress=progress)
    if kind == "csv":
        return read_text_file(source, options=options, progress=progress)
    if kind == "obsidian":
        if source.is_file():
            return read_obsidian([source], root=source.parent, progress=progress)
        top = source.resolve()
        files: list[Path] = []
        outside: list[Path] = []
        for p in sorted(source.rglob("*.md")):
            hidden = any(part.startswith(".") for part in p.relative_to(source).parts)
            if p.is_file() and not hidden:
                # A note linked in from outside the vault is not the vault's to give.
                (files if inside(p.resolve(), top) else outside).append(p)
        if not files:
            raise InteropError(str(source), "no Markdown notes found")
        bundle = read_obsidian(
            files, root=source, prefix=slug(source.name, fallback="obsidian"), progress=progress
        )
        if outside:
            links = [p.relative_to(source).as_posix() for p in outside]
            skipped = outside_links_skipped(source, links)
            bundle = dataclasses.replace(bundle, skipped=(*bundle.skipped, skipped))
        return bundle
    raise InteropError(str(source), f"unknown import format {kind!r}")


def import_path(
    col: TransferMixin,
    source: Path,
    *,
    kind: str,
    options: CsvOptions | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import an Anki package, Anki text file or Obsidian vault/note into the library."""
    tmp_parent = col.data_dir / "tmp"
    tmp_parent.mkdir(parents=True, exist_ok=True)
    # Reading and applying a package build hundreds of thousands of small acyclic
    # objects; the cyclic collector's passes over them find nothing to free.
    with (
        gc_paused(),
        tempfile.TemporaryDirectory(prefix="interop-", dir=tmp_parent) as work,
    ):
        bundle = read_bundle(
            source, kind=kind, workdir=Path(work), options=options, progress=progress
        )
        report = dataclasses.replace(apply_bundle(col, bundle, progress=progress), format=kind)
        # Freed by reference counting while the collector still sleeps: every object made
        # during the pause sits in its youngest generation, so its first pass after the
        # pause would walk the whole bundle (about 50 ms for 10,000 notes) to free nothing.
        del bundle
    return report


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _empty(col: TransferMixin, table: str) -> bool:
    """Whether `table` ("cards" or "reviews") has no row at all, hidden cards included."""
    with col._read() as s:
        return s.connection().exec_driver_sql(f"SELECT 1 FROM {table} LIMIT 1").first() is None


def _local_history(
    col: TransferMixin, ids: list[str]
) -> tuple[set[tuple[str, int]], dict[str, int]]:
    """(card id, time ms) of every local review, and each card's latest REVIEW time."""
    seen: set[tuple[str, int]] = set()
    latest: dict[str, int] = {}
    with col._read() as s:
        conn = s.connection()
        # Raw SQL: the ORM's expanding IN costs more than the lookups for many chunks.
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for cid, ms, kind in conn.exec_driver_sql(
                f"SELECT card_id, time_ms, kind FROM reviews WHERE card_id IN ({marks})",
                tuple(chunk),
            ):
                seen.add((cid, ms))
                if kind == ReviewKind.REVIEW.value and ms > latest.get(cid, ms - 1):
                    latest[cid] = ms
    return seen, latest


def _local_cards(
    col: TransferMixin, ids: list[str]
) -> dict[str, tuple[dict[str, object], bool, int, int]]:
    """Card id -> (memory columns, suspended, flag, lapses) as stored now."""
    out: dict[str, tuple[dict[str, object], bool, int, int]] = {}
    with col._read() as s:
        conn = s.connection()
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for r in conn.exec_driver_sql(
                "SELECT id, state, step, stability, difficulty, due, last_review, suspended, "
                f"flag, lapses FROM cards WHERE id IN ({marks})",
                tuple(chunk),
            ):
                memory: dict[str, object] = {
                    "state": r[1], "step": r[2], "stability": r[3], "difficulty": r[4], "due": r[5],
                    "last_review": r[6],
                }  # fmt: skip
                out[r[0]] = (memory, bool(r[7]), int(r[8]), int(r[9]))  # lapses last
    return out


def apply_bundle(
    col: TransferMixin, bundle: ImportBundle, *, progress: Progress | None = None
) -> ImportReport:
    """Fit `bundle` to the library and apply it in one transaction."""
    owners = _owners(col)
    versions: dict[str, str] = (col.setting(VERSION_SETTING) or {}) if bundle.mods else {}
    plan = plan_files(
        col,
        bundle,
        owners,
        last_seen=col.setting(PRINT_SETTING) or {},
        versions=versions,
    )
    # A stranger's deck may name files anywhere on this disk: those references go.
    files, dropped = drop_outside_media_in_files(plan.files)
    media: dict[str, bytes] = {}
    for item in bundle.media:
        data = item.read()
        existing = col.library / item.path
        if not (existing.is_file() and existing.read_bytes() == data):
            media[item.path] = data
    # Into a library without cards or history (a first import) nothing local compares.
    no_cards, no_reviews = _empty(col, "cards"), _empty(col, "reviews")
    ids = sorted({str(r.card_id) for r in bundle.reviews} | {str(c) for c in bundle.cards})
    seen, local_latest = (set(), {}) if no_reviews else _local_history(col, ids)
    # Without local history (a first import) nothing is a duplicate or newer here.
    reviews = (
        [r for r in bundle.reviews if (str(r.card_id), datetime_to_ms(r.time)) not in seen]
        if seen
        else list(bundle.reviews)
    )
    imported_latest: dict[str, int] = {}
    if local_latest:
        for r in bundle.reviews:
            if r.kind is ReviewKind.REVIEW:
                key = str(r.card_id)
                imported_latest[key] = max(imported_latest.get(key, 0), datetime_to_ms(r.time))
    states: dict[CardId, MemoryState] = {}
    flags: dict[CardId, tuple[bool, Flag]] = {}
    kept_local = 0
    new_memory = MemoryState()
    new_columns = memory_columns(new_memory)
    fresh = (new_columns, False, 0, 0)  # memory, suspended, flag, lapses of a new card
    lapses: dict[CardId, int] = {}  # Anki's lapse counts where they differ from ours
    local = {} if no_cards else _local_cards(col, [str(c) for c in bundle.cards])
    for card_id, imported in bundle.cards.items():
        if local_latest and local_latest.get(str(card_id), 0) > imported_latest.get(
            str(card_id), 0
        ):
            kept_local += 1  # studied here since: our progress wins
            continue
        # Only what differs from the card as it is (a card new to the library starts new,
        # unflagged and active): one UPDATE per changed card, not per card.
        memory, suspended, flag, had_lapses = local.get(str(card_id), fresh)
        if imported.lapses is not None and imported.lapses != had_lapses:
            lapses[card_id] = imported.lapses
        imported_memory = imported.memory
        columns = new_columns if imported_memory == new_memory else memory_columns(imported_memory)
        if columns != memory:
            states[card_id] = imported_memory
        if (imported.suspended, int(imported.flag)) != (suspended, flag):
            flags[card_id] = (imported.suspended, imported.flag)
    warnings = [f"skipped {s}" for s in bundle.skipped]
    if dropped:
        warnings.append(dropped_note(dropped))
    if kept_local:
        warnings.append(
            f"kept local progress of {kept_local} cards studied here after the import's history"
        )
    if plan.older:
        count = len(plan.older)
        warnings.append(
            f"{count} note{'s were' if count != 1 else ' was'} not updated because the "
            "package's copy is older than the one here"
        )
    # The guid, fingerprint and version maps are written in the import's own transaction:
    # an import that does not commit must not leave them (nor lose them when it does).
    # A note left as it is keeps what it was last imported (or exported) as.
    prints = (
        {k: v for k, v in bundle.fingerprints.items() if k not in plan.older}
        if plan.older
        else bundle.fingerprints
    )
    remember = {
        key: changed
        for key, values in (
            (GUID_SETTING, bundle.anki_guids),
            (PRINT_SETTING, prints),
            (VERSION_SETTING, _versions(bundle, plan, files, versions, parsed_by=bundle.parsed)),
            (NOTE_TYPE_SETTING, bundle.anki_types),
            (NOTETYPE_SETTING, bundle.anki_notetypes),
            (CLOZE_FIELDS_SETTING, bundle.anki_cloze_fields),
        )
        if (changed := _changed(col.setting(key), values))
    }
    if not (files or media or reviews or states or flags or remember or lapses):
        return ImportReport(source=bundle.source, warnings=tuple(warnings), notes=bundle.notes)
    # A deck written as the reader built it was parsed (checked) there: reuse that parse.
    parsed: dict[str, ParseResult] = {}
    checked: set[str] = set()
    for rel, data in files.items():
        if rel not in bundle.parsed and rel not in bundle.checked:
            continue
        if data == bundle.decks[rel].encode("utf-8"):
            if rel in bundle.parsed:
                parsed[rel] = bundle.parsed[rel]
            else:
                checked.add(rel)
    report = col.apply_import(
        files,
        media=media,
        reviews=reviews,
        states=states,
        card_flags=flags,
        lapses=lapses,
        source=bundle.source,
        progress=progress,
        parsed=parsed,
        checked=checked,
        merge_settings=remember,
    )
    return ImportReport(
        source=report.source,
        files=report.files,
        media=report.media,
        cards_added=report.cards_added,
        cards_updated=report.cards_updated,
        reviews=len(reviews),
        warnings=(*report.warnings, *warnings),
        notes=bundle.notes,
    )


def _versions(
    bundle: ImportBundle,
    plan: FilePlan,
    files: Mapping[str, bytes],
    held: Mapping[str, str],
    *,
    parsed_by: Mapping[str, ParseResult],
) -> dict[NoteId, str]:
    """The version entries of the notes `bundle` brings with a modification time: the
    time of the newest copy seen, and for the notes the import writes, the digest of
    their lines as written (the notes it leaves as they are keep theirs)."""
    if not bundle.mods:
        return {}
    out: dict[NoteId, str] = {}
    for nid, mod in bundle.mods.items():
        if nid in plan.older:
            continue
        before, digest = read_entry(held[nid]) if nid in held else (0, "")
        out[nid] = version_entry(max(mod, before), digest)
    for key, ids in plan.placed.items():
        ids = {i for i in ids if i in bundle.mods}
        if not ids or key not in files:
            continue
        text = files[key].decode("utf-8")
        result = parsed_by.get(key)
        if result is not None and bundle.decks.get(key) != text:
            result = None  # merged or changed since the reader parsed it
        for nid, digest in note_digests(text, ids, path=key, parsed=result).items():
            out[nid] = version_entry(bundle.mods[nid], digest)
    return out
