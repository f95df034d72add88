"""Anki's text files (CSV / TSV / TXT): header lines, csv quoting, plain two-column files.

Header lines (`#separator:`, `#html:`, `#tags:`, `#columns:`, `#notetype:`, `#deck:`,
`#notetype column:`, `#deck column:`, `#tags column:`, `#guid column:`) come first;
without them the separator is sniffed (tab, semicolon, pipe, comma). A `#guid column`
holding one of our note ids (as our CSV export writes) updates that note on re-import.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from flashcards.core.errors import InteropError
from flashcards.core.model import NoteId
from flashcards.core.parser import ParseResult
from flashcards.interop.anki_convert import deck_paths
from flashcards.interop.anki_notes import note_id_for_guid
from flashcards.interop.bundle import ImportBundle, Progress, Skipped, fingerprint, report_progress
from flashcards.interop.deck_writer import NoteBlock, build_deck, stable_id
from flashcards.interop.html_md import escape_body, html_to_markdown, one_line_title

SEPARATORS = {
    "comma": ",",
    "semicolon": ";",
    "tab": "\t",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}
_OUR_ID = re.compile(r"[a-z0-9]{4,16}")
_CLOZE = re.compile(r"\{\{c\d+::")


@dataclass
class Header:
    """What a text file's `#key:value` lines say."""

    separator: str | None = None
    html: bool | None = None
    tags: tuple[str, ...] = ()
    columns: str | None = None  # raw; split once the separator is known
    notetype: str | None = None
    deck: str | None = None
    notetype_column: int | None = None  # 0-based
    deck_column: int | None = None
    tags_column: int | None = None
    guid_column: int | None = None
    lines: int = 0  # header lines consumed


def decode_text(data: bytes, *, label: str) -> str:
    """UTF-8 text (BOM dropped); InteropError names the first line that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InteropError(
            label, "is not UTF-8 text; save it as UTF-8 and try again", line=line
        ) from exc


def _column(value: str, label: str, line: int) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        number = 0
    if number < 1:
        raise InteropError(
            label, f"column number must be 1 or more, not {value.strip()!r}", line=line
        )
    return number - 1


def read_header(lines: list[str], *, label: str) -> Header:
    header = Header()
    for index, line in enumerate(lines):
        if not line.startswith("#") or ":" not in line:
            break
        key, _, value = line[1:].partition(":")
        key, value = key.strip().lower(), value.rstrip("\r\n")
        number = index + 1
        if key == "separator":
            header.separator = SEPARATORS.get(value.strip().lower(), value[:1] or ",")
        elif key == "html":
            header.html = value.strip().lower() == "true"
        elif key == "tags":
            header.tags = tuple(value.split())
        elif key == "columns":
            header.columns = value
        elif key == "notetype":
            header.notetype = value.strip()
        elif key == "deck":
            header.deck = value.strip()
        elif key == "notetype column":
            header.notetype_column = _column(value, label, number)
        elif key == "deck column":
            header.deck_column = _column(value, label, number)
        elif key == "tags column":
            header.tags_column = _column(value, label, number)
        elif key == "guid column":
            header.guid_column = _column(value, label, number)
        header.lines = index + 1
    return header


def sniff_separator(sample: list[str]) -> str:
    """Tab, semicolon, pipe or comma: the first that splits the first row."""
    first = next((line for line in sample if line.strip()), "")
    for candidate in ("\t", ";", "|", ","):
        if candidate in first:
            return candidate
    return ","


def read_text_file(
    path: Path, *, prefix: str = "", data: bytes | None = None, progress: Progress | None = None
) -> ImportBundle:
    """An Anki text file as a bundle: one deck file per deck named in it (or the file's stem)."""
    label = path.name
    text = decode_text(data if data is not None else path.read_bytes(), label=label)
    lines = text.splitlines(keepends=True)
    header = read_header(lines, label=label)
    body_lines = lines[header.lines :]
    separator = header.separator or sniff_separator(body_lines[:20])
    columns: tuple[str, ...] = ()
    if header.columns:
        columns = tuple(next(csv.reader([header.columns], delimiter=separator)))
    rows = list(csv.reader(io.StringIO("".join(body_lines)), delimiter=separator))
    special = {
        header.notetype_column,
        header.deck_column,
        header.tags_column,
        header.guid_column,
    } - {None}
    html = bool(header.html)
    default_deck = header.deck or _deck_name(path)
    per_deck: dict[str, list[NoteBlock]] = {}
    skipped: list[Skipped] = []
    guids: dict[NoteId, str] = {}
    seen: set[NoteId] = set()
    prints: dict[NoteId, str] = {}
    for number, row in enumerate(rows, start=header.lines + 1):
        if number % 1000 == 0:
            report_progress(progress, number, len(rows), "reading rows")
        if not any(cell.strip() for cell in row):
            continue
        fields = [
            (columns[i] if i < len(columns) else "", cell)
            for i, cell in enumerate(row)
            if i not in special
        ]
        if not fields or not fields[0][1].strip():
            skipped.append(Skipped(f"{label} line {number}", "first field is empty"))
            continue

        def cell(col: int | None, row: list[str] = row) -> str:
            return row[col].strip() if col is not None and col < len(row) else ""

        deck = cell(header.deck_column) or default_deck
        notetype = cell(header.notetype_column) or header.notetype or ""
        guid = cell(header.guid_column)
        tags = header.tags + tuple(cell(header.tags_column).split())
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
    )


def _deck_name(path: Path) -> str:
    return (
        PurePosixPath(path.name).stem.replace("_", " ").replace("-", " ").strip().title()
        or "Imported"
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
