"""Go ▸ Readiness: where the learner stands for the active exam — the predicted score
with its band and pass chance, expected recall per domain, the trend, and the weakest
decks and tags, each one click from studying their weakest cards."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from flashcards.collection.weak_spots import WeakSpot
from flashcards.core.readiness import percent_text
from flashcards.gui.close_keys import add_close_keys
from flashcards.gui.exam import readiness_ops as ops
from flashcards.gui.exam.readiness_charts import DomainBars, TrendChart
from flashcards.gui.summary_page import Tile
from flashcards.gui.theme import scaled_font
from flashcards.gui.window_geometry import fit_to_screen

MODEL_NOTE = (
    "How this is worked out: each card's chance of being recalled on the exam day, from its "
    "memory (FSRS), counting the reviews due before then; a card never studied counts at "
    "{prior}. A domain's recall is the mean over its cards, and the score assumes each "
    "question is answered right with its domain's recall: ± is one standard deviation of "
    "{questions} such questions, and the pass chance the probability of {need} or more right."
)


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setFont(scaled_font(parent.font(), 1.2, weight=QFont.Weight.DemiBold))
    return label


class ReadinessWindow(QWidget):
    """`date_requested` (the date dialog), `changed` (the profile or date changed: the
    main window refreshes), `study_requested(title, card ids)`."""

    date_requested = Signal()
    changed = Signal()
    study_requested = Signal(str, list)

    def __init__(
        self,
        worker: Any,
        *,
        now: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("readinessWindow")
        self.setWindowTitle("Readiness")
        self.worker = worker
        self.now = now or (lambda: datetime.now(UTC))
        self.page: ops.ReadinessPage | None = None
        self._loading_profiles = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget(scroll)
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(28, 20, 28, 20)
        layout.setSpacing(8)

        top = QHBoxLayout()
        self.title = QLabel("Readiness", body)
        self.title.setFont(scaled_font(self.font(), 1.8, weight=QFont.Weight.DemiBold))
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(QLabel("Exam:", body))
        self.profile_box = QComboBox(body)
        self.profile_box.setObjectName("profileBox")
        self.profile_box.setMinimumContentsLength(12)
        self.profile_box.currentIndexChanged.connect(self._on_profile)
        top.addWidget(self.profile_box)
        self.date_button = QPushButton("Set exam date…", body)
        self.date_button.setObjectName("examDateButton")
        self.date_button.clicked.connect(self.date_requested)
        top.addWidget(self.date_button)
        layout.addLayout(top)
        self.when = QLabel("", body)
        self.when.setObjectName("muted")
        self.when.setWordWrap(True)
        layout.addWidget(self.when)
        layout.addSpacing(8)

        tiles = QHBoxLayout()
        tiles.setSpacing(12)
        self.score_tile = Tile("predicted score", body)
        self.pass_tile = Tile("pass mark", body)
        self.chance_tile = Tile("chance to pass", body)
        self.days_tile = Tile("days left", body)
        for tile in (self.score_tile, self.pass_tile, self.chance_tile, self.days_tile):
            tiles.addWidget(tile)
        tiles.addStretch(1)
        layout.addLayout(tiles)
        layout.addSpacing(10)

        layout.addWidget(_heading("Expected recall on the day, by domain", body))
        self.bars = DomainBars(body)
        layout.addWidget(self.bars)
        layout.addSpacing(8)
        layout.addWidget(_heading("Predicted score, day by day", body))
        self.trend = TrendChart(body)
        layout.addWidget(self.trend)
        layout.addSpacing(8)
        layout.addWidget(_heading("Weakest decks and tags", body))
        self.spots = QGridLayout()
        self.spots.setHorizontalSpacing(14)
        self.spots.setVerticalSpacing(4)
        layout.addLayout(self.spots)
        self.note = QLabel("", body)
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        layout.addSpacing(10)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.study_buttons: list[QPushButton] = []
        add_close_keys(self)
        fit_to_screen(self, QSize(980, 720), key="readiness")

    # -- loading ----------------------------------------------------------------------------

    def load(self) -> None:
        """Fetch the page on the worker (the forecast, trend and weak spots)."""
        now = self.now()
        self.worker.run(
            lambda col: ops.load_page(col, now=now), success=self.show_page, label="readiness"
        )

    def show_page(self, page: ops.ReadinessPage) -> None:
        self.page = page
        self._loading_profiles = True
        self.profile_box.clear()
        for choice in page.settings.profiles:
            self.profile_box.addItem(choice.short, choice.key)
            self.profile_box.setItemData(
                self.profile_box.count() - 1, choice.label, Qt.ItemDataRole.ToolTipRole
            )
            if choice.key == page.settings.active:
                self.profile_box.setCurrentIndex(self.profile_box.count() - 1)
        self._loading_profiles = False
        r = page.readiness
        if r is None:
            self.when.setText(
                "No exam profile in the library: add an exam.toml beside your decks "
                "(README, “Exam”)."
            )
            self.date_button.setEnabled(False)
            return
        self.date_button.setEnabled(True)
        profile = r.profile.profile
        self.title.setText(f"Readiness — {profile.short_label}")
        parts = [f"{profile.name}."] if profile.name != profile.short_label else []
        if r.exam_date is None:
            parts.append("No exam date yet: the figures are for today.")
            self.date_button.setText("Set exam date…")
        elif (r.days_left or 0) < 0:
            parts.append(
                f"The exam date {ops.day_text(r.exam_date)} has passed: figures for today."
            )
            self.date_button.setText("Set exam date…")
        else:
            parts.append(f"Exam on {r.exam_date:%A} {ops.day_text(r.exam_date)}.")
            self.date_button.setText("Change date…")
        if note := ops.profile_note(r.profile):
            if r.exam_date is not None and profile.retired_on(r.exam_date):
                note = f"{note}: it can no longer be sat on that date"
            parts.append(note + ".")
        self.when.setText(" ".join(parts))
        s = r.score
        self.score_tile.value.setText(f"{s.score:.0f} ± {s.band:.0f}")
        self.pass_tile.value.setText(str(s.pass_mark))
        self.pass_tile.caption.setText(f"pass mark ({profile.score_min}–{profile.score_max})")
        self.chance_tile.value.setText(percent_text(s.pass_chance))
        days = r.days_left
        self.days_tile.value.setText("–" if days is None or days < 0 else str(days))
        self.bars.set_domains(r.domains, pass_share=profile.raw_pass_share)
        self.trend.set_points(
            page.trend, scale=(profile.score_min, profile.score_max), pass_mark=s.pass_mark
        )
        self._show_spots(page)
        from flashcards.core.readiness import questions_to_pass

        self.note.setText(
            MODEL_NOTE.format(
                prior=f"{r.new_prior:.0%}",
                questions=profile.questions,
                need=questions_to_pass(profile),
            )
        )

    def _show_spots(self, page: ops.ReadinessPage) -> None:
        while self.spots.count():
            item = self.spots.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.study_buttons = []
        spots = page.spots
        columns = (("Decks", spots.decks if spots else ()), ("Tags", spots.tags if spots else ()))
        for column, (title, items) in enumerate(columns):
            base = column * 3
            header = QLabel(f"<b>{title}</b>", self)
            self.spots.addWidget(header, 0, base, 1, 3)
            if not items:
                empty = QLabel("none yet", self)
                empty.setObjectName("muted")
                self.spots.addWidget(empty, 1, base, 1, 3)
            for row, spot in enumerate(items, start=1):
                shown = spot.name.split("::")[-1] if spot.kind == "deck" else f"#{spot.name}"
                name = QLabel(shown, self)
                name.setWordWrap(True)  # a long deck name wraps on a small screen
                name.setToolTip(
                    f"{spot.name.replace('::', ' › ')}: {spot.cards:,} cards of the exam, "
                    f"{spot.new:,} never studied"
                )
                new = " · all new" if spot.new == spot.cards else ""
                recall = QLabel(f"{spot.recall:.0%}{new}", self)
                recall.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                study = QPushButton("Study", self)
                study.setObjectName("studySpot")
                study.setToolTip(f"Study the weakest cards of {spot.name} now")
                study.clicked.connect(lambda _=False, s=spot: self._study(s))
                self.study_buttons.append(study)
                self.spots.addWidget(name, row, base)
                self.spots.addWidget(recall, row, base + 1)
                self.spots.addWidget(study, row, base + 2)
        self.spots.setColumnStretch(0, 1)
        self.spots.setColumnStretch(3, 1)

    # -- actions ----------------------------------------------------------------------------

    def _on_profile(self, index: int) -> None:
        if self._loading_profiles or index < 0 or self.page is None:
            return
        key = self.profile_box.itemData(index)
        if key == self.page.settings.active:
            return
        self.worker.run(
            lambda col: ops.save_exam(col, key=key, day=None, set_day=False),
            success=lambda _r: self._after_change(),
            label="exam profile",
        )

    def _after_change(self) -> None:
        self.changed.emit()
        self.load()

    def _study(self, spot: WeakSpot) -> None:
        now = self.now()
        title = f"{spot.name.replace('::', ' › ')} — weakest cards"
        self.worker.run(
            lambda col: ops.study_cards(col, spot, now=now),
            success=lambda ids: self.study_requested.emit(title, list(ids)),
            label="weakest cards",
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        super().closeEvent(event)
