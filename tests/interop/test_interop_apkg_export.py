"""Our notes written as .apkg and imported by the real `anki` package, and back again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from anki_factory import LAYOUTS, Sample, anki_import, export_package
from sample_deck import MODELING

from flashcards.core.model import (
    CardId,
    CardState,
    Flag,
    MemoryState,
    Rating,
    ReviewEntry,
    ReviewKind,
)
from flashcards.core.parser import parse_deck
from flashcards.interop.anki_package import import_anki_package
from flashcards.interop.apkg_export import write_apkg
from flashcards.interop.bundle import ImportBundle
from flashcards.interop.csv_export import write_csv
from flashcards.interop.export_notes import ExportCard, ExportData, ExportNote
from flashcards.interop.text_import import read_text_file

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)

DECK = MODELING


def _library(tmp_path: Path) -> tuple[Path, list[ExportNote]]:
    root = tmp_path / "library"
    (root / "aws" / "img").mkdir(parents=True)
    (root / "aws" / "img" / "trees ü.png").write_bytes(b"\x89PNG fake")
    (root / "aws" / "modeling.md").write_text(DECK, encoding="utf-8")
    deck = parse_deck(DECK, path="aws/modeling.md").deck
    review_state = MemoryState(
        state=CardState.REVIEW,
        stability=12.0,
        difficulty=4.0,
        due=NOW + timedelta(days=3),
        last_review=NOW - timedelta(days=9),
    )
    notes = []
    for note in deck.notes:
        cards = []
        for card in note.cards:
            cards.append(
                ExportCard(
                    card,
                    memory=review_state if card.id == "k3f9q2" else None,
                    flag=Flag.GREEN if card.id == "rev001" else Flag.NONE,
                    suspended=card.id == "rev001:r",
                )
            )
        notes.append(ExportNote(note, deck="AWS ML::Modeling", cards=tuple(cards)))
    return root, notes


REVIEWS = (
    ReviewEntry(CardId("k3f9q2"), NOW - timedelta(days=10), Rating.GOOD, 4000),
    ReviewEntry(CardId("k3f9q2"), NOW - timedelta(days=9), Rating.GOOD, 3000),
    ReviewEntry(CardId("k3f9q2"), NOW - timedelta(days=8), Rating.AGAIN, 1000, ReviewKind.PRACTICE),
)


def test_export_is_imported_by_anki_with_fields_tags_schedule_and_history(tmp_path: Path) -> None:
    root, notes = _library(tmp_path)
    out = tmp_path / "out.apkg"
    report = write_apkg(ExportData(tuple(notes), REVIEWS, root=root), out, now=NOW)
    assert (report.notes, report.cards, report.reviews, report.media) == (4, 6, 2, 1)

    col = anki_import(out, tmp_path / "anki" / "collection.anki2")
    try:
        assert col.note_count() == 4
        assert col.card_count() == 6
        assert col.db.scalar("SELECT count() FROM revlog") == 2
        assert "AWS ML::Modeling" in [d.name for d in col.decks.all_names_and_ids()]
        by_guid = {col.get_note(nid).guid: col.get_note(nid) for nid in col.find_notes("")}

        eta = by_guid["fc:k3f9q2"]
        assert eta.note_type()["name"].startswith("Basic")
        assert "What happens when you lower <code>eta</code>?" in eta.fields[0]
        assert "Each tree adds less. See Early stopping." in eta.fields[1]
        assert '<img alt="diagram" src="trees_ü.png"' in eta.fields[1]
        assert sorted(eta.tags) == ["aws::ml", "xgboost"]
        assert (Path(col.media.dir()) / "trees_ü.png").read_bytes() == b"\x89PNG fake"
        card = eta.cards()[0]
        assert (card.type, card.queue) == (2, 2)
        # Anki counts review days from its collection's creation (crt), and moves a
        # package's due days onto its own calendar on import: the due date is what holds.
        due_at = col.crt + card.due * 86400
        assert abs(due_at - (NOW + timedelta(days=3)).timestamp()) < 1.5 * 86400

        chat = by_guid["fc:rev001"]
        assert chat.note_type()["name"].startswith("Basic (and reversed card)")
        cards = sorted(chat.cards(), key=lambda c: c.ord)
        assert [c.ord for c in cards] == [0, 1]
        assert cards[0].user_flag() == 3
        assert cards[1].queue == -1

        cloze = by_guid["fc:p8d2m1"]
        assert cloze.note_type()["name"].startswith("Cloze")
        assert "{{c1::TP / (TP + FP)}}" in cloze.fields[0]
        assert "{{c2::TP / (TP + FN)::formula}}" in cloze.fields[0]
        assert len(cloze.cards()) == 2

        choice = by_guid["fc:q1w2e3"]
        assert "A. Accuracy" in choice.fields[0] and "B. Area under" in choice.fields[0]
        assert "Correct: B" in choice.fields[1] and "99.9%" in choice.fields[1]
    finally:
        col.close()


def test_reexport_through_anki_keeps_note_ids(tmp_path: Path) -> None:
    root, notes = _library(tmp_path)
    ours = tmp_path / "ours.apkg"
    write_apkg(ExportData(tuple(notes), REVIEWS, root=root), ours, now=NOW)
    col = anki_import(ours, tmp_path / "anki" / "collection.anki2")
    back = export_package(col, tmp_path / "back.apkg", layout="anki21b")
    col.close()
    work = tmp_path / "work"
    work.mkdir()
    bundle = import_anki_package(back, workdir=work)
    ids = {
        n.id for path, text in bundle.decks.items() for n in parse_deck(text, path=path).deck.notes
    }
    assert ids == {"k3f9q2", "rev001", "p8d2m1", "q1w2e3"}
    assert list(bundle.decks) == ["aws-ml/modeling.md"]
    assert len([e for e in bundle.reviews if e.card_id == "k3f9q2"]) == 2


def _anki_to_ours_to_anki(package: Path, tmp_path: Path) -> tuple[ImportBundle, Path]:
    work = tmp_path / "work"
    work.mkdir(parents=True)
    bundle = import_anki_package(package, workdir=work)
    root = tmp_path / "library"
    for media in bundle.media:
        (root / media.path).parent.mkdir(parents=True, exist_ok=True)
        (root / media.path).write_bytes(media.read())
    notes = []
    for path, text in bundle.decks.items():
        for note in parse_deck(text, path=path).deck.notes:
            cards = tuple(ExportCard(c, memory=bundle.cards[c.id].memory) for c in note.cards)
            deck = "Lang::Français" if path.startswith("lang/") else "Science"
            notes.append(
                ExportNote(note, deck=deck, cards=cards, guid=bundle.anki_guids.get(note.id))
            )
    out = tmp_path / "again.apkg"
    write_apkg(ExportData(tuple(notes), bundle.reviews, root=root), out, now=NOW)
    return bundle, out


def test_anki_to_ours_to_anki_round_trip_for_every_layout(
    anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path
) -> None:
    for layout in LAYOUTS:
        package, sample = anki_packages[layout]
        bundle, again = _anki_to_ours_to_anki(package, tmp_path / layout)
        col = anki_import(again, tmp_path / layout / "anki" / "collection.anki2")
        try:
            guids = {col.get_note(nid).guid for nid in col.find_notes("")}
            assert {sample.basic_guid, sample.cloze_guid, sample.reversed_guid} <= guids
            assert col.note_count() == 6
            assert col.card_count() == 9
            assert col.db.scalar("SELECT count() FROM revlog") == 4  # 3 answers, 1 manual
            basic = next(
                col.get_note(n)
                for n in col.find_notes("")
                if col.get_note(n).guid == sample.basic_guid
            )
            assert sorted(basic.tags) == ["fr", "greeting::formal"]
            assert "<strong>Bonjour</strong>" in basic.fields[0]
        finally:
            col.close()


def test_csv_export_comes_back_as_updates(tmp_path: Path) -> None:
    root, notes = _library(tmp_path)
    out = tmp_path / "out.csv"
    report = write_csv(ExportData(tuple(notes), root=root), out)
    assert report.notes == 4
    text = out.read_text(encoding="utf-8")
    assert text.startswith("#separator:Comma\n#html:true\n")
    edited = text.replace("Each tree adds less.", "Each tree adds a little less.")
    out.write_text(edited, encoding="utf-8")
    bundle = read_text_file(out)
    notes_back = {
        n.id: n for p, t in bundle.decks.items() for n in parse_deck(t, path=p).deck.notes
    }
    assert set(notes_back) == {"k3f9q2", "rev001", "p8d2m1", "q1w2e3"}
    assert "a little less" in notes_back["k3f9q2"].answer
    assert notes_back["rev001"].reverse
    assert notes_back["p8d2m1"].cloze_numbers == (1, 2)
    assert notes_back["k3f9q2"].tags == ("xgboost", "aws::ml")


def test_csv_export_is_read_by_anki(tmp_path: Path) -> None:
    from anki.collection import Collection
    from anki.import_export_pb2 import CsvMetadata, ImportCsvRequest

    root, notes = _library(tmp_path)
    out = tmp_path / "out.csv"
    write_csv(ExportData(tuple(notes), root=root), out)
    col = Collection(str(tmp_path / "anki.anki2"))
    try:
        metadata = col.get_csv_metadata(str(out), None)
        assert metadata.delimiter == CsvMetadata.Delimiter.COMMA
        col.import_csv(ImportCsvRequest(path=str(out), metadata=metadata))
        guids = {col.get_note(nid).guid for nid in col.find_notes("")}
        assert guids == {"k3f9q2", "rev001", "p8d2m1", "q1w2e3"}
    finally:
        col.close()


def test_export_named_colpkg_is_a_whole_collection_anki_restores(tmp_path: Path) -> None:
    from anki._backend import RustBackend
    from anki.collection import Collection

    root, notes = _library(tmp_path)
    out = tmp_path / "all.colpkg"
    write_apkg(ExportData(tuple(notes), REVIEWS, root=root), out, now=NOW)
    media = tmp_path / "restored.media"
    media.mkdir()
    RustBackend().import_collection_package(
        col_path=str(tmp_path / "restored.anki2"),
        backup_path=str(out),
        media_folder=str(media),
        media_db=str(tmp_path / "restored.media.db"),
    )
    col = Collection(str(tmp_path / "restored.anki2"))
    try:
        assert (col.note_count(), col.card_count()) == (4, 6)
        assert col.db.scalar("SELECT count() FROM revlog") == 2
        assert (media / "trees_ü.png").is_file()
    finally:
        col.close()


def test_export_can_be_cancelled_and_leaves_no_file(tmp_path: Path) -> None:
    import pytest

    from flashcards.core.errors import CancelledError

    root, notes = _library(tmp_path)
    out = tmp_path / "out.apkg"
    with pytest.raises(CancelledError):
        write_apkg(
            ExportData(tuple(notes), root=root), out, now=NOW, progress=lambda d, t, m: False
        )
    assert not out.exists() and list(tmp_path.glob("out.apkg*")) == []


def test_tsv_export_uses_tabs(tmp_path: Path) -> None:
    root, notes = _library(tmp_path)
    out = tmp_path / "out.tsv"
    write_csv(ExportData(tuple(notes), root=root), out, separator="\t")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#separator:Tab"
    assert read_text_file(out).note_count == 4
