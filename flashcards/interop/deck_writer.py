"""Writing imported notes as deck Markdown, checked by our own parser.

Every importer builds `NoteBlock`s; `build_deck` renders them under a front matter,
parses the result with the core parser, and drops (and reports) any block the parser
rejects, so one odd note never makes a whole deck file unreadable.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import yaml

from flashcards.core.errors import DeckFormatError
from flashcards.core.headings import Heading, parse_heading
from flashcards.core.literal import MASK
from flashcards.core.model import Deck, Note, NoteId, ParseWarning
from flashcards.core.notes import Source, build_note
from flashcards.core.parser import ParseResult, parse_deck
from flashcards.interop.bundle import Skipped

_SLUG_DROP = re.compile(r"[^\w]+")
_TAG_BAD = re.compile(r"[,\s]+")


def stable_id(*parts: str, length: int = 10) -> NoteId:
    """A note id of [0-9a-f] derived from `parts` (same input, same id, every time)."""
    return NoteId(hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:length])


def slug(name: str, *, fallback: str = "deck") -> str:
    """A lowercase file-name part: accents dropped, letters of any script kept."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    out = _SLUG_DROP.sub("-", plain).replace("_", "-").strip("-")
    return re.sub("-{2,}", "-", out)[:60].strip("-") or fallback


def safe_tag(tag: str) -> str:
    """A tag our `Tags:` line can hold (no spaces or commas)."""
    return _TAG_BAD.sub("_", tag.strip())


class NoteBlock(NamedTuple):
    """One card heading to write. `prompt` goes above a `?` line; empty means the heading
    is the whole prompt. (A NamedTuple: an import builds one per note.)"""

    id: NoteId
    title: str
    answer: str
    prompt: str = ""
    reverse: bool = False
    tags: tuple[str, ...] = ()
    label: str = ""  # names the source item in reports ("note 1700000000")
    notetype: str = ""  # a declared note type's key: `answer` holds its `Name: value` fields
    keep: tuple[int, ...] = ()  # its templates' empty cards that stay (`keep=`)
    # A note type's field values, in its order, as its `Name: value` lines read back
    # (`notetypes.read_fields`): `_read_back` takes them rather than reading the lines.
    # () where the writer does not know them.
    fields: tuple[str, ...] = ()

    def render(self) -> str:
        lead = f"## {self.title} " if self.title else "## "  # (a title may be empty)
        if self.notetype:
            keep = f" keep={','.join(map(str, self.keep))}" if self.keep else ""
            head = f"{lead}{{#{self.id} notetype={self.notetype}{keep}}}\n"
            text = head + (self.answer + "\n" if self.answer else "")
            return text + (_tags_line(tuple(self.tags)) if self.tags else "")
        head = f"{lead}{{#{self.id}{' .reverse' if self.reverse else ''}}}\n"
        if self.prompt:
            text = f"{head}{self.prompt}\n?\n"
        elif self.answer.strip() in ("", "?"):
            text = head + "?\n"
        else:
            text = head
        if self.answer:
            text += self.answer + "\n"
        if self.tags:
            text += _tags_line(tuple(self.tags))
        return text


@lru_cache(maxsize=1024)
def _tags_line(tags: tuple[str, ...]) -> str:
    """The `Tags:` line (after a blank line) for `tags`; "" when none is writable.
    Notes share few distinct tag lists, so each is rendered once."""
    safe = [t for t in (safe_tag(t) for t in tags) if t]
    return "\nTags: " + ", ".join(dict.fromkeys(safe)) + "\n" if safe else ""


class _Dumper(yaml.SafeDumper):
    """Multi-line strings (note type templates) as `|` blocks, readable and editable."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # PyYAML falls back to a quoted string where a block cannot hold the text exactly.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def front_matter(title: str, **extra: object) -> str:
    data: dict[str, object] = {"title": title, **{k: v for k, v in extra.items() if v}}
    return dump_front_matter(data)


def dump_front_matter(data: Mapping[str, object]) -> str:
    """A `---` block holding `data` as YAML (multi-line strings as `|` blocks)."""
    dump = yaml.dump(dict(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    return "---\n" + dump + "---\n"


@dataclass(frozen=True)
class BuiltDeck:
    text: str
    notes: tuple[Note, ...]  # as our parser reads them back
    skipped: tuple[Skipped, ...]
    # `parse_deck(text, path=path)`: the collection reuses it instead of parsing again
    result: ParseResult | None = None


def build_deck(
    path: str,
    *,
    title: str,
    blocks: Sequence[NoteBlock],
    description: str = "",
    notetypes: Mapping[str, Mapping[str, object]] | None = None,
) -> BuiltDeck:
    """Render `blocks` into a deck file at `path`, dropping blocks the parser rejects.
    `notetypes` (key -> definition) are declared in the front matter where blocks use them."""
    used = {b.notetype for b in blocks if b.notetype}
    declared = {k: dict(v) for k, v in (notetypes or {}).items() if k in used}
    head = front_matter(title, notetypes=declared) + (
        "\n" + description.strip() + "\n" if description.strip() else ""
    )
    kept = list(blocks)
    skipped: list[Skipped] = []
    checked = False
    while True:
        rendered = [b.render() for b in kept]
        starts: list[int] = []
        line = head.count("\n") + 2  # the blank line before each block
        for text in rendered:
            starts.append(line)
            line += text.count("\n") + 1
        text = head + "".join("\n" + r for r in rendered)
        try:
            result = None if description.strip() else _read_back(path, head, text, kept, starts)
            if result is None:
                result = parse_deck(text, path=path)
        except DeckFormatError as exc:
            if not checked:
                # Check each block on its own once, so many bad notes cost one pass rather
                # than one whole-deck parse each.
                checked = True
                kept = _valid_blocks(path, kept, skipped, head=head)
                continue
            bad = _block_at(starts, exc.line)
            if bad is None:
                raise
            skipped.append(Skipped(kept[bad].label or f"note {kept[bad].id}", exc.message))
            del kept[bad]
            continue
        wanted = {b.id for b in kept}
        stray = next((n for n in result.deck.notes if n.id not in wanted), None)
        if stray is not None:
            # A block that did not come back as the note we wrote (a title that swallowed
            # its own id, say): leave it out rather than write a different card.
            bad = _block_at(starts, stray.line_start)
            if bad is None:
                raise DeckFormatError(path, stray.line_start, "unexpected note")
            skipped.append(
                Skipped(kept[bad].label or f"note {kept[bad].id}", "cannot be written as a card")
            )
            del kept[bad]
            continue
        by_id = {n.id for n in result.deck.notes}
        for block in kept:
            if block.id not in by_id:
                skipped.append(Skipped(block.label or f"note {block.id}", "empty note"))
        return BuiltDeck(text, result.deck.notes, tuple(skipped), result)


def _valid_blocks(
    path: str, blocks: list[NoteBlock], skipped: list[Skipped], *, head: str
) -> list[NoteBlock]:
    good = []
    for block in blocks:
        try:
            parse_deck(head + "\n" + block.render(), path=path)
        except DeckFormatError as exc:
            skipped.append(Skipped(block.label or f"note {block.id}", exc.message))
            continue
        good.append(block)
    return good


def _block_at(starts: list[int], line: int | None) -> int | None:
    if line is None or not starts or line < starts[0]:
        return None
    index = 0
    for i, start in enumerate(starts):
        if start <= line:
            index = i
    return index


# What makes a deck file's lines differ from their masked copies (literal zones), or
# splits them differently (a CR before a line feed).
_LITERAL = ("`", "<!--", "~~~", "\r", MASK)
_ID_OK = re.compile(r"[A-Za-z0-9_-]+")
_KEY_OK = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]*")  # a note type's key (notetypes._KEY)
# Every line `parse_heading` reads as a heading (its `HEADING` at a line's start).
_HEADING_LINES = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)", re.M)
_INDENTED_HASH = re.compile(r"\n {1,3}#")  # a line that may be an indented heading


def _read_back(
    path: str, head: str, text: str, blocks: Sequence[NoteBlock], starts: Sequence[int]
) -> ParseResult | None:
    """`parse_deck(text, path=path)` for a deck of `head` (front matter only) and the
    rendered `blocks` (heading lines at `starts`), built from the blocks' own lines
    rather than read back: each note by the parser's `build_note`, with the heading
    the parser would read (and a note type's field values as the block's writer knows
    them). None where that is not certainly the same: the deck's text
    has a literal zone, a body line reads as a heading, two blocks share an id, or a
    note is not one the parser takes without a word (tests hold the two equal).
    """
    body = text[len(head) :]
    if any(mark in body for mark in _LITERAL):
        return None
    if not _only_block_headings(body, len(blocks)):
        return None  # a line of a body would start a note of its own
    try:
        front = parse_deck(head, path=path)
    except DeckFormatError:
        return None
    if front.warnings or front.deck.notes or front.deck.sections:
        return None
    lines = text.split("\n")
    src = Source(path, lines, lines)  # no literal zone: every line is its masked copy
    notetypes = front.deck.notetypes
    warnings: list[ParseWarning] = []
    notes: list[Note] = []
    ids: set[str] = set()
    count = len(blocks)
    try:
        for k, block in enumerate(blocks):
            index = starts[k] - 1
            end = starts[k + 1] - 1 if k + 1 < count else len(lines)
            heading = _heading(block, lines[index])
            if heading is None or heading.id is None or heading.id in ids:
                return None
            ids.add(heading.id)
            note = build_note(
                src, heading, index, end, (), warnings, notetypes, front.deck.title, block.fields
            )
            if note is None or warnings:
                return None  # an empty card: the parser's own words for it
            notes.append(note)
    except DeckFormatError:
        return None
    deck: Deck = front.deck
    return ParseResult(dataclasses.replace(deck, notes=tuple(notes)))


def _only_block_headings(body: str, count: int) -> bool:
    """Whether `body`, holding `count` blocks, has no heading lines but theirs. Each block's
    heading line starts with `#`: where no other line starts with one (nor with spaces
    and one), they are all there is, counted without the regex."""
    if (
        body[:1] not in ("#", " ")
        and body.count("\n#") == count
        and _INDENTED_HASH.search(body) is None
    ):
        return True
    return len(_HEADING_LINES.findall(body)) == count


def _heading(block: NoteBlock, line: str) -> Heading | None:
    """The parser's reading of `block`'s heading `line` (`## title {#id .reverse}`, or
    `## title {#id notetype=KEY keep=N}`): built directly for a plain title, id and key,
    `parse_heading` for anything else."""
    note_id, title, notetype, keep = block.id, block.title, block.notetype, block.keep
    if (
        not title
        or title != title.strip()
        or "\n" in title
        or MASK in title
        or line[:3] != "## "
        or not _ID_OK.fullmatch(note_id)
        or (notetype and not _KEY_OK.fullmatch(notetype))
        or (keep and not _keep_ok(keep))
    ):
        return parse_heading(line, line)
    end = 3 + len(title)
    open_col = end + 1
    id_span = (open_col + 1, open_col + 2 + len(note_id))
    if notetype:
        return Heading(
            2, title, (3, end), note_id, (), end, (open_col, len(line)), id_span, notetype, keep
        )
    return Heading(
        2,
        title,
        (3, end),
        note_id,
        ("reverse",) if block.reverse else (),
        end,
        (open_col, len(line)),
        id_span,
    )


def _keep_ok(keep: tuple[int, ...]) -> bool:
    """`keep=` numbers the parser reads back as they are: from 1, ascending, each once."""
    return all(type(n) is int for n in keep) and keep[0] >= 1 and list(keep) == sorted(set(keep))
