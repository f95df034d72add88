"""What a save wrote back (ids added to new headings), carried into text typed since.

A save runs on the worker while the user may go on typing. When it finishes, the editor
text is no longer what was saved, so the saved file cannot simply replace it: the lines
the save changed are found in the text as it is now (by a line diff) and changed there,
each only when the user left that line as it was saved.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import NamedTuple


class LineEdit(NamedTuple):
    """Replace columns `start`..`end` of line `line` (0-based) with `text`."""

    line: int
    start: int
    end: int
    text: str


def _edit(line: int, old: str, new: str) -> LineEdit:
    """The smallest replacement turning `old` into `new` (an id is inserted mid-line)."""
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return LineEdit(line, prefix, len(old) - suffix, new[prefix : len(new) - suffix])


def written_back(sent: str, saved: str, current: str) -> list[LineEdit] | None:
    """The edits that bring into `current` what the save changed from `sent` (the text
    it was given) to `saved` (the file after it), bottom up.

    A changed line the user has edited since keeps the user's version (its id comes
    with the next save). None when the save changed the number of lines: its changes
    cannot be placed, and the next save writes the text as it is.
    """
    sent_lines, saved_lines = sent.split("\n"), saved.split("\n")
    if len(sent_lines) != len(saved_lines):
        return None
    changed = [i for i, (a, b) in enumerate(zip(sent_lines, saved_lines, strict=True)) if a != b]
    if not changed:
        return []
    current_lines = current.split("\n")
    where: dict[int, int] = {}
    matcher = SequenceMatcher(None, sent_lines, current_lines, autojunk=False)
    for i, j, size in matcher.get_matching_blocks():
        for k in range(size):
            where[i + k] = j + k
    edits = [
        _edit(where[i], sent_lines[i], saved_lines[i])
        for i in changed
        if i in where and current_lines[where[i]] == sent_lines[i]
    ]
    return sorted(edits, reverse=True)
