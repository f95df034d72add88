"""render_card: sides of basic, reverse, cloze and choice cards; the render cache."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.core.model import Card, CardId, CardKind, Choice, NoteId
from flashcards.core.render import (
    Side,
    clear_render_cache,
    render_cache_info,
    render_card,
    render_markdown,
)
from flashcards.core.render_theme import CLOZE_FILL_STYLE, CLOZE_MASK_STYLE

_TAG = re.compile(r"<[^>]+>")


def text_of(html: str) -> str:
    """The visible text of an HTML fragment (tags dropped, entities kept simple)."""
    return _TAG.sub(" ", html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def card(
    *,
    kind: CardKind = CardKind.BASIC,
    title: str = "Capital of France",
    prompt: str = "Which city?",
    answer: str = "Paris",
    cloze: int | None = None,
    choices: tuple[Choice, ...] = (),
) -> Card:
    return Card(
        id=CardId("abc123"),
        note_id=NoteId("abc123"),
        kind=kind,
        file="geo/europe.md",
        title=title,
        prompt=prompt,
        answer=answer,
        line_start=3,
        line_end=6,
        cloze=cloze,
        choices=choices,
    )


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    clear_render_cache()


def test_basic_front_shows_title_and_prompt_not_answer() -> None:
    html = render_card(card(), side=Side.FRONT)
    assert "Capital of France" in html
    assert "Which city?" in html
    assert "Paris" not in html
    assert "<hr" not in html


def test_basic_back_repeats_front_then_rule_then_answer() -> None:
    html = render_card(card(), side=Side.BACK)
    assert html.index("Capital of France") < html.index("Which city?") < html.index("<hr")
    assert html.index("<hr") < html.index("Paris")


def test_title_is_large_and_bold_and_keeps_a_trailing_hash() -> None:
    html = render_card(card(title="Pattern matching in C#", prompt="?"), side=Side.FRONT)
    assert "Pattern matching in C#" in text_of(html)
    assert re.search(r'<p style="font-size:20pt; font-weight:600;[^"]*">Pattern', html)


def test_title_with_markdown_is_converted() -> None:
    html = render_card(card(title="What does `yield` do?"), side=Side.FRONT)
    assert "<code" in html and "yield" in html and "`" not in html


def test_reverse_front_shows_the_answer_without_the_title() -> None:
    # The parser swaps prompt and answer for the reverse card.
    rev = card(kind=CardKind.REVERSE, prompt="Paris", answer="Which city?")
    front = render_card(rev, side=Side.FRONT)
    assert "Paris" in front
    assert "Capital of France" not in front and "Which city?" not in front
    back = render_card(rev, side=Side.BACK)
    assert back.index("Paris") < back.index("<hr") < back.index("Capital of France")
    assert back.index("Capital of France") < back.index("Which city?")


@pytest.mark.parametrize(
    ("markup", "shown", "hint"),
    [
        ("{{c1::Paris}}", "Paris", None),
        ("{{c1::Paris::a city}}", "Paris", "a city"),
        ("{{Paris}}", "Paris", None),  # unnumbered: the only deletion is number 1
        ("{{Paris::a city}}", "Paris", "a city"),
    ],
)
def test_cloze_every_syntax_masked_on_front_highlighted_on_back(
    markup: str, shown: str, hint: str | None
) -> None:
    c = card(kind=CardKind.CLOZE, prompt=f"The capital is {markup}.", answer="", cloze=1)
    front = render_card(c, side=Side.FRONT)
    assert shown not in front
    label = f"[{hint}]" if hint else "[…]"
    assert f'<span style="{CLOZE_MASK_STYLE}">{label}</span>' in front
    assert "{{" not in front and "}}" not in front
    back = render_card(c, side=Side.BACK)
    assert f'<span style="{CLOZE_FILL_STYLE}">{shown}</span>' in back
    assert "[…]" not in back and "{{" not in back
    assert "<hr" not in back  # a cloze with no extra answer has nothing under a rule


def test_cloze_other_numbers_are_plain_text() -> None:
    prompt = "{{c1::Paris}} is in {{c2::France::country}}; {{c3::Berlin}} is not."
    c = card(kind=CardKind.CLOZE, title="Capitals", prompt=prompt, answer="", cloze=2)
    front = render_card(c, side=Side.FRONT)
    assert "Paris is in" in text_of(front)
    assert "[country]" in front and "France" not in front
    assert "Berlin is not." in text_of(front)
    assert front.count("<span") == 1
    back = render_card(c, side=Side.BACK)
    assert f'<span style="{CLOZE_FILL_STYLE}">France</span>' in back
    assert back.count(CLOZE_FILL_STYLE) == 1


def test_unnumbered_deletions_take_the_next_unused_numbers_in_reading_order() -> None:
    # explicit c1; then `x` is 2 and `z` is 3.
    prompt = "{{x}} then {{c1::y}} then {{z}}"
    second = render_card(
        card(kind=CardKind.CLOZE, prompt=prompt, answer="", cloze=2), side=Side.FRONT
    )
    assert "x" not in text_of(second) and "y" in text_of(second) and "z" in text_of(second)
    third = render_card(
        card(kind=CardKind.CLOZE, prompt=prompt, answer="", cloze=3), side=Side.FRONT
    )
    assert "x" in text_of(third) and "z" not in text_of(third)


def test_cloze_markup_inside_code_is_literal() -> None:
    prompt = "Use {{c1::`dict.get`}}; in Jinja write `{{ name }}`.\n\n```\n{{c1::kept}}\n```"
    c = card(kind=CardKind.CLOZE, prompt=prompt, answer="", cloze=1)
    front = render_card(c, side=Side.FRONT)
    assert "dict.get" not in front
    assert "{{ name }}" in front
    assert "{{c1::kept}}" in front
    back = render_card(c, side=Side.BACK)
    assert re.search(r"<span style=\"[^\"]*\"><code[^>]*>dict\.get</code></span>", back)


def test_cloze_in_title_and_answer_follows_the_asked_number() -> None:
    c = card(
        kind=CardKind.CLOZE,
        title="The {{c1::Seine}} river",
        prompt="It flows through {{c2::Paris}}.",
        answer="Extra: {{c1::Seine}} is 777 km long.",
        cloze=1,
    )
    front = render_card(c, side=Side.FRONT)
    assert "Seine" not in front and "Paris" in front and "777" not in front
    back = render_card(c, side=Side.BACK)
    assert back.count(CLOZE_FILL_STYLE) == 2
    assert back.index("<hr") < back.index("777")


CHOICES = (
    Choice("Accuracy", False),
    Choice("Area under the **precision-recall** curve", True),
    Choice("Recall", True),
    Choice("Mean squared error", False),
)


def choice_card() -> Card:
    return card(
        kind=CardKind.CHOICE,
        title="Metric for rare fraud",
        prompt="Which metrics should you watch?",
        answer="Accuracy is 99.9% for a model that flags nothing.",
        choices=CHOICES,
    )


def test_choice_front_letters_options_and_reveals_nothing() -> None:
    html = render_card(choice_card(), side=Side.FRONT)
    letters = re.findall(r"&nbsp;([A-Z])&nbsp;", html)
    assert letters == ["A", "B", "C", "D"]
    assert "<strong>precision-recall</strong>" in html
    assert "Choose 2." in html
    assert "✓" not in html and "✗" not in html
    assert "99.9%" not in html


def test_choice_back_marks_right_and_wrong_against_the_selection() -> None:
    html = render_card(
        choice_card(), side=Side.BACK, selected=frozenset({0, 2}), reveal_choices=True
    )
    rows = re.findall(r"<tr>.*?</tr>", html, re.DOTALL)
    assert len(rows) == 4
    assert "✗" in rows[0] and "#e5534b" in rows[0]  # picked, wrong
    assert "✓" in rows[1] and "#2ea44f" in rows[1]  # not picked, right
    assert "✓" in rows[2]  # picked, right
    assert "✓" not in rows[3] and "✗" not in rows[3]  # not picked, wrong
    assert CLOZE_MASK_STYLE in rows[0] and CLOZE_MASK_STYLE in rows[2]
    assert CLOZE_MASK_STYLE not in rows[1]
    assert html.index("</table>") < html.index("<hr") < html.index("99.9%")


def test_choice_reveal_on_the_front_when_asked() -> None:
    html = render_card(choice_card(), side=Side.FRONT, selected=frozenset({1}), reveal_choices=True)
    assert html.count("✓") == 2 and "✗" not in html


def test_cache_hits_for_identical_inputs_only() -> None:
    c = card()
    first = render_card(c, side=Side.FRONT)
    assert render_cache_info().hits == 0
    assert render_card(c, side=Side.FRONT) == first
    assert render_cache_info().hits == 1
    render_card(c, side=Side.BACK)
    render_card(card(answer="Lyon"), side=Side.FRONT)  # same front, other card text
    render_card(choice_card(), side=Side.BACK, selected=frozenset({1}))
    render_card(choice_card(), side=Side.BACK, selected=frozenset({2}))
    info = render_cache_info()
    assert info.hits == 1 and info.misses == 5 and info.size == 5
    render_markdown("# Sheet")
    render_markdown("# Sheet")
    assert render_cache_info().hits == 2
    clear_render_cache()
    assert render_cache_info().size == 0 and render_cache_info().hits == 0


def test_cloze_holding_a_link_hides_it_on_the_front_and_links_on_the_back() -> None:
    c = card(kind=CardKind.CLOZE, prompt="Tune {{c1::[[Learning rate|eta]]::a knob}}.", cloze=1)
    front = render_card(c, side=Side.FRONT)
    assert "card:" not in front and "eta" not in front and "[a knob]" in front
    back = render_card(c, side=Side.BACK)
    assert re.search(
        r'<span style="[^"]*"><a [^>]*href="card:Learning%20rate">eta</a></span>', back
    )


def test_cloze_hint_is_shown_as_text_not_markup() -> None:
    c = card(kind=CardKind.CLOZE, prompt="x {{c1::y::<b>*bold*</b> & more}}", cloze=1)
    front = render_card(c, side=Side.FRONT)
    assert "[&lt;b&gt;*bold*&lt;/b&gt; &amp; more]" in front
    assert "<b>" not in front and "<em>" not in front


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet="{}c12:ab|[]#`\n <>!-*x", max_size=80),
    number=st.integers(min_value=1, max_value=3),
    side=st.sampled_from(Side),
)
def test_any_cloze_text_renders_without_error(text: str, number: int, side: Side) -> None:
    c = card(kind=CardKind.CLOZE, title=text[:10], prompt=text, answer=text[::-1], cloze=number)
    html = render_card(c, side=side)
    assert html.startswith("<div") and html.endswith("</div>")
    assert "<script" not in html
