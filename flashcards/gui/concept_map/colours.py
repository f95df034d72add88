"""Colours of the concept map: one per exam domain, recall from red to green."""

from __future__ import annotations

from collections.abc import Sequence

# Distinct hues that avoid the recall ring's red and green (Tableau 10, reordered).
DOMAIN_PALETTE = (
    "#4e79a7",  # blue
    "#f28e2b",  # orange
    "#b07aa1",  # purple
    "#76b7b2",  # teal
    "#9c755f",  # brown
    "#edc948",  # yellow
    "#ff9da7",  # pink
    "#59a14f",  # green, last: it clashes with a strong recall ring
)
NO_DOMAIN = "#8d9db6"  # neutral grey-blue
NEW_RING = "#b7bcc6"  # grey: never reviewed
CROSS_DOMAIN_EDGE = "#e0588a"  # pink-red: no domain fill uses it
SAME_DOMAIN_EDGE = "#cfd4dc"  # light: the many same-domain links stay quiet
SAME_DOMAIN_EDGE_DARK = "#3b414b"  # on the dark background, as quiet
TAG_EDGE = "#e3e6eb"
TAG_EDGE_DARK = "#30353d"
SUGGESTED_EDGE = "#7a5cc2"
HIGHLIGHT = "#1f6feb"

RECALL_STEPS = 8
"""Recall is drawn in this many colour steps (nodes are batched by colour)."""

_STOPS = ((0.5, (214, 69, 65)), (0.8, (232, 163, 61)), (0.95, (46, 157, 91)))


def domain_colours(domains: Sequence[str]) -> dict[str, str]:
    """A colour per domain, in legend order (the palette repeats past its end)."""
    return {d: DOMAIN_PALETTE[i % len(DOMAIN_PALETTE)] for i, d in enumerate(domains)}


def recall_step(recall: float | None) -> int:
    """-1 for new, else 0 (weak) .. RECALL_STEPS - 1 (strong)."""
    if recall is None:
        return -1
    low, high = _STOPS[0][0], _STOPS[-1][0]
    t = (min(max(recall, low), high) - low) / (high - low)
    return min(RECALL_STEPS - 1, int(t * RECALL_STEPS))


def recall_colour(step: int) -> str:
    """Hex colour of a recall step (see `recall_step`)."""
    if step < 0:
        return NEW_RING
    low, high = _STOPS[0][0], _STOPS[-1][0]
    value = low + (high - low) * (step + 0.5) / RECALL_STEPS
    for (x0, c0), (x1, c1) in zip(_STOPS, _STOPS[1:], strict=False):
        if value <= x1:
            t = (value - x0) / (x1 - x0)
            rgb = tuple(round(a + (b - a) * t) for a, b in zip(c0, c1, strict=True))
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return "#{:02x}{:02x}{:02x}".format(*_STOPS[-1][1])
