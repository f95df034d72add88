"""New decks and cards for people who never want to see Markdown: the dialogs'
fields become the same deck-format text a person would write."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from flashcards.collection.collection import Collection
from flashcards.collection.editing import _apply, _clean, _join, _lines, _newline
from flashcards.core.errors import FlashcardsError
from flashcards.core.model import CardKind, NoteId
from flashcards.core.parser import parse_deck
from flashcards.interop.html_md import one_line_title

__all__ = ["append_note", "card_markdown", "deck_markdown", "new_deck"]


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug or "deck"


def _yaml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string


def deck_markdown(*, title: str, domain: str | None = None, description: str = "") -> str:
    """The text of a new, empty deck file."""
    front = [f"title: {_yaml_str(title.strip())}"]
    if domain and domain.strip():
        front.append(f"domain: {_yaml_str(domain.strip())}")
    body = description.strip()
    return "---\n" + "\n".join(front) + "\n---\n\n" + (body + "\n" if body else "")


def new_deck(
    col: Collection,
    *,
    title: str,
    domain: str | None = None,
    folder: str = "",
    description: str = "",
) -> str:
    """Create a deck file in the library (in `folder`, relative) and sync; returns its key."""
    if not title.strip():
        raise FlashcardsError("a deck needs a title")
    parent = col.library / folder if folder else col.library
    if col.library.resolve() not in [parent.resolve(), *parent.resolve().parents]:
        raise FlashcardsError(f"{folder!r} is not a folder inside the library")
    parent.mkdir(parents=True, exist_ok=True)
    base = _slug(title)
    path, n = parent / f"{base}.md", 2
    while path.exists():
        path, n = parent / f"{base}-{n}.md", n + 1
    data = deck_markdown(title=title, domain=domain, description=description).encode("utf-8")
    _apply(col, "New Deck", {path: data}, touched_notes=[])
    return path.relative_to(col.library).as_posix()


def _one_line(text: str) -> str:
    return " ".join(text.split())


_BLANK = re.compile(r"\{\{(?:c\d+::)?(.*?)(?:::(.*?))?\}\}", re.DOTALL)


def _masked_title(line: str) -> str:
    """A cloze card's heading from its first line: every blank as `…` (or its hint in
    brackets), as an imported Anki cloze note is titled, so it gives no answer away."""
    masked = _BLANK.sub(
        lambda m: f"({m.group(2).strip()})" if (m.group(2) or "").strip() else "…", line
    )
    return one_line_title(masked, fallback="…")


def card_markdown(
    *,
    kind: CardKind,
    front: str,
    back: str = "",
    title: str = "",
    options: Sequence[tuple[str, bool]] = (),
    tags: Sequence[str] = (),
    reverse: bool = False,
) -> str:
    """A note in the deck format, for people who never write the Markdown themselves.

    Basic/reverse: the heading is `title` (or the front's first line), the rest of the
    front is the prompt. Cloze: `front` holds `{{…}}` deletions. Choice: `options` are
    (text, correct) pairs. `back` is the answer (extra notes for cloze).
    """
    front = front.strip().replace("\r\n", "\n")
    back = back.strip().replace("\r\n", "\n")
    first, _, rest = front.partition("\n")
    heading = _one_line(title) or _one_line(first)
    prompt = rest.strip() if not _one_line(title) else front
    if kind is CardKind.CLOZE:
        if "{{" not in front:
            raise FlashcardsError("a cloze card needs a {{deletion}} in its text")
        # The heading shows on the question side: never with a blank's answer in it.
        heading = _one_line(title) or _masked_title(first)
        prompt = front
    if not heading:
        raise FlashcardsError("a card needs a front")
    attrs = (
        " {.reverse}"
        if (reverse or kind is CardKind.REVERSE) and kind in (CardKind.BASIC, CardKind.REVERSE)
        else ""
    )
    parts = [f"## {heading}{attrs}"]
    if kind is CardKind.CHOICE:
        if not any(correct for _, correct in options):
            raise FlashcardsError("mark at least one option as correct")
        lines = [
            f"- [{'x' if correct else ' '}] {_one_line(t)}" for t, correct in options if t.strip()
        ]
        parts.extend([p for p in (prompt,) if p])
        parts.append("\n".join(lines))
        if back:
            parts.extend(["?", back])
    elif prompt:
        parts.extend([prompt, "?", back] if back else [prompt])
    elif back:
        parts.append(back)
    else:
        raise FlashcardsError("a card needs a back")
    clean = _clean(tags)
    if clean:
        parts.append("Tags: " + ", ".join(clean))
    return "\n".join(parts) + "\n"


def append_note(col: Collection, deck: str, markdown: str) -> NoteId:
    """Append a note's Markdown to deck file `deck`, sync, and return the note's new id."""
    path = col.deck_path(deck)
    data = path.read_bytes()
    newline = _newline(data)
    lines = _lines(data)
    while lines and not lines[-1].strip():
        lines.pop()
    before = {n.id for n in parse_deck(data, path=deck).deck.notes}
    added = markdown.replace("\r\n", "\n").strip("\n").encode("utf-8").split(b"\n")
    lines.extend([b"", *added, b""])
    _apply(col, "New Card", {path: _join(lines, newline)}, touched_notes=[])
    after = parse_deck(path.read_bytes(), path=deck).deck.notes
    fresh = [n.id for n in after if n.id is not None and n.id not in before]
    if not fresh:
        raise FlashcardsError(f"the new card did not appear in {deck}")
    return fresh[-1]
