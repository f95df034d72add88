"""Notes as real Anki collections hold them: odd HTML, odd names, empty and long fields."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection as AnkiCollection
from anki_factory import anki_import, export_package

from flashcards.collection.collection import Collection
from flashcards.core.parser import parse_deck

FIELDS = [
    ("<table><tr><th>k</th><th>v</th></tr><tr><td>a</td><td>1</td></tr></table>", "table"),
    ("<pre><code>def f(x):\n    return {{x}}\n</code></pre>", "code with braces"),
    ("<ul><li>one<ul><li>nested</li></ul></li><li>two</li></ul>", "nested list"),
    ('<a href="https://example.com">a link</a> and \\(x_1^2\\)', "link and MathJax"),
    ("<h1>Big heading</h1><div>?</div><div>Tags: fake</div>", "structure-looking text"),
    ("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &nbsp; <b></b>", "entities"),
    ("word " * 200, "very long front"),
    ("", "empty front"),
    ('<img src="missing.png">', "image that is not in the package"),
    ("same front", "duplicate front 1"),
    ("same front", "duplicate front 2"),
    ("{{c1::not a cloze in a basic note}}", "braces in basic"),
    ("C# and F# ##", "hashes"),
    ("<div><b>bold <i>both</i></b></div><div><br></div>", "nested marks"),
]


def _messy_package(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    col = AnkiCollection(str(tmp_path / "src" / "collection.anki2"))
    basic = col.models.by_name("Basic")
    cloze = col.models.by_name("Cloze")
    decks = [col.decks.id(name) for name in ("A::B::C", "Ünïcödé deck", "a/b: weird?", "Default")]
    for i, (front, back) in enumerate(FIELDS):
        note = col.new_note(basic)
        note["Front"], note["Back"] = front, back
        note.tags = ["messy", f"t::{i}"]
        col.add_note(note, decks[i % len(decks)])
    for text in (
        "{{c1::a {{c2::nested}} b}}",
        "{{c1::x::hint with :: colons}}",
        "{{c3::only three}}",
    ):
        note = col.new_note(cloze)
        note["Text"] = text
        col.add_note(note, decks[0])
    out = export_package(col, tmp_path / "messy.apkg", layout="anki21b")
    col.close()
    return out


def test_messy_package_imports_reports_and_exports_back(tmp_path: Path) -> None:
    package = _messy_package(tmp_path)
    with Collection.open(tmp_path / "data", seed=False) as col:
        report = col.import_path(package)
        texts = {
            p.relative_to(col.library).as_posix(): p.read_text(encoding="utf-8")
            for p in col.library.rglob("*.md")
        }
        notes = [n for path, text in texts.items() for n in parse_deck(text, path=path).deck.notes]
        assert len(notes) == len(FIELDS) + 3
        assert report.cards_added == len(FIELDS) + 3  # nested c2 has no card here
        assert any("1 Anki card:" in w and "nested deletion" in w for w in report.warnings)
        assert any("missing.png" in w for w in report.warnings)
        nested = next(n for n in notes if "a nested b" in n.answer)
        assert nested.answer == "{{c1::a nested b}}" and nested.cloze_numbers == (1,)
        assert next(n for n in notes if "only three" in n.answer).cloze_numbers == (3,)
        assert not any(n.cloze_numbers for n in notes if n.title == "not a cloze in a basic note")
        by_answer = {n.answer: n for n in notes}
        assert "| k | v |" in by_answer["table"].prompt
        structure = by_answer["structure-looking text"]
        assert "\\# Big heading" in structure.prompt and structure.title == "Big heading"
        assert structure.tags == ("messy", "t::4")
        assert by_answer["hashes"].title.startswith("C# and F#")
        long_note = by_answer["very long front"]
        assert len(long_note.title) <= 80 and long_note.prompt.startswith("word word")
        for path in texts:
            assert ".." not in path and not path.startswith("/")

        out = tmp_path / "back.apkg"
        col.export(None, out)
    anki = anki_import(out, tmp_path / "anki" / "collection.anki2")
    try:
        assert anki.note_count() == len(notes)
    finally:
        anki.close()
