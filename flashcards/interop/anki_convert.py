"""An Anki collection (already read from its package) as an ImportBundle.

One deck file per Anki deck (`Parent::Child` -> `parent/child.md`), media beside it in
`media/` under safe names, review log converted and replayed into memory states, flags
and suspension carried per card.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from operator import attrgetter
from pathlib import Path, PurePosixPath

from flashcards.core.model import (
    CardId,
    Flag,
    NoteId,
)
from flashcards.core.parser import ParseResult
from flashcards.interop.anki_db import AnkiCard, AnkiCollection, AnkiNote
from flashcards.interop.anki_due import kept_memory
from flashcards.interop.anki_notes import (
    Shape,
    card_id_for_ord,
    cloze_extras,
    note_block,
    note_id_for_guid,
    shape_of,
)
from flashcards.interop.anki_notetypes import declared_definitions, notetype_keys
from flashcards.interop.anki_origin import origin_entry
from flashcards.interop.bundle import (
    CardImport,
    ImportBundle,
    MediaFile,
    Progress,
    Skipped,
    fingerprint,
    report_progress,
)
from flashcards.interop.deck_writer import NoteBlock, build_deck, slug
from flashcards.interop.history import convert_revlog, replay
from flashcards.interop.html_md import safe_name
from flashcards.interop.image_occlusion import occlusion_blocks, occlusion_report

MEDIA_DIR = "media"
_ORD = attrgetter("ord")


def deck_paths(names: list[str], *, prefix: str = "") -> dict[str, str]:
    """Library-relative file for each Anki deck name; distinct names get distinct files."""
    taken: set[str] = set()
    out: dict[str, str] = {}
    for name in sorted(names, key=str.casefold):
        parts = [slug(p) for p in name.split("::")]
        base = "/".join(filter(None, [prefix.strip("/"), *parts]))
        path, n = f"{base}.md", 2
        while path.casefold() in taken:
            path, n = f"{base}-{n}.md", n + 1
        taken.add(path.casefold())
        out[name] = path
    return out


class _MediaNames:
    """Gives each original media name one safe name, and records which decks use it."""

    def __init__(self, sources: Mapping[str, Path]) -> None:
        self.sources = sources
        self.safe: dict[str, str] = {}
        self._taken: set[str] = set()
        self.placed: dict[str, MediaFile] = {}
        self.missing: set[str] = set()
        self._renamers: dict[str, Callable[[str], str | None]] = {}

    def name_for(self, original: str) -> str:
        if original not in self.safe:
            base = safe_name(original)
            name, n = base, 2
            while name.casefold() in self._taken:
                stem, dot, ext = base.rpartition(".")
                name = f"{stem}-{n}.{ext}" if dot else f"{base}-{n}"
                n += 1
            self._taken.add(name.casefold())
            self.safe[original] = name
        return self.safe[original]

    def renamer(self, deck_path: str) -> Callable[[str], str | None]:
        if deck_path not in self._renamers:
            self._renamers[deck_path] = self._make_renamer(deck_path)
        return self._renamers[deck_path]

    def _make_renamer(self, deck_path: str) -> Callable[[str], str | None]:
        folder = PurePosixPath(deck_path).parent

        def rename(original: str) -> str | None:
            if "://" in original or original.startswith("data:"):
                return None
            source = self.sources.get(original)
            if source is None:
                self.missing.add(original)
                return None
            name = self.name_for(original)
            path = str(folder / MEDIA_DIR / name) if str(folder) != "." else f"{MEDIA_DIR}/{name}"
            self.placed.setdefault(path, MediaFile(path=path, source=source))
            return f"{MEDIA_DIR}/{name}"

        return rename

    def place_picture(self, deck_path: str, key: str, data: bytes, folder: Path) -> str:
        """Place a picture made here (named by `key`), written into `folder`."""
        name = self.name_for(key)
        deck_folder = PurePosixPath(deck_path).parent
        path = (
            str(deck_folder / MEDIA_DIR / name)
            if str(deck_folder) != "."
            else f"{MEDIA_DIR}/{name}"
        )
        staged = folder / f"{len(self.placed)}.svg"
        staged.write_bytes(data)
        self.placed[path] = MediaFile(path=path, source=staged)
        return f"{MEDIA_DIR}/{name}"


_FLAGS = {int(f): f for f in Flag}


def _flag(card: AnkiCard, skipped_flags: list[int]) -> Flag:
    value = card.flags & 7
    flag = _FLAGS.get(value)
    if flag is None:  # pink, turquoise, purple
        skipped_flags.append(value)
        return Flag.NONE
    return flag


def convert_collection(
    col: AnkiCollection,
    *,
    source: str,
    media: Mapping[str, Path],
    prefix: str = "",
    progress: Progress | None = None,
) -> ImportBundle:
    """The bundle for every note of `col`; `media` maps Anki media names to staged files."""
    skipped: list[Skipped] = []
    cards_by_note: dict[int, list[AnkiCard]] = {}
    for card in col.cards:
        cards_by_note.setdefault(card.nid, []).append(card)
    home: dict[int, str] = {}
    for nid, note_cards in cards_by_note.items():
        first = note_cards[0] if len(note_cards) == 1 else min(note_cards, key=_ORD)
        deck = col.decks.get(first.deck_id)
        home[nid] = deck.name if deck is not None else "Default"
    paths = deck_paths(sorted(set(home.values())), prefix=prefix)
    names = _MediaNames(media)
    shapes = {mid: shape_of(nt) for mid, nt in col.notetypes.items()}
    others = [nt for mid, nt in col.notetypes.items() if shapes[mid] is Shape.OTHER]
    keys = notetype_keys(others)
    definitions = declared_definitions(others, keys, source=source)
    blocks: dict[str, list[NoteBlock]] = {p: [] for p in paths.values()}
    note_ids: dict[int, NoteId] = {}
    note_shapes = {note.id: shapes.get(note.mid, Shape.OTHER) for note in col.notes}
    sources: dict[NoteId, tuple[AnkiNote, str]] = {}  # the Anki note and its deck file
    guids: dict[NoteId, str] = {}
    prints: dict[NoteId, str] = {}
    mods: dict[NoteId, int] = {}
    extras: dict[NoteId, list[str]] = {}  # a wide cloze note's fields after its text
    occluded: list[int] = []  # Image Occlusion notes that came in
    total = len(col.notes)
    for done, note in enumerate(col.notes):
        if done % 500 == 0:
            report_progress(progress, done, total, "converting notes")
        notetype = col.notetypes.get(note.mid)
        if notetype is None:
            skipped.append(Skipped(f"Anki note {note.id}", "its notetype is missing"))
            continue
        if note.id not in home:
            skipped.append(Skipped(f"Anki note {note.id}", "it has no cards"))
            continue
        path = paths[home[note.id]]
        if shapes[note.mid] is Shape.IMAGE_OCCLUSION:
            if _add_occlusion(note, path, names, blocks, skipped, guids):
                occluded.append(note.id)
                note_ids[note.id] = note_id_for_guid(note.guid)
            continue
        block = note_block(
            note,
            notetype,
            rename=names.renamer(path),
            shape=shapes[note.mid],
            key=keys.get(note.mid, ""),
        )
        if block.id in guids:
            skipped.append(Skipped(f"Anki note {note.id}", "duplicate guid"))
            continue
        blocks[path].append(block)
        note_ids[note.id] = block.id
        sources[block.id] = (note, path)
        guids[block.id] = note.guid
        prints[block.id] = fingerprint(note.fields)
        mods[block.id] = note.mod
        if shapes[note.mid] is Shape.CLOZE and len(notetype.fields) > 2:
            # a cloze type with fields of its own: what each held, for the export back
            extras[block.id] = cloze_extras(
                note.fields, len(notetype.fields), rename=names.renamer(path)
            )
    report_progress(progress, total, total, "checking decks")
    decks: dict[str, str] = {}
    parsed: dict[str, ParseResult] = {}
    built_skips: dict[str, list[Skipped]] = {}
    known: set[CardId] = set()  # the cards the deck files make
    kept: set[NoteId] = set()
    made: dict[str, tuple[set[CardId], set[NoteId]]] = {}  # a deck file's cards and notes
    counts: dict[str, int] = {}

    def build(path: str, name: str) -> None:
        built = build_deck(
            path, title=name.split("::")[-1], blocks=blocks[path], notetypes=definitions
        )
        decks[path] = built.text
        parsed.pop(path, None)
        if built.result is not None:
            parsed[path] = built.result
        built_skips[path] = list(built.skipped)
        counts[path] = len(built.notes)
        if path in made:  # built again: what it made before goes
            known.difference_update(made[path][0])
            kept.difference_update(made[path][1])
        made[path] = (
            {c.id for n in built.notes for c in n.cards},
            {n.id for n in built.notes if n.id is not None},
        )
        known.update(made[path][0])
        kept.update(made[path][1])

    for name, path in paths.items():
        if blocks[path]:
            build(path, name)
    deck_of = {path: name for name, path in paths.items()}

    def rebuild(changes: Mapping[NoteId, NoteBlock]) -> None:
        for path in sorted({sources[nid][1] for nid in changes}):
            blocks[path] = [changes.get(b.id, b) for b in blocks[path]]
            build(path, deck_of[path])

    # Empty cards Anki kept (a template whose front now shows no field of the note, until
    # Anki's Empty Cards deletes it) come in with their history, as Anki imports them. A
    # Basic or reversed note with one (its reverse side emptied, say) is written as a note
    # of its Anki note type, which can keep it; a note type's note keeps it with `keep=`.
    refs = _card_refs(col, note_ids, note_shapes)
    native = _unmatched_native_notes(refs, known)
    if native:
        mids = {sources[our_id][0].mid for our_id in native}
        more = notetype_keys([col.notetypes[m] for m in mids], taken=set(keys.values()))
        keys.update(more)
        definitions.update(
            declared_definitions([col.notetypes[m] for m in mids], more, source=source)
        )
        changes: dict[NoteId, NoteBlock] = {}
        for our_id in native:
            note, path = sources[our_id]
            note_shapes[note.id] = Shape.OTHER
            changes[our_id] = note_block(
                note,
                col.notetypes[note.mid],
                rename=names.renamer(path),
                shape=Shape.OTHER,
                key=keys[note.mid],
            )
        rebuild(changes)
        refs = _card_refs(col, note_ids, note_shapes)  # their shapes changed
    empty = _kept_empty_cards(refs, known)
    if empty:
        by_id = {b.id: b for path in {sources[n][1] for n in empty} for b in blocks[path]}
        rebuild({n: by_id[n]._replace(keep=numbers) for n, numbers in empty.items()})
    for path in paths.values():
        skipped.extend(built_skips.get(path, ()))
    note_count = sum(counts.values())
    card_ids, states = _card_ids(refs, known, skipped)
    log = convert_revlog(col.revlog, card_ids)
    skipped.extend(log.skipped)
    replayed = replay(log.entries)
    flags_dropped: list[int] = []
    cards: dict[CardId, CardImport] = {}
    for anki_card, card_id in states:
        # Anki's card type and due date, the replay's memory (anki_due; docs/import-export.md)
        memory = kept_memory(anki_card, replayed.get(card_id), col.crt)
        queue = anki_card.queue
        cards[card_id] = CardImport(
            card_id,
            memory,
            _flag(anki_card, flags_dropped),
            queue == -1,
            queue in (-2, -3),
            lapses=max(0, anki_card.lapses),  # as Anki's card info and leech count have it
        )
    if occluded:
        skipped.append(occlusion_report(len(occluded)))
    if flags_dropped:
        skipped.append(
            Skipped(f"{len(flags_dropped)} card flags", "pink/turquoise/purple have no match")
        )
    if names.missing:
        skipped.append(
            Skipped(
                f"{len(names.missing)} media references",
                "not in the package: " + ", ".join(sorted(names.missing)[:5]),
            )
        )
    unused = set(media) - set(names.safe)
    latex = {name for name in unused if _LATEX_IMAGE.fullmatch(name)}
    if latex:
        skipped.append(
            Skipped(
                f"{len(latex)} LaTeX image{'s' if len(latex) != 1 else ''} Anki generated",
                "not needed: the formulas are drawn here from their TeX",
            )
        )
    if unused - latex:
        skipped.append(
            Skipped(f"{len(unused - latex)} media files", "not used by any imported note")
        )
    return ImportBundle(
        source=source,
        decks=decks,
        media=tuple(names.placed.values()),
        reviews=log.entries,
        cards=cards,
        anki_guids={nid: g for nid, g in guids.items() if nid in kept},
        fingerprints={nid: f for nid, f in prints.items() if nid in kept},
        mods={nid: t for nid, t in mods.items() if nid in kept},
        anki_types={nid: str(sources[nid][0].mid) for nid in kept if nid in sources},
        anki_notetypes={
            str(mid): origin_entry(col.notetypes[mid])
            for mid in {sources[nid][0].mid for nid in kept if nid in sources}
        },
        anki_cloze_fields={
            nid: values
            for nid, values in extras.items()
            if nid in kept and note_shapes[sources[nid][0].id] is Shape.CLOZE
        },
        note_count=note_count,
        card_count=len(known),
        skipped=tuple(skipped),
        parsed=parsed,
        notetypes=definitions,
    )


# An Anki card of an imported note: its note's id and shape, and our card id for it (None:
# its template or cloze number has no counterpart in our syntax).
_CardRef = tuple[AnkiCard, NoteId, Shape, CardId | None]


def _card_refs(
    col: AnkiCollection, note_ids: Mapping[int, NoteId], note_shapes: Mapping[int, Shape]
) -> list[_CardRef]:
    """Every Anki card of an imported note with our card id for it, worked out once for
    the three passes below (each was a pass over every card of the package)."""
    refs: list[_CardRef] = []
    for card in col.cards:
        note_id = note_ids.get(card.nid)
        if note_id is None:
            continue
        shape = note_shapes.get(card.nid, Shape.OTHER)
        refs.append((card, note_id, shape, card_id_for_ord(note_id, shape, card.ord)))
    return refs


def _card_ids(
    refs: list[_CardRef], known: set[CardId], skipped: list[Skipped]
) -> tuple[dict[int, CardId], list[tuple[AnkiCard, CardId]]]:
    mapped: dict[int, CardId] = {}
    pairs: list[tuple[AnkiCard, CardId]] = []
    unmatched: dict[str, int] = {}
    for card, _note_id, shape, card_id in refs:
        if card_id is None or card_id not in known:
            reason = _UNMATCHED.get(shape, _UNMATCHED[Shape.OTHER])
            unmatched[reason] = unmatched.get(reason, 0) + 1
            continue
        mapped[card.id] = card_id
        pairs.append((card, card_id))
    for reason, count in unmatched.items():
        skipped.append(Skipped(f"{count} Anki card{'s' if count != 1 else ''}", reason))
    return mapped, pairs


def _unmatched_native_notes(refs: list[_CardRef], known: set[CardId]) -> set[NoteId]:
    """Basic and reversed notes with an Anki card their deck text does not make."""
    found: set[NoteId] = set()
    for _card, note_id, shape, card_id in refs:
        if shape in (Shape.OTHER, Shape.CLOZE, Shape.IMAGE_OCCLUSION):
            continue
        if card_id is None or card_id not in known:
            found.add(note_id)
    return found


def _kept_empty_cards(refs: list[_CardRef], known: set[CardId]) -> dict[NoteId, tuple[int, ...]]:
    """The template numbers of each note type's note whose Anki cards the note's deck
    text does not make (their fronts are empty now)."""
    found: dict[NoteId, set[int]] = {}
    for card, note_id, shape, card_id in refs:
        # A note type's card id is template_card_id(note, ord + 1) (card_id_for_ord).
        if shape is Shape.OTHER and card_id not in known:
            found.setdefault(note_id, set()).add(card.ord + 1)
    return {nid: tuple(sorted(numbers)) for nid, numbers in found.items()}


_UNMATCHED = {
    Shape.CLOZE: "their cloze number is not in the note's text here (a nested deletion)",
    Shape.IMAGE_OCCLUSION: "their Image Occlusion shapes could not be drawn (said above)",
    Shape.OTHER: (
        "their template shows nothing for the note: an empty card Anki kept "
        "(Anki's Tools > Empty Cards deletes them)"
    ),
    Shape.BASIC: "an empty card Anki kept: the note's reverse field is empty",
    Shape.REVERSED: "an empty card Anki kept: its side of the note is empty",
    Shape.OPTIONAL_REVERSED: "an empty card Anki kept: the note's 'Add Reverse' field is empty",
}
_LATEX_IMAGE = re.compile(r"latex-[0-9a-f]{40}\.(?:png|svg)")


def _add_occlusion(
    note: AnkiNote,
    path: str,
    names: _MediaNames,
    blocks: dict[str, list[NoteBlock]],
    skipped: list[Skipped],
    guids: dict[NoteId, str],
) -> bool:
    """An Image Occlusion note's Basic notes and pictures (image_occlusion.py)."""
    base = note_id_for_guid(note.guid)
    if base in guids:
        skipped.append(Skipped(f"Anki note {note.id}", "duplicate guid"))
        return False
    guids[base] = note.guid  # only to find a duplicate: dropped from the bundle
    staged: dict[str, str] = {}
    made = occlusion_blocks(
        note,
        note_id=base,
        rename=names.renamer(path),
        source_of=names.sources.get,
        picture_name=lambda key: staged.setdefault(key, f"{MEDIA_DIR}/{names.name_for(key)}"),
    )
    skipped.extend(made.skipped)
    if not made.blocks:
        return False
    image = names.sources[made.image]
    folder = image.parent / "image-occlusion"
    folder.mkdir(exist_ok=True)
    for key, data in made.pictures:
        names.place_picture(path, key, data, folder)
    blocks[path].extend(made.blocks)
    return True
