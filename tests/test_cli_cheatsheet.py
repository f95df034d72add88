"""`flashcards cheatsheet`: the app's sheet as a web page (in this process: no Qt needed)
and as a PDF (in a child process, which starts its own window-less Qt)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flashcards.cli import main
from flashcards.collection import Collection
from flashcards.collection.cheatsheet import Layout, SheetOptions, load_sheet
from flashcards.collection.cheatsheet_html import sheet_html

ROOT = Path(__file__).resolve().parents[1]
MODELING = """\
---
title: Tiny
domain: Modeling
---

# Basics

## Early stopping
Stop training when the validation loss stops improving.

```python
model.fit(X, y, early_stopping_rounds=10)
```

## What is eta in XGBoost?
?
The learning rate: lower it and each tree adds less. See [[Early stopping]].
Tags: boosting
"""
DATA = """\
---
title: Data
domain: Data Engineering
---

## Streaming validation metrics
Kinesis streams validation loss to the trainer, which applies [[Early stopping]].
"""


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    (folder / "decks").mkdir(parents=True)
    (folder / "decks" / "tiny.md").write_text(MODELING, encoding="utf-8")
    (folder / "decks" / "data.md").write_text(DATA, encoding="utf-8")
    with Collection.open(folder, seed=False) as col:
        col.set_setting("seeded", True)  # the command adds no bundled decks
    return folder


def run(data: Path, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["--data-dir", str(data), "cheatsheet", *argv], out=out)
    return code, out.getvalue()


def undated(page: str) -> str:
    return re.sub(r"\d\d \w{3} \d{4}", "DATE", page)


def test_a_web_page_of_a_domain_is_the_apps_sheet(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "modeling.html"
    code, said = run(data, "--deck", "domain:Modeling", "-o", str(out))
    assert code == 0
    assert said == f"wrote a cheat-sheet of 2 cards to {out}\n"
    page = out.read_text(encoding="utf-8")
    with Collection.open(data, seed=False) as col:
        sheet = load_sheet(col, SheetOptions(deck="domain:Modeling"), now=datetime.now(UTC))
        expected = sheet_html(sheet, layout=Layout.COMPACT, standalone=True)
    assert undated(page) == undated(expected)
    assert "card:" not in page and 'name="viewport"' in page
    assert "Streaming validation metrics" not in page


def test_a_search_the_full_layout_and_struggling_cards(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "boost.htm"
    assert run(data, "--query", "tag:boosting", "--layout", "full", "-o", str(out))[0] == 0
    page = out.read_text(encoding="utf-8")
    assert "What is eta in XGBoost?" in page and "Early stopping</" not in page
    assert 'class="sheet full"' in page
    # Nothing studied yet: no card is a struggle; the sheet says so.
    code, said = run(data, "--struggling", "-o", str(tmp_path / "weak.html"))
    assert code == 0 and "0 cards" in said
    assert "No cards match" in (tmp_path / "weak.html").read_text(encoding="utf-8")


def test_bad_requests_fail_clearly_and_write_nothing(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv, message in (
        (["--deck", "nope", "-o", "x.html"], "no deck or folder called 'nope'"),
        (["--deck", "domain:Nope", "-o", "x.pdf"], "no deck or folder called 'domain:Nope'"),
        (["-o", "x.txt"], "give a file ending in .pdf or .html"),
        (["--query", "prop:", "-o", "x.html"], "flashcards: error:"),
        (["-o", str(tmp_path / "missing" / "x.html")], "no folder"),
    ):
        argv[-1] = str(tmp_path / argv[-1]) if "/" not in argv[-1] else argv[-1]
        code, _ = run(data, *argv)
        assert code == 1, argv
        assert message in capsys.readouterr().err
    assert not list(tmp_path.glob("x.*"))
    with pytest.raises(SystemExit) as exc:
        run(data, "--deck", "tiny.md", "--query", "eta", "-o", str(tmp_path / "x.pdf"))
    assert exc.value.code == 2  # one or the other


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no pdftotext")
def test_a_pdf_in_a_process_of_its_own(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "tiny.pdf"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("QT_QPA_PLATFORM", None)  # the command picks offscreen without a display
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "flashcards",
            "--data-dir",
            str(data),
            "cheatsheet",
            "--deck",
            "Tiny",
            "--paper",
            "letter",
            "-o",
            str(out),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"wrote a cheat-sheet of 2 cards on 1 Letter page to {out}\n"
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Early stopping" in text and "early_stopping_rounds=10" in text
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "612 x 792 pts" in info  # Letter
