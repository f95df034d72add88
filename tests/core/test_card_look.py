"""fit_card_html: card HTML scaled for the reader's text size and darkened for a dark theme."""

from __future__ import annotations

import colorsys
import re

from flashcards.core.card_look import DARK_CODE_BACKGROUND, fit_card_html, lift
from flashcards.core.render import render_markdown
from flashcards.core.render_theme import BODY_SIZE_PT, CODE_BACKGROUND, CODE_SIZE_PT

CARD = """\
Lower `eta` and keep **num_round**:

```python
import json  # a comment
x = json.dumps({"a": 1})
```

```sql
SELECT 1 FROM t
```
"""


def sizes(html: str) -> list[float]:
    return [float(s) for s in re.findall(r"font-size:\s*([\d.]+)pt", html)]


def test_scale_multiplies_every_point_size() -> None:
    html = render_markdown(CARD)
    bigger = fit_card_html(html, scale=1.5)
    assert sizes(bigger) == [s * 1.5 for s in sizes(html)]
    assert BODY_SIZE_PT * 1.5 in sizes(bigger) and CODE_SIZE_PT * 1.5 in sizes(bigger)


def test_the_default_look_is_the_html_itself() -> None:
    html = render_markdown(CARD)
    assert fit_card_html(html) is html


def test_dark_code_blocks_have_a_dark_background_and_light_tokens() -> None:
    html = render_markdown(CARD)
    dark = fit_card_html(html, dark=True)
    assert CODE_BACKGROUND in html and CODE_BACKGROUND not in dark
    assert dark.count(DARK_CODE_BACKGROUND) == html.count(CODE_BACKGROUND)
    colours = re.findall(r"(?<![-\w])color:\s*#([0-9a-fA-F]{3,6})\b", dark)
    assert len(colours) > 5
    for colour in colours:
        if len(colour) == 3:
            colour = "".join(c * 2 for c in colour)
        rgb = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        assert colorsys.rgb_to_hls(*rgb)[1] >= 0.7, colour
    # The words are all still there, only their colours changed.
    assert re.sub(r"<[^>]+>", "", dark) == re.sub(r"<[^>]+>", "", html)


def test_dark_leaves_cards_without_code_alone() -> None:
    html = render_markdown("Plain **text** and a [[Link]].")
    assert fit_card_html(html, dark=True) == html


def test_lift_keeps_hue_and_light_colours() -> None:
    assert lift("e6e6e6") == "#e6e6e6"
    green = lift("008000")
    r, g, b = (int(green[i : i + 2], 16) for i in (1, 3, 5))
    assert g > r and g > b
