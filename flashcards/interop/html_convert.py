"""The full HTML -> Markdown converter (markdownify), set to write what our renderer and
the export (python-markdown with its tables extension) read back as the same HTML.

Where markdownify's defaults lose something there:

- a table cell's `|` is escaped (`\\|`, outside code spans, which the tables extension
  reads as part of the code), else the row splits and a cell is lost;
- a line break in a cell (`<br>`, or one `<div>`/`<p>` after another) stays a `<br>`
  (a Markdown cell is one line; markdownify wrote a space);
- a list item's further lines (a nested list, a second paragraph) are indented four
  spaces, python-markdown's tab width (markdownify indents by the bullet's width: two
  for `- `, which python-markdown reads as a flat list);
- a `<` in text that would read as a tag is written `&lt;` (`&lt;b&gt;` stays text);
- `<sub>`, `<sup>` and `<u>` stay as inline HTML (the renderer passes them through;
  markdownify dropped them: x² became "x2").

`fast_html.fast_markdown` writes the same Markdown for the fields it takes.
"""

from __future__ import annotations

import re
from typing import Any

from markdownify import MarkdownConverter

from flashcards.interop.fast_html import LIST_INDENT, escape_tag_like

_CELL_BREAK = re.compile(r"[ \t]*\n\s*")
_CELL_PIPE = re.compile(r"(`+)(?:(?!\1).)+?\1|\|")  # a code span (kept), or a bare `|`
_BULLET = re.compile(r"(?:[-*+]|\d+\.) ")
_CELLS = {"td", "th"}


def cell_text(text: str) -> str:
    """A table cell's Markdown on one line: breaks as `<br>`, `|` escaped outside code."""
    text = text.strip()
    if "\n" in text:
        text = _CELL_BREAK.sub("<br>", text)
    if "|" in text:
        text = _CELL_PIPE.sub(lambda m: m.group(0) if m.group(1) else r"\|", text)
    return text


def _in_cell(parent_tags: set[str]) -> bool:
    return not _CELLS.isdisjoint(parent_tags)


# markdownify's stub declares only `convert`; its `convert_*` methods are found by name.
_BASE: Any = MarkdownConverter


class _Converter(MarkdownConverter):
    def escape(self, text: str, parent_tags: set[str]) -> str:
        result: str = _BASE.escape(self, text, parent_tags)
        return escape_tag_like(result)

    def convert_br(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if _in_cell(parent_tags):
            return "\n" + text  # `cell_text` makes it a `<br>`
        result: str = _BASE.convert_br(self, el, text, parent_tags)
        return result

    def convert_div(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if _in_cell(parent_tags):
            return f"\n{text.strip()}\n"
        result: str = _BASE.convert_div(self, el, text, parent_tags)
        return result

    def convert_p(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if _in_cell(parent_tags):
            return f"\n{text.strip()}\n"
        result: str = _BASE.convert_p(self, el, text, parent_tags)
        return result

    def convert_td(self, el: Any, text: str, parent_tags: set[str]) -> str:
        result: str = _BASE.convert_td(self, el, cell_text(text), parent_tags)
        return result

    convert_th = convert_td

    def convert_li(self, el: Any, text: str, parent_tags: set[str]) -> str:
        # markdownify's item, its further lines indented by LIST_INDENT, not the bullet's width
        result: str = _BASE.convert_li(self, el, text, parent_tags)
        return reindent_item(result)

    def convert_u(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return _inline_html("u", text, parent_tags)

    def convert_sub(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return _inline_html("sub", text, parent_tags)

    def convert_sup(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return _inline_html("sup", text, parent_tags)


def reindent_item(item: str) -> str:
    """A list item whose further lines are indented by its bullet's width, indented by
    LIST_INDENT instead (wider bullets, `100. `, keep their width)."""
    first, _, rest = item.partition("\n")
    if not rest.strip():
        return item
    bullet = _BULLET.match(first)
    width = len(bullet.group(0)) if bullet else 0
    indent = LIST_INDENT if width <= len(LIST_INDENT) else " " * width
    lines = [indent + line[width:] if line else "" for line in rest.split("\n")]
    return "\n".join([first, *lines])


def _inline_html(tag: str, text: str, parent_tags: set[str]) -> str:
    if "_noformat" in parent_tags:
        return text
    # markdownify's `chomp`, as its `<b>` does: a space at either end goes outside
    prefix = " " if text[:1] == " " else ""
    suffix = " " if text[-1:] == " " else ""
    text = text.strip()
    if not text:
        return ""
    return f"{prefix}<{tag}>{text}</{tag}>{suffix}"


_converter = _Converter(heading_style="ATX", bullets="-", escape_misc=False)


def slow_markdown(html: str) -> str:
    """Markdown for any field HTML (the converter `fast_markdown` must agree with)."""
    result: str = _converter.convert(html)
    return result
