"""Writing the numbers of unnumbered cloze deletions back into a deck file.

An unnumbered deletion (`{{text}}`) takes its number from its place in the note
(`cloze.number_clozes`), and a card's history follows its number. Written back as
`{{c2::text}}` the next time the app writes the note's id (rule 13), the number stays
with its deletion: a deletion added in front later takes a new number instead of
moving every later card's history onto another deletion. Only the `{{` of each
unnumbered deletion changes (`{{` → `{{cN::`); every other byte is kept.
"""

from __future__ import annotations

import re

from flashcards.core.cloze import Cloze, find_clozes, number_clozes
from flashcards.core.frontmatter import read_front_matter
from flashcards.core.headings import parse_heading
from flashcards.core.literal import mask_lines
from flashcards.core.model import Note
from flashcards.core.parser import ParseResult, decode_deck, split_lines

# `{{` not followed by a number: a file without one has nothing to write (a false
# positive, such as `{{` in code, only costs the scan below).
_MAYBE_UNNUMBERED = re.compile(rb"\{\{(?![cC]\d{1,9}::)")


def _inserts(
    lines: list[str], masked: list[str], note: Note, path: str
) -> list[tuple[int, int, int]]:
    """(line index, column, number) of each unnumbered deletion of `note`, whose numbers
    come out as the parser's; none for a note type's note or when they would differ."""
    head = note.line_start - 1
    heading = parse_heading(masked[head], lines[head], path=path, number=note.line_start)
    if heading is None or heading.notetype is not None:
        return []
    t0, t1 = heading.title_span
    title = find_clozes(lines[head][t0:t1], masked[head][t0:t1], path=path)
    end = note.line_end  # exclusive, 0-based; a `Tags:` line holds no deletion
    while end > note.line_start and not lines[end - 1].strip():
        end -= 1
    if end > note.line_start and masked[end - 1].startswith("Tags:"):
        end -= 1
    body_lines = lines[note.line_start : end]
    body = find_clozes(
        "\n".join(body_lines),
        "\n".join(masked[note.line_start : end]),
        path=path,
        first_line=note.line_start + 1,
    )
    numbered = number_clozes([title, body])
    if {c.number for group in numbered for c in group} != set(note.cloze_numbers):
        return []  # not read as the parser reads it: leave the note as written
    out: list[tuple[int, int, int]] = []
    for found, given in zip(title, numbered[0], strict=True):
        if found.number is None and given.number is not None:
            out.append((head, t0 + found.start, given.number))
    starts = [0]
    for line in body_lines:
        starts.append(starts[-1] + len(line) + 1)
    for found, given in zip(body, numbered[1], strict=True):
        if found.number is None and given.number is not None:
            row = _row(starts, found)
            out.append((note.line_start + row, found.start - starts[row], given.number))
    return out


def _row(starts: list[int], cloze: Cloze) -> int:
    row = 0
    while starts[row + 1] <= cloze.start:
        row += 1
    return row


def number_blanks(data: bytes, result: ParseResult) -> bytes | None:
    """`data` (parsed as `result`) with every unnumbered cloze deletion of a note
    numbered as the parser numbers it; None when there is none."""
    if not _MAYBE_UNNUMBERED.search(data):
        return None
    notes = [n for n in result.deck.notes if n.cloze_numbers]
    if not notes:
        return None
    path = result.deck.file
    text = decode_deck(data, path=path)
    lines = split_lines(text)
    front = read_front_matter(lines, path=path)
    masked = list(mask_lines(lines, start=front.end, path=path).lines)
    inserts = [i for note in notes for i in _inserts(lines, masked, note, path)]
    if not inserts:
        return None
    raw = text.split("\n")  # as `lines`, each keeping its CR: columns are the same
    for row, column, number in sorted(inserts, reverse=True):
        line = raw[row]
        raw[row] = f"{line[: column + 2]}c{number}::{line[column + 2 :]}"
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    return bom + "\n".join(raw).encode("utf-8")
