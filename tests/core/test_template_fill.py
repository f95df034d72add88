"""`fill` renders a plain template (text, fields, `{{FrontSide}}`) without `render`'s
walk: it must show exactly what `render` shows, and `note_cards`, which takes it where it
can, must give the cards rendering every side gives."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from flashcards.core.card_templates import (
    CardContext,
    Node,
    Replace,
    Section,
    TemplateError,
    fill,
    is_empty,
    parse_template,
    plain_parts,
    render,
    renders,
    with_expected_answers,
    without_type_marks,
)
from flashcards.core.errors import DeckFormatError
from flashcards.core.notetypes import (
    NoteType,
    TemplateSide,
    empty_card_note,
    note_cards,
    read_fields,
    read_notetypes,
)

FIELDS = ("Front", "Back", "Extra")
_PIECES = st.sampled_from(
    [
        "{{Front}}", "{{Back}}", "{{Extra}}", "{{FrontSide}}", "{{ Front }}", "{{Missing}}",
        "{{Tags}}", "{{Deck}}", "{{Card}}", "{{hint:Back}}", "{{type:Back}}", "{{text:Front}}",
        "{{#Extra}}", "{{/Extra}}", "{{^Back}}", "{{/Back}}", "a", " ", "\n", "\n\n", "\n \n",
        "\n\t\n", "---", "<br>", "é",
    ]
)  # fmt: skip
_TEMPLATE = st.lists(_PIECES, max_size=8).map("".join)
_VALUE = st.lists(
    st.sampled_from(["", " ", "\n", "\n\n\n", "x", "**b**", "<br>", "<div></div>", "Back: y"]),
    max_size=4,
).map("".join)
_FIELD_VALUES = st.fixed_dictionaries({name: _VALUE for name in FIELDS})


def _nodes(text: str) -> tuple[Node, ...] | None:
    try:
        return parse_template(text)
    except TemplateError:
        return None


@settings(max_examples=500, deadline=None)
@given(_TEMPLATE, _FIELD_VALUES, st.none() | _VALUE, st.booleans())
def test_fill_shows_what_render_shows(
    template: str, fields: dict[str, str], frontside: str | None, back: bool
) -> None:
    nodes = _nodes(template)
    if nodes is None:
        return
    parts = plain_parts(nodes, FIELDS)
    if parts is None:
        return
    context = CardContext(("t",), "Deck", "Card 1", "Type")
    expected = render(nodes, fields, context=context, frontside=frontside, back=back)
    assert fill(parts, fields, frontside) == expected


def test_plain_parts_leaves_filters_sections_and_other_names_to_render() -> None:
    assert plain_parts(parse_template("{{Front}} and {{FrontSide}}"), FIELDS) == (
        ("Front",),
        " and ",
        ("FrontSide",),
    )
    for template in ("{{hint:Back}}", "{{#Back}}x{{/Back}}", "{{Tags}}", "{{Missing}}", "{{}}"):
        assert plain_parts(parse_template(template), FIELDS) is None, template
    # a name the fields handed to `fill` lack: `render` says so, `fill` declines
    assert fill((("Front",),), {}) is None


def _every_side_rendered(
    notetype: NoteType, fields: dict[str, str], *, tags: tuple[str, ...], keep: tuple[int, ...]
) -> list[TemplateSide]:
    """`note_cards` as it was written before `fill`: `render` for every side."""
    nonempty = {name for name, value in fields.items() if not is_empty(value)}
    out = []
    for number, template in enumerate(notetype.templates, 1):
        kept = False
        if not renders(template.front_nodes, nonempty):
            if number not in keep:
                continue
            kept = True
        context = CardContext(tags=tags, deck="Deck", card=template.name, notetype=notetype.name)
        front = render(template.front_nodes, fields, context=context)
        if kept:
            front = empty_card_note(template.name, number) + ("\n\n" + front if front else "")
        asks_type = _asks_type(template.back_nodes)
        frontside = without_type_marks(front) if asks_type else with_expected_answers(front, fields)
        back = render(template.back_nodes, fields, context=context, frontside=frontside, back=True)
        out.append(TemplateSide(number, front, back))
    return out


def _asks_type(nodes: tuple[Node, ...]) -> bool:
    for node in nodes:
        if isinstance(node, Replace) and "type" in node.filters:
            return True
        if isinstance(node, Section) and _asks_type(node.children):
            return True
    return False


# Templates a note type accepts (known names, closed sections); a front that names a
# field first (else the note type is refused).
_PART = st.sampled_from(
    ["{{Front}}", "{{Back}}", "{{Extra}}", "{{FrontSide}}", "{{#Extra}}{{Back}}{{/Extra}}"]
    + ["{{^Back}}{{Front}}{{/Back}}", "{{hint:Back}}", "{{type:Back}}", "{{text:Extra}}"]
    + ["{{Tags}}", "{{Deck}}", "a", " ", "\n", "\n\n", "\n \n", "---", "<br>"]
)
_BODY = st.lists(_PART, max_size=6).map("".join)
_FRONT = st.tuples(st.sampled_from(["{{Front}}", "{{Back}}", "{{Extra}}"]), _BODY).map("".join)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_FRONT, _BODY), min_size=1, max_size=3),
    _FIELD_VALUES,
    st.lists(st.integers(1, 4), max_size=2).map(lambda k: tuple(sorted(set(k)))),
)
# a type-in front shown on a plain back: the back's copy of it carries the answer
@example(
    [("{{Front}}{{type:Back}}", "{{FrontSide}}\n\n---\n\n{{Back}}")], dict.fromkeys(FIELDS, "x"), ()
)
# an empty card kept, and a special field
@example(
    [("{{Front}}", "{{Back}}"), ("{{Extra}}", "{{FrontSide}} {{Tags}}")],
    dict.fromkeys(FIELDS, ""),
    (2,),
)
def test_note_cards_are_every_side_rendered(
    templates: list[tuple[str, str]], fields: dict[str, str], keep: tuple[int, ...]
) -> None:
    spec = {
        "vocab": {
            "name": "Vocab",
            "fields": list(FIELDS),
            "templates": [{"front": f, "back": b} for f, b in templates],
        }
    }
    try:
        notetype = read_notetypes({"notetypes": spec}, path="deck.md")["vocab"]
    except DeckFormatError:
        return  # a template that names no field, or cannot be read
    expected = _every_side_rendered(notetype, fields, tags=("a", "b"), keep=keep)
    assert note_cards(notetype, fields, tags=("a", "b"), deck="Deck", keep=keep) == expected


_EMPTYISH = st.lists(
    st.sampled_from(["", " ", "\n", "\t", "\xa0", "\u2003", "<br>", "<BR />", "<div>", "</div>"])
    | st.sampled_from(["x", "<b>", "<br", "<", "div>", "&nbsp;"]),
    max_size=5,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_EMPTYISH)
def test_is_empty_is_ankis_pattern(value: str) -> None:
    """`is_empty` skips the pattern for a value without a tag: the same answer."""
    anki = re.compile(r"^(?:\s|</?(?:br|div) ?/?>)*$", re.I)  # Anki's field_is_empty
    assert is_empty(value) == (not value.strip() or anki.match(value) is not None)


def test_read_fields_reads_one_line_fields_and_refuses_a_first_field_given_twice() -> None:
    spec = {"v": {"fields": ["Word", "Meaning"], "templates": [{"front": "{{Word}}"}]}}
    notetype = read_notetypes({"notetypes": spec}, path="d.md")["v"]

    def read(*body: str) -> dict[str, str]:
        lines = ["## t", *body]
        return read_fields(notetype, lines, lines, 1, len(lines), title="t", path="d.md")

    assert read("Word: w", "Meaning:  m ") == {"Word": "w", "Meaning": "m "}
    assert read("Meaning: \t") == {"Meaning": "", "Word": "t"}  # the title, then none
    assert read("", "  ", "Word: w") == {"Word": "w", "Meaning": ""}  # blank lines lead
    assert read("lead", "", "Meaning:", "", "two", "") == {"Meaning": "two", "Word": "lead"}
    with pytest.raises(DeckFormatError, match="field 'Word' is given twice"):
        read("the word", "Word: again")
