"""The layers depend one way: core → storage → interop → collection → gui/cli."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "flashcards"

# For each layer, the top-level modules it must never import.
FORBIDDEN: dict[str, set[str]] = {
    "core": {
        "PySide6",
        "shiboken6",
        "sqlalchemy",
        "flashcards.storage",
        "flashcards.interop",
        "flashcards.collection",
        "flashcards.gui",
        "flashcards.cli",
    },
    "storage": {
        "PySide6",
        "shiboken6",
        "flashcards.interop",
        "flashcards.collection",
        "flashcards.gui",
        "flashcards.cli",
    },
    "interop": {
        "PySide6",
        "shiboken6",
        "sqlalchemy",
        "flashcards.storage",
        "flashcards.collection",
        "flashcards.gui",
        "flashcards.cli",
        "anki",
    },
    "collection": {"PySide6", "shiboken6", "flashcards.gui", "flashcards.cli"},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def violations(layer: str) -> list[str]:
    found = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in imported_modules(path):
            for banned in FORBIDDEN[layer]:
                if name == banned or name.startswith(banned + "."):
                    found.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_lower_layers(layer: str) -> None:
    assert (PACKAGE / layer).is_dir()
    assert violations(layer) == []


def test_checker_catches_a_bad_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtWidgets import QWidget\nimport sqlalchemy.orm\n")
    assert imported_modules(bad) == {"PySide6.QtWidgets", "sqlalchemy.orm"}
