"""Formulas between Anki and the deck format: MathJax and LaTeX tags ↔ `$…$` / `$$…$$`.

Anki writes math in a field's HTML as MathJax, `\\(…\\)` inline and `\\[…\\]` display,
or with the older LaTeX tags `[$]…[/$]` (inline), `[$$]…[/$$]` (display) and
`[latex]…[/latex]` (a LaTeX snippet, read here as display math when it spans lines or
holds an environment, inline otherwise; one that holds its own `$…$` is kept as text,
whose dollars are then the deck format's). The import takes each formula out of the
HTML before it becomes Markdown (markdownify would escape its `_` and `*`), as an inert
placeholder, and puts it back as `$tex$` / `$$tex$$` afterwards; a `$` of the field's
own text that would now read as math is escaped (`\\$`). The export does the reverse
around python-markdown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from flashcards.core.literal import mask_text
from flashcards.core.math_tex import EscapedDollar, find_math

_HOLD = re.compile("\ue010(\\d+)\ue011")
_ANKI_MATH = re.compile(
    r"\\\((?P<inline>.*?)\\\)"
    r"|\\\[(?P<display>.*?)\\\]"
    r"|\[\$\](?P<tag_inline>.*?)\[/\$\]"
    r"|\[\$\$\](?P<tag_display>.*?)\[/\$\$\]"
    r"|\[latex\](?P<latex>.*?)\[/latex\]",
    re.DOTALL | re.IGNORECASE,
)
_BREAK = re.compile(r"<br\s*/?>|</(?:div|p)>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_ENVIRONMENT = re.compile(r"\\begin\{")


def _tex_of(field_html: str) -> str:
    """The TeX inside a field's math: tags gone, entities read, breaks as new lines."""
    text = _TAG.sub("", _BREAK.sub("\n", field_html))
    return html.unescape(text).replace("\xa0", " ").strip()


def _as_markdown(m: re.Match[str]) -> str:
    kind = m.lastgroup
    tex = _tex_of(m.group(kind or 0))
    if not tex:
        return ""
    if kind == "latex":
        if "$" in tex:
            return tex  # a text snippet with its own math
        display = "\n" in tex or _ENVIRONMENT.search(tex) is not None
    else:
        display = kind in ("display", "tag_display")
    if display:
        return f"$${tex}$$"
    return f"${tex}$"


def hold_anki_math(field_html: str) -> tuple[str, list[str]]:
    """`field_html` with each formula a placeholder, and the Markdown of each formula."""
    if "\\(" not in field_html and "\\[" not in field_html and "[" not in field_html:
        return field_html, []
    held: list[str] = []

    def hold(m: re.Match[str]) -> str:
        held.append(_as_markdown(m))
        return f"\ue010{len(held) - 1}\ue011"

    return _ANKI_MATH.sub(hold, field_html), held


def restore_math(md: str, held: list[str]) -> str:
    """Markdown with the placeholders of `hold_anki_math` replaced by `$…$` formulas; a
    dollar of the field's own text that would read as math is escaped first."""
    if "$" in md and any(not isinstance(m, EscapedDollar) for m in find_math(md)):
        masked = mask_text(md)  # a dollar in code stays as it is
        md = "".join("\\$" if c == "$" and masked[i] == "$" else c for i, c in enumerate(md))
    if not held:
        return md
    return _HOLD.sub(lambda m: held[int(m.group(1))], md)


def markdown_math_to_anki(md: str, convert: Callable[[str], str]) -> str:
    """`convert(md)` (Markdown → HTML) with `$…$` written as MathJax `\\(…\\)` and `$$…$$`
    as `\\[…\\]`, the TeX untouched by Markdown; `\\$` becomes a plain `$`."""
    found = find_math(md)
    if not found:
        return convert(md)
    formulas: list[str] = []
    out: list[str] = []
    pos = 0
    for item in found:
        if isinstance(item, EscapedDollar):
            out.append(md[pos : item.start])
            out.append("$")  # Anki reads no dollar as math
            pos = item.start + 2
            continue
        tex = html.escape(item.tex, quote=False)
        formulas.append(f"\\[{tex}\\]" if item.display else f"\\({tex}\\)")
        out.append(md[pos : item.start])
        out.append(f"\ue010{len(formulas) - 1}\ue011")
        pos = item.end
    out.append(md[pos:])
    converted = convert("".join(out))
    return _HOLD.sub(lambda m: formulas[int(m.group(1))], converted)


def hold_title_math(md: str) -> tuple[str, list[str]]:
    """`md` with its formulas and `\\$` held (a title keeps them whole, not stripped of
    marks)."""
    held: list[str] = []
    out: list[str] = []
    pos = 0
    for item in find_math(md):
        if isinstance(item, EscapedDollar):
            start, end, kept = item.start, item.start + 2, "\\$"
        else:
            start, end = item.start, item.end
            # `{{` in a heading could read as a cloze deletion; TeX reads `{ {` the same.
            kept = md[start:end].replace("\n", " ").replace("{{", "{ {")
        out.append(md[pos:start])
        held.append(kept)
        out.append(f"\ue010{len(held) - 1}\ue011")
        pos = end
    out.append(md[pos:])
    return "".join(out), held


def restore_title_math(title: str, held: list[str]) -> str:
    """A title with its held formulas back (a placeholder cut in half is dropped); any
    other `$` is the text's own (from code, say) and is escaped if it would read as math."""
    if "$" in title and any(not isinstance(m, EscapedDollar) for m in find_math(title)):
        title = title.replace("$", "\\$")
    if not held:
        return title
    title = re.sub("\ue010\\d*$", "", title)
    return _HOLD.sub(lambda m: held[int(m.group(1))], title)
