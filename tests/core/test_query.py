"""The search language: each operator parses to the expected AST; bad queries name a position."""

from __future__ import annotations

import pytest

from flashcards.core.errors import QueryError
from flashcards.core.query import parse_query
from flashcards.core.query_ast import (
    Added,
    And,
    FieldMatch,
    FlagFilter,
    IsFilter,
    IsKind,
    MatchAll,
    Not,
    Op,
    Or,
    Prop,
    PropFilter,
    Rated,
    TextField,
    Words,
    glob_to_like,
)


def test_empty_query_matches_all() -> None:
    assert parse_query("   ") == MatchAll()


def test_free_words_are_anded() -> None:
    assert parse_query("eta xgb*") == And((Words("eta"), Words("xgb", prefix=True)))


def test_phrase() -> None:
    assert parse_query('"learning rate"') == Words("learning rate", phrase=True)


def test_fields_with_quotes_and_globs() -> None:
    assert parse_query('deck:"AWS ML*" tag:hard domain:Modeling kind:cloze') == And(
        (
            FieldMatch(TextField.DECK, "AWS ML*"),
            FieldMatch(TextField.TAG, "hard"),
            FieldMatch(TextField.DOMAIN, "Modeling"),
            FieldMatch(TextField.KIND, "cloze"),
        )
    )


@pytest.mark.parametrize("kind", list(IsKind))
def test_is(kind: IsKind) -> None:
    assert parse_query(f"is:{kind.value.upper()}") == IsFilter(kind)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("prop:stability>30", PropFilter(Prop.STABILITY, Op.GT, 30.0)),
        ("prop:interval<=7", PropFilter(Prop.INTERVAL, Op.LE, 7.0)),
        ("prop:difficulty>=5.5", PropFilter(Prop.DIFFICULTY, Op.GE, 5.5)),
        ("prop:retrievability<0.8", PropFilter(Prop.RETRIEVABILITY, Op.LT, 0.8)),
        ("prop:reviews=3", PropFilter(Prop.REVIEWS, Op.EQ, 3.0)),
        ("prop:lapses!=0", PropFilter(Prop.LAPSES, Op.NE, 0.0)),
        ("prop:due<-2", PropFilter(Prop.DUE, Op.LT, -2.0)),
    ],
)
def test_prop(text: str, expected: PropFilter) -> None:
    assert parse_query(text) == expected


def test_rated_added_flag() -> None:
    assert parse_query("rated:7 rated:1:1 added:3 flag:red flag:0") == And(
        (Rated(7), Rated(1, 1), Added(3), FlagFilter(1), FlagFilter(0))
    )


def test_negation_or_and_parentheses_precedence() -> None:
    got = parse_query("a -b or (c and -tag:x) d")
    assert got == Or(
        (
            And((Words("a"), Not(Words("b")))),
            And((And((Words("c"), Not(FieldMatch(TextField.TAG, "x")))), Words("d"))),
        )
    )


def test_hyphen_inside_a_word_is_text() -> None:
    assert parse_query("p-value") == Words("p-value")


@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ('"open phrase', 0, "quote"),
        ("(a or b", 0, "not closed"),
        ("a b)", 3, "no opening"),
        ("a or", 4, "ends"),
        ("or a", 0, "each side"),
        ("()", 0, "empty"),
        ("is:sleepy", 3, "unknown state"),
        ("prop:stability", 5, "comparison"),
        ("prop:colour>3", 5, "unknown property"),
        ("prop:stability>lots", 15, "number"),
        ("rated:x", 6, "whole number"),
        ("added:0", 6, "whole number"),
        ("flag:purple", 5, "unknown flag"),
        ("kind:poem", 5, "card kind"),
        ("foo:bar", 0, "unknown search field"),
        ("tag:", 4, "needs a value"),
        ("*", 0, "'*'"),
    ],
)
def test_bad_queries_raise_with_a_position(text: str, position: int, fragment: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_query(text)
    assert info.value.position == position
    assert fragment in info.value.message


def test_glob_to_like_escapes() -> None:
    assert glob_to_like("a_b%c*") == "a\\_b\\%c%"
