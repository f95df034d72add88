"""Exam profiles over a collection: which profiles the library holds, the active one,
the user's exam date for each, and the cards of each domain.

    exams = Exams(col)
    exams.profiles()                        # every valid exam.toml in the library
    exams.set_active("MLS-C01")             # by code, short name, name or folder
    exams.set_exam_date(date(2026, 12, 21)) # the active profile's date (None clears it)
    exams.domain_cards()                    # {domain name: [card ids]}

A profile is known by its *key*: the library path of the folder holding its exam.toml
(`aws-ml-specialty`; "" for the library's top folder; an external folder's under its
label, as deck keys are). Settings are per collection and keyed by it: `exam_profile`
(the active key) and `exam_dates` ({key: "YYYY-MM-DD"}). The bundled files are never
written.

A domain's cards are those of the decks under the profile's folder whose front matter
names the domain, together with every card of the library its `query` matches (the
browser's search language), so the same card may count for two exams. `domain_rules()`
gives every screen this definition: the browser's `domain:` search, a `domain:NAME`
selection (the sidebar's domain rows, studying one, stats, export, cheat-sheets) and the
concept map's colours; a name means the active profile's domain first, then another
profile's. A card two domains' queries match is a card of both (each counts it, studying
either brings it); the concept map, which gives a note one colour, takes the domain its
deck's front matter names if that is one of them, else the first in exam.toml's order.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from flashcards.collection.browse import search_cards
from flashcards.collection.collection import Collection
from flashcards.core.errors import ExamProfileError, FlashcardsError
from flashcards.core.exam import ExamDomain, ExamProfile, load_exam
from flashcards.core.model import CardId
from flashcards.core.query import parse_query
from flashcards.storage.card_search import DomainRule

ACTIVE_KEY = "exam_profile"
DATES_KEY = "exam_dates"


class UnknownProfileError(FlashcardsError):
    """A profile name that matches no exam.toml of the library."""


@dataclass(frozen=True)
class ProfileRef:
    """An exam profile found in the library."""

    key: str  # its folder's library path ("" for the top folder)
    profile: ExamProfile
    path: Path  # the exam.toml

    @property
    def name(self) -> str:
        return self.profile.name

    def covers_deck(self, deck_key: str) -> bool:
        """Whether a deck lies under the profile's folder (its front matter counts)."""
        return not self.key or deck_key.startswith(self.key + "/")


def domain_rule(ref: ProfileRef, domain: ExamDomain) -> DomainRule:
    """A profile's domain as the search's `domain:` takes it."""
    query = parse_query(domain.query) if domain.query else None
    return DomainRule(domain.name, ref.key + "/" if ref.key else "", query)


def _exam_files(root: Path) -> Iterator[Path]:
    """Every exam.toml under `root`, skipping hidden folders, in path order."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if "exam.toml" in files:
            yield Path(folder) / "exam.toml"


class Exams:
    """Exam profiles of one collection (cheap to make; holds no state of its own)."""

    def __init__(self, col: Collection) -> None:
        self.col = col

    # -- profiles -----------------------------------------------------------------------

    def profiles(self) -> list[ProfileRef]:
        """Every valid exam profile of the library, by key (`check()` reports bad ones)."""
        found: list[ProfileRef] = []
        for root in self.col.roots():
            if not root.path.is_dir():
                continue
            for path in _exam_files(root.path):
                rel = path.parent.relative_to(root.path).as_posix()
                rel = "" if rel == "." else rel
                key = "/".join(p for p in (root.label, rel) if p)
                try:
                    profile = load_exam(path)
                except ExamProfileError:
                    continue
                found.append(ProfileRef(key, profile, path))
        return sorted(found, key=lambda r: r.key)

    def profile(self, name: str | None = None) -> ProfileRef:
        """The profile called `name` — its code, short name, name or folder key, in any
        case — or the active one when `name` is None."""
        if name is None:
            active = self.active()
            if active is None:
                raise UnknownProfileError("the library has no exam profile (exam.toml)")
            return active
        refs = self.profiles()
        wanted = name.strip().casefold()
        for ref in refs:
            p = ref.profile
            names = (ref.key, p.code, p.short_name, p.name)
            if any(n is not None and n.casefold() == wanted for n in names):
                return ref
        known = ", ".join(r.profile.short_label for r in refs) or "none"
        raise UnknownProfileError(f"no exam profile called {name!r} (profiles: {known})")

    def active(self) -> ProfileRef | None:
        """The active profile: the one chosen last, else the first in the library whose
        exam has no retirement date (a newcomer studies for the exam they can still sit:
        MLA-C01, not the retired MLS-C01), else the first."""
        return self._active_of(self.profiles())

    def _active_of(self, refs: list[ProfileRef]) -> ProfileRef | None:
        chosen = self.col.setting(ACTIVE_KEY)
        for ref in refs:
            if ref.key == chosen:
                return ref
        current = [ref for ref in refs if ref.profile.retired is None]
        first = current or refs
        return first[0] if first else None

    def set_active(self, name: str) -> ProfileRef:
        """Make the profile called `name` (see `profile`) the active one."""
        ref = self.profile(name)
        self.col.set_setting(ACTIVE_KEY, ref.key)
        return ref

    # -- exam dates ---------------------------------------------------------------------

    def _key(self, profile: ProfileRef | str | None) -> str:
        if isinstance(profile, ProfileRef):
            return profile.key
        return self.profile(profile).key

    def exam_date(self, profile: ProfileRef | str | None = None) -> date | None:
        """The user's exam date for a profile (the active one by default), if set."""
        dates = self.col.setting(DATES_KEY) or {}
        value = dates.get(self._key(profile))
        try:
            return date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

    def set_exam_date(self, day: date | None, profile: ProfileRef | str | None = None) -> None:
        """Set (None: clear) the exam date of a profile (the active one by default)."""
        key = self._key(profile)
        dates = dict(self.col.setting(DATES_KEY) or {})
        if day is None:
            dates.pop(key, None)
        else:
            dates[key] = day.isoformat()
        self.col.set_setting(DATES_KEY, dates)

    def days_left(
        self, profile: ProfileRef | str | None = None, *, now: datetime | None = None
    ) -> int | None:
        """Study days from today to the exam date (0 on the day, negative after)."""
        day = self.exam_date(profile)
        return None if day is None else day.toordinal() - self.col.today(now)

    # -- domains ------------------------------------------------------------------------

    def domain_rules(self) -> tuple[DomainRule, ...]:
        """What `domain:NAME` means (see the module): the active profile's domains, then
        those of the other profiles whose names it does not use."""
        refs = self.profiles()
        active = self._active_of(refs)
        if active is not None:
            refs = [active, *(r for r in refs if r.key != active.key)]
        rules: dict[str, DomainRule] = {}
        for ref in refs:
            for d in ref.profile.domains:
                rules.setdefault(d.name.casefold(), domain_rule(ref, d))
        return tuple(rules.values())

    def domain_cards(
        self, profile: ProfileRef | str | None = None, *, now: datetime | None = None
    ) -> dict[str, list[CardId]]:
        """Each domain's card ids (file order): its decks by front matter, then the
        other cards its query matches. A card can be in several domains and profiles."""
        ref = profile if isinstance(profile, ProfileRef) else self.profile(profile)
        return {d.name: self._domain_ids(ref, d, now=now) for d in ref.profile.domains}

    def _domain_ids(
        self, ref: ProfileRef, domain: ExamDomain, *, now: datetime | None
    ) -> list[CardId]:
        with self.col._read() as s:
            raw = s.connection().connection.driver_connection
            assert raw is not None
            # The driver's own cursor: a row object per card through SQLAlchemy cost
            # three times the query (100,000 ids); CardId is a NewType (no call needed).
            rows = raw.execute(
                "SELECT c.id FROM cards c WHERE c.present = 1 "
                "AND c.domain = ? COLLATE NOCASE AND c.deck_id IN (SELECT id FROM decks d "
                "WHERE d.present = 1 AND (? = '' OR substr(d.key, 1, length(?)) = ?)) "
                "ORDER BY c.deck_id, c.position, c.id",
                (domain.name, *([ref.key + "/" if ref.key else ""] * 3)),
            ).fetchall()
            ids: list[CardId] = [r[0] for r in rows]
        if domain.query:
            seen = set(ids)
            ids += [i for i in search_cards(self.col, domain.query, now=now) if i not in seen]
        return ids
