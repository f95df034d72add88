"""Break hints in long words, so a narrow card wraps them where a reader would.

Qt's text layout breaks a word that does not fit its line anywhere, so a heading such
as `ProvisionedThroughputExceededException` comes out as `…Excepti` / `on`. A zero-width
space (U+200B, which QTextDocument honours as a line-break opportunity; it ignores
`<wbr>`) at the word's seams lets it wrap as `ProvisionedThroughput` / `ExceededException`.

Seams, in words of at least `MIN_LENGTH` characters only: camelCase and acronym ends
(`Throughput|Exceeded`, `XML|Http`), after `_`, `/` and `::`, and after a `.` between
letters (`sagemaker.|amazonaws`, not `1.5`). Only text is touched: never a tag, an
attribute (so links and image paths are intact) or a code block (`<pre>`, which wraps
anywhere by design and is copied most). The hints are invisible but real characters:
the views take them out of copied text (`without_break_hints`).
"""

from __future__ import annotations

import re

BREAK_HINT = "\u200b"
MIN_LENGTH = 16

# A code block, a tag or comment, or a run of text between tags.
_PIECE = re.compile(r"(<pre\b.*?</pre>)|(<[^>]*>)|([^<]+)", re.DOTALL | re.IGNORECASE)
# In text: an entity (left whole) or a long run of non-space characters.
_WORD = re.compile(rf"(&#?\w+;)|([^\s&]{{{MIN_LENGTH},}})")
_SEAM = re.compile(
    r"(?<=\w[a-z0-9])(?=[A-Z][a-z])"  # camelCase: Throughput|Exceeded, S3|Bucket
    r"|(?<=\w[a-z])(?=[A-Z])"  # lower to upper: provisioned|Throughput (not e|Commerce)
    r"|(?<=[A-Z])(?=[A-Z][a-z])"  # an acronym's end: XML|Http
    r"|(?<=[A-Za-z0-9][_/])(?=[A-Za-z0-9])"  # after _ or /
    r"|(?<=[A-Za-z0-9]::)(?=[A-Za-z0-9])"  # after ::
    r"|(?<=[A-Za-z]\.)(?=[A-Za-z0-9])|(?<=[0-9]\.)(?=[A-Za-z])"  # after a . not in 1.5
)


def _hint_word(m: re.Match[str]) -> str:
    word = m.group(2)
    if word is None:
        return m.group(1)
    return _SEAM.sub(BREAK_HINT, word)


def _hint_piece(m: re.Match[str]) -> str:
    text = m.group(3)
    if text is None or len(text) < MIN_LENGTH:
        return m.group()
    return _WORD.sub(_hint_word, text)


def add_break_hints(html: str) -> str:
    """`html` with a zero-width space at the seams of each long word of its text."""
    return _PIECE.sub(_hint_piece, html)


def without_break_hints(text: str) -> str:
    """`text` (copied from a card) without the hints `add_break_hints` put in."""
    return text.replace(BREAK_HINT, "")
