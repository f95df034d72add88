"""A fast path for the HTML most Anki fields hold: bold, italics, line breaks, divs,
paragraphs, spans and images.

markdownify (through BeautifulSoup) costs about a millisecond a field, which dominates a
10,000-note import. Fields made only of the tags below are converted here by a single
regex scan to the same Markdown; anything else (lists, tables, code, links, nesting we
do not expect) returns None and goes to markdownify.
"""

from __future__ import annotations

import html
import re

_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s[^<>]*)?)/?>|<!--.*?-->|[^<]+|<", re.S)
_ATTR = re.compile(r"""([a-zA-Z_:][-\w:.]*)\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_NEWLINES = re.compile(r"[\t \r\n]*[\r\n][\t \r\n]*")
_SPACES = re.compile(r"[\t ]+")
_TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?])")
_AROUND_BLOCK = re.compile(r"[ \t]*\n\n[ \t]*")
_BLANKS = re.compile(r"\n{3,}")
_MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*"}
_BLOCKS = {"div", "p"}
_LISTS = {"ul", "ol"}
_TRANSPARENT = {"span", "font", "u"}


def _text(raw: str) -> str:
    # Each step only when its character is present: most text needs none of them.
    text = html.unescape(raw) if "&" in raw else raw
    if "\n" in text or "\r" in text:
        text = _NEWLINES.sub("\n", text)
    if "\t" in text or "  " in text:
        text = _SPACES.sub(" ", text)
    if "<" in text:
        # `&lt;b&gt;` is text; written back as `<b>` a renderer would take it for a tag.
        text = _TAG_LIKE.sub("&lt;", text)
    if "*" in text:
        text = text.replace("*", r"\*")
    if "_" in text:
        text = text.replace("_", r"\_")
    return text


def _img(attrs: str) -> str:
    values = {}
    for m in _ATTR.finditer(attrs):
        value = next(v for v in (m.group(3), m.group(4), m.group(5)) if v is not None)
        values[m.group(1).lower()] = html.unescape(value)
    title = values.get("title", "")
    escaped = title.replace('"', r"\"")
    title_part = f' "{escaped}"' if title else ""
    return f"![{values.get('alt', '')}]({values.get('src', '')}{title_part})"


def _list_tag(name: str, closing: bool, stack: list[tuple[str, int]], out: list[str]) -> bool:
    """Flat lists of inline items, written as markdownify writes them; False: not flat."""
    if not closing:
        if name == "li" and (not stack or stack[-1][0] not in _LISTS):
            return False
        if name in _LISTS and stack:
            return False  # nested or inside other markup
        stack.append((name, len(out)))
        return True
    if not stack or stack[-1][0] != name:
        return False
    _, start = stack.pop()
    inner = "".join(out[start:])
    del out[start:]
    if name == "li":
        parent = stack[-1][0]
        number = len(out) - stack[-1][1] + 1  # each item so far is one chunk
        bullet = f"{number}. " if parent == "ol" else "- "
        inner = inner.strip()
        if not inner:
            out.append("\n")
            return True
        indent = " " * len(bullet)
        lines = inner.split("\n")
        body = "\n".join([lines[0], *(indent + ln if ln else "" for ln in lines[1:])])
        out.append(f"{bullet}{body}\n")
        return True
    _append(out, f"\n\n{inner}\n")
    return True


def _append(out: list[str], chunk: str) -> None:
    """Append, merging newlines at the seam as markdownify does (the larger count, at most 2)."""
    if out and chunk.startswith("\n"):
        prev = out[-1]
        trail = len(prev) - len(prev.rstrip("\n"))
        if trail:
            lead = len(chunk) - len(chunk.lstrip("\n"))
            out[-1] = prev[: len(prev) - trail]
            chunk = "\n" * min(2, max(trail, lead)) + chunk[lead:]
    out.append(chunk)


def fast_markdown(source: str) -> str | None:
    """Markdown for simple field HTML, or None when the HTML needs the full converter."""
    out: list[str] = []
    stack: list[tuple[str, int]] = []  # open tags and where their content starts in `out`
    last_text = -1  # index in `out` of the latest text node
    strip_next = False  # the next text node follows a block tag
    for m in _TOKEN.finditer(source):
        name = m.group(2)
        if name is None:
            token = m.group(0)
            if token.startswith("<!--"):
                continue
            if token == "<":
                return None
            text = _text(token)
            _append(out, text.lstrip(" \t\r\n") if strip_next else text)
            last_text, strip_next = len(out) - 1, False
            continue
        name = name.lower()
        closing = m.group(1) == "/"
        strip_next = False
        if name in _BLOCKS:
            # Whitespace of a text node beside a block tag goes, as in markdownify.
            if last_text == len(out) - 1 and out:
                out[-1] = out[-1].rstrip()
            strip_next = True
        if name in _MARKS or name in _BLOCKS:
            if not closing:
                if name in _BLOCKS and any(tag in _MARKS for tag, _ in stack):
                    return None  # a block inside bold/italic: leave it to markdownify
                stack.append((name, len(out)))
                continue
            if not stack or stack[-1][0] != name:
                return None
            _, start = stack.pop()
            inner = "".join(out[start:])
            del out[start:]
            last_text = -1
            if name in _BLOCKS:
                # markdownify strips a div of all whitespace, a paragraph of ASCII only
                inner = inner.strip() if name == "div" else inner.strip(" \t\r\n")
                _append(out, f"\n\n{inner}\n\n" if inner else "")
                continue
            prefix = " " if inner[:1] == " " else ""
            suffix = " " if inner[-1:] == " " else ""
            inner = inner.strip()
            if inner:
                mark = _MARKS[name]
                _append(out, f"{prefix}{mark}{inner}{mark}{suffix}")
        elif name in _LISTS or name == "li":
            if not _list_tag(name, closing, stack, out):
                return None
            last_text = -1
        elif name == "br":
            _append(out, "  \n")
        elif name in _TRANSPARENT:
            continue
        elif name == "img" and not closing:
            _append(out, _img(m.group(3) or ""))
        else:
            return None
    if stack:
        return None
    text = "".join(out)
    # Text beside a block loses its outer whitespace, as markdownify does.
    text = _AROUND_BLOCK.sub("\n\n", text)
    return _BLANKS.sub("\n\n", text).strip(" \t\r\n")
