"""File ▸ Conflict copies…: a sync engine's copies of deck files beside their originals,
side by side with the lines that differ marked; keep one, the other goes to the data
folder's `conflicts/` (collection/conflict_copies.py, docs/sync.md)."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)


def _load(col: Any) -> list[tuple[Any, str, str]]:
    from flashcards.collection.conflict_copies import conflict_copies, read_both

    return [(copy, *read_both(copy)) for copy in conflict_copies(col)]


def _marked(edit: QPlainTextEdit, lines: set[int], colour: QColor) -> None:
    """Paint the lines (0-based) of `edit` that the other side does not have."""
    selections = []
    doc = edit.document()
    for number in sorted(lines):
        block = doc.findBlockByNumber(number)
        if not block.isValid():
            continue
        selection = QTextEdit.ExtraSelection()
        selection.cursor = QTextCursor(block)
        selection.format.setBackground(colour)
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        selections.append(selection)
    edit.setExtraSelections(selections)


def differing_lines(original: str, copy: str) -> tuple[set[int], set[int]]:
    """Lines (0-based) of each side that the other lacks or has otherwise."""
    left, right = original.splitlines(), copy.splitlines()
    only_left: set[int] = set()
    only_right: set[int] = set()
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag != "equal":
            only_left.update(range(a0, a1))
            only_right.update(range(b0, b1))
    return only_left, only_right


class ConflictDialog(QDialog):
    """The conflict copies in the library, one compared with its original at a time."""

    resolved = Signal()  # a copy or an original was set aside: the decks changed

    def __init__(self, worker: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.setWindowTitle("Conflict copies")
        self.items: list[tuple[Any, str, str]] = []
        self.list = QListWidget(self)
        self.list.currentRowChanged.connect(self._show)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.original = QPlainTextEdit(self)
        self.copy = QPlainTextEdit(self)
        for edit in (self.original, self.copy):
            edit.setReadOnly(True)
            edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.original_label, self.copy_label = QLabel(self), QLabel(self)
        for label in (self.original_label, self.copy_label):
            label.setWordWrap(True)  # long paths must not widen one side
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.list.setMaximumHeight(110)
        sides = QSplitter(Qt.Orientation.Horizontal, self)
        self.sides = sides
        for label, edit in ((self.original_label, self.original), (self.copy_label, self.copy)):
            box = QWidget(sides)
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(label)
            column.addWidget(edit)
        self.keep_original = QPushButton("Keep the &original", self)
        self.keep_copy = QPushButton("Keep the &copy", self)
        self.keep_original.clicked.connect(lambda: self._resolve("original"))
        self.keep_copy.clicked.connect(lambda: self._resolve("copy"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.keep_original)
        row.addWidget(self.keep_copy)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.note)
        layout.addWidget(sides, 4)
        layout.addLayout(row)
        self.resize(1100, 640)
        sides.setSizes([550, 550])
        self.reload()

    def reload(self) -> None:
        self.worker.run(_load, success=self._loaded, label="conflict copies")

    def _loaded(self, items: list[tuple[Any, str, str]]) -> None:
        self.items = items
        self.list.clear()
        for copy, _original, _text in items:
            self.list.addItem(f"{Path(copy.path).name}  ({copy.engine})")
        has = bool(items)
        self.keep_original.setEnabled(has)
        self.keep_copy.setEnabled(has)
        if has:
            self.list.setCurrentRow(0)
        else:
            self.note.setText("No conflict copies: every deck file is in one version.")
            self.original.clear()
            self.copy.clear()

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.items):
            return
        copy, original, text = self.items[row]
        self.note.setText(
            f"{copy.engine} kept both versions of {Path(copy.original).name}: the copy is "
            "not read as a deck. Compare them, keep one (edit it first if you want parts "
            "of both); the other is moved to the data folder's conflicts folder."
        )
        self.original_label.setText(f"Original: {copy.original}")
        self.copy_label.setText(f"Copy: {copy.path}")
        self.original.setPlainText(original)
        self.copy.setPlainText(text)
        left, right = differing_lines(original, text)
        _marked(self.original, left, QColor(255, 200, 200, 140))
        _marked(self.copy, right, QColor(200, 255, 200, 140))

    def _resolve(self, keep: str) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.items):
            return
        copy = self.items[row][0]

        def done(_report: Any) -> None:
            self.resolved.emit()
            self.reload()

        from flashcards.collection.conflict_copies import resolve_conflict

        self.worker.run(
            lambda col: resolve_conflict(col, copy, keep=keep), success=done, label="resolve"
        )


def show_conflicts(main: Any) -> ConflictDialog:
    dialog = ConflictDialog(main.worker, main)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.resolved.connect(main.refresh)
    dialog.open()
    return dialog
