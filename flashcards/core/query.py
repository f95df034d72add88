"""The browser's search language, parsed to a small AST (no Qt, no SQL here).

    eta "learning rate" deck:Modeling* -tag:hard (is:due or is:new) prop:stability>30

Free words must all match (prompt, answer or title; a trailing `*` matches a prefix);
`"…"` is an exact phrase; `field:value` filters (values may be quoted and use `*` as a
wildcard); `-` negates the term after it; `or` joins alternatives; juxtaposition (or
`and`) binds tighter than `or`, as in Anki. A query that cannot be understood raises
`QueryError` with the 0-based offset of the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flashcards.core.errors import QueryError
from flashcards.core.query_ast import (
    Added,
    And,
    FieldMatch,
    FlagFilter,
    IsFilter,
    IsKind,
    MatchAll,
    Node,
    Not,
    Op,
    Or,
    Prop,
    PropFilter,
    Rated,
    TextField,
    Words,
)

_FLAG_NAMES = {"none": 0, "red": 1, "orange": 2, "green": 3, "blue": 4}
_PROP = re.compile(r"([a-z]+)(<=|>=|!=|<|>|=)(.*)", re.IGNORECASE)
_FIELD = re.compile(r"([A-Za-z]+):")


@dataclass(frozen=True)
class _Token:
    kind: str  # "(", ")", "-", "or", "and", "term"
    pos: int
    text: str = ""
    quoted: bool = False  # a term that was (or whose value was) in quotes
    field: str | None = None
    field_pos: int = 0  # offset of the value, for errors about it


def _read_quoted(query: str, start: int) -> tuple[str, int]:
    """The text of the quoted string opening at `start` and the offset after it."""
    out: list[str] = []
    i = start + 1
    while i < len(query):
        ch = query[i]
        if ch == "\\" and i + 1 < len(query) and query[i + 1] in '"\\':
            out.append(query[i + 1])
            i += 2
            continue
        if ch == '"':
            return "".join(out), i + 1
        out.append(ch)
        i += 1
    raise QueryError("a quote is not closed", position=start)


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    n = len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
            continue
        if ch in "()":
            tokens.append(_Token(ch, i))
            i += 1
            continue
        if ch == "-" and i + 1 < n and not query[i + 1].isspace():
            tokens.append(_Token("-", i))
            i += 1
            continue
        if ch == '"':
            text, end = _read_quoted(query, i)
            tokens.append(_Token("term", i, text, quoted=True))
            i = end
            continue
        start = i
        field_match = _FIELD.match(query, i)
        if field_match is not None:
            vpos = field_match.end()
            if vpos < n and query[vpos] == '"':
                text, end = _read_quoted(query, vpos)
                tokens.append(
                    _Token(
                        "term",
                        start,
                        text,
                        quoted=True,
                        field=field_match.group(1).lower(),
                        field_pos=vpos,
                    )
                )
                i = end
                continue
        while i < n and not query[i].isspace() and query[i] not in '()"':
            i += 1
        word = query[start:i]
        if word.lower() in ("or", "and"):
            tokens.append(_Token(word.lower(), start))
        elif field_match is not None:
            tokens.append(
                _Token(
                    "term",
                    start,
                    word[field_match.end() - start :],
                    field=field_match.group(1).lower(),
                    field_pos=field_match.end(),
                )
            )
        else:
            tokens.append(_Token("term", start, word))
    return tokens


class _Parser:
    """Recursive descent: or_expr := and_expr ('or' and_expr)*;
    and_expr := unary ('and'? unary)*; unary := '-' unary | '(' or_expr ')' | term."""

    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = _tokens(query)
        self.i = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            return MatchAll()
        node = self.or_expr()
        extra = self.peek()
        if extra is not None:
            assert extra.kind == ")"
            raise QueryError("a closing parenthesis has no opening one", position=extra.pos)
        return node

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.take()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_expr(self) -> Node:
        parts = [self.unary()]
        while (tok := self.peek()) is not None and tok.kind not in ("or", ")"):
            if tok.kind == "and":
                self.take()
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise QueryError(
                "the query ends where a search term was expected", position=len(self.query)
            )
        if tok.kind == "-":
            self.take()
            return Not(self.unary())
        if tok.kind == "(":
            self.take()
            if (nxt := self.peek()) is not None and nxt.kind == ")":
                raise QueryError("empty parentheses", position=tok.pos)
            node = self.or_expr()
            close = self.peek()
            if close is None or close.kind != ")":
                raise QueryError("a parenthesis is not closed", position=tok.pos)
            self.take()
            return node
        if tok.kind in ("or", "and"):
            raise QueryError(f"'{tok.kind}' needs a search term on each side", position=tok.pos)
        if tok.kind == ")":
            raise QueryError("a closing parenthesis has no opening one", position=tok.pos)
        self.take()
        return _term(tok)


def _term(tok: _Token) -> Node:
    if tok.field is None:
        if tok.quoted:
            if not tok.text.strip():
                raise QueryError("an empty phrase", position=tok.pos)
            return Words(tok.text, phrase=True)
        prefix = tok.text.endswith("*")
        text = tok.text.rstrip("*")
        if not text:
            raise QueryError("'*' needs some text before it", position=tok.pos)
        return Words(text, prefix=prefix)
    value = tok.text
    name = tok.field
    at = tok.field_pos
    if not value and name != "deck":
        raise QueryError(f"'{name}:' needs a value", position=at)
    if name in ("deck", "tag", "domain", "kind"):
        if name == "deck" and not value:
            raise QueryError("'deck:' needs a value", position=at)
        if name == "kind" and value.lower() not in _KINDS:
            raise QueryError(
                f"unknown card kind {value!r} (basic, reverse, cloze, choice)", position=at
            )
        return FieldMatch(TextField(name), value)
    if name == "is":
        try:
            return IsFilter(IsKind(value.lower()))
        except ValueError:
            known = ", ".join(k.value for k in IsKind)
            raise QueryError(f"unknown state is:{value} (known: {known})", position=at) from None
    if name == "prop":
        return _prop(value, at)
    if name == "flag":
        flag = _FLAG_NAMES.get(value.lower())
        if flag is None and value.isdigit() and int(value) <= 4:
            flag = int(value)
        if flag is None:
            raise QueryError(
                f"unknown flag {value!r} (0–4 or none, red, orange, green, blue)", position=at
            )
        return FlagFilter(flag)
    if name == "rated":
        days, _, rating = value.partition(":")
        n = _days(days, name, at)
        if not rating:
            return Rated(n)
        if rating not in ("1", "2", "3", "4"):
            raise QueryError(f"rated:{n}:R needs a rating from 1 to 4, not {rating!r}", position=at)
        return Rated(n, int(rating))
    if name == "added":
        return Added(_days(value, name, at))
    raise QueryError(
        f"unknown search field '{name}:' (put the text in quotes to search for it)",
        position=tok.pos,
    )


_KINDS = ("basic", "reverse", "cloze", "choice")


def _days(value: str, name: str, at: int) -> int:
    if not value.isdigit() or int(value) < 1:
        raise QueryError(
            f"{name}: needs a whole number of days (1 or more), not {value!r}", position=at
        )
    return int(value)


def _prop(value: str, at: int) -> PropFilter:
    match = _PROP.fullmatch(value)
    if match is None:
        raise QueryError(
            f"prop: needs a comparison such as prop:stability>30, not {value!r}", position=at
        )
    name, op, number = match.groups()
    try:
        prop = Prop(name.lower())
    except ValueError:
        known = ", ".join(p.value for p in Prop)
        raise QueryError(f"unknown property {name!r} (known: {known})", position=at) from None
    try:
        amount = float(number)
    except ValueError:
        raise QueryError(
            f"prop:{name} needs a number after {op}, not {number!r}", position=at + match.start(3)
        ) from None
    return PropFilter(prop, Op(op), amount)


def parse_query(query: str) -> Node:
    """The AST of a search query (`MatchAll` for an empty one); raises `QueryError`."""
    return _Parser(query).parse()
