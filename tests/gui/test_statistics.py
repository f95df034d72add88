"""The statistics window on a real collection with a simulated history: every chart
filled, saved as a PNG, the filters, keys, and the window opening before its figures."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCharts import QAbstractBarSeries, QPieSeries
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from flashcards.core.model import Rating
from flashcards.core.stats import Period
from flashcards.gui.stats import StatsWindow
from flashcards.gui.stats.charts import ChartView
from flashcards.gui.stats.heatmap_view import HeatmapView
from flashcards.gui.stats.retention_table import RetentionTable
from tests.gui.conftest import SyncRunner

CHARTS = ("forecast", "states", "reviews", "time", "buttons", "hours")
HISTOGRAMS = ("stability", "difficulty", "recall")


def simulate_history(col: Any, now: datetime, *, days: int = 20) -> int:
    """Study every day for `days` days before `now`: three new cards of a 60-card deck a
    day and whatever falls due (no fuzz: the same history every run); returns the number
    of answers."""
    col.set_setting("timezone", "UTC")
    notes = "\n".join(f"## Term {i}\nIts meaning, {i}.\n" for i in range(60))
    (col.library / "terms.md").write_text(f"---\ntitle: Terms\n---\n\n{notes}", "utf-8")
    col.sync(now=now - timedelta(days=days + 1))
    preset = replace(col.presets()[1], enable_fuzzing=False, new_per_day=3)
    col.save_preset(preset, preset_id=1)
    answers = 0
    for back in range(days, 0, -1):
        t = now - timedelta(days=back, hours=3)
        for i in range(30):
            card = col.next_card(now=t)
            if card is None:
                break
            rating = Rating.AGAIN if (i + back) % 5 == 0 else Rating.GOOD
            col.answer(card.id, rating, now=t, duration_ms=4000 + 500 * i)
            answers += 1
            t += timedelta(minutes=2)
    return answers


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(
    qtbot: QtBot, collection: Any, now: datetime, settings: QSettings
) -> Iterator[StatsWindow]:
    simulate_history(collection, now)
    win = StatsWindow(SyncRunner(collection), settings=settings, now=lambda: now)
    qtbot.addWidget(win)
    win.show()
    win.load()
    yield win


def bar_total(view: ChartView) -> float:
    total = 0.0
    for series in view.chart().series():
        if isinstance(series, QAbstractBarSeries):
            for bars in series.barSets():
                total += sum(bars.at(i) for i in range(bars.count()))
        elif isinstance(series, QPieSeries):
            total += series.sum()
    return total


def test_every_chart_is_filled_with_the_history(window: StatsWindow, now: datetime) -> None:
    assert window.filled()
    heatmap = window.panels["heatmap"].body
    assert isinstance(heatmap, HeatmapView) and heatmap.heatmap is not None
    assert heatmap.heatmap.days == 365
    assert heatmap.heatmap.current_streak == 20
    table = window.panels["retention"].body
    assert isinstance(table, RetentionTable)
    assert [r.label for r in table.rows] == [
        "Today",
        "Yesterday",
        "Last week",
        "Last month",
        "Last year",
    ]
    assert "Last month" in table.text() and "%" in table.text()
    for key in (*CHARTS, *HISTOGRAMS):
        view = window.panels[key].body
        assert isinstance(view, ChartView)
        assert bar_total(view) > 0, key
        assert window.panels[key].summary.text() not in ("", "Loading…"), key
    assert window.history is not None
    answers = window.history.reviews.total_answers
    assert bar_total(window.panels["reviews"].body) == answers  # type: ignore[arg-type]
    assert "Current streak: 20 days" in window.panels["heatmap"].summary.text()


def test_true_retention_by_domain_shows_while_more_than_one_domain_is_chosen(
    window: StatsWindow,
) -> None:
    panel = window.panels["domains"]
    assert not panel.isHidden()
    assert [d.domain for d in window.domains] == ["Data Engineering", "Modeling"]
    assert sum(d.year.total for d in window.domains) > 0
    table = panel.body
    assert "Modeling" in table.text() and "Last year" in table.text()  # type: ignore[attr-defined]
    labels = [window.scope.itemText(i) for i in range(window.scope.count())]
    window.scope.setCurrentIndex(labels.index("Domain: Modeling"))
    window.scope.activated.emit(window.scope.currentIndex())
    assert [d.domain for d in window.domains] == ["Modeling"]
    assert panel.isHidden()


def test_each_chart_saves_as_a_png(window: StatsWindow, tmp_path: Path) -> None:
    for key, panel in window.panels.items():
        path = tmp_path / f"{key}.png"
        assert panel.save_png(path), key
        image = QImage(str(path))
        assert not image.isNull() and image.size() == panel.size(), key
        colours = {
            image.pixel(x, y)
            for x in range(0, image.width(), 7)
            for y in range(0, image.height(), 7)
        }
        assert len(colours) > 3, key  # something drawn, not a blank rectangle


def test_save_image_asks_where_and_remembers_the_folder(
    window: StatsWindow,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    now: datetime,
) -> None:
    asked: list[str] = []

    def choose(_parent: Any, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(tmp_path / "out" / "my-forecast"), "PNG (*.png)"

    (tmp_path / "out").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    panel = window.panels["forecast"]
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "out" / "my-forecast.png").is_file()  # the suffix added
    assert asked[0].endswith(f"flashcards-forecast-{now.astimezone().date().isoformat()}.png")
    assert window.settings is not None
    assert window.settings.value("statistics/save_dir") == str(tmp_path / "out")


def test_the_scope_list_filters_by_domain_folder_and_deck(window: StatsWindow) -> None:
    labels = [window.scope.itemText(i) for i in range(window.scope.count())]
    assert labels[0] == "All decks"
    assert "Domain: Data Engineering" in labels and "Deck: Tiny" in labels
    everything = window.cards
    assert everything is not None
    window.scope.setCurrentIndex(labels.index("Domain: Data Engineering"))
    window.scope.activated.emit(window.scope.currentIndex())
    assert window.cards is not None and window.cards.states.total == 1
    assert window.history is not None
    assert window.history.reviews.total_answers > 0
    window.scope.setCurrentIndex(labels.index("Deck: Tiny"))
    window.scope.activated.emit(window.scope.currentIndex())
    assert window.cards.states.total == 4 < everything.states.total


def test_a_search_narrows_the_charts_and_a_bad_one_says_why(
    window: StatsWindow, qtbot: QtBot
) -> None:
    assert window.cards is not None
    total = window.cards.states.total
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    qtbot.keyClicks(window.search, "precision")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.cards.states.total == 1 < total
    window.search.clear()
    qtbot.keyClicks(window.search, '"unclosed')
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.problem.text().strip() != ""
    assert window.cards.states.total == 1  # the last good figures stay


def test_the_period_changes_the_history_charts_and_is_remembered(
    window: StatsWindow, settings: QSettings, qtbot: QtBot, collection: Any, now: datetime
) -> None:
    assert window.history is not None and window.history.reviews.bucket_days == 7
    window.period.setCurrentIndex(window.period.findData(Period.MONTH))
    window.period.activated.emit(window.period.currentIndex())
    assert window.history.reviews.bucket_days == 1 and window.history.reviews.buckets == 30
    assert window.cards is not None and window.cards.forecast.days == 30
    assert settings.value("statistics/period") == "month"
    again = StatsWindow(SyncRunner(collection), settings=settings, now=lambda: now)
    qtbot.addWidget(again)
    assert again.current_filter().period is Period.MONTH


def test_heatmap_tooltip_names_the_day_and_its_reviews(window: StatsWindow, now: datetime) -> None:
    view = window.panels["heatmap"].body
    assert isinstance(view, HeatmapView) and view.heatmap is not None
    yesterday = view.heatmap.last_day - 1
    count = view.heatmap.count_on(yesterday)
    assert count > 0
    text = view.tooltip_for(yesterday)
    assert text.startswith(date.fromordinal(yesterday).strftime("%d %B %Y").lstrip("0"))
    assert text.endswith(f": {count} review{'s' * (count != 1)}")
    rect = view._rect(yesterday)
    assert view.day_at(rect.center()) == yesterday
    assert "no reviews" in view.tooltip_for(view.heatmap.first_day)


def test_esc_closes_the_window(window: StatsWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_the_window_shows_before_its_figures_arrive(
    qtbot: QtBot, data_dir: Path, now: datetime, settings: QSettings
) -> None:
    """On the app's worker thread: shown at once, charts 'Loading…', then filled."""
    from flashcards.collection import Collection
    from flashcards.gui.worker import CollectionWorker

    with Collection.open(data_dir, seed=False) as col:
        simulate_history(col, now, days=5)
    worker = CollectionWorker(lambda: Collection.open(data_dir, seed=False, sync=False))
    try:
        win = StatsWindow(worker, settings=settings, now=lambda: now)
        qtbot.addWidget(win)
        win.show()
        win.load()
        assert not win.filled()
        assert win.panels["heatmap"].summary.text() == "Loading…"
        qtbot.waitUntil(win.filled, timeout=10_000)
        assert win.history is not None and win.history.heatmap.current_streak == 5
        win.close()
    finally:
        worker.stop()


def test_ctrl_shift_s_opens_statistics_on_the_sidebars_choice(
    qtbot: QtBot, tmp_path: Path, settings: QSettings, now: datetime
) -> None:
    from flashcards.gui.app import install_tools
    from flashcards.gui.deck_tree import Scope
    from tests.gui.test_window_geometry import main_window

    main: Any = main_window(tmp_path / "main", settings, now)
    qtbot.addWidget(main)
    main.show()
    main.refresh()
    qtbot.waitUntil(lambda: main.home.today is not None, timeout=10_000)
    install_tools(main)
    main.home.set_scope(Scope("Tiny", deck="Tiny"))
    main.activateWindow()
    qtbot.waitUntil(main.isActiveWindow)
    qtbot.keyClick(
        main, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    stats = main.findChild(StatsWindow)
    assert stats is not None and stats.isVisible()
    qtbot.waitUntil(stats.filled, timeout=10_000)
    assert stats.scope.currentText() == "Deck: Tiny"
    assert stats.cards is not None and stats.cards.states.total == 4
    qtbot.keyClick(
        main, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert main.findChildren(StatsWindow) == [stats]  # the open one, brought forward
    stats.close()
    main.close()


def test_a_long_history_shows_its_latest_weeks_when_it_does_not_fit(qtbot: QtBot) -> None:
    from flashcards.core.stats import heatmap

    view = HeatmapView()
    qtbot.addWidget(view)
    view.resize(400, view.minimumHeight())  # room for about 52 weeks of the smallest cells
    today = date(2026, 3, 2).toordinal()
    view.set_heatmap(heatmap({today: 3, today - 2000: 5}, first_day=today - 2000, today=today))
    assert view.first_shown() > today - 2000
    assert view.day_at(view._rect(today).center()) == today  # the latest week is on screen
    assert view._rect(today).right() <= view.width()
    assert view.day_at(view._rect(view.first_shown()).center()) == view.first_shown()


def test_the_context_menu_saves_or_copies_a_chart(
    window: StatsWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QMenu

    target = tmp_path / "hours.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), "PNG (*.png)"))
    panel = window.panels["hours"]
    panel.body.customContextMenuRequested.emit(QPoint(20, 20))  # a right-click on the chart
    menu = panel.findChild(QMenu)
    assert menu is not None and menu.isVisible()
    save, copy = menu.actions()
    assert (save.text(), copy.text()) == ("Save as PNG…", "Copy image")
    save.trigger()
    copy.trigger()
    menu.close()
    assert not QImage(str(target)).isNull()
    assert QGuiApplication.clipboard().image().size() == panel.size()


def test_the_domain_table_shows_each_domains_leeches(
    window: StatsWindow, collection: Any, now: datetime
) -> None:
    """Issue 14.5: the statistics show leeches per domain (cards tagged leech)."""
    from flashcards.collection.browse import search_cards
    from flashcards.collection.editing import add_tags

    modeling = search_cards(collection, "domain:Modeling", now=now)[:2]
    add_tags(collection, modeling, ["leech"])
    window.load()
    assert {d.domain: d.leeches for d in window.domains} == {
        "Data Engineering": 0,
        "Modeling": 2,
    }
    table = window.panels["domains"].body.text()  # type: ignore[attr-defined]
    assert ">Leeches<" in table
    row = table[table.index(">Modeling<") :]
    assert row[: row.index("</tr>")].endswith(">2</td>")
    assert "leeches" in window.panels["domains"].title.text()
