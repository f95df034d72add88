"""Deck names from paths: `AWS ML Specialty::Modeling` — folder titles (exam.toml
`short_name`/`name`, else the humanised folder name) then the deck's title."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from flashcards.collection.library import LibraryRoot, deck_name, folder_titles
from flashcards.storage import models as m


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def refresh_names(session: Session, roots: Sequence[LibraryRoot]) -> int:
    """Recompute every deck's folder names (exam.toml may have come or changed);
    returns how many deck names changed."""
    by_id = {r.id: r for r in roots}
    titles: dict[tuple[int, str], tuple[str, ...]] = {}
    changed = 0
    rows = session.execute(
        select(m.Deck.id, m.Deck.root_id, m.Deck.rel, m.Deck.title, m.Deck.name).where(
            m.Deck.present.is_(True)
        )
    ).all()
    for deck_id, root_id, rel, title, name in rows:
        root = by_id.get(root_id)
        if root is None:
            continue
        folder = rel.rsplit("/", 1)[0] if "/" in rel else ""
        if (root_id, folder) not in titles:
            titles[(root_id, folder)] = folder_titles(root.path, rel, label=root.label)
        folders = titles[(root_id, folder)]
        new_name = deck_name(folders, title)
        if new_name != name:
            session.execute(
                update(m.Deck)
                .where(m.Deck.id == deck_id)
                .values(name=new_name, folders=_json(list(folders)))
            )
            changed += 1
    return changed
