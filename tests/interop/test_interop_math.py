"""Formulas through the real `anki` package: `$…$` → MathJax on export, and Anki's
MathJax and LaTeX tags → `$…$` on import (issue 16.7, issue 15.3)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from anki.collection import Collection
from anki_factory import anki_import, export_package

from flashcards.core.math_tex import math_spans, plain_math
from flashcards.core.parser import parse_deck
from flashcards.core.render import Side, render_card
from flashcards.interop.anki_package import import_anki_package
from flashcards.interop.apkg_export import write_apkg
from flashcards.interop.export_notes import ExportCard, ExportData, ExportNote, to_html
from flashcards.interop.html_md import html_to_markdown, one_line_title

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
SOFTMAX = r"\sigma(z)_i = \frac{e^{z_i}}{\sum_{j} e^{z_j}}"
LOG_LOSS = r"L = -\frac{1}{N}\sum_i y_i \log p_i"
DECK = f"""---
title: Maths
---

## Softmax {{#sm0001}}
What does softmax compute for class $i$?
?
$${SOFTMAX}$$

It costs \\$5, or $5 and $10 — prices, not maths.

## Log loss {{#ll0001}}
The loss is ${LOG_LOSS}$ with `$not_math$` in code.
"""


def _export(tmp_path: Path) -> Path:
    root = tmp_path / "library"
    root.mkdir()
    (root / "maths.md").write_text(DECK, encoding="utf-8")
    deck = parse_deck(DECK, path="maths.md").deck
    notes = tuple(
        ExportNote(note, deck="Maths", cards=tuple(ExportCard(c) for c in note.cards))
        for note in deck.notes
    )
    out = tmp_path / "maths.apkg"
    write_apkg(ExportData(notes, root=root), out, now=NOW)
    return out


def test_export_writes_mathjax_that_anki_keeps(tmp_path: Path) -> None:
    col = anki_import(_export(tmp_path), tmp_path / "anki" / "collection.anki2")
    try:
        by_guid = {col.get_note(n).guid: col.get_note(n) for n in col.find_notes("")}
        softmax = by_guid["fc:sm0001"]
        assert "class \\(i\\)" in softmax.fields[0]
        assert f"\\[{SOFTMAX}\\]" in softmax.fields[1]
        # Markdown never touched the TeX: no <em> from its underscores.
        assert "<em>" not in softmax.fields[1]
        assert "costs $5, or $5 and $10" in softmax.fields[1]
        loss = by_guid["fc:ll0001"]
        assert f"\\({LOG_LOSS}\\)" in loss.fields[1]
        assert "<code>$not_math$</code>" in loss.fields[1]
    finally:
        col.close()


def test_a_formula_goes_to_anki_and_comes_back(tmp_path: Path) -> None:
    col = anki_import(_export(tmp_path), tmp_path / "anki" / "collection.anki2")
    back = export_package(col, tmp_path / "back.apkg", layout="anki21b")
    col.close()
    work = tmp_path / "work"
    work.mkdir()
    bundle = import_anki_package(back, workdir=work)
    notes = {
        n.id: n
        for path, text in bundle.decks.items()
        for n in parse_deck(text, path=path).deck.notes
    }
    softmax, loss = notes["sm0001"], notes["ll0001"]
    assert f"$${SOFTMAX}$$" in softmax.answer
    assert "$i$" in softmax.prompt or "$i$" in softmax.title
    assert f"${LOG_LOSS}$" in loss.answer and "`$not_math$`" in loss.answer
    # The prices stay text: no formula was made from them.
    texts = [s.tex for s in math_spans(softmax.answer)]
    assert texts == [SOFTMAX]
    # And the card renders its formulas as images.
    page = render_card(softmax.cards[0], side=Side.BACK)
    assert page.count('src="data:image/svg+xml;base64,') == 2


def _anki_package_with(fields: list[tuple[str, str]], tmp_path: Path) -> Path:
    col = Collection(str(tmp_path / "src" / "collection.anki2"))
    try:
        basic = col.models.by_name("Basic")
        assert basic is not None
        deck = col.decks.id("Anki maths")
        for front, back in fields:
            note = col.new_note(basic)
            note["Front"], note["Back"] = front, back
            col.add_note(note, deck)
        return export_package(col, tmp_path / "anki.apkg", layout="anki21b")
    finally:
        col.close()


def test_anki_latex_tags_and_mathjax_come_in_as_formulas(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    package = _anki_package_with(
        [
            ("[$]\\text{Definition of a Category } \\textbf{C}[/$]", "A collection of objects"),
            ("Area of a circle", "[$$]A = \\pi r^2[/$$]"),
            (
                "Inline \\(a_1 &lt; b_1\\) here",
                "[latex]\\begin{matrix} a & b \\end{matrix}[/latex]",
            ),
            ("Literal $x$ dollars", "cost $5 and $10"),
        ],
        tmp_path,
    )
    work = tmp_path / "work"
    work.mkdir()
    bundle = import_anki_package(package, workdir=work)
    notes = [
        n for path, text in bundle.decks.items() for n in parse_deck(text, path=path).deck.notes
    ]
    by_answer = {n.answer: n for n in notes}

    category = by_answer["A collection of objects"]
    # The title is the formula, not "$ text Definition of a Category textbf C /$".
    assert category.title == "$\\text{Definition of a Category } \\textbf{C}$"
    assert plain_math(category.title) == "Definition of a Category C"
    assert "$$A = \\pi r^2$$" in by_answer
    inline = next(n for n in notes if "matrix" in n.answer)
    assert "$a_1 < b_1$" in inline.title
    assert inline.answer == "$$\\begin{matrix} a & b \\end{matrix}$$"
    literal = next(n for n in notes if "dollars" in n.title)
    # Anki showed these dollars as text; they must not turn into maths here.
    assert math_spans(literal.title) == [] and math_spans(literal.answer) == []
    assert plain_math(literal.title) == "Literal $x$ dollars"
    page = render_card(category.cards[0], side=Side.FRONT)
    assert 'src="data:image/svg+xml;base64,' in page


def test_field_conversion_keeps_tex_away_from_markdown() -> None:
    md = html_to_markdown("\\(a_1 * b_2 * c_3\\) and <b>bold</b>")
    assert md == "$a_1 * b_2 * c_3$ and **bold**"
    assert one_line_title(md) == "$a_1 * b_2 * c_3$ and bold"
    assert to_html(md) == "\\(a_1 * b_2 * c_3\\) and <strong>bold</strong>"
