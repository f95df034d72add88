"""Which deck files an import writes: notes the library holds already are updated in the
file that holds them now (left alone where Anki did not edit them), new notes appended or
written as new decks, and the note types they use declared in each file's front matter."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from sqlalchemy import select

from flashcards.core.model import NoteId
from flashcards.interop.bundle import ImportBundle
from flashcards.interop.merge import (
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


def plan_files(
    col: TransferMixin,
    bundle: ImportBundle,
    owners: dict[str, str],
    *,
    last_seen: Mapping[str, str] | None = None,
) -> dict[str, bytes]:
    """Deck files to write: existing notes updated where they live, new ones appended.

    `owners` maps each note id already in the library to its deck file. `last_seen` maps
    note ids to the fingerprint of their Anki fields when we last exported or imported
    them: a note whose incoming fingerprint is unchanged was not edited on the other side,
    so its text here (perhaps edited since) is kept rather than overwritten.
    """
    last_seen = last_seen or {}
    updates: dict[str, dict[NoteId, str]] = {}
    files: dict[str, str] = {}
    for path, text in bundle.decks.items():
        target = col.library / path
        if not target.exists() and (
            not owners or not any(i in owners for i in _HEADING_ID.findall(text))
        ):
            files[path] = text  # a new deck of new notes: the common first import
            continue
        _head, sources = note_sources(text, path=path)
        unchanged = {
            nid
            for nid in sources
            if nid in owners and nid in last_seen and last_seen[nid] == bundle.fingerprints.get(nid)
        }
        sources = {nid: src for nid, src in sources.items() if nid not in unchanged}
        elsewhere = {nid for nid in sources if owners.get(nid, path) != path}
        for nid in elsewhere:
            updates.setdefault(owners[nid], {})[NoteId(nid)] = sources[nid]
        if target.is_file():
            current = target.read_bytes().decode("utf-8")
            _, present = note_sources(current, path=path)
            files[path] = merge_notes(
                current,
                path=path,
                replace={nid: src for nid, src in sources.items() if nid in present},
                append=[
                    src
                    for nid, src in sources.items()
                    if nid not in present and nid not in elsewhere
                ],
            )
        elif len(elsewhere) < len(sources):
            files[path] = merge_notes(text, path=path, remove=elsewhere)
    for key, replace in updates.items():
        current = files.get(key) or col.deck_path(key).read_bytes().decode("utf-8")
        files[key] = merge_notes(current, path=key, replace=replace)
    if bundle.notetypes:
        # Notes of a declared note type need it in the front matter of whatever file they
        # are merged into (and a changed definition replaces the old one there).
        for key, text in files.items():
            used = used_notetypes(text) & bundle.notetypes.keys()
            if used:
                files[key] = declare_notetypes(text, {k: bundle.notetypes[k] for k in used})
    out = {}
    for key, text in files.items():
        data = text.encode("utf-8")
        existing = col.library / key
        if not (existing.is_file() and existing.read_bytes() == data):  # unchanged: leave be
            out[key] = data
    return out
