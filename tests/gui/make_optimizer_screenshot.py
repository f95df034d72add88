"""Preferences ▸ Scheduling after Optimise and Simulate a year, on a 1366×768 screen.

    xvfb-run -a -s "-screen 0 1366x768x24" python tests/gui/make_optimizer_screenshot.py

Opens the app on the bundled decks in a temporary folder, gives their cards a year and a
half of review history drawn from known FSRS parameters (imported as an Anki log is),
opens Preferences ▸ Scheduling, presses Optimise (which then simulates a year) and grabs
the dialog to docs/screenshots/optimizer.png; the whole screen and a dark version go to
the temp folder (or --out DIR) to be looked at.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "screenshots" / "optimizer.png"
sys.path.insert(0, str(ROOT))

from screenshot_kit import begin, main_window, settle, shot_arguments  # noqa: E402


def give_history(col: Any, now: datetime) -> int:
    """A synthetic history for every bundled card, written as an import writes one."""
    from flashcards.core.days import day_number
    from flashcards.core.scheduling import Preset
    from flashcards.core.synthetic_history import review_log, synthetic_history
    from flashcards.interop.history import replay

    with col.db.raw_read() as cur:
        ids = [row[0] for row in cur.execute("SELECT id FROM cards WHERE present = 1 ORDER BY id")]
    d = Preset().parameters
    true = (0.6, 1.8, 6.0, 18.0, *d[4:8], 1.3, *d[9:11], 1.2, *d[12:20], 0.3)
    today = day_number(now, UTC, 4)
    drawn = synthetic_history(
        true,
        cards=len(ids),
        reviews_per_card=7,
        seed=4,
        first_day=today - 540,
        spread_days=360,
        until=today - 1,
    )
    history = {card: answers for card, answers in zip(ids, drawn.values(), strict=True)}
    log = review_log(history)
    col.apply_import({}, reviews=log, states=replay(log), now=now)
    return len(log)


def main() -> int:
    args = shot_arguments().parse_args()

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from flashcards.collection import Collection
    from flashcards.gui.preferences import PreferencesDialog

    shoot = begin(args.out)
    app, out = shoot.app, shoot.out
    now = datetime.now(UTC)
    with Collection.open(shoot.data, now=now) as col:
        col.set_setting("timezone", "UTC")
        reviews = give_history(col, now)
    worker, window = main_window(app, shoot.data, shoot.tmp / "settings.ini", seed=False)
    window.activateWindow()
    settle(app, worker)
    QTest.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    settle(app, worker, 600)
    dialog = window.findChild(PreferencesDialog)
    if dialog is None:
        sys.stderr.write("Ctrl+, did not open the Preferences\n")
        return 1
    dialog.resize(1200, 740)
    options = dialog.scheduling
    dialog.tabs.setCurrentWidget(options)
    settle(app, worker)
    panel = options.optimizer
    QTest.mouseClick(panel.optimise_button, Qt.MouseButton.LeftButton)
    settle(app, worker, 1500)  # the fit, then the simulation it starts
    while panel.busy():
        settle(app, worker, 200)
    scroll = panel.parentWidget()
    while scroll is not None and not hasattr(scroll, "ensureWidgetVisible"):
        scroll = scroll.parentWidget()
    if scroll is not None:  # down to the chart
        bar = scroll.verticalScrollBar()
        bar.setValue(bar.maximum())
    settle(app, worker)
    dialog.grab().save(str(out / "optimizer-light.png"))
    if not args.no_doc:
        dialog.grab().save(str(DOC))
    app.primaryScreen().grabWindow(0).save(str(out / "optimizer-screen.png"))
    window.appearance.set_theme("dark", remember=False)
    panel.chart.show_report(panel.chart.report)
    settle(app, worker)
    dialog.grab().save(str(out / "optimizer-dark.png"))
    fit = panel.last_fit
    print(
        f"{reviews} reviews; fit kept={fit.kept if fit else None}; "
        f"dialog {dialog.width()}x{dialog.height()}; shots in {out}"
    )
    window.appearance.set_theme("light", remember=False)
    dialog.reject()
    window.close()
    settle(app, worker)
    shoot.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
