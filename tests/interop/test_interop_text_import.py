"""Anki text files: header lines, quoting, sniffed separators, plain two-column files."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashcards.core.errors import InteropError
from flashcards.core.model import Note
from flashcards.core.parser import parse_deck
from flashcards.interop.anki_notes import note_id_for_guid
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
