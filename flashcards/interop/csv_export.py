"""Writing Anki's text format: header lines, then one row per note.

Columns: guid (our note id, so an edited file comes back as updates), notetype, deck,
the two fields, tags. Anki's own CSV import reads the same headers.

The text is written exactly as it is, by default: a field may begin with `=`, `+`, `-` or
`@`, which a spreadsheet opening the file takes for a formula. `spreadsheet_safe` writes
a `'` before every such cell (OWASP's advice for CSV injection) and before a cell that
begins with `'`, and says so in a `#spreadsheet safe:true` line: our import then takes
one `'` off every cell that has one, so the file still reads back exactly (Anki ignores
the line and keeps the `'`).
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


# What a spreadsheet reads as a formula at a cell's start (OWASP's list), and the escape
# itself, so that taking one `'` off every cell that has one reads the text back exactly.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def header(separator: str, *, spreadsheet_safe: bool = False) -> str:
    columns = separator.join(("GUID", "Notetype", "Deck", "Front", "Back", "Tags"))
    return (
        f"#separator:{_NAMES[separator]}\n#html:true\n"
        + ("#spreadsheet safe:true\n" if spreadsheet_safe else "")
        + f"#columns:{columns}\n"
        "#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n"
    )


def spreadsheet_cell(text: str) -> str:
    """`text` with a `'` before it where a spreadsheet would take it for a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(
    data: ExportData,
    out: Path,
    *,
    separator: str = ",",
    spreadsheet_safe: bool = False,
    progress: Progress | None = None,
) -> ExportReport:
    """Write `data` as an Anki text file at `out` (atomically); `separator` "," "\t" or ";".
    `spreadsheet_safe`: a cell a spreadsheet would run as a formula gets a `'` first."""
    tmp = out.with_name(out.name + ".tmp")
    notes = cards = 0
    skipped: list[Skipped] = []
    prints: dict[NoteId, str] = {}
    try:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            handle.write(header(separator, spreadsheet_safe=spreadsheet_safe))
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
                row = [item.note.id, notetype, item.deck, *fields, " ".join(item.note.tags)]
                if spreadsheet_safe:
                    row = [spreadsheet_cell(cell) for cell in row]
                writer.writerow(row)
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
