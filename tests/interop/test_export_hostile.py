"""Exporting a stranger's deck never fails on its content: a field nested past the
limits goes to Anki as its text (python-markdown ran out of stack on it before)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from flashcards.collection.collection import Collection

DECK = (
    "## Deep {#deep01}\nWhat is inside?\n?\n" + "- " * 600 + "forty-two\n\n"
    "## Indented {#ind001}\nAnd here?\n?\n"
    + "\n".join("  " * i + "- x" for i in range(300))
    + "\n\n## Fine {#fine01}\nA *plain* card\n?\n- one\n- two\n"
)


@pytest.mark.parametrize("suffix", [".apkg", ".csv"])
def test_a_deeply_nested_deck_exports(suffix: str, tmp_path: Path) -> None:
    with Collection.open(tmp_path / "data", seed=False) as col:
        (col.library / "deep.md").write_text(DECK, encoding="utf-8")
        col.sync()
        report = col.export(None, tmp_path / f"out{suffix}")
        assert report.cards == 3
    if suffix == ".csv":
        with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as f:
            rows = [r for r in csv.reader(f) if r]
        backs = {r[3]: r[4] for r in rows if not r[0].startswith("#")}
        deep = next(v for k, v in backs.items() if "What is inside?" in k)
        assert deep.startswith("<pre>- - - ") and "forty-two" in deep
        fine = next(v for k, v in backs.items() if "plain" in k)
        assert "<li>one</li>" in fine  # the converter is fresh after the one that stopped
