"""One card heading and its body → a `Note` and its `Card`s."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import MISSING, dataclass, fields
from typing import Any, TypeVar

from flashcards.core.cloze import Cloze, find_clozes, number_clozes, write_numbers
from flashcards.core.errors import DeckFormatError
from flashcards.core.headings import Heading
from flashcards.core.links import parse_link_text
from flashcards.core.model import Card, CardId, CardKind, Choice, Link, Note, NoteId, ParseWarning

_T = TypeVar("_T")

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


def _fast(cls: type[_T], values: dict[str, Any]) -> _T:
    """Build a frozen Card or Note without its `__init__`.

    A frozen dataclass's `__init__` sets each field through `object.__setattr__`:
    ~4 µs per card, a fifth of the parse time of a large library. Defaults are filled
    in first, so a field added to the model later is never missing (tests compare
    against the real constructor).
    """
    obj = object.__new__(cls)
    state = obj.__dict__
    state.update(_DEFAULTS[cls])
    state.update(values)
    return obj


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


def _split(src: Source, start: int, end: int) -> tuple[int, tuple[int, int], tuple[int, int]]:
    """The `?` line (or -1) and the trimmed prompt and answer line ranges of a body."""
    masked = src.masked
    for index in range(start, end):
        row = masked[index]
        if "?" in row and row.strip() == "?":
            lines = src.lines
            return index, _trim(lines, start, index), _trim(lines, index + 1, end)
    return -1, (start, start), (start, end)


def build_note(
    src: Source,
    heading: Heading,
    heading_index: int,
    body_end: int,
    section_path: tuple[str, ...],
    warnings: list[ParseWarning],
) -> Note | None:
    """The note whose heading is at `heading_index` and body runs to `body_end` (exclusive).

    Returns None (with a warning) for an empty card. Raises `DeckFormatError` for cloze
    braces that never close and a task list without `[x]` in a prompt.
    """
    path = src.path
    lines = src.lines
    masked = src.masked
    line_no = heading_index + 1
    start, end = _trim(lines, heading_index + 1, body_end)
    last = end  # exclusive end of the note's own lines (tags line included)
    tags: tuple[str, ...] = ()
    if end > start and masked[end - 1].startswith("Tags:"):
        raw = lines[end - 1][5:]
        tags = tuple(dict.fromkeys(t for t in _TAG_SPLIT.split(raw) if t))
        start, end = _trim(lines, start, end - 1)
    separator, prompt_range, answer_range = _split(src, start, end)
    prompt = "\n".join(lines[prompt_range[0] : prompt_range[1]])
    answer = "\n".join(lines[answer_range[0] : answer_range[1]])
    title = heading.title

    # Cloze deletions and links, in reading order: heading, prompt, answer.
    groups: list[list[Cloze]] = [[], [], []]
    links: list[Link] = []
    t0, t1 = heading.title_span
    blocks = (
        (title, None, line_no, (t0, t1)),
        (prompt, prompt_range, prompt_range[0] + 1, None),
        (answer, answer_range, answer_range[0] + 1, None),
    )
    for n, (text, rng, first, span) in enumerate(blocks):
        if "{{" not in text and "[[" not in text:
            continue
        if rng is not None:
            mtext = "\n".join(masked[rng[0] : rng[1]])
        else:
            assert span is not None
            mtext = masked[heading_index][span[0] : span[1]]
        if "{{" in mtext:
            groups[n] = find_clozes(text, mtext, path=path, first_line=first)
        if "[[" in mtext:
            links.extend(_links(text, mtext, first))

    is_cloze = bool(groups[0] or groups[1] or groups[2])
    if not prompt and not answer and not is_cloze:
        warnings.append(ParseWarning(path, line_no, "empty card"))
        return None

    note_id = NoteId(heading.id) if heading.id is not None else None
    base = note_id if note_id is not None else ""
    reverse = "reverse" in heading.classes
    links_t = tuple(links)
    cards: list[Card] = []
    cloze_numbers: tuple[int, ...] = ()
    choices: tuple[Choice, ...] = ()

    def card(card_id: str, kind: CardKind, front: str, back: str, **extra: Any) -> Card:
        values = {
            "id": CardId(card_id),
            "note_id": NoteId(base),
            "kind": kind,
            "file": path,
            "title": title,
            "prompt": front,
            "answer": back,
            "line_start": line_no,
            "line_end": last,
            "section_path": section_path,
            "cloze": None,
            "choices": (),
            "links": links_t,
            "tags": tags,
        }
        if extra:
            values.update(extra)
        return _fast(Card, values)

    if is_cloze:
        numbered = number_clozes(groups)
        cloze_numbers = tuple(sorted({c.number for g in numbered for c in g if c.number}))
        front = write_numbers(prompt, numbered[1])
        back = write_numbers(answer, numbered[2])
        if separator < 0:
            # Without `?` the body is the cloze text: it is the front (masked) and,
            # revealed, the back; nothing extra follows it.
            front, back = back, ""
        card_title = write_numbers(title, numbered[0])
        if reverse:
            warnings.append(ParseWarning(path, line_no, "{.reverse} is ignored on a cloze card"))
        for n in cloze_numbers:
            cards.append(
                card(f"{base}:c{n}", CardKind.CLOZE, front, back, cloze=n, title=card_title)
            )
    else:
        choice_range = prompt_range if separator >= 0 else answer_range
        body = prompt if separator >= 0 else answer
        found: list[Choice] = []
        rows: list[int] = []
        if "[ ]" in body or "[x]" in body or "[X]" in body:
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
            front = _join(kept, 0, len(kept))
            back = answer if separator >= 0 else ""
            cards.append(card(base, CardKind.CHOICE, front, back, choices=choices))
        else:
            cards.append(card(base, CardKind.BASIC, prompt, answer))
            if reverse:
                cards.append(card(f"{base}:r", CardKind.REVERSE, answer, prompt))
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
            "cards": tuple(cards),
        },
    )
