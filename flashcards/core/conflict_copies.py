"""Sync engines' conflict copies of deck files, and git's conflict markers (docs/sync.md).

When two machines change a file before they see each other's change, Syncthing, Dropbox
and OneDrive keep both: the copy gets a name of its own. Read as a deck, the copy would
be a second deck holding the same cards (the same ids); so it is recognised by its name
and shown, never read. Pure: names and bytes in, answers out.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass

# deck.sync-conflict-20250301-101112-ABCDEFG.md (the device id part since Syncthing 1.x)
_SYNCTHING = re.compile(
    r"^(?P<stem>.+)\.sync-conflict-\d{8}-\d{6}(?:-[A-Z0-9]{7})?(?P<ext>\.md)$", re.IGNORECASE
)
# deck (Jane's conflicted copy 2025-03-01).md, deck (conflicted copy 2025-03-01 (1)).md,
# deck (Jane's MacBook's conflicted copy).md
_DROPBOX = re.compile(
    r"^(?P<stem>.+?) \((?:[^()]*'s )?conflicted copy(?: [^()]*)?(?: \(\d+\))?\)(?P<ext>\.md)$",
    re.IGNORECASE,
)
# deck-DESKTOP-AB12CD3.md: OneDrive adds the computer's name (capitals, digits, dashes).
_MACHINE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,14}$")
_IDS = re.compile(rb"\{[^}\n]*#([a-z0-9]{6})\b")


@dataclass(frozen=True)
class CopyName:
    """What a file name says: the copy of `original` (a name in the same folder)."""

    original: str
    engine: str  # "Syncthing", "Dropbox", "OneDrive"


def conflict_original(name: str, siblings: Container[str]) -> CopyName | None:
    """The original a deck file `name` is a sync engine's conflict copy of, if it is one.
    `siblings` are the names in its folder: a OneDrive copy is one only beside its
    original (and `shares_cards` should confirm it, the name alone being a guess)."""
    for pattern, engine in ((_SYNCTHING, "Syncthing"), (_DROPBOX, "Dropbox")):
        match = pattern.match(name)
        if match:
            return CopyName(match["stem"] + match["ext"], engine)
    if name.endswith(".md"):  # any dash may start the machine's name (it may hold dashes)
        stem = name[: -len(".md")]
        for at in range(1, len(stem)):
            machine = stem[at + 1 :]
            if stem[at] != "-" or not _MACHINE.match(machine):
                continue
            if any(c.isalpha() for c in machine) and stem[:at] + ".md" in siblings:
                return CopyName(stem[:at] + ".md", "OneDrive")
    return None


def shares_cards(copy: bytes, original: bytes) -> bool:
    """Do two deck files hold a card with the same id (a copy, not a deck of its own)?"""
    return bool(set(_IDS.findall(copy)) & set(_IDS.findall(original)))


def merge_conflict_line(data: bytes) -> int | None:
    """The line of the first git conflict marker (`<<<<<<< `) followed by its `=======`
    and `>>>>>>> `, or None: a deck git could not merge, to be resolved before reading."""
    lines = data.split(b"\n")
    for number, line in enumerate(lines, start=1):
        if line.startswith(b"<<<<<<< ") or line.rstrip(b"\r") == b"<<<<<<<":
            rest = [x.rstrip(b"\r") for x in lines[number:]]
            if b"=======" in rest:
                after = rest[rest.index(b"=======") :]
                if any(x.startswith(b">>>>>>>") for x in after):
                    return number
    return None
