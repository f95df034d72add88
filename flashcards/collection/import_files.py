"""Which deck files an import writes: notes the library holds already are updated in the
file that holds them now (left alone where Anki did not edit them, or where the incoming
copy is not newer than the one here), new notes appended or written as new decks, and the
note types they use declared in each file's front matter."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select

from flashcards.core.model import NoteId
from flashcards.interop.bundle import ImportBundle
from flashcards.interop.merge import (
    block_digest,
    declare_notetypes,
    merge_notes,
    note_sources,
    used_notetypes,
)
from flashcards.storage import models as m

if TYPE_CHECKING:
    from flashcards.collection.transfer import TransferMixin

# Interop writes every card heading as `## Title {#id ...}` on one line.
_HEADING_ID = re.compile(r"^#{1,6} .*\{#([A-Za-z0-9_-]+)", re.M)


def _owners(col: TransferMixin) -> dict[str, str]:
    """Note id -> library key of the deck file that holds it now."""
    col.sync()
    with col._read() as s:
        return {
            r[0]: r[1]
            for r in s.execute(
                select(m.Note.id, m.Deck.key).join(m.Deck, m.Deck.id == m.Note.deck_id)
            )
        }


class FilePlan(NamedTuple):
    """What `plan_files` decided: the deck files to write; the notes it left as they are
    because the incoming copy is older than the one here (one as old is left silently:
    the same version); and, per file written, the notes whose incoming text it put there."""

    files: dict[str, bytes]
    older: frozenset[str]
    placed: dict[str, set[str]]


def plan_files(
    col: TransferMixin,
    bundle: ImportBundle,
    owners: dict[str, str],
    *,
    last_seen: Mapping[str, str] | None = None,
    versions: Mapping[str, str] | None = None,
) -> FilePlan:
    """Deck files to write: existing notes updated where they live, new ones appended.

    `owners` maps each note id already in the library to its deck file. `last_seen` maps
    note ids to the fingerprint of their Anki fields when we last exported or imported
    them: a note whose incoming fingerprint is unchanged was not edited on the other side,
    so its text here (perhaps edited since) is kept rather than overwritten. `versions`
    maps note ids to what the last import that wrote them brought (`version_entry`): a
    note is updated only from a copy newer than that, or than the note's edit here.
    """
    last_seen = last_seen or {}
    updates: dict[str, dict[NoteId, str]] = {}
    files: dict[str, str] = {}
    older: set[str] = set()
    placed: dict[str, set[str]] = {}
    current = _Current(col)
    for path, text in bundle.decks.items():
        target = col.library / path
        if not target.exists() and (
            not owners or not any(i in owners for i in _HEADING_ID.findall(text))
        ):
            files[path] = text  # a new deck of new notes: the common first import
            placed[path] = set(_HEADING_ID.findall(text))
            continue
        _head, sources = note_sources(text, path=path)
        unchanged: set[str] = {
            nid
            for nid in sources
            if nid in owners and nid in last_seen and last_seen[nid] == bundle.fingerprints.get(nid)
        }
        if versions and bundle.mods:
            ages = _ages(
                (n for n in sources if n in owners and n not in unchanged),
                owners,
                bundle.mods,
                versions,
                current,
            )
            older.update(n for n, age in ages.items() if age < 0)
            unchanged.update(n for n, age in ages.items() if age <= 0)
        sources = {nid: src for nid, src in sources.items() if nid not in unchanged}
        elsewhere = {nid for nid in sources if owners.get(nid, path) != path}
        for nid in elsewhere:
            updates.setdefault(owners[nid], {})[NoteId(nid)] = sources[nid]
        if target.is_file():
            current_text = target.read_bytes().decode("utf-8")
            _, present = note_sources(current_text, path=path)
            files[path] = merge_notes(
                current_text,
                path=path,
                replace={nid: src for nid, src in sources.items() if nid in present},
                append=[
                    src
                    for nid, src in sources.items()
                    if nid not in present and nid not in elsewhere
                ],
            )
            placed.setdefault(path, set()).update(n for n in sources if n not in elsewhere)
        elif len(elsewhere) < len(sources):
            files[path] = merge_notes(text, path=path, remove=elsewhere)
            placed.setdefault(path, set()).update(n for n in sources if n not in elsewhere)
    for key, replace in updates.items():
        current_text = files.get(key) or col.deck_path(key).read_bytes().decode("utf-8")
        files[key] = merge_notes(current_text, path=key, replace=replace)
        placed.setdefault(key, set()).update(replace)
    if bundle.notetypes:
        # Notes of a declared note type need it in the front matter of whatever file they
        # are merged into (and a changed definition replaces the old one there).
        for key, text in files.items():
            used = used_notetypes(text) & bundle.notetypes.keys()
            if used:
                files[key] = declare_notetypes(
                    text, {k: bundle.notetypes[k] for k in used}, path=key
                )
    out = {}
    for key, text in files.items():
        data = text.encode("utf-8")
        existing = col.library / key
        if not (existing.is_file() and existing.read_bytes() == data):  # unchanged: leave be
            out[key] = data
    return FilePlan(out, frozenset(older), {k: v for k, v in placed.items() if k in out})


def version_entry(mod: int, digest: str = "") -> str:
    """What the setting of imported versions holds for a note: the Anki `mod` of the
    copy last imported, and the digest of the note's lines as that import wrote them
    (empty: the import did not write them)."""
    return f"{mod}:{digest}"


def read_entry(entry: str) -> tuple[int, str]:
    """(mod, digest) of a `version_entry`; (0, "") for one unreadable."""
    held, _, digest = entry.partition(":")
    try:
        return int(held), digest
    except ValueError:
        return 0, ""


class _Current:
    """The notes of deck files as they are now, and each file's modification time
    (epoch seconds), read once per file."""

    def __init__(self, col: TransferMixin) -> None:
        self.col = col
        self.read: dict[str, tuple[dict[NoteId, str], int]] = {}

    def __call__(self, key: str) -> tuple[dict[NoteId, str], int]:
        if key not in self.read:
            path = self.col.deck_path(key)
            text = path.read_bytes().decode("utf-8")
            self.read[key] = (note_sources(text, path=key)[1], int(path.stat().st_mtime))
        return self.read[key]


def _ages(
    ids: Iterable[str],
    owners: Mapping[str, str],
    mods: Mapping[NoteId, int],
    versions: Mapping[str, str],
    current: _Current,
) -> dict[str, int]:
    """For those of `ids` (notes the library holds) that came with a time before, how
    much newer the incoming copy is than the one here (seconds; Anki updates a note only
    from a newer one). The one here is as new as the copy last imported, or, edited in
    its file since that import wrote it (its lines differ from what it wrote), as the file."""
    out: dict[str, int] = {}
    for nid in ids:
        incoming = mods.get(NoteId(nid))
        entry = versions.get(nid)
        if incoming is None or entry is None:
            continue  # never imported with a time (an export's note, a CSV row): no rule
        local, digest = read_entry(entry)
        if digest:
            sources, mtime = current(owners[nid])
            src = sources.get(NoteId(nid))
            if src is not None and block_digest(src) != digest:
                local = max(local, mtime)  # edited here since
        out[nid] = incoming - local
    return out
