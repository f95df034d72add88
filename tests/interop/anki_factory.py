"""Anki packages made by the real `anki` package, in every layout, for the tests.

The collection holds one note of each notetype shape, media with a non-ASCII name,
tags, a flag, a suspended card and a review history inserted with fixed times.
"""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from anki.collection import Collection
from anki.import_export_pb2 import (
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)

MEDIA_NAME = "café é.jpg"
MEDIA_BYTES = b"\xff\xd8\xff fake jpeg \xe9"
SOUND_NAME = "maison ü.mp3"
SOUND_BYTES = b"ID3 fake mp3"
REVIEW_TIMES = [
    datetime(2026, 10, 1, 9, tzinfo=UTC),
    datetime(2026, 10, 2, 9, tzinfo=UTC),
    datetime(2026, 10, 6, 9, tzinfo=UTC),
]
LAYOUTS = ("anki2", "anki21", "anki21b", "colpkg")


@dataclass(frozen=True)
class Sample:
    """What the sample collection holds, for assertions."""

    basic_guid: str
    reversed_guid: str
    optional_on_guid: str
    optional_off_guid: str
    cloze_guid: str
    custom_guid: str
    basic_card_id: int
    reversed_card_ids: tuple[int, int]
    cloze_card_ids: tuple[int, int]


def build_collection(path: Path) -> tuple[Collection, Sample]:
    col = Collection(str(path))
    lang = col.decks.id("Lang::Français")
    science = col.decks.id("Science")
    media_src = path.parent / MEDIA_NAME
    media_src.write_bytes(MEDIA_BYTES)
    stored = col.media.add_file(str(media_src))
    sound_src = path.parent / SOUND_NAME
    sound_src.write_bytes(SOUND_BYTES)
    sound = col.media.add_file(str(sound_src))

    def add(notetype: str, fields: dict[str, str], deck: int, tags: list[str] | None = None):  # noqa: ANN202
        note = col.new_note(col.models.by_name(notetype))
        for key, value in fields.items():
            note[key] = value
        note.tags = tags or []
        col.add_note(note, deck)
        return note

    basic = add(
        "Basic",
        {"Front": f'<b>Bonjour</b> <img src="{stored}">', "Back": "Hello<br>world <i>friend</i>"},
        lang,
        ["fr", "greeting::formal"],
    )
    rev = add("Basic (and reversed card)", {"Front": "chat", "Back": "cat"}, lang, ["fr"])
    opt_on = add(
        "Basic (optional reversed card)",
        {"Front": "chien", "Back": "dog", "Add Reverse": "y"},
        lang,
    )
    opt_off = add(
        "Basic (optional reversed card)",
        {"Front": "oiseau", "Back": "bird", "Add Reverse": ""},
        lang,
    )
    cloze = add(
        "Cloze",
        {
            "Text": "{{c1::Paris::city}} is the capital of {{c2::France}}",
            "Back Extra": "<ul><li>since 987</li></ul>",
        },
        science,
        ["geo"],
    )
    custom_model = col.models.new("Vocab")
    for name in ("Word", "Meaning", "Example"):
        col.models.add_field(custom_model, col.models.new_field(name))
    template = col.models.new_template("Recognise")
    template["qfmt"] = "{{Word}}"
    template["afmt"] = "{{Meaning}}<br>{{Example}}"
    col.models.add_template(custom_model, template)
    col.models.add(custom_model)
    custom = add(
        "Vocab",
        {
            "Word": "maison",
            "Meaning": "house",
            "Example": f"<code>la maison</code> [sound:{sound}]",
        },
        lang,
    )

    basic_card = basic.cards()[0]
    # A review history with fixed times: learn, review, review.
    for i, (when, ease) in enumerate(zip(REVIEW_TIMES, (3, 3, 4), strict=True)):
        col.db.execute(
            "INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)",
            int(when.timestamp() * 1000),
            basic_card.id,
            -1,
            ease,
            [1, 4, 10][i],
            [0, 1, 4][i],
            2500,
            5000,
            0 if i == 0 else 1,
        )
    # A manual reschedule entry (no answer): it comes in as a Rescheduled row, goes back.
    col.db.execute(
        "INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)",
        int(datetime(2026, 10, 7, tzinfo=UTC).timestamp() * 1000),
        basic_card.id,
        -1,
        0,
        5,
        10,
        2500,
        0,
        4,
    )
    col.db.execute(
        "UPDATE cards SET type=2, queue=2, ivl=10, due=?, reps=3 WHERE id=?",
        col.sched.today + 5,
        basic_card.id,
    )
    rev_cards = rev.cards()
    col.set_user_flag_for_cards(1, [rev_cards[0].id])
    col.sched.suspend_cards([rev_cards[1].id])
    cloze_cards = cloze.cards()
    return col, Sample(
        basic_guid=basic.guid,
        reversed_guid=rev.guid,
        optional_on_guid=opt_on.guid,
        optional_off_guid=opt_off.guid,
        cloze_guid=cloze.guid,
        custom_guid=custom.guid,
        basic_card_id=basic_card.id,
        reversed_card_ids=(rev_cards[0].id, rev_cards[1].id),
        cloze_card_ids=(cloze_cards[0].id, cloze_cards[1].id),
    )


def export_package(
    col: Collection, out: Path, *, layout: str, scheduling: bool = True, media: bool = True
) -> Path:
    """Write the collection (all decks) as a package of `layout` ("anki21b", "anki21",
    "anki2" or "colpkg"), without deck options. "colpkg" closes `col`."""
    if layout == "colpkg":
        col.export_collection_package(str(out), include_media=media, legacy=False)
        return out
    col.export_anki_package(
        out_path=str(out),
        options=ExportAnkiPackageOptions(
            with_scheduling=scheduling,
            with_media=media,
            with_deck_configs=False,
            legacy=layout != "anki21b",
        ),
        limit=None,
    )
    if layout == "anki2":
        _to_anki2_layout(out)
    return out


def _to_anki2_layout(path: Path) -> None:
    """Rewrite a legacy package as the oldest layout: only `collection.anki2`, no `meta`."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            if name in ("meta", "collection.anki2"):
                continue
            target = "collection.anki2" if name == "collection.anki21" else name
            dst.writestr(target, src.read(name))
    shutil.move(tmp, path)


def anki_import(package: Path, collection: Path) -> Collection:
    """Import `package` into the (new or existing) Anki collection at `collection`."""
    collection.parent.mkdir(parents=True, exist_ok=True)
    col = Collection(str(collection))
    col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(package),
            options=ImportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=False, merge_notetypes=True
            ),
        )
    )
    return col
