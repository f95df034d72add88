"""A one-regex Python tokenizer for highlighting, styled with the Pygments theme.

Pygments' `PythonLexer` tries dozens of patterns at every position and takes several
milliseconds for a 20-line block; code blocks are the common case in this app's cards
and Python the common language, so this single `finditer` pass does the same job for
display purposes (keywords, builtins, strings, numbers, comments, decorators, names
after `def`/`class`) about ten times faster. Other languages still go to Pygments.
"""

from __future__ import annotations

import builtins
import html
import keyword
import re
from collections.abc import Callable, Mapping

from pygments.style import StyleMeta
from pygments.styles import get_style_by_name
from pygments.token import Comment, Keyword, Name, Number, Operator, String, _TokenType

PYTHON_NAMES = frozenset({"python", "py", "python3", "py3", "sage", "bazel", "starlark"})

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])?
        (?:'''(?:[^\\]|\\.)*?(?:'''|\Z)|\"\"\"(?:[^\\]|\\.)*?(?:\"\"\"|\Z)
          |'(?:[^'\\\n]|\\.)*(?:'|$)|"(?:[^"\\\n]|\\.)*(?:"|$)))
  | (?P<number>(?<![\w.])(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+
        |(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?))
  | (?P<decorator>^[ \t]*@[^\W\d][\w.]*)
  | (?P<name>[^\W\d]\w*)
  | (?P<op>\*\*=?|//=?|->|:=|<<=?|>>=?|[-+*/%&|^~<>!=]=?|@=?)
  """,
    re.VERBOSE | re.MULTILINE | re.DOTALL,
)

_KEYWORDS = frozenset(keyword.kwlist) - {"True", "False", "None"}
_CONSTANTS = frozenset({"True", "False", "None", "NotImplemented", "Ellipsis"})
_BUILTINS = frozenset(n for n in dir(builtins) if not n.startswith("_")) - _CONSTANTS
_WORD_OPERATORS = frozenset({"and", "or", "not", "in", "is"})


def _css(style: StyleMeta, token: _TokenType) -> str:
    spec = style.style_for_token(token)
    parts = []
    if spec["color"]:
        parts.append(f"color: #{spec['color']}")
    if spec["bold"]:
        parts.append("font-weight: bold")
    if spec["italic"]:
        parts.append("font-style: italic")
    return "; ".join(parts)


def _styles(style_name: str) -> Mapping[str, str]:
    style = get_style_by_name(style_name)
    return {
        "comment": _css(style, Comment.Single),
        "string": _css(style, String),
        "number": _css(style, Number),
        "decorator": _css(style, Name.Decorator),
        "keyword": _css(style, Keyword),
        "constant": _css(style, Keyword.Constant),
        "builtin": _css(style, Name.Builtin),
        "pseudo": _css(style, Name.Builtin.Pseudo),
        "function": _css(style, Name.Function),
        "class": _css(style, Name.Class),
        "op": _css(style, Operator),
        "word_op": _css(style, Operator.Word),
    }


def python_highlighter(style_name: str) -> Callable[[str], str]:
    """A function: Python source → HTML spans with inline colours from `style_name`."""
    styles = _styles(style_name)
    spans = {kind: f'<span style="{css}">' for kind, css in styles.items() if css}

    def escape(text: str, quote: bool = False) -> str:
        # Most tokens hold nothing to escape; skipping the call is a measurable win.
        if "&" in text or "<" in text or ">" in text:
            return html.escape(text, quote=False)
        return text

    def name_kind(word: str, previous: str) -> str | None:
        if previous == "def":
            return "function"
        if previous == "class":
            return "class"
        if word in _KEYWORDS:
            return "word_op" if word in _WORD_OPERATORS else "keyword"
        if word in _CONSTANTS:
            return "constant"
        if word in _BUILTINS:
            return "builtin"
        if word in ("self", "cls"):
            return "pseudo"
        return None

    def render(code: str) -> str:
        out: list[str] = []
        append = out.append
        pos = 0
        previous = ""  # the name just before, if only spaces lie between
        for m in _TOKEN.finditer(code):
            start = m.start()
            if start > pos:
                gap = code[pos:start]
                append(escape(gap, quote=False))
                if not gap.isspace() or "\n" in gap:
                    previous = ""
            kind = m.lastgroup
            text = m.group()
            if kind == "name":
                styled = name_kind(text, previous)
                previous = text
            else:
                styled = kind
                previous = ""
            open_span = spans.get(styled) if styled else None
            if open_span is None:
                append(escape(text, quote=False))
            else:
                append(f"{open_span}{escape(text, quote=False)}</span>")
            pos = m.end()
        append(escape(code[pos:], quote=False))
        return "".join(out)

    return render
