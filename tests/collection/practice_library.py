"""A small exam library for practice-exam tests: 6 questions in 12 minutes, two domains
of equal weight, each with multiple-choice cards (one of them "choose two") and a basic
card that is never asked."""

from __future__ import annotations

from pathlib import Path

EXAM = """\
name = "Practice Sample Exam"
code = "PSE-01"
questions = 6
minutes = 12
score = { min = 100, max = 1000, pass = 700 }
[[domains]]
name = "Alpha"
weight = 0.5
[[domains]]
name = "Beta"
weight = 0.5
"""


def choice_note(prefix: str, number: int) -> str:
    """A one-answer question: the right option is the second in the file."""
    return (
        f"## {prefix.title()} question {number} {{#{prefix}q{number}}}\n"
        f"Which option is right for {prefix} {number}?\n"
        "- [ ] Wrong one\n"
        "- [x] Right one\n"
        "- [ ] Wrong two\n"
        "?\n"
        f"Because {prefix} {number} says so.\n"
    )


def choose_two_note(prefix: str) -> str:
    """A multiple-response question: the first and third options are right."""
    return (
        f"## {prefix.title()} choose two {{#{prefix}two}}\n"
        f"Which two are right for {prefix}? (Choose two.)\n"
        "- [x] Right A\n"
        "- [ ] Wrong B\n"
        "- [x] Right C\n"
        "- [ ] Wrong D\n"
        "?\n"
        "Both A and C.\n"
    )


def deck(prefix: str, domain: str, questions: int) -> str:
    notes = [choice_note(prefix, i) for i in range(1, questions)]
    notes.append(choose_two_note(prefix))
    notes.append(f"## {prefix.title()} fact {{#{prefix}fact}}\nA plain card, never asked.\n")
    return f"---\ntitle: {domain}\ndomain: {domain}\n---\n\n" + "\n".join(notes)


def write_exam_library(data_dir: Path, *, per_domain: int = 6) -> Path:
    """`per_domain` multiple-choice cards a domain (the last of them "choose two")."""
    folder = data_dir / "decks" / "sample-exam"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "exam.toml").write_text(EXAM, encoding="utf-8")
    (folder / "alpha.md").write_text(deck("alpha", "Alpha", per_domain), encoding="utf-8")
    (folder / "beta.md").write_text(deck("beta", "Beta", per_domain), encoding="utf-8")
    return folder
