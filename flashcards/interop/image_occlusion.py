"""Anki's Image Occlusion notes as one Basic note per card, its masks drawn into pictures.

Anki (23.10+) keeps an occlusion note as a cloze note of the stock kind Image Occlusion:
the Occlusion field holds `{{cN::image-occlusion:SHAPE:key=value:…}}` for each shape
(rect, ellipse, polygon, text; positions as fractions of the image's size; `oi=1` on a
shape: "hide all, guess one", its mask shows on the other cards' questions too), the
Image field the picture, then Header, Back Extra and Comments. Anki's reviewer draws the
masks with JavaScript; our card view shows Markdown, so each cloze number becomes a Basic
note whose front shows an SVG of the image with the masks drawn (the card's own shapes
red, the others yellow where they hide all) and whose back shows the image with the
card's shapes uncovered and outlined, as Anki does. The SVG embeds the image (a card
view may load only one file per picture), so each card costs two copies of it: the
image and a note's card count are limited, and what is left out is said in the report.

No Qt here (the interop layer may not import it): an SVG is text; Qt's SVG plugin draws
it where the card is shown.
"""

from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from flashcards.core.image_size import image_size
from flashcards.core.media_files import read_regular_file
from flashcards.core.model import NoteId
from flashcards.core.render_theme import IMAGE_MAX_WIDTH
from flashcards.interop.anki_db import AnkiNote, AnkiNotetype
from flashcards.interop.bundle import Skipped
from flashcards.interop.deck_writer import NoteBlock, stable_id
from flashcards.interop.html_md import html_to_markdown, one_line_title

IMAGE_OCCLUSION_KIND = 6  # OriginalStockKind.ImageOcclusion in Anki's notetype config
MAX_SHAPES = 500  # shapes read from one note; more are reported, not drawn
MAX_POINTS = 1000  # points of one polygon
MAX_IMAGE_BYTES = 8 << 20  # an image larger than this is not copied into pictures
MAX_NOTE_BYTES = 64 << 20  # the pictures one note may make, together
_LIMIT = 10.0  # a coordinate past this (in image sizes) is nonsense, not a shape

ACTIVE_FILL = "#ff8e8e"  # Anki's --active-shape-color
INACTIVE_FILL = "#ffeba2"  # --inactive-shape-color
BORDER = "#212121"  # --active/inactive-shape-border
HIGHLIGHT = "#ff8e8e"  # --highlight-shape-border (the answer's outline)

_DELETION = re.compile(r"\{\{c(\d{1,6})::image-occlusion:(.*?)\}\}", re.S)
_IMG_SRC = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_MIME = {b"\x89PNG": "image/png", b"\xff\xd8": "image/jpeg", b"GIF8": "image/gif"}
_KINDS = ("rect", "ellipse", "polygon", "text")


def is_image_occlusion(notetype: AnkiNotetype) -> bool:
    """Whether `notetype` is Anki's Image Occlusion (by its stock kind, not its name)."""
    return notetype.stock_kind == IMAGE_OCCLUSION_KIND and len(notetype.fields) >= 2


@dataclass(frozen=True)
class Occlusion:
    """One shape, in fractions of the image's size."""

    ordinal: int  # the cloze number; 0: always shown, never asked (text labels)
    kind: str
    left: float
    top: float
    width: float = 0.0
    height: float = 0.0
    points: tuple[tuple[float, float], ...] = ()
    hide_all: bool = False  # oi=1
    text: str = ""
    font: float = 0.0  # a text label's height, a fraction of the image's height


@dataclass
class Parsed:
    shapes: list[Occlusion] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _number(value: str | None, default: float | None = None) -> float | None:
    if value is None or value == "":
        return default
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and abs(number) <= _LIMIT else None


def _shape(ordinal: int, spec: str) -> Occlusion | str:
    """The shape `spec` ("rect:left=.2:top=.3:…") describes, or why it is not one."""
    kind, _, rest = html.unescape(spec).partition(":")
    kind = kind.strip()
    if kind not in _KINDS:
        return f"unknown shape '{kind[:20]}'"
    props: dict[str, str] = {}
    for part in rest.split(":"):
        key, eq, value = part.partition("=")
        if eq:
            props[key.strip()] = value.strip()
    left, top = _number(props.get("left"), 0.0), _number(props.get("top"), 0.0)
    hide_all = props.get("oi") == "1"
    if left is None or top is None:
        return f"{kind}: position not a number in range"
    if kind == "text":
        font = _number(props.get("fs"), 40 / 600) or 40 / 600
        scale = _number(props.get("scale"), 1.0) or 1.0
        return Occlusion(0, kind, left, top, text=props.get("text", ""), font=font * scale)
    if kind == "polygon":
        points: list[tuple[float, float]] = []
        for pair in props.get("points", "").split()[: MAX_POINTS + 1]:
            x_text, _, y_text = pair.partition(",")
            x, y = _number(x_text), _number(y_text)
            if x is None or y is None:
                return "polygon: a point is not a number in range"
            points.append((x, y))
        if len(points) > MAX_POINTS:
            return f"polygon of more than {MAX_POINTS} points"
        if len(points) < 3:
            return "polygon of fewer than 3 points"
        # Anki places the polygon's bounding box at left/top (fabric.js).
        dx = left - min(x for x, _ in points) if "left" in props else 0.0
        dy = top - min(y for _, y in points) if "top" in props else 0.0
        moved = tuple((x + dx, y + dy) for x, y in points)
        xs, ys = [x for x, _ in moved], [y for _, y in moved]
        shape = Occlusion(
            ordinal,
            kind,
            min(xs),
            min(ys),
            max(xs) - min(xs),
            max(ys) - min(ys),
            points=moved,
            hide_all=hide_all,
        )
    else:
        if kind == "ellipse" and "rx" in props:
            rx, ry = _number(props.get("rx")), _number(props.get("ry"))
            width = None if rx is None else 2 * rx
            height = None if ry is None else 2 * ry
        else:
            width, height = _number(props.get("width")), _number(props.get("height"))
        if width is None or height is None or width <= 0 or height <= 0:
            return f"{kind}: size not a positive number in range"
        shape = Occlusion(ordinal, kind, left, top, width, height, hide_all=hide_all)
    right, bottom = shape.left + shape.width, shape.top + shape.height
    if right <= 0 or bottom <= 0 or shape.left >= 1 or shape.top >= 1:
        return f"{kind}: outside the image"
    return shape


def parse_occlusions(field_html: str) -> Parsed:
    """The shapes of an Occlusion field, and a line for each one that is left out."""
    out = Parsed()
    bad: dict[str, int] = {}
    extra = 0
    for match in _DELETION.finditer(field_html):
        if len(out.shapes) + sum(bad.values()) >= MAX_SHAPES:
            extra += 1
            continue
        made = _shape(int(match.group(1)), match.group(2))
        if isinstance(made, str):
            bad[made] = bad.get(made, 0) + 1
        else:
            out.shapes.append(made)
    out.problems = [f"{n} shape{'s' if n != 1 else ''} not drawn ({why})" for why, n in bad.items()]
    if extra:
        out.problems.append(f"{extra} shapes past the first {MAX_SHAPES} not drawn")
    return out


def _svg_shape(shape: Occlusion, w: int, h: int, fill: str, stroke: str, line: float) -> str:
    common = f'fill="{fill}" stroke="{stroke}" stroke-width="{line:.2f}"'
    x, y = shape.left * w, shape.top * h
    sw, sh = shape.width * w, shape.height * h
    if shape.kind == "rect":
        return f'<rect x="{x:.2f}" y="{y:.2f}" width="{sw:.2f}" height="{sh:.2f}" {common}/>'
    if shape.kind == "ellipse":
        return (
            f'<ellipse cx="{x + sw / 2:.2f}" cy="{y + sh / 2:.2f}" rx="{sw / 2:.2f}" '
            f'ry="{sh / 2:.2f}" {common}/>'
        )
    points = " ".join(f"{px * w:.2f},{py * h:.2f}" for px, py in shape.points)
    return f'<polygon points="{points}" {common}/>'


def _svg_text(shape: Occlusion, w: int, h: int) -> str:
    size = max(1.0, shape.font * h)
    return (
        f'<text x="{shape.left * w:.2f}" y="{shape.top * h + size:.2f}" '
        f'font-family="sans-serif" font-size="{size:.2f}" fill="{BORDER}">'
        f"{html.escape(shape.text)}</text>"
    )


def card_svg(
    image: str, size: tuple[int, int], shapes: list[Occlusion], ordinal: int, *, answer: bool
) -> str:
    """The SVG of card `ordinal`'s question (or `answer`) over `image` (a data: URI)."""
    w, h = size
    shown_w = min(w, IMAGE_MAX_WIDTH)
    shown_h = max(1, round(h * shown_w / w))
    line = w / shown_w  # one pixel where the card shows it
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{shown_w}" height="{shown_h}" viewBox="0 0 {w} {h}">',
        f'<image x="0" y="0" width="{w}" height="{h}" preserveAspectRatio="none" '
        f'xlink:href="{image}"/>',
    ]
    active = [s for s in shapes if s.ordinal == ordinal and s.kind != "text"]
    for shape in shapes:
        if shape.kind == "text" or shape.ordinal == ordinal or not shape.hide_all:
            continue
        parts.append(_svg_shape(shape, w, h, INACTIVE_FILL, BORDER, line))
    for shape in active:
        if answer:
            parts.append(_svg_shape(shape, w, h, "none", HIGHLIGHT, 3 * line))
        else:
            parts.append(_svg_shape(shape, w, h, ACTIVE_FILL, BORDER, line))
    parts.extend(_svg_text(s, w, h) for s in shapes if s.kind == "text" and s.text)
    parts.append("</svg>")
    return "\n".join(parts)


def occlusion_note_id(note_id: str, ordinal: int) -> NoteId:
    """Our note id for card `ordinal` of the Anki occlusion note that has `note_id`."""
    return stable_id(note_id, "image-occlusion", str(ordinal))


def occlusion_report(count: int) -> Skipped:
    """The import report's line for the Image Occlusion notes that came in."""
    notes = f"{count} Image Occlusion note{'s' if count != 1 else ''}"
    return Skipped(
        f"Anki's interactive masks of {notes}",
        "each card is a Basic note showing its image with the masks drawn in "
        "(the original image is kept in media); they go back to Anki as Basic notes",
    )


@dataclass
class Converted:
    """An occlusion note's Basic notes, the pictures they show, what was left out."""

    image: str = ""  # the Anki media name of the note's image
    blocks: list[NoteBlock] = field(default_factory=list)
    pictures: list[tuple[str, bytes]] = field(default_factory=list)  # (name, SVG bytes)
    skipped: list[Skipped] = field(default_factory=list)


def _image_src(field_html: str) -> str | None:
    match = _IMG_SRC.search(field_html)
    if match is None:
        return None
    return html.unescape(next(g for g in match.groups() if g is not None)).strip()


def occlusion_blocks(
    note: AnkiNote,
    *,
    note_id: str,
    rename: Callable[[str], str | None],
    source_of: Callable[[str], Path | None],
    picture_name: Callable[[str], str],
) -> Converted:
    """The Basic notes for an Image Occlusion `note`; `rename` places a package media
    file and gives its reference, `source_of` its staged file, `picture_name` the
    media reference a new picture (named by a key) will have."""
    out = Converted()
    label = f"Anki note {note.id} (Image Occlusion)"
    fields = (*note.fields, *[""] * (5 - len(note.fields)))
    src = _image_src(fields[1])
    if not src:
        out.skipped.append(Skipped(label, "its Image field holds no image"))
        return out
    original = src if source_of(src) is not None else unquote(src)
    staged = source_of(original)
    if rename(original) is None or staged is None:
        out.skipped.append(Skipped(label, f"its image {src!r} is not in the package"))
        return out
    data = read_regular_file(staged, limit=MAX_IMAGE_BYTES)
    size = image_size(staged)
    mime = _MIME.get((data or b"")[:4]) or _MIME.get((data or b"")[:2])
    if data is None:
        reason = f"its image {src!r} is larger than {MAX_IMAGE_BYTES >> 20} MB"
        out.skipped.append(Skipped(label, reason))
        return out
    if size is None or mime is None or min(size) <= 0:
        out.skipped.append(Skipped(label, f"its image {src!r} is not a PNG, JPEG or GIF"))
        return out
    out.image = original
    parsed = parse_occlusions(fields[0])
    out.skipped.extend(Skipped(label, problem) for problem in parsed.problems)
    ordinals = sorted({s.ordinal for s in parsed.shapes if s.ordinal > 0})
    if not ordinals:
        out.skipped.append(Skipped(label, "no shape to ask about"))
        return out
    uri = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    cost = 2 * len(ordinals) * len(uri)
    if cost > MAX_NOTE_BYTES:
        reason = (
            f"its {len(ordinals)} cards would need {cost >> 20} MB of pictures "
            f"(limit {MAX_NOTE_BYTES >> 20} MB)"
        )
        out.skipped.append(Skipped(label, reason))
        return out
    header = html_to_markdown(fields[2], rename=rename) if fields[2] else ""
    title = one_line_title(header, fallback="")
    lead = header if header != title else ""
    extra = [html_to_markdown(f, rename=rename) for f in fields[3:5] if f.strip()]
    for ordinal in ordinals:
        refs = []
        for side in ("front", "back"):
            svg = card_svg(uri, size, parsed.shapes, ordinal, answer=side == "back")
            key = f"{original.rsplit('.', 1)[0]}-{note_id}-c{ordinal}-{side}.svg"
            ref = picture_name(key)
            out.pictures.append((key, svg.encode("utf-8")))
            refs.append(f"![]({ref})")
        prompt = "\n\n".join(filter(None, [lead, refs[0]]))
        answer = "\n\n".join([refs[1], *filter(None, extra)])
        our_id = occlusion_note_id(note_id, ordinal)
        out.blocks.append(
            NoteBlock(our_id, title, answer, prompt, tags=note.tags, label=f"{label} c{ordinal}")
        )
    return out
