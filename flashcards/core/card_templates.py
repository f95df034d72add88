"""Anki-style card templates: `{{Field}}`, `{{#Field}}…{{/Field}}`, `{{^Field}}…{{/Field}}`,
filters (`{{hint:Field}}`, `{{type:Field}}`, `{{text:Field}}`, furigana) and `{{FrontSide}}`.

A note type's template (`notetypes.py`) is Markdown holding these tags; a note's fields
are Markdown too. `render` fills a template into a card side's Markdown, and `renders`
says whether a template gives a card at all, by Anki's rule: its front must name, outside
any conditional that is off, a field that is not empty (text alone never makes a card).

Hints and type-in answers become comment marks in the card's Markdown, which
`template_side.py` turns into a revealable link and an answer comparison at display
time; any other renderer drops the comments and shows the hint's text (and, on the
back, the expected answer) as plain Markdown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field

SPECIAL_FIELDS = frozenset(
    {"FrontSide", "Tags", "Deck", "Subdeck", "Card", "Type", "CardFlag", "CardID"}
)
"""Names a template may use besides the note type's fields. A field of the same name wins,
as in Anki (its renderer adds these only where the note has no such field), except
`{{FrontSide}}`, which is always the question."""

HINT_OPEN = "<!--fc:hint "
HINT_CLOSE = "<!--fc:/hint-->"
TYPE_OPEN = "<!--fc:type "
TYPE_CLOSE = "<!--fc:/type-->"
HINT_SCHEME = "hint:"  # the link that opens hint N of a side: `hint:N`

_EMPTY = re.compile(r"^(?:\s|</?(?:br|div) ?/?>)*$", re.I)  # Anki's field_is_empty
_HTML_TAG = re.compile(r"<[^>]*>")
_FURIGANA = re.compile(r" ?([^ >]+?)\[(.+?)\]")
_BLANK_RUN = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_MARK_SAFE = re.compile(r"-->|[\n\r]")


class TemplateError(ValueError):
    """A template that cannot be read (an unclosed `{{`, or conditionals out of order)."""


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Replace:
    key: str
    filters: tuple[str, ...] = ()  # in the order they apply (innermost first)


@dataclass(frozen=True)
class Section:
    key: str
    negated: bool
    children: tuple[Node, ...] = field(default=())


Node = Text | Replace | Section


def parse_template(text: str) -> tuple[Node, ...]:
    """The nodes of a template; `TemplateError` for unclosed tags or sections."""
    stack: list[tuple[str, bool, list[Node]]] = []
    nodes: list[Node] = []
    pos = 0
    while pos < len(text):
        start = text.find("{{", pos)
        if start < 0:
            nodes.append(Text(text[pos:]))
            break
        if start > pos:
            nodes.append(Text(text[pos:start]))
        end = text.find("}}", start + 2)
        if end < 0:
            raise TemplateError(f"'{{{{' without '}}}}': {text[start : start + 30]!r}")
        inner = text[start + 2 : end].lstrip("{").strip()
        pos = end + 2
        if len(inner) >= 2 and inner[0] in "#^":
            stack.append((inner[1:].strip(), inner[0] == "^", nodes))
            nodes = []
        elif len(inner) >= 2 and inner[0] == "/":
            key = inner[1:].strip()
            if not stack or stack[-1][0] != key:
                open_key = f" (open: {{{{#{stack[-1][0]}}}}})" if stack else ""
                raise TemplateError(f"{{{{/{key}}}}} closes no open section{open_key}")
            open_key, negated, outer = stack.pop()
            outer.append(Section(open_key, negated, tuple(nodes)))
            nodes = outer
        else:
            parts = inner.split(":")
            nodes.append(Replace(parts[-1].strip(), tuple(p.strip() for p in reversed(parts[:-1]))))
    if stack:
        raise TemplateError(f"{{{{#{stack[-1][0]}}}}} is never closed with {{{{/{stack[-1][0]}}}}}")
    return tuple(nodes)


def referenced(nodes: Sequence[Node]) -> set[str]:
    """Every field or section key the nodes name."""
    out: set[str] = set()
    for node in nodes:
        if isinstance(node, Replace):
            out.add(node.key)
        elif isinstance(node, Section):
            out.add(node.key)
            out |= referenced(node.children)
    return out


def is_empty(value: str) -> bool:
    """Anki's test of an empty field: only whitespace and empty `<br>`/`<div>` tags."""
    if "<" not in value:  # no tag: only whitespace (what `\s` matches, `strip` strips)
        return not value.strip()
    return not value.strip() or _EMPTY.match(value) is not None


def renders(nodes: Sequence[Node], nonempty: set[str] | frozenset[str]) -> bool:
    """Whether a front template gives a card for a note whose non-empty fields are these."""
    for node in nodes:
        if isinstance(node, Replace):
            if node.key in nonempty:
                return True
        elif isinstance(node, Section):
            if (node.key in nonempty) == node.negated:
                continue
            if renders(node.children, nonempty):
                return True
    return False


@dataclass(frozen=True)
class CardContext:
    """What a template's special fields read: `{{Tags}}`, `{{Deck}}`, `{{Card}}`, `{{Type}}`."""

    tags: tuple[str, ...] = ()
    deck: str = ""
    card: str = ""  # the template's name
    notetype: str = ""


def render(
    nodes: Sequence[Node],
    fields: Mapping[str, str],
    *,
    context: CardContext = CardContext(),
    frontside: str | None = None,
    back: bool = False,
) -> str:
    """The Markdown a template shows for these fields. `back`: an answer template, whose
    `{{FrontSide}}` is `frontside` and whose type-in marks carry the expected answer."""
    out: list[str] = []
    _render_into(out, nodes, fields, _Side(context, frontside, back))
    return _tidy("".join(out))


# A template as `fill` renders it: literal text, and `(name,)` for a field's value or
# `{{FrontSide}}`'s text.
Parts = tuple[str | tuple[str], ...]


def plain_parts(nodes: Sequence[Node], fields: Collection[str]) -> Parts | None:
    """`nodes` as `fill` renders them, where each is text, `{{FrontSide}}` or a field of
    `fields` without filters; None for any other template (`render` it)."""
    parts: list[str | tuple[str]] = []
    for node in nodes:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, Replace) and not node.filters:
            if node.key != "FrontSide" and node.key not in fields:
                return None
            parts.append((node.key,))
        else:
            return None
    return tuple(parts)


def fill(parts: Parts, fields: Mapping[str, str], frontside: str | None = None) -> str | None:
    """`render(nodes, fields, frontside=frontside)` for the `parts` of `plain_parts(nodes)`,
    without a context (none is read); None where `fields` lacks a name (`render` then)."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        key = part[0]
        if key == "FrontSide":
            out.append(frontside or "")
            continue
        value = fields.get(key)
        if value is None:
            return None
        out.append(value)
    return _tidy("".join(out))


def _tidy(text: str) -> str:
    """A rendered side without its runs of blank lines and outer whitespace."""
    if "\n\n\n" in text or "\n \n" in text or "\n\t\n" in text:
        text = _BLANK_RUN.sub("\n\n", text)
    return text.strip()


@dataclass(frozen=True)
class _Side:
    context: CardContext
    frontside: str | None
    back: bool


def _render_into(
    out: list[str], nodes: Sequence[Node], fields: Mapping[str, str], side: _Side
) -> None:
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Section):
            value = fields.get(node.key, "")
            if is_empty(value) == node.negated:
                _render_into(out, node.children, fields, side)
        elif node.key == "FrontSide":
            out.append(side.frontside or "")
        else:
            out.append(_replacement(node, fields, side))


def _special(key: str, context: CardContext) -> str | None:
    if key == "Tags":
        return " ".join(context.tags)
    if key == "Deck":
        return context.deck
    if key == "Subdeck":
        return context.deck.rsplit("::", 1)[-1]
    if key == "Card":
        return context.card
    if key == "Type":
        return context.notetype
    if key in ("CardFlag", "CardID"):
        return ""
    return None


def _replacement(node: Replace, fields: Mapping[str, str], side: _Side) -> str:
    value = fields.get(node.key)
    if value is None:
        value = _special(node.key, side.context)
        if value is None:
            if not node.key and node.filters:
                return ""  # `{{tts-voices:}}` and friends: filters without a field
            # Anki shows an error in the card; a plain note says the same without braces.
            return f"(no field '{node.key}')"
    if "type" in node.filters:
        mark = f"{TYPE_OPEN}{_mark_text(node.key)}-->"
        return f"{mark}{plain_answer(value)}{TYPE_CLOSE}" if side.back else mark
    for name in node.filters:
        if is_empty(value) and name == "hint":
            return ""
        if name == "text":
            value = _HTML_TAG.sub("", value)
        elif name == "hint":
            value = f"{HINT_OPEN}{_mark_text(node.key)}-->{value}{HINT_CLOSE}"
        elif name == "furigana":
            value = _ruby(value, lambda base, reading: f"{base}({reading})")
        elif name == "kanji":
            value = _ruby(value, lambda base, reading: base)
        elif name == "kana":
            value = _ruby(value, lambda base, reading: reading)
        # cloze (outside a cloze note type), tts and unknown filters: the text unchanged
    return value


def _ruby(value: str, show: Callable[[str, str], str]) -> str:
    def one(m: re.Match[str]) -> str:
        base, reading = m.group(1), m.group(2)
        if reading.startswith("sound:"):
            return m.group()
        return show(base, reading)

    return _FURIGANA.sub(one, value)


def _mark_text(text: str) -> str:
    """Text safe inside an HTML comment on one line."""
    return _MARK_SAFE.sub(" ", text)


def with_expected_answers(front: str, fields: Mapping[str, str]) -> str:
    """A rendered front whose type-in marks also carry the expected answer (for a back
    that shows `{{FrontSide}}` and asks for no typed answer itself, as Anki shows it)."""

    def expected(m: re.Match[str]) -> str:
        name = m.group(1)
        return f"{m.group()}{plain_answer(fields.get(name, ''))}{TYPE_CLOSE}"

    return _FRONT_TYPE.sub(expected, front)


def without_type_marks(front: str) -> str:
    """A rendered front without its type-in marks (the box belongs to the question)."""
    return _FRONT_TYPE.sub("", front)


_FRONT_TYPE = re.compile(re.escape(TYPE_OPEN) + r"(.*?)-->")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>:|~])")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")


def plain_answer(value: str) -> str:
    """The text a typed answer is compared with: the field as it reads (no HTML tags,
    bold marks, Markdown escapes or line breaks)."""
    text = _HTML_TAG.sub("", value)
    if "**" in text or "__" in text:
        text = _STRONG.sub(lambda m: m.group(2), text)
    if "\\" in text:
        text = _MD_ESCAPE.sub(lambda m: m.group(1), text)
    return " ".join(html.unescape(text).split())


# What the review asks of a card's marks (no Markdown needed, so cheap to import).


def asks_typed_answer(prompt: str) -> str | None:
    """The field a card's question asks to type in (None: it asks for none)."""
    start = prompt.find(TYPE_OPEN)
    if start < 0:
        return None
    end = prompt.find("-->", start)
    return prompt[start + len(TYPE_OPEN) : end] if end > 0 else None


def hint_count(text: str) -> int:
    """How many hints a side holds."""
    return text.count(HINT_OPEN)


def hint_index(href: str) -> int | None:
    """The hint a `hint:N` link opens (None for other links)."""
    if not href.startswith(HINT_SCHEME):
        return None
    rest = href[len(HINT_SCHEME) :]
    return int(rest) if rest.isdigit() else None
