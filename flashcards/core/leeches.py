"""Leeches: cards forgotten so often that reviewing them wastes time (Anki's rule).

A card becomes a leech when a lapse brings its lapse count to the preset's threshold,
and again every half-threshold after (rounded up): with 8, at 8, 12, 16… lapses. The
collection then tags its note `leech` in the Markdown and, if the preset says so,
suspends it.
"""

from __future__ import annotations

import enum
import math

LEECH_TAG = "leech"
"""The tag a leech's note gets (`tag:leech` finds them)."""


class LeechAction(enum.Enum):
    """What happens to a card that becomes a leech (Anki's "leech action")."""

    TAG = "tag"  # tag only: it keeps coming up
    SUSPEND = "suspend"  # tag and take it out of the reviews until unsuspended


LEECH_ACTIONS: dict[LeechAction, str] = {
    LeechAction.TAG: "Tag only",
    LeechAction.SUSPEND: "Suspend card",
}
"""Human labels of the actions, in the order a combo box lists them."""


def is_leech(lapses: int, threshold: int) -> bool:
    """Does a lapse that brought the count to `lapses` make the card a leech?

    True at `threshold` and every half-threshold after (rounded up, at least 1), as in
    Anki; never for a threshold of 0.
    """
    if threshold <= 0 or lapses < threshold:
        return False
    half = max(1, math.ceil(threshold / 2))
    return (lapses - threshold) % half == 0
