"""Anki packages of every layout, made by the real `anki` package, read into bundles."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from anki_factory import LAYOUTS, MEDIA_BYTES, REVIEW_TIMES, SOUND_BYTES, Sample

from flashcards.core.model import CardKind, CardState, Flag, ReviewKind
from flashcards.core.parser import parse_deck
from flashcards.interop.anki_notes import note_id_for_guid
from flashcards.interop.anki_package import import_anki_package
from flashcards.interop.bundle import ImportBundle


def _read(package: Path, tmp_path: Path) -> ImportBundle:
    work = tmp_path / "work"
    work.mkdir(parents=True, exist_ok=True)
    return import_anki_package(package, workdir=work)


def _notes(bundle: ImportBundle) -> dict[str, object]:
    out = {}
    for path, text in bundle.decks.items():
        for note in parse_deck(text, path=path).deck.notes:
            out[note.id] = note
    return out


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_gives_the_same_decks_notes_and_cards(
    layout: str, anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path
) -> None:
    package, sample = anki_packages[layout]
    bundle = _read(package, tmp_path)
    assert set(bundle.decks) == {"lang/francais.md", "science.md"}
    assert bundle.decks["lang/francais.md"].startswith("---\ntitle: Français\nnotetypes:\n")
    assert bundle.decks["science.md"].startswith("---\ntitle: Science\n---\n")
    notes = _notes(bundle)
    assert bundle.note_count == 6 == len(notes)
    # basic 1 + reversed 2 + optional on 2 + optional off 1 + cloze 2 + custom 1
    assert bundle.card_count == 9

    basic = notes[note_id_for_guid(sample.basic_guid)]
    assert basic.title == "Bonjour"
    assert basic.prompt == "**Bonjour** ![](media/café_é.jpg)"
    assert basic.answer == "Hello  \nworld *friend*"
    assert basic.tags == ("fr", "greeting::formal")
    assert [c.kind for c in basic.cards] == [CardKind.BASIC]

    assert notes[note_id_for_guid(sample.reversed_guid)].reverse
    assert notes[note_id_for_guid(sample.optional_on_guid)].reverse
    assert not notes[note_id_for_guid(sample.optional_off_guid)].reverse

    cloze = notes[note_id_for_guid(sample.cloze_guid)]
    assert cloze.cloze_numbers == (1, 2)
    assert "{{c1::Paris::city}} is the capital of {{c2::France}}" in cloze.prompt
    assert cloze.answer == "- since 987"
    assert "Paris" not in cloze.title and "(city)" in cloze.title

    # A note type of its own comes in whole: its fields once, its template's card.
    custom = notes[note_id_for_guid(sample.custom_guid)]
    assert custom.title == "maison" and custom.notetype == "vocab"
    assert dict(custom.fields) == {
        "Word": "maison",
        "Meaning": "house",
        "Example": "`la maison` [🔊 maison ü.mp3](media/maison_ü.mp3)",
    }
    (card,) = custom.cards
    assert card.kind is CardKind.TEMPLATE and card.id == custom.id
    assert card.prompt == "maison"
    assert card.answer == "house  \n`la maison` [🔊 maison ü.mp3](media/maison_ü.mp3)"

    assert bundle.anki_guids[note_id_for_guid(sample.cloze_guid)] == sample.cloze_guid


@pytest.mark.parametrize("layout", LAYOUTS)
def test_media_keeps_non_ascii_name_and_bytes(
    layout: str, anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path
) -> None:
    bundle = _read(anki_packages[layout][0], tmp_path)
    media = {m.path: m.read() for m in bundle.media}
    assert media == {"lang/media/café_é.jpg": MEDIA_BYTES, "lang/media/maison_ü.mp3": SOUND_BYTES}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_review_history_flags_and_suspension(
    layout: str, anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path
) -> None:
    package, sample = anki_packages[layout]
    bundle = _read(package, tmp_path)
    basic_id = note_id_for_guid(sample.basic_guid)
    entries = [e for e in bundle.reviews if e.card_id == basic_id]
    answers = [e for e in entries if e.kind is ReviewKind.REVIEW]
    assert [e.time for e in answers] == REVIEW_TIMES
    assert [int(e.rating) for e in answers] == [3, 3, 4]
    assert answers[0].duration_ms == 5000
    # The manual reschedule (a due date set: it has an ease factor) comes in as Anki keeps
    # it, a manual row that left the card in review 5 days out; nothing is skipped for it.
    (manual,) = [e for e in entries if e.kind is ReviewKind.MANUAL]
    assert manual.time == datetime(2026, 10, 7, tzinfo=UTC)
    assert (manual.state_after, manual.scheduled_days) == (CardState.REVIEW, 5.0)
    assert not any("manual" in s.reason or "entr" in s.what for s in bundle.skipped)

    state = bundle.cards[basic_id].memory
    assert state.state is CardState.REVIEW
    assert state.last_review == REVIEW_TIMES[-1]
    assert state.stability is not None and state.stability > 5  # three passes, last one Easy
    assert state.due is not None and state.due > REVIEW_TIMES[-1]

    rev_id = note_id_for_guid(sample.reversed_guid)
    assert bundle.cards[rev_id].flag is Flag.RED
    assert not bundle.cards[rev_id].suspended
    assert bundle.cards[f"{rev_id}:r"].suspended
    assert bundle.cards[note_id_for_guid(sample.cloze_guid) + ":c2"].memory.state is CardState.NEW


def test_reading_the_same_package_twice_gives_identical_bundles(
    anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path
) -> None:
    package = anki_packages["anki21b"][0]
    first = _read(package, tmp_path / "a")
    second = _read(package, tmp_path / "b")
    assert first.decks == second.decks
    assert first.reviews == second.reviews
    assert first.cards == second.cards
