"""What an import may open: checked before a byte of its source is read.

An import's file or folder is a stranger's. Only regular files are opened: a FIFO named
`deck.md` would block the import for ever, a link `deck.csv -> /dev/zero` or
`deck.apkg -> /dev/urandom` would be read until memory runs out. A file name that is not
valid UTF-8 cannot be stored in the collection. Either is refused with an error naming
the file, before anything is read or changed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from flashcards.collection.library import MEDIA_SUFFIXES
from flashcards.core.errors import InteropError
from flashcards.core.media_files import shown_name, utf8_name

# What an import reads from a folder: decks, their media, exam profiles, and the
# package and text files an Obsidian vault or a folder never holds but a user may pass.
_READ_SUFFIXES = frozenset({".md", ".apkg", ".colpkg", ".csv", ".tsv", ".txt"} | MEDIA_SUFFIXES)

NOT_UTF8 = "its name is not valid UTF-8: rename the file, then try again"
NOT_REGULAR = "not a regular file (a FIFO, a device or a link to one cannot be imported)"


def check_import_source(source: Path) -> None:
    """Raise InteropError, naming the file, if `source` or a file of it that an import
    would read is not a regular file, or has a name that is not valid UTF-8.

    `source` is followed if a link; in a folder, every entry not hidden (`.name`) has its
    name checked, and each deck, media file or `exam.toml` must be a regular file where
    its link leads (a broken link is left to the import, which skips it). Links to
    folders are not walked here: the import's own walk takes only regular files there."""
    if not utf8_name(str(source)):
        raise InteropError(shown_name(source), NOT_UTF8)
    try:
        mode = os.stat(source).st_mode
    except OSError:
        return  # missing or unreadable: the import says so in its own words
    if stat.S_ISDIR(mode):
        _check_folder(source)
    elif not stat.S_ISREG(mode):
        raise InteropError(str(source), NOT_REGULAR)


def _check_folder(top: Path) -> None:
    for folder, dirs, files in os.walk(top, onerror=None, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in [*dirs, *sorted(files)]:
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            if not utf8_name(name):
                raise InteropError(shown_name(path), NOT_UTF8)
            if name in dirs or not _read_by_import(name):
                continue
            try:
                mode = os.stat(path).st_mode
            except OSError:
                continue  # a broken link: skipped by the import as before
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                raise InteropError(path, NOT_REGULAR)


def _read_by_import(name: str) -> bool:
    return name == "exam.toml" or os.path.splitext(name)[1].lower() in _READ_SUFFIXES
