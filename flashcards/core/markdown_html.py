"""Card Markdown → safe HTML: links and cloze deletions, python-markdown, sanitising.

The pipeline for one piece of text:

1. mask literal zones (code, comments) so no deck syntax is seen inside them;
2. rewrite `[[links]]` as `card:` anchors and cloze deletions as masked or highlighted
   spans (inline HTML, so the Markdown inside a deletion is still converted);
3. convert with python-markdown (one instance per thread, reset between documents);
4. sanitise the HTML (allow-list), then colour the code blocks with Pygments.

Code is highlighted after sanitising so the sanitiser never walks Pygments' spans:
that keeps a card with a long code block well under the 2 ms budget.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

import markdown

from flashcards.core.cloze import Cloze, find_clozes, number_clozes
from flashcards.core.errors import DeckFormatError
from flashcards.core.highlight import highlight_code_blocks
from flashcards.core.literal import FENCE_LINE, MASK, mask_lines
from flashcards.core.markdown_lists import ListsAfterText
from flashcards.core.model import Link
from flashcards.core.render_theme import CLOZE_FILL_STYLE, CLOZE_MASK_STYLE, TAG_LOOK
from flashcards.core.sanitize import sanitize_html

_EXTENSIONS = ["tables", "fenced_code", "attr_list", "sane_lists"]
_LINK = re.compile(r"\[\[([^\[\]\n]+?)\]\]")
# Characters that mean something to Markdown (or to cloze markup: `:`); written as
# entities when text must stay literal inside the inline HTML we generate.
_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|~<>&\"':]")
_CARD_SCHEME = "card:"

_local = threading.local()


@dataclass(frozen=True)
class ClozeView:
    """How deletions are shown: `asked` (None = every deletion) masked or highlighted.

    Deletions other than `asked` show their text plainly.
    """

    asked: int | None = None
    masked: bool = False


SHOW_ALL_CLOZES = ClozeView()


def _markdown() -> markdown.Markdown:
    md: markdown.Markdown | None = getattr(_local, "md", None)
    if md is None:
        extensions: list[str | markdown.Extension] = [*_EXTENSIONS, ListsAfterText()]
        md = markdown.Markdown(extensions=extensions, output_format="html")
        _local.md = md
    return md


def md_literal(text: str) -> str:
    """`text` written so Markdown and HTML both show it exactly as it is."""
    return _MD_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text)


def masked_text(text: str) -> str:
    """`text` with every literal-zone character replaced by `MASK` (same offsets)."""
    if "`" not in text and "~~~" not in text and "<!--" not in text:
        return text
    lines = text.split("\n")
    try:
        masked = mask_lines(lines).lines
    except DeckFormatError as error:
        # A fence that never closes runs to the end, as in CommonMark. The parser
        # rejects such decks; previews of half-typed text still render.
        opened = (error.line or 1) - 1
        masked = mask_lines(lines[:opened]).lines + [FENCE_LINE] * (len(lines) - opened)
    return "\n".join(
        MASK * len(line) if m == FENCE_LINE and line != FENCE_LINE else m
        for line, m in zip(lines, masked, strict=True)
    )


def card_href(link: Link) -> str:
    """The `card:` URL of a link: `card:TITLE` or `card:FILE#TITLE`, URL-quoted."""
    title = quote(link.target, safe="")
    if link.file is None:
        return f"{_CARD_SCHEME}{title}"
    return f"{_CARD_SCHEME}{quote(link.file, safe='/')}#{title}"


def link_from_href(href: str) -> Link | None:
    """The link a `card:` URL was made from (see `card_href`); None for other URLs."""
    if not href.startswith(_CARD_SCHEME):
        return None
    rest = href[len(_CARD_SCHEME) :]
    file, sep, title = rest.partition("#")
    if not sep:
        return Link(target=unquote(file))
    return Link(target=unquote(title), file=unquote(file))


def parse_link(inner: str) -> Link | None:
    """The text between `[[` and `]]` as a Link (same reading as the parser)."""
    target, bar, label = inner.partition("|")
    file: str | None = None
    if "#" in target:
        file, _, target = target.partition("#")
        file = file.strip() or None
    target = target.strip()
    if not target:
        return None
    return Link(target=target, file=file, text=label.strip() if bar else None)


def _anchor(link: Link) -> str:
    label = link.text or link.target
    return f'<a href="{card_href(link)}">{md_literal(label)}</a>'


def _replace_links(text: str, masked: str) -> tuple[str, str]:
    """`text` and `masked` with every link outside literal zones made an anchor."""
    if "[[" not in masked:
        return text, masked
    out: list[str] = []
    out_masked: list[str] = []
    pos = 0
    for m in _LINK.finditer(masked):
        link = parse_link(text[m.start(1) : m.end(1)])
        if link is None:
            continue
        anchor = _anchor(link)
        out.append(text[pos : m.start()])
        out_masked.append(masked[pos : m.start()])
        out.append(anchor)
        out_masked.append(anchor)
        pos = m.end()
    out.append(text[pos:])
    out_masked.append(masked[pos:])
    return "".join(out), "".join(out_masked)


def _cloze_html(cloze: Cloze, view: ClozeView) -> str:
    if view.asked is not None and cloze.number != view.asked:
        return cloze.text
    if view.masked:
        label = "…" if cloze.hint is None or not cloze.hint.strip() else cloze.hint.strip()
        return f'<span style="{CLOZE_MASK_STYLE}">[{md_literal(label)}]</span>'
    return f'<span style="{CLOZE_FILL_STYLE}">{cloze.text}</span>'


def _replace_clozes(text: str, masked: str, view: ClozeView) -> str:
    if "{{" not in masked:
        return text
    try:
        found = find_clozes(text, masked)
    except DeckFormatError:
        return text  # a broken deletion (only in previews): show the text as written
    if not found:
        return text
    (numbered,) = number_clozes([found])
    out: list[str] = []
    pos = 0
    for cloze in numbered:
        out.append(text[pos : cloze.start])
        out.append(_cloze_html(cloze, view))
        pos = cloze.end
    out.append(text[pos:])
    return "".join(out)


def _prepare(text: str, clozes: ClozeView) -> str:
    masked = masked_text(text)
    text, masked = _replace_links(text, masked)
    return _replace_clozes(text, masked, clozes)


def _finish(converted: str, base_dir: Path | None) -> str:
    return highlight_code_blocks(sanitize_html(converted, base_dir=base_dir, look=TAG_LOOK))


def _convert(text: str) -> str:
    md = _markdown()
    md.reset()
    return md.convert(text)


def markdown_to_html(
    text: str, *, base_dir: Path | None = None, clozes: ClozeView = SHOW_ALL_CLOZES
) -> str:
    """Safe HTML for the Markdown `text` (links, deletions, highlighted code)."""
    if not text.strip():
        return ""
    return _finish(_convert(_prepare(text, clozes)), base_dir)


_SPLIT = "<!--flashcards:piece-->"


def markdown_pieces_to_html(
    texts: Sequence[str], *, base_dir: Path | None = None, clozes: ClozeView = SHOW_ALL_CLOZES
) -> list[str]:
    """`markdown_to_html` of each text, converted as one document when that is safe.

    One python-markdown pass has a fixed cost that is a good part of a small card's
    budget; pieces are joined by an HTML comment line (a block of its own, so no
    construct runs across it) and the output is cut there again.
    """
    prepared = [_prepare(t, clozes) if t.strip() else "" for t in texts]
    live = [p for p in prepared if p]
    if len(live) > 1 and not any(_SPLIT in p for p in live):
        parts = _convert(f"\n\n{_SPLIT}\n\n".join(live)).split(_SPLIT)
        if len(parts) == len(live):
            done = iter(_finish(part, base_dir) for part in parts)
            return [next(done) if p else "" for p in prepared]
    return [_finish(_convert(p), base_dir) if p else "" for p in prepared]
