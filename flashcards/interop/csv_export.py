"""Writing Anki's text format: header lines, then one row per note.

Columns: guid (our note id, so an edited file comes back as updates), notetype, deck,
the two fields, tags. Anki's own CSV import reads the same headers.
"""

from __future__ import annotations

import csv
from pathlib import Path

from flashcards.core.errors import InteropError
from flashcards.core.model import NoteId
from flashcards.interop.bundle import (
    ExportReport,
    Progress,
    Skipped,
    fingerprint,
    report_progress,
)
from flashcards.interop.export_notes import ExportData, anki_fields

_NAMES = {",": "Comma", "\t": "Tab", ";": "Semicolon"}


def header(separator: str) -> str:
    columns = separator.join(("GUID", "Notetype", "Deck", "Front", "Back", "Tags"))
    return (
        f"#separator:{_NAMES[separator]}\n#html:true\n#columns:{columns}\n"
        "#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n"
    )


def write_csv(
    data: ExportData, out: Path, *, separator: str = ",", progress: Progress | None = None
) -> ExportReport:
    """Write `data` as an Anki text file at `out` (atomically); `separator` "," "\t" or ";"."""
    tmp = out.with_name(out.name + ".tmp")
    notes = cards = 0
    skipped: list[Skipped] = []
    prints: dict[NoteId, str] = {}
    try:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            handle.write(header(separator))
            writer = csv.writer(handle, delimiter=separator, lineterminator="\n")
            for index, item in enumerate(data.notes):
                if index % 1000 == 0:
                    report_progress(progress, index, len(data.notes), "writing rows")
                if item.note.id is None:
                    skipped.append(
                        Skipped(f"{item.note.file}:{item.note.line_start}", "note has no id yet")
                    )
                    continue
                notetype, fields = anki_fields(item.note)
                prints[item.note.id] = fingerprint(fields)
                writer.writerow(
                    [item.note.id, notetype, item.deck, *fields, " ".join(item.note.tags)]
                )
                notes += 1
                cards += len(item.note.cards)
        tmp.replace(out)
    except OSError as exc:
        raise InteropError(str(out), f"cannot write the file ({exc})") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return ExportReport(
        path=out, notes=notes, cards=cards, skipped=tuple(skipped), fingerprints=prints
    )
