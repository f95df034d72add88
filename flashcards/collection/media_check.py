"""`flashcards check`: images, sounds and linked files a deck names that are not there.

A card whose `media/cat.png` is gone shows its alt text and nothing else, so a typo, a
file moved by hand or a card moved without its picture goes unnoticed until review.
Check warns, naming the deck, the line and the path. References the renderer refuses
anyway (absolute paths, paths leaving the library) are the import's business
(`core.media_refs.drop_outside_media`), not reported here.
"""

from __future__ import annotations

from pathlib import Path

from flashcards.core.media_files import local_media
from flashcards.core.media_refs import file_targets


def missing_media(data: bytes, root: Path, rel: str, key: str) -> list[str]:
    """A warning for each file deck `rel` (its bytes `data`, under library root `root`,
    shown as `key`) names by a relative path that does not exist."""
    path = root / rel
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return []  # the parse reports it
    out: list[str] = []
    for line, target in file_targets(text):
        found = local_media(target, base_dir=path.parent, root=root)
        if found is not None and not found.exists():
            out.append(f"{key}:{line}: missing media file {target}")
    return out
