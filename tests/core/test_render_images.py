"""Image headers and wide images scaled down to fit the review window."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from flashcards.core.image_size import image_size
from flashcards.core.render import clear_render_cache, render_markdown
from flashcards.core.render_theme import IMAGE_MAX_WIDTH


def png(width: int, height: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + struct.pack(">II", width, height) + b"\x08"


def gif(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00" * 20


def bmp(width: int, height: int) -> bytes:
    return b"BM" + b"\x00" * 16 + struct.pack("<ii", width, height) + b"\x00" * 10


def jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + b"\x00" * 9
    sof = b"\xff\xc0" + struct.pack(">HBHH", 17, 8, height, width) + b"\x00" * 10
    return b"\xff\xd8" + app0 + b"\xff\xff" + sof


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    clear_render_cache()


@pytest.mark.parametrize("make", [png, gif, bmp, jpeg])
def test_image_size_reads_headers(make, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "x.img"
    path.write_bytes(make(1280, 720))
    assert image_size(path) == (1280, 720)


def test_image_size_of_other_or_missing_files(tmp_path: Path) -> None:
    (tmp_path / "a.svg").write_text("<svg/>")
    (tmp_path / "b.jpg").write_bytes(b"\xff\xd8\x00\x00 broken")
    assert image_size(tmp_path / "a.svg") is None
    assert image_size(tmp_path / "b.jpg") is None
    assert image_size(tmp_path / "missing.png") is None


def test_wide_images_are_scaled_to_the_max_width(tmp_path: Path) -> None:
    (tmp_path / "wide.png").write_bytes(png(1280, 720))
    (tmp_path / "small.gif").write_bytes(gif(200, 100))
    html = render_markdown(
        '![w](wide.png) ![s](small.gif) <img src="wide.png" width="300">', base_dir=tmp_path
    )
    height = round(720 * IMAGE_MAX_WIDTH / 1280)
    assert re.search(f'<img alt="w" src="[^"]+" width="{IMAGE_MAX_WIDTH}" height="{height}">', html)
    assert re.search('<img alt="s" src="[^"]+">', html)  # small: natural size
    assert html.count("width=") == 2  # the author's own width is left alone
    assert 'width="300"' in html
