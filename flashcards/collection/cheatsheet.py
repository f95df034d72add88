"""Cheat-sheets: which cards go on one, read from the collection.

A sheet covers a deck, a folder or an exam domain — `deck` takes what `export --deck`
takes: a deck's file or name, a folder, or `domain:NAME` — or everything, narrowed by a
search (the browser's language), a tag, or "struggling" cards (recall below 80 % now, or
forgotten three times or more). One card per note, in file order (a note's cloze and
reverse cards would repeat the same facts). `cheatsheet_html` turns a `Sheet` into
HTML; the app and `flashcards cheatsheet` both read sheets through `load_sheet`.

Functions of a `Collection` (the GUI runs them on its worker thread).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from flashcards.collection.browse import search_cards
from flashcards.collection.concept_map import domain_order, exam_domains, one_domain
from flashcards.collection.library import root_holding
from flashcards.core.domain_palette import domain_colours
from flashcards.core.exam import DOMAIN_PREFIX
from flashcards.core.model import Card, NoteId

STRUGGLE_RECALL = 0.8
STRUGGLE_LAPSES = 3
STRUGGLE_QUERY = f"(prop:retrievability<{STRUGGLE_RECALL} or prop:lapses>={STRUGGLE_LAPSES})"


class Layout(enum.Enum):
    """How a sheet is set: `COMPACT` packs small type in columns (a sheet to print),
    `FULL` is one column of reading-size type."""

    COMPACT = "compact"
    FULL = "full"


class Paper(enum.Enum):
    A4 = "a4"
    LETTER = "letter"


@dataclass(frozen=True)
class SheetOptions:
    """What goes on the sheet. `deck`: a deck's file or name, a folder, `domain:NAME`
    (None: every deck); `domain`: the same as `deck="domain:NAME"`; then the filters."""

    deck: str | None = None
    domain: str | None = None
    struggling: bool = False  # only cards with low recall now or many lapses
    tag: str | None = None
    search: str = ""  # the browser's search language

    def selection(self) -> str | None:
        """The decks as `export --deck` names them."""
        if self.domain:
            return f"{DOMAIN_PREFIX}{self.domain}"
        return self.deck or None

    def query(self) -> str:
        """The filters in the browser's search language (the decks are chosen apart)."""
        parts = []
        if self.search.strip():
            parts.append(f"({self.search.strip()})")
        if self.tag and self.tag.strip():
            parts.append(f'tag:"{self.tag.strip()}"')
        if self.struggling:
            parts.append(STRUGGLE_QUERY)
        return " ".join(parts)

    def title(self) -> str:
        chosen = self.selection()
        if chosen and chosen.startswith(DOMAIN_PREFIX):
            return chosen[len(DOMAIN_PREFIX) :].strip()
        if chosen:
            return chosen.rstrip("/").replace("::", " › ")
        if self.search.strip():
            return f"Search: {self.search.strip()}"
        return "All decks"


@dataclass(frozen=True)
class SheetCard:
    card: Card
    deck: str
    base_dir: str
    media_root: str = ""  # the library folder its images stay inside ("": base_dir)
    domain: str | None = None

    @property
    def note_id(self) -> NoteId:
        return self.card.note_id


@dataclass(frozen=True)
class Sheet:
    """The cards of a sheet, in order. `links` resolves the notes' `[[links]]`:
    (note id, link target, link file) -> the note linked to; `colours` gives each
    domain the concept map's colour."""

    title: str
    subtitle: str
    cards: tuple[SheetCard, ...]
    links: dict[tuple[str, str, str | None], NoteId] = field(default_factory=dict)
    colours: dict[str, str] = field(default_factory=dict)


def load_sheet(col: Any, options: SheetOptions, *, now: datetime) -> Sheet:
    """The sheet's cards as the collection stands at `now`; an unknown deck, folder or
    domain raises `UnknownDeckError`, a bad search `QueryError`."""
    chosen = options.selection()
    refs = col._select(chosen)
    keys = {r.key for r in refs}
    query = options.query()
    if chosen and chosen.startswith(DOMAIN_PREFIX):
        # An exam domain's cards, as the search finds them (a deck its query takes in part).
        name = chosen[len(DOMAIN_PREFIX) :].strip().replace('"', "")
        query = f'domain:"{name}" {query}'.strip()
    ids = search_cards(col, query, now=now)
    views = col.cards(ids)
    seen: set[str] = set()
    dirs: dict[str, tuple[str, str]] = {}
    roots = col.roots()
    order, _active = domain_order(col)
    spelling = {name.casefold(): name for name in order}
    taken = exam_domains(col, now)
    cards = []
    title = options.title()
    for view in views:
        if view.note_id in seen or view.card.file not in keys:
            continue
        seen.add(view.note_id)
        file = view.card.file
        if file not in dirs:
            folder = col.deck_path(file).parent
            root = root_holding(roots, folder)
            dirs[file] = (str(folder), str(root) if root is not None else "")
        if len(refs) == 1:
            title = view.deck_title
        own = spelling.get(view.domain.casefold(), view.domain) if view.domain else None
        domain = one_domain(own, taken.get(view.id, ()))  # as the concept map colours it
        cards.append(SheetCard(view.card, view.deck, *dirs[file], domain=domain))
    filters = []
    if options.search.strip():
        filters.append(f"cards matching {options.search.strip()}")
    if options.struggling:
        filters.append(
            f"only cards you struggle with (recall < {STRUGGLE_RECALL:.0%} "
            f"or ≥ {STRUGGLE_LAPSES} lapses)"
        )
    if options.tag:
        filters.append(f"tag {options.tag}")
    count = f"{len(cards)} card{'s' if len(cards) != 1 else ''}"
    subtitle = " · ".join([count, *filters, now.astimezone().strftime("%d %b %Y")])
    present = {c.domain for c in cards if c.domain}
    colours = domain_colours([*order, *sorted(present - set(order))])
    return Sheet(title, subtitle, tuple(cards), _links(col, cards), colours)


def _links(col: Any, cards: list[SheetCard]) -> dict[tuple[str, str, str | None], NoteId]:
    """Where the sheet's notes' links lead (resolved as the library resolves them)."""
    notes = sorted({c.note_id for c in cards})
    out: dict[tuple[str, str, str | None], NoteId] = {}
    with col._read() as s:
        for start in range(0, len(notes), 500):
            chunk = notes[start : start + 500]
            marks = ",".join(f":n{i}" for i in range(len(chunk)))
            rows = s.execute(
                text(
                    "SELECT from_note, target, file, to_note FROM links "
                    f"WHERE to_note IS NOT NULL AND from_note IN ({marks})"
                ),
                {f"n{i}": v for i, v in enumerate(chunk)},
            )
            for source, target, file, to_note in rows:
                out[(str(source), str(target), file)] = NoteId(str(to_note))
    return out


def sheet_scopes(col: Any) -> list[tuple[str, SheetOptions]]:
    """(label, options) for every folder, deck and exam domain a sheet can cover."""
    decks = col.decks()
    folders = sorted({d.file.rsplit("/", 1)[0] for d in decks if "/" in d.file})
    scopes = [("All decks", SheetOptions())]
    scopes += [(f"Folder: {f}", SheetOptions(deck=f)) for f in folders]
    scopes += [(f"Deck: {d.name.replace('::', ' › ')}", SheetOptions(deck=d.file)) for d in decks]
    order, _active = domain_order(col)
    present = {d.domain.casefold(): d.domain for d in decks if d.domain}
    names = list(order)  # every exam's domains: a query can take cards no deck names it for
    names += sorted(v for k, v in present.items() if k not in {n.casefold() for n in order})
    scopes += [(f"Domain: {name}", SheetOptions(domain=name)) for name in names]
    return scopes


def sheet_path_name(sheet: Sheet, suffix: str) -> str:
    """A file name for the sheet: its title, without path separators."""
    return (
        Path(sheet.title.replace("/", "-").replace("::", " - ").replace(" › ", " - ")).name + suffix
    )
