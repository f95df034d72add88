"""The wheel must carry every code package, the bundled decks and the resources."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _config() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        tool = tomllib.load(handle)["tool"]
    setuptools = tool["setuptools"]
    assert isinstance(setuptools, dict)
    return setuptools


def test_every_code_package_is_listed() -> None:
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "flashcards").rglob("__init__.py")
    }
    listed = set(_config()["packages"])  # type: ignore[arg-type]
    assert on_disk - listed == set()


def test_bundled_decks_and_resources_are_mapped_to_existing_folders() -> None:
    mapping = _config()["package-dir"]
    assert isinstance(mapping, dict)
    assert mapping["flashcards.bundled_decks"] == "decks"
    assert mapping["flashcards.resources"] == "resources"
    assert (ROOT / "decks" / "getting-started.md").is_file()
    assert (ROOT / "decks" / "aws-ml-specialty" / "exam.toml").is_file()
    assert any((ROOT / "resources").iterdir())
