"""Obsidian Spaced Repetition notes as decks.

Syntax read (the plugin's defaults): `Q::A` and `Q:::A` (reversed) single-line cards;
multi-line cards of a question, a line `?` (or `??` reversed) and an answer, ending at a
blank line; cloze paragraphs with `==highlight==` (and `{{curly}}` when enabled); and
`<!--SR:!2026-11-30,3,250-->` scheduling comments (one `!date,interval,ease` per card,
in card order), which become initial memory states so due cards stay due.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from flashcards.core.model import CardId, CardKind, MemoryState, NoteId, card_id_for
from flashcards.core.parser import ParseResult
from flashcards.interop.bundle import (
    CardImport,
    ImportBundle,
    MediaFile,
    Progress,
    Skipped,
    fingerprint,
    report_progress,
)
from flashcards.interop.deck_writer import NoteBlock, build_deck, slug, stable_id
from flashcards.interop.history import memory_from_interval
from flashcards.interop.html_md import escape_body, one_line_title, safe_name

_SR = re.compile(r"<!--SR:((?:![^!>]*)+)-->")
_SR_ITEM = re.compile(r"!(\d{4}-\d{2}-\d{2}),(\d+),(\d+)")
_HIGHLIGHT = re.compile(r"==(?!=)(.+?)==")
_CURLY = re.compile(r"\{\{(?!c\d+::)(.+?)\}\}")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_TAGS_ONLY = re.compile(r"^\s*(#[\w/-]+\s*)+$")
_EMBED = re.compile(r"!\[\[([^\]|#]+)(?:\|[^\]]*)?\]\]")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class SrCard:
    question: str
    answer: str
    kind: str  # "basic" | "reversed" | "cloze"
    schedule: tuple[tuple[str, int, int], ...]  # (date, interval, ease) per card
    line: int


def _schedule(text: str) -> tuple[tuple[str, int, int], ...]:
    m = _SR.search(text)
    if m is None:
        return ()
    return tuple((d, int(i), int(e)) for d, i, e in _SR_ITEM.findall(m.group(1)))


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Paragraphs (1-based first line, lines); a fenced code block never splits one."""
    out: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    fenced = False
    for number, line in enumerate(lines, start=1):
        if _FENCE.match(line):
            fenced = not fenced
        if not fenced and not line.strip():
            if current:
                out.append((start, current))
            current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        out.append((start, current))
    return out


def _split_single(line: str) -> tuple[str, str, bool] | None:
    """(question, answer, reversed) for a `Q::A` / `Q:::A` line outside inline code."""
    masked = re.sub(r"`[^`]*`", lambda m: "\0" * len(m.group()), line)
    masked = _SR.sub(lambda m: "\0" * len(m.group()), masked)
    for sep, rev in ((":::", True), ("::", False)):
        pos = masked.find(sep)
        if pos > 0:
            question, answer = line[:pos].strip(), _SR.sub("", line[pos + len(sep) :]).strip()
            if question and answer:
                return question, answer, rev
            return None
    return None


def parse_sr(text: str, *, curly_cloze: bool = False) -> list[SrCard]:
    """The Obsidian-SR cards in a note's text, in order."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            lines = [""] * (end + 1) + lines[end + 1 :]
    cards: list[SrCard] = []
    for start, block in _blocks(lines):
        if _FENCE.match(block[0]):
            continue
        body = [ln for ln in block if not _HEADING.match(ln) and not _TAGS_ONLY.match(ln)]
        trailer = body[-1] if body and _SR.fullmatch(body[-1].strip()) else None
        if trailer is not None:
            body = body[:-1]
        if not body:
            continue
        separator = next((i for i, ln in enumerate(body) if ln.strip() in ("?", "??")), None)
        if separator is not None:
            question = "\n".join(body[:separator]).strip()
            answer = "\n".join(body[separator + 1 :]).strip()
            if question and answer:
                kind = "reversed" if body[separator].strip() == "??" else "basic"
                cards.append(SrCard(question, answer, kind, _schedule(trailer or ""), start))
            continue
        singles = [(i, _split_single(ln)) for i, ln in enumerate(body)]
        found = [(i, s) for i, s in singles if s is not None]
        if found:
            for i, (question, answer, rev) in found:
                schedule = _schedule(body[i]) or (
                    _schedule(trailer) if trailer and i == len(body) - 1 else ()
                )
                cards.append(
                    SrCard(question, answer, "reversed" if rev else "basic", schedule, start + i)
                )
            continue
        paragraph = "\n".join(body).strip()
        if _HIGHLIGHT.search(paragraph) or (curly_cloze and _CURLY.search(paragraph)):
            cards.append(SrCard(paragraph, "", "cloze", _schedule(trailer or ""), start))
    return cards


def _to_cloze(text: str, *, curly_cloze: bool) -> str:
    escaped = text.replace("{{", "&#123;{") if not curly_cloze else text
    return _HIGHLIGHT.sub(lambda m: "{{" + m.group(1) + "}}", escaped)


def _memory(item: tuple[str, int, int]) -> MemoryState | None:
    date, interval, ease = item
    try:
        due = datetime.strptime(date, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None
    return memory_from_interval(interval_days=interval, due=due, ease_percent=ease)


@dataclass
class _Media:
    root: Path
    index: dict[str, Path] | None = None

    def find(self, name: str) -> Path | None:
        if self.index is None:
            self.index = {}
            for p in sorted(self.root.rglob("*")):
                if p.is_file() and not p.is_symlink() and p.suffix.lower() != ".md":
                    self.index.setdefault(p.name, p)
        return self.index.get(PurePosixPath(name).name)


def read_obsidian(
    files: list[Path],
    *,
    root: Path,
    prefix: str = "",
    curly_cloze: bool = False,
    progress: Progress | None = None,
) -> ImportBundle:
    """Obsidian-SR notes (paths under `root`) as one deck file each, with their media."""
    decks: dict[str, str] = {}
    parsed: dict[str, ParseResult] = {}
    cards: dict[CardId, CardImport] = {}
    media: dict[str, MediaFile] = {}
    prints: dict[NoteId, str] = {}
    skipped: list[Skipped] = []
    finder = _Media(root)
    notes = total_cards = 0
    for done, file in enumerate(files):
        report_progress(progress, done, len(files), f"reading {file.name}")
        rel = (
            PurePosixPath(file.relative_to(root).as_posix())
            if file != root
            else PurePosixPath(file.name)
        )
        parts = [slug(p) for p in rel.with_suffix("").parts]
        deck_path = "/".join(filter(None, [prefix.strip("/"), *parts])) + ".md"
        folder = PurePosixPath(deck_path).parent
        text = file.read_bytes().decode("utf-8", errors="replace")

        def embed(m: re.Match[str], folder: PurePosixPath = folder) -> str:
            found = finder.find(m.group(1))
            if found is None:
                return m.group(0)
            name = safe_name(found.name)
            target = str(folder / "media" / name) if str(folder) != "." else f"media/{name}"
            media.setdefault(target, MediaFile(path=target, source=found))
            return f"![](media/{name})"

        blocks: list[NoteBlock] = []
        schedules: dict[NoteId, tuple[SrCard, NoteId]] = {}
        for card in parse_sr(text, curly_cloze=curly_cloze):
            question = escape_body(_EMBED.sub(embed, card.question))
            answer = escape_body(_EMBED.sub(embed, card.answer))
            note_id = stable_id("obsidian", rel.as_posix(), card.question)
            n = 2
            while note_id in schedules:
                note_id, n = stable_id("obsidian", rel.as_posix(), card.question, str(n)), n + 1
            label = f"{rel.as_posix()} line {card.line}"
            if card.kind == "cloze":
                cloze = _to_cloze(question, curly_cloze=curly_cloze)
                title = one_line_title(re.sub(r"\{\{.*?\}\}", "…", cloze))
                blocks.append(NoteBlock(note_id, title, cloze, label=label))
            else:
                title = one_line_title(question)
                prompt = "" if title == question else question
                if not curly_cloze:
                    prompt, answer = (
                        prompt.replace("{{", "&#123;{"),
                        answer.replace("{{", "&#123;{"),
                    )
                blocks.append(
                    NoteBlock(
                        note_id,
                        title,
                        answer,
                        prompt=prompt,
                        reverse=card.kind == "reversed",
                        label=label,
                    )
                )
            schedules[note_id] = (card, note_id)
            prints[note_id] = fingerprint([card.kind, card.question, card.answer])
        if not blocks:
            skipped.append(Skipped(rel.as_posix(), "no spaced-repetition cards found"))
            continue
        built = build_deck(deck_path, title=file.stem, blocks=blocks)
        decks[deck_path] = built.text
        if built.result is not None:
            parsed[deck_path] = built.result
        skipped.extend(built.skipped)
        notes += len(built.notes)
        for note in built.notes:
            total_cards += len(note.cards)
            entry = schedules.get(note.id) if note.id is not None else None
            if entry is None or note.id is None:
                continue
            ordered = _card_order(
                note.id, [c.kind for c in note.cards], [c.cloze for c in note.cards]
            )
            for card_id, item in zip(ordered, entry[0].schedule, strict=False):
                memory = _memory(item)
                if memory is not None:
                    cards[card_id] = CardImport(card_id=card_id, memory=memory)
    return ImportBundle(
        source=root.name if len(files) != 1 else files[0].name,
        decks=decks,
        media=tuple(media.values()),
        cards=cards,
        fingerprints=prints,
        note_count=notes,
        card_count=total_cards,
        skipped=tuple(skipped),
        parsed=parsed,
    )


def _card_order(note_id: NoteId, kinds: list[CardKind], clozes: list[int | None]) -> list[CardId]:
    """Our card ids in the order the SR comment lists them: forward then reverse, or c1, c2…"""
    if CardKind.CLOZE in kinds:
        return [card_id_for(note_id, CardKind.CLOZE, n) for n in sorted(c for c in clozes if c)]
    out = [card_id_for(note_id, CardKind.BASIC)]
    if CardKind.REVERSE in kinds:
        out.append(card_id_for(note_id, CardKind.REVERSE))
    return out
