"""The map's legend: a strip under the map (it covers nothing) that folds to one button."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from flashcards.gui.concept_map import colours as c


def legend_html(domains: list[str]) -> str:
    """Domain colours, the recall ring scale and the edge styles, as lines that wrap."""
    colours = c.domain_colours(domains)
    dot = '<span style="color:{0}; font-size:13px">●</span>&nbsp;{1}'
    chips = [
        dot.format(colour, html.escape(name).replace(" ", "&nbsp;"))
        for name, colour in colours.items()
    ]
    chips.append(dot.format(c.NO_DOMAIN, "No&nbsp;domain"))
    ring = "".join(
        f'<span style="color:{c.recall_colour(s)}">●</span>' for s in range(c.RECALL_STEPS)
    )
    keys = [
        f"Ring:&nbsp;recall&nbsp;now&nbsp;weak&nbsp;{ring}&nbsp;strong",
        f'<span style="color:{c.NEW_RING}">●</span>&nbsp;new&nbsp;(unknown)',
        f'<span style="color:{c.CROSS_DOMAIN_EDGE}">━</span>&nbsp;link&nbsp;across&nbsp;domains',
        "─&nbsp;within&nbsp;a&nbsp;domain",
        f'<span style="color:{c.SUGGESTED_EDGE}">╌</span>&nbsp;suggested',
    ]
    return " &nbsp; ".join(chips) + "<br>" + " &nbsp; ".join(keys)


class LegendBar(QWidget):
    """`set_domains` fills it; the arrow folds it away (and back)."""

    folded_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.setSpacing(6)
        self.toggle = QToolButton(self)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.toggled.connect(self._toggled)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        self._toggled(True)

    def set_domains(self, domains: list[str]) -> None:
        self.text.setText(legend_html(domains))

    @property
    def folded(self) -> bool:
        return not self.toggle.isChecked()

    def set_folded(self, folded: bool) -> None:
        self.toggle.setChecked(not folded)

    def _toggled(self, shown: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.toggle.setText("Legend" if not shown else "")
        self.toggle.setToolTip("Hide the legend" if shown else "Show the legend")
        self.text.setVisible(shown)
        self.folded_changed.emit(not shown)
