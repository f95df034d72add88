"""The wheel must carry every code package, the bundled decks and the resources."""

from __future__ import annotations

import re
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


def _imported_qt_modules() -> set[str]:
    found: set[str] = set()
    for source in (ROOT / "flashcards").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        found.update(re.findall(r"\bPySide6\.(Qt\w+)", text))
        for names in re.findall(r"from PySide6 import ([^\n]+)", text):
            found.update(re.findall(r"\b(Qt\w+)\b", names))
    return found


def test_the_standalone_build_carries_exactly_the_qt_modules_the_app_imports() -> None:
    spec = (ROOT / "packaging" / "flashcards.spec").read_text(encoding="utf-8")
    listed = re.search(r"^QT_MODULES = \[(.*?)\]", spec, re.S | re.M)
    assert listed is not None
    in_spec = set(re.findall(r'"(Qt\w+)"', listed.group(1)))
    assert in_spec == _imported_qt_modules()
    excluded = re.search(r"^QT_EXCLUDED = \[(.*?)\]", spec, re.S | re.M)
    assert excluded is not None
    assert "QtWebEngineCore" in excluded.group(1)
    assert in_spec.isdisjoint(re.findall(r'"(Qt\w+)"', excluded.group(1)))


def test_the_version_has_one_source() -> None:
    from flashcards import __version__
    from flashcards.gui.main_window import APP_VERSION

    with (ROOT / "pyproject.toml").open("rb") as handle:
        project = tomllib.load(handle)
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "flashcards.__version__"}
    assert __version__ == APP_VERSION


def test_the_wheel_holds_every_module_deck_and_resource(tmp_path: Path) -> None:
    """What `pip install .` and `pipx install .` install: the code, the bundled decks
    with their images, the icons, and the Qt bindings' constraint."""
    import subprocess
    import sys
    import zipfile

    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("flashcards-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {p.relative_to(ROOT).as_posix() for p in (ROOT / "flashcards").rglob("*.py")}
    for folder, package in (("decks", "bundled_decks"), ("resources", "resources")):
        expected |= {
            f"flashcards/{package}/{p.relative_to(ROOT / folder).as_posix()}"
            for p in (ROOT / folder).rglob("*")
            if p.is_file() and not p.name.startswith(".") and "__pycache__" not in p.parts
        }
    assert expected - names == set()
    metadata = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith(".dist-info/METADATA"))
    )
    assert b'Requires-Dist: pyside6<6.12,>=6.6; python_version < "3.12"' in metadata
    assert b"[console_scripts]\nflashcards = flashcards.cli:main" in zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    )
