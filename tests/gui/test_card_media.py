"""Card views load local files only from inside the library, only regular files.

The renderer already refuses hostile images; these tests hand the views hostile HTML
directly, as if the renderer had let one through: Qt's own loader would block on a
FIFO and read /dev/zero until memory runs out.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument
from pytestqt.qtbot import QtBot

from flashcards.gui import card_media
from flashcards.gui.card_text import CardText


@pytest.fixture()
def library(tmp_path: Path) -> Iterator[Path]:
    lib = tmp_path / "lib"
    lib.mkdir()
    image = QImage(6, 4, QImage.Format.Format_RGB32)
    image.fill(0x3366CC)
    assert image.save(str(lib / "ok.png"))
    assert image.save(str(tmp_path / "outside.png"))
    before = card_media.allowed_roots()
    card_media.allow_roots([lib])
    yield lib
    card_media.allow_roots(before)


def _shown_sizes(view: CardText) -> dict[str, tuple[int, int]]:
    """The size of each image resource the view's document loaded, by URL."""
    doc = view.document()
    sizes = {}
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                name = fmt.toImageFormat().name()
                res = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
                image = res if isinstance(res, QImage) else QImage()
                sizes[name] = (image.width(), image.height())
            it += 1
        block = block.next()
    return sizes


def test_only_images_inside_the_library_load(qtbot: QtBot, library: Path) -> None:
    view = CardText()
    qtbot.addWidget(view)
    inside_url = (library / "ok.png").as_uri()
    outside_url = (library.parent / "outside.png").as_uri()
    sneaky_url = (library / ".." / "outside.png").as_posix()  # a bare path climbing out
    view.set_card_html(
        f'<p><img src="{inside_url}"><img src="{outside_url}"><img src="{sneaky_url}">'
        '<img src="ok.png"></p>'
    )
    view.show()
    sizes = _shown_sizes(view)
    assert sizes[inside_url] == (6, 4)
    assert sizes[outside_url] == (1, 1)  # a blank pixel: Qt does not go and read it
    assert sizes[sneaky_url] == (1, 1)
    assert sizes["ok.png"] == (1, 1)  # relative: nothing to resolve it against


def test_nothing_loads_before_a_collection_says_where_its_library_is(
    qtbot: QtBot, library: Path
) -> None:
    card_media.allow_roots([])
    assert card_media.local_bytes(QUrl.fromLocalFile(str(library / "ok.png"))) is None


def test_a_collection_opened_by_the_worker_allows_its_folders(tmp_path: Path) -> None:
    from flashcards.collection import Collection

    before = card_media.allowed_roots()
    try:
        with Collection.open(tmp_path / "data", seed=False) as col:
            card_media.allow_collection(col)
            assert card_media.allowed_roots() == (col.library,)
    finally:
        card_media.allow_roots(before)


PROBE = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    from flashcards.gui import card_media
    from flashcards.gui.card_text import CardText
    from flashcards.gui.cheatsheet.export import sheet_document
    from flashcards.gui.cheatsheet.sheet import Sheet

    lib = Path(sys.argv[1])
    card_media.allow_roots([lib])
    app = QApplication([])
    html = (
        f'<p><img src="{(lib / "pipe.png").as_uri()}"><img src="{lib / "pipe.png"}">'
        f'<img src="{(lib / "zero.png").as_uri()}"><img src="{(lib / "random.png").as_uri()}">'
        '<img src="file:///dev/zero"><img src="/dev/zero"><img src="/dev/urandom"></p>'
    )
    view = CardText()
    view.resize(400, 300)
    view.set_card_html(html)
    view.show()
    app.processEvents()
    view.grab()
    doc = card_media.CardDocument()
    doc.setHtml(html)
    doc.size()  # lays the document out: every image is asked for
    print("shown", flush=True)
    """
)


def test_fifos_and_devices_never_block_or_flood_a_card_view(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    os.mkfifo(lib / "pipe.png")
    (lib / "zero.png").symlink_to("/dev/zero")
    (lib / "random.png").symlink_to("/dev/urandom")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # A subprocess with a deadline: a view that reads the FIFO would block for ever.
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(lib)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "shown" in done.stdout
