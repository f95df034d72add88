"""Preferences over the main window on a 1366×768 screen, for the docs.

    xvfb-run -a -s "-screen 0 1366x768x24" python tests/gui/make_preferences_screenshot.py

Opens the app on the bundled decks in a temporary folder with a second preset ("Exam
week") used by the Modeling decks, presses Ctrl+, and grabs every tab. The Scheduling tab
(on "Exam week") goes to docs/screenshots/preferences.png; the other tabs, in light and
dark, and the whole screen go to the temp folder (or --out DIR) to be looked at.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "screenshots" / "preferences.png"
sys.path.insert(0, str(ROOT))

from screenshot_kit import begin, main_window, settle, shot_arguments  # noqa: E402


def main() -> int:
    args = shot_arguments().parse_args()

    from dataclasses import replace

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from flashcards.collection import Collection
    from flashcards.gui.preferences import PreferencesDialog

    shoot = begin(args.out)
    app, out = shoot.app, shoot.out
    with Collection.open(shoot.data) as col:
        week = col.save_preset(
            replace(col.presets()[1], name="Exam week", new_per_day=40, desired_retention=0.85)
        )
        for deck in col.deck_presets():
            if "Modeling" in deck.name:
                col.set_deck_preset(deck.key, week)
    worker, window = main_window(app, shoot.data, shoot.tmp / "settings.ini", seed=False)
    window.activateWindow()
    settle(app, worker)
    QTest.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    settle(app, worker, 600)
    dialog = window.findChild(PreferencesDialog)
    if dialog is None:
        sys.stderr.write("Ctrl+, did not open the Preferences\n")
        return 1
    options = dialog.scheduling
    for theme in ("light", "dark"):
        window.appearance.set_theme(theme, remember=False)
        for index, name in enumerate(("appearance", "review", "scheduling")):
            dialog.tabs.setCurrentIndex(index)
            settle(app, worker)
            dialog.grab().save(str(out / f"preferences-{name}-{theme}.png"))
    window.appearance.set_theme("light", remember=False)
    options.chooser.setCurrentIndex(options.chooser.findText("Exam week"))
    dialog.tabs.setCurrentWidget(options)
    settle(app, worker)
    dialog.grab().save(str(out / "preferences-exam-week.png"))
    if not args.no_doc:
        dialog.grab().save(str(DOC))
    screen = app.primaryScreen()
    screen.grabWindow(0).save(str(out / "preferences-screen.png"))
    print(
        f"screen {screen.availableGeometry().width()}x{screen.availableGeometry().height()},"
        f" dialog {dialog.width()}x{dialog.height()}; shots in {out}"
    )
    dialog.reject()
    window.close()
    settle(app, worker)
    shoot.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
