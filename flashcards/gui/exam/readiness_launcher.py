"""The exam in the main window: the line on the Today page, Go ▸ Readiness
(Ctrl+Shift+R), and the exam-date dialog both open."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtGui import QKeySequence

from flashcards.gui.exam import readiness_ops as ops
from flashcards.gui.exam.exam_date_dialog import ExamDateDialog
from flashcards.gui.exam.exam_line import ExamLine
from flashcards.gui.exam.readiness_window import ReadinessWindow

MENU_KEYS = "Ctrl+Shift+R"


def install_readiness(main: Any) -> ExamLine:
    """Put the exam line on the Today page (refreshed with it) and add Go ▸ Readiness."""
    line = ExamLine(main.home)
    main.home.exam_area.addWidget(line)
    main.exam_line = line
    line.date_requested.connect(lambda: ask_exam_date(main))
    line.readiness_requested.connect(lambda: open_readiness(main))
    main.today_loaded.connect(lambda: refresh_line(main))
    action = main.go_menu.addAction("&Readiness")
    action.setObjectName("readinessAction")
    action.setShortcut(QKeySequence(MENU_KEYS))
    action.triggered.connect(lambda _=False: open_readiness(main))
    if main.home.today is not None:  # the counts came first: catch up
        refresh_line(main)
    return line


def refresh_line(main: Any) -> None:
    """Ask the worker for the active profile's forecast (after the day's counts)."""
    from flashcards.gui.review_models import BACKGROUND

    now = main.now()
    main.worker.run(
        lambda col: ops.load_summary(col, now=now),
        success=main.exam_line.show_readiness,
        label="readiness",
        priority=BACKGROUND,
    )


def open_readiness(main: Any) -> ReadinessWindow:
    """Show the Readiness window (made on first use) and load it afresh."""
    window: ReadinessWindow | None = main.findChild(ReadinessWindow)
    if window is None:
        window = ReadinessWindow(main.worker, now=main.now, parent=main)
        window.date_requested.connect(lambda: ask_exam_date(main))
        window.changed.connect(lambda: _changed(main))
        window.study_requested.connect(lambda title, ids: _study(main, title, ids))
    window.load()
    window.show()
    window.raise_()
    window.activateWindow()
    return window


def ask_exam_date(main: Any) -> None:
    """The exam-date dialog for the active profile; its choice is saved at once."""
    now = main.now()

    def show(settings: ops.ExamSettings) -> None:
        choice = next((p for p in settings.profiles if p.key == settings.active), None)
        if choice is None:
            main.statusBar().showMessage("No exam profile in the library", 4000)
            return
        parent = main.findChild(ReadinessWindow)
        dialog = ExamDateDialog(
            parent if parent is not None and parent.isVisible() else main,
            exam=choice.label,
            current=choice.exam_date,
            today=settings.today,
            note=choice.note,
        )
        dialog.setObjectName("examDateDialog")
        dialog.chosen.connect(lambda day: _save_date(main, day))
        main.exam_date_dialog = dialog
        dialog.open()

    main.worker.run(lambda col: ops.load_settings(col, now=now), success=show, label="exam")


def _save_date(main: Any, day: date | None) -> None:
    main.worker.run(
        lambda col: ops.save_exam(col, key=None, day=day),
        success=lambda _r: _changed(main),
        label="exam date",
    )
    text = f"Exam date set to {ops.day_text(day)}" if day else "Exam date cleared"
    main.statusBar().showMessage(text, 4000)


def _changed(main: Any) -> None:
    """The profile or its date changed: Today (and what scheduling plans) and an open
    Readiness window follow."""
    main.refresh()
    window = main.findChild(ReadinessWindow)
    if window is not None and window.isVisible():
        window.load()


def _study(main: Any, title: str, ids: list[Any]) -> None:
    if not ids:
        main.statusBar().showMessage("No cards to study there", 4000)
        return
    from flashcards.gui.concept_map.study_window import StudyWindow

    window = StudyWindow(main.worker, ids, title=title, now=main.now, parent=main)
    window.finished.connect(lambda: _changed(main))
    main.readiness_study = window
    window.start()


__all__ = ["MENU_KEYS", "ask_exam_date", "install_readiness", "open_readiness", "refresh_line"]
