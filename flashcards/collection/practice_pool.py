"""What a practice exam draws from: each domain of an exam profile with its
multiple-choice cards (not suspended) and how many questions it gets, and the questions
of the profile's past sittings (asked last). `practice_exam.py` draws a sitting from them
with `core/practice_exam.py`'s `draw_questions`.

    pools = domain_pools(col, ref, now=t)   # [DomainPool(name, cards, questions), ...]
    recent = recent_questions(col, ref)     # [{card id, ...} per finished sitting], latest first
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from flashcards.collection.browse import search_cards
from flashcards.collection.collection import Collection
from flashcards.collection.exam import ProfileRef
from flashcards.core.exam import allocate_questions
from flashcards.core.model import CardId
from flashcards.core.practice_exam import DomainPool
from flashcards.storage import models as m

# A domain's cards by front matter (collection/exam.py's rule), multiple-choice only.
_CHOICE_SQL = (
    "SELECT c.id, c.domain FROM cards c JOIN decks d ON d.id = c.deck_id "
    "WHERE c.kind = 'choice' AND c.present = 1 AND c.suspended = 0 AND d.present = 1 "
    "AND c.domain IS NOT NULL AND (? = '' OR substr(d.key, 1, length(?)) = ?) "
    "ORDER BY c.deck_id, c.position, c.id"
)


def domain_pools(col: Collection, ref: ProfileRef, *, now: datetime) -> list[DomainPool]:
    """Each domain's multiple-choice cards (not suspended) and its questions."""
    exam = ref.profile
    cards = choice_cards(col, ref, now=now)
    counts = allocate_questions([d.weight for d in exam.domains], exam.questions)
    return [
        DomainPool(d.name, tuple(cards[d.name]), n)
        for d, n in zip(exam.domains, counts, strict=True)
    ]


def choice_cards(col: Collection, ref: ProfileRef, *, now: datetime) -> dict[str, list[CardId]]:
    """`Exams.domain_cards` narrowed to the multiple-choice cards not suspended, read
    in one pass over the cards (the domains' whole decks would cost 0.5 s at 100k)."""
    domains = ref.profile.domains
    found: dict[str, list[CardId]] = {d.name: [] for d in domains}
    by_name = {d.name.casefold(): d.name for d in domains}
    prefix = ref.key + "/" if ref.key else ""
    with col.db.raw_read() as cur:
        rows = cur.execute(_CHOICE_SQL, (prefix, prefix, prefix)).fetchall()
    for card_id, domain in rows:
        name = by_name.get(str(domain).casefold())
        if name is not None:
            found[name].append(CardId(card_id))
    for domain in domains:
        if domain.query:
            query = f"({domain.query}) kind:choice -is:suspended"
            seen = set(found[domain.name])
            found[domain.name] += [c for c in search_cards(col, query, now=now) if c not in seen]
    return found


def recent_questions(col: Collection, ref: ProfileRef) -> list[set[str]]:
    """The questions (card ids) of the profile's finished sittings, the latest first."""
    with col._read() as s:
        before = s.execute(
            select(m.PracticeSitting.id)
            .where(m.PracticeSitting.profile_key == ref.key)
            .where(m.PracticeSitting.finished.is_not(None))
            .order_by(m.PracticeSitting.started.desc(), m.PracticeSitting.id.desc())
        ).all()
        recent: dict[int, set[str]] = {int(r[0]): set() for r in before}
        if recent:
            rows = s.execute(
                select(m.PracticeAnswer.sitting_id, m.PracticeAnswer.card_id).where(
                    m.PracticeAnswer.sitting_id.in_(list(recent))
                )
            )
            for sitting_id, card_id in rows:
                recent[int(sitting_id)].add(str(card_id))
    return list(recent.values())
