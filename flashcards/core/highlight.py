"""Code blocks for QTextBrowser: Pygments with inline styles, in a padded table.

QTextBrowser ignores CSS classes and supports padding only on table cells, so a code
block is a one-cell table with its own background and every token coloured inline.
The block sets its own text colour, so it reads the same on light and dark palettes.
Lexers and the formatter are built once and reused: building them dominates the cost
of highlighting a short block.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable
from functools import lru_cache

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from flashcards.core.fast_python import PYTHON_NAMES, python_highlighter
from flashcards.core.render_theme import CODE_BACKGROUND, CODE_BLOCK_STYLE, CODE_STYLE

_formatter_lock = threading.Lock()
_formatter: HtmlFormatter[str] | None = None

# A fenced block as python-markdown writes it and `sanitize_html` re-serialises it.
_CODE_BLOCK = re.compile(r"<pre(?: [^>]*)?><code([^>]*)>(.*?)</code></pre>", re.DOTALL)
_LANGUAGE = re.compile(r'class="language-([^"]+)"')


def _html_formatter() -> HtmlFormatter[str]:
    global _formatter
    with _formatter_lock:
        if _formatter is None:
            _formatter = HtmlFormatter(noclasses=True, nowrap=True, style=CODE_STYLE)
        return _formatter


@lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer | None:
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


@lru_cache(maxsize=1)
def _python() -> Callable[[str], str]:
    return python_highlighter(CODE_STYLE)


def highlight_code(code: str, language: str | None) -> str:
    """`code` as HTML spans with inline colours; plain escaped text for unknown languages."""
    language = language.lower() if language else None
    if language in PYTHON_NAMES:
        return _python()(code)
    lexer = _lexer(language) if language else None
    if lexer is None:
        return html.escape(code, quote=False)
    out: str = highlight(code, lexer, _html_formatter())
    return out


def code_block(code: str, language: str | None) -> str:
    """A whole code block: a one-cell table holding the highlighted `<pre>`."""
    body = highlight_code(code.rstrip("\n"), language)
    return (
        f'<table width="100%" border="0" cellspacing="0" cellpadding="10" '
        f'bgcolor="{CODE_BACKGROUND}" style="background-color:{CODE_BACKGROUND}; '
        f'margin-top:4px; margin-bottom:8px;"><tr><td bgcolor="{CODE_BACKGROUND}">'
        f'<pre style="{CODE_BLOCK_STYLE}">{body}</pre>'
        f"</td></tr></table>"
    )


def highlight_code_blocks(fragment: str) -> str:
    """Every `<pre><code>` block of sanitised `fragment` replaced by a styled code block."""
    if "<pre" not in fragment:
        return fragment

    def block(m: re.Match[str]) -> str:
        language = _LANGUAGE.search(m.group(1))
        return code_block(html.unescape(m.group(2)), language.group(1) if language else None)

    return _CODE_BLOCK.sub(block, fragment)
