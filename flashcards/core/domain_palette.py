"""A colour for each exam domain: the concept map's fills and the cheat-sheets' headers."""

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


def domain_colours(domains: Sequence[str]) -> dict[str, str]:
    """A colour per domain, in legend order (the palette repeats past its end)."""
    return {d: DOMAIN_PALETTE[i % len(DOMAIN_PALETTE)] for i, d in enumerate(domains)}
