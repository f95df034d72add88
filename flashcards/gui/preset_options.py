"""Preferences ▸ Scheduling: presets (Anki's deck options) and the decks that use them.

Every edit is staged here — new, renamed, cloned and deleted presets, changed values,
decks moved between presets — and `PresetChanges.apply` writes them in one worker job
when the dialog is saved (`preset_changes.py`). Nothing touches the collection before that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flashcards.collection.queue import DEFAULT_PRESET_ID
from flashcards.collection.views import DeckPreset
from flashcards.core.model import Rating
from flashcards.core.scheduling import Preset
from flashcards.gui.optimize_panel import OptimizerPanel
from flashcards.gui.preset_changes import PresetChanges as PresetChanges
from flashcards.gui.preset_changes import SchedulingData as SchedulingData
from flashcards.gui.preset_changes import load_scheduling as load_scheduling
from flashcards.gui.preset_changes import staged_changes
from flashcards.gui.preset_form import FieldError, PresetForm
from flashcards.gui.theme import rating_colour

_KEY = Qt.ItemDataRole.UserRole


def ask_name(parent: QWidget, title: str, default: str) -> str | None:
    text, ok = QInputDialog.getText(parent, title, "Preset name:", text=default)
    return text if ok else None


class PresetOptions(QWidget):
    """Choose a preset, edit its options, tick the decks that use it."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ask_name: Callable[[str, str], str | None] = lambda t, d: ask_name(self, t, d)
        self.presets: dict[int, Preset] = {}
        self.original: dict[int, Preset] = {}
        self.assigned: dict[str, int] = {}
        self.original_assigned: dict[str, int] = {}
        self.deleted: set[int] = set()
        self.decks: list[DeckPreset] = []
        self.current = DEFAULT_PRESET_ID
        self._next_new = -1
        self._loading = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 12, 12, 8)
        outer.addLayout(self._build_chooser())
        body = QHBoxLayout()
        body.setSpacing(16)
        self.form = PresetForm(self)
        self.form.edited.connect(self._on_form_edited)
        self.optimizer = OptimizerPanel(self.form)
        self.optimizer.context = self._optimizer_context
        self.optimizer.edited.connect(self._on_form_edited)
        self.form.add_section(self.optimizer)
        scroll = QScrollArea(self)
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.viewport().setAutoFillBackground(False)
        self.form.setAutoFillBackground(False)
        body.addWidget(scroll, 3)
        body.addLayout(self._build_decks(), 2)
        outer.addLayout(body, 1)
        self.error = QLabel("", self)
        self.error.setWordWrap(True)
        self.error.hide()
        outer.addWidget(self.error)
        self.setEnabled(False)  # until `load`

    def _build_chooser(self) -> QVBoxLayout:
        column = QVBoxLayout()
        row = QHBoxLayout()
        label = QLabel("&Preset:", self)
        self.chooser = QComboBox(self)
        self.chooser.setMinimumWidth(200)
        self.chooser.currentIndexChanged.connect(self._on_chosen)
        label.setBuddy(self.chooser)
        row.addWidget(label)
        row.addWidget(self.chooser, 1)
        self.buttons: dict[str, QPushButton] = {}
        for name, tip, slot in (
            ("Add", "A new preset with the default options", self.add),
            ("Clone", "A new preset with this one's options", self.clone),
            ("Rename", "Rename this preset", self.rename),
            ("Delete", "Delete this preset; its decks go back to Default", self.delete),
        ):
            button = QPushButton(name + ("…" if name != "Delete" else ""), self)
            button.setToolTip(tip)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, s=slot: s())
            self.buttons[name] = button
            row.addWidget(button)
        column.addLayout(row)
        self.usage = QLabel("", self)
        self.usage.setObjectName("muted")
        column.addWidget(self.usage)
        return column

    def _build_decks(self) -> QVBoxLayout:
        column = QVBoxLayout()
        caption = QLabel("<b>Decks using this preset</b>", self)
        column.addWidget(caption)
        hint = QLabel(
            "Tick a deck to move it here. Studying a folder or all decks at once is "
            "also capped by the Default preset's daily limits.",
            self,
        )
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        column.addWidget(hint)
        self.deck_list = QTreeWidget(self)
        self.deck_list.setHeaderLabels(["Deck", "Uses now"])
        self.deck_list.setUniformRowHeights(True)
        self.deck_list.setIndentation(14)
        header = self.deck_list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.deck_list.itemChanged.connect(self._on_deck_ticked)
        column.addWidget(self.deck_list, 1)
        return column

    # -- loading and choosing ---------------------------------------------------------------

    def load(self, data: SchedulingData) -> None:
        self.presets = dict(data.presets)
        self.original = dict(data.presets)
        self.decks = list(data.decks)
        self.assigned = {d.key: d.preset_id for d in data.decks}
        self.original_assigned = dict(self.assigned)
        self.deleted = set()
        self.setEnabled(True)
        self._fill_chooser(DEFAULT_PRESET_ID)

    def _fill_chooser(self, select: int) -> None:
        self._loading = True
        self.chooser.clear()
        keys = sorted(self.presets, key=lambda k: (k != DEFAULT_PRESET_ID, k < 0, abs(k)))
        for key in keys:
            self.chooser.addItem(self.presets[key].name, key)
        self._loading = False
        self.chooser.setCurrentIndex(max(self.chooser.findData(select), 0))
        self._show(self.chooser.currentData())

    def _on_chosen(self, _index: int) -> None:
        if self._loading or self.chooser.currentData() is None:
            return
        key = int(self.chooser.currentData())
        if key == self.current:
            return
        if not self.commit_form():
            self._loading = True  # stay on the preset with the mistake
            self.chooser.setCurrentIndex(self.chooser.findData(self.current))
            self._loading = False
            return
        self._show(key)

    def _show(self, key: int) -> None:
        self.current = key
        self.form.load(self.presets[key])
        self.optimizer.load(self.presets[key], key)
        self.buttons["Delete"].setEnabled(key != DEFAULT_PRESET_ID)
        self._fill_decks()
        self.show_error("")

    def _fill_decks(self) -> None:
        """The decks as a tree of their folders; ticking a folder ticks its decks."""
        self._loading = True
        self.deck_list.clear()
        folders: dict[tuple[str, ...], QTreeWidgetItem] = {}
        for deck in self.decks:
            *path, title = deck.name.split("::")
            parent: QTreeWidgetItem | None = None
            for depth in range(1, len(path) + 1):
                folder = folders.get(tuple(path[:depth]))
                if folder is None:
                    folder = QTreeWidgetItem([path[depth - 1], ""])
                    folder.setFlags(
                        folder.flags()
                        | Qt.ItemFlag.ItemIsUserCheckable
                        | Qt.ItemFlag.ItemIsAutoTristate
                    )
                    if parent is None:
                        self.deck_list.addTopLevelItem(folder)
                    else:
                        parent.addChild(folder)
                    folders[tuple(path[:depth])] = folder
                parent = folder
            item = QTreeWidgetItem([title, ""])
            item.setData(0, _KEY, deck.key)
            if parent is None:
                self.deck_list.addTopLevelItem(item)
            else:
                parent.addChild(item)
            self._style_deck(item)
        self.deck_list.expandAll()
        self._loading = False
        self._show_usage()
        self._show_other_column()

    def _style_deck(self, item: QTreeWidgetItem) -> None:
        key = item.data(0, _KEY)
        here = self.assigned.get(key) == self.current
        item.setCheckState(0, Qt.CheckState.Checked if here else Qt.CheckState.Unchecked)
        other = self.presets.get(self.assigned.get(key, DEFAULT_PRESET_ID))
        item.setText(1, "" if here or other is None else other.name)
        item.setToolTip(0, f"{item.text(0)}\n{key}")
        flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
        if here and self.current == DEFAULT_PRESET_ID:
            # Every deck has a preset: leave Default by ticking the deck under another.
            flags &= ~Qt.ItemFlag.ItemIsUserCheckable
            item.setToolTip(0, f"{item.text(0)}\nTo move it, tick it under another preset")
        item.setFlags(flags)

    def _show_other_column(self) -> None:
        """The "Uses now" column only while some deck uses another preset."""
        elsewhere = any(k != self.current for k in self.assigned.values())
        self.deck_list.setColumnHidden(1, not elsewhere)

    def _show_usage(self) -> None:
        used = sum(1 for k in self.assigned.values() if k == self.current)
        self.usage.setText(f"Used by {used} of {len(self.decks)} decks")

    def _on_deck_ticked(self, item: QTreeWidgetItem, column: int) -> None:
        key = item.data(0, _KEY)
        if self._loading or column != 0 or key is None:  # a folder: its decks follow
            return
        if item.checkState(0) == Qt.CheckState.Checked:
            self.assigned[key] = self.current
        elif self.assigned.get(key) == self.current:
            self.assigned[key] = DEFAULT_PRESET_ID
        self._loading = True
        self._style_deck(item)
        self._loading = False
        self._show_usage()
        self._show_other_column()
        self.edited.emit()

    def _on_form_edited(self) -> None:
        self.show_error("")
        self.edited.emit()

    # -- preset actions -----------------------------------------------------------------------

    def commit_form(self) -> bool:
        """Take the form's values into the staged preset; False (and a message) if invalid."""
        try:
            self.presets[self.current] = self.optimizer.read(
                self.form.read(self.presets[self.current])
            )
        except FieldError as error:
            self.show_error(str(error))
            error.widget.setFocus()
            return False
        return True

    def add(self) -> None:
        self._new_preset(Preset(), "Add preset", "New preset")

    def clone(self) -> None:
        if self.commit_form():
            current = self.presets[self.current]
            self._new_preset(current, "Clone preset", f"{current.name} copy")

    def _new_preset(self, template: Preset, title: str, default: str) -> None:
        if not self.commit_form():
            return
        name = self._ask_unique(title, default, own=None)
        if name is None:
            return
        key, self._next_new = self._next_new, self._next_new - 1
        self.presets[key] = replace(template, name=name)
        self._fill_chooser(key)
        self.edited.emit()

    def rename(self) -> None:
        if not self.commit_form():
            return
        name = self._ask_unique("Rename preset", self.presets[self.current].name, own=self.current)
        if name is None:
            return
        self.presets[self.current] = replace(self.presets[self.current], name=name)
        self.chooser.setItemText(self.chooser.currentIndex(), name)
        self._fill_decks()
        self.edited.emit()

    def delete(self) -> None:
        key = self.current
        if key == DEFAULT_PRESET_ID:
            return
        del self.presets[key]
        if key > 0:
            self.deleted.add(key)
        for deck, preset in self.assigned.items():
            if preset == key:
                self.assigned[deck] = DEFAULT_PRESET_ID
        self.current = DEFAULT_PRESET_ID
        self._fill_chooser(DEFAULT_PRESET_ID)
        self.edited.emit()

    def _ask_unique(self, title: str, default: str, *, own: int | None) -> str | None:
        """A new name from the user; None (with a message) if empty or taken."""
        name = self.ask_name(title, default)
        if name is None:
            return None
        name = " ".join(name.split())
        taken = {p.name.casefold() for k, p in self.presets.items() if k != own}
        if not name:
            self.show_error("A preset needs a name.")
            return None
        if name.casefold() in taken:
            self.show_error(f"There is already a preset called “{name}”: pick another name.")
            return None
        self.show_error("")
        return name

    def show_error(self, text: str) -> None:
        self.error.setText(f'<span style="color:{rating_colour(Rating.AGAIN)}">{text}</span>')
        self.error.setVisible(bool(text))

    def set_runner(self, run: Callable[..., int]) -> None:
        """The worker's `run`, for the optimiser's jobs."""
        self.optimizer.run = run

    def _optimizer_context(self) -> tuple[Preset, list[str]]:
        """The preset as edited (FieldError if not valid) and the decks ticked for it."""
        preset = self.form.read(self.presets[self.current])
        return preset, [deck for deck, key in self.assigned.items() if key == self.current]

    # -- saving ---------------------------------------------------------------------------------

    def changes(self) -> PresetChanges:
        """What Save must write (call `commit_form` first)."""
        return staged_changes(
            self.presets,
            self.original,
            assigned=self.assigned,
            original_assigned=self.original_assigned,
            deleted=self.deleted,
        )
