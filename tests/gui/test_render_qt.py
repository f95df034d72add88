"""Rendered cards shown in a real QTextBrowser (offscreen): the text a user reads."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QPixmap, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QTextBrowser

from flashcards.core.model import Card, CardId, CardKind, Choice, NoteId
from flashcards.core.render import Side, link_from_href, render_card, render_markdown
from flashcards.core.render_theme import IMAGE_MAX_WIDTH
from flashcards.core.word_breaks import without_break_hints


def make_card(kind: CardKind, **fields: object) -> Card:
    base: dict[str, object] = {
        "id": CardId("q1w2e3"),
        "note_id": NoteId("q1w2e3"),
        "kind": kind,
        "file": "ml/metrics.md",
        "title": "Metric for rare fraud",
        "prompt": "",
        "answer": "",
        "line_start": 1,
        "line_end": 9,
    }
    base.update(fields)
    return Card(**base)  # type: ignore[arg-type]


def browser_with(qtbot, html: str) -> QTextBrowser:  # type: ignore[no-untyped-def]
    view = QTextBrowser()
    qtbot.addWidget(view)
    view.resize(640, 480)
    view.setHtml(html)
    return view


def test_cloze_card_reads_right_on_both_sides(qtbot) -> None:  # type: ignore[no-untyped-def]
    card = make_card(
        CardKind.CLOZE,
        title="SageMaker endpoints",
        prompt="A {{c1::real-time endpoint::kind}} answers with {{c2::low latency}}.",
        cloze=1,
    )
    front = browser_with(qtbot, render_card(card, side=Side.FRONT)).toPlainText()
    assert front.splitlines() == ["SageMaker endpoints", "A [kind] answers with low latency."]
    back = browser_with(qtbot, render_card(card, side=Side.BACK)).toPlainText()
    assert "A real-time endpoint answers with low latency." in back
    assert "[kind]" not in back


def test_code_and_choice_card_text_and_link(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(0x3366CC)
    assert image.save(str(tmp_path / "pr.png"))
    card = make_card(
        CardKind.CHOICE,
        prompt="Which metric? See [[PR curve|the curve]].\n\n![pr](pr.png)\n\n"
        "```python\nscore = average_precision(y, p)  # area\n```",
        answer="Accuracy is 99.9% for a model that flags nothing.",
        choices=(Choice("Accuracy", False), Choice("`average_precision`", True)),
    )
    html = render_card(card, side=Side.BACK, base_dir=tmp_path, selected=frozenset({0}))
    view = browser_with(qtbot, html)
    text = without_break_hints(view.toPlainText())  # as copied
    assert "Which metric? See the curve." in text
    assert "score = average_precision(y, p)  # area" in text
    # Each option: its verdict, its letter, its text, in order.
    assert "✗\n A \nAccuracy\n✓\n B \naverage_precision\n" in text
    assert "\N{OBJECT REPLACEMENT CHARACTER}" in text  # the image
    assert text.rstrip().endswith("Accuracy is 99.9% for a model that flags nothing.")

    # The link is a real anchor Qt can report, and it decodes to the card link.
    doc = view.document()
    hrefs = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt: QTextCharFormat = it.fragment().charFormat()
            if fmt.isAnchor():
                hrefs.append(fmt.anchorHref())
            it += 1
        block = block.next()
    assert hrefs == ["card:PR%20curve"]
    link = link_from_href(hrefs[0])
    assert link is not None and link.target == "PR curve"

    # The image resolved to a local file Qt loaded.
    src = (tmp_path / "pr.png").as_uri()
    assert f'src="{src}"' in html
    loaded = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(src))
    assert isinstance(loaded, QImage | QPixmap) and loaded.width() == 8


def test_wide_real_images_are_scaled_down(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    image = QImage(1000, 500, QImage.Format.Format_RGB32)
    image.fill(0x228844)
    assert image.save(str(tmp_path / "wide.jpg"), "JPEG")
    assert image.save(str(tmp_path / "wide.png"), "PNG")
    html = render_markdown("![j](wide.jpg)\n\n![p](wide.png)", base_dir=tmp_path)
    assert html.count(f'width="{IMAGE_MAX_WIDTH}" height="{IMAGE_MAX_WIDTH // 2}"') == 2
    view = browser_with(qtbot, html)
    view.resize(IMAGE_MAX_WIDTH + 60, 400)
    qtbot.wait(10)
    assert view.horizontalScrollBar().maximum() == 0  # fits: no sideways scrolling
