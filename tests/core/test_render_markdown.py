"""render_markdown: links, images, code highlighting, tables, literal zones."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.core.fast_python import python_highlighter
from flashcards.core.highlight import highlight_code
from flashcards.core.markdown_html import card_href, link_from_href, markdown_to_html
from flashcards.core.model import Link
from flashcards.core.render import clear_render_cache, render_markdown
from flashcards.core.render_theme import CODE_BACKGROUND, CODE_STYLE


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    clear_render_cache()


def test_links_become_card_anchors() -> None:
    html = render_markdown(
        "See [[Gradient descent]], [[Learning rate|the step size]] and "
        "[[ml/optim.md#Adam & friends]]."
    )
    assert '<a style="color:#3d8bfd;" href="card:Gradient%20descent">Gradient descent</a>' in html
    assert 'href="card:Learning%20rate">the step size</a>' in html
    assert 'href="card:ml/optim.md#Adam%20%26%20friends">Adam &amp; friends</a>' in html
    assert "[[" not in html


def test_a_link_to_a_title_with_an_escaped_bar() -> None:
    html = render_markdown("See [[Precision \\| recall]].")
    assert 'href="card:Precision%20%7C%20recall">Precision | recall</a>' in html


def test_link_text_is_not_markdown() -> None:
    html = render_markdown("[[snake_case *names*]]")
    assert ">snake_case *names*</a>" in html
    assert "<em>" not in html


def test_links_inside_code_and_comments_stay_literal() -> None:
    html = render_markdown("`[[not a link]]`\n\n```\n[[nor this]]\n```\n\n<!-- [[hidden]] -->")
    assert "card:" not in html
    assert "[[not a link]]" in html and "[[nor this]]" in html
    assert "hidden" not in html  # comments are dropped


@pytest.mark.parametrize(
    "link",
    [
        Link(target="Plain"),
        Link(target="With spaces & symbols?/#"),
        Link(target="Title", file="deck/sub dir/file.md"),
        Link(target="C# basics", file="lang"),
    ],
)
def test_card_href_round_trips(link: Link) -> None:
    href = card_href(link)
    assert href.startswith("card:") and " " not in href
    assert link_from_href(href) == link


def test_link_from_href_ignores_other_schemes() -> None:
    assert link_from_href("https://example.com") is None


def test_relative_images_resolve_against_base_dir(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "roc curve.png").write_bytes(b"\x89PNG")
    html = render_markdown("![ROC](img/roc%20curve.png)", base_dir=tmp_path)
    expected = (tmp_path / "img" / "roc curve.png").as_uri()
    assert f'src="{expected}"' in html
    assert 'alt="ROC"' in html
    up = render_markdown("![x](../shared/a.png)", base_dir=tmp_path / "img", media_root=tmp_path)
    assert f'src="{(tmp_path / "shared" / "a.png").as_uri()}"' in up
    # Without a library folder to stay in, an image may not leave the deck's own folder.
    alone = render_markdown("![x](../shared/a.png)", base_dir=tmp_path / "img")
    assert "<img" not in alone and ">x<" in alone


def test_absolute_images_are_refused_and_data_images_kept(tmp_path: Path) -> None:
    png = tmp_path / "a.png"
    png.write_bytes(b"\x89PNG")
    html = render_markdown(
        f'![a]({png}) <img src="data:image/png;base64,AAAA" alt="d">',
        base_dir=tmp_path,
        media_root=tmp_path,
    )
    assert "file:" not in html and ">a " in html
    assert 'src="data:image/png;base64,AAAA"' in html


@pytest.mark.parametrize(
    "source",
    [
        "![a cat](https://example.com/cat.png)",
        "![a cat](http://example.com/cat.png)",
        "![a cat](//example.com/cat.png)",
        '<img src="https://example.com/cat.png" alt="a cat">',
        '<img src=" HTTPS://example.com/cat.png" alt="a cat">',
        '<img src="data:image/svg+xml;base64,AAAA" alt="a cat">',
    ],
)
def test_remote_images_are_replaced_by_their_alt_text(source: str, tmp_path: Path) -> None:
    html = render_markdown(source, base_dir=tmp_path)
    assert "<img" not in html
    assert "example.com" not in html
    assert "a cat" in html


def test_python_code_is_highlighted_with_inline_styles_only() -> None:
    source = '```python\ndef f(x: int) -> str:\n    return "a" if x else None  # why\n```'
    html = render_markdown(source)
    assert "class=" not in html
    assert f'bgcolor="{CODE_BACKGROUND}"' in html
    assert '<span style="color: #008000; font-weight: bold">def</span>' in html
    assert '<span style="color: #0000FF">f</span>' in html
    assert 'font-style: italic"># why</span>' in html
    assert "&quot;" not in html and '"a"' in html


@pytest.mark.parametrize("language", ["sql", "bash", "json", "rust"])
def test_other_languages_use_pygments_with_inline_styles(language: str) -> None:
    code = {
        "sql": "SELECT id FROM t WHERE x > 1;",
        "bash": 'echo "$HOME" | grep -v x',
        "json": '{"a": [1, true, null]}',
        "rust": "fn main() { let x: u8 = 1; }",
    }[language]
    html = render_markdown(f"```{language}\n{code}\n```")
    assert "class=" not in html
    assert "<span style=" in html
    assert htmllib.unescape(re.sub(r"<[^>]+>", "", html)).strip() == code


def test_unknown_language_and_indented_code_are_escaped_plain() -> None:
    html = render_markdown("```nosuchlang\na < b && c\n```\n\n    x = <i>1</i>\n")
    assert "a &lt; b &amp;&amp; c" in html
    assert "x = &lt;i&gt;1&lt;/i&gt;" in html
    assert html.count(f'bgcolor="{CODE_BACKGROUND}"') == 4  # two tables, two cells


def test_tables_lists_and_attr_lists() -> None:
    source = "| a | b |\n|---|---|\n| 1 | 2 |\n\n3. three\n4. four\n\nText\n{: .x title='t' }"
    html = render_markdown(source)
    assert '<table style="border-collapse:collapse;' in html and 'border="1"' in html
    assert "<td>1</td>" in html
    assert '<ol start="3">' in html
    assert '<p title="t">Text</p>' in html and "{:" not in html


def test_headings_become_sized_paragraphs() -> None:
    html = render_markdown("### Details\n\ntext")
    assert html.startswith('<div style="font-size:15pt;"><p style="font-size:18pt;')
    assert "<h3" not in html


def test_preview_highlights_every_deletion() -> None:
    html = render_markdown("{{c1::alpha}} and {{beta::hint}}")
    assert html.count("background-color:rgba(250,190,40,0.38)") == 2
    assert "hint" not in html


def test_unclosed_fence_and_cloze_do_not_raise() -> None:
    html = render_markdown("text {{never closed\n\n```python\nx = 1\n")
    assert "{{never closed" in html
    assert "x" in html


def test_empty_text_renders_empty_page() -> None:
    assert markdown_to_html("  \n") == ""


_PY_SAMPLES = [
    'def f(a, *b, **c):\n    """doc"""\n    return a @ b if not c else {1: 2.5e-3j}\n',
    "@decorator.x\nclass A(B, metaclass=M):\n    x: int = 0x1F  # c'\n",
    "s = rb'\\x00' + f\"{x!r:>10}\" + '''multi\nline''' + 'unterminated\n",
    "print(len(self.items), cls, None, True)\n",
]


@pytest.mark.parametrize("code", _PY_SAMPLES)
def test_fast_python_highlighter_is_lossless(code: str) -> None:
    out = python_highlighter(CODE_STYLE)(code)
    assert htmllib.unescape(re.sub(r"<[^>]+>", "", out)) == code


def test_fast_python_highlighter_colours_like_pygments_default() -> None:
    out = highlight_code("class A:\n    def run(self): return True  # x\n", "py")
    assert '<span style="color: #008000; font-weight: bold">class</span>' in out
    assert '<span style="color: #0000FF; font-weight: bold">A</span>' in out
    assert '<span style="color: #0000FF">run</span>' in out
    assert '<span style="color: #008000">self</span>' in out
    assert '<span style="color: #008000; font-weight: bold">True</span>' in out


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_fast_python_highlighter_is_lossless_on_any_text(code: str) -> None:
    out = python_highlighter(CODE_STYLE)(code)
    assert htmllib.unescape(re.sub(r"<[^>]+>", "", out)) == code


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab{}:c1[]|#`~\n <>!-*_()/\\\"'=x&", max_size=120))
def test_render_markdown_never_raises_and_stays_safe(text: str) -> None:
    html = render_markdown(text)
    assert "<script" not in html.lower()
    assert not re.search(r"<[^>]*\son\w+\s*=", html)
