"""Anki note types of any shape come in with every card and every review (issue 15).

The packages are made by the real `anki` package (`notetype_factory.py`); what we import
is compared with what Anki itself imports from the same file into a fresh collection.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from anki_factory import anki_import, export_package
from notetype_factory import CHINESE_FIELDS, NotetypeSample, build_notetype_collection
from sqlalchemy import text

from flashcards.collection.collection import Collection
from flashcards.core.math_tex import plain_math
from flashcards.core.model import CardKind, CardState
from flashcards.core.render import Side, render_card
from flashcards.interop.anki_notes import note_id_for_guid


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, NotetypeSample]]:
    """The sample as a latest-layout and as a legacy package."""
    out: dict[str, tuple[Path, NotetypeSample]] = {}
    for layout in ("anki21b", "anki21"):
        folder = tmp_path_factory.mktemp(layout)
        col, sample = build_notetype_collection(folder / "collection.anki2")
        out[layout] = (
            export_package(col, folder / f"notetypes-{layout}.apkg", layout=layout),
            sample,
        )
        col.close()
    return out


@pytest.fixture
def col(tmp_path: Path) -> Collection:
    collection = Collection.open(tmp_path / "data", seed=False)
    yield collection
    collection.close()


def _ours(col: Collection) -> dict[str, int]:
    with col._read() as s:
        conn = s.connection()

        def one(sql: str) -> int:
            return int(conn.execute(text(sql)).scalar_one())

        return {
            "cards": one("SELECT COUNT(*) FROM cards WHERE present"),
            "reviews": one("SELECT COUNT(*) FROM reviews"),
            "suspended": one("SELECT COUNT(*) FROM cards WHERE present AND suspended"),
            "red": one("SELECT COUNT(*) FROM cards WHERE present AND flag = 1"),
            "green": one("SELECT COUNT(*) FROM cards WHERE present AND flag = 3"),
        }


def _anki(package: Path, folder: Path) -> dict[str, int]:
    anki = anki_import(package, folder / "collection.anki2")
    try:
        db = anki.db
        return {
            "cards": anki.card_count(),
            "reviews": db.scalar("SELECT COUNT(*) FROM revlog"),
            "suspended": db.scalar("SELECT COUNT(*) FROM cards WHERE queue = -1"),
            "red": db.scalar("SELECT COUNT(*) FROM cards WHERE flags & 7 = 1"),
            "green": db.scalar("SELECT COUNT(*) FROM cards WHERE flags & 7 = 3"),
        }
    finally:
        anki.close()


@pytest.mark.parametrize("layout", ["anki21b", "anki21"])
def test_cards_reviews_suspensions_and_flags_equal_what_anki_imports(
    layout: str,
    packages: dict[str, tuple[Path, NotetypeSample]],
    col: Collection,
    tmp_path: Path,
) -> None:
    package, _ = packages[layout]
    report = col.import_path(package)
    anki = _anki(package, tmp_path / "anki")
    assert anki == {"cards": 15, "reviews": 38, "suspended": 3, "red": 3, "green": 3}
    assert _ours(col) == anki
    assert report.cards_added == 15 and report.reviews == 38
    # Nothing that Anki imports is missing: only the LaTeX image is left out, and said so.
    assert [w for w in report.warnings if "LaTeX" not in w] == []
    assert any("1 LaTeX image Anki generated" in w for w in report.warnings)


def test_every_template_card_has_its_own_history_and_memory(
    packages: dict[str, tuple[Path, NotetypeSample]], col: Collection
) -> None:
    package, sample = packages["anki21b"]
    col.import_path(package)
    full = note_id_for_guid(sample.vocab_full)
    for card_id, answers in ((full, 3), (f"{full}:t2", 2), (f"{full}:t3", 3)):
        view = col.card(card_id)
        assert view.card.kind is CardKind.TEMPLATE
        assert len(col.history(card_id)) == answers
        assert view.memory.state in (CardState.REVIEW, CardState.RELEARNING)
        assert view.memory.last_review is not None
    # The three cards of one note are siblings: one note, buried together.
    assert {col.card(c).card.note_id for c in (full, f"{full}:t2", f"{full}:t3")} == {full}


def test_a_conditional_template_makes_no_card_for_an_empty_field(
    packages: dict[str, tuple[Path, NotetypeSample]], col: Collection
) -> None:
    package, sample = packages["anki21b"]
    col.import_path(package)
    chat = note_id_for_guid(sample.vocab_no_ipa)
    with col._read() as s:
        rows = s.connection().execute(
            text("SELECT id FROM cards WHERE note_id = :n ORDER BY id"), {"n": chat}
        )
        assert [r[0] for r in rows] == [chat, f"{chat}:t2"]  # no "Pronounce" without IPA


def test_cards_show_what_their_templates_show(
    packages: dict[str, tuple[Path, NotetypeSample]], col: Collection
) -> None:
    package, sample = packages["anki21b"]
    col.import_path(package)
    full = note_id_for_guid(sample.vocab_full)
    recall = col.card(f"{full}:t2").card
    assert recall.prompt.startswith("house")
    front = render_card(recall, side=Side.FRONT)
    assert "feminine" not in front and 'href="hint:0"' in front and "Show Hint" in front
    back = render_card(recall, side=Side.BACK)
    assert "maison" in back and "<hr" in back

    typein = col.card(note_id_for_guid(sample.typein)).card
    assert "Paris" not in render_card(typein, side=Side.FRONT)
    assert "Paris" in render_card(typein, side=Side.BACK)

    hanzi = note_id_for_guid(sample.chinese[0])
    forward = col.card(hanzi).card
    assert forward.prompt == "你好"
    back = render_card(forward, side=Side.BACK)
    assert "nǐ hǎo" in back and "hello" in back
    # What the template does not show stays out of the card (not a dump of 17 fields).
    for name in CHINESE_FIELDS[4:13]:
        assert f"{name} 0" not in back
    backward = col.card(f"{hanzi}:t2").card
    assert backward.prompt == "hello\n\n*(Classifier 0)*" and "你好" in backward.answer
    cat = col.card(f"{note_id_for_guid(sample.chinese[2])}:t2").card
    assert cat.prompt == "cat\n\n*(只)*"
    # The note's fields are in the deck file once, whatever the number of cards.
    deck = (col.library / "languages" / "mixed.md").read_text(encoding="utf-8")
    assert deck.count("Example Pinyin 0") == 1 and deck.count("nǐ hǎo") == 1


def test_latex_becomes_formulas_and_titles_read_as_the_formula(
    packages: dict[str, tuple[Path, NotetypeSample]], col: Collection
) -> None:
    package, sample = packages["anki21b"]
    report = col.import_path(package)
    latex = col.card(note_id_for_guid(sample.vocab_latex)).card
    assert latex.title == "$\\text{Definition of a Category } \\textbf{C}$"
    assert plain_math(latex.title) == "Definition of a Category C"
    pronounce = col.card(f"{note_id_for_guid(sample.vocab_latex)}:t3").card
    assert "$$\\mathcal{C} = (O, M)$$" in pronounce.prompt
    assert 'src="data:image/svg+xml;base64,' in render_card(latex, side=Side.FRONT)
    # Anki's image of the formula is not copied: the formula is drawn here.
    assert not any("latex-" in m for m in report.media)


def test_importing_the_same_package_again_adds_nothing(
    packages: dict[str, tuple[Path, NotetypeSample]], col: Collection
) -> None:
    package, _ = packages["anki21b"]
    col.import_path(package)
    before = _ours(col)
    files = {p: p.read_bytes() for p in col.library.rglob("*.md")}
    again = col.import_path(package)
    assert again.cards_added == 0 and again.reviews == 0
    assert _ours(col) == before
    assert {p: p.read_bytes() for p in col.library.rglob("*.md")} == files


def test_export_gives_anki_the_same_cards_reviews_and_note_types(
    packages: dict[str, tuple[Path, NotetypeSample]], col: Collection, tmp_path: Path
) -> None:
    package, sample = packages["anki21b"]
    col.import_path(package)
    out = tmp_path / "ours.apkg"
    col.export(None, out)
    anki = anki_import(out, tmp_path / "anki" / "collection.anki2")
    try:
        vocab = anki.models.by_name("Basic (+IPA)")
        assert vocab is not None
        assert [t["name"] for t in vocab["tmpls"]] == ["Recognise", "Recall", "Pronounce"]
        assert [f["name"] for f in vocab["flds"]] == ["Word", "IPA", "Meaning", "Hint"]
        chinese = anki.models.by_name("Chinese (17 fields)")
        assert chinese is not None and len(chinese["flds"]) == 17
        by_guid = dict(anki.db.all("SELECT guid, id FROM notes"))
        note = anki.get_note(by_guid[sample.vocab_full])
        assert note["Meaning"] == "house" and note["Hint"] == "feminine: la …"
        recall = next(c for c in note.cards() if c.ord == 1)
        assert "house" in recall.question() and "feminine" in recall.question()  # the hint
        assert "maison" in recall.answer()
        typein = anki.get_note(by_guid[sample.typein])
        assert "type" in typein.cards()[0].question()  # Anki's type-in box is there
        counts = {
            "cards": anki.card_count(),
            "reviews": anki.db.scalar("SELECT COUNT(*) FROM revlog"),
            "suspended": anki.db.scalar("SELECT COUNT(*) FROM cards WHERE queue = -1"),
            "red": anki.db.scalar("SELECT COUNT(*) FROM cards WHERE flags & 7 = 1"),
            "green": anki.db.scalar("SELECT COUNT(*) FROM cards WHERE flags & 7 = 3"),
        }
    finally:
        anki.close()
    assert (
        counts
        == _ours(col)
        == {
            "cards": 15,
            "reviews": 38,
            "suspended": 3,
            "red": 3,
            "green": 3,
        }
    )


def test_round_trip_through_anki_comes_back_to_the_same_cards(
    packages: dict[str, tuple[Path, NotetypeSample]], col: Collection, tmp_path: Path
) -> None:
    package, _ = packages["anki21b"]
    col.import_path(package)
    before = _ours(col)
    out = tmp_path / "ours.apkg"
    col.export(None, out)
    anki = anki_import(out, tmp_path / "anki" / "collection.anki2")
    back = export_package(anki, tmp_path / "back.apkg", layout="anki21b")
    anki.close()
    again = col.import_path(back)
    assert again.cards_added == 0 and again.reviews == 0
    assert _ours(col) == before
