"""What the concept map's actions do: the cards a "Study these" session covers, whether
a card is due now, adding a `[[link]]` to a note, and suggesting links.

Functions of a `Collection` (run them on the GUI's worker thread).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import text

from flashcards.collection.base import UnknownCardError, utc
from flashcards.collection.collection import Collection
from flashcards.collection.views import Change
from flashcards.core.links import link_title
from flashcards.core.model import CardId, CardState, NoteId
from flashcards.core.suggest_links import DEFAULT_THRESHOLD, Suggestion, suggest_links


def study_cards(col: Collection, note_ids: Sequence[str]) -> list[CardId]:
    """The cards a "Study these" session covers: every present, unsuspended card of the
    notes, in the order the notes were given (file order within a note)."""
    if not note_ids:
        return []
    wanted = list(dict.fromkeys(str(n) for n in note_ids))
    marks = ",".join(f":n{i}" for i in range(len(wanted)))
    params = {f"n{i}": v for i, v in enumerate(wanted)}
    by_note: dict[str, list[CardId]] = {}
    with col._read() as s:
        for nid, cid in s.execute(
            text(
                "SELECT note_id, id FROM cards WHERE present = 1 AND suspended = 0 "
                f"AND note_id IN ({marks}) ORDER BY position"
            ),
            params,
        ):
            by_note.setdefault(nid, []).append(CardId(cid))
    return [cid for nid in wanted for cid in by_note.get(nid, [])]


def is_due_now(col: Collection, card_id: CardId | str, *, now: datetime | None = None) -> bool:
    """Whether answering the card now is a normal review: new, or due by the end of the
    study day (learning cards: due by now plus the learn-ahead window)."""
    view = col.card(card_id)
    memory = view.memory
    if memory.state is CardState.NEW:
        return True
    now = utc(now)
    if memory.due is None:
        return True
    if memory.state is CardState.REVIEW:
        return to_seconds(memory.due) < col._window(now).end_s
    ahead = int(col.setting("learn_ahead_minutes") or 0) * 60
    return to_seconds(memory.due) <= to_seconds(now) + ahead


def to_seconds(moment: datetime) -> int:
    return int(moment.timestamp())


SEE_ALSO = "See also [[{title}]]."


def with_link(source: str, title: str) -> str:
    """The note's Markdown with a "See also [[title]]." line, placed before a trailing
    `Tags:` line when there is one (the parser reads tags from the note's last line)."""
    line = SEE_ALSO.format(title=link_title(title))  # a bar in the title escaped
    lines = source.split("\n")
    trailing: list[str] = []
    while lines and not lines[-1].strip():
        trailing.insert(0, lines.pop())
    if lines and lines[-1].startswith("Tags:"):
        lines.insert(len(lines) - 1, line)
    else:
        lines.append(line)
    return "\n".join([*lines, *trailing])


def add_link(col: Collection, source: NoteId | str, target: NoteId | str) -> Change:
    """Write `[[target's title]]` into the source note's Markdown (history kept)."""
    rows = col.cards([str(target)]) or col.cards(study_cards(col, [str(target)])[:1])
    if not rows:
        raise UnknownCardError(f"no note with id {target!r}")
    title = rows[0].card.title
    current = col.note_source(source)
    return col.update_note_source(source, with_link(current, title))


def suggested_links(
    col: Collection,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    per_note: int = 3,
    limit: int = 500,
) -> list[Suggestion[NoteId]]:
    """Unlinked note pairs whose texts share distinctive terms (TF-IDF cosine)."""
    texts: dict[NoteId, str] = {}
    with col._read() as s:
        for nid, title, body in s.execute(
            text(
                "SELECT n.id, n.title, n.text FROM notes n JOIN decks d ON d.id = n.deck_id "
                "WHERE n.present = 1 AND d.present = 1 ORDER BY d.key, n.position"
            )
        ):
            texts[NoteId(nid)] = f"{title} {title} {body}"
        linked = [
            (NoteId(a), NoteId(b))
            for a, b in s.execute(
                text("SELECT from_note, to_note FROM links WHERE to_note IS NOT NULL")
            )
        ]
    return suggest_links(texts, linked=linked, threshold=threshold, per_note=per_note, limit=limit)
