"""Imports and exports through the Collection: all-or-nothing, idempotent, updating."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from anki_factory import LAYOUTS, Sample, anki_import, build_collection, export_package

from flashcards.collection.collection import Collection
from flashcards.core.errors import CancelledError, InteropError
from flashcards.core.model import CardState, Flag, Rating, ReviewKind
from flashcards.interop.anki_notes import note_id_for_guid


@pytest.fixture
def col(tmp_path: Path) -> Collection:
    collection = Collection.open(tmp_path / "data", seed=False)
    yield collection
    collection.close()


def _library_files(col: Collection) -> dict[str, bytes]:
    return {
        p.relative_to(col.library).as_posix(): p.read_bytes()
        for p in sorted(col.library.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("layout", LAYOUTS)
def test_anki_package_lands_in_the_library_with_history(
    layout: str, col: Collection, anki_packages: dict[str, tuple[Path, Sample]]
) -> None:
    package, sample = anki_packages[layout]
    report = col.import_path(package)
    assert set(report.files) == {"lang/francais.md", "science.md"}
    assert report.media == ("lang/media/café_é.jpg", "lang/media/maison_ü.mp3")
    assert report.cards_added == 9
    # Three answers and the manual reschedule: Anki's four log rows, as Anki imports them.
    assert report.reviews == 4
    assert not any("manual" in w or "review-log" in w for w in report.warnings)
    basic = note_id_for_guid(sample.basic_guid)
    view = col.card(basic)
    assert view.memory.state is CardState.REVIEW
    history = col.history(basic)
    assert [(e.kind, e.rating) for e in history if e.kind is ReviewKind.REVIEW] == [
        (ReviewKind.REVIEW, Rating.GOOD),
        (ReviewKind.REVIEW, Rating.GOOD),
        (ReviewKind.REVIEW, Rating.EASY),
    ]
    assert [e.kind for e in history].count(ReviewKind.MANUAL) == 1
    rev = note_id_for_guid(sample.reversed_guid)
    assert col.card(rev).flag is Flag.RED
    assert col.card(f"{rev}:r").suspended
    assert (col.library / "lang" / "media" / "café_é.jpg").is_file()


@pytest.mark.parametrize("layout", LAYOUTS)
def test_same_package_twice_adds_nothing_and_updates_text(
    layout: str, col: Collection, anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path
) -> None:
    package, sample = anki_packages[layout]
    col.import_path(package)
    before = _library_files(col)
    cards_before = sum(d.total for d in col.decks())
    again = col.import_path(package)
    assert again.cards_added == 0 and again.reviews == 0
    assert _library_files(col) == before
    assert sum(d.total for d in col.decks()) == cards_before
    assert len(col.history(note_id_for_guid(sample.basic_guid))) == 4

    # The user edits an imported card and adds one of their own; the same package again
    # (nothing changed in Anki) keeps both.
    deck = col.library / "lang" / "francais.md"
    text = deck.read_text(encoding="utf-8")
    edited = text.replace("Hello  \nworld", "Hello edited") + "\n## My own card {#mine01}\nkept\n"
    deck.write_text(edited, encoding="utf-8")
    col.sync()
    col.import_path(package)
    assert deck.read_text(encoding="utf-8") == edited
    assert sum(d.total for d in col.decks()) == cards_before + 1


def test_a_note_changed_in_anki_is_updated_in_place(col: Collection, tmp_path: Path) -> None:
    (tmp_path / "anki").mkdir()
    anki, sample = build_collection(tmp_path / "anki" / "collection.anki2")
    first = export_package(anki, tmp_path / "first.apkg", layout="anki21b")
    col.import_path(first)
    deck = col.library / "lang" / "francais.md"
    deck.write_text(
        deck.read_text(encoding="utf-8") + "\n## My own card {#mine01}\nkept\n", encoding="utf-8"
    )
    note = next(
        anki.get_note(n) for n in anki.find_notes("") if anki.get_note(n).guid == sample.basic_guid
    )
    note["Back"] = "Hello, changed in Anki"
    anki.update_note(note)
    # Anki dates a note to the second: the edit is a minute after the first package, as
    # a real one would be (an import updates a note only from a newer copy, as Anki's).
    anki.db.execute("UPDATE notes SET mod = mod + 60 WHERE id = ?", note.id)
    second = export_package(anki, tmp_path / "second.apkg", layout="anki21b")
    anki.close()
    report = col.import_path(second)
    assert report.cards_added == 0 and report.files == ("lang/francais.md",)
    text = deck.read_text(encoding="utf-8")
    assert "Hello, changed in Anki" in text and "Hello  \nworld" not in text
    assert "## My own card {#mine01}" in text
    assert len(col.history(note_id_for_guid(sample.basic_guid))) == 4


def test_export_to_anki_and_back_keeps_our_markdown(col: Collection, tmp_path: Path) -> None:
    deck = col.library / "notes.md"
    source = (
        "---\ntitle: Notes\n---\n\n## Sum {#sum001}\nWhat is `2 + 2`?\n?\n4, *of course*.\n\n"
        "## Chat {#chat01 .reverse}\ncat\n"
    )
    deck.write_text(source, encoding="utf-8")
    col.sync()
    out = tmp_path / "out.apkg"
    col.export(None, out)
    anki = anki_import(out, tmp_path / "anki" / "collection.anki2")
    note = next(
        anki.get_note(n) for n in anki.find_notes("") if anki.get_note(n).guid == "fc:chat01"
    )
    note["Back"] = "le chat"
    anki.update_note(note)
    back = export_package(anki, tmp_path / "back.apkg", layout="anki21b")
    anki.close()
    col.import_path(back)
    text = deck.read_text(encoding="utf-8")
    assert "What is `2 + 2`?\n?\n4, *of course*." in text  # untouched in Anki: kept as written
    assert "le chat" in text and text.count("{#chat01") == 1
    assert not (col.library / "notes").exists()


def test_hostile_package_changes_nothing(col: Collection, tmp_path: Path) -> None:
    package = tmp_path / "evil.apkg"
    with zipfile.ZipFile(package, "w") as z:
        z.writestr("collection.anki21", b"x")
        z.writestr("../escape.md", b"## x {#x}\ny\n")
    before = _library_files(col)
    with pytest.raises(InteropError):
        col.import_path(package)
    assert _library_files(col) == before
    assert not (tmp_path / "data" / "escape.md").exists()


def test_cancelled_import_changes_nothing(
    col: Collection, anki_packages: dict[str, tuple[Path, Sample]]
) -> None:
    calls = []

    def progress(done: int, total: int, message: str) -> bool:
        calls.append(message)
        return "moving" not in message  # cancel at the last moment

    with pytest.raises(CancelledError):
        col.import_path(anki_packages["anki21b"][0], progress=progress)
    assert _library_files(col) == {}
    assert col.decks() == []


def test_csv_import_then_update(col: Collection, tmp_path: Path) -> None:
    path = tmp_path / "vocab.csv"
    path.write_text("#separator:Tab\n#deck:Vocab\nchat\tcat\nchien\tdog\n", encoding="utf-8")
    report = col.import_path(path)
    assert report.files == ("vocab.md",) and report.cards_added == 2
    path.write_text(
        "#separator:Tab\n#deck:Vocab\nchat\ta cat\nchien\tdog\noiseau\tbird\n", encoding="utf-8"
    )
    report = col.import_path(path)
    text = (col.library / "vocab.md").read_text(encoding="utf-8")
    assert "a cat" in text and text.count("## chat") == 1 and "## oiseau" in text
    assert sum(d.total for d in col.decks()) == 3


def test_obsidian_vault_import(col: Collection, tmp_path: Path) -> None:
    vault = tmp_path / "My Vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "bio.md").write_text(
        "#flashcards\n\nCell::Unit of life <!--SR:!2026-12-01,3,250-->\n\n"
        "The ==nucleus== holds DNA.\n",
        encoding="utf-8",
    )
    report = col.import_path(vault)
    assert report.files == ("my-vault/bio.md",)
    assert report.cards_added == 2
    due = [c for c in col.cards([c for c in _card_ids(col)]) if c.memory.state is CardState.REVIEW]
    assert len(due) == 1 and due[0].memory.due == datetime(2026, 12, 1, tzinfo=UTC)


def _card_ids(col: Collection) -> list[str]:
    from flashcards.core.parser import parse_deck

    ids = []
    for p in col.library.rglob("*.md"):
        ids += [c.id for c in parse_deck(p.read_bytes(), path="x.md").deck.cards]
    return ids


def test_export_apkg_and_csv_from_the_collection(
    col: Collection, anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path
) -> None:
    package, sample = anki_packages["anki21b"]
    col.import_path(package)
    out = tmp_path / "out.apkg"
    report = col.export(None, out)
    assert report.cards == 9 and report.media == 2
    anki = anki_import(out, tmp_path / "anki" / "collection.anki2")
    try:
        assert anki.note_count() == 6 and anki.card_count() == 9
        assert (
            anki.db.scalar("SELECT count() FROM revlog") == 4
        )  # 3 answers and the manual row, as in the package
        guids = {anki.get_note(n).guid for n in anki.find_notes("")}
        assert sample.basic_guid in guids  # the original Anki guid is kept
        vocab = next(
            anki.get_note(n)
            for n in anki.find_notes("")
            if anki.get_note(n).guid == sample.custom_guid
        )
        # It goes back as the note type it came as, its sound in its own field.
        assert vocab.note_type()["name"] == "Vocab" and vocab["Meaning"] == "house"
        assert "[sound:maison_ü.mp3]" in vocab["Example"]
        assert (Path(anki.media.dir()) / "maison_ü.mp3").read_bytes() == b"ID3 fake mp3"
    finally:
        anki.close()
    csv_report = col.export(None, tmp_path / "out.csv")
    assert csv_report.cards == 9
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").startswith("#separator:Comma")


def test_obsidian_reimport_keeps_local_edits_and_takes_vault_edits(
    col: Collection, tmp_path: Path
) -> None:
    vault = tmp_path / "Vault"
    (vault / ".obsidian").mkdir(parents=True)
    note = vault / "bio.md"
    note.write_text("Cell::Unit of life\n\nAtom::Smallest unit\n", encoding="utf-8")
    col.import_path(vault)
    deck = col.library / "vault" / "bio.md"
    deck.write_text(
        deck.read_text(encoding="utf-8").replace("Unit of life", "Unit of life (edited here)"),
        encoding="utf-8",
    )
    col.sync()
    note.write_text("Cell::Unit of life\n\nAtom::Smallest unit of matter\n", encoding="utf-8")
    col.import_path(vault)
    text = deck.read_text(encoding="utf-8")
    assert "Unit of life (edited here)" in text  # unchanged in the vault: ours kept
    assert "Smallest unit of matter" in text  # changed in the vault: taken
    assert sum(d.total for d in col.decks()) == 2
