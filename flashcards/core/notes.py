"""One card heading and its body → a `Note` and its `Card`s."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import MISSING, dataclass, fields
from functools import lru_cache
from typing import Any, TypeVar

from flashcards.core.cloze import Cloze, find_clozes, number_clozes, write_numbers
from flashcards.core.errors import DeckFormatError
from flashcards.core.headings import Heading
from flashcards.core.links import parse_link_text
from flashcards.core.model import (
    Card,
    CardKind,
    Choice,
    Link,
    Note,
    ParseWarning,
    template_card_id,
)
from flashcards.core.notetypes import NoteType, note_cards, read_fields

_T = TypeVar("_T")

_TAG_SPLIT = re.compile(r"[,\s]+")
_TASK = re.compile(r" {0,3}[-*+][ \t]+\[([ xX])\](?:[ \t]+|$)")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
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


def _blank(text: str) -> bool:
    """True for text that shows nothing: empty, or only HTML comments and whitespace."""
    if "<!--" not in text:
        return not text
    return not _COMMENT.sub("", text).strip()


def _join(lines: Sequence[str], start: int, end: int) -> str:
    start, end = _trim(lines, start, end)
    return "\n".join(lines[start:end])


def _links(text: str, masked: str, first_line: int) -> list[Link]:
    links: list[Link] = []
    line, counted = first_line, 0
    for m in _LINK.finditer(masked):
        line += text.count("\n", counted, m.start())
        counted = m.start()
        link = parse_link_text(text[m.start(1) : m.end(1)], line=line)
        if link is not None:
            links.append(link)
    return links


def _defaults(cls: type) -> dict[str, Any]:
    return {f.name: f.default for f in fields(cls) if f.default is not MISSING}


_DEFAULTS: dict[type, dict[str, Any]] = {Card: _defaults(Card), Note: _defaults(Note)}
_FIELD_COUNT: dict[type, int] = {Card: len(fields(Card)), Note: len(fields(Note))}


def _fast(cls: type[_T], values: dict[str, Any]) -> _T:
    """Build a frozen Card or Note without its `__init__`; `values` becomes its `__dict__`
    (the caller hands over a dict it no longer uses).

    A frozen dataclass's `__init__` sets each field through `object.__setattr__`:
    ~4 µs per card, a fifth of the parse time of a large library. Defaults fill any field
    `values` lacks, so a field added to the model later is never missing (tests compare
    against the real constructor).
    """
    obj = object.__new__(cls)
    if len(values) != _FIELD_COUNT[cls]:
        values = {**_DEFAULTS[cls], **values}
    object.__setattr__(obj, "__dict__", values)
    return obj


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


def content_hash(src: Source, heading: Heading, heading_index: int, end: int) -> str:
    """sha1 of the note's text without its id: for change detection, never identity.

    The heading enters as level, title and classes, so adding or removing the `#id`
    (or reformatting the attribute block) leaves the hash unchanged.
    """
    head = f"{'#' * heading.level} {heading.title} {' '.join(heading.classes)}"
    body = "\n".join(src.lines[heading_index + 1 : end])
    return hashlib.sha1(f"{head}\n{body}".encode("utf-8", "surrogatepass")).hexdigest()


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
) -> Note | None:
    """The note whose heading is at `heading_index` and body runs to `body_end` (exclusive).

    Returns None (with a warning) for an empty card. Raises `DeckFormatError` for cloze
    braces that never close, a task list without `[x]` in a prompt, and a note type the
    deck does not declare (`notetypes` holds its declared ones).
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
        return _template_note(
            src,
            heading,
            heading_index,
            (start, end, last),
            section_path,
            tags,
            notetypes or {},
            deck_title,
            warnings,
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


def _keep_part(keep: tuple[int, ...]) -> str:
    return f"\nkeep={','.join(map(str, keep))}" if keep else ""


def _template_note(
    src: Source,
    heading: Heading,
    heading_index: int,
    span: tuple[int, int, int],
    section_path: tuple[str, ...],
    tags: tuple[str, ...],
    notetypes: Mapping[str, NoteType],
    deck_title: str,
    warnings: list[ParseWarning],
) -> Note | None:
    """A note of a declared note type: its fields, and one card per template that shows one."""
    start, end, last = span
    path, line_no = src.path, heading_index + 1
    key = heading.notetype or ""
    notetype = notetypes.get(key)
    if notetype is None:
        declared = ", ".join(sorted(notetypes)) or "none"
        raise DeckFormatError(
            path,
            line_no,
            f"note type '{key}' is not declared in the front matter's notetypes "
            f"(declared: {declared})",
        )
    title = heading.title
    fields = read_fields(notetype, src.lines, src.masked, start, end, title=title, path=path)
    body = "\n".join(src.lines[start:end])
    masked_body = "\n".join(src.masked[start:end])
    links = tuple(_links(body, masked_body, start + 1)) if "[[" in masked_body else ()
    sides = note_cards(notetype, fields, tags=tags, deck=deck_title, keep=heading.keep)
    beyond = [n for n in heading.keep if n > len(notetype.templates)]
    if beyond:
        warnings.append(
            ParseWarning(
                path,
                line_no,
                f"keep={','.join(map(str, beyond))}: note type '{key}' has "
                f"{len(notetype.templates)} template(s)",
            )
        )
    if not sides:
        warnings.append(
            ParseWarning(path, line_no, f"note type '{key}' gives no card: every front is empty")
        )
        return None
    base = heading.id if heading.id is not None else ""
    shared: dict[str, Any] = {
        "note_id": base,
        "kind": CardKind.TEMPLATE,
        "file": path,
        "title": title,
        "line_start": line_no,
        "line_end": last,
        "section_path": section_path,
        "links": links,
        "tags": tags,
        "cloze": None,
        "choices": (),
    }
    cards = tuple(
        _fast(
            Card,
            {
                **shared,
                "id": template_card_id(base, side.number),
                "prompt": side.prompt,
                "answer": side.answer,
            },
        )
        for side in sides
    )
    digest = content_hash(src, heading, heading_index, last)
    return _fast(
        Note,
        {
            "id": heading.id,
            "file": path,
            "title": title,
            "level": heading.level,
            "line_start": line_no,
            "line_end": last,
            "section_path": section_path,
            "prompt": "",
            "answer": body,
            "reverse": False,
            "choices": (),
            "cloze_numbers": (),
            "links": links,
            "tags": tags,
            # The note type is part of what the cards show: a template edit changes them;
            # so is keep= (which cards there are), written only where a note has one.
            "content_hash": hashlib.sha1(
                f"{digest}\n{key}\n{notetype.digest}{_keep_part(heading.keep)}".encode()
            ).hexdigest(),
            "cards": cards,
            "notetype": key,
            "fields": tuple((name, fields[name]) for name in notetype.fields),
        },
    )
