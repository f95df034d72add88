"""A list straight under a line of text is a list (CommonMark), on every render path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.core.markdown_html import markdown_to_html
from flashcards.core.markdown_lists import separate_lists
from flashcards.core.parser import parse_deck, parse_file
from flashcards.core.render import Side, clear_render_cache, render_card, render_markdown
from flashcards.interop.export_notes import anki_fields, to_html

DECKS = Path(__file__).parents[2] / "decks"
_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S)
_ITEM_LINE = re.compile(r"(?:^|\n)[ \t]*(?:[-*+]|\d+\.)[ \t]")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    clear_render_cache()


def run_on_items(html: str) -> list[str]:
    """Paragraphs holding a line that starts like a list item (a list read as text)."""
    return [p for p in _PARAGRAPH.findall(html) if _ITEM_LINE.search(p)]


def items(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li>(.*?)</li>", html, re.S)]


@pytest.mark.parametrize("marker", ["-", "*", "+"])
def test_bullets_right_after_a_line_of_text_are_a_list(marker: str) -> None:
    html = markdown_to_html(f"Two stores:\n{marker} online\n{marker} offline")
    assert "<p>Two stores:</p>" in html
    assert items(html) == ["online", "offline"]


def test_ordered_list_numbered_one_after_text_is_a_list() -> None:
    html = markdown_to_html("Steps:\n1. split\n2. train\n3. deploy")
    assert "<ol>" in html
    assert items(html) == ["split", "train", "deploy"]


@pytest.mark.parametrize(
    "text",
    [
        "It happened in\n2019. Then it stopped.",  # only `1.` may interrupt a paragraph
        "A line\n-\nand more",  # an empty item may not either
        "Price is\n    - 5 dollars",  # indented 4: paragraph continuation
        "Dashes\n-not-a-bullet",  # no space after the marker
    ],
)
def test_lines_commonmark_keeps_in_the_paragraph_stay_text(text: str) -> None:
    html = markdown_to_html(text)
    assert "<li>" not in html
    assert html.count("<p>") == 1


def test_a_thematic_break_under_text_is_not_an_item() -> None:
    html = markdown_to_html("Above\n* * *\nBelow")
    assert "<li>" not in html
    assert "<hr" in html


def test_items_and_lazy_lines_of_an_existing_list_are_untouched() -> None:
    text = "- aggregation: packs records\n  into one,\n- collection\nstill the second item"
    html = markdown_to_html(text)
    assert items(html) == [
        "aggregation: packs records\n  into one,",
        "collection\nstill the second item",
    ]
    assert "<p>" not in html  # still one tight list


def test_a_list_after_text_after_an_earlier_list_is_found_again() -> None:
    html = markdown_to_html("- a\n\nThen:\n- b\n- c")
    assert html.count("<ul>") == 2
    assert run_on_items(html) == []


def test_code_fences_and_comments_keep_their_lines() -> None:
    text = "Run:\n```\nnote\n- not an item\n```\nSee <!-- hidden\n- nor this -->too"
    html = markdown_to_html(text)
    assert "<li>" not in html
    assert "note\n- not an item" in html


def test_a_list_under_text_inside_a_block_quote() -> None:
    html = markdown_to_html("> Note:\n> - first\n> - second")
    assert "<blockquote" in html
    assert items(html) == ["first", "second"]


def test_leaving_a_quote_for_a_list_ends_the_quote() -> None:
    html = markdown_to_html("> Quoted\n- item")
    assert re.search(r"</blockquote>\s*<ul>", html)


def test_task_lists_clozes_and_links_in_items_after_text() -> None:
    text = "Pick:\n- [ ] {{the first}}\n- [x] [[Other card]]"
    html = markdown_to_html(text)
    assert items(html) == ["[ ] the first", "[x] Other card"]
    assert 'href="card:Other%20card"' in html


def test_choice_cards_still_letter_their_options() -> None:
    source = "## Q\nWhich one?\n- [ ] wrong\n- [x] right\n?\nBecause.\n"
    (note,) = parse_deck(source, path="q.md").deck.notes
    html = render_card(note.cards[0], side=Side.BACK)
    assert "<li>" not in html  # the options are the lettered table, not a list
    assert "wrong" in html and "right" in html


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["", "text", "- item", "1. one", "2. two", "> q", "> - qi", "```", "  cont"]
        ),
        max_size=12,
    )
)
def test_the_pre_pass_only_adds_blank_lines(lines: list[str]) -> None:
    out = separate_lists(lines)
    # Removing the added (blank or bare `>`) lines gives back the input, in order.
    it = iter(out)
    for line in lines:
        for got in it:
            if got == line:
                break
            assert got in ("", ">")
        else:
            pytest.fail(f"line {line!r} lost")
    assert separate_lists(out) == out  # and a second pass finds nothing left to do


@pytest.mark.parametrize(("marker", "tag"), [("-", "ul"), ("*", "ul"), ("1.", "ol")])
def test_the_export_to_anki_agrees(marker: str, tag: str) -> None:
    second = "2." if tag == "ol" else marker
    assert to_html(f"Two stores:\n{marker} online\n{second} offline") == (
        f"<p>Two stores:</p>\n<{tag}>\n<li>online</li>\n<li>offline</li>\n</{tag}>"
    )


def _bundled_files() -> list[Path]:
    files = sorted(DECKS.rglob("*.md"))
    if not files:
        pytest.skip("bundled decks not present")
    return files


def test_no_bundled_card_shows_a_list_as_run_on_text() -> None:
    checked = 0
    found = []
    for file in _bundled_files():
        deck = parse_file(file, root=DECKS).deck
        for note in deck.notes:
            for html in anki_fields(note)[1]:
                found += [(note.title, "anki", p) for p in run_on_items(html)]
            for card in note.cards:
                for side in Side:
                    html = render_card(card, side=side, base_dir=file.parent)
                    found += [(card.title, side.value, p) for p in run_on_items(html)]
                    checked += 1
        # The editor's whole-file preview and the deck description.
        found += [(file.name, "file", p) for p in run_on_items(render_markdown(file.read_text()))]
    assert checked > 1000
    assert found == []
