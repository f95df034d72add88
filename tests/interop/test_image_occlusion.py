"""Anki's Image Occlusion notes come in as Basic notes showing their masks drawn in SVG."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection as AnkiCollection
from anki_factory import export_package
from PySide6.QtGui import QColor, QImage

from flashcards.collection.collection import Collection
from flashcards.core.parser import parse_deck
from flashcards.interop.anki_notes import note_id_for_guid
from flashcards.interop.anki_package import import_anki_package
from flashcards.interop.bundle import ImportBundle
from flashcards.interop.image_occlusion import (
    ACTIVE_FILL,
    INACTIVE_FILL,
    MAX_SHAPES,
    occlusion_note_id,
    parse_occlusions,
)

IMAGE_COLOUR = "#2060c0"
W, H = 400, 200
# c1 a rectangle, c2 an ellipse, c3 a polygon (Anki's own syntax, as its editor writes it)
SHAPES = (
    "{{c1::image-occlusion:rect:left=.1:top=.1:width=.2:height=.2%s}}<br>"
    "{{c2::image-occlusion:ellipse:left=.5:top=.5:rx=.1:ry=.2%s}}<br>"
    "{{c3::image-occlusion:polygon:left=.7:top=.1:points=0,0 .2,0 .1,.3%s}}<br>"
)
CENTRES = {1: (0.2, 0.2), 2: (0.6, 0.7), 3: (0.8, 0.2)}


def _image(path: Path) -> Path:
    img = QImage(W, H, QImage.Format.Format_RGB32)
    img.fill(QColor(IMAGE_COLOUR))
    assert img.save(str(path))
    return path


def _package(tmp_path: Path, layout: str = "anki21b") -> tuple[Path, dict[str, str]]:
    """A package with a hide-all note, a hide-one note and hostile ones; name -> guid."""
    (tmp_path / "anki").mkdir()
    col = AnkiCollection(str(tmp_path / "anki" / "c.anki2"))
    col.add_image_occlusion_notetype()
    nt = next(m for m in col.models.all() if m.get("originalStockKind") == 6)
    picture = _image(tmp_path / "anki" / "parts.png")
    col.add_image_occlusion_note(
        nt["id"], str(picture), SHAPES % ((":oi=1",) * 3), "Parts", "<b>See p. 4</b>", ["io"]
    )
    col.add_image_occlusion_note(nt["id"], str(picture), SHAPES % ("", "", ""), "", "", [])

    def raw(occlusion: str, image: str) -> None:
        note = col.new_note(nt)
        note["Occlusion"], note["Image"], note["Comments"] = occlusion, image, "made by hand"
        col.add_note(note, 1)

    hostile = (
        "{{c1::image-occlusion:rect:left=5:top=5:width=.1:height=.1}}"  # outside the image
        "{{c1::image-occlusion:rect:left=1e308:top=.1:width=1e308:height=.1}}"  # huge
        "{{c1::image-occlusion:rect:left=nan:top=.1:width=.1:height=.1}}"
        "{{c2::image-occlusion:star:left=.1}}"
        "{{c3::image-occlusion:rect:left=.4:top=.4:width=.2:height=.2:oi=1}}"
    )
    raw(hostile, '<img src="parts.png">')
    raw("{{c1::image-occlusion:rect:left=.1:top=.1:width=.1:height=.1}}", '<img src="gone.png">')
    many = "".join(
        f"{{{{c{i % 40 + 1}::image-occlusion:rect:left=.{i % 9}:top=.1:width=.05:height=.05}}}}"
        for i in range(5000)
    )
    raw(many, '<img src="parts.png">')
    guids = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        key = (
            "hide-all"
            if note["Header"] == "Parts"
            else "hostile"
            if "star" in note["Occlusion"]
            else "missing"
            if "gone" in note["Image"]
            else "many"
            if note["Occlusion"].count("{{") > 100
            else "hide-one"
        )
        guids[key] = note.guid
    out = export_package(col, tmp_path / f"io-{layout}.apkg", layout=layout)
    col.close()
    return out, guids


def _bundle(package: Path, tmp_path: Path) -> ImportBundle:
    work = tmp_path / "work"
    work.mkdir()
    return import_anki_package(package, workdir=work)


def _picture(bundle: ImportBundle, ref: str) -> QImage:
    media = {m.path: m for m in bundle.media}
    image = QImage.fromData(media[ref].read())
    assert not image.isNull()
    return image


def _colour(image: QImage, fx: float, fy: float) -> str:
    return image.pixelColor(int(fx * image.width()), int(fy * image.height())).name()


@pytest.mark.parametrize("layout", ["anki21b", "anki21"])
def test_occlusion_notes_become_basic_notes_with_masked_pictures(
    qapp: object, tmp_path: Path, layout: str
) -> None:
    package, guids = _package(tmp_path, layout)
    bundle = _bundle(package, tmp_path)
    notes = {n.id: n for n in parse_deck(bundle.decks["default.md"], path="default.md").deck.notes}
    base = note_id_for_guid(guids["hide-all"])
    asked = [notes[occlusion_note_id(base, n)] for n in (1, 2, 3)]
    assert [n.title for n in asked] == ["Parts"] * 3
    first = asked[0]
    assert first.prompt.endswith(f"![](media/parts-{base}-c1-front.svg)")
    assert first.answer == f"![](media/parts-{base}-c1-back.svg)\n\n**See p. 4**"
    assert first.tags == ("io",)
    assert all(c.id in bundle.cards for n in asked for c in n.cards)
    assert "media/parts.png" in {m.path for m in bundle.media}  # the original is kept

    # Hide all, guess one: the card's shape red, the others yellow; the answer uncovers it.
    front = _picture(bundle, f"media/parts-{base}-c1-front.svg")
    assert _colour(front, *CENTRES[1]) == ACTIVE_FILL
    assert _colour(front, *CENTRES[2]) == INACTIVE_FILL
    assert _colour(front, *CENTRES[3]) == INACTIVE_FILL
    assert _colour(front, 0.02, 0.9) == IMAGE_COLOUR
    back = _picture(bundle, f"media/parts-{base}-c1-back.svg")
    assert _colour(back, *CENTRES[1]) == IMAGE_COLOUR
    assert _colour(back, *CENTRES[2]) == INACTIVE_FILL
    front3 = _picture(bundle, f"media/parts-{base}-c3-front.svg")
    assert _colour(front3, *CENTRES[3]) == ACTIVE_FILL
    assert _colour(front3, *CENTRES[1]) == INACTIVE_FILL

    # Hide one, guess one: only the card's own shape is covered.
    one = note_id_for_guid(guids["hide-one"])
    front = _picture(bundle, f"media/parts-{one}-c2-front.svg")
    assert _colour(front, *CENTRES[2]) == ACTIVE_FILL
    assert _colour(front, *CENTRES[1]) == IMAGE_COLOUR
    assert _colour(front, *CENTRES[3]) == IMAGE_COLOUR
    back = _picture(bundle, f"media/parts-{one}-c2-back.svg")
    assert _colour(back, *CENTRES[2]) == IMAGE_COLOUR

    report = [str(s) for s in bundle.skipped]
    assert any(
        line.startswith("Anki's interactive masks of 4 Image Occlusion notes: each card is")
        for line in report
    ), report


def test_hostile_occlusion_notes_are_reported_not_fatal(qapp: object, tmp_path: Path) -> None:
    package, guids = _package(tmp_path)
    bundle = _bundle(package, tmp_path)
    report = [str(s) for s in bundle.skipped]
    notes = {n.id for n in parse_deck(bundle.decks["default.md"], path="default.md").deck.notes}

    hostile = note_id_for_guid(guids["hostile"])
    assert occlusion_note_id(hostile, 3) in notes  # the one good shape is asked
    assert occlusion_note_id(hostile, 1) not in notes
    lines = [line.split("(Image Occlusion): ", 1)[-1] for line in report]
    assert "1 shape not drawn (rect: outside the image)" in lines
    assert "2 shapes not drawn (rect: position not a number in range)" in lines  # nan, 1e308
    assert "1 shape not drawn (unknown shape 'star')" in lines
    missing = note_id_for_guid(guids["missing"])
    assert occlusion_note_id(missing, 1) not in notes
    assert any("its image 'gone.png' is not in the package" in line for line in report), report

    many = note_id_for_guid(guids["many"])
    assert occlusion_note_id(many, 40) in notes
    assert f"4500 shapes past the first {MAX_SHAPES} not drawn" in lines
    # The Anki cards of what was not drawn are counted (their history has no card here).
    assert "2 Anki cards: their Image Occlusion shapes could not be drawn (said above)" in report


def test_parse_keeps_to_its_limits() -> None:
    text = "{{c1::image-occlusion:polygon:points=" + " ".join(["0,0"] * 5000) + "}}"
    parsed = parse_occlusions(text)
    assert parsed.shapes == []
    assert parsed.problems == ["1 shape not drawn (polygon of more than 1000 points)"]
    edge = parse_occlusions("{{c1::image-occlusion:rect:left=.9:top=.9:width=.5:height=.5}}")
    assert len(edge.shapes) == 1  # partly outside: drawn, cut at the edge


def test_occlusion_cards_import_into_a_collection_with_their_pictures(
    qapp: object, tmp_path: Path
) -> None:
    package, guids = _package(tmp_path)
    col = Collection.open(tmp_path / "data", seed=False)
    try:
        report = col.import_path(package)
        base = note_id_for_guid(guids["hide-all"])
        card = col.card(occlusion_note_id(base, 2))
        assert card is not None
        picture = col.library / "media" / f"parts-{base}-c2-front.svg"
        assert picture.is_file()
        image = QImage.fromData(picture.read_bytes())
        assert _colour(image, *CENTRES[2]) == ACTIVE_FILL
        assert (col.library / "media" / "parts.png").is_file()
        assert any("Image Occlusion notes" in w for w in report.warnings)
    finally:
        col.close()
