"""Anki field HTML -> clean Markdown that our deck parser reads as plain content.

markdownify does the conversion; around it we rewrite media references to the names the
import gives the files, and escape the few lines that would otherwise be deck syntax
(a heading, a lone `?`, a trailing `Tags:` line) inside a card's body.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from urllib.parse import unquote

from flashcards.core.literal import mask_text
from flashcards.interop.anki_math import (
    hold_anki_math,
    hold_title_math,
    restore_math,
    restore_title_math,
)
from flashcards.interop.fast_html import fast_markdown
from flashcards.interop.html_convert import slow_markdown

_SRC = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*)("([^"]*)"|'([^']*)'|([^\s>"']+))""", re.I)
_SOUND = re.compile(r"\[sound:([^\]]+)\]")
_HEADING_LINE = re.compile(r"^( {0,3})(#{1,6})(\s|$)")
_MAY_NEED_ESCAPE = re.compile(r"^\s*(?:[?#]|[-*+]\s+\[)|Tags:", re.M)
_TASK_ITEM = re.compile(r"^(\s*[-*+]\s+)\[([ xX])\]")  # would make a multiple-choice card
_BLANKS = re.compile(r"\n{3,}")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|#\[\]{}()%&\s]+')
_CLOZE_OPEN = "{{"
# A no-break space that keeps a number with its unit (`5&nbsp;kg`, `20&nbsp;%`); the
# others Anki's editor leaves everywhere become spaces.
_UNIT_SPACE = re.compile(r"(?<=\d)\xa0(?=[^\W\d_]|[%°‰€$£¥])")
_SECOND_BRACKET = re.compile(r"(?<=\[)\[")  # each `[` after a `[`: `[[[` too

Rename = Callable[[str], "str | None"]
"""Original media name -> the Markdown path to reference (None: leave it alone)."""


def safe_name(name: str, *, max_len: int = 100) -> str:
    """A file name safe on every OS and in a Markdown link; letters of any script kept."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1].strip()
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = _UNSAFE.sub("_", stem).strip("._ ") or "file"
    ext = _UNSAFE.sub("", ext)[:16]
    stem = stem[: max_len - len(ext) - 1]
    return f"{stem}.{ext}" if ext else stem


def _rewrite_media(text: str, rename: Rename) -> str:
    def img(m: re.Match[str]) -> str:
        raw = (
            m.group(3)
            if m.group(3) is not None
            else m.group(4)
            if m.group(4) is not None
            else m.group(5)
        )
        original = unquote(html.unescape(raw))
        new = rename(original)
        if new is None:
            return m.group(0)
        return f'{m.group(1)}"{html.escape(new, quote=True)}"'

    def sound(m: re.Match[str]) -> str:
        original = html.unescape(m.group(1))
        new = rename(original)
        if new is None:
            return html.escape(f"[sound: {original}]")
        label = html.escape(original)
        return f'<a href="{html.escape(new, quote=True)}">🔊 {label}</a>'

    return _SOUND.sub(sound, _SRC.sub(img, text))


def html_to_markdown(text: str, *, rename: Rename | None = None, allow_cloze: bool = False) -> str:
    """Markdown for an Anki field's HTML; media references go through `rename`.

    Without `allow_cloze`, a literal `{{` is written as `&#123;{` so our parser does not
    take it for a cloze deletion. A literal `[[` (Anki has no links: bash's `[[ -f x ]]`)
    is written `[\\[`, which shows `[[` and is no link (docs/deck-format.md, Rule 18).
    """
    if rename is not None and ("src" in text or "[sound:" in text):
        text = _rewrite_media(text, rename)
    text, formulas = hold_anki_math(text)
    if "<" in text or "&" in text:
        md = fast_markdown(text)
        if md is None:
            md = slow_markdown(text)
    else:
        md = text  # plain text: nothing to convert, and much faster
    if "\xa0" in md and _UNIT_SPACE.search(md):
        md = _keep_unit_spaces(md)
    if "\xa0" in md or "\r" in md:
        md = md.replace("\xa0", " ").replace("\r\n", "\n").replace("\r", "\n")
    if "\n\n\n" in md:
        md = _BLANKS.sub("\n\n", md)
    md = md.strip()
    if not allow_cloze and _CLOZE_OPEN in md:
        md = md.replace(_CLOZE_OPEN, "&#123;{")
    if "[[" in md:
        md = escape_links(md)
    if formulas or "$" in md:
        md = restore_math(md, formulas)
    return escape_body(md)


def _keep_unit_spaces(md: str) -> str:
    """`md` with each no-break space between a number and its unit, outside literal
    zones (where an entity would show as typed), written `&nbsp;`."""
    masked = mask_text(md)
    return "".join(
        "&nbsp;" if piece == "\xa0" else piece
        for piece in _split_at(md, [m.start() for m in _UNIT_SPACE.finditer(masked)])
    )


def _split_at(text: str, positions: list[int]) -> list[str]:
    """`text` cut into pieces, each position's character a piece of its own."""
    pieces: list[str] = []
    pos = 0
    for at in positions:
        pieces += [text[pos:at], text[at]]
        pos = at + 1
    pieces.append(text[pos:])
    return pieces


def escape_links(md: str) -> str:
    """`md` with each `[[` outside literal zones written `[\\[`: the same text shown,
    and no link for the deck parser (code spans and fences are left as they are)."""
    masked = mask_text(md)
    if masked is md:  # no literal zone: every `[[` is escaped
        return _SECOND_BRACKET.sub(r"\\[", md)
    out: list[str] = []
    pos = 0
    for m in _SECOND_BRACKET.finditer(masked):
        out.append(md[pos : m.start()])
        out.append("\\")
        pos = m.start()
    out.append(md[pos:])
    return "".join(out)


def escape_body(md: str) -> str:
    """Escape lines that our deck parser would read as structure inside a card's body."""
    # The usual case: no line could be a heading, separator, task or tags. Each of those
    # holds one of these (`in` tests are ten times cheaper than the search).
    if "?" not in md and "#" not in md and "[" not in md and "Tags:" not in md:
        return md
    if not _MAY_NEED_ESCAPE.search(md):
        return md
    lines = md.split("\n")
    fenced = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            continue
        if stripped in ("?", "??"):
            # `\?` is no Markdown escape (it would show the backslash); an entity is.
            lines[i] = "&#63;" + stripped[1:]
        elif _HEADING_LINE.match(line):
            lines[i] = _HEADING_LINE.sub(
                lambda m: f"{m.group(1)}\\{m.group(2)}{m.group(3)}", line, 1
            )
        elif _TASK_ITEM.match(line):
            lines[i] = _TASK_ITEM.sub(lambda m: f"{m.group(1)}\\[{m.group(2)}]", line, 1)
    if lines and lines[-1].lstrip().startswith("Tags:"):
        lines[-1] = lines[-1].replace("Tags:", "Tags&#58;", 1)
    return "\n".join(lines)


_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HTML_TAG = re.compile(r"<[^>]+>")
_MD_MARKS = re.compile(r"[*_`~\\]|&#123;")
_TITLE_UNSAFE = re.compile(r"[{}\[\]]")
_CLOSING_HASHES = re.compile(r"(^|\s)#+\s*$")  # would read as a heading's closing sequence
# A line's block marks (quote, table bar, heading hashes, a list bullet and the space after
# it, an escaping backslash): a sign that starts the text ("-1 is…", "+5 V") stays.
_LINE_MARKS = re.compile(r"^(?:[>|#]+\s*|[-+*](?:\s+|$)|\\(?=[-+*>|#])\s*)+")
# Anything the general path below would remove, rewrite or stop at.
_TITLE_NOT_PLAIN = re.compile(r"[\n!\[\]<>*_`~\\&{}#|+\-$]")
# The same without `*` and `_`: text whose only marks are bold and italics.
_TITLE_NOT_MARKED = re.compile(r"[\n!\[\]<>`~\\&{}#|+\-$]")


def one_line_title(md: str, *, max_len: int = 80, fallback: str = "Untitled") -> str:
    """A single-line heading title from Markdown: first text line, marks removed, shortened."""
    if not _TITLE_NOT_PLAIN.search(md):
        # One line of plain text (most prompts): only its whitespace needs normalising.
        plain = " ".join(md.split())
        # (something besides colons and spaces: the general path's test, as a strip)
        if len(plain) <= max_len and plain.strip(": "):
            return plain
    elif not _TITLE_NOT_MARKED.search(md):
        # One line with bold or italic marks (most styled prompts): the marks go.
        plain = " ".join(md.replace("*", "").replace("_", "").split())
        if len(plain) <= max_len and plain.strip(": "):
            return plain
    if "&nbsp;" in md:
        md = md.replace("&nbsp;", " ")
    md, formulas = hold_title_math(md) if "$" in md else (md, [])
    text = _MD_IMAGE.sub(lambda m: m.group(1), md)
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = _HTML_TAG.sub(" ", text).replace("<!--", " ").replace("-->", " ")
    line = ""
    for candidate in text.split("\n"):
        candidate = _LINE_MARKS.sub("", candidate.strip())
        candidate = _MD_MARKS.sub("", candidate)
        candidate = _TITLE_UNSAFE.sub(" ", candidate)
        candidate = _CLOSING_HASHES.sub("", " ".join(candidate.split())).strip()
        if candidate and set(candidate) - set("-|: "):
            line = candidate
            break
    if not line:
        return fallback
    if len(line) > max_len:
        cut = line[: max_len - 1]
        if " " in cut[max_len // 2 :]:
            cut = cut[: cut.rindex(" ")]
        line = cut.rstrip(" ,;:.") + "…"
    return restore_title_math(line, formulas)
