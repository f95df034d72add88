"""Literal zones: masking keeps offsets and hides syntax; hostile input stays fast."""

from __future__ import annotations

import time

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from flashcards.core.errors import DeckFormatError
from flashcards.core.literal import MASK, _mask_inline, _mask_single_ticks, mask_lines, mask_text
from flashcards.core.parser import parse_deck


def shown(text: str) -> str:
    return mask_text(text).replace(MASK, "#")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a `b` c", "a ### c"),
        ("x ``a ` b`` y `z", "x ######### y `z"),
        ("<!-- a --> `<!--` b", "########## ###### b"),
        ("` `` ``` `` `", "#############"),
        ("no zones {{x}}", "no zones {{x}}"),
    ],
)
def test_inline_masks(text: str, expected: str) -> None:
    assert shown(text) == expected


def test_fences_close_only_with_same_char_and_enough_length() -> None:
    text = "````\n```\n~~~~\n````\nafter"
    assert shown(text).split("\n") == ["####", "###", "####", "####", "after"]


def test_comment_spans_lines_and_code_after_it_on_the_last_line() -> None:
    assert shown("a <!-- b\nc\nd --> `e` f").split("\n") == ["a ######", "#", "##### ### f"]


def test_masked_lines_keep_their_length() -> None:
    lines = ["```py", "code", "", "```", "a `b` <!-- c -->"]
    masked = mask_lines(lines).lines
    assert [len(m) for m in masked] == [len(line) for line in lines]


def test_unclosed_fence_raises_in_mask_lines_but_not_mask_text() -> None:
    with pytest.raises(DeckFormatError):
        mask_lines(["a", "```", "b"], path="p.md")
    assert shown("a\n```\nb") == "a\n###\n#"


def test_hostile_input_is_parsed_quickly() -> None:
    hostile = "## Q\n" + "` " * 50_000 + "\n" + "[[ " * 30_000 + "\n" + "{{x}} " * 20_000 + "\n"
    start = time.perf_counter()
    result = parse_deck(hostile, path="h.md")
    assert time.perf_counter() - start < 5
    assert result.deck.notes[0].cloze_numbers[-1] == 20_000


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="`a b-<!x\u00e9", max_size=24))
def test_single_backtick_lines_mask_as_the_general_scan_masks(line: str) -> None:
    # The common line (one-backtick runs, no comment) takes a shortcut in `mask_lines`.
    assume("``" not in line and "<!--" not in line)
    pieces: list[str] = []
    assert _mask_inline(line, 0, pieces) is None
    assert _mask_single_ticks(line) == "".join(pieces)
    assert mask_lines([line]).lines == ["".join(pieces)]
