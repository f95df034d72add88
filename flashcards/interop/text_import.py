"""Anki's text files (CSV / TSV / TXT): header lines, csv quoting, plain two-column files.

Header lines (`#separator:`, `#html:`, `#tags:`, `#columns:`, `#notetype:`, `#deck:`,
`#notetype column:`, `#deck column:`, `#tags column:`, `#guid column:`) come first;
without them the separator is sniffed (tab, semicolon, pipe, comma). Which column is the
front, the back, the tags … is `csv_layout`'s business (headers, column names, or the
choices of the import dialog). A `#guid column` holding one of our note ids (as our CSV
export writes) updates that note on re-import.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from flashcards.core.errors import InteropError
from flashcards.core.model import NoteId
from flashcards.core.parser import ParseResult
from flashcards.interop.anki_convert import deck_paths
from flashcards.interop.anki_notes import note_id_for_guid
from flashcards.interop.bundle import ImportBundle, Progress, Skipped, fingerprint, report_progress
from flashcards.interop.csv_layout import ColumnRole, CsvOptions, read_table
from flashcards.interop.deck_writer import NoteBlock, build_deck, stable_id
from flashcards.interop.html_md import escape_body, html_to_markdown, one_line_title

_OUR_ID = re.compile(r"[a-z0-9]{4,16}")
_CLOZE = re.compile(r"\{\{c\d+::")


def decode_text(data: bytes, *, label: str) -> str:
    """UTF-8 text (BOM dropped); InteropError names the first line that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InteropError(
            label, "is not UTF-8 text; save it as UTF-8 and try again", line=line
        ) from exc


def deck_name(path: Path) -> str:
    """The deck a text file's rows go to when nothing names one: its humanised stem."""
    return (
        PurePosixPath(path.name).stem.replace("_", " ").replace("-", " ").strip().title()
        or "Imported"
    )


def read_text_file(
    path: Path,
    *,
    prefix: str = "",
    data: bytes | None = None,
    options: CsvOptions | None = None,
    progress: Progress | None = None,
) -> ImportBundle:
    """An Anki text file as a bundle: one deck file per deck named in it (or the file's
    stem); `options` override what the file's header lines say."""
    label = path.name
    text = decode_text(data if data is not None else path.read_bytes(), label=label)
    table = read_table(text, label=label, default_deck=deck_name(path), options=options)
    header, layout, rows = table.header, table.layout, table.rows
    front = layout.column(ColumnRole.FRONT)
    backs = [i for i, r in enumerate(layout.roles) if r is ColumnRole.BACK]
    fields_of = [i for i in (front, *backs) if i is not None]
    names = layout.names
    deck_column = layout.column(ColumnRole.DECK)
    notetype_column = layout.column(ColumnRole.NOTETYPE)
    tags_column = layout.column(ColumnRole.TAGS)
    guid_column = layout.column(ColumnRole.GUID)
    html = bool(header.html)
    per_deck: dict[str, list[NoteBlock]] = {}
    skipped: list[Skipped] = []
    guids: dict[NoteId, str] = {}
    seen: set[NoteId] = set()
    prints: dict[NoteId, str] = {}
    notes_read: list[str] = []
    if layout.header_row:
        shown = ", ".join(n for n in names if n) or "(empty)"
        notes_read.append(f"{label}: the first row was read as column names ({shown})")
    for number, row in enumerate(rows, start=table.first_line):
        if number % 1000 == 0:
            report_progress(progress, number, len(rows), "reading rows")
        if not any(cell.strip() for cell in row):
            continue
        fields = [(names[i], row[i]) for i in fields_of if i < len(row)]
        if not fields or front is None or front >= len(row) or not row[front].strip():
            skipped.append(Skipped(f"{label} line {number}", "the front is empty"))
            continue

        def cell(col: int | None, row: list[str] = row) -> str:
            return row[col].strip() if col is not None and col < len(row) else ""

        deck = cell(deck_column) or layout.deck
        notetype = cell(notetype_column) or header.notetype or ""
        guid = cell(guid_column)
        tags = header.tags + tuple(cell(tags_column).split())
        if guid:
            note_id = NoteId(guid) if _OUR_ID.fullmatch(guid) else note_id_for_guid(guid)
            if not _OUR_ID.fullmatch(guid):
                guids[note_id] = guid
        else:
            note_id = stable_id("text", label, deck, fields[0][1])
        if note_id in seen:
            skipped.append(Skipped(f"{label} line {number}", "duplicate of an earlier row"))
            continue
        seen.add(note_id)
        prints[note_id] = fingerprint([value for _, value in fields])
        per_deck.setdefault(deck, []).append(
            _block(
                note_id,
                fields,
                notetype=notetype,
                html=html,
                tags=tags,
                label=f"{label} line {number}",
            )
        )
    paths = deck_paths(list(per_deck), prefix=prefix)
    if options is not None and options.deck_file and layout.deck in paths:
        paths[layout.deck] = options.deck_file  # an existing deck: its notes are appended
    decks: dict[str, str] = {}
    parsed: dict[str, ParseResult] = {}
    notes = cards = 0
    for name, blocks in per_deck.items():
        built = build_deck(paths[name], title=name.split("::")[-1], blocks=blocks)
        decks[paths[name]] = built.text
        if built.result is not None:
            parsed[paths[name]] = built.result
        skipped.extend(built.skipped)
        notes += len(built.notes)
        cards += sum(len(n.cards) for n in built.notes)
    return ImportBundle(
        source=label,
        decks=decks,
        anki_guids=guids,
        fingerprints=prints,
        note_count=notes,
        card_count=cards,
        skipped=tuple(skipped),
        parsed=parsed,
        notes=tuple(notes_read),
    )


def _block(
    note_id: NoteId,
    fields: list[tuple[str, str]],
    *,
    notetype: str,
    html: bool,
    tags: tuple[str, ...],
    label: str,
) -> NoteBlock:
    def md(value: str, cloze: bool = False) -> str:
        if html:
            return html_to_markdown(value, allow_cloze=cloze)
        value = value.replace("\r\n", "\n").strip()
        return escape_body(value if cloze else value.replace("{{", "&#123;{"))

    first = fields[0][1]
    if "cloze" in notetype.lower() or _CLOZE.search(first):
        text = md(first, cloze=True)
        extra = "\n\n".join(filter(None, (md(v) for _, v in fields[1:])))
        title = one_line_title(re.sub(r"\{\{c\d+::(.*?)(::.*?)?\}\}", "…", text))
        if extra:
            return NoteBlock(note_id, title, extra, prompt=text, tags=tags, label=label)
        return NoteBlock(note_id, title, text, tags=tags, label=label)
    prompt = md(first)
    title = one_line_title(prompt)
    body = "" if prompt == title else prompt
    lowered = notetype.lower()
    reverse = "reverse" in lowered and not ("optional" in lowered and len(fields) < 3)
    if "optional" in lowered and len(fields) >= 3:
        reverse = bool(fields[2][1].strip())
        fields = fields[:2]
    if len(fields) <= 2 or not any(name for name, _ in fields[2:]):
        answer = "\n\n".join(filter(None, (md(v) for _, v in fields[1:])))
    else:
        answer = "\n\n".join(
            f"**{name or f'Field {i + 2}'}:**\n{md(v)}"
            for i, (name, v) in enumerate(fields[1:])
            if v.strip()
        )
    return NoteBlock(note_id, title, answer, prompt=body, reverse=reverse, tags=tags, label=label)
