"""HTML -> Markdown: the fast path agrees with markdownify; structure is escaped."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.interop.fast_html import fast_markdown
from flashcards.interop.html_convert import slow_markdown
from flashcards.interop.html_md import html_to_markdown, one_line_title, safe_name

# Words with inner spaces: whitespace-only text nodes are where the two converters
# legitimately differ (and html_to_markdown strips them anyway).
_text = st.from_regex(r"[abcé_*&<>]([abcé_*&<> \n]{0,4}[abcé_*&<>])?", fullmatch=True).map(
    lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
)


def _html(depth: int = 0) -> st.SearchStrategy[str]:
    leaves = st.one_of(
        _text,
        st.just("<br>"),
        st.just('<img src="a b.png" alt="x">'),
    )
    if depth >= 2:
        return leaves
    # Siblings apart: `<i>a</i><i>b</i>` gives `*a**b*`, which no Markdown reads one way.
    inner = st.lists(_html(depth + 1), max_size=3).map(" ".join)
    tags = st.sampled_from(
        ["b", "i", "strong", "em", "span", "u", "sub", "sup", 'a href="http://e.x/y_z"']
    )
    wrapped = st.tuples(tags, inner).map(lambda p: f"<{p[0]}>{p[1]}</{p[0].split()[0]}>")
    code = _text.map(lambda t: f"<code>{t}</code>")
    return st.one_of(leaves, wrapped, code)


_list = st.tuples(
    st.sampled_from(["ul", "ol"]),
    st.lists(_html(1), min_size=1, max_size=3),
    st.sampled_from(["", "\n", " "]),
).map(lambda p: f"<{p[0]}>" + p[2].join(f"<li>{item}</li>" for item in p[1]) + f"</{p[0]}>")

_field = st.lists(
    st.one_of(
        _html(),
        _html().map(lambda h: f"<div>{h}</div>"),
        _html().map(lambda h: f"<p>{h}</p>"),
        _list,
    ),
    max_size=4,
).map("".join)


def _render(md: str) -> str:
    # html_to_markdown turns no-break spaces into spaces before anything else sees them
    html = re.sub(r"\s+", " ", markdown.markdown(md.replace("\xa0", " ")))
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", html).strip()


def _agrees(source: str) -> bool:
    fast = fast_markdown(source)
    if fast is None:
        return False
    slow = slow_markdown(source)
    return _render(fast) == _render(slow)


@settings(max_examples=300, deadline=None)
@given(_field)
def test_fast_path_renders_like_markdownify(source: str) -> None:
    assert _agrees(source)


def test_fast_path_declines_what_it_does_not_know() -> None:
    assert fast_markdown("<ul><li>a<ul><li>b</li></ul></li></ul>") is None
    assert fast_markdown("<table><tr><td>1</td></tr></table>") is None
    assert fast_markdown("<b>unclosed") is None
    assert fast_markdown("<div><b>a</div></b>") is None


def test_lists_tables_code_and_images_survive() -> None:
    md = html_to_markdown(
        "<ul><li>one</li><li>two</li></ul><table><tr><th>a</th></tr><tr><td>1</td></tr></table>"
        "<pre><code>x = 1\ny = 2</code></pre><img src='p.png'>"
    )
    assert "- one\n- two" in md
    assert "| a |\n| --- |\n| 1 |" in md
    assert "```\nx = 1\ny = 2\n```" in md
    assert "![](p.png)" in md


def test_deck_structure_inside_a_field_is_escaped() -> None:
    md = html_to_markdown("<h2>Heading</h2><div>?</div><div>Tags: x</div>")
    assert md.split("\n\n") == ["\\## Heading", "&#63;", "Tags&#58; x"]
    shown = html.unescape(markdown.markdown(md))  # what a reader sees
    assert shown == "<p>## Heading</p>\n<p>?</p>\n<p>Tags: x</p>"
    # A task list from Anki is text, not a multiple-choice question.
    assert html_to_markdown("<ul><li>[ ] a</li><li>[x] b</li></ul>") == "- \\[ ] a\n- \\[x] b"


def test_literal_braces_are_not_clozes_unless_allowed() -> None:
    assert html_to_markdown("a {{b}}") == "a &#123;{b}}"
    assert html_to_markdown("{{c1::b}}", allow_cloze=True) == "{{c1::b}}"


def test_media_references_are_renamed() -> None:
    md = html_to_markdown(
        '<img src="caf%C3%A9.jpg"> [sound:a b.mp3]', rename=lambda n: f"media/{n}!"
    )
    assert "![](media/café.jpg!)" in md and "[🔊 a b.mp3](media/a b.mp3!)" in md


def test_safe_names_and_titles() -> None:
    assert safe_name("café é.jpg") == "café_é.jpg"
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name('a:b*c?"d<e>|f.png') == "a_b_c_d_e_f.png"
    assert one_line_title("**Bold** ![](x.png)\nsecond line") == "Bold"
    assert one_line_title("word " * 40).endswith("…")
    assert one_line_title("![](only.png)") == "Untitled"


_MD_PIECES = st.sampled_from(
    ["a", "b", " ", "  ", "\n", "\n\n", "*", "**", "\\*", "x y", "1", ".", "?", "é", '"', "-", "/"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_MD_PIECES, max_size=14).map("".join))
def test_inline_export_path_matches_python_markdown(text: str) -> None:
    from flashcards.interop.export_notes import _converter
    from flashcards.interop.fast_markdown import simple_html

    text = text.strip()
    fast = simple_html(text) if text else None
    if fast is None:
        return
    assert fast == _converter().reset().convert(text)  # python-markdown as the export has it


def test_inline_export_path_takes_common_fields() -> None:
    from flashcards.interop.export_notes import to_html
    from flashcards.interop.fast_markdown import simple_html

    assert to_html("**Question 1** about *topic 1*?") == (
        "<strong>Question 1</strong> about <em>topic 1</em>?"
    )
    assert simple_html("- a\n  - nested") is None
    assert simple_html("a ```code``` span") is None


@pytest.mark.parametrize(
    ("md", "title"),
    [
        ("-1 is the answer?", "-1 is the answer?"),  # a sign, not a list bullet
        ("\\-1 is the answer?", "-1 is the answer?"),
        ("+5 V is the rail", "+5 V is the rail"),
        ("- a bullet", "a bullet"),
        ("* a bullet", "a bullet"),
        ("> a quote", "a quote"),
        ("## a heading", "a heading"),
        ("---\nafter a rule", "after a rule"),
    ],
)
def test_a_title_keeps_a_leading_sign_and_drops_block_marks(md: str, title: str) -> None:
    assert one_line_title(md) == title


def test_a_csv_front_starting_with_a_minus_keeps_it_in_its_title(tmp_path: Path) -> None:
    from flashcards.core.parser import parse_deck
    from flashcards.interop.text_import import read_text_file

    source = tmp_path / "signs.csv"
    source.write_text("-1 is the answer?,yes\n+5 V rail?,no\n", encoding="utf-8")
    bundle = read_text_file(source)
    titles = [
        n.title for p, t in sorted(bundle.decks.items()) for n in parse_deck(t, path=p).deck.notes
    ]
    assert titles == ["-1 is the answer?", "+5 V rail?"]
