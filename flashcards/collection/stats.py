"""Counts for `flashcards stats` and a health check for `flashcards check`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import text

from flashcards.collection.base import CollectionBase, utc
from flashcards.collection.library import walk_decks
from flashcards.collection.views import CheckReport, DeckStats, Stats
from flashcards.core.errors import DeckFormatError
from flashcards.core.exam import load_exam
from flashcards.core.parser import parse_deck


class StatsMixin(CollectionBase):
    """Statistics and checks."""

    def stats(self, *, now: datetime | None = None) -> Stats:
        """Card counts by state, due today, and review counts."""
        now = utc(now)
        window = self._window(now)
        params = {"today": window.today, "end": window.end_s, "start": window.start_ms}
        per_deck = []
        with self._read() as s:
            rows = s.execute(
                text(
                    "SELECT d.name, COUNT(c.id), SUM(c.state = 0), SUM(c.state IN (1, 3)), "
                    "SUM(c.state = 2), SUM(c.suspended), "
                    "SUM(c.state != 0 AND c.suspended = 0 AND c.buried_until < :today "
                    "AND c.due < :end) "
                    "FROM decks d LEFT JOIN cards c ON c.deck_id = d.id AND c.present = 1 "
                    "WHERE d.present = 1 GROUP BY d.id ORDER BY d.key"
                ),
                params,
            ).all()
            for name, total, new, learning, review, suspended, due in rows:
                per_deck.append(
                    DeckStats(
                        name,
                        int(total or 0),
                        int(new or 0),
                        int(learning or 0),
                        int(review or 0),
                        int(suspended or 0),
                        int(due or 0),
                    )
                )
            hidden = s.execute(text("SELECT COUNT(*) FROM cards WHERE present = 0")).scalar_one()
            today_n = s.execute(
                text("SELECT COUNT(*) FROM reviews WHERE time_ms >= :start AND kind = 'review'"),
                params,
            ).scalar_one()
            total_n = s.execute(
                text("SELECT COUNT(*) FROM reviews WHERE kind = 'review'")
            ).scalar_one()
        return Stats(
            decks=len(per_deck),
            cards=sum(d.total for d in per_deck),
            new=sum(d.new for d in per_deck),
            learning=sum(d.learning for d in per_deck),
            review=sum(d.review for d in per_deck),
            suspended=sum(d.suspended for d in per_deck),
            hidden=int(hidden),
            due_today=sum(d.due_today for d in per_deck),
            reviews_today=int(today_n),
            reviews_total=int(total_n),
            per_deck=tuple(per_deck),
        )

    def check(self) -> CheckReport:
        """Parse every deck file and exam profile, and check the database's integrity.

        Problems are things to fix (a deck that does not parse, a damaged database);
        warnings are worth a look (unresolved links, headings without a body).
        """
        problems: list[str] = []
        warnings: list[str] = []
        for root in self.roots():
            if not root.path.is_dir():
                if root.external:
                    problems.append(f"external folder {root.path} is missing")
                continue
            for rel, _st in sorted(walk_decks(root.path)):
                key = root.key(rel)
                try:
                    result = parse_deck((root.path / rel).read_bytes(), path=key)
                except DeckFormatError as exc:
                    problems.append(str(exc))
                    continue
                except OSError as exc:
                    problems.append(f"{key}: cannot read: {exc.strerror}")
                    continue
                warnings.extend(str(w) for w in result.warnings)
            for exam in sorted(Path(root.path).rglob("exam.toml")):
                if any(p.startswith(".") for p in exam.relative_to(root.path).parts):
                    continue
                try:
                    load_exam(exam)
                except DeckFormatError as exc:
                    problems.append(str(exc))
        with self._read() as s:
            for (row,) in s.execute(text("PRAGMA integrity_check")):
                if row != "ok":
                    problems.append(f"database: {row}")
            for row in s.execute(text("PRAGMA foreign_key_check")):
                problems.append(f"database: row {row[1]} of {row[0]} points to a missing {row[2]}")
            orphans = s.execute(
                text(
                    "SELECT COUNT(*) FROM cards c LEFT JOIN notes n ON n.id = c.note_id "
                    "WHERE n.id IS NULL"
                )
            ).scalar_one()
            if orphans:
                problems.append(f"database: {orphans} cards have no note")
        warnings.extend(self.unresolved_links())  # type: ignore[attr-defined]
        return CheckReport(tuple(problems), tuple(warnings))
