"""What an import's source is and what it holds: its format (Markdown, Obsidian notes,
Anki, CSV), and for Markdown its decks and media read and checked, and where each lands
in the library. `TransferMixin.import_path` then applies them in one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select

from flashcards.collection.library import MEDIA_SUFFIXES, referenced_media, walk_decks
from flashcards.core.errors import InteropError, NoCardsError
from flashcards.core.media_files import inside
from flashcards.core.parser import parse_deck
from flashcards.interop.bundle import Skipped
from flashcards.interop.detect import markdown_kind, no_cards_in_folder, no_cards_in_markdown
from flashcards.storage import models as m

if TYPE_CHECKING:
    from flashcards.collection.transfer import Progress, TransferMixin

MARKDOWN = "markdown"
# source path -> {"to": the deck file or folder it landed as, "digest": of what was read}
MARKDOWN_IMPORTS = "markdown_imports"
INTEROP_SUFFIXES = {
    ".apkg": "apkg",
    ".colpkg": "colpkg",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
}


def import_kind(source: Path) -> str:
    """The format of `source`: Markdown, Obsidian notes, or one of INTEROP_SUFFIXES."""
    if source.is_dir():
        if (source / ".obsidian").is_dir():
            return "obsidian"
        texts = (
            (source / rel).read_bytes().decode("utf-8", "replace")
            for rel, _ in sorted(walk_decks(source, on_outside_link=lambda _rel: None))
        )
        return markdown_kind(texts)
    suffix = source.suffix.lower()
    if suffix == ".md":
        return markdown_kind([source.read_bytes().decode("utf-8", "replace")])
    if suffix in INTEROP_SUFFIXES:
        return INTEROP_SUFFIXES[suffix]
    raise InteropError(
        str(source),
        "unknown file type (expected .md, a folder, .apkg, .colpkg, .csv, .tsv or .txt)",
    )


class MarkdownSource(NamedTuple):
    """What a Markdown import reads: decks and media keyed where they land, and the
    symbolic links it left out because they lead outside the imported folder; `landing`
    is the deck file or folder it lands as, `digest` one of every file it read."""

    files: dict[str, bytes]
    other: dict[str, bytes]
    outside_links: tuple[str, ...] = ()
    landing: str = ""
    digest: str = ""


class Remembered(NamedTuple):
    """Where a Markdown source landed when last imported, and the digest it had."""

    landing: str
    digest: str


def source_key(source: Path) -> str:
    """How MARKDOWN_IMPORTS names a source: its absolute path."""
    return str(source.resolve())


def remembered_import(col: TransferMixin, source: Path) -> Remembered | None:
    """The last import of `source`, while the deck (or folder) it landed as is there.

    A hand-written file has no `{#id}`s to recognise it by: without this, importing it
    again would land beside the first copy (`name-2.md`) with every card doubled."""
    entry = (col.setting(MARKDOWN_IMPORTS) or {}).get(source_key(source))
    if not isinstance(entry, dict):
        return None
    landing, digest = entry.get("to"), entry.get("digest")
    if not isinstance(landing, str) or not landing or not isinstance(digest, str):
        return None
    landed = col.library / landing
    if not (landed.is_file() if source.is_file() else landed.is_dir()):
        return None
    return Remembered(landing, digest)


def _digest(files: dict[str, bytes], other: dict[str, bytes]) -> str:
    h = hashlib.sha1()
    for kind, items in ((b"deck", files), (b"media", other)):
        for rel, data in sorted(items.items()):
            for part in (kind, rel.encode("utf-8"), str(len(data)).encode(), data):
                h.update(part + b"\0")
    return h.hexdigest()


def read_markdown_source(
    col: TransferMixin,
    source: Path,
    progress: Progress | None,
    *,
    landing: str | None = None,
) -> MarkdownSource:
    """The decks and media of a Markdown file or folder, keyed where they land
    (`landing`: where its last import landed, `remembered_import`).

    A folder is a stranger's: a symbolic link in it (a deck file, an image, a sub-folder)
    whose target lies outside it is not followed, lest `avatar.png -> ~/.ssh/id_rsa`
    copy the key into the library; links that stay inside are followed."""
    from flashcards.collection.transfer import _tick  # transfer imports this module

    files: dict[str, bytes] = {}
    other: dict[str, bytes] = {}
    refused: list[str] = []
    if source.is_file():
        entries = [(source.name, source)]
        base = source.parent
    else:
        entries = [
            (rel, source / rel)
            for rel, _ in sorted(walk_decks(source, on_outside_link=refused.append))
        ]
        base = source
    if not entries:
        raise InteropError(str(source), "no .md deck files found")
    ids_by_file: dict[str, set[str]] = {}
    cards = 0
    for done, (rel, file) in enumerate(entries):
        _tick(progress, done, len(entries), f"reading {rel}")
        data = file.read_bytes()
        result = parse_deck(data, path=str(file))  # the user's path in any error
        ids_by_file[rel] = {n.id for n in result.deck.notes if n.id}
        cards += sum(len(n.cards) for n in result.deck.notes)
        files[rel] = data
        for media in referenced_media(file, data.decode("utf-8", "replace")):
            other[media.relative_to(base.resolve()).as_posix()] = media.read_bytes()
    if not cards:  # an empty deck in the library would only puzzle: say why instead
        if source.is_file():
            text = files[source.name].decode("utf-8", "replace")
            raise NoCardsError(source.name, no_cards_in_markdown(text))
        raise NoCardsError(source.name, no_cards_in_folder(len(entries)))
    if source.is_dir():
        top = source.resolve()
        for item in sorted(source.rglob("*")):
            rel_parts = item.relative_to(source).parts
            if (
                item.is_file()
                and not any(p.startswith(".") for p in rel_parts)
                and (item.suffix.lower() in MEDIA_SUFFIXES or item.name == "exam.toml")
            ):
                if not inside(item.resolve(), top):
                    refused.append(item.relative_to(source).as_posix())
                    continue
                other[item.relative_to(source).as_posix()] = item.read_bytes()
    landed = landing or _placement(col, source, ids_by_file)
    if source.is_file():  # the deck as `landed`, its media beside it
        decks, extras = {landed: files[source.name]}, other
    else:
        decks = {f"{landed}/{k}": v for k, v in files.items()}
        extras = {f"{landed}/{k}": v for k, v in other.items()}
    return MarkdownSource(
        decks,
        extras,
        tuple(sorted(refused)),
        landed,
        _digest(files, other),
    )


def outside_links_skipped(source: Path, links: Sequence[str]) -> Skipped:
    """What the import report says of the symbolic links it did not follow."""
    plural = "s" if len(links) != 1 else ""
    return Skipped(
        ", ".join(links),
        f"symbolic link{plural} to outside {source.resolve().name}/ "
        "(an imported folder brings only its own files)",
    )


def _placement(col: TransferMixin, source: Path, ids_by_file: dict[str, set[str]]) -> str:
    """Where an import lands: a file at the library top, a folder under its name.
    An existing deck sharing card ids with the import is the same deck and is
    updated in place; any other clash gets a `-2`, `-3` … suffix."""
    incoming = {i for ids in ids_by_file.values() for i in ids}
    with col._read() as s:
        owned = {
            r[0]: r[1]
            for r in s.execute(
                select(m.Note.id, m.Deck.key).join(m.Deck, m.Deck.id == m.Note.deck_id)
            )
        }
    if source.is_file():
        name, n = source.name, 2
        while (col.library / name).exists() and not any(owned.get(i) == name for i in incoming):
            name, n = f"{source.stem}-{n}.md", n + 1
        return name
    base = source.resolve().name
    folder, n = base, 2
    while (col.library / folder).exists() and not any(
        owned.get(i, "").startswith(folder + "/") for i in incoming
    ):
        folder, n = f"{base}-{n}", n + 1
    return folder
