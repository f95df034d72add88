"""Lists that start right under a line of text, as in CommonMark.

python-markdown only starts a list after a blank line, so a card written as

    Two stores:
    - online
    - offline

shows "Two stores: - online - offline" as one paragraph. CommonMark (and GitHub,
Obsidian, most editors) lets a list interrupt a paragraph; this pre-pass gives
python-markdown the blank line it wants, following CommonMark's conditions:

- the item is a bullet (`-`, `*`, `+`) or an ordered item numbered 1 (`1.`; a
  paragraph line such as "2019. was a good year" stays text), with some text after
  the marker (an empty item cannot interrupt a paragraph);
- it is not a thematic break (`* * *`) and is indented at most 3 spaces (more is
  paragraph continuation);
- the line above is text outside a list (inside a list a line is an item or a lazy
  continuation, which python-markdown already reads right);
- inside a block quote (`> text` / `> - item`) the blank line is a `>` line;
- nothing in a literal zone counts (code, HTML comments; see `literal.py`), the
  same rule as the deck parser's. Fenced code and HTML blocks are already stashed
  away by python-markdown when this runs.

Text without a line that starts like an item is returned at once. (PyPI's
`mdx_breakless_lists` does the same job, but runs before code fences are stashed, so
it adds blank lines inside code blocks, and it ignores the conditions above.)
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from flashcards.core.literal import mask_text

# After fenced_code (25) and html_block (20): code and HTML blocks are placeholders.
_PRIORITY = 15
_QUOTE = re.compile(r"(?: {0,3}>[ \t]?)*")
_ITEM = re.compile(r" {0,3}(?:[-*+]|(\d{1,9})\.)[ \t]+\S")
_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
# Any line that could hold an item at all (after optional quote markers).
_MAYBE_ITEM = re.compile(r"\n[ \t>]*(?:[-*+]|\d{1,9}\.)[ \t]")


def _marker(rest: str) -> int | None:
    """The item `rest` (a line without its quote markers) opens: 0 for a bullet, the
    number of an ordered item, None when it opens none."""
    m = _ITEM.match(rest)
    if m is None or _RULE.fullmatch(rest):
        return None
    return 0 if m.group(1) is None else int(m.group(1))


def separate_lists(lines: list[str]) -> list[str]:
    """`lines` with a blank line (or bare `>`) before each list that follows text."""
    text = "\n".join(lines)
    if _MAYBE_ITEM.search(text) is None:
        return lines
    masked = mask_text(text).split("\n")
    out: list[str] = []
    in_list = False  # the line above is an item or continues one
    above_blank = True
    above_depth = 0
    for line, seen in zip(lines, masked, strict=True):
        prefix = _QUOTE.match(seen)
        assert prefix is not None  # the pattern matches the empty string
        depth = prefix.group().count(">")
        rest = seen[prefix.end() :]
        if not rest.strip():
            above_blank = True
            above_depth = depth
            out.append(line)
            continue
        if depth != above_depth and not above_blank:
            # Entering a quote starts a new block; leaving one ends its list.
            in_list = in_list and depth > above_depth
        marker = _marker(rest)
        after_text = not above_blank and not in_list and depth <= above_depth
        if marker is not None and after_text and marker <= 1:
            out.append(line[: prefix.end()].rstrip())
            in_list = True
        elif marker is not None and not after_text:
            in_list = True
        elif _HEADING.match(rest) or (above_blank and rest[:1] not in (" ", "\t")):
            in_list = False  # a heading, or text after a blank line, ends any list
        above_blank = False
        above_depth = depth
        out.append(line)
    return out


class _ListPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return separate_lists(lines)


class ListsAfterText(Extension):
    """python-markdown extension: a list may start right under a line of text."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - python-markdown's name
        md.preprocessors.register(_ListPreprocessor(md), "lists_after_text", _PRIORITY)
