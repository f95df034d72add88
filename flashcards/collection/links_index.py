"""The links table: `[[Title]]` links between notes, resolved library-wide."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from flashcards.core.links import TitleIndex, _file_keys, link_target, normalise_title
from flashcards.core.model import Link, NoteId
from flashcards.storage import models as m
from flashcards.storage.convert import load_links

_CHUNK = 500


def _title_index(session: Session) -> TitleIndex:
    """The library's title index, straight from the notes table (library path order)."""
    index = TitleIndex()
    # Plain DBAPI rows: this reads every note of the library, ORM rows would triple it.
    rows = session.connection().exec_driver_sql(
        "SELECT n.id, n.title, d.key FROM notes n JOIN decks d ON d.id = n.deck_id "
        "WHERE n.present = 1 ORDER BY d.key, n.position"
    )
    files_seen: set[str] = set()
    by_title = index.by_title
    keys: dict[str, str] = {}  # titles repeat across a library; normalise each once
    for nid, title, key in rows:
        if key not in files_seen:
            files_seen.add(key)
            for name in _file_keys(key):
                index.files.setdefault(name, []).append(key)
        norm = keys.get(title)
        if norm is None:
            norm = keys[title] = normalise_title(title)
        by_title.setdefault(norm, []).append((key, NoteId(nid)))
    return index


def relink(session: Session, deck_ids: Iterable[int]) -> int:
    """Rebuild the link rows of notes in `deck_ids` and re-resolve every link.

    Resolution is always library-wide: a title edit in one file can resolve or break
    links written in any other. Returns the number of resolved links.
    """
    decks = sorted(set(deck_ids))
    for start in range(0, len(decks), _CHUNK):
        chunk = decks[start : start + _CHUNK]
        notes = select(m.Note.id).where(m.Note.deck_id.in_(chunk)).scalar_subquery()
        session.execute(delete(m.LinkRow).where(m.LinkRow.from_note.in_(notes)))
        rows = []
        for nid, raw in session.execute(
            select(m.Note.id, m.Note.links).where(
                m.Note.deck_id.in_(chunk), m.Note.present.is_(True), m.Note.links != "[]"
            )
        ):
            for link in load_links(raw):
                rows.append(
                    {
                        "from_note": nid,
                        "to_note": None,
                        "target": link.target,
                        "file": link.file,
                        "line": link.line,
                    }
                )
        if rows:
            session.connection().execute(m.LinkRow.__table__.insert(), rows)
    index = _title_index(session)
    resolved = 0
    changes = []
    for link_id, target, file, line, to_note, key in session.execute(
        select(
            m.LinkRow.id,
            m.LinkRow.target,
            m.LinkRow.file,
            m.LinkRow.line,
            m.LinkRow.to_note,
            m.Deck.key,
        )
        .join(m.Note, m.Note.id == m.LinkRow.from_note)
        .join(m.Deck, m.Deck.id == m.Note.deck_id)
    ):
        found = link_target(Link(target=target, file=file, line=line), from_file=key, index=index)
        resolved += found is not None
        if found != to_note:
            changes.append((link_id, found))
    if changes:
        session.connection().exec_driver_sql(
            "UPDATE links SET to_note = ? WHERE id = ?", [(found, i) for i, found in changes]
        )
    return resolved


def relink_all(session: Session) -> int:
    """Rebuild every link row (after an import or a repair)."""
    deck_ids = [r[0] for r in session.execute(select(m.Deck.id))]
    return relink(session, deck_ids)
