"""One test (or more) per rule of docs/deck-format.md, named after the rule."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from flashcards.core.cloze import iter_clozes, mask_cloze
from flashcards.core.errors import DeckFormatError, ExamProfileError
from flashcards.core.exam import load_exam
from flashcards.core.identity import IndexedNote, MatchHow, match_notes
from flashcards.core.ids import assign_ids
from flashcards.core.links import resolve_links
from flashcards.core.model import Card, CardKind, Choice, Deck, Note, NoteId
from flashcards.core.parser import ParseResult, parse_deck, parse_file


def parse(text: str | bytes, path: str = "deck.md") -> ParseResult:
    return parse_deck(text, path=path)


def notes(text: str) -> tuple[Note, ...]:
    return parse(text).deck.notes


def only_card(text: str) -> Card:
    (note,) = notes(text)
    (card,) = note.cards
    return card


def error(text: str | bytes) -> DeckFormatError:
    with pytest.raises(DeckFormatError) as info:
        parse(text)
    return info.value


def messages(text: str) -> list[str]:
    return [w.message for w in parse(text).warnings]


# --- Files ---------------------------------------------------------------------------


def test_rule_1_utf8_with_or_without_bom_lf_or_crlf() -> None:
    text = "## Q\nA\n?\nB\n"
    plain = parse(text).deck
    assert parse(b"\xef\xbb\xbf" + text.encode()).deck == plain
    assert parse(text.replace("\n", "\r\n").encode()).deck == plain


def test_rule_1_lone_cr_is_text_and_lines_are_original() -> None:
    (note,) = notes("a\rb\n\n## Q\nA\r B\n")
    assert note.line_start == 3
    assert note.answer == "A\r B"


def test_rule_1_not_utf8_is_an_error_naming_the_line() -> None:
    err = error(b"## Q\nA\n\xe9t\xe9\n")
    assert err.line == 3
    assert "not UTF-8" in err.message


def test_rule_2_paths_relative_to_library_root(tmp_path: Path) -> None:
    (tmp_path / "aws").mkdir()
    (tmp_path / "aws" / "modeling.md").write_text("## Q\nA\n", encoding="utf-8")
    deck = parse_file(tmp_path / "aws" / "modeling.md", root=tmp_path).deck
    assert deck.file == "aws/modeling.md"
    assert deck.notes[0].cards[0].file == "aws/modeling.md"


# --- Deck level -------------------------------------------------------------------


def test_rule_3_front_matter_fields() -> None:
    deck = parse(
        "---\ntitle: Modeling\ndomain: Modeling\ntags: sagemaker, algorithms\n"
        "exam_weight: high\n...\n## Q\nA\n",
        path="x/modeling.md",
    ).deck
    assert (deck.title, deck.domain) == ("Modeling", "Modeling")
    assert deck.tags == ("sagemaker", "algorithms")
    assert dict(deck.meta) == {"exam_weight": "high"}
    assert deck.notes[0].tags == ()  # deck tags are not copied onto cards


def test_rule_3_default_title_is_humanised_stem() -> None:
    assert parse("## Q\nA\n", path="a/modeling-basics.md").deck.title == "Modeling basics"
    assert parse("---\n---\n## Q\nA\n", path="data_prep.md").deck.title == "Data prep"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("---\ntitle: x\n## Q\nA\n", 1, "never closed"),
        ("---\ntitle: [x\n---\n", 3, "not valid YAML"),
        ("---\n- a\n- b\n---\n", 2, "mapping"),
    ],
)
def test_rule_3_front_matter_errors(text: str, line: int, words: str) -> None:
    err = error(text)
    assert err.line == line
    assert words in err.message


def test_rule_4_description_is_text_before_first_heading() -> None:
    deck = parse("---\ntitle: T\n---\n\nDescribes the deck.\n\n# S\n## Q\nA\n").deck
    assert deck.description == "Describes the deck."


# --- Headings, sections and cards ---------------------------------------------------


def test_rule_5_only_atx_headings_count() -> None:
    deck = parse(
        "## A ##\nx\n   ### B\ny\n#not-a-heading\nTitle\n=====\n    ## indented code\n"
    ).deck
    assert [n.title for n in deck.notes] == ["A", "B"]
    assert deck.notes[1].answer.startswith("y\n#not-a-heading\nTitle\n=====")


def test_rule_6_sections_and_paths() -> None:
    deck = parse("# Deployment\n## Endpoints\n\n### Serverless\nScales to zero.\n# Other\n").deck
    assert [s.title for s in deck.sections] == ["Deployment", "Other"]
    assert deck.sections[0].children[0].title == "Endpoints"
    assert deck.notes[0].section_path == ("Deployment", "Endpoints")
    assert deck.notes[0].cards[0].section_path == ("Deployment", "Endpoints")


def test_rule_6_section_path_closes_at_same_level() -> None:
    deck = parse("# A\n## B\n### c\nx\n## d\ny\n").deck
    assert [n.section_path for n in deck.notes] == [("A", "B"), ("A",)]


def test_rule_7_card_is_heading_with_body_up_to_next_heading() -> None:
    (note,) = notes("## What does lowering eta do?\nEach tree adds less.\n\n\n# Next\n")
    assert note.title == "What does lowering eta do?"
    assert (note.line_start, note.line_end) == (1, 2)
    assert note.answer == "Each tree adds less."
    assert note.prompt == ""


def test_rule_8_heading_without_body_warns() -> None:
    result = parse("## Forgot this one\n## Next card\nBody.\n")
    assert [n.title for n in result.deck.notes] == ["Next card"]
    assert [(w.line, w.message) for w in result.warnings] == [(1, "heading has no body")]


def test_rule_9_question_mark_line_splits_prompt_and_answer() -> None:
    card = only_card("## T\n\nWhat?\n  ?  \n\nThis.\n?\nStill answer.\n")
    assert card.prompt == "What?"
    assert card.answer == "This.\n?\nStill answer."


def test_rule_10_empty_card_warns() -> None:
    assert messages("## A\n?\n## B\nTags: x\n") == ["empty card", "empty card"]
    assert messages("## Commented out\n<!-- the answer\n-->\n") == ["empty card"]
    assert notes("## A\n?\n") == ()


def test_rule_11_attribute_block() -> None:
    (note,) = notes("## Serverless inference {: #k3f9q2 .reverse .other key=v} ##\nA\n")
    assert (note.id, note.title, note.reverse) == ("k3f9q2", "Serverless inference", True)


def test_rule_11_braces_that_are_not_attributes_stay_in_title() -> None:
    assert notes("## Sets {a, b}\nx\n")[0].title == "Sets {a, b}"
    assert notes("## f{#x}\nx\n")[0].title == "f{#x}"  # no space before the block


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("## A {#a:b}\nx\n", "may hold only"),
        ("## A {#a1 #b2}\nx\n", "two ids"),
        ("## A {#abc123}\nx\n## B {#abc123}\ny\n", "already used on line 1"),
    ],
)
def test_rule_12_id_errors(text: str, words: str) -> None:
    assert words in error(text).message


def test_rule_12_card_ids_derive_from_note_id() -> None:
    deck = parse("## A {#aaa111 .reverse}\nx\n## B {#bbb222}\n{{a}} {{b}}\n").deck
    assert [c.id for c in deck.cards] == ["aaa111", "aaa111:r", "bbb222:c1", "bbb222:c2"]
    assert all(c.note_id in ("aaa111", "bbb222") for c in deck.cards)


def test_rule_13_cloze_numbering() -> None:
    (note,) = notes(
        "## Precision and recall\n"
        "Precision = {{TP / (TP + FP)}}; recall = {{c1::TP / (TP + FN)::formula}}.\n"
    )
    assert note.cloze_numbers == (1, 2)
    assert [c.cloze for c in note.cards] == [1, 2]
    assert all(c.kind is CardKind.CLOZE for c in note.cards)
    assert note.cards[0].prompt == (
        "Precision = {{c2::TP / (TP + FP)}}; recall = {{c1::TP / (TP + FN)::formula}}."
    )
    assert note.cards[0].answer == ""


def test_rule_13_cloze_in_heading_and_reading_order() -> None:
    (note,) = notes("## Capital of {{France}}\nIt is {{Paris::city}}.\n?\nExtra {{c5::x}}\n")
    card = note.cards[0]
    assert note.cloze_numbers == (1, 2, 5)
    assert card.title == "Capital of {{c1::France}}"
    assert card.prompt == "It is {{c2::Paris::city}}."
    assert card.answer == "Extra {{c5::x}}"
    heading_only = notes("## The {{answer}}\n")[0]
    assert heading_only.cloze_numbers == (1,)


def test_rule_13_cloze_after_code_keeps_offsets() -> None:
    card = only_card("## Q\n```\n{{no}}\n```\nYes {{a}} and `{{no}}`\n")
    assert card.cloze == 1
    assert card.prompt.endswith("Yes {{c1::a}} and `{{no}}`")


def test_rule_13_an_uppercase_c_is_text_as_in_anki() -> None:
    """Anki's cloze `c` is lowercase: `{{C2::x}}` shows as written and makes no card."""
    (note,) = notes("## Q\n{{c1::x}} and {{C2::upper}} and {{C3::u::hint}}\n")
    assert note.cloze_numbers == (1,)
    (card,) = note.cards
    assert card.prompt == "{{c1::x}} and {{C2::upper}} and {{C3::u::hint}}"
    assert [c.number for c in iter_clozes(card.prompt)] == [1]
    assert "{{C2::upper}}" in mask_cloze(card.prompt, 1)
    plain = notes("## Q\nonly {{C1::up}} here\n")[0]  # no deletion: a basic card
    assert plain.cloze_numbers == () and [c.kind for c in plain.cards] == [CardKind.BASIC]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("## Q\nfine\n\nbroken {{here\n", 4, "never closed"),
        ("## Q\n{{ }}\n", 2, "no text"),
        ("## Q\n{{c0::x}}\n", 2, "start at c1"),
    ],
)
def test_rule_13_cloze_errors(text: str, line: int, words: str) -> None:
    err = error(text)
    assert err.line == line
    assert words in err.message


def test_rule_14_multiple_choice() -> None:
    card = only_card(
        "## Metric for rare fraud\nWhich metric?\n- [ ] Accuracy\n* [X] PR AUC\n"
        "+ [x] Recall\n?\nAccuracy misleads.\n"
    )
    assert card.kind is CardKind.CHOICE
    assert card.choices == (
        Choice("Accuracy", False),
        Choice("PR AUC", True),
        Choice("Recall", True),
    )
    assert card.correct == frozenset({1, 2})
    assert card.prompt == "Which metric?"
    assert card.answer == "Accuracy misleads."


def test_rule_14_task_list_without_x_in_prompt_is_an_error() -> None:
    err = error("## Q\nPick\n- [ ] a\n- [ ] b\n?\nnone\n")
    assert err.line == 3
    assert "no [x]" in err.message


def test_rule_14_without_separator() -> None:
    choice = only_card("## Q\nPick one\n- [ ] a\n- [x] b\n")
    assert choice.kind is CardKind.CHOICE
    assert (choice.prompt, choice.answer) == ("Pick one", "")
    todo = only_card("## Steps\n- [ ] a\n- [ ] b\n")
    assert todo.kind is CardKind.BASIC
    assert todo.answer == "- [ ] a\n- [ ] b"


def test_rule_15_reverse_card() -> None:
    (note,) = notes("## Serverless inference {.reverse}\nScales to zero.\n")
    front, back = note.cards
    assert (front.kind, back.kind) == (CardKind.BASIC, CardKind.REVERSE)
    assert (back.prompt, back.answer) == ("Scales to zero.", "")
    assert back.title == "Serverless inference"


def test_rule_15_reverse_ignored_on_cloze_and_choice() -> None:
    assert messages("## A {.reverse}\n{{x}}\n") == ["{.reverse} is ignored on a cloze card"]
    assert len(notes("## A {.reverse}\n{{x}}\n")[0].cards) == 1


def test_rule_16_tags_line() -> None:
    card = only_card("## Q\nA\n?\nB\nTags: metrics, imbalance  rare\n\n")
    assert card.tags == ("metrics", "imbalance", "rare")
    assert card.answer == "B"
    # Not the last line, wrong case, or in code: just text.
    assert only_card("## Q\nTags: x\nmore\n").tags == ()
    assert only_card("## Q\ntags: x\n").tags == ()
    assert only_card("## Q\n`Tags: x`\n").tags == ()


# --- Text --------------------------------------------------------------------------


def test_rule_17_literal_zones_hide_syntax() -> None:
    text = (
        "## Python comments\n"
        "````python\n# not a heading\n?\n{{not a cloze}}\n```\nstill code\n````\n"
        "~~~\n- [x] not a choice\n~~~\n"
        "Inline ``[[not a link]] ` `` and <!-- {{not a cloze}}\n## nor a heading -->\n"
    )
    (note,) = notes(text)
    (card,) = note.cards
    assert card.kind is CardKind.BASIC
    assert note.links == ()
    assert card.prompt == ""
    assert "# not a heading" in card.answer


def test_rule_17_unclosed_fence_is_an_error() -> None:
    err = error("## Q\nA\n```python\ncode\n``\n")
    assert err.line == 3
    assert "never closed" in err.message


def test_rule_17_unclosed_comment_warns_and_hides_the_rest() -> None:
    result = parse("## Q\nA <!-- oops\n## Hidden\nB\n")
    assert [n.title for n in result.deck.notes] == ["Q"]
    assert any("comment" in w.message for w in result.warnings)


def test_rule_17_unmatched_backtick_is_text() -> None:
    (note,) = notes("## Q\na ` b [[Link]]\n")
    assert [link.target for link in note.links] == ["Link"]


def test_rule_18_links_and_resolution() -> None:
    a = parse(
        "## Early stopping {#es0001}\nStop.\n"
        "## Q {#q00001}\n[[early  STOPPING]], [[data#Split|the split]], [[Missing]]\n",
        path="ml/modeling.md",
    ).deck
    b = parse("## Split {#sp0001}\nx\n## Early stopping {#es0002}\ny\n", path="ml/data.md").deck
    links = a.notes[1].links
    assert [(lk.target, lk.file, lk.text, lk.line) for lk in links] == [
        ("early  STOPPING", None, None, 4),
        ("Split", "data", "the split", 4),
        ("Missing", None, None, 4),
    ]
    resolved, warnings = resolve_links([a, b])
    assert resolved[(NoteId("q00001"), 0)] == "es0001"  # same file first
    assert resolved[(NoteId("q00001"), 1)] == "sp0001"
    assert [str(w) for w in warnings] == ["ml/modeling.md:4: link [[Missing]] matches no card"]


def test_rule_19_media_paths_kept_as_written() -> None:
    card = only_card("## Q\n![Confusion matrix](img/confusion.png)\n")
    assert card.answer == "![Confusion matrix](img/confusion.png)"


# --- Ids and identity ----------------------------------------------------------------


def test_rule_20_id_write_back_touches_only_heading_lines() -> None:
    data = b"## A {.reverse}\r\nx  \r\n## B ##\ny\n## C  \nz"
    out = assign_ids(data, parse(data), taken=set())
    assert out.data is not None
    before, after = data.split(b"\n"), out.data.split(b"\n")
    assert [i for i, (x, y) in enumerate(zip(before, after, strict=True)) if x != y] == [0, 2, 4]
    ids = list(out.assigned.values())
    assert after[0] == f"## A {{#{ids[0]} .reverse}}\r".encode()
    assert after[2] == f"## B {{#{ids[1]}}} ##".encode()
    assert after[4] == f"## C {{#{ids[2]}}}  ".encode()
    assert after[-1] == b"z"


def test_rule_21_duplicate_across_library_gets_new_id() -> None:
    data = b"## Copy {#abc123}\nx\n"
    out = assign_ids(data, parse(data), taken={"abc123"})
    assert [(line, old) for line, old, _ in out.renamed] == [(1, "abc123")]
    assert b"abc123" not in (out.data or b"")


def test_rule_22_identity_through_edits() -> None:
    old_text = (
        "## Learning rate {#lr0001}\nStep size.\n## Batch size {#bs0001}\nExamples per step.\n"
    )
    old = [IndexedNote.from_note(n) for n in notes(old_text)]
    edited = "## Learning rate\nThe step size.\n## Mini-batch size\nExamples per step.\n## New\nx\n"
    got = [(m.old_id, m.how) for m in match_notes(old, notes(edited))]
    assert got == [("lr0001", MatchHow.TITLE), ("bs0001", MatchHow.TEXT), (None, MatchHow.NEW)]


def test_rule_23_content_hash_ignores_id_only() -> None:
    a, b, c = (notes(t)[0].content_hash for t in ("## Q\nA\n", "## Q {#abc123}\nA\n", "## Q\nB\n"))
    assert a == b != c


def test_rule_24_exam_profile(tmp_path: Path) -> None:
    path = tmp_path / "exam.toml"
    path.write_text(
        'name = "Exam"\nquestions = 65\nminutes = 180\n'
        "score = { min = 100, max = 1000, pass = 750 }\n"
        '[[domains]]\nname = "A"\nweight = 0.2\n[[domains]]\nname = "B"\nweight = 0.8\n',
        encoding="utf-8",
    )
    exam = load_exam(path)
    assert (exam.questions, exam.minutes, exam.score_pass) == (65, 180, 750)
    assert [d.name for d in exam.domains] == ["A", "B"]
    path.write_text(path.read_text(encoding="utf-8").replace("0.8", "0.5"), encoding="utf-8")
    with pytest.raises(ExamProfileError, match="exam.toml"):
        load_exam(path)


# --- Layering ------------------------------------------------------------------------

CORE = Path(__file__).parents[2] / "flashcards" / "core"


@pytest.mark.parametrize("source", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_core_modules_import_no_qt_or_sqlalchemy(source: Path) -> None:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    roots = {name.split(".")[0] for name in imported}
    assert not roots & {"PySide6", "PyQt6", "shiboken6", "sqlalchemy"}


def test_deck_value_is_plain() -> None:
    deck = parse("## Q\nA\n").deck
    assert isinstance(deck, Deck)
    # Cards built by the parser equal cards built by their constructor.
    card = deck.cards[0]
    assert Card(**card.__dict__) == card
    note = deck.notes[0]
    assert Note(**note.__dict__) == note


def test_rule_6_section_prose_belongs_to_no_card() -> None:
    result = parse("# Section\nIntro prose.\n## Q\nA\n")
    assert [n.title for n in result.deck.notes] == ["Q"]
    assert "Intro prose." not in result.deck.notes[0].answer
    assert result.warnings == ()


def test_rule_7_card_with_deeper_headings_stays_a_card() -> None:
    deck = parse("# S\n## Parent\nBody.\n### Child\nMore.\n").deck
    assert [(n.title, n.section_path) for n in deck.notes] == [
        ("Parent", ("S",)),
        ("Child", ("S",)),
    ]


# -- Note types (rules 25-28) --------------------------------------------------------------

NOTETYPE_DECK = """\
---
title: French
notetypes:
  vocab:
    name: Basic (+IPA)
    fields: [Word, IPA, Meaning, Hint]
    templates:
      - name: Recognise
        front: "{{Word}}"
        back: "{{FrontSide}}\\n\\n---\\n\\n{{IPA}}\\n\\n{{Meaning}}"
      - name: Recall
        front: "{{Meaning}}\\n\\n{{hint:Hint}}"
        back: "{{FrontSide}}\\n\\n---\\n\\n{{Word}}"
      - name: Pronounce
        front: "{{#IPA}}Say it: {{IPA}}{{/IPA}}"
        back: "{{FrontSide}}\\n\\n---\\n\\n{{Word}}"
---
"""


def test_rule_25_notetypes_are_declared_in_the_front_matter() -> None:
    deck = parse(NOTETYPE_DECK).deck
    vocab = deck.notetypes["vocab"]
    assert vocab.name == "Basic (+IPA)" and vocab.fields == ("Word", "IPA", "Meaning", "Hint")
    assert [t.name for t in vocab.templates] == ["Recognise", "Recall", "Pronounce"]
    assert "notetypes" in deck.meta  # kept as written, too
    bad = {
        "fields: []\n    templates: [{front: '{{A}}'}]": "'fields' must be a list",
        "fields: [A, A]\n    templates: [{front: '{{A}}'}]": "two fields have the same name",
        "fields: [A]\n    templates: [{front: '{{#A}}x'}]": "never closed",
        "fields: [A]\n    templates: [{front: 'only text'}]": "names no field",
        "fields: [A]\n    templates: [{front: '{{A}}', back: '{{B}}'}]": "unknown fields: B",
    }
    for spec, message in bad.items():
        text = f"---\nnotetypes:\n  t:\n    {spec}\n---\n## Q {{notetype=t}}\nA: x\n"
        with pytest.raises(DeckFormatError, match=message) as caught:
            parse(text)
        assert caught.value.line == 3  # the note type's key


def test_rule_25_a_field_may_take_a_special_name_and_wins_over_it() -> None:
    """As in Anki (its renderer adds Type, Tags, Deck… only where the note has no such
    field): a field named so shows itself; `{{FrontSide}}` is always the question."""
    text = (
        "---\ntitle: French\nnotetypes:\n  v:\n    name: Vocab\n"
        "    fields: [Word, Type, Tags, Deck, Card, Subdeck]\n"
        "    templates:\n      - name: One\n        front: '{{Word}}'\n"
        "        back: '{{FrontSide}} {{Type}}/{{Tags}}/{{Deck}}/{{Card}}/{{Subdeck}}'\n"
        "      - name: Two\n        front: '{{#Type}}{{Type}}{{/Type}}'\n"
        "        back: '{{Word}}'\n"
        "---\n"
        "## chien {#c1 notetype=v}\nType: noun\nTags:\nanimal\nDeck: A1\n\nTags: french\n"
        "\n## vite {#c2 notetype=v}\n"
    )
    chien, vite = parse(text).deck.notes
    assert chien.tags == ("french",)
    assert [c.answer for c in chien.cards] == ["chien noun/animal/A1//", "chien"]
    assert [c.answer for c in vite.cards] == ["vite ////"]  # empty fields; no card Two


def test_rule_26_a_note_names_its_notetype_and_writes_its_fields_once() -> None:
    text = NOTETYPE_DECK + (
        "\n## maison {#k3f9q2 notetype=vocab}\nIPA: /mɛ.zɔ̃/\nMeaning: house\n"
        "Hint:\nfeminine\n\n- la maison\nTags: french\n"
        "\n## chat {#c4t000 notetype=vocab}\nMeaning: cat\n"
        "\n## Long title {#lng000 notetype=vocab}\nThe first field, written below\n"
        "Meaning: x\n"
        "\n## alone {#aln000 notetype=vocab}\n"
        "\n## code {#cod000 notetype=vocab}\nMeaning:\n```\nIPA: not a field\n```\n"
        "Hint: Word&#58; a colon\n"
    )
    notes = {n.id: n for n in parse(text).deck.notes}
    maison = notes["k3f9q2"]
    assert maison.notetype == "vocab" and maison.tags == ("french",)
    assert dict(maison.fields) == {
        "Word": "maison",  # the title
        "IPA": "/mɛ.zɔ̃/",
        "Meaning": "house",
        "Hint": "feminine\n\n- la maison",
    }
    assert dict(notes["c4t000"].fields)["IPA"] == ""
    assert dict(notes["lng000"].fields)["Word"] == "The first field, written below"
    assert dict(notes["aln000"].fields)["Word"] == "alone"  # a body is not needed
    code = dict(notes["cod000"].fields)
    assert code["Meaning"] == "```\nIPA: not a field\n```" and code["IPA"] == ""
    assert code["Hint"] == "Word&#58; a colon"
    with pytest.raises(DeckFormatError, match="note type 'nope' is not declared") as caught:
        parse(NOTETYPE_DECK + "\n## Q {notetype=nope}\nx\n")
    assert caught.value.line == 19  # the heading
    with pytest.raises(DeckFormatError, match="field 'Meaning' is given twice"):
        parse(NOTETYPE_DECK + "\n## Q {notetype=vocab}\nMeaning: a\nMeaning: b\n")


def test_rule_27_each_template_whose_front_shows_a_field_makes_a_card() -> None:
    text = NOTETYPE_DECK + (
        "\n## maison {#k3f9q2 notetype=vocab}\nIPA: /mɛ.zɔ̃/\nMeaning: house\n"
        "\n## chat {#c4t000 notetype=vocab}\nMeaning: cat\nIPA: <br>\n"
        "\n## nothing {#nth000 notetype=vocab}\nWord:\n"
    )
    result = parse(text)
    notes = {n.id: n for n in result.deck.notes}
    maison = notes["k3f9q2"]
    assert [c.id for c in maison.cards] == ["k3f9q2", "k3f9q2:t2", "k3f9q2:t3"]
    assert {c.kind for c in maison.cards} == {CardKind.TEMPLATE}
    assert {c.note_id for c in maison.cards} == {"k3f9q2"}  # siblings
    # An empty IPA (`<br>` is empty, as in Anki) turns the conditional template off.
    assert [c.id for c in notes["c4t000"].cards] == ["c4t000", "c4t000:t2"]
    assert "nth000" not in notes
    assert [w.message for w in result.warnings] == [
        "note type 'vocab' gives no card: every front is empty"
    ]
    # The note type is part of each note's content hash: editing a template changes it.
    edited = parse(text.replace("Say it: ", "Say: ")).deck.notes[0]
    assert edited.content_hash != maison.content_hash


def test_rule_27_keep_makes_the_empty_cards_anki_kept() -> None:
    text = NOTETYPE_DECK + (
        "\n## chat {#c4t000 notetype=vocab keep=3,9}\nMeaning: cat\n"
        "\n## nothing {#nth000 notetype=vocab keep=1}\nWord:\n"
    )
    result = parse(text)
    notes = {n.id: n for n in result.deck.notes}
    chat = notes["c4t000"]
    assert [c.id for c in chat.cards] == ["c4t000", "c4t000:t2", "c4t000:t3"]
    kept = chat.cards[2]
    assert kept.prompt.startswith("*(An empty card: template 3, “Pronounce”")
    assert "remove 3 from `keep=`" in kept.prompt and kept.answer.endswith("chat")
    assert "An empty card" not in chat.cards[0].prompt  # the cards that render are as ever
    # A note with only empty fronts stays, with the card it keeps.
    assert [c.id for c in notes["nth000"].cards] == ["nth000"]
    assert [(w.line, w.message) for w in result.warnings] == [
        (19, "keep=9: note type 'vocab' has 3 template(s)")
    ]
    # keep= is part of the note's content hash: the cards follow its edits.
    unkept = parse(text.replace(" keep=3,9", "")).deck.notes[0]
    assert unkept.content_hash != chat.content_hash
    for bad in ("keep=x", "keep=0", "keep=2,", "keep=²"):
        with pytest.raises(DeckFormatError, match="template numbers from 1") as caught:
            parse(NOTETYPE_DECK + f"\n## Q {{notetype=vocab {bad}}}\nMeaning: a\n")
        assert caught.value.line == 19


def test_rule_28_a_card_shows_what_its_template_shows() -> None:
    text = (
        "---\nnotetypes:\n  t:\n    fields: [Word, Reading, Meaning, Notes]\n    templates:\n"
        "      - front: '{{furigana:Reading}} {{text:Meaning}}'\n"
        '        back: "{{FrontSide}}\\n\\n{{kanji:Reading}}|{{kana:Reading}}|{{Tags}}|{{Card}}"\n'
        "      - name: Type it\n"
        '        front: "{{Meaning}}\\n\\n{{type:Word}}{{hint:Notes}}"\n'
        '        back: "{{FrontSide}}\\n\\n---\\n\\n{{type:Word}}"\n'
        "---\n"
        "## 日本 {#jp0000 notetype=t}\nReading: 日本[にほん]\nMeaning: <b>Japan</b>\n"
        "Notes: an island\nTags: geo\n"
    )
    first, second = parse(text).deck.notes[0].cards
    assert first.prompt == "日本(にほん) Japan"
    assert first.answer == "日本(にほん) Japan\n\n日本|にほん|geo|Card 1"
    assert second.prompt == (
        "<b>Japan</b>\n\n<!--fc:type Word--><!--fc:hint Notes-->an island<!--fc:/hint-->"
    )
    # The back shows the front (without its answer box) and the expected answer.
    assert second.answer.endswith("---\n\n<!--fc:type Word-->日本<!--fc:/type-->")
    assert "<!--fc:type Word--><!--fc:hint" not in second.answer


def test_rule_3_front_matter_refuses_yaml_aliases() -> None:
    # QA repro 1: nested aliases ("billion laughs") expand to gigabytes; none is loaded.
    text = '---\na: &a ["lol", "lol"]\nb: &b [*a, *a]\ntitle: *b\n---\n## Q\nA\n'
    err = error(text)
    assert (err.path, err.line) == ("deck.md", 3)
    assert "alias" in err.message
    assert error("---\nbase: &b {x: 1}\nother:\n  <<: *b\n---\n## Q\nA\n").line == 4


def test_rule_3_front_matter_anchor_without_alias_and_star_in_text_load() -> None:
    deck = parse('---\ntitle: &t "5 * 3 = *fifteen*"\ndomain: a*b\n---\n## Q\nA\n').deck
    assert (deck.title, deck.domain) == ("5 * 3 = *fifteen*", "a*b")


def test_rule_3_billion_laughs_is_refused_before_expansion() -> None:
    levels = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 6):  # 5 levels: a 4 MB title before; 9 levels took > 18 GB
        levels.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    text = "---\n" + "\n".join(levels) + "\ntitle: *a5\n---\n## Q\nA\n"
    assert error(text).line == 3
