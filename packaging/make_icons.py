"""Draw the app's icons from resources/flashcards.svg with Qt's SVG renderer: PNGs of 16 to
512 px for Linux (beside a copy of the SVG as the scalable one), a Windows .ico and a macOS
.icns. The results are committed; run again after changing the SVG:

    QT_QPA_PLATFORM=offscreen python3 packaging/make_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "flashcards.svg"
ICONS = ROOT / "packaging" / "icons"
APP_ID = "io.github.flashcards.Flashcards"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def draw(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (fonts)
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        sys.exit(f"cannot read {SVG}")
    for size in SIZES:
        out = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        if not draw(renderer, size).save(str(out), "PNG"):
            sys.exit(f"cannot write {out}")
        print(out.relative_to(ROOT))
    scalable = ICONS / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_bytes(SVG.read_bytes())
    print(scalable.relative_to(ROOT))
    # The Windows and macOS bundles' icons (packaging/flashcards.spec): Qt writes the
    # largest size each format holds.
    for name, fmt, size in (("flashcards.ico", b"ico", 256), ("flashcards.icns", b"icns", 512)):
        writer = QImageWriter(str(ICONS / name), fmt)
        if not writer.write(draw(renderer, size)):
            sys.exit(f"cannot write {name}: {writer.errorString()}")
        print((ICONS / name).relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
