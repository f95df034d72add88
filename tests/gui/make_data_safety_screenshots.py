"""File ▸ Restore from backup…, a storage failure and the missing-database question, at
1366×768, for the docs and to be looked at.

    xvfb-run -a -s "-screen 0 1366x768x24" python tests/gui/make_data_safety_screenshots.py

Opens the app on the bundled decks in a temporary folder, answers a few cards over two
days with backups on the way, opens the restore list and its confirmation (the list goes
to docs/screenshots/restore-from-backup.png); then the dialog a database replaced under
the running app brings, and the question at a start without the database. The whole
screen of each goes to the temp folder (or --out DIR).
"""

from __future__ import annotations

import os
import shutil
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "screenshots" / "restore-from-backup.png"
sys.path.insert(0, str(ROOT))

from screenshot_kit import begin, main_window, settle, shot_arguments  # noqa: E402

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def history(col: Any) -> None:
    """A few answers a day over two days, a backup after each hour of them."""
    from flashcards.core.model import Rating

    t = NOW - timedelta(days=2)
    for day in range(3):
        for _hour in range(3):
            for card in col.queue(now=t)[:6]:
                col.answer(card, Rating.GOOD, now=t)
            col.backups.maybe(now=t)
            t += timedelta(minutes=45)
        t = NOW - timedelta(days=2 - day - 1)
    col.backups.create(now=NOW - timedelta(minutes=20), kind="manual")


def screen(app: Any, path: Path) -> None:
    app.primaryScreen().grabWindow(0).save(str(path))


def main() -> int:
    args = shot_arguments().parse_args()

    from PySide6.QtWidgets import QMessageBox

    from flashcards.collection import Collection
    from flashcards.core.model import Rating
    from flashcards.gui import data_safety
    from flashcards.gui.restore_dialog import RestoreDialog

    shoot = begin(args.out)
    app, out, data = shoot.app, shoot.out, shoot.data
    with Collection.open(data, now=NOW - timedelta(days=3)) as col:
        history(col)
    settings_file = shoot.tmp / "settings.ini"
    worker, window = main_window(app, data, settings_file, now=lambda: NOW, sync=False)

    data_safety.open_restore(window)
    settle(app, worker, 500)
    dialog = next(w for w in app.topLevelWidgets() if isinstance(w, RestoreDialog))
    settle(app, worker, 300)
    if not args.no_doc:
        dialog.grab().save(str(DOC))
    screen(app, out / "restore-list.png")
    dialog.restore_selected()
    settle(app, worker, 300)
    screen(app, out / "restore-confirm.png")
    for box in [w for w in app.topLevelWidgets() if isinstance(w, QMessageBox)]:
        box.done(0)
    dialog.done(0)
    settle(app, worker, 200)

    # The database replaced under the running app, then an answer.
    db = data / "collection.sqlite3"
    shutil.copyfile(db, data / "other.sqlite3")
    os.replace(data / "other.sqlite3", db)
    worker.run(lambda col: col.answer(col.queue(now=NOW)[0], Rating.GOOD, now=NOW))
    settle(app, worker, 600)
    screen(app, out / "storage-error.png")
    for box in [w for w in app.topLevelWidgets() if isinstance(w, QMessageBox)]:
        box.done(0)
    window.close()
    settle(app, worker, 300)

    # A start without the database.
    db.unlink()
    worker, window = main_window(app, data, settings_file, now=lambda: NOW, start=False, sync=False)
    settle(app, worker, 800)
    data_safety.ask_about_missing_database(
        window, data, lambda: Collection.open(data, sync=False), lambda: None
    )
    settle(app, worker, 300)
    screen(app, out / "missing-database.png")
    for box in [w for w in app.topLevelWidgets() if isinstance(w, QMessageBox)]:
        box.done(0)
    window.close()
    settle(app, worker, 300)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
