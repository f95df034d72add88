"""The card-info window (Anki's Card Info, I in the review, Ctrl+Shift+I in the browser):
a card's facts, memory state and recall, its review history, and its links.

One window per main or browser window, reused: asking for another card shows it there.
A link or backlink opens that card's info in the same window; Back (Alt+Left) returns.
The facts are read on the worker (`collection.card_info`) and shown as they arrive.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flashcards.collection.card_info import CardInfo, HistoryRow, card_info
from flashcards.core.model import CardKind, Flag
from flashcards.gui.close_keys import add_close_keys
from flashcards.gui.theme import RATING_NAMES, rating_colour, scaled_font
from flashcards.gui.window_geometry import fit_to_screen

BACK_KEYS = "Alt+Left"
HISTORY_COLUMNS = ("Date", "Kind", "Rating", "Interval", "Time", "Stability", "Difficulty")
_KIND_NAMES = {
    CardKind.BASIC: "Basic",
    CardKind.REVERSE: "Reverse",
    CardKind.CLOZE: "Cloze",
    CardKind.CHOICE: "Multiple choice",
}


def span(delta: timedelta) -> str:
    """A duration as a reader says it: 10 minutes, 3 hours, 12 days, 2.5 months, 1.2 years."""
    seconds = delta.total_seconds()
    for unit, size, step in (
        ("minute", 60, 3600),
        ("hour", 3600, 86400),
        ("day", 86400, 86400 * 30),
        ("month", 86400 * 30, 86400 * 365),
    ):
        if seconds < step:
            value = max(seconds / size, 1 if unit == "minute" else 0)
            return _count(value, unit, decimals=1 if unit == "month" else 0)
    return _count(seconds / (86400 * 365), "year", decimals=1)


def _count(value: float, unit: str, *, decimals: int) -> str:
    text = f"{value:.{decimals}f}" if decimals else f"{round(value)}"
    if decimals and text.endswith(".0"):
        text = text[:-2]
    return f"{text} {unit}{'' if text == '1' else 's'}"


def answer_time(ms: float) -> str:
    """Time spent answering, as precise as its size asks: 0.3 s, 42 s, 3 min 20 s, 1 h 5 min
    (an average and a total use the same steps, so a 0.3 s average never sits beside a
    total of 0 s)."""
    seconds = ms / 1000
    if seconds < 10:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s" if whole % 60 else f"{whole // 60} min"
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes % 60 else f"{minutes // 60} h"


def _day(when: datetime | None) -> str:
    return "—" if when is None else when.astimezone().strftime("%Y-%m-%d")


def _relative(when: datetime, now: datetime) -> str:
    days = (when - now).total_seconds() / 86400
    if abs(days) < 1:
        return "today" if days >= 0 else "overdue, today"
    return f"in {span(when - now)}" if days > 0 else f"{span(now - when)} overdue"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"


def history_cells(row: HistoryRow) -> tuple[str, ...]:
    """The history table's cells for one review-log row (HISTORY_COLUMNS)."""
    return (
        row.time.astimezone().strftime("%Y-%m-%d %H:%M"),
        row.kind_label,
        "—" if row.rating is None else RATING_NAMES[row.rating],
        "—" if row.interval is None else span(row.interval),
        f"{row.duration_ms / 1000:.1f} s" if row.duration_ms else "",
        "" if row.stability is None else f"{row.stability:.1f} d",
        "" if row.difficulty is None else f"{row.difficulty:.1f}",
    )


def facts(info: CardInfo) -> list[tuple[str, str]]:
    """The (label, value) pairs of the facts grid, schedule first, then memory."""
    view, memory = info.view, info.view.memory
    reviewed = [r.time for r in info.answers]
    due = "New: not studied yet"
    if info.due is not None:
        due = f"{_day(info.due)} ({_relative(info.due, info.now)})"
    answers = len(info.answers)
    rows = [
        ("Added", _day(info.added)),
        ("Modified", _day(info.modified)),
        ("First review", _day(min(reviewed)) if reviewed else "—"),
        ("Latest review", _day(max(reviewed)) if reviewed else "—"),
        ("Due", due),
        ("Interval", "—" if info.interval is None else span(info.interval)),
        ("Reviews", str(view.reps)),
        ("Lapses", str(view.lapses)),
        ("Stability", "—" if memory.stability is None else span(timedelta(days=memory.stability))),
        ("Difficulty", "—" if memory.difficulty is None else f"{memory.difficulty:.1f} of 10"),
        ("Recall now", _percent(info.recall_now)),
    ]
    if info.exam is not None:
        label = f"Recall at {info.exam.exam}"
        rows.append((label, f"{_percent(info.exam.recall)} on {info.exam.day.isoformat()}"))
    else:
        rows.append(("Recall at the exam", "set an exam date to see it"))
    rows += [
        ("Average time", answer_time(info.total_ms / answers) if answers else "—"),
        ("Total time", answer_time(info.total_ms) if answers else "—"),
        ("Card type", _KIND_NAMES.get(view.card.kind, view.card.kind.value)),
        ("Preset", view.preset.name),
    ]
    return rows


def status(info: CardInfo) -> str:
    """Suspended, buried, flag, leech: what sets the card apart, if anything."""
    view = info.view
    parts = []
    if info.is_leech:
        parts.append("Leech")
    if view.suspended:
        parts.append("Suspended")
    if view.buried:
        parts.append("Buried until tomorrow")
    if view.flag is not Flag.NONE:
        parts.append(f"{view.flag.name.title()} flag")
    if not view.present:
        parts.append("Removed from its file (history kept)")
    return " · ".join(parts)


class CardInfoWindow(QWidget):
    """Shows one card's info at a time; `show_card` loads another."""

    shown = Signal(str)  # the id of the card whose info is on show

    def __init__(
        self,
        runner: Any,
        *,
        now: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.runner = runner
        self.now = now
        self.info: CardInfo | None = None
        self.trail: list[str] = []  # cards shown before, for Back
        self._asked: str | None = None
        self.setWindowTitle("Card info")
        self._build()
        add_close_keys(self)
        back = QAction("Back", self)
        back.setShortcut(QKeySequence(BACK_KEYS))
        back.triggered.connect(lambda _=False: self.go_back())
        self.addAction(back)
        fit_to_screen(self, QSize(860, 720), key="card_info")

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.setSpacing(8)
        top = QHBoxLayout()
        self.back_button = QPushButton("← Back", self)
        self.back_button.setToolTip(f"The card shown before ({BACK_KEYS})")
        self.back_button.setObjectName("quiet")
        self.back_button.clicked.connect(self.go_back)
        self.title = QLabel("", self)
        self.title.setFont(scaled_font(self.font(), 1.35, weight=self.font().Weight.DemiBold))
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(self.title, 1)
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(top)
        self.place = QLabel("", self)
        self.place.setObjectName("muted")
        self.place.setWordWrap(True)
        outer.addWidget(self.place)
        self.status = QLabel("", self)
        self.status.setStyleSheet("font-weight: 600;")
        outer.addWidget(self.status)

        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(3)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self.values: dict[str, QLabel] = {}
        outer.addLayout(self.grid)

        outer.addWidget(self._heading("Review history"))
        self.history = QTableWidget(0, len(HISTORY_COLUMNS), self)
        self.history.setHorizontalHeaderLabels(list(HISTORY_COLUMNS))
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setAlternatingRowColors(True)
        self.history.setShowGrid(False)
        self.history.setWordWrap(False)
        self.history.verticalHeader().setDefaultSectionSize(24)
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(64)
        for column in range(len(HISTORY_COLUMNS)):
            cell = self.history.horizontalHeaderItem(column)
            if cell is not None:  # numbers right-aligned under their headings, text left
                cell.setTextAlignment(_align(column))
        self.history.setFrameShape(QFrame.Shape.StyledPanel)
        outer.addWidget(self.history, 3)
        self.no_history = QLabel("Not reviewed yet.", self)
        self.no_history.setObjectName("muted")
        outer.addWidget(self.no_history)

        links = QHBoxLayout()
        links.setSpacing(14)
        self.links = self._link_list()
        self.backlinks = self._link_list()
        for heading, widget in (("Links to", self.links), ("Linked from", self.backlinks)):
            stack = QVBoxLayout()
            stack.setSpacing(4)
            stack.addWidget(self._heading(heading))
            stack.addWidget(widget)
            links.addLayout(stack, 1)
        outer.addLayout(links, 2)

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setStyleSheet("font-weight: 600; margin-top: 4px;")
        return label

    def _link_list(self) -> QListWidget:
        widget = QListWidget(self)
        widget.setObjectName("cardLinks")  # the theme's quiet, hoverable list
        widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        widget.setTextElideMode(Qt.TextElideMode.ElideRight)
        widget.setUniformItemSizes(True)
        widget.itemActivated.connect(self._open_item)
        widget.itemClicked.connect(self._open_item)
        return widget

    # -- showing ----------------------------------------------------------------------------

    def show_card(self, card_id: str, *, follow: bool = False) -> None:
        """Load and show the info of `card_id`; with `follow`, Back returns to the card
        shown now."""
        if follow and self.info is not None and self.info.view.id != card_id:
            self.trail.append(str(self.info.view.id))
        elif not follow:
            self.trail.clear()
        self._load(card_id)
        self.show()
        self.raise_()
        self.activateWindow()

    def _load(self, card_id: str) -> None:
        self._asked = card_id
        now = self.now()
        self.runner.run(
            lambda col: card_info(col, card_id, now=now), success=self._show, label="card info"
        )

    def go_back(self) -> None:
        """Show the card shown before the last link was followed."""
        if not self.trail:
            return
        self._load(self.trail.pop())

    def _show(self, info: CardInfo) -> None:
        if str(info.view.id) != self._asked:
            return  # an older request answered late
        self.info = info
        view, card = info.view, info.view.card
        self.setWindowTitle(f"Card info — {card.title}")
        self.title.setText(card.title)
        deck = str(view.deck).replace("::", " › ")
        where = " · ".join(p for p in (deck, view.domain or "") if p)
        self.place.setText(f"{where}\n{card.file}, line {card.line_start}")
        self.status.setText(status(info))
        self.status.setVisible(bool(self.status.text()))
        self._fill_facts(facts(info))
        self._fill_history(info)
        self._fill_links(self.links, info.links, "No links in this card.")
        self._fill_links(self.backlinks, info.backlinks, "No card links here.")
        self.back_button.setEnabled(bool(self.trail))
        self.shown.emit(str(view.id))

    def _fill_facts(self, rows: list[tuple[str, str]]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.values.clear()
        half = (len(rows) + 1) // 2
        for i, (label, value) in enumerate(rows):
            row, column = (i, 0) if i < half else (i - half, 2)
            name = QLabel(label + ":", self)
            name.setObjectName("muted")
            shown = QLabel(value, self)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.grid.addWidget(name, row, column)
            self.grid.addWidget(shown, row, column + 1)
            self.values[label] = shown

    def _fill_history(self, info: CardInfo) -> None:
        rows = list(reversed(info.history))  # newest first, as Anki lists them
        self.history.setRowCount(len(rows))
        for r, entry in enumerate(rows):
            for c, text in enumerate(history_cells(entry)):
                item = QTableWidgetItem(text)
                if c == 2 and entry.rating is not None:
                    item.setForeground(QColor(rating_colour(entry.rating)))
                item.setTextAlignment(_align(c))
                self.history.setItem(r, c, item)
        self.history.setCurrentCell(-1, -1)  # no cell outlined until the user moves there
        self.history.setVisible(bool(rows))
        self.no_history.setVisible(not rows)

    def _fill_links(self, widget: QListWidget, views: tuple[Any, ...], empty: str) -> None:
        widget.clear()
        for view in views:
            deck = str(view.deck).replace("::", " › ")
            item = QListWidgetItem(f"{view.card.title}  ·  {view.deck_title}")
            item.setData(Qt.ItemDataRole.UserRole, str(view.id))
            item.setToolTip(f"{view.card.title}\n{deck}\nClick or press Enter: its card info")
            widget.addItem(item)
        if not views:
            item = QListWidgetItem(empty)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            widget.addItem(item)

    def _open_item(self, item: QListWidgetItem) -> None:
        card_id = item.data(Qt.ItemDataRole.UserRole)
        if card_id:
            self.show_card(str(card_id), follow=True)


def _align(column: int) -> Qt.AlignmentFlag:
    side = Qt.AlignmentFlag.AlignRight if column >= 3 else Qt.AlignmentFlag.AlignLeft
    return side | Qt.AlignmentFlag.AlignVCenter


def open_card_info(
    owner: QWidget, runner: Any, card_id: str, *, now: Callable[[], datetime]
) -> CardInfoWindow:
    """Show `card_id` in the card-info window of `owner`'s window (made on first use)."""
    top = owner.window()
    # Its own: a browser window may be a child of the main window and have one too.
    window = top.findChild(CardInfoWindow, "", Qt.FindChildOption.FindDirectChildrenOnly)
    if window is None:
        window = CardInfoWindow(runner, now=now, parent=top)
    window.show_card(card_id)
    return window
