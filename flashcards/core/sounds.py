"""Sounds in cards: Anki's `[sound:file.mp3]` and links to audio files, made playable.

A card imported from Anki carries its sounds as links (`<a href="media/x.mp3">🔊 x.mp3</a>`);
a card written by hand may use Anki's own `[sound:x.mp3]`. Rendering turns both into one
kind of link, `▶ x.mp3`, whose target is the file's `file:` URL (resolved against the
deck's folder, as images are). The review plays a side's sounds when it appears and
again on a key; without QtMultimedia a click opens the file in the system's player.

`playable` is the gate before anything is played: only a regular file inside the
library, whatever a deck names (`../../etc/passwd.mp3`, a link to a device, a URL).
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from urllib.parse import quote, unquote, urlparse
from urllib.request import url2pathname

from flashcards.core.render_theme import LINK_COLOUR
from flashcards.core.sanitize import resolve_image

AUDIO_SUFFIXES = frozenset(
    (".mp3", ".ogg", ".oga", ".opus", ".wav", ".m4a", ".aac", ".flac", ".spx")
)
SOUND_MARK = "▶"

_EXT = "|".join(s[1:] for s in sorted(AUDIO_SUFFIXES))
_AUDIO_LINK = re.compile(
    rf'<a\b[^>]*?\shref="([^"]+\.(?:{_EXT}))"[^>]*>(.*?)</a>', re.IGNORECASE | re.DOTALL
)
_SOUND_TAG = re.compile(r"\[sound:([^\]\n<>\"]+)\]")
_CODE = re.compile(r"(<code\b.*?</code>|<pre\b.*?</pre>)", re.DOTALL | re.IGNORECASE)
_PLAY_LINK = re.compile(rf'<a href="(file:[^"]+)" title="Play[^"]*"[^>]*>{SOUND_MARK}')


def _link(target: str, base_dir: Path | None, root: Path | None) -> str:
    resolved = resolve_image(target, base_dir=base_dir, root=root)
    if resolved is None:
        # A remote or unsafe target: say what it was, link nowhere.
        return f"{SOUND_MARK} {html.escape(target, quote=False)}"
    name = unquote(urlparse(resolved).path).rsplit("/", 1)[-1] or target
    href = html.escape(resolved, quote=True)
    return (
        f'<a href="{href}" title="Play (R plays the card\'s sounds again)" '
        f'style="color:{LINK_COLOUR}; text-decoration:none;">'
        f"{SOUND_MARK} {html.escape(name, quote=False)}</a>"
    )


def link_sounds(page: str, *, base_dir: Path | None, root: Path | None = None) -> str:
    """Sanitised `page` with every audio link and `[sound:…]` a `▶ name` play link
    (to a file inside `root`, the library; else `▶ name` as plain text)."""
    if "[sound:" not in page and "<a " not in page:
        return page
    parts = _CODE.split(page)
    for i in range(0, len(parts), 2):  # odd parts are code: left as written
        part = parts[i]
        if "<a " in part:
            part = _AUDIO_LINK.sub(lambda m: _link(html.unescape(m.group(1)), base_dir, root), part)
        if "[sound:" in part:
            part = _SOUND_TAG.sub(
                lambda m: _link(
                    quote(html.unescape(m.group(1)).strip(), safe="/:"), base_dir, root
                ),
                part,
            )
        parts[i] = part
    return "".join(parts)


def sound_urls(page: str) -> list[str]:
    """The `file:` URLs of the play links of rendered `page`, in order, each once."""
    if SOUND_MARK not in page:
        return []
    seen: dict[str, None] = {}
    for m in _PLAY_LINK.finditer(page):
        seen.setdefault(html.unescape(m.group(1)), None)
    return list(seen)


def is_sound_url(url: str) -> bool:
    """Does `url` (a link's target) name an audio file?"""
    path = urlparse(url).path
    return os.path.splitext(unquote(path))[1].lower() in AUDIO_SUFFIXES


def playable(url: str, *, root: Path | None) -> Path | None:
    """The file `url` names if it may be played: a local regular file inside `root`
    (the library); None otherwise (remote, missing, a folder or device, outside)."""
    parsed = urlparse(url)
    if parsed.scheme != "file" or root is None:
        return None
    path = Path(url2pathname(parsed.path))
    try:
        real = path.resolve(strict=True)
        inside = real.is_relative_to(root.resolve(strict=True))
    except (OSError, RuntimeError):
        return None
    if not inside or not real.is_file() or real.suffix.lower() not in AUDIO_SUFFIXES:
        return None
    return real
