"""The glue between the Collection and the exporters: a deck, a folder or the whole
library out as .apkg/.colpkg (by SQL from the store of rendered notes, or the Python way
where that does not apply) or as Anki CSV/TSV; what an export wrote is noted so that a
re-import can tell which notes Anki left alone."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from flashcards.collection.export_origins import GUID_SETTING, anki_origins
from flashcards.collection.export_rows import read_package_data
from flashcards.collection.export_sql import export_by_sql
from flashcards.collection.interop_ops import PRINT_SETTING, Progress, remember
from flashcards.collection.views import ExportReport
from flashcards.core.errors import FlashcardsError, InteropError
from flashcards.core.gc_pause import gc_paused
from flashcards.core.model import Flag, ReviewEntry
from flashcards.interop.apkg_export import write_package
from flashcards.interop.csv_export import write_csv
from flashcards.interop.export_notes import ExportCard, ExportData, ExportNote

if TYPE_CHECKING:
    from flashcards.collection.export import ExportMixin


def export_data(col: ExportMixin, deck: str | None) -> ExportData:
    """What the exporters need, from one consistent read of the collection."""
    snap = col.export_snapshot(deck)
    if not snap.decks:
        raise FlashcardsError("the library has no decks to export")
    guids: dict[str, str] = col.setting(GUID_SETTING) or {}
    notes: list[ExportNote] = []
    for d in snap.decks:
        for note in d.deck.notes:
            cards = tuple(
                ExportCard(
                    card,
                    memory=snap.states.get(card.id),
                    flag=snap.flags.get(card.id, (False, Flag.NONE))[1],
                    suspended=snap.flags.get(card.id, (False, Flag.NONE))[0],
                )
                for card in note.cards
            )
            notes.append(
                ExportNote(
                    note,
                    deck=d.info.name,
                    cards=cards,
                    guid=guids.get(str(note.id)),
                    media_dir=d.media_dir,
                    notetype=d.deck.notetypes.get(note.notetype) if note.notetype else None,
                )
            )
    reviews: list[ReviewEntry] = [r for rows in snap.history.values() for r in rows]
    return ExportData(tuple(notes), tuple(reviews), root=col.library)


def export(
    col: ExportMixin,
    deck: str | None,
    out: Path,
    *,
    kind: str,
    now: datetime,
    progress: Progress | None = None,
    spreadsheet_safe: bool = False,
) -> ExportReport:
    """Export a deck, folder or the whole library (None) as .apkg/.colpkg or Anki CSV/TSV;
    `now` dates the package (Anki's day numbers count from it); `spreadsheet_safe` escapes
    a CSV's cells that a spreadsheet would run as formulas."""
    if kind in ("apkg", "colpkg"):
        # One row object per note, card and answer, none of them cyclic (see gc_pause).
        with gc_paused():
            # The rows made by SQL from the store of rendered notes (filled first, unless
            # read-only: then only where the store holds every note as the index has it).
            result = export_by_sql(
                col, deck, out, now=now, progress=progress, colpkg=kind == "colpkg"
            )
            if result is None:
                guids: dict[str, str] = col.setting(GUID_SETTING) or {}
                package = read_package_data(
                    col, deck, guids=guids, sync=False, origins=anki_origins(col)
                )
                result = write_package(
                    package, out, now=now, progress=progress, colpkg=kind == "colpkg"
                )
                del package
    elif kind == "csv":
        separator = "\t" if out.suffix.lower() in (".tsv", ".txt") else ","
        result = write_csv(
            export_data(col, deck),
            out,
            separator=separator,
            spreadsheet_safe=spreadsheet_safe,
            progress=progress,
        )
    else:
        raise InteropError(str(out), f"unknown export format {kind!r}")
    warnings = [f"skipped {s}" for s in result.skipped]
    if not col.db.readonly:
        remember(col, PRINT_SETTING, result.fingerprints)
    elif result.fingerprints:
        # Read-only (the app holds the collection): the export is the same, but what it
        # wrote cannot be noted, so a re-import cannot tell which notes Anki left alone.
        warnings.append(
            "the collection is read-only here, so this export was not noted in it: "
            "importing the file back treats every note in it as changed in Anki"
        )
    return ExportReport(
        out=str(out),
        files=(str(out),),
        cards=result.cards,
        media=result.media,
        warnings=tuple(warnings),
    )
