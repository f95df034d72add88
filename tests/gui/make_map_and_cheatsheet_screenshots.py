"""The concept map and a cheat-sheet on the bundled decks, light and dark, on a 1366×768
screen, for the docs (issue 20).

    xvfb-run -a -s "-screen 0 1366x768x24" python3 tests/gui/make_map_and_cheatsheet_screenshots.py

Without an argument it runs itself once per theme (a palette set twice in one process
leaves some widgets in the first one's colours); with `light` or `dark` it makes that
theme's pictures in docs/screenshots/:

- map-whole, map-domain (Modeling), map-neighbourhood (two links around "Early
  stopping"), each with `-dark` for the dark theme;
- cheatsheet (the sheet of Data Engineering – Ingestion and Streaming as the window
  shows it) and cheatsheet-pages (its A4 pages as they print), each with `-dark`;
- cheatsheet-page-a4.png, the first printed page itself (light only: paper is white).

A temporary collection is seeded with the bundled decks and given a fixed review history
(so the recall rings show weak, strong and new cards).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
sys.path.insert(0, str(ROOT))

from screenshot_kit import settle  # noqa: E402

SHEET_DECK = "aws-ml-specialty/data-engineering-ingestion.md"


def map_pictures(app: Any, col: Any, suffix: str) -> None:
    from flashcards.gui.concept_map.map_window import ConceptMapWindow
    from flashcards.gui.concept_map.screenshots import NOW, _Runner, _wait

    window = ConceptMapWindow(_Runner(col), now=lambda: NOW)
    window.resize(1366, 768)
    window.move(0, 0)
    window.show()
    _wait(app, window.layout_finished, window.load)
    window.fit()
    settle(app)
    window.view._settle.stop()
    window.view._settled()
    settle(app)
    window.grab().save(str(OUT / f"map-whole{suffix}.png"))

    window.toolbar.select(window.toolbar.domain, "Modeling")
    settle(app)
    window.grab().save(str(OUT / f"map-domain{suffix}.png"))

    window.toolbar.select(window.toolbar.domain, "")
    window.find_card("Early stopping")
    window.toolbar.select(window.toolbar.depth_box, 2)
    settle(app)
    window.grab().save(str(OUT / f"map-neighbourhood{suffix}.png"))
    window.close()


def sheet_pictures(app: Any, col: Any, suffix: str, tmp: Path) -> None:
    from PySide6.QtCore import QSettings

    from flashcards.collection.cheatsheet import Layout, Paper, SheetOptions
    from flashcards.gui.cheatsheet import CheatSheetWindow
    from flashcards.gui.cheatsheet.export import sheet_pages
    from flashcards.gui.concept_map.screenshots import NOW, _Runner

    settings = QSettings(str(tmp / f"sheet{suffix}.ini"), QSettings.Format.IniFormat)
    settings.setValue("cheatsheet/paper", "a4")
    window = CheatSheetWindow(
        _Runner(col), options=SheetOptions(deck=SHEET_DECK), now=lambda: NOW, settings=settings
    )
    window.resize(1366, 768)
    window.move(0, 0)
    window.show()
    window.load()
    settle(app)
    window.grab().save(str(OUT / f"cheatsheet{suffix}.png"))
    window.pages_action.trigger()
    settle(app, ms=600)
    window.grab().save(str(OUT / f"cheatsheet-pages{suffix}.png"))
    if not suffix and window.sheet is not None:
        pages = sheet_pages(window.sheet, layout=Layout.COMPACT, paper=Paper.A4)
        pages.image(0, width=900).save(str(OUT / "cheatsheet-page-a4.png"))
    window.close()


def main(theme: str) -> int:
    from PySide6.QtWidgets import QApplication

    from flashcards.collection import Collection
    from flashcards.gui.concept_map.screenshots import give_history
    from flashcards.gui.theme import apply_theme

    app = QApplication(sys.argv[:1])
    apply_theme(app, scheme=theme)
    suffix = "" if theme == "light" else "-dark"
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, Collection.open(Path(tmp) / "data") as col:
        give_history(col)
        map_pictures(app, col, suffix)
        sheet_pictures(app, col, suffix, Path(tmp))
    print(f"saved the {theme} map and cheat-sheet pictures in {OUT}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(main(sys.argv[1]))
    for scheme in ("light", "dark"):
        subprocess.run([sys.executable, __file__, scheme], check=True)
