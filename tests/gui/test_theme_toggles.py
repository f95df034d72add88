"""Unticked check boxes and radio buttons stand out from the page in both themes (in the
dark theme Fusion drew them as dark squares on a dark page: the concept map's toolbar,
Preferences ▸ Exam)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from flashcards.gui.theme import apply_theme


@pytest.fixture(autouse=True)
def _light_again(qapp: QApplication) -> Iterator[None]:
    yield
    apply_theme(qapp, scheme="light")


def _indicator_contrast(qtbot: QtBot, button: QAbstractButton) -> int:
    """How far the unticked indicator's most distinct pixel (its fill or its rim) is from
    the page's lightness."""
    page = QWidget()
    qtbot.addWidget(page)
    QHBoxLayout(page).addWidget(button)
    page.resize(240, 48)
    page.show()
    qtbot.waitExposed(page)
    image = page.grab().toImage()
    option = QStyleOptionButton()
    button.initStyleOption(option)  # type: ignore[attr-defined]
    element = (
        QStyle.SubElement.SE_CheckBoxIndicator
        if isinstance(button, QCheckBox)
        else QStyle.SubElement.SE_RadioButtonIndicator
    )
    box = button.style().subElementRect(element, option, button).translated(button.pos())
    page_lightness = image.pixelColor(1, 1).lightness()
    return max(
        abs(image.pixelColor(x, y).lightness() - page_lightness)
        for x in range(box.left(), box.right() + 1)
        for y in range(box.top(), box.bottom() + 1)
    )


@pytest.mark.parametrize("scheme", ["dark", "light"])
@pytest.mark.parametrize("kind", [QCheckBox, QRadioButton])
def test_an_unticked_box_stands_out_from_the_page(
    qtbot: QtBot, qapp: QApplication, scheme: str, kind: type[QAbstractButton]
) -> None:
    apply_theme(qapp, scheme=scheme)
    assert _indicator_contrast(qtbot, kind("Tag edges")) >= 25
