"""Anki text files: header lines, quoting, sniffed separators, plain two-column files."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashcards.core.errors import InteropError
from flashcards.core.model import Note
from flashcards.core.parser import parse_deck
from flashcards.interop.anki_notes import note_id_for_guid
from flashcards.interop.csv_layout import ColumnRole, CsvOptions, parse_roles, preview
from flashcards.interop.text_import import read_text_file


def _notes(path: Path, text: str) -> dict[str, list[Note]]:
    path.write_text(text, encoding="utf-8")
    bundle = read_text_file(path)
    return {p: list(parse_deck(t, path=p).deck.notes) for p, t in bundle.decks.items()}


@pytest.mark.parametrize(
    ("separator", "char"),
    [
        ("Comma", ","),
        ("Semicolon", ";"),
        ("Tab", "\t"),
        ("Pipe", "|"),
        ("Colon", ":"),
        ("Space", " "),
        ("~", "~"),
    ],
)
def test_separator_names_and_literals(separator: str, char: str, tmp_path: Path) -> None:
    decks = _notes(
        tmp_path / "words.txt", f"#separator:{separator}\nchat{char}cat\nchien{char}dog\n"
    )
    notes = decks["words.md"]
    assert [(n.title, n.answer) for n in notes] == [("chat", "cat"), ("chien", "dog")]


@pytest.mark.parametrize("char", ["\t", ";", "|", ","])
def test_plain_two_column_file_is_sniffed(char: str, tmp_path: Path) -> None:
    decks = _notes(tmp_path / "plain.csv", f"What is 2+2?{char}4\nCapital of France{char}Paris\n")
    assert [(n.title, n.answer) for n in decks["plain.md"]] == [
        ("What is 2+2?", "4"),
        ("Capital of France", "Paris"),
    ]


def test_quoting_html_tags_columns_and_deck(tmp_path: Path) -> None:
    text = (
        "#separator:Semicolon\n#html:true\n#tags:imported\n#columns:Front;Back;Tags\n"
        "#tags column:3\n#deck:Vocab::FR\n"
        '"un; deux <b>trois</b>";"line one<br>line two";t1 t2\n'
    )
    decks = _notes(tmp_path / "t.csv", text)
    (note,) = decks["vocab/fr.md"]
    assert note.title == "un; deux trois"
    assert note.prompt == "un; deux **trois**"
    assert note.answer == "line one  \nline two"
    assert note.tags == ("imported", "t1", "t2")


def test_html_false_keeps_text_and_neutralises_braces(tmp_path: Path) -> None:
    decks = _notes(tmp_path / "t.tsv", "#separator:Tab\n#html:false\na <b>b</b>\tuse {{x}} here\n")
    (note,) = decks["t.md"]
    assert note.answer == "use &#123;{x}} here" and note.cloze_numbers == ()


def test_notetype_deck_guid_columns(tmp_path: Path) -> None:
    text = (
        "#separator:Comma\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n"
        "abc123,Basic (and reversed card),Lang::DE,Hund,dog\n"
        "Xy^z!,Cloze,Lang::DE,{{c1::Berlin::city}} is big,extra\n"
        "def456,Basic (optional reversed card),Other,Katze,cat,\n"
    )
    decks = _notes(tmp_path / "n.csv", text)
    de = {n.id: n for n in decks["lang/de.md"]}
    assert de["abc123"].reverse
    cloze = de[note_id_for_guid("Xy^z!")]
    assert cloze.cloze_numbers == (1,) and cloze.answer == "extra"
    (other,) = decks["other.md"]
    assert other.id == "def456" and not other.reverse


def test_extra_fields_keep_their_column_names(tmp_path: Path) -> None:
    decks = _notes(
        tmp_path / "v.csv",
        "#separator:Comma\n#columns:Word,Meaning,Example\nmaison,house,la maison\n",
    )
    (note,) = decks["v.md"]
    assert note.answer == "**Meaning:**\nhouse\n\n**Example:**\nla maison"


def test_rows_without_guid_get_stable_ids(tmp_path: Path) -> None:
    first = _notes(tmp_path / "a.csv", "chat,cat\nchien,dog\n")
    second = _notes(tmp_path / "a.csv", "chien,dog!\nchat,cat\n")
    assert {n.id for n in first["a.md"]} == {n.id for n in second["a.md"]}


def test_bad_column_number(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("#separator:Comma\n#deck column:zero\na,b\n", encoding="utf-8")
    with pytest.raises(InteropError, match="bad.csv:2: column number"):
        read_text_file(path)


# -- column roles: Anki's headers, column names, and explicit choices ----------------------


@pytest.mark.parametrize("separator_line", ["#separator:Comma\n", ""])
def test_a_column_named_tags_holds_tags(separator_line: str, tmp_path: Path) -> None:
    decks = _notes(
        tmp_path / "words.csv",
        f"{separator_line}#columns:Front,Back,Tags\nchat,cat,animal fr\nchien,dog,\n",
    )
    cat, dog = decks["words.md"]
    assert (cat.title, cat.answer, cat.tags) == ("chat", "cat", ("animal", "fr"))
    assert (dog.answer, dog.tags) == ("dog", ())


def test_tags_column_header_wins_over_a_column_named_tags(tmp_path: Path) -> None:
    decks = _notes(
        tmp_path / "w.csv",
        "#separator:Comma\n#columns:Front,Tags,Back\n#tags column:3\nchat,feline,animal\n",
    )
    (note,) = decks["w.md"]
    # Column 3 is the tags (the header line says so); the one named Tags is a field.
    assert note.tags == ("animal",)
    assert note.answer == "feline"


def test_columns_are_mapped_by_name_and_deck_by_name(tmp_path: Path) -> None:
    decks = _notes(
        tmp_path / "w.csv",
        "#separator:Comma\n#columns:Back,Front,Deck,tags\ncat,chat,Lang::FR,animal\n",
    )
    (note,) = decks["lang/fr.md"]
    assert (note.title, note.answer, note.tags) == ("chat", "cat", ("animal",))


def test_a_first_row_of_column_names_is_read_as_names(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text("Question,Answer,Tags\nchat,cat,animal\n", encoding="utf-8")
    bundle = read_text_file(path)
    (note,) = parse_deck(bundle.decks["sheet.md"], path="sheet.md").deck.notes
    assert (note.title, note.answer, note.tags) == ("chat", "cat", ("animal",))
    assert bundle.notes == ("sheet.csv: the first row was read as column names "
                            "(Question, Answer, Tags)",)  # fmt: skip


def test_a_first_row_of_usual_names_among_others_is_read_as_names(tmp_path: Path) -> None:
    decks = _notes(
        tmp_path / "t.csv", "Term;Definition;Domain;Tags\nRecall;TP/(TP+FN);ML;metrics\n"
    )
    (note,) = decks["t.md"]
    assert note.title == "Recall" and note.tags == ("metrics",)
    assert note.answer == "**Definition:**\nTP/(TP+FN)\n\n**Domain:**\nML"


@pytest.mark.parametrize(
    "first", ["front side,back side", "chat,cat", "Front,Front", "Word,Meaning,"]
)
def test_a_first_row_of_data_is_a_card(first: str, tmp_path: Path) -> None:
    decks = _notes(tmp_path / "plain.csv", f"{first}\nchien,dog\n")
    assert [n.title for n in decks["plain.md"]] == [first.split(",")[0], "chien"]


def test_explicit_options_override_the_file(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_text(
        "Front|Note|Back|Deck|Labels\nchat|skip me|cat||animal fr\nHund|x|dog|Lang::DE|\n",
        encoding="utf-8",
    )
    options = CsvOptions(
        separator="pipe",
        header_row=True,
        columns=(ColumnRole.FRONT, ColumnRole.IGNORE, ColumnRole.BACK, ColumnRole.DECK,
                 ColumnRole.TAGS),
        deck="Vocabulary",
    )  # fmt: skip
    bundle = read_text_file(path, options=options)
    notes = {p: parse_deck(t, path=p).deck.notes for p, t in bundle.decks.items()}
    (cat,) = notes["vocabulary.md"]
    assert (cat.title, cat.answer, cat.tags) == ("chat", "cat", ("animal", "fr"))
    (dog,) = notes["lang/de.md"]
    assert (dog.title, dog.answer) == ("Hund", "dog")
    # The same file without a header row: its first row is a card of its own.
    again = read_text_file(path, options=CsvOptions(separator="|", header_row=False))
    assert "## Front" in again.decks["mixed.md"]


def test_impossible_roles_are_refused_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("a,b,c\n", encoding="utf-8")
    with pytest.raises(InteropError, match="no column is mapped to Front"):
        read_text_file(path, options=CsvOptions(columns=(ColumnRole.BACK, ColumnRole.BACK)))
    two_tags = (ColumnRole.FRONT, ColumnRole.TAGS, ColumnRole.TAGS)
    with pytest.raises(InteropError, match="columns 2 and 3 are both mapped to Tags"):
        read_text_file(path, options=CsvOptions(columns=two_tags))


def test_preview_shows_the_layout_and_first_rows(tmp_path: Path) -> None:
    text = "#columns:Front;Back;Tags\nchat;cat;animal\nchien;dog\n"
    shown = preview(text, label="p.csv", default_deck="P", limit=1)
    assert shown.layout.separator == ";" and shown.layout.separator_guessed
    assert shown.layout.roles == (ColumnRole.FRONT, ColumnRole.BACK, ColumnRole.TAGS)
    assert shown.layout.names == ("Front", "Back", "Tags")
    assert shown.rows == (("chat", "cat", "animal"),) and shown.row_count == 2
    bad = preview(
        text, label="p.csv", default_deck="P", options=CsvOptions(columns=(ColumnRole.BACK,))
    )
    assert bad.layout.roles == (ColumnRole.BACK, ColumnRole.IGNORE, ColumnRole.IGNORE)
    assert parse_roles("front, back,-,Tags") == (
        ColumnRole.FRONT, ColumnRole.BACK, ColumnRole.IGNORE, ColumnRole.TAGS,
    )  # fmt: skip
