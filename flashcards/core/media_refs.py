"""Media references in an imported deck that point outside the library, taken out.

A shared deck, an .apkg or a CSV file may name any file on the importer's disk:
`<img src="file:///etc/passwd">`, `![x](/home/me/key.png)`, `[sound:../../x.mp3]`. The
renderer refuses them anyway (`media_files.py`); an import also drops them, so they
never sit in the library waiting for a less careful program, and the import report
says how many went. What counts as outside (for a deck at library path `deck`):

- a `file:` URL or a drive path (`C:\\x`);
- an absolute or home path (`/x`, `\\\\server\\x`, `~/x`);
- a relative path that climbs out of the library from the deck's folder (`../../x`).

Web links and `data:` images stay (the renderer shows a remote image as its alt text).
References are found in Markdown links and images (`[t](x)`, `![a](x)`, `[r]: x`),
in HTML `src` and `href` attributes and in `[sound:x]`; code and comments are left as
written (they are text, not references). A dropped Markdown target becomes empty
(`![alt]()` shows its alt text), a dropped attribute value `""`, a dropped sound
nothing.
"""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import unquote

from flashcards.core.literal import mask_text
from flashcards.core.media_files import is_absolute_reference
from flashcards.core.sanitize import url_scheme

# `](target` of an inline link or image: <angle form> or a run without spaces whose
# parentheses balance one level deep (`wiki/Foo_(bar)`).
_INLINE = re.compile(r"\]\([ \t]*\n?[ \t]*(<[^<>\n]*>|(?:[^\s()<]|\([^\s()]*\))+)")
_DEFINITION = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*\n?[ \t]*(<[^<>\n]*>|\S+)", re.MULTILINE)
_TAG = re.compile(r"<[A-Za-z][^<>]*>")
_ATTR = re.compile(r"""(?<![\w-])(?:src|href)\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.I)
_SOUND = re.compile(r"\[sound:([^\]\n]*)\]")


def leaves_library(target: str, *, deck: str) -> bool:
    """Does `target` (as written in deck `deck`, a library-relative POSIX path) name a
    file outside the library?"""
    raw = html.unescape(target).strip()
    if raw[:1] + raw[-1:] in ("<>", '""', "''"):
        raw = raw[1:-1].strip()
    scheme = url_scheme(raw)
    if scheme is not None:
        return scheme == "file" or len(scheme) == 1  # a drive letter: C:\x
    path = unquote(raw.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/")
    if not path:
        return False
    if is_absolute_reference(path) or "\x00" in path:
        return True
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(deck), path))
    return joined == ".." or joined.startswith("../")


def _references(text: str) -> list[tuple[int, int, int, int, str]]:
    """Every file reference in `text`, in order: (start, end) of its target as written
    (quotes or angle brackets included), (start, end) of what dropping it replaces, and
    the replacement that drops it. Code and comments are skipped."""
    if not any(mark in text for mark in ("](", "]:", "src", "href", "SRC", "HREF", "[sound:")):
        return []
    masked = mask_text(text)
    found: list[tuple[int, int, int, int, str]] = []
    for m in _INLINE.finditer(masked):
        empty = "<>" if m.group(1).startswith("<") else ""
        found.append((m.start(1), m.end(1), m.start(1), m.end(1), empty))
    for m in _DEFINITION.finditer(masked):
        found.append((m.start(1), m.end(1), m.start(1), m.end(1), "#"))
    for tag in _TAG.finditer(masked):
        for m in _ATTR.finditer(masked, tag.start(), tag.end()):
            found.append((m.start(1), m.end(1), m.start(1), m.end(1), '""'))
    for m in _SOUND.finditer(masked):
        found.append((m.start(1), m.end(1), m.start(), m.end(), ""))
    return sorted(found)


def _splice(text: str, edits: list[tuple[int, int, str]]) -> tuple[str, int]:
    """`text` with each (start, end, replacement) made, and how many were; of
    overlapping finds (a target inside another) the first one wins."""
    if not edits:
        return text, 0
    pieces: list[str] = []
    pos = done = 0
    for start, end, new in sorted(edits):
        if start < pos:
            continue
        pieces.append(text[pos:start])
        pieces.append(new)
        pos = end
        done += 1
    pieces.append(text[pos:])
    return "".join(pieces), done


def drop_outside_media(text: str, *, deck: str) -> tuple[str, int]:
    """`text` with every reference to a file outside the library taken out, and how
    many there were (0: `text` is returned unchanged)."""
    edits = [
        (start, end, empty)
        for t_start, t_end, start, end, empty in _references(text)
        if leaves_library(text[t_start:t_end], deck=deck)
    ]
    return _splice(text, edits)


def file_targets(text: str) -> list[tuple[int, str]]:
    """Every reference in `text` that names a local file by a relative path, as
    (1-based line, path as written without quotes, #fragment or ?query): what
    `flashcards check` looks for on disk. URLs, `#anchors` and links to other decks
    (`x.md`) are left out, as are code and comments."""
    out: list[tuple[int, str]] = []
    for start, end, _, _, _ in _references(text):
        raw = html.unescape(text[start:end]).strip()
        if raw[:1] + raw[-1:] in ("<>", '""', "''"):
            raw = raw[1:-1].strip()
        if url_scheme(raw) is not None:
            continue
        path = raw.split("#", 1)[0].split("?", 1)[0]
        if path and not path.lower().endswith(".md"):
            out.append((text.count("\n", 0, start) + 1, path))
    return out


def _rebased(target: str, *, source: str, dest: str) -> str | None:
    """`target` (as written in deck `source`) pointing at the same file from deck
    `dest`, or None when it stays as written: a URL, an absolute path, a link within
    the card (`#x`), a path leaving the library, or one that reads the same from both."""
    inner, opening, closing = target.strip(), "", ""
    if inner[:1] + inner[-1:] in ("<>", '""', "''"):
        opening, inner, closing = inner[0], inner[1:-1], inner[-1]
    cut = min((i for i in (inner.find("#"), inner.find("?")) if i >= 0), default=len(inner))
    path, rest = inner[:cut].strip().replace("\\", "/"), inner[cut:]
    if not path or url_scheme(inner) is not None or is_absolute_reference(unquote(path)):
        return None
    full = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if full == ".." or full.startswith("../"):
        return None  # the renderer refuses it from anywhere; left for `check` to report
    new = posixpath.relpath(full, posixpath.dirname(dest) or ".")
    if posixpath.normpath(path) == new:
        return None
    return f"{opening}{new}{rest}{closing}"


def rebase_media(text: str, *, source: str, dest: str) -> tuple[str, int]:
    """`text` written in deck `source` (a library-relative POSIX path) with every
    relative file reference rewritten to name the same file from deck `dest`, and how
    many changed: Markdown images and links, HTML `src`/`href` (a sound link
    `<a href="media/x.mp3">🔊 x</a>` too), `[sound:x]`. Web links, absolute paths and
    `#anchors` stay as written, as do code and comments."""
    if posixpath.dirname(source) == posixpath.dirname(dest):
        return text, 0
    edits: list[tuple[int, int, str]] = []
    for start, end, _, _, _ in _references(text):
        new = _rebased(text[start:end], source=source, dest=dest)
        if new is not None:
            edits.append((start, end, new))
    return _splice(text, edits)


def drop_outside_media_in_files(files: dict[str, bytes]) -> tuple[dict[str, bytes], int]:
    """`drop_outside_media` over deck files (library path -> UTF-8 bytes); files that
    change nothing keep their bytes exactly, undecodable ones are left to the parser."""
    out: dict[str, bytes] = {}
    dropped = 0
    for rel, data in files.items():
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            out[rel] = data  # the parser reports it, naming the line
            continue
        cleaned, count = drop_outside_media(text, deck=rel)
        out[rel] = cleaned.encode("utf-8") if count else data
        dropped += count
    return out, dropped


def dropped_note(count: int) -> str:
    """The import report's line about `count` dropped references."""
    plural = "s" if count != 1 else ""
    return (
        f"dropped {count} link{plural} or image{plural} to files outside the library "
        "(file: URLs, absolute paths or ../ paths leaving it)"
    )
