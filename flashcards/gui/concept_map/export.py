"""Export what the map view shows as PNG (raster) or SVG (vector)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QRectF, QSize
from PySide6.QtGui import QImage, QPainter

from flashcards.core.errors import FlashcardsError
from flashcards.gui.concept_map.map_view import MapView


def export_png(view: MapView, path: Path, *, scale: float = 2.0) -> Path:
    """The current view at `scale` × its pixel size (sharp on high-density screens)."""
    size = view.viewport().size()
    image = QImage(
        QSize(round(size.width() * scale), round(size.height() * scale)),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.fill(view.map_scene.backgroundBrush().color())
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    with view.full_quality():
        view.render(painter, QRectF(image.rect()), QRect(0, 0, size.width(), size.height()))
    painter.end()
    if not image.save(str(path), "PNG"):  # type: ignore[call-overload]  # stub: bytes; runtime: str
        raise FlashcardsError(f"cannot write {path}")
    return path


def export_svg(view: MapView, path: Path, *, title: str = "Concept map") -> Path:
    """The current view as SVG: discs, lines and text stay vectors."""
    from PySide6.QtSvg import QSvgGenerator  # loaded on first export

    size = view.viewport().size()
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(size)
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setTitle(title)
    painter = QPainter()
    if not painter.begin(generator):
        raise FlashcardsError(f"cannot write {path}")
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    with view.full_quality():
        view.render(painter, QRectF(0, 0, size.width(), size.height()), view.viewport().rect())
    painter.end()
    if not path.is_file():
        raise FlashcardsError(f"cannot write {path}")
    return path
