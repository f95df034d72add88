"""The concept map read as a new user reads it (issue 20.1): on the bundled decks each
domain its own region, a neighbourhood laid out around its card with every label clear,
named clusters where new cards count as unknown, the bridges between domains, and a
toolbar and legend that fit 1366×768 without covering the map."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from flashcards.core.model import Rating
from flashcards.core.region_layout import NO_GROUP
from flashcards.gui.concept_map import ConceptMapWindow
from flashcards.gui.concept_map import colours as c
from flashcards.gui.concept_map.side_lists import SHARES

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


class _Runner:
    def __init__(self, col: Any) -> None:
        self.col = col
        self.failures: list[Any] = []

    def run(self, fn: Any, *, success: Any = None, failure: Any = None, **_: Any) -> None:
        result = fn(self.col)
        if success is not None:
            success(result)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A collection on the bundled decks (whatever they hold today)."""
    from flashcards.collection import Collection

    with Collection.open(tmp_path_factory.mktemp("bundled") / "data") as col:
        yield col


def _open(qtbot: QtBot, col: Any) -> ConceptMapWindow:
    window = ConceptMapWindow(_Runner(col), now=lambda: NOW)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.load()  # lays out in the background when no layout is stored yet
    qtbot.waitUntil(lambda: window._task is None, timeout=60_000)
    return window


def _grab(window: ConceptMapWindow) -> None:
    """Draw the map as the screen would (labels are placed while painting)."""
    window.view._settle.stop()
    window.view._settled()
    window.view.viewport().grab()


def test_every_card_of_a_domain_lies_in_its_region_on_the_bundled_decks(
    qtbot: QtBot, bundled: Any
) -> None:
    window = _open(qtbot, bundled)
    model = window.model
    assert model is not None and len(model) > 100
    domains = {n.domain or NO_GROUP for n in model.nodes}
    assert set(model.regions) == domains
    outside = [
        n.title
        for i, n in enumerate(model.nodes)
        if not model.regions[n.domain or NO_GROUP].contains(tuple(model.pos[i]))
    ]
    assert outside == []
    for a, b in itertools.combinations(model.regions.values(), 2):
        assert not a.overlaps(b)
    # Reopened, the map is the same: positions and regions were stored.
    again = ConceptMapWindow(_Runner(bundled), now=lambda: NOW)
    qtbot.addWidget(again)
    again.load()
    assert again.model is not None and not again.model.needs_layout
    assert again.model.regions == model.regions
    # Fitted whole, the domains are named on the map and few cards are labelled.
    window.fit()
    _grab(window)
    named = {name for name, _rect in window.scene.regions.names}
    assert set(model.data.domains[:4]) <= named  # the active exam's domains
    assert 0 < window.scene.labels.drawn <= 40
    # Closer in, more labels; never two over each other.
    window.view.zoom_by(3.0)
    _grab(window)
    assert window.scene.labels.drawn > 40
    rects = [r for _i, r in window.scene.labels.rects]
    assert not any(a.intersects(b) for a, b in itertools.combinations(rects, 2))


def test_a_neighbourhood_is_laid_out_around_its_card_every_neighbour_labelled(
    qtbot: QtBot, bundled: Any
) -> None:
    window = _open(qtbot, bundled)
    model = window.model
    assert model is not None
    # The card with the most links, one link deep; then a card two links deep whose
    # neighbourhood is a screenful.
    hub = max(range(len(model)), key=lambda i: len(model.neighbours[i]))
    deep = next(
        i
        for i in sorted(range(len(model)), key=lambda i: -len(model.neighbours[i]))
        if 25 <= len(model.neighbourhood(i, 2)) <= 60
    )
    for centre, depth in ((hub, 1), (deep, 2)):
        window.select_note(model.ids[centre])
        window.toolbar.select(window.toolbar.depth_box, depth)
        _grab(window)
        shown = set(np.flatnonzero(window.scene.shown).tolist())
        assert shown == model.neighbourhood(centre, depth)
        labels = dict(window.scene.labels.rects)
        assert set(labels) == shown  # every card of the neighbourhood is labelled
        for (i, a), (j, b) in itertools.combinations(labels.items(), 2):
            assert not a.intersects(b), (model.nodes[i].title, model.nodes[j].title)
        # Laid out around the card: it stands in the middle of the others.
        others = model.pos[list(shown - {centre})]
        assert others[:, 0].min() < model.pos[centre, 0] < others[:, 0].max()
        # At 1366×768 the whole neighbourhood is on screen, labels and all.
        viewport = QRect(QPoint(0, 0), window.view.viewport().size())
        for rect in labels.values():
            assert viewport.contains(rect.toRect().adjusted(1, 1, -1, -1))
        # The map's own layout is untouched (it is what gets stored).
        assert not np.allclose(model.pos, model.layout_pos)
    window.toolbar.select(window.toolbar.depth_box, 0)
    assert np.allclose(model.pos, model.layout_pos)


# -- a small library: clusters, bridges, new cards ------------------------------------------

MODELING = """\
---
title: Modeling
domain: Modeling
---

## Early stopping {#earlys}
Stop when validation loss stops improving. See [[Learning rate]], [[Patience]].
Tags: training

## Learning rate {#lrate}
How far each step moves. See [[Patience]].
Tags: training

## Patience {#patien}
Rounds without improvement before stopping.
Tags: training
"""

DATA = """\
---
title: Data
domain: Data Engineering
---

## Streaming validation {#stream}
Kinesis streams validation loss to the trainer, which applies [[Early stopping]].

## Kinesis shards {#shards}
A shard takes 1 MB/s in. Feeds [[Streaming validation]] and [[Learning rate]].
"""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    library = tmp_path / "data" / "decks"
    library.mkdir(parents=True)
    (library / "modeling.md").write_text(MODELING, encoding="utf-8")
    (library / "data.md").write_text(DATA, encoding="utf-8")
    return tmp_path / "data"


def test_new_cards_are_grey_and_count_as_unknown_in_named_clusters(
    qtbot: QtBot, collection: Any
) -> None:
    # Day one: one card answered a minute ago, the others new.
    collection.answer("earlys", Rating.GOOD, now=NOW - timedelta(minutes=1))
    window = _open(qtbot, collection)
    model = window.model
    assert model is not None
    rings = dict(zip(model.ids, [ring for ring, _fill in window.scene.nodes.colours], strict=True))
    assert rings["lrate"] == c.NEW_RING  # never reviewed: grey, not a strong green
    assert rings["earlys"] != c.NEW_RING
    with qtbot.waitSignal(window.clusters_ready, timeout=10_000):
        window.panel.setCurrentWidget(window.panel.clusters)
    (cluster,) = window.panel.clusters.clusters
    assert cluster.mean_recall is not None and cluster.mean_recall > 0.99
    assert cluster.known == pytest.approx(cluster.mean_recall / 5)  # 4 of 5 unknown
    item = window.panel.clusters.tree.topLevelItem(0)
    assert item.text(1) == f"{cluster.name} (5)"
    assert "Early stopping" in cluster.name and "Learning rate" in cluster.name
    known, forgotten, new = item.data(0, SHARES)
    assert new == pytest.approx(0.8) and known < 0.25
    assert "4 of 5 new (unknown)" in item.toolTip(0)


def test_the_bridges_tab_lists_the_cards_tying_domains_and_how_well_known(
    qtbot: QtBot, collection: Any
) -> None:
    collection.answer("stream", Rating.AGAIN, now=NOW - timedelta(days=3))
    window = _open(qtbot, collection)
    window.panel.setCurrentWidget(window.panel.bridges)
    tab = window.panel.bridges
    rows = {
        tab.tree.topLevelItem(i).text(0): (
            tab.tree.topLevelItem(i).text(1),
            tab.tree.topLevelItem(i).text(2),
        )
        for i in range(tab.tree.topLevelItemCount())
    }
    assert set(rows) == {
        "Early stopping",
        "Learning rate",
        "Streaming validation",
        "Kinesis shards",
    }
    assert rows["Early stopping"] == ("Data Engineering", "new")
    assert rows["Kinesis shards"][0] == "Modeling"
    assert rows["Streaming validation"][1].endswith("%")  # reviewed: its recall now
    assert "4 cards link across domains" in tab.summary.text()
    # Clicking a bridge shows it on the map, its links highlighted.
    item = next(
        tab.tree.topLevelItem(i)
        for i in range(tab.tree.topLevelItemCount())
        if tab.tree.topLevelItem(i).text(0) == "Kinesis shards"
    )
    tab.tree.itemClicked.emit(item, 0)
    model = window.model
    assert model is not None
    assert [model.ids[i] for i in window.scene.selected] == ["shards"]
    # Study takes the weak and new ones.
    with qtbot.waitSignal(window.study_started, timeout=5000) as started:
        tab.study.click()
    assert set(started.args[0].card_ids) == {"earlys", "lrate", "stream", "shards"}
    started.args[0].close()


def test_toolbar_and_legend_fit_1366x768_and_cover_no_card(qtbot: QtBot, collection: Any) -> None:
    window = _open(qtbot, collection)
    assert window.width() <= 1366
    bar = window.toolbar
    search = bar.search
    assert search.isVisible() and search.width() >= 180
    assert search.width() >= search.fontMetrics().horizontalAdvance(search.placeholderText()) + 20
    for combo in (bar.domain, bar.deck, bar.tag, bar.state, bar.depth_box):
        assert combo.isVisible()
        assert combo.width() >= combo.fontMetrics().horizontalAdvance("All cards") + 24
    # Every control sits inside the window (none pushed into an overflow menu).
    bars = (bar, bar.view_bar, bar.actions_bar)
    for widget in [w for b in bars for w in b.findChildren(QWidget)]:
        if widget.isVisible() and widget.parentWidget() in bars:
            right = widget.mapTo(window, QPoint(widget.width(), 0)).x()
            assert right <= window.width(), widget
    # The legend is below the map, not on it; folded, it leaves the map more room.
    legend = window.legend
    view_rect = QRect(window.view.mapTo(window, QPoint(0, 0)), window.view.size())
    legend_rect = QRect(legend.mapTo(window, QPoint(0, 0)), legend.size())
    assert legend.isVisible() and not view_rect.intersects(legend_rect)
    shown = legend.text.text().replace("&nbsp;", " ")
    assert "Data Engineering" in shown and "new (unknown)" in shown
    height = window.view.height()
    qtbot.mouseClick(legend.toggle, Qt.MouseButton.LeftButton)
    assert legend.folded and not legend.text.isVisible()
    qtbot.waitUntil(lambda: window.view.height() > height, timeout=2000)


def test_a_big_bundle_is_sampled_when_the_map_is_seen_whole(qapp: Any) -> None:
    """Each link across domains spans half the map: zoomed out, more than OVERVIEW_EDGES
    of them are drawn as an even sample of whole curves; an export draws them all."""
    from PySide6.QtCore import QLineF
    from PySide6.QtGui import QColor, QImage, QPainter, QPen
    from PySide6.QtWidgets import QStyleOptionGraphicsItem

    from flashcards.gui.concept_map import layers

    edges, per_edge = 3000, 6
    lines = [QLineF(e, k, e, k + 1) for e in range(edges) for k in range(per_edge)]
    pen = QPen(QColor(200, 80, 120, 90), 0)
    layer = layers.EdgeLayer()
    layer.set_groups([(pen, lines)], edges=edges, segments={0: per_edge})
    sample_pen, sample = layer.overview[0]
    assert len(sample) <= layers.OVERVIEW_EDGES * per_edge
    assert len(sample) % per_edge == 0  # whole curves, never a piece of one
    for start in range(0, len(sample), per_edge):
        curve = sample[start : start + per_edge]
        assert [line.y1() for line in curve] == list(range(per_edge))
    assert sample_pen.color().alpha() > pen.color().alpha()  # the bundle keeps its weight
    # Unflagged groups (links inside a domain) are never sampled.
    layer.set_groups([(pen, lines)], edges=edges)
    assert layer.overview[0][1] is lines

    drawn: list[int] = []

    class Counting(QPainter):
        def drawLines(self, lines: Any) -> None:  # noqa: N802 (Qt override)
            drawn.append(len(lines))

    layer.set_groups([(pen, lines)], edges=edges, segments={0: per_edge})
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    for scale, complete, expected in (
        (0.2, False, len(sample)),
        (1.0, False, len(lines)),
        (0.2, True, len(lines)),
    ):
        painter = Counting(image)
        painter.scale(scale, scale)
        layer.complete = complete
        layer.paint(painter, QStyleOptionGraphicsItem())
        painter.end()
        assert drawn.pop() == expected, (scale, complete)


def test_region_discs_are_cached_and_their_names_sit_over_the_links(
    qtbot: QtBot, collection: Any
) -> None:
    from PySide6.QtWidgets import QGraphicsItem

    window = _open(qtbot, collection)
    scene = window.scene
    assert scene.regions.discs.cacheMode() is QGraphicsItem.CacheMode.DeviceCoordinateCache
    assert scene.regions.discs.zValue() < scene.edges.zValue() < scene.nodes.zValue()
    assert scene.nodes.zValue() < scene.regions.zValue() < scene.labels.zValue()
    assert len(scene.regions.discs.regions) == len(scene.regions.regions) > 1
