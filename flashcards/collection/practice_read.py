"""Practice exams read back from the database: one sitting with its questions (scored
once finished), the sitting in progress, a profile's finished sittings."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select, text

from flashcards.collection.collection import Collection
from flashcards.collection.exam import Exams, ProfileRef
from flashcards.collection.practice_sitting import (
    PracticeExamError,
    Question,
    Sitting,
    SittingSummary,
)
from flashcards.core.model import CardId
from flashcards.core.practice_exam import Marked, score_exam
from flashcards.storage import models as m
from flashcards.storage.convert import from_epoch


def _ints(value: str | None) -> frozenset[int] | None:
    return None if value is None else frozenset(int(x) for x in json.loads(value))


def read_sitting(col: Collection, exams: Exams, sitting_id: int) -> Sitting:
    """A sitting with its questions (and its score once finished)."""
    with col._read() as s:
        row = s.execute(
            select(m.PracticeSitting).where(m.PracticeSitting.id == sitting_id)
        ).scalar_one_or_none()
        if row is None:
            raise PracticeExamError(f"no practice exam {sitting_id}")
        answers = s.execute(
            select(m.PracticeAnswer)
            .where(m.PracticeAnswer.sitting_id == sitting_id)
            .order_by(m.PracticeAnswer.position)
        ).scalars()
        questions = tuple(
            Question(
                position=a.position,
                card_id=CardId(a.card_id),
                domain=a.domain,
                order=tuple(json.loads(a.choice_order)),
                correct=_ints(a.correct) or frozenset(),
                picked=_ints(a.picked),
                flagged=bool(a.flagged),
                seconds=float(a.seconds),
            )
            for a in answers
        )
        values = {c: getattr(row, c) for c in _SITTING_COLUMNS}
    sitting = Sitting(
        id=int(values["id"]),
        profile_key=values["profile_key"],
        exam=values["exam"],
        started=moment(values["started"]),
        finished=from_epoch(values["finished"]),
        limit_seconds=values["limit_seconds"],
        used_seconds=float(values["used_seconds"]),
        current=int(values["current"]),
        score_min=values["score_min"],
        score_max=values["score_max"],
        pass_mark=values["pass_mark"],
        pass_share=float(values["pass_share"]),
        predicted=values["predicted"],
        questions=questions,
        domains=_domain_order(exams, values["profile_key"], questions),
    )
    if sitting.finished is None:
        return sitting
    marks = [Marked(q.domain, q.correct, q.picked) for q in questions]
    return replace(sitting, score=score_exam(marks, sitting.profile()))


def _domain_order(exams: Exams, key: str, questions: Sequence[Question]) -> tuple[str, ...]:
    """The profile's domains in its order (those asked, if the profile is gone)."""
    for ref in exams.profiles():
        if ref.key == key:
            return tuple(d.name for d in ref.profile.domains)
    return tuple(dict.fromkeys(q.domain for q in questions))


def unfinished_sitting_id(col: Collection) -> int | None:
    """The id of the sitting in progress, if any (cheap: for a menu's label)."""
    with col._read() as s:
        found = s.execute(
            select(m.PracticeSitting.id)
            .where(m.PracticeSitting.finished.is_(None))
            .order_by(m.PracticeSitting.id.desc())
        ).first()
    return None if found is None else int(found[0])


def sitting_history(col: Collection, ref: ProfileRef) -> list[SittingSummary]:
    """Finished sittings of the profile, oldest first."""
    p = m.PracticeSitting
    with col._read() as s:
        rows = s.execute(
            select(p)
            .where(p.profile_key == ref.key, p.finished.is_not(None))
            .order_by(p.finished, p.id)
        ).scalars()
        counts: dict[int, int] = dict(
            s.execute(
                text(
                    "SELECT a.sitting_id, COUNT(*) FROM practice_answers a "
                    "JOIN practice_sittings s ON s.id = a.sitting_id "
                    "WHERE s.profile_key = :key GROUP BY a.sitting_id"
                ),
                {"key": ref.key},
            ).all()
        )
        return [
            SittingSummary(
                id=r.id,
                exam=r.exam,
                started=moment(r.started),
                finished=moment(r.finished),
                questions=int(counts.get(r.id, 0)),
                right=int(r.right or 0),
                scaled=int(r.scaled or 0),
                passed=bool(r.passed),
                pass_mark=r.pass_mark,
                score_min=r.score_min,
                score_max=r.score_max,
                predicted=r.predicted,
                used_seconds=float(r.used_seconds),
                limit_seconds=r.limit_seconds,
            )
            for r in rows
        ]


_SITTING_COLUMNS = (
    "id",
    "profile_key",
    "exam",
    "started",
    "finished",
    "limit_seconds",
    "used_seconds",
    "current",
    "score_min",
    "score_max",
    "pass_mark",
    "pass_share",
    "predicted",
)


def moment(seconds: int | None) -> datetime:
    """A stored epoch that is never NULL, as a datetime."""
    moment = from_epoch(seconds)
    assert moment is not None
    return moment
