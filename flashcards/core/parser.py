"""Deck file → `Deck` (front matter, section tree, notes, cards) + warnings.

A line-based state machine: front matter, then literal zones are masked
(`literal.mask_lines`), then each heading outside a literal zone is classified as a
section, a card (a note) or an empty heading, and each note's body is read by
`notes.build_note`. The full rules, with examples, are in `docs/deck-format.md`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from flashcards.core.errors import DeckFormatError
from flashcards.core.frontmatter import humanise_stem, read_front_matter
from flashcards.core.gc_pause import gc_paused
from flashcards.core.headings import Heading, parse_heading
from flashcards.core.literal import mask_lines
from flashcards.core.model import Deck, Note, ParseWarning, Section
from flashcards.core.notes import Source, build_note
from flashcards.core.notetypes import NOTETYPES_KEY, read_notetypes

_HEADING_START = frozenset("# ")

__all__ = ["ParseResult", "decode_deck", "parse_deck", "parse_file", "split_lines"]


@dataclass(frozen=True)
class ParseResult:
    """A parsed deck and the warnings found on the way (never fatal)."""

    deck: Deck
    warnings: tuple[ParseWarning, ...] = ()


def decode_deck(data: bytes | str, *, path: str) -> str:
    """UTF-8 (BOM optional) bytes → text; raises `DeckFormatError` naming the bad line."""
    if isinstance(data, str):
        return data[1:] if data.startswith("\ufeff") else data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DeckFormatError(
            path, line, f"file is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def split_lines(text: str) -> list[str]:
    """Split on LF only, dropping a CR before it; a lone CR stays part of the text."""
    lines = text.split("\n")
    if "\r" in text:
        lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    return lines


def _section_tree(flat: list[tuple[int, Section]]) -> tuple[Section, ...]:
    """Nest (level, section) pairs in file order into a tree."""

    def build(start: int, end: int) -> tuple[Section, ...]:
        out: list[Section] = []
        index = start
        while index < end:
            level, section = flat[index]
            child_end = index + 1
            while child_end < end and flat[child_end][0] > level:
                child_end += 1
            children = build(index + 1, child_end)
            out.append(
                Section(section.title, section.level, section.line, children)
                if children
                else section
            )
            index = child_end
        return tuple(out)

    return build(0, len(flat))


def parse_deck(data: bytes | str, *, path: str) -> ParseResult:
    """Parse one deck file's contents; `path` is its POSIX path relative to the library root.

    Raises only `DeckFormatError`; everything that is not fatal becomes a warning.
    """
    text = decode_deck(data, path=path)
    lines = split_lines(text)
    front = read_front_matter(lines, path=path)
    masked_zone = mask_lines(lines, start=front.end, path=path)
    masked = masked_zone.lines
    warnings: list[ParseWarning] = []
    if masked_zone.unclosed_comment is not None:
        warnings.append(
            ParseWarning(
                path,
                masked_zone.unclosed_comment + 1,
                "HTML comment '<!--' is never closed; the rest of the file is hidden",
            )
        )

    # Pass 1: find the headings (outside literal zones).
    headings: list[tuple[int, Heading]] = []
    ids: dict[str, int] = {}
    # Only lines starting with `#` or a space can be ATX headings.
    candidates = [i for i in range(front.end, len(masked)) if masked[i][:1] in _HEADING_START]
    for index in candidates:
        heading = parse_heading(masked[index], lines[index], path=path, number=index + 1)
        if heading is None:
            continue
        if heading.id is not None:
            first = ids.setdefault(heading.id, index + 1)
            if first != index + 1:
                raise DeckFormatError(
                    path, index + 1, f"id #{heading.id} is already used on line {first}"
                )
        headings.append((index, heading))

    notetypes = (
        read_notetypes(front.meta, path=path, lines=lines[: front.end])
        if NOTETYPES_KEY in front.meta
        else {}
    )
    title = front.title
    if title is None or not title.strip():
        title = humanise_stem(PurePosixPath(path).stem)
    first_heading = headings[0][0] if headings else len(lines)
    description = "\n".join(lines[front.end : first_heading]).strip()
    src = Source(path, lines, masked)

    # Pass 2: classify each heading and build notes.
    notes: list[Note] = []
    sections: list[tuple[int, Section]] = []
    stack: list[tuple[int, str]] = []  # open sections: (level, title)
    section_path: tuple[str, ...] = ()  # the titles in `stack`, rebuilt when it changes
    count = len(headings)
    for k, (index, heading) in enumerate(headings):
        level = heading.level
        body_end = headings[k + 1][0] if k + 1 < count else len(lines)
        if stack and stack[-1][0] >= level:
            while stack and stack[-1][0] >= level:
                stack.pop()
            section_path = tuple(title for _, title in stack)
        has_body = False
        for i in range(index + 1, body_end):
            if lines[i].strip():
                has_body = True
                break
        if level == 1 or (
            not has_body
            and heading.notetype is None
            and k + 1 < count
            and headings[k + 1][1].level > level
        ):
            sections.append((level, Section(heading.title, level, index + 1)))
            stack.append((level, heading.title))
            section_path = tuple(title for _, title in stack)
            continue
        if not has_body and "{{" not in masked[index] and heading.notetype is None:
            warnings.append(ParseWarning(path, index + 1, "heading has no body"))
            continue
        if heading.notetype is None:
            note = build_note(src, heading, index, body_end, section_path, warnings)
        else:
            note = build_note(
                src, heading, index, body_end, section_path, warnings, notetypes, title
            )
        if note is not None:
            notes.append(note)

    deck = Deck(
        file=path,
        title=title,
        domain=front.domain,
        tags=front.tags,
        description=description,
        meta=front.meta,
        sections=_section_tree(sections),
        notes=tuple(notes),
        notetypes=notetypes,
    )
    return ParseResult(deck, tuple(warnings))


def parse_file(file: Path, *, root: Path) -> ParseResult:
    """Read and parse `file`; its deck path is `file` relative to `root`, POSIX style."""
    try:
        path = file.relative_to(root).as_posix()
    except ValueError:
        path = file.as_posix()
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise DeckFormatError(path, None, f"cannot read file: {exc.strerror or exc}") from None
    return parse_deck(data, path=path)


def parse_files(files: Sequence[Path], *, root: Path) -> list[ParseResult]:
    """Parse many deck files (a library) with the cyclic collector paused."""
    with gc_paused():
        return [parse_file(file, root=root) for file in files]
