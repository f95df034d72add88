"""A fast path for the HTML most Anki fields hold: bold, italics, underline, sub- and
superscript, line breaks, divs, paragraphs, spans, flat lists, links, inline code and
images, written as `html_convert.slow_markdown` writes them.

markdownify (through BeautifulSoup) costs about a millisecond a field, which dominates a
10,000-note import. Fields made only of the tags below are converted here by a single
regex scan to the same Markdown; anything else (tables, headings, nested lists, markup
inside code, nesting we do not expect) returns None and goes to markdownify.
"""

from __future__ import annotations

import html
import re

# A tag (slash, name, attributes) or, in the last group, a comment, text or a lone `<`.
_TOKEN_PARTS = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s[^<>]*)?)/?>|(<!--.*?-->|[^<]+|<)", re.S
)
_ATTR = re.compile(r"""([a-zA-Z_:][-\w:.]*)\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_NEWLINES = re.compile(r"[\t \r\n]*[\r\n][\t \r\n]*")
_SPACES = re.compile(r"[\t ]+")
_TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?]|$)")  # at the end: the next node may go on
_AROUND_BLOCK = re.compile(r"[ \t]*\n\n[ \t]*")
_BLANKS = re.compile(r"\n{3,}")
_MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*"}
_HTML_MARKS = {"u", "sub", "sup"}  # no Markdown for them: kept as inline HTML
_BLOCKS = {"div", "p"}
_LISTS = {"ul", "ol"}
_TRANSPARENT = {"span", "font"}
_INLINE = {*_MARKS, *_HTML_MARKS, "a", "code"}

LIST_INDENT = " " * 4
"""A list item's further lines: python-markdown's tab width, which a nested list needs
(the bullet's width, two for `- `, reads as a flat list)."""


def escape_tag_like(text: str) -> str:
    """Text with each `<` a renderer would take for a tag's start as `&lt;` (`&lt;b&gt;`
    is text; written back as `<b>` it would become a tag)."""
    return _TAG_LIKE.sub("&lt;", text) if "<" in text else text


def _text(raw: str) -> str:
    # Each step only when its character is present: most text needs none of them.
    text = html.unescape(raw) if "&" in raw else raw
    if "\n" in text or "\r" in text:
        text = _NEWLINES.sub("\n", text)
    if "\t" in text or "  " in text:
        text = _SPACES.sub(" ", text)
    if "<" in text:
        text = escape_tag_like(text)
    if "*" in text:
        text = text.replace("*", r"\*")
    if "_" in text:
        text = text.replace("_", r"\_")
    return text


def _code_text(raw: str) -> str:
    """Text inside `<code>`: unescaped and whitespace-normalised, but no Markdown escapes."""
    text = html.unescape(raw) if "&" in raw else raw
    return _SPACES.sub(" ", _NEWLINES.sub("\n", text))


def _attrs(attrs: str) -> dict[str, str]:
    values = {}
    for m in _ATTR.finditer(attrs):
        value = next(v for v in (m.group(3), m.group(4), m.group(5)) if v is not None)
        values[m.group(1).lower()] = html.unescape(value)
    return values


def _link(attrs: str, inner: str, prefix: str, suffix: str) -> str:
    """markdownify's `<a>`: `[text](href "title")`, `<href>` when the text is the address."""
    values = _attrs(attrs)
    href, title = values.get("href"), values.get("title")
    if not href:
        return inner
    if inner.replace(r"\_", "_") == href and not title:
        return f"<{href}>"
    escaped = (title or "").replace('"', r"\"")
    title_part = f' "{escaped}"' if title else ""
    return f"{prefix}[{inner}]({href}{title_part}){suffix}"


def _img(attrs: str) -> str:
    values = _attrs(attrs)
    title = values.get("title", "")
    escaped = title.replace('"', r"\"")
    title_part = f' "{escaped}"' if title else ""
    return f"![{values.get('alt', '')}]({values.get('src', '')}{title_part})"


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


# Inline marks alone around plain text: the commonest styled field, done by one split.
_SIMPLE_TAG = re.compile(r"<(/?(?:b|strong|i|em))>")
_SIMPLE_MARKS = {f"{s}{t}": _MARKS[t] for t in _MARKS for s in ("", "/")}
# What the general path would change or drop in the text: entities, Markdown escapes,
# whitespace other than single spaces (a class alone: one fast scan).
_NOT_SIMPLE_TEXT = re.compile(r"[&*_\t\r\n]")
# One mark around text that neither starts nor ends with whitespace (and holds no tag).
_ONE_MARK = re.compile(r"<(b|strong|i|em)>(\S(?:[^<]*\S)?)</\1>")


def _simple_inline(source: str) -> str | None:
    """`fast_markdown` of text with only properly nested b/strong/i/em tags, else None."""
    if "  " in source or _NOT_SIMPLE_TEXT.search(source) is not None:
        return None
    if source.count("<") == 2 and source[:1] == "<":
        one = _ONE_MARK.fullmatch(source)  # the commonest: one mark around the whole field
        if one is not None:
            mark = _MARKS[one.group(1)]
            return f"{mark}{one.group(2)}{mark}"
    # text, tag, text, tag, ..., text: each tag becomes its mark where they nest properly
    parts = _SIMPLE_TAG.split(source)
    last = len(parts) - 1
    if source.count("<") != last // 2:
        return None  # another tag
    stack: list[str] = []
    for k in range(1, last, 2):
        tag = parts[k]
        if tag[0] != "/":
            after = parts[k + 1]
            # a mark whose content starts with whitespace, or is empty: the general path
            # moves or drops it
            if after[:1].isspace() or (not after and k + 1 < last and parts[k + 2][0] == "/"):
                return None
            stack.append(tag)
        elif parts[k - 1][-1:].isspace() or not stack or stack.pop() != tag[1:]:
            return None  # content ending in whitespace, or crossed tags
        parts[k] = _SIMPLE_MARKS[tag]
    if stack:
        return None
    return "".join(parts).strip(" ")


def fast_markdown(source: str) -> str | None:
    """Markdown for simple field HTML, or None when the HTML needs the full converter."""
    simple = _simple_inline(source)
    return simple if simple is not None else _scan_markdown(source)


def _scan_markdown(source: str) -> str | None:
    """The general fast path: one pass over the tokens with a stack of open tags.

    It runs for most styled fields of an import, so list items are handled inline and
    only a chunk starting with a newline goes through `_append`'s seam merge.
    """
    out: list[str] = []
    # open tags: name, where their content starts in `out`, their attributes
    stack: list[tuple[str, int, str]] = []
    in_code = False
    last_text = -1  # index in `out` of the latest text node
    strip_next = False  # the next text node follows a block tag
    append = out.append
    for slash, name, attrs, token in _TOKEN_PARTS.findall(source):
        if not name:
            if token[0] == "<":  # a comment, or a `<` that opens no tag
                if token == "<":
                    return None
                continue
            if stack and stack[-1][0] in _LISTS:
                if token.strip():
                    return None  # text loose in a list
                continue
            text = _code_text(token) if in_code else _text(token)
            if strip_next:
                text = text.lstrip(" \t\r\n")
                strip_next = False
            if out and text[:1] == "\n":
                _append(out, text)
            else:
                append(text)  # nothing to merge at the seam: the usual text node
            last_text = len(out) - 1
            continue
        name = name.lower()
        closing = slash == "/"
        if in_code and not (closing and name == "code"):
            return None  # markup inside code: markdownify keeps only its text
        strip_next = False
        if name == "li":
            if not closing:
                if not stack or stack[-1][0] not in _LISTS:
                    return None
                stack.append(("li", len(out), ""))
                last_text = -1
                continue
            if not stack or stack[-1][0] != "li":
                return None
            start = stack.pop()[1]
            inner = "".join(out[start:]).strip()
            del out[start:]
            last_text = -1
            parent, first = stack[-1][0], stack[-1][1]
            bullet = f"{len(out) - first + 1}. " if parent == "ol" else "- "
            if not inner:
                _append(out, "\n")
            elif "\n" in inner:
                indent = LIST_INDENT if len(bullet) <= len(LIST_INDENT) else " " * len(bullet)
                lines = inner.split("\n")
                body = "\n".join([lines[0], *(indent + ln if ln else "" for ln in lines[1:])])
                append(f"{bullet}{body}\n")
            else:
                append(f"{bullet}{inner}\n")
            continue
        if name in _BLOCKS:
            # Whitespace of a text node beside a block tag goes, as in markdownify.
            if last_text == len(out) - 1 and out:
                out[-1] = out[-1].rstrip()
            strip_next = True
        if name in _INLINE or name in _BLOCKS:
            if not closing:
                if name in _BLOCKS and any(tag in _INLINE for tag, _, _ in stack):
                    return None  # a block inside inline markup: leave it to markdownify
                stack.append((name, len(out), attrs))
                in_code = in_code or name == "code"
                continue
            if not stack or stack[-1][0] != name:
                return None
            _, start, attrs = stack.pop()
            if name == "code":
                in_code = False
            inner = "".join(out[start:])
            del out[start:]
            last_text = -1
            if name in _BLOCKS:
                # markdownify strips a div of all whitespace, a paragraph of ASCII only
                inner = inner.strip() if name == "div" else inner.strip(" \t\r\n")
                if inner:
                    _append(out, f"\n\n{inner}\n\n")
                else:
                    append("")
                continue
            prefix = " " if inner[:1] == " " else ""
            suffix = " " if inner[-1:] == " " else ""
            inner = inner.strip()
            if not inner:
                continue
            # None of these chunks starts with a newline: nothing to merge at the seam.
            if name == "code":
                if "`" in inner:
                    return None
                append(f"{prefix}`{inner}`{suffix}")
            elif name == "a":
                append(_link(attrs, inner, prefix, suffix))
            elif name in _HTML_MARKS:
                append(f"{prefix}<{name}>{inner}</{name}>{suffix}")
            else:
                mark = _MARKS[name]
                append(f"{prefix}{mark}{inner}{mark}{suffix}")
        elif name in _LISTS:
            last_text = -1
            if not closing:
                if stack:
                    return None  # nested or inside other markup
                stack.append((name, len(out), ""))
                continue
            if not stack or stack[-1][0] != name:
                return None
            start = stack.pop()[1]
            inner = "".join(out[start:])
            del out[start:]
            _append(out, f"\n\n{inner}\n")
        elif name == "br":
            append("  \n")
        elif name in _TRANSPARENT:
            continue
        elif name == "img" and not closing:
            append(_img(attrs))
        else:
            return None
    if stack:
        return None
    text = "".join(out)
    # Text beside a block loses its outer whitespace, as markdownify does.
    if "\n\n" in text:
        text = _AROUND_BLOCK.sub("\n\n", text)
        if "\n\n\n" in text:
            text = _BLANKS.sub("\n\n", text)
    return text.strip(" \t\r\n")
