"""Functions of the collection that the review screen runs on the worker thread.

Each takes the collection first and returns frozen values (CardViews, HTML strings), so
nothing tied to the database crosses to the GUI thread. No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from flashcards.core.choice_order import carried_options, carried_order, shuffled_choices
from flashcards.core.errors import FlashcardsError
from flashcards.core.exam import domain_selection
from flashcards.core.media_files import inside
from flashcards.core.model import CardId, NoteId
from flashcards.gui import collection_extras as extras
from flashcards.gui.review_models import (
    EditConflict,
    LoadedCard,
    NextCard,
    NoteSource,
    RelatedCards,
)


def _render() -> Any:
    """The renderer, imported on first use: Markdown and Pygments take a while to load,
    and the worker thread should pay that, not the window's start-up."""
    from flashcards.core import render

    return render


def library_root(col: Any) -> Path | None:
    """The folder deck files are relative to, if the collection says."""
    for name in ("library", "library_dir", "root", "decks_dir"):
        value = getattr(col, name, None)
        if isinstance(value, Path):
            return value
    return None


_deck_dirs: dict[tuple[int, str], Path | None] = {}
"""Deck file folders by (collection, deck key); read and written on the worker only."""
_media_roots: dict[tuple[int, str], Path | None] = {}
"""Library folders of deck files, keyed and kept like `_deck_dirs`."""

_MEDIA_HINTS = ("](", "<img", "src=", "[sound:", "<a href")


def forget_deck_dirs() -> None:
    """Drop the cached deck folders (after a sync or a folder added or removed)."""
    _deck_dirs.clear()
    _media_roots.clear()


def base_dir_of(col: Any, file: str) -> Path | None:
    """The deck file's folder: relative images in the card resolve against it."""
    key = (id(col), file)
    if key in _deck_dirs:
        return _deck_dirs[key]
    folder: Path | None = None
    deck_path = getattr(col, "deck_path", None)
    if deck_path is not None:
        try:
            folder = Path(deck_path(file)).parent
        except FlashcardsError:
            folder = None
    else:
        root = library_root(col)
        folder = (root / file).parent if root is not None else None
    _deck_dirs[key] = folder
    return folder


def media_root_of(col: Any, file: str) -> Path | None:
    """The library folder deck `file` is in (the library, or a folder added to it): the
    card's images and sounds must stay inside it. None when unknown (the renderer then
    keeps them inside the deck's own folder)."""
    key = (id(col), file)
    if key in _media_roots:
        return _media_roots[key]
    from flashcards.collection.library import root_holding

    folder = base_dir_of(col, file)
    found: Path | None = None
    roots = getattr(col, "roots", None)
    if folder is not None and roots is not None:
        found = root_holding(roots(), folder)
    elif folder is not None and (library := library_root(col)) is not None:
        found = library if inside(folder, library) else None
    _media_roots[key] = found
    return found


def _may_have_media(card: Any) -> bool:
    text = card.prompt + card.answer + "".join(c.text for c in card.choices)
    return any(hint in text for hint in _MEDIA_HINTS)


def choice_order(col: Any, card: Any, seed: int | None) -> tuple[int, ...] | None:
    """The order to show `card`'s options in for the presentation `seed`: shuffled
    unless the setting `shuffle_choices` is off (None: the file's order)."""
    if not card.choices or seed is None or not col.setting("shuffle_choices"):
        return None
    return shuffled_choices(card, seed)


def load(
    col: Any,
    view: Any,
    *,
    now: datetime,
    back: bool = True,
    seed: int | None = None,
    shown_before: LoadedCard | None = None,
) -> LoadedCard:
    """What one card's screen needs: HTML and the next interval per rating.

    With `back=False` the answer side is left for later (`with_back`): the question
    reaches the screen sooner, and the back is rendered while the user reads it.
    `seed` is the presentation's (see `core/choice_order.py`): a multiple-choice card's
    options are shown in the order it gives, or the file's order without one.
    `shown_before` is this card as it was on screen before an edit: the options the edit
    kept stay in the order they were shown (`core/choice_order.carried_order`).
    """
    card = view.card
    media = _may_have_media(card)
    base_dir = base_dir_of(col, card.file) if media else None
    root = media_root_of(col, card.file) if media else None
    order = choice_order(col, card, seed)
    if order is not None and shown_before is not None and shown_before.order is not None:
        carried = carried_options(shown_before.view.card, card)
        order = carried_order(shown_before.order, carried, order)
    render = _render()
    return LoadedCard(
        view=view,
        front_html=render.render_card(
            card, side=render.Side.FRONT, base_dir=base_dir, order=order, media_root=root
        ),
        back_html=render.render_card(
            card, side=render.Side.BACK, base_dir=base_dir, order=order, media_root=root
        )
        if back
        else "",
        intervals=col.next_intervals(card.id, now=now),
        base_dir=base_dir,
        seed=seed,
        order=order,
        media_root=root,
    )


def with_back(loaded: LoadedCard) -> LoadedCard:
    """`loaded` with its answer side rendered (no collection needed: any thread)."""
    if loaded.back_html:
        return loaded
    render = _render()
    html = render.render_card(
        loaded.view.card,
        side=render.Side.BACK,
        base_dir=loaded.base_dir,
        order=loaded.order,
        media_root=loaded.media_root,
    )
    return replace(loaded, back_html=html)


@dataclass
class Scope:
    """What a session studies: a deck or folder name, an exam domain, or everything.

    An exam domain is one selection of its decks (`domain:NAME`), so the day's limits
    cap the domain as a whole, as they cap a folder. `decks` caches the domain's deck
    names (for when its next card is due); only the worker thread touches it.
    """

    deck: str | None = None
    domain: str | None = None
    decks: tuple[str, ...] | None = field(default=None)

    @property
    def selection(self) -> str | None:
        """What the collection's queue, counts and next card are asked for."""
        return self.deck if self.domain is None else domain_selection(self.domain)

    def is_empty(self, col: Any, *, now: datetime) -> bool:
        """A domain no deck has (any more): nothing to ask the collection."""
        return self.domain is not None and not self.deck_names(col, now=now)

    def deck_names(self, col: Any, *, now: datetime) -> tuple[str | None, ...]:
        if self.domain is None:
            return (self.deck,)
        if self.decks is None:
            self.decks = tuple(d.name for d in col.decks(now=now) if d.domain == self.domain)
        return self.decks


def load_next(
    col: Any,
    scope: Scope,
    *,
    now: datetime,
    seed: int | None = None,
    shown: tuple[CardId, int | None] | None = None,
) -> LoadedCard | None:
    """The next card due in the scope, or None when nothing is left today. `shown` is a
    card with the seed it was last shown with (a redo brings back the card an undo took
    off the screen): if that card comes next, it keeps its seed, so its options' order."""
    if scope.is_empty(col, now=now):
        return None
    view = col.next_card(scope.selection, now=now)
    if view is None:
        return None
    if shown is not None and CardId(view.card.id) == shown[0]:
        seed = shown[1]
    return load(col, view, now=now, back=False, seed=seed)


def load_card(
    col: Any,
    card_id: CardId,
    *,
    now: datetime,
    seed: int | None = None,
    shown_before: LoadedCard | None = None,
) -> LoadedCard:
    return load(col, col.card(card_id), now=now, seed=seed, shown_before=shown_before)


def try_load_card(
    col: Any,
    card_id: CardId,
    *,
    now: datetime,
    seed: int | None = None,
    shown_before: LoadedCard | None = None,
) -> LoadedCard | None:
    """The card, or None if an edit removed it (a cloze deleted, say). `shown_before`:
    the card as shown before the edit, whose option order carries over (see `load`)."""
    try:
        return load(col, col.card(card_id), now=now, seed=seed, shown_before=shown_before)
    except (FlashcardsError, KeyError, LookupError):
        return None


def count_left(col: Any, scope: Scope, *, now: datetime) -> tuple[int, int, int]:
    """(new, learning, review) cards the session still shows: learning cards only once
    they are due within the learn-ahead window, as the next card is chosen."""
    if scope.is_empty(col, now=now):
        return (0, 0, 0)
    new, learning, review = col.counts(scope.selection, now=now, learn_ahead=True)
    return (new, learning, review)


def fetch_next(
    col: Any,
    scope: Scope,
    *,
    now: datetime,
    seed: int | None = None,
    shown: tuple[CardId, int | None] | None = None,
) -> NextCard:
    """The next card of the scope with what is left once it is on screen (`shown`: see
    `load_next`)."""
    loaded = load_next(col, scope, now=now, seed=seed, shown=shown)
    return NextCard(loaded, count_left(col, scope, now=now))


def fetch_card(
    col: Any, card_id: CardId, scope: Scope, *, now: datetime, seed: int | None = None
) -> NextCard:
    """One particular card with what is left of the scope."""
    return NextCard(load_card(col, card_id, now=now, seed=seed), count_left(col, scope, now=now))


def next_due(col: Any, scope: Scope, *, now: datetime) -> datetime | None:
    """When the scope's next card falls due after `now`."""
    names = [d for d in scope.deck_names(col, now=now) if d is not None]
    return extras.next_due(col, decks=names or None, now=now)


def leech_notice(col: Any, change: Any, *, now: datetime) -> str:
    """What the review screen says when an answer made a card a leech (and suspended it,
    if its preset says so), with anything that could not be done."""
    notes = []
    for card_id in sorted(change.leeches):
        view = col.card(card_id, now=now)
        done = "tagged leech and suspended" if view.suspended else "tagged leech"
        times = "once" if view.lapses == 1 else f"{view.lapses} times"
        notes.append(
            f"Leech: “{view.card.title}” has been forgotten {times} — {done}. "
            "Rewrite or split it (E), or undo (Ctrl+Z)."
        )
    return " ".join([*notes, *getattr(change, "warnings", ())])


def note_source(col: Any, note_id: NoteId, *, title: str, file: str) -> NoteSource:
    """The note's Markdown lines with its deck, folder and the titles links may name."""
    from flashcards.collection.browse import card_titles  # SQLAlchemy: on the worker

    return NoteSource(
        note_id=note_id,
        text=col.note_source(note_id),
        title=title,
        deck=file,
        base_dir=base_dir_of(col, file),
        titles=tuple(card_titles(col)),
        media_root=media_root_of(col, file),
    )


def save_note(col: Any, note_id: NoteId, text: str, *, base: str | None) -> EditConflict | None:
    """Write a card editor's text; lines changed on disk since `base` are left as they
    are and returned as the conflict to ask about (nothing written)."""
    from flashcards.core.errors import NoteChangedError

    try:
        col.update_note_source(note_id, text, base=base)
    except NoteChangedError as error:
        return EditConflict(note_id, mine=text, theirs=error.current, deck=error.key)
    return None


def render_front_with_choices(loaded: LoadedCard, selected: frozenset[int]) -> str:
    """The question with the picked options (file indexes) marked, in the shown order."""
    render = _render()
    html: str = render.render_card(
        loaded.view.card,
        side=render.Side.FRONT,
        base_dir=loaded.base_dir,
        selected=selected,
        order=loaded.order,
        media_root=loaded.media_root,
    )
    return html


def render_back_with_choices(loaded: LoadedCard, selected: frozenset[int]) -> str:
    """The answer with the picks and the right options marked, in the shown order."""
    render = _render()
    html: str = render.render_card(
        loaded.view.card,
        side=render.Side.BACK,
        base_dir=loaded.base_dir,
        selected=selected,
        reveal_choices=True,
        order=loaded.order,
        media_root=loaded.media_root,
    )
    return html


def resolve_link(col: Any, href: str, *, from_note: NoteId) -> RelatedCards:
    """The card a `card:` link in `from_note` points at, with its backlinks."""
    link = _render().link_from_href(href)
    if link is None:
        raise FlashcardsError(f"Not a card link: {href}")
    file, title = link.file, link.target
    wanted = title.casefold()
    for view in col.links_of(from_note):
        card = view.card
        if card.title.casefold() != wanted:
            continue
        if file is not None and not card.file.removesuffix(".md").endswith(
            file.removesuffix(".md")
        ):
            continue
        return related(col, view)
    raise FlashcardsError(f"No card titled “{title}” is linked from this card.")


def related(col: Any, view: Any) -> RelatedCards:
    card = view.card
    html = _render().render_card(
        card,
        side=_render().Side.BACK,
        base_dir=base_dir_of(col, card.file),
        media_root=media_root_of(col, card.file),
    )
    backlinks = tuple(col.backlinks(card.note_id))
    return RelatedCards(view=view, html=html, backlinks=backlinks)


def related_by_id(col: Any, card_id: CardId) -> RelatedCards:
    return related(col, col.card(card_id))


def render_template_side(
    loaded: LoadedCard, *, back: bool, hints: frozenset[int], typed: str | None
) -> str:
    """A note type's card side with the hints opened and the typed answer compared."""
    from flashcards.core.template_side import render_template_card

    html: str = render_template_card(
        loaded.view.card,
        back=back,
        base_dir=loaded.base_dir,
        media_root=loaded.media_root,
        hints=hints,
        typed=typed,
    )
    return html
