"""The look of rendered cards: sizes and colours, as inline CSS for QTextBrowser.

Ordinary text takes the widget palette's colour, so nothing here sets a text colour
except where it also sets the background behind it (code blocks). Accent colours are
mid tones that read on both light and dark palettes, and tinted backgrounds are
translucent so the palette shows through.
"""

from __future__ import annotations

from flashcards.core.sanitize import TagLook

BODY_SIZE_PT = 15
"""Card text size: cards are read at arm's length, often for hours."""

HEADING_SIZES_PT = {"h1": 22, "h2": 20, "h3": 18, "h4": 16, "h5": 15, "h6": 15}

CODE_STYLE = "default"  # Pygments style: light, with strong keyword colours
CODE_BACKGROUND = "#f4f5f7"
CODE_TEXT = "#1f2328"
CODE_FONT = "'JetBrains Mono', 'DejaVu Sans Mono', 'Menlo', 'Consolas', monospace"
CODE_SIZE_PT = 13
INLINE_CODE_STYLE = (
    f"font-family:{CODE_FONT}; background-color:rgba(135,135,135,0.22); font-size:{CODE_SIZE_PT}pt;"
)
CODE_BLOCK_STYLE = (
    f"margin:0; color:{CODE_TEXT}; font-family:{CODE_FONT}; font-size:{CODE_SIZE_PT}pt; "
    "white-space:pre-wrap;"
)

CLOZE_MASK_STYLE = "color:#3b82f6; font-weight:bold; background-color:rgba(59,130,246,0.16);"
CLOZE_FILL_STYLE = "font-weight:bold; background-color:rgba(250,190,40,0.38);"

MATH_INK = "#1d1f23"
"""Formulas are drawn in this ink (the light theme's text); `card_look.fit_card_html`
gives them the palette's text colour when it differs (a dark theme: light ink)."""

CORRECT_COLOUR = "#2ea44f"
WRONG_COLOUR = "#e5534b"
MUTED_COLOUR = "#8c8c8c"
LINK_COLOUR = "#3d8bfd"

IMAGE_MAX_WIDTH = 640
"""px: wider images are scaled down to fit a review window without a scroll bar."""

TAG_LOOK = TagLook(
    styles={
        **{
            tag: f"font-size:{size}pt; font-weight:600; margin-top:12px; margin-bottom:6px;"
            for tag, size in HEADING_SIZES_PT.items()
        },
        "code": INLINE_CODE_STYLE,
        "a": f"color:{LINK_COLOUR};",
        "th": "font-weight:600;",
        "table": "border-collapse:collapse; border-color:#8c8c8c; border-style:solid;",
        "blockquote": f"color:{MUTED_COLOUR};",
    },
    attrs={"table": {"border": "1", "cellspacing": "0", "cellpadding": "6"}},
    # Qt sizes headings from the document's default font and ignores `font-size`
    # on them, so a heading would come out smaller than the card text around it.
    rename={tag: "p" for tag in HEADING_SIZES_PT},
    image_max_width=IMAGE_MAX_WIDTH,
)
"""How card HTML is dressed (see `sanitize_html`)."""
