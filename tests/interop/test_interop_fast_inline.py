"""The substitution shortcut for fields of plain text and inline marks gives exactly
what the general fast path gives, and declines anything else."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.interop.fast_html import _scan_markdown, _simple_inline, fast_markdown

_TEXT = st.sampled_from(
    ["a", "x y", " ", "  ", "\xa0", "é", ">", "-", "#", "\\", "{{c1::x}}", "", "?", " b ", "*"]
    + ["<", "<b>", "</i>", "\u2003", "\t", "a\n"]
)
_TAGS = st.sampled_from(["b", "i", "strong", "em", "B", "span", "code"])


def _html(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    tagged = st.tuples(_TAGS, children).map(lambda p: f"<{p[0]}>{p[1]}</{p[0]}>")
    return st.lists(st.one_of(_TEXT, tagged), max_size=4).map("".join)


_FIELDS = st.recursive(_TEXT, _html, max_leaves=12)


@settings(max_examples=500, deadline=None)
@given(_FIELDS)
def test_shortcut_matches_the_general_path(source: str) -> None:
    simple = _simple_inline(source)
    if simple is not None:
        assert simple == _scan_markdown(source)
    assert fast_markdown(source) == _scan_markdown(source)


def test_shortcut_takes_common_fields_and_declines_others() -> None:
    assert (
        _simple_inline("<b>Question 1</b> about <i>topic</i>?") == "**Question 1** about *topic*?"
    )
    assert _simple_inline("<b><i>x</i> y</b>") == "***x* y**"
    for declined in (
        "<b> x</b>",  # leading space moves outside the mark
        "<b></b>x",  # empty marks vanish
        "<b>x</i>",  # crossed tags
        "<b>x",  # unclosed
        "a &amp; b <b>c</b>",  # entity
        "<b>a_b</b>",  # needs an escape
        "<B>x</B>",  # upper case goes the general way
        "a<br>b",  # other tags
        "<b>a  b</b>",  # whitespace run
        "x<b>",  # unclosed at the end
        "<b>x</b><i>",
        "<b>\xa0x</b>",  # any whitespace, not only a space, at a mark's edges
        "<i>x\u2003</i>",
        "<b><i></i></b>",
        "a <b>b</b> <<i>c</i>",  # a `<` that opens no mark
        "<b>x</b></i>",
    ):
        assert _simple_inline(declined) is None, declined


_TITLE_PIECES = st.sampled_from(
    ["a", "b c", " ", "  ", "\xa0", "\t", "\n", ":", "-", "|", "#", "é", "?", "*", "[", "x" * 30]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TITLE_PIECES, max_size=8).map("".join), st.sampled_from([10, 80]))
def test_plain_titles_keep_their_text_with_whitespace_normalised(md: str, max_len: int) -> None:
    from flashcards.interop.html_md import one_line_title

    title = one_line_title(md, max_len=max_len)
    assert "\n" not in title and "  " not in title
    plain = " ".join(md.split())
    one_plain_line = "\n" not in md and not set(plain) & set("-|#*[")
    if one_plain_line and plain and len(plain) <= max_len and set(plain) - {":", " "}:
        assert title == plain


_MARKED_PIECES = st.sampled_from(
    ["a", "b c", " ", "\xa0", "\t", ":", "é", "?", "*", "**", "_", "__", "x" * 30, "#", "-", "["]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_MARKED_PIECES, max_size=8).map("".join), st.sampled_from([10, 80]))
def test_titles_with_bold_and_italics_match_the_general_path(md: str, max_len: int) -> None:
    from flashcards.interop.html_md import one_line_title

    # A trailing line break sends a one-line text down the general path, same result.
    general = one_line_title(md + "\n", max_len=max_len)
    assert one_line_title(md, max_len=max_len) == general
    assert one_line_title("**Question 1** about *topic_1*?") == "Question 1 about topic1?"
