"""`[[Title]]`, `[[Title|text]]`, `[[file#Title]]` links between notes.

A bar in a title is written `\\|` (`[[Precision \\| recall]]`): a bare `|` starts the text.

Titles match case-insensitively with whitespace collapsed. A link looks in its own
file first, then the whole library (files in path order); `file#` restricts the search
to that file, named by its library path with or without `.md`, or by its stem. When no
deck is called `file`, the whole `file#Title` is tried as a title (titles such as
`C# basics` hold a `#`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from flashcards.core.model import Deck, Link, NoteId, ParseWarning

_SPACE = re.compile(r"\s+")
_BAR = re.compile(r"(?<!\\)\|")  # the first bar not escaped ends the title


def split_link(inner: str) -> tuple[str, str | None]:
    """`Title|text` as (title, text or None); an escaped bar `\\|` is part of the title."""
    bar = _BAR.search(inner)
    target, label = (inner, None) if bar is None else (inner[: bar.start()], inner[bar.end() :])
    return target.replace("\\|", "|"), label


def link_title(title: str) -> str:
    """`title` as written between `[[` and `]]`: its bars escaped, so none starts a text."""
    return title.replace("|", "\\|")


def parse_link_text(inner: str, *, line: int = 0) -> Link | None:
    """The text between `[[` and `]]` as a Link; None when it names no title.

    `file#Title` names a deck file; a `#` followed by a space (`C# basics`) is part of
    the title, and `#Title` with nothing before it is just a title.
    """
    target, label = split_link(inner)
    file: str | None = None
    head, hash_, tail = target.partition("#")
    if hash_ and not head.strip():
        target = tail
    elif hash_ and tail[:1] not in (" ", "\t"):
        file, target = head.strip(), tail
    target = target.strip()
    if not target:
        return None
    return Link(target=target, file=file, text=None if label is None else label.strip(), line=line)


def normalise_title(title: str) -> str:
    """The form titles are compared in: casefolded, whitespace collapsed."""
    return _SPACE.sub(" ", title).strip().casefold()


def _file_keys(file: str) -> set[str]:
    """The names a link may use for deck `file`: path, path without `.md`, stem."""
    pure = PurePosixPath(file)
    keys = {file.casefold(), pure.stem.casefold()}
    if pure.suffix.lower() == ".md":
        keys.add(str(pure.with_suffix("")).casefold())
    return keys


@dataclass
class TitleIndex:
    """Normalised title → (file, note id) in library order, and file-name lookups."""

    by_title: dict[str, list[tuple[str, NoteId]]] = field(default_factory=dict)
    files: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, decks: Sequence[Deck]) -> TitleIndex:
        """Index every note with an id; decks are taken in path order."""
        index = cls()
        for deck in sorted(decks, key=lambda d: d.file):
            for key in _file_keys(deck.file):
                index.files.setdefault(key, []).append(deck.file)
            for note in deck.notes:
                if note.id is not None:
                    key = normalise_title(note.title)
                    index.by_title.setdefault(key, []).append((deck.file, note.id))
        return index

    def candidates(self, link: Link, *, from_file: str) -> list[tuple[str, NoteId]]:
        """Every note the link could mean, best first (same file, then library order)."""
        if link.file is not None:
            files = self.files.get(link.file.strip().casefold())
            if files:
                wanted = set(files)
                hits = self.by_title.get(normalise_title(link.target), [])
                return [h for h in hits if h[0] in wanted]
            # No such deck: the `#` belongs to the title.
            hits = self.by_title.get(normalise_title(f"{link.file}#{link.target}"), [])
        else:
            hits = self.by_title.get(normalise_title(link.target), [])
        return sorted(hits, key=lambda h: h[0] != from_file)


def link_target(link: Link, *, from_file: str, index: TitleIndex) -> NoteId | None:
    """The id of the note `link` (written in `from_file`) points to, or None."""
    hits = index.candidates(link, from_file=from_file)
    return hits[0][1] if hits else None


def _written(link: Link) -> str:
    target = link_title(link.target)
    inner = target if link.file is None else f"{link.file}#{target}"
    return f"[[{inner}]]"


def resolve_links(
    decks: Sequence[Deck],
) -> tuple[dict[tuple[NoteId, int], NoteId], list[ParseWarning]]:
    """Resolve every link of every note with an id.

    Returns (source note id, index in `Note.links`) → target note id, and warnings for
    links that match nothing or more than one note (the first match is used).
    """
    index = TitleIndex.build(decks)
    resolved: dict[tuple[NoteId, int], NoteId] = {}
    warnings: list[ParseWarning] = []
    for deck in decks:
        for note in deck.notes:
            for position, link in enumerate(note.links):
                hits = index.candidates(link, from_file=deck.file)
                if not hits:
                    warnings.append(
                        ParseWarning(deck.file, link.line, f"link {_written(link)} matches no card")
                    )
                    continue
                same_file = [h for h in hits if h[0] == hits[0][0]]
                if len(same_file) > 1 or (hits[0][0] != deck.file and len(hits) > 1):
                    warnings.append(
                        ParseWarning(
                            deck.file,
                            link.line,
                            f"link {_written(link)} matches {len(hits)} cards; "
                            f"using the one in {hits[0][0]}",
                        )
                    )
                if note.id is not None:
                    resolved[(note.id, position)] = hits[0][1]
    return resolved, warnings
