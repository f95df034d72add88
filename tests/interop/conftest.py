from __future__ import annotations

from pathlib import Path

import pytest
from anki_factory import LAYOUTS, Sample, build_collection, export_package


@pytest.fixture(scope="session")
def anki_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Sample]]:
    """The sample collection exported once in every layout: layout -> (package, sample)."""
    base = tmp_path_factory.mktemp("anki")
    packages: dict[str, tuple[Path, Sample]] = {}
    for layout in LAYOUTS:
        folder = base / layout
        folder.mkdir()
        col, sample = build_collection(folder / "collection.anki2")
        suffix = ".colpkg" if layout == "colpkg" else ".apkg"
        path = export_package(col, folder / f"sample-{layout}{suffix}", layout=layout)
        if layout != "colpkg":
            col.close()
        packages[layout] = (path, sample)
    return packages
