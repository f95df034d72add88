"""A formula card in the review shows the formula as an image (in the theme's ink); a
card with Anki sounds plays them when shown, again on R, and never a file outside."""

from __future__ import annotations

import math
import struct
import wave
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QImage, QPixmap, QTextDocument, QTextImageFormat
from pytestqt.qtbot import QtBot
from review_window import open_window, press, study

from flashcards.gui.deck_tree import Scope
from flashcards.gui.main_window import MainWindow
from flashcards.gui.review_models import ReviewState
from flashcards.gui.theme import applied_theme, apply_theme

FORMULA_DECK = """\
---
title: Maths
---

## Softmax
What does softmax give class $i$?
?
$$\\sigma(z)_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}}$$
"""

SOUND_DECK = """\
---
title: Sounds
---

## Maison
Say it: [sound:media/beep.wav] and [sound:../outside.wav]
?
A house. [sound:media/answer.wav]
"""


def _beep(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        samples = (int(4000 * math.sin(2 * math.pi * 440 * i / 8000)) for i in range(800))
        out.writeframes(b"".join(struct.pack("<h", s) for s in samples))


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime) -> Iterator[MainWindow]:
    decks = data_dir / "decks"
    (decks / "maths.md").write_text(FORMULA_DECK, encoding="utf-8")
    (decks / "sounds.md").write_text(SOUND_DECK, encoding="utf-8")
    for name in ("media/beep.wav", "media/answer.wav"):
        _beep(decks / name)
    _beep(data_dir / "outside.wav")  # beside the library, not in it
    win = open_window(qtbot, data_dir, tmp_path / "settings.ini", now)
    win.resize(1366, 740)
    yield win
    win.review.sounds.stop()
    win.close()


def _images(doc: QTextDocument) -> list[QImage]:
    """The images the document actually laid out (resources Qt loaded)."""
    found = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                name = QTextImageFormat(fmt).name()
                image = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
                found.append(image.toImage() if isinstance(image, QPixmap) else QImage(image))
            it += 1
        block = block.next()
    return found


def _ink_lightness(image: QImage) -> float:
    """Mean lightness of the image's drawn (opaque) pixels."""
    values = []
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            colour = QColor(image.pixelColor(x, y))
            if colour.alpha() > 200:
                values.append(colour.lightness())
    assert values, "the formula image is empty"
    return sum(values) / len(values)


def test_a_formula_card_shows_its_formulas_as_images_in_the_themes_ink(
    qtbot: QtBot, window: MainWindow
) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = applied_theme(app)
    try:
        apply_theme(app, scheme="light")
        study(qtbot, window, Scope("Maths", deck="Maths"))
        doc = window.review.browser.document()
        (question,) = _images(doc)
        assert question.width() > 0 and question.height() > 0
        assert _ink_lightness(question) < 90  # dark ink on the light card
        press(qtbot, window, Qt.Key.Key_Space)
        assert window.controller.state is ReviewState.ANSWER
        images = _images(window.review.browser.document())
        assert len(images) == 2
        display = images[1]
        assert display.height() > question.height()  # the display formula is tall
        apply_theme(app, scheme="dark")
        qtbot.waitUntil(lambda: len(_images(window.review.browser.document())) == 2)
        dark = _images(window.review.browser.document())[1]
        assert _ink_lightness(dark) > 170  # light ink on the dark card
    finally:
        apply_theme(app, scheme=before)


def test_sounds_play_when_a_side_appears_and_again_on_r(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    pytest.importorskip("PySide6.QtMultimedia", reason="QtMultimedia cannot load here")
    started: list[str] = []
    window.review.sounds.player.started.connect(started.append)
    study(qtbot, window, Scope("Sounds", deck="Sounds"))
    html = window.controller.screen.html if window.controller.screen else ""
    assert "▶ beep.wav" in html
    # The sound outside the library is not even a link: its name is shown as written.
    assert "▶ ../outside.wav" in html and "outside.wav\"" not in html
    qtbot.waitUntil(lambda: bool(started), timeout=5_000)
    library = (data_dir / "decks").resolve()
    # The question's own sound plays; the one outside the library never does.
    assert started == [str(library / "media" / "beep.wav")]
    press(qtbot, window, Qt.Key.Key_Space)  # the answer: its own sound, not the question's
    qtbot.waitUntil(lambda: len(started) == 2, timeout=5_000)
    assert started[1] == str(library / "media" / "answer.wav")
    press(qtbot, window, Qt.Key.Key_R)  # R: every sound of the side on screen, in order
    qtbot.waitUntil(lambda: len(started) >= 3, timeout=5_000)
    assert started[2] == str(library / "media" / "beep.wav")
    assert str(data_dir / "outside.wav") not in started
    assert str((data_dir / "outside.wav").resolve()) not in started
