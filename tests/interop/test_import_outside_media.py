"""Imports drop references to files outside the library, and say how many.

`<img src="file:///etc/passwd">`, `/etc/passwd`, `../../x` and `file:///dev/zero` in an
.apkg, a CSV file, a Markdown deck or Obsidian notes never reach the library; the
import report counts them; the cards render without them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from anki.collection import Collection as AnkiCollection
from anki_factory import export_package

from flashcards.collection.collection import Collection
from flashcards.core.media_refs import drop_outside_media, leaves_library
from flashcards.core.render import Side, render_card

HOSTILE = (
    '<img src="file:///etc/passwd">',
    '<img src="file:///dev/zero">',
    '<img src="/etc/passwd">',
    '<img src="../../outside.png">',
)
_DROPPED = re.compile(r"dropped (\d+) links? or images? to files outside the library")


def _dropped(warnings: tuple[str, ...]) -> int:
    counts = [int(m.group(1)) for w in warnings if (m := _DROPPED.search(w))]
    assert len(counts) == 1, warnings
    return counts[0]


def _library_text(col: Collection) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(col.library.rglob("*.md")))


def _assert_clean(col: Collection) -> None:
    text = _library_text(col)
    for needle in ("file:", "/etc/passwd", "/dev/zero", "outside.png"):
        assert needle not in text, needle
    assert "kept.png" in text  # a reference inside the library stays
    for view in col.cards(col.queue(None)):
        for side in Side:
            html = render_card(view.card, side=side, base_dir=col.library, media_root=col.library)
            assert "file:///etc" not in html and "/dev/" not in html


def test_a_csv_file(tmp_path: Path) -> None:
    rows = [f'"Q{i} {h.replace(chr(34), chr(34) * 2)}","A{i}"' for i, h in enumerate(HOSTILE)]
    rows.append('"Picture <img src=""kept.png"">","fine"')
    csv = tmp_path / "hostile.csv"
    csv.write_text("front,back\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with Collection.open(tmp_path / "data", seed=False) as col:
        report = col.import_path(csv)
        assert report.cards_added == len(HOSTILE) + 1
        assert _dropped(report.warnings) == len(HOSTILE)
        _assert_clean(col)


def test_an_anki_package(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    anki = AnkiCollection(str(tmp_path / "src" / "collection.anki2"))
    basic = anki.models.by_name("Basic")
    for i, html in enumerate((*HOSTILE, '<img src="kept.png">')):
        note = anki.new_note(basic)
        note["Front"], note["Back"] = f"Question {i}", f"Answer {html}"
        anki.add_note(note, anki.decks.id("Default"))
    package = export_package(anki, tmp_path / "hostile.apkg", layout="anki21b")
    anki.close()
    with Collection.open(tmp_path / "data", seed=False) as col:
        report = col.import_path(package)
        assert report.cards_added == len(HOSTILE) + 1
        assert _dropped(report.warnings) == len(HOSTILE)
        _assert_clean(col)


MARKDOWN = """\
# Hostile

## Password file
![pw](/etc/passwd) and ![pw2](file:///etc/passwd)

## Up and out
![up](../../outside.png) <img src='file:///dev/zero'> [sound:/etc/passwd.mp3]

## Fine
![kept](kept.png) and [a link](https://example.com)

## Code is text
`![pw](/etc/passwd)`
"""


def test_a_markdown_deck(tmp_path: Path) -> None:
    deck = tmp_path / "in" / "hostile.md"
    deck.parent.mkdir()
    deck.write_text(MARKDOWN, encoding="utf-8")
    with Collection.open(tmp_path / "data", seed=False) as col:
        report = col.import_path(deck)
        assert _dropped(report.warnings) == 5
        text = _library_text(col)
        assert "`![pw](/etc/passwd)`" in text  # inside code: text, not a reference
        _assert_clean_but_code(text)
        assert "https://example.com" in text


def _assert_clean_but_code(text: str) -> None:
    outside_code = re.sub(r"`[^`]*`", "", text)
    for needle in ("file:", "/etc/passwd", "/dev/zero", "outside.png"):
        assert needle not in outside_code, needle


def test_obsidian_notes(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "notes.md").write_text(
        "#flashcards\n\nPassword file::![pw](/etc/passwd)\n\n"
        "Out of the vault::![up](../../outside.png)\n\nKept::![k](kept.png)\n",
        encoding="utf-8",
    )
    with Collection.open(tmp_path / "data", seed=False) as col:
        report = col.import_path(vault)
        assert report.cards_added >= 3
        assert _dropped(report.warnings) == 2
        _assert_clean(col)


def test_an_import_without_any_says_nothing(tmp_path: Path) -> None:
    deck = tmp_path / "fine.md"
    deck.write_text("## Fine {#f1n3aa}\n![kept](kept.png)\n", encoding="utf-8")
    with Collection.open(tmp_path / "data", seed=False) as col:
        report = col.import_path(deck)
        assert not any(_DROPPED.search(w) for w in report.warnings)
        assert (col.library / "fine.md").read_bytes() == deck.read_bytes()


@pytest.mark.parametrize(
    ("target", "outside"),
    [
        ("file:///etc/passwd", True),
        ("FILE:///etc/passwd", True),
        ("/etc/passwd", True),
        ("%2Fetc%2Fpasswd", True),
        ("C:\\Windows\\win.ini", True),
        ("\\\\server\\share\\x.png", True),
        ("~/x.png", True),
        ("../../x.png", True),
        ("../x.png", False),  # from sub/deck.md: the library's top folder
        ("media/../../../x.png", True),
        ("media/x.png", False),
        ("https://example.com/x.png", False),
        ("data:image/png;base64,AAAA", False),
        ("#anchor", False),
        ("card:Title", False),
    ],
)
def test_what_counts_as_outside(target: str, outside: bool) -> None:
    assert leaves_library(target, deck="sub/deck.md") is outside


def test_markdown_forms_are_all_found() -> None:
    text = (
        "![a](/x) [b](file:///y) ![c](<../../z w.png> \"t\")\n"
        '<img alt="d" src=/etc/passwd> <a href=\'/etc/x\'>e</a> [sound:../../s.mp3]\n\n'
        "[ref]: /etc/shadow\n\n~~~\n![in](/code)\n~~~\n<!-- ![in](/comment) -->\n"
    )
    cleaned, count = drop_outside_media(text, deck="sub/deck.md")
    assert count == 7
    assert "![a]() [b]() ![c](<> \"t\")" in cleaned
    assert '<img alt="d" src=""> <a href="">e</a> \n' in cleaned
    assert "[ref]: #" in cleaned
    assert "![in](/code)" in cleaned and "![in](/comment)" in cleaned
