"""A 1024×600 screen (a small laptop; QA found Readiness and the practice exam wider than
it, the concept map taller, and domain names on the map running into each other).

Every window opens inside the screen, its minimum size fits it, and on the bundled exam
decks (long domain and deck names) Readiness, the practice exam's pages and the map keep
to the screen; the map's domain names keep clear of each other and on screen.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, QSize
from PySide6.QtWidgets import QAbstractButton, QLabel, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from flashcards.gui.window_geometry import FRAME
from tests.gui.conftest import NOW, SyncRunner
from tests.gui.test_window_geometry import (  # noqa: F401 (fixtures)
    KINDS,
    build,
    clipped,
    mouse_on,
    settings,
)

DECKS = Path(__file__).resolve().parents[2] / "decks"
SCREEN = "d-netbook-1024x600"


def room(available: QRect) -> QSize:
    """What a window's inside may take of the screen (the window manager's frame)."""
    return available.marginsRemoved(FRAME).size()


def fits(size: QSize, available: QRect) -> bool:
    inside = room(available)
    return size.width() <= inside.width() and size.height() <= inside.height()


@pytest.mark.parametrize("kind", KINDS)
def test_every_window_opens_inside_a_1024x600_screen(
    build: Callable[[str], QWidget],  # noqa: F811 (the fixture)
    kind: str,
    qtbot: QtBot,
) -> None:
    name, available = mouse_on(SCREEN)
    assert available.size() == QSize(1024, 600)
    window = build(kind)
    qtbot.waitExposed(window)
    qtbot.wait(20)  # posted layout requests run
    assert window.screen().name() == name
    assert available.contains(window.frameGeometry()), (kind, window.frameGeometry())
    assert fits(window.minimumSizeHint(), available), (kind, window.minimumSizeHint())
    assert clipped(window) == []


# -- the bundled exam decks -------------------------------------------------------------


@pytest.fixture(scope="module")
def exam_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Both bundled exams' decks (nine domains, long names), opened once."""
    from flashcards.collection import Collection

    data = tmp_path_factory.mktemp("bundled") / "data"
    shutil.copytree(DECKS, data / "decks")
    with Collection.open(data, seed=False, now=NOW) as col:
        col.set_setting("timezone", "UTC")
        yield col


@pytest.fixture
def exam_runner(exam_library: Any) -> SyncRunner:
    return SyncRunner(exam_library)


def cut(window: QWidget) -> list[str]:
    """`clipped`, but for buttons a style sheet keeps small on purpose (the practice
    exam's question numbers: its width is their maximum)."""
    return [
        problem
        for problem in clipped(window)
        if not any(
            problem.startswith(f"button {b.text()!r}") and b.width() >= b.maximumWidth()
            for b in window.findChildren(QAbstractButton)
            if b.objectName() == "navCell"
        )
    ]


def larger(window: QWidget) -> None:
    """Type a fifth larger than Qt's offscreen default, as X11's DejaVu Sans draws it."""
    font = window.font()
    font.setPointSizeF(font.pointSizeF() * 1.2)
    window.setFont(font)


def squeezed(widget: QWidget) -> list[str]:
    """Wrapped labels given less height than their text needs (lines overlapping)."""
    return [
        label.text()[:40]
        for label in widget.findChildren(QLabel)
        if label.isVisible()
        and label.wordWrap()
        and label.height() < label.heightForWidth(label.width())
    ]


def test_readiness_fits_a_1024x600_screen(
    qtbot: QtBot,
    exam_runner: SyncRunner,
    settings: QSettings,  # noqa: F811 (the fixture)
) -> None:
    from flashcards.gui.exam.readiness_window import ReadinessWindow

    _name, available = mouse_on(SCREEN)
    owner = QWidget()
    owner.settings = settings  # type: ignore[attr-defined]
    qtbot.addWidget(owner)
    owner.move(available.center())
    window = ReadinessWindow(exam_runner, now=lambda: NOW, parent=owner)  # closed with it
    larger(window)
    window.show()
    window.load()
    qtbot.waitExposed(window)
    box = window.profile_box
    box.setCurrentIndex(next(i for i in range(box.count()) if "MLA-C01" in box.itemText(i)))
    assert "MLA-C01" in window.title.text()
    assert window.study_buttons  # the weakest decks and tags, with their long names
    qtbot.waitUntil(lambda: all(b.isVisible() for b in window.study_buttons))
    body = window.findChild(QScrollArea).widget()
    assert available.contains(window.frameGeometry())
    # Nothing to scroll sideways to: the page is no wider than the window.
    assert body.minimumSizeHint().width() <= window.width() - 20, body.minimumSizeHint()
    assert clipped(window) == []


def test_the_practice_exam_fits_a_1024x600_screen(
    qtbot: QtBot,
    exam_runner: SyncRunner,
    settings: QSettings,  # noqa: F811 (the fixture)
) -> None:
    from PySide6.QtCore import Qt

    from flashcards.gui.exam.practice_window import PracticeExamWindow

    _name, available = mouse_on(SCREEN)
    window = PracticeExamWindow(exam_runner, now=lambda: NOW, settings=settings)
    qtbot.addWidget(window)
    larger(window)
    window.show()
    window.activateWindow()
    window.load()
    qtbot.waitExposed(window)
    assert available.contains(window.frameGeometry())
    # Every page: the start page, the question page, the results and their review.
    assert fits(window.minimumSizeHint(), available), window.minimumSizeHint()
    assert window.stack.currentWidget() is window.start_page
    assert "Machine Learning" in window.start_page.title.text()
    qtbot.waitUntil(lambda: squeezed(window.start_page) == [], timeout=3_000)  # laid out
    assert cut(window) == []
    qtbot.keyClick(window.start_page, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.exam_page
    qtbot.wait(20)
    assert available.contains(window.frameGeometry())
    assert cut(window) == []
    window.close()


def test_the_concept_map_names_its_domains_apart_at_1024x600(
    qtbot: QtBot,
    exam_runner: SyncRunner,
    settings: QSettings,  # noqa: F811 (the fixture)
) -> None:
    from flashcards.gui.concept_map.map_window import ConceptMapWindow

    _name, available = mouse_on(SCREEN)
    owner = QWidget()
    owner.settings = settings  # type: ignore[attr-defined]
    qtbot.addWidget(owner)
    owner.move(available.center())
    window = ConceptMapWindow(exam_runner, now=lambda: NOW, parent=owner)  # closed with it
    window.show()
    with qtbot.waitSignal(window.layout_finished, timeout=30_000):
        window.load()
    assert exam_runner.failures == []
    qtbot.waitUntil(lambda: window._task is None, timeout=30_000)  # every layout done
    qtbot.waitExposed(window)
    assert available.contains(window.frameGeometry())
    assert window.legend.folded  # the map gets the room on a small screen
    window.fit()  # the default zoom, at the window's size on this screen

    def painted() -> bool:  # once the scene's posted updates ran: the laid-out map
        window.view.viewport().grab()
        # Of six: MLA-C01's four domains (they take most MLS-C01 decks), the MLS-C01
        # domain its queries leave, and no domain; a crowded one may wait.
        return len(window.scene.regions.names) >= 5

    qtbot.waitUntil(painted, timeout=10_000)
    names = window.scene.regions.names
    screen = QRect(QPoint(0, 0), window.view.viewport().size())
    for i, (name, rect) in enumerate(names):
        assert screen.contains(rect.toAlignedRect()), (name, rect)
        for other, theirs in names[i + 1 :]:
            gap = rect.adjusted(-4, -4, 4, 4)
            assert not gap.intersects(theirs), (name, other)


def test_preferences_and_the_csv_import_dialog_fit_a_1024x600_screen(
    build: Callable[[str], QWidget],  # noqa: F811 (the fixture)
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from flashcards.gui import dialogs, file_actions
    from flashcards.gui.csv_import_dialog import CsvImportDialog
    from flashcards.gui.preferences import open_preferences

    monkeypatch.setattr(
        dialogs.QMessageBox, "warning", staticmethod(lambda parent, title, text: None)
    )
    _name, available = mouse_on(SCREEN)
    window: Any = build("main")
    window.start(sync=False)
    qtbot.waitUntil(lambda: window.worker.pending == 0, timeout=10_000)
    preferences = open_preferences(window)
    qtbot.waitExposed(preferences)
    assert fits(preferences.minimumSizeHint(), available), preferences.minimumSizeHint()
    assert available.contains(preferences.frameGeometry())
    preferences.reject()
    sheet = tmp_path / "a rather long file name of words and their meanings.csv"
    sheet.write_text("word;meaning;notes\nchat;cat;a pet\n", encoding="utf-8")
    monkeypatch.setattr(
        file_actions.QFileDialog, "getOpenFileNames", staticmethod(lambda *a: ([str(sheet)], ""))
    )
    file_actions.import_files(window)
    qtbot.waitUntil(lambda: bool(window.findChildren(CsvImportDialog)), timeout=10_000)
    dialog = window.findChildren(CsvImportDialog)[0]
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    assert fits(dialog.minimumSizeHint(), available), dialog.minimumSizeHint()
    assert available.contains(dialog.frameGeometry()), dialog.frameGeometry()
    dialog.reject()
    window.close()
