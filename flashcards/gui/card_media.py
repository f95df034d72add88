"""What a card view may load from disk: regular files inside the library, nothing else.

The renderer already writes `file:` URLs only for images inside the library
(`core/media_files.py`); this is the second lock, on the door Qt itself uses. A
`QTextBrowser` (and a bare `QTextDocument`, as the cheat-sheet's printout uses) loads
every `<img src>` through `loadResource`, which by default opens any local path with
`QFile` and reads it to the end: a FIFO blocks the GUI thread for ever, `/dev/zero`
exhausts memory. Card views load local files through `load_local_resource` instead:
only a path inside one of the collection's library folders (`allow_roots`, set by the
worker when it opens the collection and when a folder is added), only a regular file
(opened non-blocking), at most `MAX_MEDIA_BYTES`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QUrl
from PySide6.QtGui import QImage, QTextDocument

from flashcards.core.media_files import MAX_MEDIA_BYTES, inside, read_regular_file

_lock = threading.Lock()
_roots: tuple[Path, ...] = ()


def allow_roots(paths: Iterable[Path]) -> None:
    """The library folders card views may load files from (replaces the earlier set)."""
    global _roots
    with _lock:
        _roots = tuple(Path(p) for p in paths)


def allowed_roots() -> tuple[Path, ...]:
    return _roots


def allow_collection(col: Any) -> None:
    """Allow the folders of `col` (the library and its external folders), if it says."""
    roots = getattr(col, "roots", None)
    if roots is None:
        return
    allow_roots(root.path for root in roots())


def is_local(url: QUrl) -> bool:
    """Would Qt read `url` from the file system (a `file:` URL or a bare path)?"""
    return url.isLocalFile() or url.scheme() == "" or len(url.scheme()) == 1  # C:/…


def local_bytes(url: QUrl) -> bytes | None:
    """The bytes of the local file `url` names, if a card may show it."""
    if not url.isLocalFile():
        return None  # relative or drive paths: the renderer never writes them
    path = Path(url.toLocalFile())
    if not path.is_absolute() or not any(inside(path, root) for root in _roots):
        return None
    return read_regular_file(path, limit=MAX_MEDIA_BYTES)


def load_local_resource(kind: int, url: QUrl) -> QImage | QByteArray:
    """What `loadResource` returns for a local `url`.

    An image is always answered with an image — the file's, or a blank pixel when it
    may not be shown or is no image: given nothing (or bytes that do not decode), Qt
    would open the path itself (`QImage::load`), FIFO or device alike."""
    data = local_bytes(url)
    if kind != QTextDocument.ResourceType.ImageResource.value:
        return QByteArray(data or b"")
    image = QImage.fromData(data) if data else QImage()
    if image.isNull():
        image = QImage(1, 1, QImage.Format.Format_ARGB32)
        image.fill(0)
    return image


class CardDocument(QTextDocument):
    """A `QTextDocument` (printing, PDF) that loads local files as card views do."""

    def loadResource(self, kind: int, name: QUrl | str) -> Any:  # noqa: N802 (Qt override)
        url = name if isinstance(name, QUrl) else QUrl(name)
        if is_local(url):
            return load_local_resource(kind, url)
        return super().loadResource(kind, name)
