"""A text browser for rendered cards that follows the theme and the reader's text size.

It keeps the HTML it was given and shows it through `fit_card_html`: a theme switch
(the palette changes) or a text-size change shows the same card again in its new look,
at the same place in a long card, without asking the worker for anything.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QPalette, QTextDocument
from PySide6.QtWidgets import QWidget

from flashcards.gui.plain_copy import PlainCopyBrowser
from flashcards.gui.theme import is_dark, soften_rules


class CardText(PlainCopyBrowser):
    """`set_card_html(html)` instead of `setHtml`; `set_text_scale(1.25)` for larger type."""

    def __init__(self, parent: QWidget | None = None, *, soft_rules: bool = True) -> None:
        super().__init__(parent)
        self._card_html = ""
        self._scale = 1.0
        self._shown_dark: bool | None = None
        self._shown_ink = ""
        self._soft_rules = soft_rules
        if soft_rules:
            soften_rules(self)

    @property
    def text_scale(self) -> float:
        return self._scale

    @property
    def card_html(self) -> str:
        """The HTML as rendered, before the reader's look is applied."""
        return self._card_html

    def set_card_html(self, html: str) -> None:
        self._card_html = html
        self._show(keep_place=False)

    def set_text_scale(self, scale: float) -> None:
        if scale != self._scale:
            self._scale = scale
            self._show(keep_place=True)

    def scroll_to_answer(self, anchor: str = "answer") -> None:
        """On the answer side, bring the answer into view when its first lines are below
        the fold, as Anki scrolls to its `#answer`: the answer at the top, or the card's
        end when the answer is shorter than the view. A card whose answer shows already
        stays where it is."""
        top = anchor_top(self.document(), anchor)
        if top is None:
            return
        first_lines = 3 * self.fontMetrics().lineSpacing()
        if top + first_lines <= self.viewport().height():
            return
        bar = self.verticalScrollBar()
        bar.setValue(min(round(top), bar.maximum()))

    def clear(self) -> None:
        self._card_html = ""
        super().clear()

    def _show(self, *, keep_place: bool) -> None:
        self._shown_dark = is_dark(self.palette())
        self._shown_ink = self.palette().color(QPalette.ColorRole.Text).name()
        if not self._card_html:
            return
        # Imported here: the renderer's modules load on the worker while the window builds.
        from flashcards.core.card_look import fit_card_html

        bar = self.verticalScrollBar()
        place = bar.value() / bar.maximum() if keep_place and bar.maximum() > 0 else 0.0
        self.setHtml(
            fit_card_html(
                self._card_html, scale=self._scale, dark=self._shown_dark, ink=self._shown_ink
            )
        )
        if place:
            bar.setValue(round(place * bar.maximum()))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() is not QEvent.Type.PaletteChange:
            return
        if self._soft_rules:
            soften_rules(self)  # a no-op when the rule colour is already right
        ink = self.palette().color(QPalette.ColorRole.Text).name()
        if self._shown_dark is not None and (
            is_dark(self.palette()) != self._shown_dark or ink != self._shown_ink
        ):
            self._show(keep_place=True)


def anchor_top(document: QTextDocument, name: str) -> float | None:
    """Where the anchor `name` (`<a name>`) is laid out in `document`, from its top; None
    if it has none. An empty anchor marks its block, one with text its fragment."""
    layout = document.documentLayout()
    block = document.begin()
    while block.isValid():
        if name in block.charFormat().anchorNames():
            return layout.blockBoundingRect(block).top()
        it = block.begin()
        while not it.atEnd():
            if name in it.fragment().charFormat().anchorNames():
                return layout.blockBoundingRect(block).top()
            it += 1
        block = block.next()
    return None
