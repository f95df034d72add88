"""Card Markdown → safe HTML: links and cloze deletions, python-markdown, sanitising.

The pipeline for one piece of text:

1. mask literal zones (code, comments) so no deck syntax is seen inside them;
2. rewrite `[[links]]` as `card:` anchors and cloze deletions as masked or highlighted
   spans (inline HTML, so the Markdown inside a deletion is still converted);
3. convert with python-markdown (one instance per thread, reset between documents);
4. sanitise the HTML (allow-list), then colour the code blocks with Pygments.

Formulas (`$…$`, `$$…$$`; see `math_tex.py`) are taken out before step 2 and stand in
as inert placeholders, so neither Markdown's emphasis nor cloze and link syntax reads
their `_`, `*`, `{{` or `[[`; after sanitising, each placeholder becomes the formula's
image (`math_render.py`), sized for the heading or text around it.

Code is highlighted after sanitising so the sanitiser never walks Pygments' spans:
that keeps a card with a long code block well under the 2 ms budget.

Images and sound links reach only files inside `media_root` (the library folder the
deck is in; see `media_files.py`). The converter is bounded in size, nesting and time
(`render_limits.py`): past any of them it raises `RenderLimitError`.
"""

from __future__ import annotations

import html
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
from flashcards.core.links import split_link
from flashcards.core.literal import FENCE_LINE, MASK, mask_lines
from flashcards.core.markdown_lists import ListsAfterText
from flashcards.core.math_render import (
    MAX_FORMULAS_PER_TEXT,
    TEXT_BUDGET_S,
    formula_budget,
    formula_html,
    source_html,
)
from flashcards.core.math_tex import EscapedDollar, find_math
from flashcards.core.model import Link
from flashcards.core.render_limits import (
    RenderLimitError,
    check_indent,
    check_size,
    check_time,
    guard_markdown,
)
from flashcards.core.render_theme import (
    BODY_SIZE_PT,
    CLOZE_FILL_STYLE,
    CLOZE_MASK_STYLE,
    HEADING_SIZES_PT,
    TAG_LOOK,
)
from flashcards.core.sanitize import sanitize_html
from flashcards.core.sounds import link_sounds

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
        guard_markdown(md)
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
    target, label = split_link(inner)
    file: str | None = None
    if "#" in target:
        file, _, target = target.partition("#")
        file = file.strip() or None
    target = target.strip()
    if not target:
        return None
    return Link(target=target, file=file, text=None if label is None else label.strip())


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


@dataclass(frozen=True)
class _Formula:
    tex: str
    display: bool


_HOLD_OPEN, _HOLD_CLOSE = "\ue000", "\ue001"  # private-use: no Markdown, HTML or deck syntax
_HELD = re.compile(f"{_HOLD_OPEN}(\\d+)(?::(\\d))?{_HOLD_CLOSE}")
_HELD_IN_TAG = re.compile(f"<[^<>]*{_HOLD_OPEN}[^<>]*>")
_HELD_PARAGRAPH = re.compile(f"<p>({_HOLD_OPEN}(\\d+){_HOLD_CLOSE})</p>")
_HEADING = re.compile(r"<h([1-6])\b[^>]*>.*?</h\1>", re.DOTALL)


def _hold_math(text: str, masked: str) -> tuple[str, str, list[_Formula]]:
    """`text` and `masked` with each formula a placeholder and each `\\$` a dollar."""
    found = find_math(text, masked)
    if not found:
        return text, masked, []
    formulas: list[_Formula] = []
    out: list[str] = []
    out_masked: list[str] = []
    pos = 0
    for item in found:
        if isinstance(item, EscapedDollar):
            start, end, held = item.start, item.start + 2, "&#36;"
        else:
            start, end = item.start, item.end
            held = f"{_HOLD_OPEN}{len(formulas)}{_HOLD_CLOSE}"
            formulas.append(_Formula(item.tex, item.display))
        out.append(text[pos:start])
        out_masked.append(masked[pos:start])
        out.append(held)
        out_masked.append(held)
        pos = end
    out.append(text[pos:])
    out_masked.append(masked[pos:])
    return "".join(out), "".join(out_masked), formulas


def _prepare(text: str, clozes: ClozeView) -> tuple[str, list[_Formula]]:
    masked = masked_text(text)
    check_indent(masked)
    check_size(masked)
    text, masked, formulas = _hold_math(text, masked)
    text, masked = _replace_links(text, masked)
    return _replace_clozes(text, masked, clozes), formulas


def _mark_heading_formulas(converted: str) -> str:
    """Placeholders inside a heading learn its level (the formula takes its size)."""

    def mark(m: re.Match[str]) -> str:
        return m.group().replace(_HOLD_CLOSE, f":{m.group(1)}{_HOLD_CLOSE}")

    return _HEADING.sub(mark, converted)


def _place_formulas(page: str, formulas: Sequence[_Formula]) -> str:
    def image(m: re.Match[str]) -> str:
        index = int(m.group(1))
        if index >= len(formulas):
            return m.group()
        f = formulas[index]
        if index >= MAX_FORMULAS_PER_TEXT:
            reason = f"more than {MAX_FORMULAS_PER_TEXT} formulas in one text"
            return source_html(f.tex, display=f.display, reason=reason)
        size = HEADING_SIZES_PT[f"h{m.group(2)}"] if m.group(2) else BODY_SIZE_PT
        return formula_html(f.tex, display=f.display, size_pt=size)

    def paragraph(m: re.Match[str]) -> str:
        # A display formula alone in its paragraph is centred on its own line.
        index = int(m.group(2))
        if index < len(formulas) and formulas[index].display:
            return f'<p align="center">{m.group(1)}</p>'
        return m.group()

    def as_text(m: re.Match[str]) -> str:
        # A formula inside an attribute (`title="$x$"`) stays its source: no tag in a tag.
        def source(h: re.Match[str]) -> str:
            index = int(h.group(1))
            if index >= len(formulas):
                return ""
            marks = "$$" if formulas[index].display else "$"
            return html.escape(marks + formulas[index].tex + marks)

        return _HELD.sub(source, m.group())

    page = _HELD_IN_TAG.sub(as_text, page)
    page = _HELD_PARAGRAPH.sub(paragraph, page)
    return _HELD.sub(image, page)


def _finish(
    converted: str,
    base_dir: Path | None,
    formulas: Sequence[_Formula] = (),
    *,
    root: Path | None = None,
) -> str:
    if formulas:
        converted = _mark_heading_formulas(converted)
    page = sanitize_html(converted, base_dir=base_dir, root=root, look=TAG_LOOK)
    check_time()
    page = highlight_code_blocks(page)
    page = link_sounds(page, base_dir=base_dir, root=root)
    if not formulas:
        return page
    with formula_budget(TEXT_BUDGET_S):
        return _place_formulas(page, formulas)


def _convert(text: str) -> str:
    md = _markdown()
    md.reset()
    try:
        return md.convert(text)
    except BaseException as error:
        # A conversion stopped half-way leaves the parser's state (open lists, stash)
        # behind: the next text gets a fresh converter.
        _local.md = None
        if isinstance(error, RecursionError):
            # A nesting the depth guard does not count (it counts blocks).
            raise RenderLimitError("it nests too deeply to lay out") from None
        raise


def markdown_to_html(
    text: str,
    *,
    base_dir: Path | None = None,
    clozes: ClozeView = SHOW_ALL_CLOZES,
    media_root: Path | None = None,
) -> str:
    """Safe HTML for the Markdown `text` (links, deletions, highlighted code).

    Relative images resolve against `base_dir` and must stay inside `media_root`
    (`base_dir` without one). Raises `RenderLimitError` past the limits."""
    if not text.strip():
        return ""
    prepared, formulas = _prepare(text, clozes)
    return _finish(_convert(prepared), base_dir, formulas, root=media_root)


_SPLIT = "<!--flashcards:piece-->"


def markdown_pieces_to_html(
    texts: Sequence[str],
    *,
    base_dir: Path | None = None,
    clozes: ClozeView = SHOW_ALL_CLOZES,
    media_root: Path | None = None,
) -> list[str]:
    """`markdown_to_html` of each text, converted as one document when that is safe.

    One python-markdown pass has a fixed cost that is a good part of a small card's
    budget; pieces are joined by an HTML comment line (a block of its own, so no
    construct runs across it) and the output is cut there again.
    """
    held = [_prepare(t, clozes) if t.strip() else ("", []) for t in texts]
    prepared = [p for p, _ in held]
    live = [(p, f) for p, f in held if p]
    if len(live) > 1 and not any(_SPLIT in p for p, _ in live):
        parts = _convert(f"\n\n{_SPLIT}\n\n".join(p for p, _ in live)).split(_SPLIT)
        if len(parts) == len(live):
            done = iter(
                _finish(part, base_dir, formulas, root=media_root)
                for part, (_, formulas) in zip(parts, live, strict=True)
            )
            return [next(done) if p else "" for p in prepared]
    return [_finish(_convert(p), base_dir, f, root=media_root) if p else "" for p, f in held]
