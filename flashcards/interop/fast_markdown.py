"""The common Anki-export field, Markdown → HTML, exactly as python-markdown writes it.

An export renders every note's fields, and python-markdown costs 100–300 µs a field:
most of a first export. Most fields are a few paragraphs of words with `**bold**`,
`*italic*`, `` `code` `` and a simple list. `simple_html` writes those directly and
returns None for anything else (any construct it does not know, any doubt), which goes
to python-markdown. It covers:

* blocks separated by empty lines: paragraphs, and tight lists (`-`, `*`, `+` or `N.`;
  an item's text may go on in lines indented by 1 to 3 spaces), which may follow a
  paragraph's lines directly (as the export's `ListsAfterText` pre-pass lets them) and
  end their block;
* a first line, or last lines, that are an HTML comment alone (a source note), kept as
  they are;
* fenced code blocks (```` ``` ```` or `~~~`, an optional language) at the start of a
  line, with an empty line (or the field's start or end) before and after them;
* inline: single-backtick code spans, `*`/`**` emphasis that does not cross or nest (it
  may run over lines), `\\*`, two-space hard breaks, `&`, `<`, `>` before a space
  (escaped), `_` inside a word (`snake_case`: never emphasis), and `|` in a field with no
  line that could be a table's separator row.

tests/interop/test_fast_markdown.py holds it equal to the export's python-markdown
converter on generated fields and on every field of the bundled decks.
"""

from __future__ import annotations

import html as html_lib
import re

# Outside code spans: characters that may start a construct handled elsewhere.
# `_` after a word character opens no emphasis (python-markdown's "smart" underscore).
_SPECIAL = re.compile(r"(?<!\w)_|[\[\]\\\x00-\x08\x0b-\x1f]|[&<>](?!\s)")
_SPECIAL_CHAR = re.compile(r"[_\[\]\\\x00-\x08\x0b-\x1f&<>]")
_CODE = re.compile(r"`([^`\n]+)`")
_EMPHASIS = re.compile(r"(\*\*(?=[^\s*])[^*]*?(?<=[^\s*])\*\*|\*(?=[^\s*])[^*]*?(?<=[^\s*])\*)")
_HARD_BREAK = re.compile(r"  \n")  # exactly two, as python-markdown reads it
_ITEM = re.compile(r"([-*+]|(\d{1,9})\.) (.*)")
_COMMENT_LINE = re.compile(r"(<!--(?:[^-\n]|-(?!-))*-->)\n(?=\S)")
_LAST_COMMENT = re.compile(
    r"(?<=\S)\n\n?((?:<!--(?:[^-\n]|-(?!-))*-->\n)*<!--(?:[^-\n]|-(?!-))*-->)$"
)
_CONTINUED = re.compile(r" {1,3}(\S.*)")  # an item's next line, indented less than code
# A line that could open a block of another kind, or continue one, or be a list item
# written some other way.
# (python-markdown's ordered items are `N.` and a space only: `2023).` and `1.5x` are text.)
_BLOCK_START = re.compile(r"[ \t#>=~:]|[-*+_]\s*(?:[-*+_]\s*)*$|\d+\. |[-*+] *$")
# Text an item may start with: not a nested marker or a rule.
_ITEM_TEXT = re.compile(r"(?:\*\*?)?[^\s*\-+#>]")
# A fence opening a code block (python-markdown's fenced_code: at a line's start, an
# optional language) and what in a code block its preprocessors may change.
_FENCE = re.compile(r"^(`{3,}|~{3,}) *(?:\.?([\w#.+-]*) *)?$", re.M)
_CODE_DOUBT = re.compile(r"^ +$|[\x00-\x08\x0b-\x1f]", re.M)
_TABLE_RULE = re.compile(r"^ *[|:-][ |:-]*$", re.M)
_HELD, _STAR = "\ue000", "\ue001"  # private-use: in no field the path takes


def simple_html(md: str) -> str | None:
    """python-markdown's HTML for `md` (stripped, non-empty), or None if it may differ."""
    comment = _COMMENT_LINE.match(md)
    if comment is not None:  # a note's leading `<!-- source: … -->` stays as it is
        if md.startswith(("```", "~~~"), comment.end()):
            return None  # python-markdown puts an empty line between the two
        rest = simple_html(md[comment.end() :])
        return None if rest is None else comment.group(1) + "\n" + rest
    comment = _LAST_COMMENT.search(md) if md.endswith("-->") else None
    if comment is not None:  # or its last line, after the text or an empty line
        if md.endswith("-->", 0, comment.start()):
            return None  # comments in a row: python-markdown keeps the empty line
        rest = simple_html(md[: comment.start()])
        return None if rest is None else rest + "\n" + comment.group(1)
    if "\r" in md or "\t" in md or _HELD in md or _STAR in md:
        return None
    if "|" in md and _TABLE_RULE.search(md):
        return None  # a line that could be a table's separator row
    if "```" in md or "~~~" in md:
        return _with_fences(md)
    return _blocks(md)


def _with_fences(md: str) -> str | None:
    """The HTML of a field holding fenced code blocks, each between empty lines."""
    out: list[str] = []
    pos = 0
    while (fence := _FENCE.search(md, pos)) is not None:
        start = fence.start()
        if start and not md.startswith("\n\n", start - 2):
            return None  # the code would be inside a paragraph
        close = re.compile(f"^{re.escape(fence.group(1))} *$", re.M).search(md, fence.end() + 1)
        if close is None:
            return None
        end = close.end()
        if end != len(md) and not md.startswith("\n\n", end):
            return None
        if start > pos:
            html = _blocks(md[pos : start - 2])
            if html is None:
                return None
            out.append(html)
        code = md[fence.end() + 1 : close.start()]
        if _CODE_DOUBT.search(code):
            return None
        lang = fence.group(2)
        attr = f' class="language-{lang}"' if lang else ""
        out.append(f"<pre><code{attr}>{_escape_code(code)}</code></pre>")
        pos = end + 2
    if pos < len(md):
        html = _blocks(md[pos:])
        if html is None:
            return None
        out.append(html)
    return "\n".join(out)


def _escape_code(code: str) -> str:
    return (
        code.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _blocks(md: str) -> str | None:
    """The HTML of blocks of paragraphs and lists (no code fences)."""
    if "``" in md or "~~~" in md:
        return None
    blocks = md.split("\n\n")
    out: list[str] = []
    last_list: str | None = None  # the kind of list that ended the block before
    for block in blocks:
        if not block or block[0] == "\n" or block[-1] in " \n":
            return None
        lines = block.split("\n")
        items: list[tuple[re.Match[str], list[str]]] = []  # an item, its lines of text
        text: list[str] = []
        for line in lines:
            item = _ITEM.fullmatch(line)
            if item is not None:
                if not _ITEM_TEXT.match(item.group(3)):
                    return None  # a nested marker, a rule
                items.append((item, [item.group(3)]))
                continue
            continued = _CONTINUED.fullmatch(line) if items else None
            if continued is not None:
                rest = continued.group(1)
                if _BLOCK_START.match(rest) or _ITEM.fullmatch(rest):
                    return None  # an item, or another block, inside the item
                items[-1][1].append(line)  # python-markdown keeps its indent
            elif items or _BLOCK_START.match(line):
                return None  # a lazy continuation of an item, or some other block
            else:
                text.append(line)
        if text:
            inline = _inline(text)
            if inline is None:
                return None
            out.append(f"<p>{inline}</p>")
        if not items:
            last_list = None
            continue
        if any(item_lines[-1][-1] == " " for _, item_lines in items):
            return None  # trailing spaces at an item's end
        kinds = {m.group(1) if m.group(2) is None else "." for m, _ in items}
        if len(kinds) != 1:
            return None
        kind = kinds.pop()
        number = items[0][0].group(2)
        if text and number is not None and number != "1":
            return None  # a paragraph line "2019. was…" stays text
        if last_list is not None and not text:
            return None  # a list after a list: loose items, or lists python-markdown joins
        rendered = [_inline(item_lines) for _, item_lines in items]
        if any(r is None for r in rendered):
            return None
        if number is None:
            opened, closed = "<ul>", "</ul>"
        else:
            start = int(number)
            opened = "<ol>" if start == 1 else f'<ol start="{start}">'
            closed = "</ol>"
        body = "\n".join(f"<li>{r}</li>" for r in rendered)
        out.append(f"{opened}\n{body}\n{closed}")
        last_list = kind
    return "\n".join(out)


def _inline(lines: list[str]) -> str | None:
    """The HTML of a paragraph's (or an item's) text, or None."""
    text = "\n".join(lines)
    codes: list[str] = []
    if "`" in text:

        def hold(m: re.Match[str]) -> str:
            codes.append(m.group(1).strip())
            return f"{_HELD}{len(codes) - 1}{_HELD}"

        text = _CODE.sub(hold, text)
        if "`" in text or "" in codes:
            return None
    if "\\*" in text:
        text = text.replace("\\*", _STAR)
    first = _SPECIAL_CHAR.search(text)  # the full pattern is slow to scan with
    if first is not None and _SPECIAL.search(text, first.start()):
        return None
    if "*" not in text:
        html = _escape(text)
    else:
        parts = _EMPHASIS.split(text)
        if "*" in "".join(parts[::2]) or "" in parts[2:-2:2]:
            return None  # a lone, crossing or doubled `*`: python-markdown's rules decide
        out = []
        for i, part in enumerate(parts):
            if i % 2:
                tag = "strong" if part.startswith("**") else "em"
                inner = part[2:-2] if tag == "strong" else part[1:-1]
                out.append(f"<{tag}>{_escape(inner)}</{tag}>")
            else:
                out.append(_escape(part))
        html = "".join(out)
    if "  \n" in html:
        html = _HARD_BREAK.sub("<br />\n", html)
    if _STAR in html:
        html = html.replace(_STAR, "*")
    if codes:
        pieces = html.split(_HELD)
        for k in range(1, len(pieces), 2):
            pieces[k] = f"<code>{html_lib.escape(codes[int(pieces[k])], quote=False)}</code>"
        html = "".join(pieces)
    return html


def _escape(text: str) -> str:
    if "&" in text or "<" in text or ">" in text:
        return html_lib.escape(text, quote=False)
    return text
