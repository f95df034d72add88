"""One card heading and its body → a `Note` and its `Card`s."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from flashcards.core.cloze import Cloze, find_clozes, number_clozes, write_numbers
from flashcards.core.errors import DeckFormatError
from flashcards.core.headings import Heading
from flashcards.core.model import (
    Card,
    CardKind,
    Choice,
    Link,
    Note,
    NoteId,
    ParseWarning,
    card_id_for,
)

_TAGS = re.compile(r"Tags:(.*)")
_TAG_SPLIT = re.compile(r"[,\s]+")
_TASK = re.compile(r" {0,3}[-*+][ \t]+\[([ xX])\](?:[ \t]+|$)")
_LINK = re.compile(r"\[\[([^\[\]\n]+?)\]\]")


@dataclass(frozen=True)
class Source:
    """The lines of one deck file: originals (no line endings) and masked copies."""

    path: str
    lines: Sequence[str]
    masked: Sequence[str]


def _trim(lines: Sequence[str], start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it neither begins nor ends with blank lines."""
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return start, end


def _join(lines: Sequence[str], start: int, end: int) -> str:
    start, end = _trim(lines, start, end)
    return "\n".join(lines[start:end])


def _links(text: str, masked: str, first_line: int) -> list[Link]:
    links: list[Link] = []
    if "[[" not in masked:
        return links
    for m in _LINK.finditer(masked):
        inner = text[m.start(1) : m.end(1)]
        target, bar, label = inner.partition("|")
        file: str | None = None
        head, hash_, tail = target.partition("#")
        # `file#Title` names a file; `C# basics` (space after `#`) is just a title.
        if hash_ and head.strip() and tail[:1] not in (" ", "\t"):
            file, target = head.strip(), tail
        elif hash_ and not head.strip():
            target = tail  # `[[#Title]]`: a title in this file (or anywhere)
        target = target.strip()
        if not target:
            continue
        line = first_line + text.count("\n", 0, m.start())
        links.append(Link(target=target, file=file, text=label.strip() if bar else None, line=line))
    return links


def _choices(src: Source, start: int, end: int) -> tuple[list[Choice], list[int]]:
    """Task-list items in lines [start, end): choices and their line indexes."""
    choices: list[Choice] = []
    rows: list[int] = []
    for index in range(start, end):
        masked = src.masked[index]
        if "[" not in masked:
            continue
        m = _TASK.match(masked)
        if m is None:
            continue
        text = src.lines[index][m.end() :].strip()
        choices.append(Choice(text=text, correct=m.group(1) != " "))
        rows.append(index)
    return choices, rows


def content_hash(src: Source, heading: Heading, heading_index: int, end: int) -> str:
    """sha1 of the note's text without its id: for change detection, never identity.

    The heading enters as level, title and classes, so adding or removing the `#id`
    (or reformatting the attribute block) leaves the hash unchanged.
    """
    head = f"{'#' * heading.level} {heading.title} {' '.join(heading.classes)}"
    body = "\n".join(src.lines[heading_index + 1 : end])
    return hashlib.sha1(f"{head}\n{body}".encode("utf-8", "surrogatepass")).hexdigest()


def build_note(
    src: Source,
    heading: Heading,
    heading_index: int,
    body_end: int,
    section_path: tuple[str, ...],
    warnings: list[ParseWarning],
) -> Note | None:
    """The note whose heading is at `heading_index` and body runs to `body_end` (exclusive).

    Returns None (with a warning) for an empty card.
    """
    path = src.path
    lines = src.lines
    masked = src.masked
    line_no = heading_index + 1
    start, end = _trim(lines, heading_index + 1, body_end)
    last = end  # exclusive end of the note's own lines (tags line included)
    tags: tuple[str, ...] = ()
    if end > start:
        m = _TAGS.match(masked[end - 1])
        if m is not None:
            raw = lines[end - 1][m.start(1) :]
            tags = tuple(dict.fromkeys(t for t in _TAG_SPLIT.split(raw) if t))
            start, end = _trim(lines, start, end - 1)
    separator = -1
    for index in range(start, end):
        row = masked[index]
        if row and row.strip() == "?":
            separator = index
            break
    if separator >= 0:
        prompt_range = _trim(lines, start, separator)
        answer_range = _trim(lines, separator + 1, end)
    else:
        prompt_range = (start, start)
        answer_range = (start, end)
    prompt = "\n".join(lines[prompt_range[0] : prompt_range[1]])
    answer = "\n".join(lines[answer_range[0] : answer_range[1]])
    t0, t1 = heading.title_span
    blocks = [
        (heading.title, masked[heading_index][t0:t1], line_no),
        (prompt, "\n".join(masked[prompt_range[0] : prompt_range[1]]), prompt_range[0] + 1),
        (answer, "\n".join(masked[answer_range[0] : answer_range[1]]), answer_range[0] + 1),
    ]
    # Cloze deletions and links, in reading order: heading, prompt, answer.
    groups: list[list[Cloze]] = []
    links: list[Link] = []
    for text, mtext, first in blocks:
        groups.append(
            find_clozes(text, mtext, path=path, first_line=first) if "{{" in mtext else []
        )
        links.extend(_links(text, mtext, first))

    title = heading.title
    if not prompt and not answer and not groups[0]:
        warnings.append(ParseWarning(path, line_no, "empty card"))
        return None

    note_id = NoteId(heading.id) if heading.id is not None else None
    cid = note_id if note_id is not None else NoteId("")
    common = dict(
        note_id=cid,
        file=path,
        line_start=line_no,
        line_end=last,
        section_path=section_path,
        links=tuple(links),
        tags=tags,
    )
    reverse = "reverse" in heading.classes
    cards: list[Card] = []
    cloze_numbers: tuple[int, ...] = ()
    choices: tuple[Choice, ...] = ()
    if any(groups):
        numbered = number_clozes(groups)
        cloze_numbers = tuple(sorted({c.number for g in numbered for c in g if c.number}))
        card_title = write_numbers(title, numbered[0])
        front = write_numbers(prompt, numbered[1])
        back = write_numbers(answer, numbered[2])
        if separator < 0:
            front, back = back, ""
        if reverse:
            warnings.append(ParseWarning(path, line_no, "{.reverse} is ignored on a cloze card"))
        for n in cloze_numbers:
            cards.append(
                Card(
                    id=card_id_for(cid, CardKind.CLOZE, n),
                    kind=CardKind.CLOZE,
                    title=card_title,
                    prompt=front,
                    answer=back,
                    cloze=n,
                    **common,  # type: ignore[arg-type]
                )
            )
    else:
        found, rows = _choices(src, *(prompt_range if separator >= 0 else answer_range))
        if found and not any(c.correct for c in found):
            if separator >= 0:
                raise DeckFormatError(
                    path,
                    rows[0] + 1,
                    "task list in the prompt has no [x]: mark the correct choices",
                )
            found = []
        if found:
            choices = tuple(found)
            skip = set(rows)
            rng = prompt_range if separator >= 0 else answer_range
            kept = [lines[i] for i in range(*rng) if i not in skip]
            front = _join(kept, 0, len(kept))
            back = answer if separator >= 0 else ""
            if reverse:
                warnings.append(
                    ParseWarning(path, line_no, "{.reverse} is ignored on a multiple-choice card")
                )
            cards.append(
                Card(
                    id=card_id_for(cid, CardKind.CHOICE),
                    kind=CardKind.CHOICE,
                    title=title,
                    prompt=front,
                    answer=back,
                    choices=choices,
                    **common,  # type: ignore[arg-type]
                )
            )
        else:
            cards.append(
                Card(
                    id=card_id_for(cid, CardKind.BASIC),
                    kind=CardKind.BASIC,
                    title=title,
                    prompt=prompt,
                    answer=answer,
                    **common,  # type: ignore[arg-type]
                )
            )
            if reverse:
                cards.append(
                    Card(
                        id=card_id_for(cid, CardKind.REVERSE),
                        kind=CardKind.REVERSE,
                        title=title,
                        prompt=answer,
                        answer=prompt,
                        **common,  # type: ignore[arg-type]
                    )
                )
    return Note(
        id=note_id,
        file=path,
        title=title,
        level=heading.level,
        line_start=line_no,
        line_end=last,
        section_path=section_path,
        prompt=prompt,
        answer=answer,
        reverse=reverse,
        choices=choices,
        cloze_numbers=cloze_numbers,
        links=tuple(links),
        tags=tags,
        content_hash=content_hash(src, heading, heading_index, last),
        cards=tuple(cards),
    )
