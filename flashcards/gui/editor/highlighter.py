"""Syntax colours for the deck format: headings, ids (dimmed), code fences, cloze,
choices, links, the `?` separator, `Tags:` lines and front matter."""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")
_ATTRS = re.compile(r"\s\{[^{}]*#[A-Za-z0-9_-]+[^{}]*\}\s*$|\s\{[^{}]*\.reverse[^{}]*\}\s*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_CLOZE = re.compile(r"\{\{.*?\}\}")
_LINK = re.compile(r"\[\[[^\[\]\n]+?\]\]")
_CHOICE = re.compile(r"^ {0,3}[-*+][ \t]+\[([ xX])\]")
_INLINE_CODE = re.compile(r"`[^`\n]+`")
_TAGS = re.compile(r"^Tags:")

NORMAL, IN_FENCE, IN_FRONT_MATTER = 0, 1, 2


def _fmt(
    colour: str, *, bold: bool = False, italic: bool = False, background: str | None = None
) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(colour))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    if italic:
        fmt.setFontItalic(True)
    if background:
        fmt.setBackground(QColor(background))
    return fmt


class DeckHighlighter(QSyntaxHighlighter):
    """Line-at-a-time colouring; fences and front matter carry over via block state."""

    def __init__(self, document: QTextDocument, *, dark: bool = False) -> None:
        super().__init__(document)
        self.dark = dark
        self.formats = {
            "section": _fmt("#c678dd" if dark else "#7a3e9d", bold=True),
            "heading": _fmt("#61afef" if dark else "#1d5fa8", bold=True),
            "id": _fmt("#5c6370" if dark else "#a0a0a0"),
            "fence": _fmt(
                "#98c379" if dark else "#3f6e2a", background="#2c313a" if dark else "#f3f4f0"
            ),
            "cloze": _fmt("#e5c07b" if dark else "#a35200", bold=True),
            "link": _fmt("#56b6c2" if dark else "#0b7285"),
            "right": _fmt("#98c379" if dark else "#2e7d32", bold=True),
            "choice": _fmt("#abb2bf" if dark else "#666666", bold=True),
            "separator": _fmt("#e06c75" if dark else "#c0392b", bold=True),
            "tags": _fmt("#d19a66" if dark else "#8a6d00", italic=True),
            "meta": _fmt("#7f848e" if dark else "#888888", italic=True),
            "code": _fmt("#98c379" if dark else "#3f6e2a"),
        }

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        previous = self.previousBlockState()
        block = self.currentBlock()
        if block.blockNumber() == 0 and text.strip() == "---":
            self.setFormat(0, len(text), self.formats["meta"])
            self.setCurrentBlockState(IN_FRONT_MATTER)
            return
        if previous == IN_FRONT_MATTER:
            self.setFormat(0, len(text), self.formats["meta"])
            self.setCurrentBlockState(NORMAL if text.strip() == "---" else IN_FRONT_MATTER)
            return
        fence = _FENCE.match(text)
        if previous == IN_FENCE:
            self.setFormat(0, len(text), self.formats["fence"])
            self.setCurrentBlockState(NORMAL if fence else IN_FENCE)
            return
        if fence:
            self.setFormat(0, len(text), self.formats["fence"])
            self.setCurrentBlockState(IN_FENCE)
            return
        self.setCurrentBlockState(NORMAL)
        heading = _HEADING.match(text)
        if heading:
            kind = "section" if len(heading.group(1)) == 1 else "heading"
            self.setFormat(0, len(text), self.formats[kind])
            attrs = _ATTRS.search(text)
            if attrs:
                self.setFormat(attrs.start(), len(text) - attrs.start(), self.formats["id"])
            return
        if text.strip() == "?":
            self.setFormat(0, len(text), self.formats["separator"])
            return
        if _TAGS.match(text):
            self.setFormat(0, len(text), self.formats["tags"])
            return
        choice = _CHOICE.match(text)
        if choice:
            right = choice.group(1) in "xX"
            self.setFormat(0, choice.end(), self.formats["right" if right else "choice"])
        for pattern, name in ((_INLINE_CODE, "code"), (_CLOZE, "cloze"), (_LINK, "link")):
            for m in pattern.finditer(text):
                self.setFormat(m.start(), m.end() - m.start(), self.formats[name])
