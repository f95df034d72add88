"""What the deck editors ask when work could be lost: the file changed on disk while
there are unsaved edits (reload, keep mine, show both), or a window closes with them
(save, discard, cancel). Tests replace the editors' `ask_conflict` / `ask_close`."""

from __future__ import annotations

import enum

from PySide6.QtWidgets import QMessageBox, QWidget


class ConflictChoice(enum.Enum):
    """What to do with a file changed on disk under unsaved edits."""

    RELOAD = "reload"  # take the file on disk, drop my edits
    KEEP_MINE = "keep"  # keep my text; the next save replaces the file
    SHOW_BOTH = "both"  # keep mine and open the disk version beside it


class CloseChoice(enum.Enum):
    """What to do with unsaved edits when the window closes."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def ask_conflict(parent: QWidget, name: str) -> ConflictChoice:
    """Ask what to do: the file `name` changed on disk while edits were unsaved."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("File changed on disk")
    box.setText(f"{name} was changed by another program while you were editing it.")
    box.setInformativeText("Your unsaved changes are still here. What should happen?")
    reload_ = box.addButton("Reload from disk", QMessageBox.ButtonRole.DestructiveRole)
    both = box.addButton("Show both", QMessageBox.ButtonRole.ActionRole)
    keep = box.addButton("Keep mine", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(keep)
    box.exec()
    clicked = box.clickedButton()
    if clicked is reload_:
        return ConflictChoice.RELOAD
    if clicked is both:
        return ConflictChoice.SHOW_BOTH
    return ConflictChoice.KEEP_MINE


def ask_close(parent: QWidget, name: str) -> CloseChoice:
    """Ask whether to save `name` before closing."""
    answer = QMessageBox.question(
        parent,
        "Unsaved changes",
        f"Save your changes to {name}?",
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Save,
    )
    if answer == QMessageBox.StandardButton.Save:
        return CloseChoice.SAVE
    if answer == QMessageBox.StandardButton.Discard:
        return CloseChoice.DISCARD
    return CloseChoice.CANCEL
