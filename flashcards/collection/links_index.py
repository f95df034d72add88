"""The links table: `[[Title]]` links between notes, resolved library-wide."""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from flashcards.core.links import TitleIndex, link_target
from flashcards.core.model import Deck, Note, NoteId
from flashcards.storage import models as m
from flashcards.storage.convert import load_links


def relink_all(session: Session) -> int:
    """Rebuild every link row from the notes' stored links; returns the number resolved.

    Run after a sync changed something: a title edit in one file can resolve or break
    links written in any other file, so resolution is always library-wide.
    """
    rows = session.execute(
        select(m.Note.id, m.Note.title, m.Note.links, m.Deck.key)
        .join(m.Deck, m.Deck.id == m.Note.deck_id)
        .where(m.Note.present.is_(True))
        .order_by(m.Deck.key, m.Note.position)
    ).all()
    by_file: dict[str, list[Note]] = {}
    for nid, title, _links, key in rows:
        by_file.setdefault(key, []).append(
            Note(
                id=NoteId(nid),
                file=key,
                title=title,
                level=2,
                line_start=0,
                line_end=0,
                section_path=(),
                prompt="",
                answer="",
            )
        )
    index = TitleIndex.build([Deck(file=k, title="", notes=tuple(v)) for k, v in by_file.items()])
    link_rows = []
    resolved = 0
    for nid, _title, raw, key in rows:
        if raw == "[]":
            continue
        for link in load_links(raw):
            target = link_target(link, from_file=key, index=index)
            resolved += target is not None
            link_rows.append(
                {
                    "from_note": nid,
                    "to_note": target,
                    "target": link.target,
                    "file": link.file,
                    "line": link.line,
                }
            )
    session.execute(delete(m.LinkRow))
    if link_rows:
        session.execute(insert(m.LinkRow), link_rows)
    return resolved
