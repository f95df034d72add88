"""One card heading and its body → a `Note` and its `Card`s (a declared note type's in
`template_notes`; the shared pieces in `note_parts`)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from flashcards.core.cloze import Cloze, find_clozes, number_clozes, write_numbers
from flashcards.core.errors import DeckFormatError
from flashcards.core.headings import Heading
from flashcards.core.model import (
    Card,
    CardKind,
    Choice,
    Link,
    Note,
    ParseWarning,
)
from flashcards.core.note_parts import Source as Source
from flashcards.core.note_parts import _fast, _links
from flashcards.core.note_parts import content_hash as content_hash
from flashcards.core.notetypes import NoteType
from flashcards.core.template_notes import template_note

_TAG_SPLIT = re.compile(r"[,\s]+")
_TASK = re.compile(r" {0,3}[-*+][ \t]+\[([ xX])\](?:[ \t]+|$)")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)


def _trim(lines: Sequence[str], start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it neither begins nor ends with blank lines."""
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return start, end


def _blank(text: str) -> bool:
    """True for text that shows nothing: empty, or only HTML comments and whitespace."""
    if "<!--" not in text:
        return not text
    return not _COMMENT.sub("", text).strip()


def _join(lines: Sequence[str], start: int, end: int) -> str:
    start, end = _trim(lines, start, end)
    return "\n".join(lines[start:end])


@lru_cache(maxsize=1024)
def _tag_list(text: str) -> tuple[str, ...]:
    """The tags of a `Tags:` line's text (cached: many notes share a tag line)."""
    return tuple(dict.fromkeys(t for t in _TAG_SPLIT.split(text) if t))


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


def _blocks_syntax(
    src: Source,
    heading: Heading,
    heading_index: int,
    texts: tuple[str, str, str],
    ranges: tuple[tuple[int, int], tuple[int, int]],
) -> tuple[list[list[Cloze]], list[Link]]:
    """Cloze deletions (per block) and links of the heading, prompt and answer."""
    path = src.path
    masked = src.masked
    groups: list[list[Cloze]] = [[], [], []]
    links: list[Link] = []
    for n, text in enumerate(texts):
        if "{{" not in text and "[[" not in text:
            continue
        if n == 0:
            t0, t1 = heading.title_span
            mtext = masked[heading_index][t0:t1]
            first = heading_index + 1
        else:
            r0, r1 = ranges[n - 1]
            mtext = "\n".join(masked[r0:r1])
            first = r0 + 1
        if "{{" in mtext:
            groups[n] = find_clozes(text, mtext, path=path, first_line=first)
        if "[[" in mtext:
            links.extend(_links(text, mtext, first))
    return groups, links


def build_note(
    src: Source,
    heading: Heading,
    heading_index: int,
    body_end: int,
    section_path: tuple[str, ...],
    warnings: list[ParseWarning],
    notetypes: Mapping[str, NoteType] | None = None,
    deck_title: str = "",
    fields: Sequence[str] = (),
) -> Note | None:
    """The note whose heading is at `heading_index` and body runs to `body_end` (exclusive).

    Returns None (with a warning) for an empty card. Raises `DeckFormatError` for cloze
    braces that never close, a task list without `[x]` in a prompt, and a note type the
    deck does not declare (`notetypes` holds its declared ones). `fields`: a note type's
    field values as its lines read, from the writer of those lines (`template_note`).
    """
    # This runs once per note of the library: it is written for speed (inlined trims,
    # plain strings for NewType ids, cards built by `_fast`).
    path = src.path
    lines = src.lines
    masked = src.masked
    line_no = heading_index + 1
    start, end = line_no, body_end
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    last = end  # exclusive end of the note's own lines (tags line included)
    tags: tuple[str, ...] = ()
    if end > start and masked[end - 1].startswith("Tags:"):
        tags = _tag_list(lines[end - 1][5:])
        end -= 1
        while end > start and not lines[end - 1].strip():
            end -= 1
    if heading.notetype is not None:
        return template_note(
            src,
            heading,
            heading_index,
            (start, end, last),
            section_path,
            tags,
            notetypes or {},
            deck_title,
            warnings,
            fields,
        )
    separator = -1
    for index in range(start, end):
        row = masked[index]
        if "?" in row and row.strip() == "?":
            separator = index
            break
    if separator >= 0:
        prompt_range = _trim(lines, start, separator)
        answer_range = _trim(lines, separator + 1, end)
        prompt = "\n".join(lines[prompt_range[0] : prompt_range[1]])
    else:
        prompt_range = (start, start)
        answer_range = (start, end)
        prompt = ""
    answer = "\n".join(lines[answer_range[0] : answer_range[1]])
    title = heading.title

    # Cloze deletions and links, in reading order: heading, prompt, answer.
    if (
        "{{" in title
        or "[[" in title
        or "{{" in prompt
        or "[[" in prompt
        or "{{" in answer
        or ("[[" in answer)
    ):
        groups, links = _blocks_syntax(
            src, heading, heading_index, (title, prompt, answer), (prompt_range, answer_range)
        )
        is_cloze = bool(groups[0] or groups[1] or groups[2])
        links_t: tuple[Link, ...] = tuple(links)
    else:
        groups = []
        is_cloze = False
        links_t = ()
    if not is_cloze and _blank(prompt) and _blank(answer):
        warnings.append(ParseWarning(path, line_no, "empty card"))
        return None

    note_id = heading.id
    base = note_id if note_id is not None else ""
    reverse = "reverse" in heading.classes
    cloze_numbers: tuple[int, ...] = ()
    choices: tuple[Choice, ...] = ()
    # Every card of the note shares these fields; each card copies and completes them.
    shared: dict[str, Any] = {
        "note_id": base,
        "file": path,
        "title": title,
        "line_start": line_no,
        "line_end": last,
        "section_path": section_path,
        "links": links_t,
        "tags": tags,
        "cloze": None,
        "choices": (),
    }
    if is_cloze:
        numbered = number_clozes(groups)
        cloze_numbers = tuple(sorted({c.number for g in numbered for c in g if c.number}))
        front = write_numbers(prompt, numbered[1])
        back = write_numbers(answer, numbered[2])
        if separator < 0:
            # Without `?` the body is the cloze text: it is the front (masked) and,
            # revealed, the back; nothing extra follows it.
            front, back = back, ""
        shared["title"] = write_numbers(title, numbered[0])
        if reverse:
            warnings.append(ParseWarning(path, line_no, "{.reverse} is ignored on a cloze card"))
        cards = tuple(
            _fast(
                Card,
                {
                    **shared,
                    "id": f"{base}:c{n}",
                    "kind": CardKind.CLOZE,
                    "prompt": front,
                    "answer": back,
                    "cloze": n,
                },
            )
            for n in cloze_numbers
        )
    else:
        body = prompt if separator >= 0 else answer
        found: list[Choice] = []
        if "[ ]" in body or "[x]" in body or "[X]" in body:
            choice_range = prompt_range if separator >= 0 else answer_range
            found, rows = _choices(src, *choice_range)
            if found and not any(c.correct for c in found):
                if separator >= 0:
                    raise DeckFormatError(
                        path,
                        rows[0] + 1,
                        "task list in the prompt has no [x]: mark the correct choices",
                    )
                found = []  # an answer that is a to-do list, not a question
        if found:
            choices = tuple(found)
            skip = set(rows)
            kept = [lines[i] for i in range(*choice_range) if i not in skip]
            if reverse:
                warnings.append(
                    ParseWarning(path, line_no, "{.reverse} is ignored on a multiple-choice card")
                )
            shared.update(
                id=base,
                kind=CardKind.CHOICE,
                prompt=_join(kept, 0, len(kept)),
                answer=answer if separator >= 0 else "",
                choices=choices,
            )
            cards = (_fast(Card, shared),)
        else:
            front_card = _fast(
                Card,
                {**shared, "id": base, "kind": CardKind.BASIC, "prompt": prompt, "answer": answer},
            )
            if reverse:
                shared.update(id=f"{base}:r", kind=CardKind.REVERSE, prompt=answer, answer=prompt)
                cards = (front_card, _fast(Card, shared))
            else:
                cards = (front_card,)
    return _fast(
        Note,
        {
            "id": note_id,
            "file": path,
            "title": title,
            "level": heading.level,
            "line_start": line_no,
            "line_end": last,
            "section_path": section_path,
            "prompt": prompt,
            "answer": answer,
            "reverse": reverse,
            "choices": choices,
            "cloze_numbers": cloze_numbers,
            "links": links_t,
            "tags": tags,
            "content_hash": content_hash(src, heading, heading_index, last),
            "cards": cards,
        },
    )
