"""The export's fast Markdown path writes exactly what python-markdown writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashcards.core.parser import parse_deck
from flashcards.interop.export_notes import _LINK, _converter, anki_fields, to_html
from flashcards.interop.fast_markdown import simple_html

DECKS = Path(__file__).resolve().parents[2] / "decks"


def full_html(md: str) -> str:
    """The export converter's own output for `md` (python-markdown, its extensions)."""
    return _converter().reset().convert(md)


_WORDS = [
    "a",
    "b",
    "word",
    "é",
    "1",
    "2019",
    "x y",
    "(p)",
    '"q"',
    "'s",
    "{{c1::z}}",
    "=",
    "!",
    "a_b",
]
_PUNCT = [" ", "  ", ".", ",", "?", ":", "-", "+", "#", "~", "/", "&", "<", ">", "{", "}"]
_MARKS = [
    "*",
    "**",
    "\\*",
    "`",
    "` `",
    "`<b>&`",
    "_",
    "__",
    "[",
    "|",
    "\\",
    "\t",
    "``",
    "```",
    "~~~",
]
_LINE_STARTS = [
    "",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "2. ",
    "0. ",
    "10. ",
    "2023). ",
    "1)",
    "1.5",
    "12345678901. ",
    "-",
    "# ",
    "> ",
    " ",
    "  ",
    "   ",
    "    ",
    "***",
    "---",
    "===",
    "<!-- a-b: c -->",
    "```",
    "```",
    "```py",
    "``` .js ",
    "````",
    "~~~",
    "~~~ c#",
    "|",
    "| --- |",
    ":-",
    "-|",
    " |-",
    "_",
]
_PIECE = st.sampled_from(_WORDS * 3 + _PUNCT + _MARKS)
_LINE = st.tuples(st.sampled_from(_LINE_STARTS), st.lists(_PIECE, max_size=8)).map(
    lambda t: t[0] + "".join(t[1])
)
_FIELD = st.lists(st.one_of(_LINE, st.just(""), st.just("")), min_size=1, max_size=10).map(
    "\n".join
)


def _agrees(md: str) -> None:
    """Where the fast path writes a field, it writes what python-markdown does."""
    md = md.strip()
    if not md:
        return
    fast = simple_html(md)
    if fast is not None:
        assert fast == full_html(md), md


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_FIELD)
def test_simple_html_is_python_markdown(md: str) -> None:
    _agrees(md)


@pytest.mark.parametrize(
    "md",
    [
        "Answer 3\n\n- point one\n- point two",
        "Two stores:\n- **online**: `GetRecord` at inference\n- *offline*: every version",
        "Steps:\n1. train\n2. deploy `ml.m5.large` & watch\n\nThen 3 < 4 > 2.",
        "3. third\n4. fourth",
        "<!-- source: https://docs.aws.amazon.com/a-b.html -->\nOne **template**, many stacks.",
        "- **Inferentia** (`ml.inf1`): inference at the lowest cost\n  per inference.\n- next",
        "A `<tag>` and `a & b`, then **bold** and *it* \\* star.  \nNext line.",
        "```\ncode\n```",
        "| a | b |",
        "Set `scale_pos_weight` to sum_negative / sum_positive.",
        "At least **3,500** requests per second **per\nprefix**, with no limit.",
        'Run:\n\n```python\nif a < b and c & d:\n\n    print("x")\n```\n\n- then *this*',
        "~~~\n```\n~~~",
        "Older versions allowed CSV only. See k-means.\n<!-- source: https://a.b/k-means.html -->",
        "<!-- source: a -->\n- one\n- two\n\n<!-- source: b -->",
    ],
)
def test_simple_html_takes_common_fields(md: str) -> None:
    fast = simple_html(md)
    assert fast is not None
    assert fast == full_html(md)


@pytest.mark.parametrize(
    "md",
    [
        "- a\n\n- b",
        "- a\n    - nested",
        "a\n2. b",
        "_snake_case",
        "a __init__ b",
        "a `x`_y",
        "a | b\n--|--",
        "a | b\n| :-: |",
        "text\n```\ncode\n```",
        "```\ncode\n```\ntext",
        "```\ncode\n  \nmore\n```",
        "```{.py}\ncode\n```",
        "```\nnever closed",
        "[x](y)",
    ],
)
def test_simple_html_leaves_other_markdown_to_python_markdown(md: str) -> None:
    assert simple_html(md) is None


_CODE_LINE = st.sampled_from(["x = 1", "", "    y", "<b>&\"'", "```", "~~~", "````", "  ", "a | b"])
_CODE_BLOCK = st.tuples(
    st.sampled_from(["```", "~~~", "````", "```python", "``` .c++", "```\t", "~~~ x y"]),
    st.lists(_CODE_LINE, max_size=4),
    st.sampled_from(["", " ", "`"]),
).map(lambda t: "\n".join([t[0], *t[1], t[0].split()[0].rstrip("\t") + t[2]]))
_LAST_LINE = st.sampled_from(
    [
        "",
        "\n<!-- source: a-b -->",
        "\n\n<!-- s -->",
        "\n<!-- a--b -->",
        "\n<!-- x",
        "\n<!-- s -->\n<!-- t -->",
        "\n\n<!-- s -->\n<!-- t -->\n<!-- u -->",
        "\n<!-- s -->\n\n<!-- t -->",
        "\n<!-- s -->\nx",
    ]
)
_FENCED_FIELD = st.lists(st.one_of(_FIELD, _CODE_BLOCK), min_size=1, max_size=4).flatmap(
    lambda parts: st.tuples(*[st.sampled_from(["\n\n", "\n", "\n\n\n"]) for _ in parts]).map(
        lambda seps: "".join(s + p for s, p in zip(seps, parts, strict=True))
    )
)
_FIRST_LINE = st.sampled_from(["", "<!-- source: a-b -->\n", "<!-- s -->\n\n"])
_ENDED_FIELD = st.tuples(_FIRST_LINE, st.one_of(_FIELD, _FENCED_FIELD), _LAST_LINE).map("".join)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_ENDED_FIELD)
def test_fenced_code_and_last_comment_are_python_markdown(md: str) -> None:
    _agrees(md)


def _bundled_fields() -> list[str]:
    fields: list[str] = []
    for path in sorted(DECKS.rglob("*.md")):
        deck = parse_deck(path.read_bytes(), path=str(path)).deck
        for note in deck.notes:
            anki_fields(note, html=lambda md: fields.append(md) or "")
    # As the export's to_html gives them to the converter: links as their text, no math.
    return [_LINK.sub(lambda m: m.group(2) or m.group(1), f) for f in fields if "$" not in f]


def test_bundled_decks_render_as_python_markdown_renders_them() -> None:
    fields = _bundled_fields()
    assert len(fields) > 1000
    taken = 0
    for md in fields:
        md = md.strip()
        if not md:
            continue
        fast = simple_html(md)
        if fast is not None:
            taken += 1
            assert fast == full_html(md), md
    assert taken > len(fields) // 3  # the fast path is the common one


def test_to_html_unwraps_one_paragraph_either_way() -> None:
    assert to_html("**Question 1** about *topic 1*?") == (
        "<strong>Question 1</strong> about <em>topic 1</em>?"
    )
    assert to_html("Answer 3\n\n- point one") == "<p>Answer 3</p>\n<ul>\n<li>point one</li>\n</ul>"
