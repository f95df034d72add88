"""Link resolution across a library."""

from __future__ import annotations

from flashcards.core.links import TitleIndex, link_target, parse_link_text, resolve_links
from flashcards.core.model import Deck, Link
from flashcards.core.parser import parse_deck


def deck(path: str, text: str) -> Deck:
    return parse_deck(text, path=path).deck


LIBRARY = [
    deck(
        "ml/modeling.md",
        "## Early stopping {#es0001}\nStop when validation loss rises.\n"
        "## Overfit {#of0001}\nSee [[early   STOPPING]] and [[data#Early stopping|the other]].\n",
    ),
    deck(
        "ml/data.md",
        "## Early stopping {#es0002}\nA data note.\n"
        "## Split {#sp0001}\n[[Early stopping]], [[Missing]], [[C# basics]], `[[In code]]`\n",
    ),
    deck("lang.md", "## C# basics {#cs0001}\nA language.\n"),
]


def test_same_file_first_then_file_prefix() -> None:
    resolved, _ = resolve_links(LIBRARY)
    assert resolved[("of0001", 0)] == "es0001"
    assert resolved[("of0001", 1)] == "es0002"
    assert resolved[("sp0001", 0)] == "es0002"


def test_unresolved_link_is_a_warning() -> None:
    resolved, warnings = resolve_links(LIBRARY)
    assert ("sp0001", 1) not in resolved
    assert [str(w) for w in warnings] == ["ml/data.md:4: link [[Missing]] matches no card"]


def test_hash_in_title_when_no_such_file() -> None:
    resolved, _ = resolve_links(LIBRARY)
    assert resolved[("sp0001", 2)] == "cs0001"


def test_links_in_inline_code_are_not_links() -> None:
    note = LIBRARY[1].notes[1]
    assert [link.target for link in note.links] == ["Early stopping", "Missing", "C# basics"]


def test_link_target_by_path_with_and_without_suffix() -> None:
    index = TitleIndex.build(LIBRARY)
    for file in ("ml/data.md", "ml/data", "data", "ML/Data"):
        link = Link(target="early stopping", file=file)
        assert link_target(link, from_file="lang.md", index=index) == "es0002"


def test_ambiguous_link_warns_and_uses_first_file() -> None:
    other = deck("z.md", "## Q {#q00001}\n[[Early stopping]]\n")
    resolved, warnings = resolve_links([*LIBRARY, other])
    assert resolved[("q00001", 0)] == "es0002"  # ml/data.md sorts before ml/modeling.md
    assert any("matches 2 cards" in w.message for w in warnings)


def test_parsed_links_are_what_parse_link_text_makes() -> None:
    # The parser builds a plain `[[Title]]` link itself (no `|`, no `#`): the same Link.
    text = (
        "# D\n\n## Q {#q1}\nSee [[ Alpha ]], [[b#Beta]], [[#Gamma]], [[C# basics]],\n"
        "[[Delta|the delta]] and [[ ]] and `[[code]]`.\n?\nAnd [[Epsilon]].\n"
    )
    note = parse_deck(text, path="d.md").deck.notes[0]
    expected = [
        parse_link_text(inner, line=line)
        for inner, line in [
            (" Alpha ", 4),
            ("b#Beta", 4),
            ("#Gamma", 4),
            ("C# basics", 4),
            ("Delta|the delta", 5),
            ("Epsilon", 7),
        ]
    ]
    assert list(note.links) == expected
    assert [repr(link) for link in note.links] == [repr(link) for link in expected]


def test_an_escaped_bracket_makes_no_link_and_shows_both() -> None:
    """docs/deck-format.md, Rule 18: `[\\[x]]` and `\\[\\[x]]` are text showing `[[x]]`;
    `\\[[x]]` still holds `[[x]]` and is a link."""
    from flashcards.core.render import render_markdown

    text = "## Q {#q00001}\nif [\\[ -f x ]]; \\[\\[y]] and \\[[Early stopping]]\n"
    (note,) = deck("b.md", text).notes
    assert [link.target for link in note.links] == ["Early stopping"]
    assert "if [[ -f x ]]; [[y]] and " in render_markdown(note.answer)


def test_an_escaped_bar_is_part_of_the_title() -> None:
    assert parse_link_text("Precision \\| recall") == Link(target="Precision | recall")
    assert parse_link_text("Precision \\| recall|shown") == Link(
        target="Precision | recall", text="shown"
    )
    assert parse_link_text("metrics#a \\| b") == Link(target="a | b", file="metrics")
    library = [
        deck(
            "m.md",
            "## Precision | recall {#pr0001}\nx\n## Other {#ot0001}\n[[precision \\| RECALL]]\n",
        )
    ]
    resolved, warnings = resolve_links(library)
    assert resolved[("ot0001", 0)] == "pr0001" and not warnings
    missing = [deck("m.md", "## Other {#ot0001}\n[[a \\| b]]\n")]
    assert [str(w) for w in resolve_links(missing)[1]] == [
        "m.md:2: link [[a \\| b]] matches no card"
    ]
