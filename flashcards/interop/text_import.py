"""Anki's text files (CSV / TSV / TXT): header lines, csv quoting, plain two-column files.

Header lines (`#separator:`, `#html:`, `#tags:`, `#columns:`, `#notetype:`, `#deck:`,
`#notetype column:`, `#deck column:`, `#tags column:`, `#guid column:`) come first;
without them the separator is sniffed (tab, semicolon, pipe, comma). Which column is the
front, the back, the tags … is `csv_layout`'s business (headers, column names, or the
choices of the import dialog). A `#guid column` holding one of our note ids (as our CSV
export writes) updates that note on re-import.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from flashcards.core.model import NoteId
from flashcards.core.parser import ParseResult
from flashcards.interop.anki_convert import deck_paths
from flashcards.interop.anki_notes import note_id_for_guid
from flashcards.interop.bundle import ImportBundle, Progress, Skipped, fingerprint, report_progress
from flashcards.interop.csv_layout import ColumnRole, CsvOptions, Table, read_table
from flashcards.interop.deck_writer import NoteBlock, build_deck, stable_id
from flashcards.interop.html_md import escape_body, html_to_markdown, one_line_title
from flashcards.interop.text_lines import TextLines, line_breaks, not_utf8

_OUR_ID = re.compile(r"[a-z0-9]{4,16}")
_CLOZE = re.compile(r"\{\{c\d+::")


def decode_text(data: bytes, *, label: str) -> str:
    """UTF-8 text (BOM dropped); InteropError names the first line that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise not_utf8(label, data[:2], line_breaks(data, 0, exc.start) + 1) from exc


def deck_name(path: Path) -> str:
    """The deck a text file's rows go to when nothing names one: its humanised stem."""
    return (
        PurePosixPath(path.name).stem.replace("_", " ").replace("-", " ").strip().title()
        or "Imported"
    )


# Rows for one deck past this go into several deck files of this many rows (a folder
# named after the deck, `part-01.md` …): the import then holds one part's notes at a
# time, and every later edit or sync of those decks parses one part, not the whole.
PART_ROWS = 10_000


def read_text_file(
    path: Path,
    *,
    prefix: str = "",
    data: bytes | None = None,
    options: CsvOptions | None = None,
    progress: Progress | None = None,
) -> ImportBundle:
    """An Anki text file as a bundle: one deck file per deck named in it (or the file's
    stem); `options` override what the file's header lines say.

    The file is streamed (`csv_layout.TextLines`): read once for its layout and size, then
    once for its notes, each deck written as its rows come. A deck of more than PART_ROWS
    rows becomes a folder of deck files of PART_ROWS rows each, so memory holds one part's
    notes, not the file's (a deck chosen in `options.deck_file` takes all its rows).
    """
    label = path.name
    if data is None:
        source = TextLines(label, path=path)
    else:
        source = TextLines(label, text=decode_text(data, label=label))
    table = read_table(source, label=label, default_deck=deck_name(path), options=options)
    header, layout = table.header, table.layout
    front = layout.column(ColumnRole.FRONT)
    backs = [i for i, r in enumerate(layout.roles) if r is ColumnRole.BACK]
    fields_of = [i for i in (front, *backs) if i is not None]
    names = layout.names
    deck_column = layout.column(ColumnRole.DECK)
    notetype_column = layout.column(ColumnRole.NOTETYPE)
    tags_column = layout.column(ColumnRole.TAGS)
    guid_column = layout.column(ColumnRole.GUID)
    html = bool(header.html)
    skipped: list[Skipped] = []
    guids: dict[NoteId, str] = {}
    ids = RowIds()
    prints: dict[NoteId, str] = {}
    notes_read: list[str] = []
    if layout.header_row:
        shown = ", ".join(n for n in names if n) or "(empty)"
        notes_read.append(f"{label}: the first row was read as column names ({shown})")

    def cell(row: list[str], col: int | None) -> str:
        return row[col].strip() if col is not None and col < len(row) else ""

    def deck_of(row: list[str]) -> str:
        return cell(row, deck_column) or layout.deck

    total = table.row_count
    decks = _DeckParts(
        prefix=prefix,
        deck_file=(options.deck_file or None) if options is not None else None,
        default_deck=layout.deck,
        # Known sizes let a deck be written as soon as its last row is read.
        sizes=_deck_sizes(table, deck_of, deck_column) if total > PART_ROWS else None,
    )
    for number, row in table.rows():
        if number % 1000 == 0:
            report_progress(progress, number, total, "reading rows")
        if not any(cell.strip() for cell in row):
            continue
        deck = deck_of(row)
        fields = [(names[i], row[i]) for i in fields_of if i < len(row)]
        if not fields or front is None or front >= len(row) or not row[front].strip():
            skipped.append(Skipped(f"{label} line {number}", "the front is empty"))
            decks.row_done(deck)
            continue
        notetype = cell(row, notetype_column) or header.notetype or ""
        guid = cell(row, guid_column)
        tags = header.tags + tuple(cell(row, tags_column).split())
        if guid:
            key: tuple[str, ...] = ("guid", guid)
            note_id = NoteId(guid) if _OUR_ID.fullmatch(guid) else note_id_for_guid(guid)
        else:
            key = ("text", label, deck, fields[0][1])
            note_id = stable_id(*key)
        found = ids.take(note_id, key)
        if found is None:
            skipped.append(Skipped(f"{label} line {number}", "duplicate of an earlier row"))
            decks.row_done(deck)
            continue
        note_id = found
        if guid and not _OUR_ID.fullmatch(guid):
            guids[note_id] = guid
        prints[note_id] = fingerprint([value for _, value in fields])
        block = _block(
            note_id,
            fields,
            notetype=notetype,
            html=html,
            tags=tags,
            label=f"{label} line {number}",
        )
        decks.add(deck, block)
    decks.finish()
    skipped.extend(decks.skipped)
    notes_read.extend(f"{label}: {note}" for note in decks.notes_read)
    return ImportBundle(
        source=label,
        decks=decks.texts,
        anki_guids=guids,
        fingerprints=prints,
        note_count=decks.note_count,
        card_count=decks.card_count,
        skipped=tuple(skipped),
        parsed=decks.parsed,
        checked=frozenset(decks.checked),
        notes=tuple(notes_read),
    )


class RowIds:
    """The note ids of one file's rows: the same row (key) always gets the same id, and two
    different rows never share one.

    A row's id is a short hash of its key (the file, deck and first field, or its id
    column), so two different rows can hash alike (40 bits: likely past a million rows).
    The later one then takes the next candidate derived from its key and a counter, in
    file order, so importing the file again gives every row the id it had.
    """

    __slots__ = ("_keys",)

    def __init__(self) -> None:
        # id -> 30 bits of a digest of the key that holds it: not the key (a row's text can
        # be long), nor a whole digest (a big file has millions of rows; a small int is
        # 28 bytes). Two different keys alike in their 40-bit id and these 30 bits: 2**-70.
        self._keys: dict[NoteId, int] = {}

    def take(self, first: NoteId, key: tuple[str, ...]) -> NoteId | None:
        """The id for the row of `key`, whose own id is `first`; None when an earlier
        row had the same key (a duplicate)."""
        digest = hashlib.blake2b("\x1f".join(key).encode("utf-8"), digest_size=4).digest()
        check = int.from_bytes(digest, "big") >> 2
        candidate, counter = first, 1
        while True:
            holder = self._keys.get(candidate)
            if holder is None:
                self._keys[candidate] = check
                return candidate
            if holder == check:  # this row's key again, at its first or a later id
                return None
            counter += 1
            candidate = stable_id(*key, f"#{counter}")


def _deck_sizes(
    table: Table, deck_of: Callable[[list[str]], str], deck_column: int | None
) -> dict[str, int]:
    """Rows (not blank) per deck: a pass over the file's rows when a column names decks."""
    if deck_column is None:
        count = sum(1 for _, row in table.rows() if any(c.strip() for c in row))
        return {table.layout.deck: count}
    sizes: dict[str, int] = {}
    for _, row in table.rows():
        if any(c.strip() for c in row):
            deck = deck_of(row)
            sizes[deck] = sizes.get(deck, 0) + 1
    return sizes


class _DeckParts:
    """The deck files a text file's notes go into, built as the rows come.

    Without `sizes` (a small file) every deck's notes wait for the end and each deck is one
    file. With them, a deck is written once its last row is read, and a deck of more than
    PART_ROWS rows is written PART_ROWS notes at a time into a folder named after it; only
    the texts are kept (the parse that checks each is dropped, the collection's sync parses
    again in groups).
    """

    def __init__(
        self,
        *,
        prefix: str,
        deck_file: str | None,
        default_deck: str,
        sizes: dict[str, int] | None,
    ) -> None:
        self.prefix = prefix
        self.deck_file = deck_file
        self.default_deck = default_deck
        self.sizes = sizes
        self.paths = self._paths(list(sizes)) if sizes is not None else {}
        self.pending: dict[str, list[NoteBlock]] = {}
        self.rows_read: dict[str, int] = {}
        self.parts_written: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        self.parsed: dict[str, ParseResult] = {}
        self.checked: set[str] = set()
        self.skipped: list[Skipped] = []
        self.notes_read: list[str] = []
        self.note_count = 0
        self.card_count = 0

    def _paths(self, names: list[str]) -> dict[str, str]:
        paths = deck_paths(names, prefix=self.prefix)
        if self.deck_file and self.default_deck in paths:
            paths[self.default_deck] = self.deck_file  # an existing deck: notes appended
        return paths

    def _split(self, deck: str) -> bool:
        return (
            self.sizes is not None
            and self.sizes.get(deck, 0) > PART_ROWS
            and self.paths.get(deck) != self.deck_file
        )

    def add(self, deck: str, block: NoteBlock) -> None:
        blocks = self.pending.setdefault(deck, [])
        blocks.append(block)
        if self._split(deck) and len(blocks) >= PART_ROWS:
            self._write(deck)
        self.row_done(deck)

    def row_done(self, deck: str) -> None:
        """A row of `deck` was read (taken or skipped): past its last, write the deck."""
        if self.sizes is None:
            return
        read = self.rows_read[deck] = self.rows_read.get(deck, 0) + 1
        if read == self.sizes.get(deck):
            self._write(deck)

    def finish(self) -> None:
        if self.sizes is None:
            self.paths = self._paths(list(self.pending))
        for deck in list(self.pending):
            self._write(deck)
        for deck, parts in self.parts_written.items():
            if parts > 1:
                folder = self.paths[deck].removesuffix(".md")
                self.notes_read.append(
                    f"the {self.sizes[deck] if self.sizes else 0:,} rows of deck {deck!r} went "
                    f"into {parts} deck files of at most {PART_ROWS:,} rows in {folder}/"
                )

    def _write(self, deck: str) -> None:
        blocks = self.pending.pop(deck, [])
        if not blocks:
            return
        index = self.parts_written.get(deck, 0) + 1
        self.parts_written[deck] = index
        path, title = self.paths[deck], deck.split("::")[-1]
        if self._split(deck):
            assert self.sizes is not None
            width = len(str(-(-self.sizes[deck] // PART_ROWS)))
            path = f"{path.removesuffix('.md')}/part-{index:0{width}d}.md"
            title = f"Part {index:0{width}d}"
        built = build_deck(path, title=title, blocks=blocks)
        self.texts[path] = built.text
        if built.result is not None and self.sizes is None:
            self.parsed[path] = built.result
        elif built.result is not None:
            self.checked.add(path)
        self.skipped.extend(built.skipped)
        self.note_count += len(built.notes)
        self.card_count += sum(len(n.cards) for n in built.notes)


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
        value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
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
