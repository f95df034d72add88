"""The links table: `[[Title]]` links between notes, resolved library-wide.

Notes carry a normalised `title_key` and links the keys they can match, both indexed,
so after a sync only the links that could have changed are resolved again, against the
few notes whose titles they name — not the whole library.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from flashcards.core.links import TitleIndex, _file_keys, link_target, normalise_title
from flashcards.core.model import Link, NoteId
from flashcards.storage import models as m
from flashcards.storage.convert import load_links

_CHUNK = 500


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _title_index(session: Session, keys: Sequence[str] | None) -> TitleIndex:
    """A title index over the notes titled by `keys` (None: all), in library order."""
    index = TitleIndex()
    conn = session.connection()
    for (key,) in conn.exec_driver_sql("SELECT key FROM decks WHERE present = 1 ORDER BY key"):
        for name in _file_keys(key):
            index.files.setdefault(name, []).append(key)
    sql = (
        "SELECT n.id, n.title_key, d.key FROM notes n JOIN decks d ON d.id = n.deck_id "
        "WHERE n.present = 1{where} ORDER BY d.key, n.position"
    )
    batches: list[tuple[str, tuple[str, ...]]] = []
    if keys is None:
        batches.append((sql.format(where=""), ()))
    else:
        unique = sorted(set(keys))
        for start in range(0, len(unique), _CHUNK):
            chunk = tuple(unique[start : start + _CHUNK])
            batches.append((sql.format(where=f" AND n.title_key IN ({_marks(len(chunk))})"), chunk))
    rows: list[tuple[str, str, str]] = []
    for statement, params in batches:
        rows.extend(conn.exec_driver_sql(statement, params).fetchall())
    if len(batches) > 1:
        rows.sort(key=lambda r: r[2])  # library order across batches (stable within a file)
    for nid, title_key, key in rows:
        index.by_title.setdefault(title_key, []).append((key, NoteId(nid)))
    return index


def _link_rows(session: Session, decks: list[int]) -> None:
    """Rebuild the link rows written in `decks` from their notes' stored links."""
    conn = session.connection()
    had_links = conn.exec_driver_sql("SELECT 1 FROM links LIMIT 1").first() is not None
    for start in range(0, len(decks), _CHUNK):
        chunk = decks[start : start + _CHUNK]
        if had_links:  # (a first sync has none to drop)
            notes = select(m.Note.id).where(m.Note.deck_id.in_(chunk)).scalar_subquery()
            session.execute(delete(m.LinkRow).where(m.LinkRow.from_note.in_(notes)))
        rows = []
        for nid, raw in conn.exec_driver_sql(
            f"SELECT id, links FROM notes WHERE deck_id IN ({_marks(len(chunk))}) "
            "AND present = 1 AND links != '[]'",
            tuple(chunk),
        ):
            for link in load_links(raw):
                alt = normalise_title(f"{link.file}#{link.target}") if link.file else None
                rows.append(
                    (nid, link.target, link.file, link.line, normalise_title(link.target), alt)
                )
        if rows:
            conn.exec_driver_sql(
                "INSERT INTO links (from_note, target, file, line, target_key, alt_key) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )


def relink(session: Session, deck_ids: Iterable[int], touched: set[str] | None = None) -> int:
    """Rebuild the link rows of notes in `deck_ids`; re-resolve those and every link
    naming a title in `touched` (None: every link). Returns how many were looked at."""
    decks = sorted(set(deck_ids))
    _link_rows(session, decks)
    conn = session.connection()
    if conn.exec_driver_sql("SELECT 1 FROM links LIMIT 1").first() is None:
        return 0  # no link anywhere to resolve (the lookups by title would find none)
    base = (
        "SELECT l.id, l.target, l.file, l.line, l.to_note, d.key, l.target_key, l.alt_key "
        "FROM links l JOIN notes n ON n.id = l.from_note JOIN decks d ON d.id = n.deck_id"
    )
    links: dict[int, tuple[Any, ...]] = {}
    if touched is None:
        for r in conn.exec_driver_sql(base):
            links[r[0]] = tuple(r[1:])
    else:
        wanted: list[tuple[str, tuple[Any, ...]]] = []
        for start in range(0, len(decks), _CHUNK):
            chunk = tuple(decks[start : start + _CHUNK])
            wanted.append((f"{base} WHERE n.deck_id IN ({_marks(len(chunk))})", chunk))
        keys = sorted(touched)
        for start in range(0, len(keys), _CHUNK):
            keys_chunk: tuple[str, ...] = tuple(keys[start : start + _CHUNK])
            marks = _marks(len(keys_chunk))
            wanted.append(
                (
                    f"{base} WHERE l.target_key IN ({marks}) OR l.alt_key IN ({marks})",
                    keys_chunk + keys_chunk,
                )
            )
        for statement, params in wanted:
            for r in conn.exec_driver_sql(statement, params):
                links[r[0]] = tuple(r[1:])
    if not links:
        return 0
    needed: set[str] = set()
    for _target, _file, _line, _to, _key, target_key, alt_key in links.values():
        needed.add(target_key)
        if alt_key:
            needed.add(alt_key)
    index = _title_index(session, None if touched is None else sorted(needed))
    changes = []
    for link_id, (target, file, line, to_note, key, _tk, _ak) in links.items():
        found = link_target(Link(target=target, file=file, line=line), from_file=key, index=index)
        if found != to_note:
            changes.append((found, link_id))
    if changes:
        conn.exec_driver_sql("UPDATE links SET to_note = ? WHERE id = ?", changes)
    return len(links)


def relink_all(session: Session) -> int:
    """Rebuild and resolve every link row (after a repair)."""
    deck_ids = [r[0] for r in session.execute(select(m.Deck.id))]
    return relink(session, deck_ids, None)
