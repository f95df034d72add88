"""Raw HTML in card text: scripts, handlers, javascript: URLs and remote loads removed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.core.render import clear_render_cache, render_markdown
from flashcards.core.sanitize import TagLook, sanitize_html, url_scheme


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    clear_render_cache()


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert('x')</script>",
        "<SCRIPT type='text/javascript'>alert('x')</SCRIPT>",
        "<style>body { display: none }</style>",
        "<iframe src=\"https://evil.example\"><p>alert('x')</p></iframe>",
        "<object data=\"x.swf\">alert('x')</object>",
        '<embed src="x.swf">',
        "<template><b>alert('x')</b></template>",
        "<svg><script>alert('x')</script></svg>",
    ],
)
def test_dangerous_elements_are_dropped_with_their_content(source: str) -> None:
    html = render_markdown(f"before\n\n{source}\n\nafter")
    lowered = html.lower()
    for tag in ("script", "style", "iframe", "object", "embed", "template", "svg"):
        assert f"<{tag}" not in lowered
    assert "alert" not in html
    assert "before" in html and "after" in html


def test_event_handlers_are_stripped_and_safe_tags_kept(tmp_path: Path) -> None:
    html = render_markdown(
        'Some <b onclick="steal()">bold</b> and <span onmouseover=x style="color:red">red</span>'
        '<img src="a.png" onerror="steal()"><sub>2</sub><sup>3</sup><br>',
        base_dir=tmp_path,
    )
    assert "steal" not in html and "onmouseover" not in html
    assert "<b>bold</b>" in html
    assert '<span style="color:red">red</span>' in html
    assert "<sub>2</sub><sup>3</sup><br>" in html
    assert f'<img src="{(tmp_path / "a.png").as_uri()}">' in html


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "&#106;avascript:alert(1)",
        "vbscript:msgbox",
        "data:text/html;base64,PHNjcmlwdD4=",
    ],
)
def test_script_urls_lose_their_href(href: str) -> None:
    html = render_markdown(f'<a href="{href}">click</a> and [md](<{href}>)')
    assert "href" not in html
    assert "click" in html


def test_safe_links_are_kept() -> None:
    html = render_markdown(
        '<a href="https://docs.python.org">docs</a> [mail](mailto:a@b.c) [local](notes/x.md)'
    )
    assert 'href="https://docs.python.org"' in html
    assert 'href="mailto:a@b.c"' in html
    assert 'href="notes/x.md"' in html


@pytest.mark.parametrize(
    "style",
    [
        "background-image: url(https://evil.example/x.png)",
        "background: URL('x.png')",
        "width: expression(alert(1))",
        "color: red; \\62 ackground: url(x)",
    ],
)
def test_styles_that_load_or_run_are_dropped(style: str) -> None:
    html = render_markdown(f'<span style="{style}">t</span>')
    assert "<span>t</span>" in html


def test_background_attributes_and_classes_are_dropped() -> None:
    html = render_markdown(
        '<table background="https://e.example/b.png" class="x"><tr>'
        '<td bgcolor="#ff0000" background="b.png">c</td></tr></table>'
    )
    assert "background=" not in html and "class=" not in html
    assert 'bgcolor="#ff0000"' in html


def test_unknown_tags_are_dropped_but_their_text_kept() -> None:
    html = render_markdown("<custom-box>inside <blink>text</blink></custom-box>")
    assert "inside text" in html
    assert "custom" not in html and "blink" not in html


def test_output_is_balanced() -> None:
    out = sanitize_html("<div><b><i>x</div></span><p>y")
    assert out == "<div><b><i>x</i></b></div><p>y</p>"


def test_look_styles_defaults_and_renames() -> None:
    look = TagLook(
        styles={"h1": "font-size:30pt;"},
        attrs={"table": {"border": "1"}},
        rename={"h1": "p"},
    )
    out = sanitize_html('<h1 style="color:red">T</h1><table border="0"></table>', look=look)
    assert out == '<p style="font-size:30pt;; color:red">T</p><table border="0"></table>'


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("card:Title", "card"),
        ("//host/x.png", "http"),
        (" \tHTTP://x", "http"),
        ("img/a.png", None),
        ("#frag", None),
        ("c:\\x", "c"),
    ],
)
def test_url_scheme(url: str, scheme: str | None) -> None:
    assert url_scheme(url) == scheme


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<script>",
                "</script>",
                "<img src=http://x onerror=a()>",
                '<a href="javascript:a()">',
                "</a>",
                "<b>",
                "</b>",
                "<iframe>",
                "x",
                " on",
                "click=",
                "<",
                ">",
                '"',
                "<!--",
                "-->",
                "<style>",
                "&lt;",
                "<svg onload=a()>",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_no_script_handler_or_remote_load_survives(fragment: str) -> None:
    out = sanitize_html(fragment)
    assert "<script" not in out.lower() and "<iframe" not in out.lower()
    assert not re.search(r"<[^>]*\son\w*\s*=", out)
    # What is left of a broken tag is escaped text, never a tag that loads or runs.
    assert not re.search(r"<[^>]*(?:javascript:|http://)", out)
