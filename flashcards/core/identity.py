"""Identity through edits: match a file's freshly parsed notes to its previous index.

Ids are identity. When an external edit deleted a note's `{#id}`, the note is matched
to its old self before it is called new: first by the same title in the same file,
then by close text (difflib ratio ≥ `TEXT_THRESHOLD`). A hash is never identity: an
edited note keeps its history.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from flashcards.core.links import normalise_title
from flashcards.core.model import Note, NoteId

TEXT_THRESHOLD = 0.8
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_SMALL = 64  # up to this many old notes, every one is a text candidate
_DICE_FLOOR = 0.5  # word-set overlap below which a ratio of 0.8 is not worth testing
_RATIO_CANDIDATES = 5


class MatchHow(enum.Enum):
    ID = "id"
    TITLE = "title"
    TEXT = "text"
    NEW = "new"


@dataclass(frozen=True)
class IndexedNote:
    """What the index remembers of a note: enough to recognise it after an edit."""

    id: NoteId
    file: str
    title: str
    text: str  # `note_text(note)` at the time it was indexed

    @classmethod
    def from_note(cls, note: Note) -> IndexedNote:
        """The index entry of a parsed note that has an id."""
        if note.id is None:
            raise ValueError("only notes with an id can be indexed")
        return cls(id=note.id, file=note.file, title=note.title, text=note_text(note))


@dataclass(frozen=True)
class Match:
    """A new note and the old note id it continues (None: a new note)."""

    note: Note
    old_id: NoteId | None
    how: MatchHow


def note_text(note: Note) -> str:
    """The text compared for similarity: title, prompt and answer."""
    return f"{note.title}\n{note.prompt}\n?\n{note.answer}"


def _normalise(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def _tokens(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text))


def _text_pairs(
    old: Sequence[IndexedNote], new: Sequence[Note], positions: Sequence[int]
) -> list[tuple[float, int, NoteId]]:
    """(-ratio, position, old id) for every pair whose text ratio reaches the threshold.

    difflib's ratio is slow (quadratic in the text length), so it only runs on the few
    old notes that share most of their words with the new one: candidates come from an
    index of the rarer words (all old notes when there are few), are ranked by the Dice
    coefficient of the word sets, and the best `_RATIO_CANDIDATES` are compared.
    """
    items = [(o.id, _normalise(o.text)) for o in old]
    words = [_tokens(text) for _, text in items]
    postings: dict[str, list[int]] | None = None
    if len(items) > _SMALL:
        frequency: dict[str, int] = {}
        for ws in words:
            for w in ws:
                frequency[w] = frequency.get(w, 0) + 1
        limit = max(_SMALL // 2, len(items) // 5)
        postings = {}
        for j, ws in enumerate(words):
            for w in ws:
                if frequency[w] <= limit:
                    postings.setdefault(w, []).append(j)
    pairs: list[tuple[float, int, NoteId]] = []
    for position, note in zip(positions, new, strict=True):
        text = _normalise(note_text(note))
        mine = _tokens(text)
        candidates: Iterable[int]
        if postings is None:
            candidates = range(len(items))
        else:
            found: set[int] = set()
            for w in mine:
                found.update(postings.get(w, ()))
            candidates = found
        ranked: list[tuple[float, int]] = []
        for j in candidates:
            theirs = words[j]
            total = len(mine) + len(theirs)
            dice = 2 * len(mine & theirs) / total if total else 1.0
            if dice >= _DICE_FLOOR:
                ranked.append((dice, j))
        if not ranked:
            continue
        ranked.sort(key=lambda r: (-r[0], r[1]))
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(text)
        for _dice, j in ranked[:_RATIO_CANDIDATES]:
            matcher.set_seq1(items[j][1])
            # Both quick ratios are upper bounds of ratio: skip pairs that cannot pass.
            if matcher.real_quick_ratio() < TEXT_THRESHOLD:
                continue
            if matcher.quick_ratio() < TEXT_THRESHOLD:
                continue
            score = matcher.ratio()
            if score >= TEXT_THRESHOLD:
                pairs.append((-score, position, items[j][0]))
    return pairs


def match_notes(old: Sequence[IndexedNote], new: Sequence[Note]) -> list[Match]:
    """Match each of `new` (one file's parsed notes) to `old` (that file's previous index).

    A note with an id keeps it (`ID` when the old index knows it, else `NEW`: the id
    may come from another file). A note without an id takes, in order of preference,
    an unclaimed old note with the same title in the same file, then the unclaimed old
    note with the most similar text (ratio ≥ 0.8), else it is `NEW`.
    Returns one `Match` per new note, in the order given.
    """
    old_by_id = {o.id: o for o in old}
    claimed: set[NoteId] = {n.id for n in new if n.id is not None and n.id in old_by_id}
    result: list[Match | None] = [None] * len(new)
    pending: list[int] = []
    for i, note in enumerate(new):
        if note.id is not None:
            how = MatchHow.ID if note.id in old_by_id else MatchHow.NEW
            result[i] = Match(note, note.id if how is MatchHow.ID else None, how)
        else:
            pending.append(i)

    # Titles: first unclaimed old note with the same title in the same file.
    still: list[int] = []
    by_title: dict[tuple[str, str], list[IndexedNote]] = {}
    for o in old:
        by_title.setdefault((o.file, normalise_title(o.title)), []).append(o)
    for i in pending:
        note = new[i]
        for o in by_title.get((note.file, normalise_title(note.title)), []):
            if o.id not in claimed:
                claimed.add(o.id)
                result[i] = Match(note, o.id, MatchHow.TITLE)
                break
        else:
            still.append(i)

    # Text: best unclaimed old note above the threshold, most similar pairs first.
    if still:
        unclaimed = [o for o in old if o.id not in claimed]
        for score, i, oid in sorted(_text_pairs(unclaimed, [new[i] for i in still], still)):
            del score
            if result[i] is None and oid not in claimed:
                claimed.add(oid)
                result[i] = Match(new[i], oid, MatchHow.TEXT)
    return [m if m is not None else Match(new[i], None, MatchHow.NEW) for i, m in enumerate(result)]
