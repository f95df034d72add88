"""What a note needs besides its own lines when it moves to another deck file.

- Its images and sounds: a relative reference (`media/cat.png`, as Anki imports write
  them) is read from the deck's folder, so in a deck of another folder it is rewritten
  to name the same file from there (`core.media_refs.rebase_media`).
- Its note type: a note of a declared type (`{notetype=vocab}`, every Anki import of a
  non-stock type) needs the declaration in the target deck's front matter too. It is
  added there; a declaration of the same key with another shape is refused before
  anything changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select

from flashcards.collection.collection import Collection
from flashcards.core.errors import DeckFormatError, FlashcardsError
from flashcards.core.frontmatter import load_yaml
from flashcards.core.media_refs import rebase_media
from flashcards.core.notetypes import NOTETYPES_KEY, NoteType
from flashcards.core.parser import parse_deck
from flashcards.interop.deck_writer import dump_front_matter
from flashcards.interop.merge import declare_notetypes
from flashcards.storage import models as m

_BOM = b"\xef\xbb\xbf"


def rebased_lines(lines: list[bytes], *, source: str, dest: str) -> list[bytes]:
    """A note's lines (from deck `source`, library-relative) with their file references
    rewritten to work from deck `dest`; lines that are not UTF-8 stay as they are."""
    try:
        text = b"\n".join(lines).decode("utf-8")
    except UnicodeDecodeError:
        return lines
    new, count = rebase_media(text, source=source, dest=dest)
    return new.encode("utf-8").split(b"\n") if count else lines


def _declarations(data: bytes, *, key: str) -> tuple[dict[str, NoteType], dict[str, object]]:
    """A deck's parsed note types and their declarations as written (key -> mapping)."""
    result = parse_deck(data, path=key)
    text = data.removeprefix(_BOM).decode("utf-8").replace("\r\n", "\n")
    lines = text.split("\n")
    raw: dict[str, object] = {}
    if result.deck.notetypes and lines and lines[0].rstrip() == "---":
        close = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
        loaded = load_yaml("\n".join(lines[1:close]), path=key)
        if isinstance(loaded, dict) and isinstance(loaded.get(NOTETYPES_KEY), dict):
            raw = {str(k): v for k, v in loaded[NOTETYPES_KEY].items()}
    return dict(result.deck.notetypes), raw


def needed_notetypes(
    sources: Mapping[str, tuple[bytes, set[str]]], *, target_key: str, target: bytes
) -> dict[str, dict[str, object]]:
    """The declarations deck `target` lacks for the moved notes: `sources` maps each
    source deck key to its bytes and the note type keys its moved notes use. Raises
    `FlashcardsError` when a key means another note type in the target (or in two
    sources), naming the decks."""
    have, _ = _declarations(target, key=target_key)
    wanted: dict[str, tuple[NoteType, str, dict[str, object]]] = {}
    for key, (data, used) in sorted(sources.items()):
        if not used:
            continue
        types, raw = _declarations(data, key=key)
        for name in sorted(used):
            kind, spec = types.get(name), raw.get(name)
            if kind is None or not isinstance(spec, dict):
                continue  # the source does not parse as it is: the move's check reports it
            other = have.get(name)
            if other is not None and other.digest != kind.digest:
                raise FlashcardsError(
                    f"cannot move: note type '{name}' of {key} is declared differently in "
                    f"{target_key} (rename it in one of the decks first); nothing was changed"
                )
            seen = wanted.get(name)
            if seen is not None and seen[0].digest != kind.digest:
                raise FlashcardsError(
                    f"cannot move: note type '{name}' means different note types in {seen[1]} "
                    f"and {key} (rename it in one of them first); nothing was changed"
                )
            if other is None:
                wanted[name] = (kind, key, {str(k): v for k, v in spec.items()})
    return {name: spec for name, (_, _, spec) in wanted.items()}


def with_notetypes(
    data: bytes, notetypes: Mapping[str, Mapping[str, object]], *, key: str
) -> bytes:
    """Deck bytes `data` whose front matter also declares `notetypes`, its line endings
    and byte order mark kept. Without a `notetypes:` key yet, the declarations go just
    above the closing `---` and nothing else changes; merged into existing ones, the
    front matter is written anew (`interop.merge.declare_notetypes`)."""
    if not notetypes:
        return data
    bom = data.startswith(_BOM)
    crlf = b"\r\n" in data
    text = data.removeprefix(_BOM).decode("utf-8").replace("\r\n", "\n")
    lines = text.split("\n")
    close = None
    if lines and lines[0].rstrip() == "---":
        close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    block = dump_front_matter({NOTETYPES_KEY: dict(notetypes)}).split("\n")[1:-2]
    if close is None:  # no front matter yet: one holding the declarations
        text = "\n".join(["---", *block, "---", "", *lines])
    elif not any(line.startswith(f"{NOTETYPES_KEY}:") for line in lines[1:close]):
        # Added above the closing `---`: every other byte of the front matter stays.
        text = "\n".join([*lines[:close], *block, *lines[close:]])
    else:
        try:  # merged into the declarations there: the front matter is written anew
            text = declare_notetypes(text, notetypes, path=key)
        except DeckFormatError as exc:
            raise FlashcardsError(f"cannot move: {exc}; nothing was changed") from None
    out = text.encode("utf-8")
    if crlf:
        out = out.replace(b"\n", b"\r\n")
    return _BOM + out if bom else out


def deck_roots(col: Collection, keys: Iterable[str]) -> dict[str, int]:
    """The library root of each deck key (a file reference only works within one)."""
    wanted = list(set(keys))
    with col._read() as s:
        return {
            str(k): int(r)
            for k, r in s.execute(select(m.Deck.key, m.Deck.root_id).where(m.Deck.key.in_(wanted)))
        }
