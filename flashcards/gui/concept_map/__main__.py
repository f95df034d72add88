"""Open the concept map on its own: `python -m flashcards.gui.concept_map [--data-dir DIR]`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from flashcards.gui.concept_map.map_window import ConceptMapWindow
from flashcards.gui.theme import apply_theme
from flashcards.gui.worker import CollectionWorker


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flashcards.gui.concept_map")
    parser.add_argument("--data-dir", type=Path, default=os.environ.get("FLASHCARDS_DATA_DIR"))
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    apply_theme(app)
    data_dir = args.data_dir

    def open_collection() -> object:
        from flashcards.collection import Collection

        return Collection.open(data_dir)

    worker = CollectionWorker(open_collection)
    window = ConceptMapWindow(worker)
    window.show()
    window.load()
    code = app.exec()
    worker.stop()
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
