"""Which files card content may reach, and reading them without being fooled.

Card text comes from strangers (shared decks, .apkg, CSV), so a reference in it is
only a wish. A card may show a file only when all of these hold:

- the reference is a relative path (no `file:` URL, no absolute or drive path);
- resolved against the deck's folder it stays inside the media root (the library
  folder the deck belongs to) — compared as written, so a folder the user linked into
  the library keeps working, while `../../etc/passwd` does not;
- what is there is a regular file (never a FIFO, which would block the reader, nor a
  device such as `/dev/zero`, which never ends), no larger than a limit.

`open_regular_file` opens with `O_NONBLOCK` and checks the open descriptor, so a FIFO
swapped in after a check cannot block either.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from urllib.parse import unquote

MAX_MEDIA_BYTES = 64 << 20
"""The largest media file a card view reads (a screenshot is well under 10 MB)."""

_DRIVE = re.compile(r"[A-Za-z]:[\\/]")
_HOME = re.compile(r"~(?:/|$)")


def inside(path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> bool:
    """Is `path` (made absolute, `..` folded away) `folder` itself or below it?"""
    target = os.path.normpath(os.path.abspath(path))
    top = os.path.normpath(os.path.abspath(folder))
    try:
        return os.path.commonpath([target, top]) == top
    except ValueError:  # different drives
        return False


def is_absolute_reference(path: str) -> bool:
    """A path a deck may not use: absolute (`/x`, `\\x`, `C:\\x`) or home-relative (`~/x`)."""
    return (
        path.startswith(("/", "\\"))
        or _DRIVE.match(path) is not None
        or _HOME.match(path) is not None
    )


def local_media(src: str, *, base_dir: Path, root: Path | None = None) -> Path | None:
    """The file a relative `src` (URL-quoted, no scheme) names, or None when it may not
    be reached: absolute, resolving outside `root` (`base_dir` when no root is given),
    or something other than a regular file. The file need not exist."""
    path = unquote(src.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/")
    if not path or is_absolute_reference(path) or "\x00" in path:
        return None
    full = os.path.normpath(os.path.join(os.path.abspath(base_dir), path))
    if not inside(full, root if root is not None else base_dir):
        return None
    if not_a_regular_file(Path(full)):
        return None
    return Path(full)


def not_a_regular_file(path: Path) -> bool:
    """Is something other than a regular file at `path` (a FIFO, a device, a folder)?
    A missing or unreadable path is not: a view shows it as a missing image."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def shown_name(path: str | os.PathLike[str]) -> str:
    """`path` as text that can be printed and stored: bytes of a file name that are not
    UTF-8 (which Python keeps as lone surrogates) shown escaped, `bad\\xff.md`."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def utf8_name(name: str) -> bool:
    """Is the file name `name` valid UTF-8 (no surrogate-escaped bytes)? A name that is
    not cannot be stored in the collection nor shown as it is."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def open_regular_file(path: Path, *, limit: int = MAX_MEDIA_BYTES) -> int | None:
    """A read-only descriptor of `path` if it is a regular file of at most `limit` bytes,
    else None. Never blocks: a FIFO is opened non-blocking and refused."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        before = os.stat(path)
        if not stat.S_ISREG(before.st_mode) or before.st_size > limit:
            return None
        fd = os.open(path, flags)
    except (OSError, ValueError):
        return None
    try:
        st = os.fstat(fd)
    except OSError:
        os.close(fd)
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
        os.close(fd)  # swapped for something else between the two looks
        return None
    return fd


def read_regular_file(path: Path, *, limit: int = MAX_MEDIA_BYTES) -> bytes | None:
    """The bytes of `path` if it is a regular file of at most `limit` bytes, else None."""
    fd = open_regular_file(path, limit=limit)
    if fd is None:
        return None
    with os.fdopen(fd, "rb") as f:
        data = f.read(limit + 1)  # a file that grew since: refused, not cut
    return data if len(data) <= limit else None
