"""The statistics window: filters on top (deck, folder or exam domain; a search in the
browser's language; the period), the charts below, filled from the worker as their
figures arrive.

The window shows at once with every chart waiting; two operations on the app's worker
read the figures (the review log's, then the cards'), and each fills its charts when it
returns. A change of filter starts again; answers to an older filter are dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QScrollArea,
    QToolBar,
    QWidget,
)

from flashcards.collection.card_stats import CardFigures, card_figures
from flashcards.collection.domain_retention import DomainRetention, domain_retention
from flashcards.collection.stats import HistoryFigures, history_figures
from flashcards.collection.stats_filter import StatsFilter
from flashcards.core.errors import FlashcardsError
from flashcards.core.stats import Period
from flashcards.gui.browser.guarded_runner import GuardedRunner
from flashcards.gui.close_keys import add_close_keys
from flashcards.gui.review_models import BACKGROUND
from flashcards.gui.stats.charts import ChartView
from flashcards.gui.stats.fill import fill_cards, fill_history
from flashcards.gui.stats.heatmap_view import HeatmapView
from flashcards.gui.stats.panel import Panel
from flashcards.gui.stats.retention_table import DomainTable, RetentionTable
from flashcards.gui.window_geometry import fit_to_screen

SEARCH_PAUSE_MS = 500
PERIOD_KEY = "statistics/period"

# (key, title, row, column, columns spanned): two charts a row, three for the histograms.
LAYOUT: tuple[tuple[str, str, int, int, int], ...] = (
    ("heatmap", "Reviews in the past year", 0, 0, 6),
    ("retention", "True retention", 1, 0, 6),
    ("domains", "True retention and leeches by exam domain", 2, 0, 6),
    ("forecast", "Due in the next days", 3, 0, 3),
    ("states", "Card states", 3, 3, 3),
    ("reviews", "Reviews", 4, 0, 3),
    ("time", "Time spent", 4, 3, 3),
    ("buttons", "Answer buttons", 5, 0, 3),
    ("hours", "Hour of day", 5, 3, 3),
    ("stability", "Stability", 6, 0, 2),
    ("difficulty", "Difficulty", 6, 2, 2),
    ("recall", "Recall now", 6, 4, 2),
)


@dataclass(frozen=True)
class Scope:
    """An entry of the scope list: what it shows and the selection it stands for."""

    label: str
    deck: str | None


def _utc_now() -> datetime:
    return datetime.now(UTC)


def scopes_of(col: Any) -> list[Scope]:
    """Every folder, deck and exam domain of the collection (run on the worker)."""
    decks = col.decks()
    folders = sorted(
        {"::".join(d.name.split("::")[:i]) for d in decks for i in range(1, d.name.count("::") + 1)}
    )
    domains = sorted({d.domain for d in decks if d.domain})
    return [
        Scope("All decks", None),
        *(Scope(f"Domain: {name}", f"domain:{name}") for name in domains),
        *(Scope(f"Folder: {name}", name) for name in folders),
        *(Scope(f"Deck: {d.name}", d.name) for d in sorted(decks, key=lambda d: d.name.casefold())),
    ]


class StatsWindow(QMainWindow):
    """Charts of the collection's history and cards; `load()` fills them."""

    history_shown = Signal(object)  # HistoryFigures
    cards_shown = Signal(object)  # CardFigures

    def __init__(
        self,
        runner: Any,
        *,
        deck: str | None = None,
        settings: QSettings | None = None,
        now: Callable[[], datetime] = _utc_now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = GuardedRunner(runner, self)
        self.settings = settings
        self.now = now
        self.deck = deck  # a deck name, a folder, "domain:NAME" or None (every deck)
        self._scopes_loaded = False
        self._generation = 0
        self._got: set[str] = set()
        self.history: HistoryFigures | None = None
        self.cards: CardFigures | None = None
        self.domains: tuple[DomainRetention, ...] = ()
        self.setWindowTitle("Statistics")
        self._build_toolbar()
        self.panels: dict[str, Panel] = {}
        self._build_panels()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_PAUSE_MS)
        self._search_timer.timeout.connect(self.load_figures)
        add_close_keys(self)
        fit_to_screen(self, QSize(1240, 860), settings=settings, key="statistics")

    # -- building -----------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        bar = QToolBar("Filters", self)
        bar.setMovable(False)
        bar.addWidget(QLabel(" Cards: ", self))
        self.scope = QComboBox(self)
        self.scope.setMinimumWidth(240)
        self.scope.setMaxVisibleItems(24)
        self.scope.addItem("All decks", None)
        self.scope.activated.connect(lambda _i: self.load_figures())
        bar.addWidget(self.scope)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("and a search: tag:aws, is:review, prop:lapses>2 …")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        self.search.setToolTip("The card browser's search language; Enter applies it")
        self.search.textEdited.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.load_figures)
        bar.addWidget(self.search)
        bar.addWidget(QLabel("  Period: ", self))
        self.period = QComboBox(self)
        for period in Period:
            self.period.addItem(period.label, period)
        saved = str(self.settings.value(PERIOD_KEY, Period.YEAR.value)) if self.settings else ""
        index = self.period.findData(next((p for p in Period if p.value == saved), Period.YEAR))
        self.period.setCurrentIndex(max(0, index))
        self.period.activated.connect(lambda _i: self._period_chosen())
        bar.addWidget(self.period)
        self.problem = QLabel("", self)
        self.problem.setObjectName("muted")
        bar.addWidget(self.problem)
        self.addToolBar(bar)
        find = QAction("Search cards", self)
        find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        find.triggered.connect(lambda _=False: self._focus_search())
        self.addAction(find)
        reload = QAction("Reload", self)
        reload.setShortcut(QKeySequence("F5"))
        reload.triggered.connect(lambda _=False: self.load())
        self.addAction(reload)

    def _build_panels(self) -> None:
        content = QWidget(self)
        grid = QGridLayout(content)
        grid.setContentsMargins(14, 12, 14, 14)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(12)
        for key, title, row, column, span in LAYOUT:
            body: QWidget
            if key == "heatmap":
                body = HeatmapView(content)
            elif key == "retention":
                body = RetentionTable(content)
            elif key == "domains":
                body = DomainTable(content)
            else:
                body = ChartView(content, height=200 if span == 2 else 230)
            panel = Panel(key, title, body, settings=self.settings, now=self.now, parent=content)
            self.panels[key] = panel
            grid.addWidget(panel, row, column, 1, span)
        for column in range(6):
            grid.setColumnStretch(column, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        self.scroller = scroll
        self.setCentralWidget(scroll)

    # -- loading ------------------------------------------------------------------------------

    def current_filter(self) -> StatsFilter:
        period = self.period.currentData()
        return StatsFilter(
            deck=self.scope.currentData(),
            search=self.search.text().strip(),
            period=period if isinstance(period, Period) else Period.YEAR,
        )

    def load(self) -> None:
        """Fill the scope list, then every chart for the filters shown."""
        self.runner.run(scopes_of, success=self._on_scopes, label="statistics scopes")
        self.load_figures()

    def _on_scopes(self, scopes: list[Scope]) -> None:
        wanted = self.scope.currentData() if self._scopes_loaded else self.deck
        self._scopes_loaded = True
        self.scope.clear()
        for scope in scopes:
            self.scope.addItem(scope.label, scope.deck)
        index = self.scope.findData(wanted) if wanted else 0
        self.scope.setCurrentIndex(max(0, index))
        if index < 0:  # the deck asked for is not there (any more): show everything
            self.load_figures()

    def load_figures(self) -> None:
        """Read the figures for the current filters on the worker; fill charts as they come."""
        self._search_timer.stop()
        self._generation += 1
        generation = self._generation
        self._got = set()
        filt = self.current_filter()
        if not self._scopes_loaded:  # the list is on its way: the deck the window opened on
            filt = StatsFilter(deck=self.deck, search=filt.search, period=filt.period)
        now = self.now()
        self.problem.setText("")
        for panel in self.panels.values():
            panel.set_summary("Loading…")

        def history(col: Any) -> HistoryFigures:
            return history_figures(col, filt, now=now)

        def cards(col: Any) -> CardFigures:
            return card_figures(col, filt, now=now)

        self.runner.run(
            history,
            success=lambda figures: self._on_history(generation, figures),
            failure=lambda failure: self._on_failure(generation, failure),
            label="statistics",
            priority=BACKGROUND,  # an answer in the main window goes first
        )
        self.runner.run(
            cards,
            success=lambda figures: self._on_cards(generation, figures),
            failure=lambda failure: self._on_failure(generation, failure),
            label="statistics",
            priority=BACKGROUND,  # an answer in the main window goes first
        )

        def domains(col: Any) -> tuple[DomainRetention, ...]:
            return domain_retention(col, filt, now=now)

        self.runner.run(
            domains,
            success=lambda rows: self._on_domains(generation, rows),
            failure=lambda failure: self._on_failure(generation, failure),
            label="statistics",
            priority=BACKGROUND,
        )

    def _on_history(self, generation: int, figures: HistoryFigures) -> None:
        if generation != self._generation:
            return
        self.history = figures
        fill_history(self.panels, figures)
        self._got.add("history")
        self.history_shown.emit(figures)

    def _on_cards(self, generation: int, figures: CardFigures) -> None:
        if generation != self._generation:
            return
        self.cards = figures
        fill_cards(self.panels, figures)
        self._got.add("cards")
        self.cards_shown.emit(figures)

    def _on_domains(self, generation: int, rows: tuple[DomainRetention, ...]) -> None:
        if generation != self._generation:
            return
        self.domains = rows
        panel = self.panels["domains"]
        table = panel.body
        assert isinstance(table, DomainTable)
        table.set_domains(rows)
        panel.set_summary(
            "Review answers passed (Hard, Good or Easy) in each exam domain's decks: young "
            "cards have an interval under 21 days. Leeches: cards tagged leech."
        )
        panel.setVisible(len(rows) > 1)  # one domain: the table above says it all
        self._got.add("domains")

    def _on_failure(self, generation: int, failure: Any) -> None:
        if generation != self._generation:
            return
        error = getattr(failure, "error", None)
        if isinstance(error, FlashcardsError):  # a search that does not parse, a gone deck
            self.problem.setText(f"  {error}")
            for panel in self.panels.values():
                panel.set_summary("")
            self._got = {"history", "cards", "domains"}
            return
        self.runner._default_failure(failure)

    def filled(self) -> bool:
        """Whether every chart shows the figures of the current filters."""
        return self._got >= {"history", "cards", "domains"}

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _period_chosen(self) -> None:
        period = self.period.currentData()
        if self.settings is not None and isinstance(period, Period):
            self.settings.setValue(PERIOD_KEY, period.value)
        self.load_figures()
