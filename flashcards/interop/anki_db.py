"""Reading an Anki collection database (schema 11 or 15–18) into plain rows.

Schema 11 (`collection.anki2` / `.anki21`) keeps notetypes and decks as JSON in the
`col` row; schema 15+ (`collection.anki21b`) has `notetypes`, `fields`, `templates` and
`decks` tables whose configs are protobuf blobs and whose names use the `unicase`
collation, which must be registered before SQLite will touch those tables.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from flashcards.core.errors import InteropError
from flashcards.core.sqlite_uri import sqlite_uri
from flashcards.interop import protobuf_min as pb
from flashcards.interop.anki_checks import check_rows

SUPPORTED_SCHEMAS = (11, *range(15, 19))


@dataclass(frozen=True)
class AnkiTemplate:
    name: str
    qfmt: str
    afmt: str


@dataclass(frozen=True)
class AnkiNotetype:
    id: int
    name: str
    cloze: bool
    fields: tuple[str, ...]
    templates: tuple[AnkiTemplate, ...]
    mod: int = 0  # when it was last changed in Anki (its mtime), epoch seconds
    stock_kind: int = 0  # the stock note type it was made from (6: Image Occlusion)


@dataclass(frozen=True)
class AnkiDeck:
    id: int
    name: str  # "Parent::Child"
    filtered: bool


# Notes, cards and revlog rows are NamedTuples: tens of thousands are built per import,
# straight from SQLite's row tuples, and a frozen dataclass's __init__ costs far more.
class AnkiNote(NamedTuple):
    id: int
    guid: str
    mid: int
    tags: tuple[str, ...]
    fields: tuple[str, ...]
    mod: int = 0  # when the note was last changed in Anki, epoch seconds


class AnkiCard(NamedTuple):
    id: int
    nid: int
    did: int
    ord: int
    type: int
    queue: int
    due: int
    ivl: int
    factor: int
    reps: int
    lapses: int
    odid: int
    flags: int
    odue: int = 0  # a card in a filtered deck: its due in its home deck (0: none)

    @property
    def deck_id(self) -> int:
        """The card's home deck (a card in a filtered deck remembers it in `odid`)."""
        return self.odid or self.did


class AnkiRevlog(NamedTuple):
    id: int  # epoch milliseconds of the answer
    cid: int
    ease: int
    ivl: int
    last_ivl: int
    factor: int
    time: int  # milliseconds taken
    type: int


@dataclass(frozen=True)
class AnkiCollection:
    schema: int
    crt: int  # collection creation, epoch seconds (day 0 of review-card `due`)
    notetypes: dict[int, AnkiNotetype]
    decks: dict[int, AnkiDeck]
    notes: list[AnkiNote]
    cards: list[AnkiCard]
    revlog: list[AnkiRevlog]


def _unicase(a: str, b: str) -> int:
    x, y = a.casefold(), b.casefold()
    return (x > y) - (x < y)


@contextmanager
def _connect(path: Path, label: str) -> Iterator[sqlite3.Connection]:
    try:
        db = sqlite3.connect(sqlite_uri(path, "ro"), uri=True)
    except sqlite3.Error as exc:
        raise InteropError(label, f"cannot open the Anki database ({exc})") from exc
    try:
        db.create_collation("unicase", _unicase)
        yield db
    except sqlite3.Error as exc:
        raise InteropError(label, f"corrupt or truncated Anki database ({exc})") from exc
    finally:
        db.close()


def read_collection(path: Path, *, label: str) -> AnkiCollection:
    """Read every note, card, revlog row, notetype and deck of the database at `path`.

    `label` names the file in errors (e.g. "deck.apkg:collection.anki21").
    Raises `InteropError` for a corrupt file or an unknown schema version.
    """
    with _connect(path, label) as db:
        check = db.execute("PRAGMA quick_check").fetchone()
        if check is None or check[0] != "ok":
            raise InteropError(label, f"corrupt Anki database ({check[0] if check else '?'})")
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"col", "notes", "cards", "revlog"} <= tables:
            raise InteropError(label, "not an Anki collection (tables missing)")
        row = db.execute("SELECT ver, crt, models, decks FROM col").fetchone()
        if row is None:
            raise InteropError(label, "not an Anki collection (no col row)")
        schema, crt, models_json, decks_json = row
        if schema not in SUPPORTED_SCHEMAS:
            raise InteropError(label, f"unknown Anki schema version {schema}")
        check_rows(db, label)  # a stranger's numbers and types, before anything uses them
        if schema == 11:
            notetypes, decks = _legacy_config(models_json, decks_json, label)
        else:
            try:
                notetypes, decks = _table_config(db)
            except (TypeError, ValueError, AttributeError, pb.ProtobufError) as exc:
                # a name stored as a blob, a config as text: not what Anki writes
                raise InteropError(
                    label, f"unreadable notetype or deck configuration ({exc})"
                ) from exc
        notes = [
            AnkiNote(nid, guid, mid, tuple(tags.split()), tuple(flds.split("\x1f")), mod)
            for nid, guid, mid, tags, flds, mod in db.execute(
                "SELECT id, guid, mid, tags, flds, mod FROM notes ORDER BY id"
            )
        ]
        cards = list(
            map(
                AnkiCard._make,
                db.execute(
                    "SELECT id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses, "
                    "odid, flags, odue FROM cards ORDER BY nid, ord"
                ),
            )
        )
        revlog = list(
            map(
                AnkiRevlog._make,
                db.execute(
                    "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id"
                ),
            )
        )
    return AnkiCollection(
        schema=schema,
        crt=crt,
        notetypes=notetypes,
        decks=decks,
        notes=notes,
        cards=cards,
        revlog=revlog,
    )


def _legacy_config(
    models_json: str, decks_json: str, label: str
) -> tuple[dict[int, AnkiNotetype], dict[int, AnkiDeck]]:
    try:
        models = json.loads(models_json)
        decks = json.loads(decks_json)
        notetypes = {
            int(m["id"]): AnkiNotetype(
                id=int(m["id"]),
                name=str(m["name"]),
                cloze=int(m.get("type", 0)) == 1,
                fields=tuple(str(f["name"]) for f in sorted(m["flds"], key=lambda f: f["ord"])),
                templates=tuple(
                    AnkiTemplate(str(t["name"]), str(t.get("qfmt", "")), str(t.get("afmt", "")))
                    for t in sorted(m["tmpls"], key=lambda t: t["ord"])
                ),
                mod=int(m.get("mod") or 0),
                stock_kind=int(m.get("originalStockKind") or 0),
            )
            for m in models.values()
        }
        deck_map = {
            int(d["id"]): AnkiDeck(
                id=int(d["id"]), name=str(d["name"]), filtered=bool(d.get("dyn"))
            )
            for d in decks.values()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InteropError(label, f"unreadable notetype or deck configuration ({exc})") from exc
    return notetypes, deck_map


def _table_config(db: sqlite3.Connection) -> tuple[dict[int, AnkiNotetype], dict[int, AnkiDeck]]:
    fields: dict[int, list[str]] = {}
    for ntid, name in db.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(ntid, []).append(name)
    templates: dict[int, list[AnkiTemplate]] = {}
    for ntid, name, config in db.execute(
        "SELECT ntid, name, config FROM templates ORDER BY ntid, ord"
    ):
        cfg = pb.decode(config)
        templates.setdefault(ntid, []).append(
            AnkiTemplate(
                name, pb.first_bytes(cfg, 1).decode("utf-8"), pb.first_bytes(cfg, 2).decode("utf-8")
            )
        )
    notetypes = {}
    for ntid, name, mtime, config in db.execute(
        "SELECT id, name, mtime_secs, config FROM notetypes"
    ):
        cfg = pb.decode(config)
        kind = pb.first_int(cfg, 1)
        notetypes[ntid] = AnkiNotetype(
            id=ntid,
            name=name,
            cloze=kind == 1,
            fields=tuple(fields.get(ntid, ())),
            templates=tuple(templates.get(ntid, ())),
            mod=int(mtime or 0),
            stock_kind=pb.first_int(cfg, 9),
        )
    decks = {
        did: AnkiDeck(id=did, name=name.replace("\x1f", "::"), filtered=2 in pb.decode(kind))
        for did, name, kind in db.execute("SELECT id, name, kind FROM decks")
    }
    return notetypes, decks
