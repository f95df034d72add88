"""Actions on the browser's selection: suspend, bury, flag, reset, set due, tags, move,
delete, undo. Each runs on the worker and refreshes only what it changed.

Methods take their input as arguments (tests and scripts) or ask for it when None.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox, QToolBar, QWidget

from flashcards.collection import editing
from flashcards.core.errors import FlashcardsError
from flashcards.core.model import Flag

if TYPE_CHECKING:
    from flashcards.gui.browser.browser_window import BrowserWindow

FLAG_NAMES = {Flag.RED: "Red", Flag.ORANGE: "Orange", Flag.GREEN: "Green", Flag.BLUE: "Blue"}


def _plural(n: int) -> str:
    return f"{n} card{'s' if n != 1 else ''}"


class BulkActions:
    """The Cards menu and toolbar of a browser window."""

    def __init__(self, window: BrowserWindow) -> None:
        self.window = window
        self.actions: dict[str, QAction] = {}
        bar = window.menuBar()
        cards = self.cards_menu = bar.addMenu("&Cards")
        self._add(cards, "suspend", "Toggle &suspend", "Ctrl+J", self.toggle_suspend)
        self._add(cards, "bury", "&Bury until tomorrow", "Ctrl+Shift+J", self.bury)
        flags = cards.addMenu("&Flag")
        for flag, name in FLAG_NAMES.items():
            self._add(
                flags, f"flag{int(flag)}", name, f"Ctrl+{int(flag)}", partial(self.flag, flag)
            )
        self._add(flags, "flag0", "Clear flag", "Ctrl+0", lambda: self.flag(Flag.NONE))
        cards.addSeparator()
        self._add(cards, "reset", "&Forget (reset to new)…", "Ctrl+Alt+N", self.reset)
        self._add(cards, "due", "Set &due date…", "Ctrl+Shift+D", self.set_due)
        cards.addSeparator()
        self._add(cards, "add_tags", "&Add tags…", "Ctrl+Shift+A", self.add_tags)
        self._add(cards, "remove_tags", "&Remove tags…", "Ctrl+Alt+Shift+A", self.remove_tags)
        self._add(cards, "move", "&Move to deck…", "Ctrl+D", self.move)
        self._add(cards, "edit", "&Edit in deck", "Ctrl+E", window.edit_current)
        self._add(cards, "info", "Card &info…", "Ctrl+Shift+I", window.card_info)
        cards.addSeparator()
        self._add(cards, "delete", "De&lete…", "Ctrl+Del", self.delete)
        edit = bar.addMenu("&Edit")
        self._add(edit, "undo", "&Undo", QKeySequence.StandardKey.Undo, self.undo)
        self._add(edit, "redo", "&Redo", "Ctrl+Shift+Z", self.redo)
        self._add(
            edit,
            "select_all",
            "Select &all",
            QKeySequence.StandardKey.SelectAll,
            window.table.selectAll,
        )
        view = bar.addMenu("&View")
        columns = QAction("&Columns…", window)
        columns.setMenu(window.column_menu())
        view.addAction(columns)
        view.aboutToShow.connect(lambda: columns.setMenu(window.column_menu()))
        self.toolbar = QToolBar("Actions", window)
        self.toolbar.setMovable(False)
        for key in ("suspend", "bury", "reset", "due", "add_tags", "move", "edit", "delete"):
            self.toolbar.addAction(self.actions[key])
        window.addToolBar(self.toolbar)

    def _add(
        self, menu: QMenu, key: str, text: str, keys: Any, slot: Callable[[], object]
    ) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)
        self.actions[key] = action
        return action

    def menu(self, parent: QWidget) -> QMenu:
        """The table's context menu: the same actions."""
        menu = QMenu(parent)
        menu.addAction(self.actions["info"])
        menu.addSeparator()
        for key in ("suspend", "bury", "reset", "due", "add_tags", "remove_tags", "move", "edit"):
            menu.addAction(self.actions[key])
        flags = menu.addMenu("Flag")
        for flag in (*FLAG_NAMES, Flag.NONE):
            flags.addAction(self.actions[f"flag{int(flag)}"])
        menu.addSeparator()
        menu.addAction(self.actions["delete"])
        return menu

    # -- running --------------------------------------------------------------------------

    def _selection(self) -> list[str]:
        ids = [str(i) for i in self.window.selected_ids()]
        if not ids:
            self.window.statusBar().showMessage("Select some cards first", 4000)
        return ids

    def _run(self, fn: Callable[[Any], Any], message: str) -> None:
        self.window.runner.run(
            fn,
            success=lambda change: self.window.after_change(change, message=message),
            failure=self._failed,
            label=message,
        )

    def _failed(self, failure: Any) -> None:
        if isinstance(failure.error, FlashcardsError):
            self.window.statusBar().showMessage(str(failure.error), 8000)
            QMessageBox.warning(self.window, "Flashcards", str(failure.error))
            return
        handler = getattr(self.window.runner, "default_failure", None)
        if handler is not None:
            handler(failure)

    # -- the actions ----------------------------------------------------------------------

    def toggle_suspend(self) -> None:
        """Suspend the selection, or unsuspend it when every selected card is suspended."""
        ids = self._selection()
        if not ids:
            return

        # Decided by the collection from the cards themselves: rows never scrolled into
        # view are not in the table's cache (QA: 300 suspended cards were suspended again).
        def done(change: Any) -> None:
            did = "Unsuspended" if change.label == "Unsuspend" else "Suspended"
            self.window.after_change(change, message=f"{did} {_plural(len(ids))}")

        self.window.runner.run(
            lambda col: col.toggle_suspend(ids),
            success=done,
            failure=self._failed,
            label="Toggle suspend",
        )

    def suspend(self) -> None:
        if ids := self._selection():
            self._run(lambda col: col.suspend(ids), f"Suspended {_plural(len(ids))}")

    def unsuspend(self) -> None:
        if ids := self._selection():
            self._run(lambda col: col.unsuspend(ids), f"Unsuspended {_plural(len(ids))}")

    def bury(self) -> None:
        if ids := self._selection():
            now = self.window.now()
            self._run(lambda col: col.bury(ids, now=now), f"Buried {_plural(len(ids))}")

    def flag(self, flag: Flag) -> None:
        if ids := self._selection():
            what = (
                "Cleared the flag of"
                if flag is Flag.NONE
                else f"Flagged {FLAG_NAMES[flag].lower()}:"
            )
            self._run(lambda col: col.set_flag(ids, flag), f"{what} {_plural(len(ids))}")

    def reset(self, *, confirm: bool = True) -> None:
        ids = self._selection()
        if not ids:
            return
        question = f"Reset {_plural(len(ids))} to new? Their review history is kept."
        if confirm and not self._confirmed("Forget cards", question):
            return
        now = self.window.now()
        self._run(lambda col: col.reset(ids, now=now), f"Reset {_plural(len(ids))} to new")

    def set_due(self, days: int | None = None) -> None:
        ids = self._selection()
        if not ids:
            return
        if days is None:
            value, ok = QInputDialog.getInt(
                self.window, "Set due date", "Due in how many days (0 = today)?", 1, 0, 36500
            )
            if not ok:
                return
            days = value
        now = self.window.now()
        n = days
        self._run(
            lambda col: col.set_due(ids, days=n, now=now), f"{_plural(len(ids))} due in {n} days"
        )

    def _ask_tags(self, title: str) -> list[str] | None:
        text, ok = QInputDialog.getText(self.window, title, "Tags (separated by spaces or commas):")
        return [t for t in text.replace(",", " ").split() if t] if ok else None

    def add_tags(self, tags: list[str] | None = None) -> None:
        self._edit_tags(tags, "Add tags", editing.add_tags, "Tagged {}")

    def remove_tags(self, tags: list[str] | None = None) -> None:
        self._edit_tags(tags, "Remove tags", editing.remove_tags, "Removed tags from {}")

    def _edit_tags(
        self,
        tags: list[str] | None,
        title: str,
        edit: Callable[[Any, list[str], list[str]], Any],
        done: str,
    ) -> None:
        """Apply `edit` with `tags` (asked for under `title` when None) to the selection."""
        ids = self._selection()
        if not ids:
            return
        tags = tags if tags is not None else self._ask_tags(title)
        if tags:
            chosen = list(tags)
            self._run(lambda col: edit(col, ids, chosen), done.format(_plural(len(ids))))

    def move(self, deck: str | None = None) -> None:
        """Move the selected cards' notes to deck file `deck` (asks which when None)."""
        ids = self._selection()
        if not ids:
            return
        if deck is None:
            self.window.runner.run(
                lambda col: col.decks(), success=lambda decks: self._pick_deck(ids, decks)
            )
            return
        target = deck
        self._run(
            lambda col: editing.move_notes(col, ids, target), f"Moved {_plural(len(ids))} to {deck}"
        )

    def _pick_deck(self, ids: list[str], decks: list[Any]) -> None:
        labels = [f"{d.name}  ({d.file})" for d in decks]
        label, ok = QInputDialog.getItem(self.window, "Move to deck", "Deck:", labels, 0, False)
        if ok and label in labels:
            target = decks[labels.index(label)].file
            self._run(
                lambda col: editing.move_notes(col, ids, target),
                f"Moved {_plural(len(ids))} to {target}",
            )

    def delete(self, *, confirm: bool = True) -> None:
        """Remove the selected cards' notes from their files (undoable; history kept)."""
        ids = self._selection()
        if not ids:
            return
        question = (
            f"Delete {_plural(len(ids))} from their deck files?\n"
            "Every card of the same note goes too. Undo (Ctrl+Z) puts them back; "
            "their review history is kept."
        )
        if confirm and not self._confirmed("Delete cards", question):
            return
        self._run(lambda col: editing.delete_notes(col, ids), f"Deleted {_plural(len(ids))}")

    def _confirmed(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(self.window, title, question)
        return answer == QMessageBox.StandardButton.Yes

    def undo(self) -> None:
        """Undo the last change (file edits made here, or any scheduling change)."""
        self._run(editing.undo, "")

    def redo(self) -> None:
        """Do again what the last undo took back."""

        def done(change: Any) -> None:
            if change is None:
                self.window.statusBar().showMessage("Nothing to redo", 4000)
            else:
                self.window.after_change(change)

        self.window.runner.run(
            lambda col: col.redo(), success=done, failure=self._failed, label="redo"
        )
