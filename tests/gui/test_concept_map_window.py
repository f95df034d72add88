"""The concept map window on a small real library (pytest-qt, offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from flashcards.collection.concept_map import EdgeKind, load_positions
from flashcards.core.model import CardState, Rating, ReviewKind
from flashcards.gui.concept_map import ConceptMapWindow
from flashcards.gui.concept_map.colours import CROSS_DOMAIN_EDGE
from flashcards.gui.concept_map.map_model import StateFilter
from flashcards.gui.review_models import ReviewState

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)

MODELING = """\
---
title: Modeling
domain: Modeling
---

## XGBoost eta {#xgbeta}
Lower eta: each tree adds less. See [[Early stopping]].

## Early stopping {#earlys}
Stop when validation loss stops improving.

## Precision {#precis}
Precision = {{TP / (TP + FP)}}.
Tags: metrics

## Recall {#recall}
Recall is the share of positives found; see [[Precision]].
Tags: metrics
"""

DATA = """\
---
title: Data
domain: Data Engineering
---

## Streaming validation {#stream}
Kinesis streams validation loss to the trainer, which applies [[Early stopping]].
Shards: [[Kinesis shards]].

## Kinesis shards {#shards}
A shard takes 1 MB/s in.

## Firehose to Parquet {#fhparq}
Firehose converts JSON records to Parquet with a Glue schema before writing to S3.

## Parquet conversion in Firehose {#fhconv}
Firehose record format conversion writes Parquet from JSON records using a Glue schema.
"""

NOTES = {"xgbeta", "earlys", "precis", "recall", "stream", "shards", "fhparq", "fhconv"}
LINKS = {
    frozenset({"xgbeta", "earlys"}),
    frozenset({"recall", "precis"}),
    frozenset({"stream", "earlys"}),
    frozenset({"stream", "shards"}),
}


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Overrides the GUI conftest's library with this module's decks."""
    library = tmp_path / "data" / "decks"
    library.mkdir(parents=True)
    (library / "modeling.md").write_text(MODELING, encoding="utf-8")
    (library / "data.md").write_text(DATA, encoding="utf-8")
    return tmp_path / "data"


@pytest.fixture
def window(qtbot: QtBot, runner: Any) -> Iterator[ConceptMapWindow]:
    win = ConceptMapWindow(runner, now=lambda: NOW)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    with qtbot.waitSignal(win.layout_finished, timeout=15_000):
        win.load()
    assert runner.failures == []
    yield win
    if win.study_window is not None:
        win.study_window.close()


def _shown_ids(win: ConceptMapWindow) -> set[str]:
    assert win.model is not None
    return {win.model.ids[i] for i in np.flatnonzero(win.scene.shown)}


def _viewport_point(win: ConceptMapWindow, note_id: str) -> QPoint:
    assert win.model is not None
    x, y = win.model.pos[win.model.index[note_id]]
    return win.view.mapFromScene(QPointF(x, y))


def test_nodes_and_edges_match_the_links(window: ConceptMapWindow) -> None:
    model = window.model
    assert model is not None
    assert set(model.ids) == NOTES
    links = {frozenset((e.source, e.target)) for e in model.data.edges}
    assert links == LINKS
    assert len(window.scene.nodes.colours) == len(NOTES)
    assert window.scene.edges.line_count() == len(LINKS)
    # Bigger nodes for more links; the cross-domain link is drawn in its own pen, bent
    # through the point between the two domains' regions (a bundle of one).
    assert model.radius[model.index["earlys"]] > model.radius[model.index["fhparq"]]
    groups = window.scene.edges.groups
    (cross,) = [lines for pen, lines in groups if pen.color().name() == CROSS_DOMAIN_EDGE]
    first, last = cross[0].p1(), cross[-1].p2()
    ends = [model.pos[model.index[n]] for n in ("stream", "earlys")]
    assert any(
        np.allclose((first.x(), first.y()), a, atol=0.01)
        and np.allclose((last.x(), last.y()), b, atol=0.01)
        for a, b in (ends, ends[::-1])
    )
    regions = model.regions
    between = (
        (regions["Modeling"].x + regions["Data Engineering"].x) / 2,
        (regions["Modeling"].y + regions["Data Engineering"].y) / 2,
    )
    middle = (cross[len(cross) // 2].x1(), cross[len(cross) // 2].y1())
    straight_middle = model.pos[[model.index["stream"], model.index["earlys"]]].mean(axis=0)
    # Halfway along, the curve lies between the straight line's middle and that point.
    assert abs(middle[0] - (straight_middle[0] + between[0]) / 2) < 1
    assert abs(middle[1] - (straight_middle[1] + between[1]) / 2) < 1


def test_filters_by_domain_deck_tag_state_and_neighbourhood(window: ConceptMapWindow) -> None:
    bar = window.toolbar
    bar.select(bar.domain, "Modeling")
    assert _shown_ids(window) == {"xgbeta", "earlys", "precis", "recall"}
    assert window.scene.edges.line_count() == 2  # only links inside the domain
    bar.select(bar.domain, "")
    bar.select(bar.tag, "metrics")
    assert _shown_ids(window) == {"precis", "recall"}
    bar.select(bar.tag, "")
    bar.select(bar.deck, "Data")
    assert _shown_ids(window) == {"stream", "shards", "fhparq", "fhconv"}
    bar.select(bar.deck, "")
    bar.select(bar.state, StateFilter.DUE)
    assert _shown_ids(window) == set()  # nothing reviewed yet: new, not due
    bar.select(bar.state, StateFilter.NEW)
    assert _shown_ids(window) == NOTES
    bar.select(bar.state, StateFilter.ALL)
    window.select_note("earlys")  # type: ignore[arg-type]
    bar.select(bar.depth_box, 1)
    assert _shown_ids(window) == {"earlys", "xgbeta", "stream"}
    bar.select(bar.depth_box, 2)
    assert _shown_ids(window) == {"earlys", "xgbeta", "stream", "shards"}


def test_search_finds_and_centres_the_card(window: ConceptMapWindow, qtbot: QtBot) -> None:
    window.view.zoom_by(0.3)
    qtbot.keyClicks(window.toolbar.search, "kinesis sh")
    qtbot.keyClick(window.toolbar.search, Qt.Key.Key_Return)
    model = window.model
    assert model is not None
    index = model.index["shards"]
    assert window.scene.selected == [index] and window.scene.found == index
    centre = window.view.mapToScene(window.view.viewport().rect().center())
    x, y = model.pos[index]
    assert abs(centre.x() - x) < 3 / window.view.zoom + 1
    assert abs(centre.y() - y) < 3 / window.view.zoom + 1
    assert window.find_card("no such card anywhere") is None


def test_click_shows_the_card_links_and_backlinks(window: ConceptMapWindow, qtbot: QtBot) -> None:
    point = _viewport_point(window, "earlys")
    with qtbot.waitSignal(window.card_shown, timeout=5000) as shown:
        qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert shown.args == ["earlys"]
    tab = window.panel.card
    assert tab.title.text() == "Early stopping"
    assert "validation loss stops improving" in tab.browser.toPlainText()
    assert tab.links.count() == 0
    titles = {tab.backlinks.item(i).text().split("  ·")[0] for i in range(tab.backlinks.count())}
    assert titles == {"XGBoost eta", "Streaming validation"}
    assert "Data Engineering" not in tab.meta.text() and "Modeling" in tab.meta.text()
    # Clicking the background clears the selection.
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    assert window.scene.selected == []


def test_hover_tooltip_names_title_deck_domain_recall_due(window: ConceptMapWindow) -> None:
    assert window.model is not None
    text = window.tooltip(window.model.index["stream"])
    assert "Streaming validation" in text and "Data" in text
    assert "Data Engineering" in text and "Recall now new" in text and "due —" in text


def test_study_these_covers_exactly_the_selection(
    window: ConceptMapWindow, collection: Any, qtbot: QtBot
) -> None:
    # One card due (learning, long overdue), one not due (review, due in days).
    collection.answer("earlys", Rating.AGAIN, now=NOW - timedelta(days=2))
    collection.answer("xgbeta", Rating.EASY, now=NOW - timedelta(hours=1))
    not_due_before = collection.card("xgbeta").memory
    due_before = collection.card("earlys").memory
    window.load()
    model = window.model
    assert model is not None
    window.select(model.index["earlys"])
    window.select(model.index["xgbeta"], additive=True)
    with qtbot.waitSignal(window.study_started, timeout=5000) as started:
        window.toolbar.study_action.trigger()
    study = started.args[0]
    assert study.controller.cards == ["earlys", "xgbeta"]
    for _ in range(2):
        assert study.controller.state is ReviewState.QUESTION
        qtbot.keyClick(study.page, Qt.Key.Key_Space)
        qtbot.keyClick(study.page, Qt.Key.Key_3)
    assert study.controller.state is ReviewState.SUMMARY
    assert [(s.card_id, s.practised) for s in study.controller.studied] == [
        ("earlys", False),
        ("xgbeta", True),
    ]
    assert collection.card("xgbeta").memory == not_due_before
    assert collection.history("xgbeta")[-1].kind is ReviewKind.PRACTICE
    assert collection.card("earlys").memory != due_before
    assert collection.history("earlys")[-1].kind is ReviewKind.REVIEW
    assert collection.card("earlys").memory.state is not CardState.NEW
    others = NOTES - {"earlys", "xgbeta"}
    assert all(collection.history(n) == [] for n in others - {"precis"})


def test_add_link_from_a_suggestion_edits_the_file_and_keeps_history(
    window: ConceptMapWindow, collection: Any, data_dir: Path
) -> None:
    collection.answer("fhparq", Rating.GOOD, now=NOW - timedelta(days=1))
    window.toolbar.suggestions.setChecked(True)
    model = window.model
    assert model is not None
    pairs = [frozenset((s.a, s.b)) for s in model.suggestions]
    assert frozenset({"fhparq", "fhconv"}) in pairs
    dashed = [
        lines for pen, lines in window.scene.edges.groups if pen.style() == Qt.PenStyle.DashLine
    ]
    assert sum(len(lines) for lines in dashed) == len(model.suggestions)
    window.select(model.index["fhparq"])
    tab = window.panel.card
    assert tab.suggested.count() >= 1 and tab.add_button.isEnabled()
    tab.suggested.setCurrentRow(
        next(
            i
            for i in range(tab.suggested.count())
            if "Parquet conversion" in tab.suggested.item(i).text()
        )
    )
    changed: list[bool] = []
    window.collection_changed.connect(lambda: changed.append(True))
    tab.add_button.click()
    assert changed == [True]  # the main window refreshes its counts on this
    text = (data_dir / "decks" / "data.md").read_text(encoding="utf-8")
    assert "before writing to S3.\nSee also [[Parquet conversion in Firehose]].\n" in text
    assert [h.kind for h in collection.history("fhparq")] == [ReviewKind.REVIEW]
    assert window.model is not None
    links = {frozenset((e.source, e.target)) for e in window.model.data.edges}
    assert frozenset({"fhparq", "fhconv"}) in links
    assert frozenset({"fhparq", "fhconv"}) not in [
        frozenset((s.a, s.b)) for s in window.model.suggestions
    ]


def test_layout_is_stored_and_only_new_cards_move(
    window: ConceptMapWindow, collection: Any, data_dir: Path, qtbot: QtBot
) -> None:
    stored = load_positions(collection)
    assert set(stored) == NOTES
    first = window.model.positions() if window.model else {}
    deck = data_dir / "decks" / "data.md"
    deck.write_text(
        DATA + "\n## Shard splitting {#split}\nSplit a hot [[Kinesis shards|shard]].\n",
        encoding="utf-8",
    )
    collection.sync()
    with qtbot.waitSignal(window.layout_finished, timeout=15_000):
        window.load()
    model = window.model
    assert model is not None and "split" in model.index
    after = model.positions()
    for note in NOTES:
        assert after[note] == pytest.approx(stored[note], abs=0.06)
        assert after[note] == pytest.approx(first[note], abs=0.06)
    assert set(load_positions(collection)) == NOTES | {"split"}
    # Reopening with every position stored starts no layout at all.
    again = ConceptMapWindow(window.runner, now=lambda: NOW)
    qtbot.addWidget(again)
    again.load()
    assert again.model is not None and not again.model.needs_layout
    assert again.model.positions()["split"] == pytest.approx(after["split"], abs=0.06)


def test_export_png_and_svg(window: ConceptMapWindow, tmp_path: Path) -> None:
    png = window.export_png(tmp_path / "map.png")
    svg = window.export_svg(tmp_path / "map.svg")
    assert png.stat().st_size > 5_000
    content = svg.read_text(encoding="utf-8")
    assert "<svg" in content and content.count("<circle") >= 2 * len(NOTES)
    assert content.count("<polyline") >= len(LINKS)  # edges stay vector lines
    assert "Early stopping" in content  # labels are text, not pixels


def test_weak_clusters_list_and_study(
    window: ConceptMapWindow, collection: Any, qtbot: QtBot
) -> None:
    collection.answer("earlys", Rating.AGAIN, now=NOW - timedelta(days=20))
    window.load()
    with qtbot.waitSignal(window.clusters_ready, timeout=10_000):
        window.panel.setCurrentWidget(window.panel.clusters)  # computed when looked at
    clusters = window.panel.clusters.clusters
    assert clusters and set(clusters[0].nodes) == {"earlys", "xgbeta", "stream", "shards"}
    assert window.panel.clusters.tree.topLevelItemCount() == len(clusters)
    window.show_cluster(0)
    assert window.model is not None
    assert {window.model.ids[i] for i in window.scene.selected} == set(clusters[0].nodes)
    with qtbot.waitSignal(window.study_started, timeout=5000) as started:
        window.panel.clusters.cluster_studied.emit(0)
    assert sorted(started.args[0].controller.cards) == ["earlys", "shards", "stream", "xgbeta"]


def test_double_click_opens_the_deck_editor_at_the_card(
    window: ConceptMapWindow, qtbot: QtBot
) -> None:
    point = _viewport_point(window, "shards")
    qtbot.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert len(window.editors) == 1
    editor: Any = window.editors[0]
    assert editor.key == "data.md"
    assert "## Kinesis shards" in editor.edit.textCursor().block().text()
    editor.close()


def test_tag_edges_option_adds_thin_edges(window: ConceptMapWindow) -> None:
    window.toolbar.tag_edges.setChecked(True)
    assert window.model is not None
    tags = [e for e in window.model.data.edges if e.kind is EdgeKind.TAG]
    assert {frozenset((e.source, e.target)) for e in tags} == set()  # already linked
    assert window.scene.edges.line_count() == len(LINKS)


def test_wheel_zooms_under_the_mouse_and_labels_follow_the_zoom(
    window: ConceptMapWindow, qtbot: QtBot
) -> None:
    view = window.view
    before = view.zoom
    point = _viewport_point(window, "earlys")
    QTest.mouseMove(view.viewport(), point)  # the view anchors zoom where the mouse is
    scene_before = view.mapToScene(point)
    event = QWheelEvent(
        QPointF(point),
        QPointF(view.viewport().mapToGlobal(point)),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)
    assert view.zoom > before * 1.2
    after = view.mapToScene(point)  # the point under the mouse stays put
    assert abs(after.x() - scene_before.x()) < 2 and abs(after.y() - scene_before.y()) < 2
    view.zoom_by(0.05 / view.zoom)  # far out: no labels but the pinned ones
    view._settled()  # as if the wheel had stopped: drawn afresh, no snapshot
    view.viewport().repaint()
    assert window.scene.labels.drawn == 0
    window.select_note("earlys")  # type: ignore[arg-type]
    view.zoom_by(0.05 / view.zoom)
    view._settled()
    view.viewport().repaint()
    assert window.scene.labels.drawn == 1  # the selection keeps its label
    window.fit()  # close: every title that does not overlap another
    view._settled()
    view.viewport().repaint()
    assert view.zoom >= 0.9 and window.scene.labels.drawn >= len(NOTES) - 2


def test_drag_pans_without_selecting(window: ConceptMapWindow, qtbot: QtBot) -> None:
    view = window.view
    viewport = view.viewport()
    start = QPoint(5, 5)
    centre_before = view.mapToScene(viewport.rect().center())
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 6):
        QTest.mouseMove(viewport, start + QPoint(20 * step, 10 * step))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=start + QPoint(100, 50))
    centre_after = view.mapToScene(viewport.rect().center())
    assert centre_after.x() < centre_before.x() - 20 / view.zoom
    assert window.scene.selected == []


def test_hovering_a_node_marks_it(window: ConceptMapWindow, qtbot: QtBot) -> None:
    assert window.model is not None
    with qtbot.waitSignal(window.view.node_hovered, timeout=2000) as hovered:
        QTest.mouseMove(window.view.viewport(), _viewport_point(window, "stream"))
    assert hovered.args == [window.model.index["stream"]]
    assert window.scene.hovered == window.model.index["stream"]


def test_a_neighbourhood_with_suggestions_shows_the_suggested_cards(
    window: ConceptMapWindow,
) -> None:
    window.toolbar.suggestions.setChecked(True)
    window.select_note("fhparq")  # type: ignore[arg-type]
    window.toolbar.select(window.toolbar.depth_box, 1)
    assert _shown_ids(window) == {"fhparq", "fhconv"}  # no links, one suggestion
    window.toolbar.suggestions.setChecked(False)
    assert _shown_ids(window) == {"fhparq"}


def test_open_concept_map_reuses_one_window_per_parent(qtbot: QtBot, runner: Any) -> None:
    from PySide6.QtWidgets import QMainWindow

    from flashcards.gui.concept_map import open_concept_map

    parent = QMainWindow()
    qtbot.addWidget(parent)
    calls: list[bool] = []
    first = open_concept_map(parent, runner, now=lambda: NOW, on_change=lambda: calls.append(True))
    assert first.isVisible() and first.isWindow() and first.model is not None
    assert open_concept_map(parent, runner, now=lambda: NOW) is first
    first.collection_changed.emit()
    assert calls == [True]
    qtbot.waitUntil(lambda: first._task is None, timeout=15_000)  # layout thread done


def test_an_empty_library_shows_an_empty_map(qtbot: QtBot, tmp_path: Path) -> None:
    from flashcards.collection import Collection

    class Runner:
        def run(self, fn: Any, *, success: Any = None, **_: Any) -> None:
            result = fn(col)
            if success is not None:
                success(result)

    with Collection.open(tmp_path / "empty", seed=False) as col:
        win = ConceptMapWindow(Runner(), now=lambda: NOW)
        qtbot.addWidget(win)
        win.show()
        win.load()
        assert win.model is not None and len(win.model) == 0
        assert win.find_card("anything") is None
        win.fit()
        win.view.viewport().repaint()
        assert win.study_selection() == []


def test_escape_leaves_the_neighbourhood_then_the_selection(
    window: ConceptMapWindow, qtbot: QtBot
) -> None:
    window.select_note("earlys")  # type: ignore[arg-type]
    window.toolbar.select(window.toolbar.depth_box, 1)
    assert len(_shown_ids(window)) == 3
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert _shown_ids(window) == NOTES and window.scene.selected != []
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert window.scene.selected == []
