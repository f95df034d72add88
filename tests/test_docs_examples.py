"""Every example in the README and docs runs as written.

A `$ flashcards …` line in a code block is run (in order, one fresh collection with the
bundled decks per document); the lines under it are what it prints: each run of them
(a line holding only "…" skips rows) must appear in the output, and an example that
shows `flashcards: error:` must fail with status 1, any other must succeed. The
README's Python example runs too. Deck names quoted in the docs must name real decks.
"""

from __future__ import annotations

import io
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from flashcards.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DOCUMENTED_HOME = "/home/me"


def _networking_deck(cards: int) -> str:
    body = "".join(f"## Subnet fact {i}\nFact number {i} about subnets.\n\n" for i in range(cards))
    return f"---\ntitle: Networking\n---\n\n{body}"


# Files the examples read, as a reader would have them (paths as written in the docs).
INPUTS: dict[str, str] = {
    "~/notes/networking.md": _networking_deck(24),
    # A note with no cards in either format: prose only.
    "notes.md": "Shopping: bread, milk and eggs.\n",
    "words.txt": "front\tback\tsource\ttags\nle chat\tthe cat\tbook\tanimals\n"
    "le chien\tthe dog\tbook\tanimals\n",
}


@dataclass
class Example:
    document: Path
    line: int
    argv: list[str]
    expected: list[str] = field(default_factory=list)


def examples_of(document: Path) -> list[Example]:
    """The `$ flashcards` lines of a document's code blocks, each with its output."""
    found: list[Example] = []
    current: Example | None = None
    in_code = False
    for number, raw in enumerate(document.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip()
        if line.lstrip().startswith("```"):
            in_code, current = not in_code, None
            continue
        if not in_code:
            continue
        if line.startswith("$ "):
            words = shlex.split(line[2:])
            current = None
            if words and words[0] == "flashcards":
                current = Example(document, number, words[1:])
                found.append(current)
            continue
        if current is not None and line:
            current.expected.append(line)
    return found


ALL = [e for d in DOCUMENTS for e in examples_of(d)]


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _chunks(expected: list[str], home: Path) -> list[str]:
    chunks: list[list[str]] = [[]]
    for line in expected:
        if line.strip() in ("…", "..."):
            chunks.append([])
        else:
            chunks[-1].append(line.replace(DOCUMENTED_HOME, str(home)))
    return [_normalise(" ".join(c)) for c in chunks if c]


def _run(example: Example, home: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    argv = [str(home / a[2:]) if a.startswith("~/") else a for a in example.argv]
    out = io.StringIO()
    code = main(argv, out=out)
    return code, out.getvalue() + capsys.readouterr().err


@pytest.mark.parametrize("document", [d for d in DOCUMENTS if examples_of(d)], ids=lambda d: d.name)
def test_command_examples_run_as_written(
    document: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = tmp_path / "home"
    work = tmp_path / "work"
    for folder in (home, work):
        folder.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("FLASHCARDS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(work)
    for name, text in INPUTS.items():
        path = home / name[2:] if name.startswith("~/") else work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for example in examples_of(document):
        where = f"{document.name}:{example.line}"
        code, output = _run(example, home, capsys)
        wants_error = any(line.startswith("flashcards: error:") for line in example.expected)
        assert code == (1 if wants_error else 0), f"{where}: exit {code}\n{output}"
        actual = _normalise(output)
        position = 0
        for chunk in _chunks(example.expected, home):
            found = actual.find(chunk, position)
            assert found >= 0, f"{where}: the documented output\n  {chunk}\nis not in\n  {actual}"
            position = found + len(chunk)


def test_every_documented_example_is_found() -> None:
    # The parser above sees the examples (a silent zero would test nothing).
    assert len(ALL) >= 5
    assert {e.document.name for e in ALL} >= {"README.md", "cli.md"}


DECK_MENTION = re.compile(r'--deck\s+"([^"]+)"|NAME is a deck \("([^"]+)"\)')


def test_deck_names_in_the_docs_name_real_decks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = {
        a or b for d in DOCUMENTS for a, b in DECK_MENTION.findall(d.read_text(encoding="utf-8"))
    }
    names -= {"Lang::French"}  # made by the import example it belongs to
    assert names, "no deck name found in the docs"
    data = str(tmp_path / "data")
    for name in sorted(names):
        code, output = (
            main(["--data-dir", data, "export", "--deck", name, "-o", str(tmp_path / "x.csv")]),
            capsys.readouterr(),
        )
        assert code == 0, f"--deck {name!r} in the docs names no deck: {output.err}"


def test_the_readme_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"## Scripting.*?```python\n(.*?)```", text, re.S)
    assert code is not None
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "new-deck.md").write_text(_networking_deck(3), encoding="utf-8")
    source = code.group(1).replace('"~/flashcards-data"', repr(str(tmp_path / "data")))
    exec(compile(source, "README.md (Scripting)", "exec"), {"print": lambda *a, **k: None})
    assert (tmp_path / "aws-ml.apkg").is_file()


def test_the_readme_card_actions_names_come_from_the_package(tmp_path: Path) -> None:
    """The README's table writes `set_flag(ids, Flag.RED)`: `Flag` is the package's."""
    from flashcards import Collection, Flag

    deck = tmp_path / "d" / "decks" / "a.md"
    deck.parent.mkdir(parents=True)
    deck.write_text("## Q {#q00001}\nA?\n?\nB.\n", encoding="utf-8")
    with Collection.open(tmp_path / "d", seed=False) as col:
        col.set_flag(["q00001"], Flag.RED)
        assert col.card("q00001").flag is Flag.RED
