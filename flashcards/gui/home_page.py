"""The Today page: what is due, how long it takes, the streak, and a big Study button."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flashcards.gui.deck_tree import Scope, whole_name
from flashcards.gui.summary_page import Tile, format_when
from flashcards.gui.theme import scaled_font
from flashcards.gui.today import Today

STUDY_TEXT_WIDTH = 400
"""The Study button's text is shortened past this many pixels."""
CAPTION_WIDTH = 220
"""The cards tile's caption ("to study in Getting started") is shortened past this."""
ALL_CAPTION = "cards to study"


class HomePage(QWidget):
    """`study_requested(scope)` from the Study button, Enter/Space, or a deck row."""

    study_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.scope = Scope("All decks")
        self._picked = False  # the user chose a scope in the sidebar: keep it
        self.today: Today | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 32, 40, 24)
        outer.setSpacing(0)
        self.title = QLabel("Today", self)
        self.title.setFont(scaled_font(self.font(), 2.3, weight=QFont.Weight.DemiBold))
        outer.addWidget(self.title)
        self.date_label = QLabel("", self)
        self.date_label.setObjectName("muted")
        self.date_label.setFont(scaled_font(self.font(), 1.1))
        outer.addWidget(self.date_label)
        # The exam line (gui/exam/exam_line.py) goes here when the library has an exam.
        self.exam_area = QVBoxLayout()
        self.exam_area.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self.exam_area)
        # With the exam deadline on: its new-card pace (collection/deadline.py).
        self.deadline_line = QLabel("", self)
        self.deadline_line.setObjectName("deadlineLine")
        self.deadline_line.setWordWrap(True)
        self.deadline_line.setToolTip(
            "Scheduling for the exam date is on (Preferences ▸ Exam): new cards come at this "
            "pace, no card waits past the exam while its recall would fall short, and the "
            "last days bring the weakest cards back."
        )
        self.deadline_line.hide()
        outer.addWidget(self.deadline_line)
        outer.addSpacing(26)

        tiles = QHBoxLayout()
        tiles.setSpacing(14)
        # The first two tiles count what the Study button studies (its scope); the
        # streak and today's reviews are the user's, across every deck.
        self.due_tile = Tile(ALL_CAPTION, self)
        self.time_tile = Tile("estimated time", self)
        self.streak_tile = Tile("day streak", self)
        self.done_tile = Tile("reviewed today", self)
        for tile in (self.due_tile, self.time_tile, self.streak_tile, self.done_tile):
            tiles.addWidget(tile)
        tiles.addStretch(1)
        outer.addLayout(tiles)
        outer.addSpacing(26)

        study_row = QHBoxLayout()
        self.study_button = QPushButton("Study now", self)
        self.study_button.setObjectName("primary")
        self.study_button.setFont(scaled_font(self.font(), 1.25, weight=QFont.Weight.DemiBold))
        self.study_button.setMinimumWidth(240)
        self.study_button.setMinimumHeight(self.study_button.sizeHint().height() + 14)
        self.study_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.study_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.study_button.clicked.connect(lambda: self.study_requested.emit(self.scope))
        study_row.addWidget(self.study_button)
        self.study_hint = QLabel("Space or Enter", self)
        self.study_hint.setObjectName("keyHint")
        self.study_hint.setWordWrap(True)  # a narrow window wraps the hint, not the button
        study_row.addSpacing(14)
        study_row.addWidget(self.study_hint)
        study_row.addStretch(1)
        outer.addLayout(study_row)
        outer.addSpacing(30)

        separator = QFrame(self)
        separator.setObjectName("separator")
        outer.addWidget(separator)
        outer.addSpacing(14)
        heading = QLabel("Decks", self)
        heading.setFont(scaled_font(self.font(), 1.25, weight=QFont.Weight.DemiBold))
        outer.addWidget(heading)
        outer.addSpacing(8)
        self.deck_list = QTreeWidget(self)
        self.deck_list.setObjectName("homeDecks")
        self.deck_list.setColumnCount(5)
        self.deck_list.setHeaderLabels(["Deck", "Domain", "New", "Learning", "Due"])
        self.deck_list.setRootIsDecorated(False)
        self.deck_list.setAlternatingRowColors(False)
        self.deck_list.setFrameShape(QFrame.Shape.NoFrame)
        self.deck_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.deck_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.deck_list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.deck_list.itemActivated.connect(self._on_deck_activated)
        self.deck_list.itemDoubleClicked.connect(self._on_deck_activated)
        outer.addWidget(self.deck_list, 1)

    def set_scope(self, scope: Scope) -> None:
        """The sidebar's choice: what Study will study."""
        self.scope = scope
        self._picked = True
        self._update_button()
        self._show_scope()

    def start_sentence(self) -> str:
        """What Study does now, in the welcome's words (rich text): the same rule as
        the button, so the two never disagree."""
        tour = self.today.tour if self.today is not None else None
        if tour is not None and self.scope == tour_scope(tour):
            return (
                f"<b>Study {tour.title}</b> (or Space) starts with that deck: "
                f"{tour_cards(tour)} short cards that teach the app by using it. Once they are "
                "done, "
                "the button reads <b>Study now</b> and takes every deck, the exam decks too."
            )
        return (
            "<b>Study now</b> (or Space) takes today's new and due cards from every deck; "
            "pick a deck in the sidebar to study just that one."
        )

    def set_today(self, today: Today, *, now: datetime | None = None) -> None:
        self.today = today
        if not self._picked:  # a newcomer starts with the tour, then studies everything
            self.scope = tour_scope(today.tour) if today.tour is not None else Scope("All decks")
        # The study day, as the counts, the heatmap and the exam date have it.
        day = today.day or (now or datetime.now().astimezone()).date()
        self.date_label.setText(f"{day:%A} {day.day} {day:%B}")
        self.deadline_line.setText(today.deadline or "")
        self.deadline_line.setVisible(bool(today.deadline))
        self.streak_tile.value.setText(str(today.streak))
        self.done_tile.value.setText(str(today.reviews_today))
        self.deck_list.clear()
        # By name, as in the sidebar: a row must not jump when its counts change.
        for info in sorted(today.decks, key=lambda d: d.name):
            item = QTreeWidgetItem(
                [
                    info.title,
                    info.domain or "",
                    str(info.new or "·"),
                    str(info.learning or "·"),
                    str(info.due or "·"),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, info.name)
            item.setToolTip(0, info.name.replace("::", " › "))
            for column in (2, 3, 4):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            if not (info.new or info.learning or info.due):
                for column in range(5):
                    item.setForeground(column, self.palette().placeholderText())
            self.deck_list.addTopLevelItem(item)
        self._update_button()
        self._show_scope()

    def scope_counts(self) -> tuple[int, int, int]:
        """(new, learning, review) that Study takes now: its scope's, not every deck's."""
        if self.today is None:
            return (0, 0, 0)
        return self.today.counts_for(self.scope.deck, self.scope.domain)

    def _show_scope(self) -> None:
        """The cards and time tiles and the hint, for what the Study button studies."""
        today = self.today
        if today is None:
            return
        counts = self.scope_counts()
        cards = sum(counts)
        self.due_tile.value.setText(str(cards))
        self.time_tile.value.setText(f"{today.minutes_for(counts)} min" if cards else "–")
        everything = self.scope.deck is None and self.scope.domain is None
        caption = ALL_CAPTION if everything else f"to study in {self.scope.label}"
        metrics = self.due_tile.caption.fontMetrics()
        shown = metrics.elidedText(caption, Qt.TextElideMode.ElideMiddle, CAPTION_WIDTH)
        self.due_tile.caption.setText(shown)
        self.due_tile.setToolTip(
            "What the Study button takes today"
            + ("" if everything else f": {whole_name(self.scope)}")
            + f" — {counts[0]} new, {counts[1]} learning, {counts[2]} due"
        )
        if today.to_study == 0 and today.next_due is not None:
            self.study_hint.setText(
                f"All done for now — next card due {format_when(today.next_due)}"
            )
        elif today.tour is not None and self.scope == tour_scope(today.tour):
            self.study_hint.setText(
                f"Space or Enter · start here: {tour_cards(today.tour)} cards that show how "
                "the app works, then Study now takes every deck"
            )
        elif cards == 0 and today.to_study:
            self.study_hint.setText(
                f"Nothing left in {self.scope.label} today · "
                f"{today.to_study} more in All decks (sidebar, top)"
            )
        else:
            self.study_hint.setText("Space or Enter")

    def _update_button(self) -> None:
        label = self.scope.label
        text = "Study now" if label == "All decks" else f"Study {label}"
        # A long deck name is shortened in the middle ("Study Modeling: tra…nd tuning"),
        # and the button is never narrower than its text: the layout cannot clip "Study".
        metrics = self.study_button.fontMetrics()
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, STUDY_TEXT_WIDTH)
        self.study_button.setText(shown)
        self.study_button.setToolTip(text if shown != text else "")
        self.study_button.setMinimumWidth(max(240, self.study_button.sizeHint().width()))
        self.study_button.setEnabled(True)

    def _on_deck_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        name = item.data(0, Qt.ItemDataRole.UserRole)
        self.study_requested.emit(Scope(name.split("::")[-1], deck=name))

    def take_study_keys_from(self, *widgets: QWidget) -> None:
        """Space studies from these widgets too while this page is on screen: the
        sidebar (which would take Space to select), the window (keys nothing took)."""
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if (
            event.type() == QEvent.Type.KeyPress
            and self.isVisible()
            and isinstance(event, QKeyEvent)
            and _is_study_key(event)
        ):
            self.study_requested.emit(self.scope)
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if _is_study_key(event):
            self.study_requested.emit(self.scope)
            return
        super().keyPressEvent(event)


def tour_scope(tour: Any) -> Scope:
    """The Study scope of the tour deck (a DeckInfo)."""
    return Scope(str(tour.title), deck=str(tour.name))


def tour_cards(tour: Any) -> int:
    """The tour's cards to study today, as its session counts them."""
    return int(tour.new + tour.learning + tour.due)


def _is_study_key(event: QKeyEvent) -> bool:
    """Space or Enter without Ctrl, Alt or Shift (the keypad's Enter too)."""
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return mods == Qt.KeyboardModifier.NoModifier and event.key() in (
        Qt.Key.Key_Space,
        Qt.Key.Key_Return,
        Qt.Key.Key_Enter,
    )
