"""`check` warns about images, sounds and linked files a deck names that are missing,
naming the deck, the line and the path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flashcards.collection import Collection

DECK = """\
---
title: Pictures
---

## Card {#pic001}
![here](media/ok.png) ![gone](media/gone.png)
?
[sound:media/meow.mp3] <img src="media/ok.png"> <a href="media/bark.mp3">🔊 bark</a>
[web](https://example.org/x.png) [deck](other.md#id1) [here](#pic001) `![c](media/code.png)`
"""


def test_check_warns_about_missing_media_files(
    data_dir: Path, open_col: Callable[..., Collection]
) -> None:
    folder = data_dir / "decks" / "animals"
    (folder / "media").mkdir(parents=True)
    (folder / "media" / "ok.png").write_bytes(b"\x89PNG")
    (folder / "media" / "bark.mp3").write_bytes(b"ID3")
    (folder / "pictures.md").write_bytes(b"\xef\xbb\xbf" + DECK.replace("\n", "\r\n").encode())
    col = open_col()
    report = col.check()
    assert report.ok
    assert report.warnings == (
        "animals/pictures.md:6: missing media file media/gone.png",
        "animals/pictures.md:8: missing media file media/meow.mp3",
    )
