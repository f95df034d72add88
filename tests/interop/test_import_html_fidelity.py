"""Anki field HTML comes in as Markdown that the review and the export read back as the
same content: tables whose cells hold `|` or a line break, nested lists, literal `[[…]]`,
sub- and superscripts and underlines."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
from anki.collection import Collection as AnkiCollection
from anki_factory import anki_import, export_package
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.collection.collection import Collection
from flashcards.core.parser import parse_deck
from flashcards.core.render import render_markdown
from flashcards.interop.export_notes import to_html
from flashcards.interop.fast_html import fast_markdown
from flashcards.interop.html_convert import slow_markdown
from flashcards.interop.html_md import html_to_markdown, one_line_title

TABLE = (
    "<table><tr><th>Op</th><th>Meaning</th></tr>"
    "<tr><td>a|b</td><td>bitwise or</td></tr>"
    "<tr><td><code>x|y</code></td><td>first<br>second<div>third</div></td></tr></table>"
)
NESTED = (
    "<ul><li>Transport<ol><li>TCP<ul><li>streams</li><li>acks</li></ul></li><li>UDP</li></ol>"
    "</li><li>Network<ul><li>IP</li></ul></li></ul>"
)
BASH = "if [[ -f config.txt ]]; then echo ok; fi; [[x]] <code>[[ -d y ]]</code>"
MARKS = "x<sup>2</sup> + H<sub>2</sub>O, <u>underlined</u>"


def _cells(page: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in rows]
    return [[re.sub(r"<code[^>]*>", "<code>", c) for c in row] for row in cells]


def _list_shape(page: str) -> str:
    """The lists' nesting: their open and close tags in order, nothing else."""
    return "".join(re.findall(r"</?[uo]l>", page))


def test_a_cell_keeps_its_bar_and_its_line_breaks() -> None:
    md = html_to_markdown(TABLE)
    assert "| a\\|b | bitwise or |" in md
    assert "| `x|y` | first<br>second<br>third |" in md
    want = [
        ["Op", "Meaning"],
        ["a|b", "bitwise or"],
        ["<code>x|y</code>", "first<br>second<br>third"],
    ]
    assert _cells(render_markdown(md)) == want  # the review
    assert _cells(to_html(md)) == want  # the export


def test_nested_lists_stay_nested_in_the_review_and_the_export() -> None:
    md = html_to_markdown(NESTED)
    assert md.split("\n") == [
        "- Transport",
        "    1. TCP",
        "        - streams",
        "        - acks",
        "    2. UDP",
        "- Network",
        "    - IP",
    ]
    shape = "<ul><ol><ul></ul></ol><ul></ul></ul>"
    assert _list_shape(render_markdown(md)) == shape
    assert _list_shape(to_html(md)) == shape


def test_literal_double_brackets_are_text_not_links() -> None:
    md = html_to_markdown(BASH)
    assert md == "if [\\[ -f config.txt ]]; then echo ok; fi; [\\[x]] `[[ -d y ]]`"
    assert html_to_markdown("[[[x]]]") == "[\\[\\[x]]]"
    (note,) = parse_deck(f"## Q\n{md}\n", path="d.md").deck.notes
    assert note.links == ()
    page = render_markdown(md)
    assert "if [[ -f config.txt ]]; then echo ok; fi; [[x]]" in page
    assert "[[ -d y ]]</code>" in page
    assert to_html(html_to_markdown("if [[ -f x ]]")) == "if [[ -f x ]]"


def test_sub_sup_and_underline_are_kept_as_inline_html() -> None:
    md = html_to_markdown(MARKS)
    assert md == MARKS
    assert fast_markdown(MARKS) == slow_markdown(MARKS) == MARKS
    assert "x<sup>2</sup> + H<sub>2</sub>O, <u>underlined</u>" in render_markdown(md)
    assert to_html(md) == MARKS
    assert fast_markdown("x<u> a </u>b") == slow_markdown("x<u> a </u>b") == "x <u>a</u> b"


def test_a_no_break_space_between_a_number_and_its_unit_is_kept() -> None:
    source = "5&nbsp;kg, 20&nbsp;% and <b>3&nbsp;m</b>&nbsp;at&nbsp;home <code>5&nbsp;kg</code>"
    md = html_to_markdown(source)
    assert md == "5&nbsp;kg, 20&nbsp;% and **3&nbsp;m** at home `5 kg`"
    assert fast_markdown(source) == slow_markdown(source).strip()
    assert "| 5&nbsp;kg |" in html_to_markdown("<table><tr><td>5&nbsp;kg</td></tr></table>")
    assert to_html(md).startswith("5&nbsp;kg, 20&nbsp;% and <strong>3&nbsp;m</strong>")
    assert one_line_title(html_to_markdown("5&nbsp;kg")) == "5 kg"  # a heading: plain


def test_literal_tag_text_is_escaped_on_both_paths() -> None:
    source = "a &lt;b&gt; c<table><tr><td>&lt;i&gt;</td></tr></table>"
    assert fast_markdown("a &lt;b&gt; c") == "a &lt;b> c"
    assert slow_markdown(source).startswith("a &lt;b> c")
    assert "&lt;i>" in slow_markdown(source)


# Nested lists, ordered and unordered, mixed, up to three levels deep.
_word = st.sampled_from(["a", "b c", "x|y", "é"])


def _items(depth: int) -> st.SearchStrategy[list[tuple[str, object]]]:
    child = st.none() if depth >= 3 else st.none() | st.tuples(st.booleans(), _items(depth + 1))
    return st.lists(st.tuples(_word, child), min_size=1, max_size=3)


def _html_list(ordered: bool, items: list[tuple[str, object]]) -> str:
    tag = "ol" if ordered else "ul"
    inner = "".join(
        f"<li>{word}{_html_list(*child) if isinstance(child, tuple) else ''}</li>"
        for word, child in items
    )
    return f"<{tag}>{inner}</{tag}>"


@settings(max_examples=150, deadline=None)
@given(st.booleans(), _items(1))
def test_any_nesting_renders_as_the_html_had_it(ordered: bool, items: list) -> None:  # type: ignore[type-arg]
    source = _html_list(ordered, items)
    md = html_to_markdown(source)
    assert _list_shape(markdown.markdown(md, extensions=["tables", "sane_lists"])) == (
        _list_shape(source)
    )
    assert _list_shape(to_html(md)) == _list_shape(source)


_cell = st.lists(
    st.sampled_from(["a", "|", "b c", "<br>", "<b>x</b>", "<code>p|q</code>", "&lt;"]),
    min_size=1,
    max_size=4,
).map(" ".join)  # apart: `<code>a</code><code>b</code>` is one code span in any Markdown


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_cell, min_size=2, max_size=2), min_size=1, max_size=3))
def test_any_cell_comes_back_as_the_same_cell(rows: list[list[str]]) -> None:
    head = "<tr><th>h1</th><th>h2</th></tr>"
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    md = html_to_markdown(f"<table>{head}{body}</table>")
    got = _cells(to_html(md))
    assert len(got) == len(rows) + 1 and all(len(row) == 2 for row in got)
    assert _cells(render_markdown(md)) == got
    for row, cells in zip(rows, got[1:], strict=True):
        for source, cell in zip(row, cells, strict=True):
            # the cell's text (bars included) and its breaks are all there
            want = re.sub(r"<[^>]+>", "", source.replace("<br>", "\n")).strip()
            shown = re.sub(r"<[^>]+>", "", cell.replace("<br>", "\n"))
            assert " ".join(shown.split()) == " ".join(want.split())
            # each line of the cell is a line of the source (an empty one aside)
            lines = [ln for ln in cell.split("<br>") if ln.strip()]
            assert len(lines) == len(cell.strip().split("<br>")) if lines else not cell.strip()
            assert len(lines) == len([ln for ln in source.split("<br>") if ln.strip()])


def test_an_anki_package_round_trips_these_fields(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    anki = AnkiCollection(str(tmp_path / "src" / "collection.anki2"))
    basic = anki.models.by_name("Basic")
    deck = anki.decks.id("D")
    for front, back in (("table", TABLE), ("layers", NESTED), ("bash", BASH), ("marks", MARKS)):
        note = anki.new_note(basic)
        note["Front"], note["Back"] = front, back
        anki.add_note(note, deck)
    package = export_package(anki, tmp_path / "in.apkg", layout="anki21b")
    anki.close()
    with Collection.open(tmp_path / "data", seed=False) as col:
        col.import_path(package)
        (deck_file,) = col.library.rglob("*.md")
        parsed = parse_deck(deck_file.read_text(encoding="utf-8"), path="d.md").deck
        assert all(note.links == () for note in parsed.notes)  # so `check` warns of none
        out = tmp_path / "back.apkg"
        col.export(None, out)
    again = anki_import(out, tmp_path / "anki" / "collection.anki2")
    try:
        fields = {}
        for nid in again.find_notes(""):
            read_back = again.get_note(nid)
            fields[read_back["Front"]] = read_back["Back"]
    finally:
        again.close()
    assert _cells(fields["table"])[1] == ["a|b", "bitwise or"]
    assert _cells(fields["table"])[2] == ["<code>x|y</code>", "first<br>second<br>third"]
    assert _list_shape(fields["layers"]) == "<ul><ol><ul></ul></ol><ul></ul></ul>"
    assert "if [[ -f config.txt ]]; then echo ok; fi; [[x]]" in fields["bash"]
    assert "<code>[[ -d y ]]</code>" in fields["bash"]  # in code too
    assert fields["marks"] == MARKS
