"""Colours of the concept map: one per exam domain, recall from red to green."""

from __future__ import annotations

from flashcards.core.domain_palette import DOMAIN_PALETTE, NO_DOMAIN, domain_colours

__all__ = ["DOMAIN_PALETTE", "NO_DOMAIN", "domain_colours"]

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
