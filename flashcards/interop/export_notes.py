"""What an export gets from the collection, and each note as Anki fields (HTML).

Shared by the .apkg and CSV writers: our basic notes become "Basic", reversed ones
"Basic (and reversed card)", cloze notes "Cloze" (explicit cloze numbers, hints kept),
multiple-choice notes "Basic" with lettered options on the front and the correct
letters plus the explanation on the back.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import markdown

from flashcards import __version__
from flashcards.core.literal import mask_text
from flashcards.core.markdown_lists import ListsAfterText
from flashcards.core.model import (
    Card,
    CardKind,
    Flag,
    MemoryState,
    Note,
    ReviewEntry,
    template_number,
)
from flashcards.core.notetypes import NoteType
from flashcards.core.render_limits import (
    RenderLimitError,
    check_indent,
    check_size,
    guard_markdown,
    time_budget,
)
from flashcards.interop.anki_math import markdown_math_to_anki
from flashcards.interop.anki_notes import OUR_GUID_PREFIX
from flashcards.interop.fast_markdown import simple_html
from flashcards.interop.html_md import one_line_title

BASIC = "Basic"
REVERSED = "Basic (and reversed card)"
CLOZE = "Cloze"
NOTETYPE_FIELDS = {
    BASIC: ("Front", "Back"),
    REVERSED: ("Front", "Back"),
    CLOZE: ("Text", "Back Extra"),
}

_LINK = re.compile(r"\[\[((?:\\\||[^\[\]\n|])+?)(?:\|([^\[\]\n]+))?\]\]")  # `\|`: a title's bar
_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]+)(")', re.I)
_SOUND_LINK = re.compile(r'<a href="([^"]+)">\s*🔊[^<]*</a>')


@dataclass(frozen=True)
class ExportCard:
    """A card with its scheduling, as the collection knows it."""

    card: Card
    memory: MemoryState | None = None
    flag: Flag = Flag.NONE
    suspended: bool = False
    buried: bool = False


@dataclass(frozen=True)
class ExportNote:
    """A note to export: `deck` is the Anki-style name ("Parent::Child")."""

    note: Note
    deck: str
    cards: tuple[ExportCard, ...] = ()
    guid: str | None = None  # the Anki guid it came from, if any
    media_dir: Path | None = (
        None  # where its relative media paths resolve (default: root/file's folder)
    )
    notetype: NoteType | None = None  # the deck's declaration of the note's note type


@dataclass(frozen=True)
class ExportData:
    notes: tuple[ExportNote, ...]
    reviews: tuple[ReviewEntry, ...] = ()
    root: Path | None = None  # library root, to find media referenced by notes


def guid_for(item: ExportNote) -> str:
    """The Anki guid: the one the note came with, else one derived from our id."""
    if item.guid:
        return item.guid
    return f"{OUR_GUID_PREFIX}{item.note.id}"


# What rendered a note's fields, stored with them (collection/export_rows.py): fields
# rendered by other code are made again. Each release of the app and of python-markdown
# starts afresh; between releases, raise the number when `anki_fields` changes its output
# or the store its form (2: the cards' Anki ids by card id, not 8-byte integers; 3: a
# declared note type by `package_notes.declared_key`, not its name; 4: a line of dashes
# is a rule (or a heading's underline), as python-markdown reads it, not text; 5: `[[…]]`
# in code stays as it is written, not as a link's text; 6: `{{C2::x}}` is text, as in Anki,
# not cloze 2 written `{{c2::x}}`).
RENDERER = f"6/flashcards-{__version__}/markdown-{markdown.__version__}"

_local = threading.local()
# Text with none of these characters, and no line starting like a list item, is the same
# in Markdown and HTML apart from escaping: no need for the (slow) full converter.
# (A line of dashes is a rule, or underlines a heading.)
_MARKUP_CHARS = re.compile(
    r"[*_`\[\]<>&#!|~\\{}=]|^\s*([-+]|\d+[.)])\s|^ {0,3}-+[ \t]*$|^ {4}| {2}$|\t", re.M
)


def _converter() -> markdown.Markdown:
    # Building a Markdown instance costs more than converting a field; one per thread.
    md: markdown.Markdown | None = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(extensions=["fenced_code", "tables", "sane_lists", ListsAfterText()])
        guard_markdown(md)  # bounded in nesting and time, as the renderer's converter
        _local.md = md
    return md


def to_html(md: str) -> str:
    """Markdown -> HTML for an Anki field; `[[links]]` become their text, formulas
    MathJax (`\\(…\\)`, `\\[…\\]`)."""
    if "$" in md:
        return markdown_math_to_anki(md, _to_html)
    return _to_html(md)


def _to_html(md: str) -> str:
    if "[[" in md:
        md = _link_texts(md)
    md = md.strip()
    if not md:
        return ""
    if _MARKUP_CHARS.search(md) is None:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", md)]
        if len(paragraphs) == 1:
            return html_lib.escape(md, quote=False)
        return "\n".join(f"<p>{html_lib.escape(p, quote=False)}</p>" for p in paragraphs)
    html = simple_html(md)  # the common field, without python-markdown's cost
    if html is None:
        html = _python_markdown(md)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]  # a one-paragraph field reads better unwrapped in Anki
    return html


def _link_texts(md: str) -> str:
    """`[[links]]` as their text, but not in code or comments (literal zones, where
    `[[ -f x ]]` is a shell test, not a link)."""
    masked = mask_text(md)
    parts, last = [], 0
    for m in _LINK.finditer(masked):  # masked text has the original's offsets
        shown = 2 if m.group(2) else 1
        text = md[m.start(shown) : m.end(shown)]
        parts += [md[last : m.start()], text if shown == 2 else text.replace("\\|", "|")]
        last = m.end()
    parts.append(md[last:])
    return "".join(parts)


def _python_markdown(md: str) -> str:
    try:
        masked = mask_text(md)
        check_indent(masked)
        check_size(masked)
        with time_budget():
            html = _converter().reset().convert(md)
    except (RenderLimitError, RecursionError):
        # A field nested past the limits goes as its text: an export never fails on it.
        _local.md = None  # stopped half-way: its state is not to be reused
        return f"<pre>{html_lib.escape(md, quote=False)}</pre>"
    return html


def _front(title: str, prompt: str) -> str:
    """The front: the prompt, led by the title unless the title is the prompt's own start
    (as for notes that came from Anki, whose titles are shortened prompts)."""
    if not prompt.strip():
        return title
    if one_line_title(prompt, max_len=10_000).startswith(title.rstrip("…").strip()):
        return prompt
    return f"**{title}**\n\n{prompt}"


def _letter(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else str(i + 1)


def anki_fields(
    note: Note, *, html: Callable[[str], str] = to_html, notetype: NoteType | None = None
) -> tuple[str, list[str]]:
    """(notetype name, field values as HTML) for a note. A note of a declared note type
    gives that type's fields when `notetype` is given, else (a CSV row has two fields)
    its first card's two sides as Basic."""
    cards = note.cards
    if note.notetype is not None:
        if notetype is not None:
            return notetype.name, [html(value) for _, value in note.fields]
        first = cards[0] if cards else None
        return BASIC, [
            html(first.prompt if first else note.title),
            html(first.answer if first else ""),
        ]
    if any(c.kind is CardKind.CLOZE for c in cards):
        card = next(c for c in cards if c.kind is CardKind.CLOZE)
        return CLOZE, [html(card.prompt), html(card.answer)]
    choice = next((c for c in cards if c.kind is CardKind.CHOICE), None)
    if choice is not None:
        options = "\n".join(f"{_letter(i)}. {c.text}" for i, c in enumerate(choice.choices))
        front = _front(note.title, choice.prompt) + "\n\n" + options.replace("\n", "  \n")
        correct = ", ".join(_letter(i) for i, c in enumerate(choice.choices) if c.correct)
        back = f"**Correct: {correct}**" + (f"\n\n{choice.answer}" if choice.answer.strip() else "")
        return BASIC, [html(front), html(back)]
    front = html(_front(note.title, note.prompt))
    back = html(note.answer)
    if any(c.kind is CardKind.REVERSE for c in cards):
        return REVERSED, [front, back]
    return BASIC, [front, back]


def anki_ord(card: Card) -> int:
    """The Anki template (or cloze) ordinal of our card."""
    return ord_of(card.kind, card.cloze, card.id)


def ord_of(kind: CardKind, cloze: int | None, card_id: str) -> int:
    """The Anki template (or cloze) ordinal of a card of `kind`."""
    if kind is CardKind.CLOZE:
        return (cloze or 1) - 1
    if kind is CardKind.TEMPLATE:
        return template_number(card_id) - 1
    return 1 if kind is CardKind.REVERSE else 0


def stable_int(text: str, *, low: int = 1_000_000_000_000, span: int = 1 << 40) -> int:
    """A positive integer id (Anki uses ms-epoch-sized ints) derived from `text`."""
    return low + int.from_bytes(hashlib.sha1(text.encode()).digest()[:8], "big") % span


def rewrite_images(html: str, resolve: Callable[[str], str | None]) -> str:
    """Replace each `<img src>` with what `resolve` gives (None: keep), and turn sound links
    (`<a href="x.mp3">🔊 …</a>`, as imports write them) back into Anki's `[sound:x.mp3]`."""

    def image(m: re.Match[str]) -> str:
        new = resolve(html_lib.unescape(m.group(2)))
        return m.group(0) if new is None else m.group(1) + html_lib.escape(new) + m.group(3)

    def sound(m: re.Match[str]) -> str:
        new = resolve(html_lib.unescape(m.group(1)))
        return m.group(0) if new is None else f"[sound:{new}]"

    return _SOUND_LINK.sub(sound, _IMG_SRC.sub(image, html))


_TEMPLATE_TAG = re.compile(r"\{\{.*?\}\}", re.S)


def template_html(template_md: str, *, answer: bool = False) -> str:
    """A note type's template (Markdown) as the HTML of an Anki template, its `{{…}}`
    tags kept exactly. In an `answer` template the first rule (`---`) is Anki's
    `<hr id=answer>`, where its review scrolls to the answer."""
    tags: list[str] = []

    def hold(m: re.Match[str]) -> str:
        tags.append(m.group())
        return f"\ue030{len(tags) - 1}\ue031"

    converted = to_html(_TEMPLATE_TAG.sub(hold, template_md))
    if answer:
        converted = converted.replace("<hr />", "<hr id=answer>", 1)
    return re.sub("\ue030(\\d+)\ue031", lambda m: tags[int(m.group(1))], converted)
